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
// Connections leave from containers; a flow names the pod group they
// belong to, since every container of a pod shares its network.
//
// Without From or To, each network edge is one flow, the hub's included:
// listing every pair of a cluster without policies would be quadratic.
// With From (or To), connections through a hub are joined into direct
// flows of that vertex, since "what can X reach" must include what X
// reaches through the hub. Cost: the edges of the vertex and of the hubs
// it touches.
func Flows(g *graph.Graph, q FlowQuery) []Flow {
	owner := func(v *graph.Vertex) *graph.Vertex {
		if v.Kind == graph.KindContainer {
			if p := g.Lookup(v.Loc.Pod); p != nil {
				return p
			}
		}
		return v
	}
	senders := func(v *graph.Vertex) []*graph.Vertex {
		if cs := g.Containers(v); len(cs) > 0 {
			return cs
		}
		return []*graph.Vertex{v}
	}
	type flowKey struct{ from, to, via *graph.Vertex }
	index := map[flowKey]int{}
	var out []Flow
	add := func(f Flow) {
		f.From = owner(f.From)
		if q.Port != nil && !coversAny(f.Ports, *q.Port) {
			return
		}
		if (q.To != nil && f.To != q.To) || (q.From != nil && f.From != owner(q.From)) || f.From == f.To {
			return
		}
		k := flowKey{f.From, f.To, f.Via}
		if i, ok := index[k]; ok {
			out[i].Edges = append(out[i].Edges, f.Edges...)
			return
		}
		index[k] = len(out)
		out = append(out, f)
	}
	switch {
	case q.From != nil:
		for _, s := range senders(q.From) {
			for _, e := range networkEdges(g.EdgesFrom(s)) {
				if !e.T.Kind.IsTransit() {
					add(Flow{From: e.F, To: e.T, Ports: e.Ports, Edges: []*graph.Edge{e}})
					continue
				}
				for _, next := range networkEdges(g.EdgesFrom(e.T)) {
					add(Flow{From: e.F, To: next.T, Via: e.T, Ports: next.Ports, Edges: []*graph.Edge{e, next}})
				}
			}
		}
	case q.To != nil:
		for _, e := range networkEdges(g.EdgesTo(q.To)) {
			if !e.F.Kind.IsTransit() {
				add(Flow{From: e.F, To: e.T, Ports: e.Ports, Edges: []*graph.Edge{e}})
				continue
			}
			for _, prev := range networkEdges(g.EdgesTo(e.F)) {
				add(Flow{From: prev.F, To: e.T, Via: e.F, Ports: e.Ports, Edges: []*graph.Edge{prev, e}})
			}
		}
	default:
		for _, e := range networkEdges(g.Edges()) {
			add(Flow{From: e.F, To: e.T, Ports: e.Ports, Edges: []*graph.Edge{e}})
		}
	}
	slices.SortStableFunc(out, func(a, b Flow) int {
		return cmp.Or(cmp.Compare(a.From.Key, b.From.Key), cmp.Compare(a.To.Key, b.To.Key), cmp.Compare(viaKey(a), viaKey(b)))
	})
	return out
}

func viaKey(f Flow) graph.Key {
	if f.Via == nil {
		return ""
	}
	return f.Via.Key
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
