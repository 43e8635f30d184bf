package graph

import (
	"cmp"
	"math"
	"slices"

	gg "gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/iterator"
	"gonum.org/v1/gonum/graph/simple"
)

// Graph is the built, read-only attack graph. It implements gonum's
// graph.WeightedDirectedMultigraph, so gonum's algorithms run on it directly.
type Graph struct {
	byKey    map[Key]*Vertex
	vertices []*Vertex // sorted by key; vertices[i].UID == i
	edges    []*Edge   // sorted by (from, to, technique); edges[i].UID == i
	clusters []string
	members  map[Key][]*Vertex // containers by pod group key, sorted
	out, in  [][]*Edge         // by vertex ID, sorted like edges
}

var _ gg.WeightedDirectedMultigraph = (*Graph)(nil)

// Vertices returns all vertices sorted by key. The slice must not be modified.
func (g *Graph) Vertices() []*Vertex { return g.vertices }

// Edges returns all edges sorted by (from, to, technique). The slice must not
// be modified.
func (g *Graph) Edges() []*Edge { return g.edges }

// Clusters returns the names of the clusters in the graph, sorted.
func (g *Graph) Clusters() []string { return g.clusters }

// Lookup returns the vertex with key k, or nil.
func (g *Graph) Lookup(k Key) *Vertex { return g.byKey[k] }

// VertexByID returns the vertex with gonum ID id, or nil.
func (g *Graph) VertexByID(id int64) *Vertex {
	if id < 0 || id >= int64(len(g.vertices)) {
		return nil
	}
	return g.vertices[id]
}

// EdgesFrom returns the edges leaving v, sorted. The slice must not be
// modified.
func (g *Graph) EdgesFrom(v *Vertex) []*Edge { return g.out[v.UID] }

// EdgesTo returns the edges entering v, sorted. The slice must not be
// modified.
func (g *Graph) EdgesTo(v *Vertex) []*Edge { return g.in[v.UID] }

// Containers returns the containers of a pod group, sorted by key.
func (g *Graph) Containers(pod *Vertex) []*Vertex { return g.members[pod.Key] }

// The methods below serve gonum's graph interfaces from the adjacency
// lists. A gonum multi.WeightedDirectedGraph copy of the edges cost a map
// per vertex pair and line (seconds and gigabytes at 50,000 pods) for
// nothing the lists cannot answer.

// Node implements gonum's graph.Multigraph.
func (g *Graph) Node(id int64) gg.Node {
	if v := g.VertexByID(id); v != nil {
		return v
	}
	return nil
}

// Nodes implements gonum's graph.Multigraph.
func (g *Graph) Nodes() gg.Nodes {
	nodes := make([]gg.Node, len(g.vertices))
	for i, v := range g.vertices {
		nodes[i] = v
	}
	return iterator.NewOrderedNodes(nodes)
}

// From implements gonum's graph.Multigraph.
func (g *Graph) From(id int64) gg.Nodes { return ends(g.out, id, func(e *Edge) *Vertex { return e.T }) }

// To implements gonum's graph.DirectedMultigraph.
func (g *Graph) To(id int64) gg.Nodes { return ends(g.in, id, func(e *Edge) *Vertex { return e.F }) }

// ends returns the distinct far ends of a vertex's edges, in order.
func ends(adj [][]*Edge, id int64, far func(*Edge) *Vertex) gg.Nodes {
	if id < 0 || id >= int64(len(adj)) {
		return gg.Empty
	}
	var nodes []gg.Node
	for _, e := range adj[id] {
		// Edges are sorted by (from, to), so repeats of one end are adjacent
		// in the out lists; the in lists are sorted by from, which the
		// final compaction handles.
		nodes = append(nodes, far(e))
	}
	slices.SortFunc(nodes, func(a, b gg.Node) int { return cmp.Compare(a.ID(), b.ID()) })
	nodes = slices.CompactFunc(nodes, func(a, b gg.Node) bool { return a.ID() == b.ID() })
	return iterator.NewOrderedNodes(nodes)
}

// lines returns the edges from u to v.
func (g *Graph) lines(u, v int64) []*Edge {
	if u < 0 || u >= int64(len(g.out)) {
		return nil
	}
	var out []*Edge
	for _, e := range g.out[u] {
		if e.T.UID == v {
			out = append(out, e)
		}
	}
	return out
}

// HasEdgeBetween implements gonum's graph.Multigraph.
func (g *Graph) HasEdgeBetween(x, y int64) bool {
	return g.HasEdgeFromTo(x, y) || g.HasEdgeFromTo(y, x)
}

// HasEdgeFromTo implements gonum's graph.DirectedMultigraph.
func (g *Graph) HasEdgeFromTo(u, v int64) bool { return len(g.lines(u, v)) > 0 }

// Lines implements gonum's graph.Multigraph.
func (g *Graph) Lines(u, v int64) gg.Lines {
	ls := g.lines(u, v)
	if len(ls) == 0 {
		return gg.Empty
	}
	out := make([]gg.Line, len(ls))
	for i, e := range ls {
		out[i] = e
	}
	return iterator.NewOrderedLines(out)
}

// WeightedLines implements gonum's graph.WeightedMultigraph.
func (g *Graph) WeightedLines(u, v int64) gg.WeightedLines {
	ls := g.lines(u, v)
	if len(ls) == 0 {
		return gg.Empty
	}
	out := make([]gg.WeightedLine, len(ls))
	for i, e := range ls {
		out[i] = e
	}
	return iterator.NewOrderedWeightedLines(out)
}

// Weight returns the cost of the cheapest step from u to v: an attacker
// takes the easiest of several techniques between the same two vertices.
func (g *Graph) Weight(u, v int64) (float64, bool) {
	w, ok := math.Inf(1), false
	for _, e := range g.lines(u, v) {
		w, ok = min(w, e.Cost), true
	}
	return w, ok
}

// WeightedEdge returns the step from u to v summarised by its cheapest line,
// so gonum's shortest-path algorithms can run on g.
func (g *Graph) WeightedEdge(u, v int64) gg.WeightedEdge {
	w, ok := g.Weight(u, v)
	if !ok {
		return nil
	}
	return simple.WeightedEdge{F: g.vertices[u], T: g.vertices[v], W: w}
}

// Edge implements gonum's graph.Graph for algorithms that need it.
func (g *Graph) Edge(u, v int64) gg.Edge {
	if e := g.WeightedEdge(u, v); e != nil {
		return e
	}
	return nil
}
