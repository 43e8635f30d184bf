package analysis

import (
	"cmp"
	"slices"

	"github.com/trustpath/trustpath/graph"
)

// networkTechniques are the steps that are network connections.
var networkTechniques = []graph.Technique{graph.TechConnect, graph.TechExposed, graph.TechEgressInternet}

// Flow is one allowed connection: From may open connections to To on
// Ports. Via is the transit vertex (the pod-network hub) when the flow is
// the join of two hub edges; Edges are the graph edges it stands for.
type Flow struct {
	From, To *graph.Vertex
	Via      *graph.Vertex
	Ports    []string
	Edges    []*graph.Edge
}

// FlowQuery narrows Flows: to connections from one vertex, to one vertex,
// and on one port. Zero fields do not narrow.
type FlowQuery struct {
	From, To *graph.Vertex
	Port     *graph.PortSpec
}

// Flows lists the network connections of g, sorted by (from, to).
//
// Without From or To, each network edge is one flow, the hub's included:
// listing every pair of a cluster without policies would be quadratic.
// With From (or To), connections through a hub are joined into direct
// flows of that vertex, since "what can X reach" must include what X
// reaches through the hub. Cost: the edges of the vertex and of the hubs
// it touches.
func Flows(g *graph.Graph, q FlowQuery) []Flow {
	var out []Flow
	add := func(f Flow) {
		if q.Port != nil && !coversAny(f.Ports, *q.Port) {
			return
		}
		if q.To != nil && f.To != q.To {
			return
		}
		if q.From != nil && f.From != q.From {
			return
		}
		out = append(out, f)
	}
	switch {
	case q.From != nil:
		for _, e := range networkEdges(g.EdgesFrom(q.From)) {
			if !e.T.Kind.IsTransit() {
				add(Flow{From: e.F, To: e.T, Ports: e.Ports, Edges: []*graph.Edge{e}})
				continue
			}
			for _, next := range networkEdges(g.EdgesFrom(e.T)) {
				if next.T == e.F {
					continue // a pod group reaching its own replicas
				}
				add(Flow{From: e.F, To: next.T, Via: e.T, Ports: next.Ports, Edges: []*graph.Edge{e, next}})
			}
		}
	case q.To != nil:
		for _, e := range networkEdges(g.EdgesTo(q.To)) {
			if !e.F.Kind.IsTransit() {
				add(Flow{From: e.F, To: e.T, Ports: e.Ports, Edges: []*graph.Edge{e}})
				continue
			}
			for _, prev := range networkEdges(g.EdgesTo(e.F)) {
				if prev.F == e.T {
					continue
				}
				add(Flow{From: prev.F, To: e.T, Via: e.F, Ports: e.Ports, Edges: []*graph.Edge{prev, e}})
			}
		}
	default:
		for _, e := range networkEdges(g.Edges()) {
			add(Flow{From: e.F, To: e.T, Ports: e.Ports, Edges: []*graph.Edge{e}})
		}
	}
	slices.SortStableFunc(out, func(a, b Flow) int {
		return cmp.Or(cmp.Compare(a.From.Key, b.From.Key), cmp.Compare(a.To.Key, b.To.Key))
	})
	return out
}

func networkEdges(es []*graph.Edge) []*graph.Edge {
	var out []*graph.Edge
	for _, e := range es {
		if slices.Contains(networkTechniques, e.Technique) {
			out = append(out, e)
		}
	}
	return out
}

// coversAny reports whether a port list ("tcp/8080", "tcp/8000-8100",
// "any") holds port.
func coversAny(ports []string, port graph.PortSpec) bool {
	for _, s := range ports {
		if p, err := graph.ParsePort(s); err == nil && p.Covers(port) {
			return true
		}
	}
	return false
}
