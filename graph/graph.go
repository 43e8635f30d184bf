package graph

import (
	gg "gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/multi"
)

// Graph is the built, read-only attack graph. It implements gonum's
// graph.WeightedDirectedMultigraph, so gonum's algorithms run on it directly.
type Graph struct {
	g        *multi.WeightedDirectedGraph
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

// Node implements gonum's graph.Multigraph.
func (g *Graph) Node(id int64) gg.Node { return g.g.Node(id) }

// Nodes implements gonum's graph.Multigraph.
func (g *Graph) Nodes() gg.Nodes { return g.g.Nodes() }

// From implements gonum's graph.Multigraph.
func (g *Graph) From(id int64) gg.Nodes { return g.g.From(id) }

// To implements gonum's graph.DirectedMultigraph.
func (g *Graph) To(id int64) gg.Nodes { return g.g.To(id) }

// HasEdgeBetween implements gonum's graph.Multigraph.
func (g *Graph) HasEdgeBetween(x, y int64) bool { return g.g.HasEdgeBetween(x, y) }

// HasEdgeFromTo implements gonum's graph.DirectedMultigraph.
func (g *Graph) HasEdgeFromTo(u, v int64) bool { return g.g.HasEdgeFromTo(u, v) }

// Lines implements gonum's graph.Multigraph.
func (g *Graph) Lines(u, v int64) gg.Lines { return g.g.Lines(u, v) }

// WeightedLines implements gonum's graph.WeightedMultigraph.
func (g *Graph) WeightedLines(u, v int64) gg.WeightedLines { return g.g.WeightedLines(u, v) }

// Weight returns the cost of the cheapest step from u to v.
func (g *Graph) Weight(u, v int64) (float64, bool) { return g.g.Weight(u, v) }

// WeightedEdge returns the step from u to v summarised by its cheapest line,
// so gonum's shortest-path algorithms can run on g.
func (g *Graph) WeightedEdge(u, v int64) gg.WeightedEdge { return g.g.WeightedEdge(u, v) }

// Edge implements gonum's graph.Graph for algorithms that need it.
func (g *Graph) Edge(u, v int64) gg.Edge { return g.g.Edge(u, v) }
