package graph

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"

	gg "gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/encoding"
	"gonum.org/v1/gonum/graph/encoding/dot"
	"gonum.org/v1/gonum/graph/iterator"
)

// boundaryColor colours edges by the boundary they cross: grey for none,
// warming to red for node and purple for cluster crossings.
var boundaryColor = [...]string{
	BoundaryNone:      "#7f7f7f",
	BoundaryContainer: "#17becf",
	BoundaryPod:       "#1f77b4",
	BoundaryNamespace: "#ff7f0e",
	BoundaryNode:      "#d62728",
	BoundaryCluster:   "#9467bd",
}

// WriteDOT writes v as a Graphviz digraph: trust boundaries as nested boxes
// (cluster ⊃ namespace ⊃ pod group ⊃ containers), edges labelled with their
// technique and coloured by the boundary they cross, and a legend. Cluster
// and namespace vertices are drawn as the boxes, and as vertices only when an
// edge touches them; implicit vertices (a namespace's default service
// account) only when an edge does.
func WriteDOT(w io.Writer, v View) error {
	d := newDOTGraph(v)
	b, err := dot.MarshalMulti(d, "", "", "  ")
	if err != nil {
		return fmt.Errorf("encoding DOT: %w", err)
	}
	b = append(b, '\n')
	_, err = w.Write(b)
	return err
}

// DOTID names the vertex by its key.
func (v *Vertex) DOTID() string { return string(v.Key) }

type vertexStyle struct{ shape, fill string }

var kindStyle = map[Kind]vertexStyle{
	KindInternet:       {"doubleoctagon", "#fcbba1"},
	KindUser:           {"box", "#fff2cc"},
	KindGroup:          {"box", "#fff2cc"},
	KindCluster:        {"folder", "#ffffff"},
	KindNamespace:      {"folder", "#ffffff"},
	KindNode:           {"box3d", "#e0e0e0"},
	KindContainer:      {"box", "#deebf7"},
	KindServiceAccount: {"cds", "#e5f5e0"},
	KindSecret:         {"note", "#fff7bc"},
	KindService:        {"ellipse", "#efedf5"},
	KindIngress:        {"invhouse", "#efedf5"},
	KindClusterAdmin:   {"octagon", "#fcbba1"},
	KindNamespaceAdmin: {"octagon", "#fde0dd"},
	KindPodNetwork:     {"circle", "#f0f0f0"},
	KindSchedulable:    {"circle", "#f0f0f0"},
	KindAnyNode:        {"box3d", "#f0f0f0"}, // a node, unknown which
	KindPodCreation:    {"octagon", "#fde0dd"},
	KindPodControl:     {"octagon", "#fde0dd"},
}

var workloadStyle = vertexStyle{"component", "#c6dbef"}

// Attributes implements encoding.Attributer in a fixed order, which keeps
// golden files stable.
func (v *Vertex) Attributes() []encoding.Attribute {
	st, ok := kindStyle[v.Kind]
	if !ok {
		st = workloadStyle
	}
	style := "filled"
	if st.shape == "box" || st.shape == "component" {
		style = "rounded,filled"
	}
	if v.Prop(PropImplicit) == "true" {
		style += ",dashed"
	}
	return []encoding.Attribute{
		{Key: "label", Value: v.label()},
		{Key: "shape", Value: st.shape},
		{Key: "style", Value: style},
		{Key: "fillcolor", Value: st.fill},
		{Key: "tooltip", Value: v.tooltip()},
	}
}

// label is what the diagram prints in the vertex. Inside a pod-group box the
// box already names the workload, so the vertex says how many pods it is.
func (v *Vertex) label() string {
	switch {
	case v.Kind == KindInternet:
		return "internet"
	case v.Kind == KindClusterAdmin:
		return "cluster-admin"
	case v.Kind == KindPodNetwork:
		return "any pod\n(open egress)"
	case v.Kind == KindSchedulable:
		return "pods on\nany node"
	case v.Kind == KindAnyNode:
		return "any node"
	case v.Kind.IsWorkload():
		if r := v.Prop(PropReplicas); r != "" {
			return "pods ×" + r
		}
		return "pods"
	case v.Kind == KindContainer:
		return v.Name
	}
	return string(v.Kind) + "\n" + v.Name
}

func (v *Vertex) tooltip() string {
	var b strings.Builder
	b.WriteString(string(v.Key))
	for _, p := range v.propNames() {
		fmt.Fprintf(&b, "\n%s: %s", p, v.Props[p])
	}
	return b.String()
}

// Attributes implements encoding.Attributer in a fixed order.
func (e *Edge) Attributes() []encoding.Attribute {
	a := []encoding.Attribute{
		{Key: "label", Value: e.Label()},
		{Key: "color", Value: boundaryColor[e.Boundary]},
		{Key: "fontcolor", Value: boundaryColor[e.Boundary]},
	}
	if e.Boundary >= BoundaryNamespace {
		a = append(a, encoding.Attribute{Key: "penwidth", Value: "2"})
	}
	tip := []string{fmt.Sprintf("%s → %s: %s (crosses %s)", e.F.Key, e.T.Key, e.Label(), e.Boundary)}
	if len(e.Missing) > 0 {
		tip = append(tip, "missing: "+strings.Join(e.Missing, ", "))
	}
	if len(e.Present) > 0 {
		tip = append(tip, "present: "+strings.Join(e.Present, ", "))
	}
	for _, ev := range e.Evidence {
		tip = append(tip, "evidence: "+string(ev.Object)+" "+ev.Detail)
	}
	if e.Note != "" {
		tip = append(tip, e.Note)
	}
	return append(a, encoding.Attribute{Key: "tooltip", Value: strings.Join(tip, "\n")})
}

// missingLine is an edge drawn in red with its missing controls in the
// label, for path diagrams.
type missingLine struct{ *Edge }

// missingColor marks where a control was missing.
const missingColor = "#d7301f"

// Attributes implements encoding.Attributer; it shadows the edge's own.
func (l missingLine) Attributes() []encoding.Attribute {
	a := l.Edge.Attributes()
	for i := range a {
		switch a[i].Key {
		case "label":
			a[i].Value += "\n✗ " + strings.Join(l.Missing, "\n✗ ")
		case "color", "fontcolor":
			a[i].Value = missingColor
		}
	}
	return append(a, encoding.Attribute{Key: "penwidth", Value: "2.5"})
}

// dotGraph adapts a View to gonum's DOT encoder: a directed multigraph with
// graph-wide attributes and nested subgraphs for the trust boundaries.
type dotGraph struct {
	nodes []gg.Node // sorted by ID
	byID  map[int64]*Vertex
	out   map[int64][]gg.Line // edges and invisible layout lines
	boxes []dot.Multigraph
}

func newDOTGraph(v View) *dotGraph {
	d := &dotGraph{byID: map[int64]*Vertex{}, out: map[int64][]gg.Line{}}
	touched := map[int64]bool{}
	for _, e := range v.Edges {
		touched[e.F.UID], touched[e.T.UID] = true, true
	}
	for _, x := range v.Vertices {
		if !touched[x.UID] && (x.Kind == KindCluster || x.Kind == KindNamespace || x.Prop(PropImplicit) == "true") {
			continue // drawn as its box, or implied and idle: it would only add noise
		}
		d.nodes = append(d.nodes, x)
		d.byID[x.UID] = x
	}
	var drawn []*Edge
	for _, e := range v.Edges {
		if d.byID[e.F.UID] != nil && d.byID[e.T.UID] != nil {
			var l gg.Line = e
			if v.MarkMissing && len(e.Missing) > 0 {
				l = missingLine{e}
			}
			d.out[e.F.UID] = append(d.out[e.F.UID], l)
			drawn = append(drawn, e)
		}
	}
	for _, l := range gridLines(d.nodes, drawn) {
		d.out[l.f.ID()] = append(d.out[l.f.ID()], l)
	}
	d.boxes = boxes(d.nodes)
	d.boxes = append(d.boxes, legend())
	return d
}

func (d *dotGraph) DOTID() string { return "trustpath" }

func (d *dotGraph) DOTAttributers() (graph, node, edge encoding.Attributer) {
	return attrs{
			{Key: "rankdir", Value: "LR"},
			{Key: "newrank", Value: "true"},
			{Key: "nodesep", Value: "0.25"},
			{Key: "ranksep", Value: "0.6"},
			{Key: "fontname", Value: "Helvetica"},
			{Key: "fontsize", Value: "12"},
		}, attrs{
			{Key: "fontname", Value: "Helvetica"},
			{Key: "fontsize", Value: "10"},
			{Key: "margin", Value: "0.15,0.05"},
		}, attrs{
			{Key: "fontname", Value: "Helvetica"},
			{Key: "fontsize", Value: "9"},
			{Key: "arrowsize", Value: "0.7"},
		}
}

func (d *dotGraph) Structure() []dot.Multigraph { return d.boxes }

func (d *dotGraph) Node(id int64) gg.Node {
	if v := d.byID[id]; v != nil {
		return v
	}
	return nil
}

func (d *dotGraph) Nodes() gg.Nodes { return iterator.NewOrderedNodes(d.nodes) }

func (d *dotGraph) From(id int64) gg.Nodes {
	var to []gg.Node
	for _, l := range d.out[id] {
		to = append(to, l.To())
	}
	slices.SortFunc(to, func(a, b gg.Node) int { return cmp.Compare(a.ID(), b.ID()) })
	to = slices.CompactFunc(to, func(a, b gg.Node) bool { return a.ID() == b.ID() })
	return iterator.NewOrderedNodes(to)
}

func (d *dotGraph) To(id int64) gg.Nodes {
	var from []gg.Node
	for _, n := range d.nodes {
		if d.HasEdgeFromTo(n.ID(), id) {
			from = append(from, n)
		}
	}
	return iterator.NewOrderedNodes(from)
}

func (d *dotGraph) HasEdgeFromTo(u, v int64) bool {
	return slices.ContainsFunc(d.out[u], func(l gg.Line) bool { return l.To().ID() == v })
}

func (d *dotGraph) HasEdgeBetween(x, y int64) bool {
	return d.HasEdgeFromTo(x, y) || d.HasEdgeFromTo(y, x)
}

func (d *dotGraph) Lines(u, v int64) gg.Lines {
	var ls []gg.Line
	for _, l := range d.out[u] {
		if l.To().ID() == v {
			ls = append(ls, l)
		}
	}
	return iterator.NewOrderedLines(ls)
}

// Edge satisfies gonum's graph.Directed, which the encoder checks to write a
// digraph; it is not used for multigraph output.
func (d *dotGraph) Edge(u, v int64) gg.Edge {
	if !d.HasEdgeFromTo(u, v) {
		return nil
	}
	return plainEdge{d.byID[u], d.byID[v]}
}

type plainEdge struct{ f, t gg.Node }

func (e plainEdge) From() gg.Node         { return e.f }
func (e plainEdge) To() gg.Node           { return e.t }
func (e plainEdge) ReversedEdge() gg.Edge { return plainEdge{e.t, e.f} }

type attrs []encoding.Attribute

func (a attrs) Attributes() []encoding.Attribute { return a }
