package analysis

import (
	"math"
	"slices"

	gg "gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/iterator"
	"gonum.org/v1/gonum/graph/simple"

	"github.com/trustpath/trustpath/graph"
)

// view is the attack graph as gonum's algorithms see it: a simple directed
// weighted graph whose edge between two vertices is the cheapest step that
// is not excluded, optionally reversed, optionally with one virtual source
// joined at no cost to a set of start vertices (multi-source search). It
// never changes the graph it wraps.
type view struct {
	g       *graph.Graph
	out, in [][]*graph.Edge // by vertex ID, excluded edges left out
	reverse bool
	virtual int64           // ID of the virtual source, or -1
	starts  []*graph.Vertex // what the virtual source joins
	dropped []bool          // by edge UID, the edges left out; nil when none

	// cheapest caches, per vertex of high degree, its cheapest edge to each
	// neighbour, so Weight is O(1) at the hubs gonum's algorithms visit.
	cheapest map[int64]map[int64]*graph.Edge
}

// hubDegree is the degree past which step looks neighbours up in a map.
const hubDegree = 16

var (
	_ gg.Directed = (*view)(nil)
	_ gg.Weighted = (*view)(nil)
)

// newView shares the graph's adjacency lists, copying only those of the
// vertices with an edge left out: a proposed fix removes a few thousand
// edges of a million, and is measured many times.
func newView(g *graph.Graph, skip func(*graph.Edge) bool) *view {
	n := len(g.Vertices())
	v := &view{g: g, out: make([][]*graph.Edge, n), in: make([][]*graph.Edge, n), virtual: -1}
	for _, x := range g.Vertices() {
		v.out[x.UID], v.in[x.UID] = g.EdgesFrom(x), g.EdgesTo(x)
	}
	if skip == nil {
		return v
	}
	touched := map[int64]bool{}
	for _, e := range g.Edges() {
		if skip(e) {
			if v.dropped == nil {
				v.dropped = make([]bool, len(g.Edges()))
			}
			v.dropped[e.UID] = true
			touched[e.F.UID], touched[e.T.UID] = true, true
		}
	}
	dropped := func(e *graph.Edge) bool { return v.dropped[e.UID] }
	for id := range touched {
		v.out[id] = slices.DeleteFunc(slices.Clone(v.out[id]), dropped)
		v.in[id] = slices.DeleteFunc(slices.Clone(v.in[id]), dropped)
	}
	return v
}

// reversed returns a view whose edges point the other way, sharing the
// adjacency: searching it from a target finds who reaches the target.
func (v *view) reversed() *view {
	r := *v
	r.reverse = !v.reverse
	r.virtual, r.starts = -1, nil
	r.cheapest = nil // it holds edges of the other direction
	return &r
}

// withSources returns a view with a virtual source joined to starts.
func (v *view) withSources(starts []*graph.Vertex) *view {
	s := *v
	s.virtual = int64(len(v.out))
	s.starts = starts
	return &s
}

func (v *view) forward(id int64) []*graph.Edge {
	if v.reverse {
		return v.in[id]
	}
	return v.out[id]
}

func (v *view) backward(id int64) []*graph.Edge {
	if v.reverse {
		return v.out[id]
	}
	return v.in[id]
}

// far returns the other end of e as the view's direction sees it.
func (v *view) far(e *graph.Edge) *graph.Vertex {
	if v.reverse {
		return e.F
	}
	return e.T
}

func (v *view) near(e *graph.Edge) *graph.Vertex {
	if v.reverse {
		return e.T
	}
	return e.F
}

func (v *view) Node(id int64) gg.Node {
	if id == v.virtual && id >= 0 {
		return simple.Node(id)
	}
	if x := v.g.VertexByID(id); x != nil {
		return x
	}
	return nil
}

func (v *view) Nodes() gg.Nodes {
	nodes := make([]gg.Node, 0, len(v.out)+1)
	for _, x := range v.g.Vertices() {
		nodes = append(nodes, x)
	}
	if v.virtual >= 0 {
		nodes = append(nodes, simple.Node(v.virtual))
	}
	return iterator.NewOrderedNodes(nodes)
}

func (v *view) From(id int64) gg.Nodes {
	if id == v.virtual && id >= 0 {
		nodes := make([]gg.Node, len(v.starts))
		for i, s := range v.starts {
			nodes[i] = s
		}
		return iterator.NewOrderedNodes(nodes)
	}
	return v.ends(v.forward(id))
}

func (v *view) To(id int64) gg.Nodes {
	nodes := v.ends(v.backward(id))
	if v.virtual >= 0 {
		for _, s := range v.starts {
			if s.UID == id {
				return iterator.NewOrderedNodes(append(nodesOf(nodes), simple.Node(v.virtual)))
			}
		}
	}
	return nodes
}

// ends returns the distinct far ends of edges.
func (v *view) ends(es []*graph.Edge) gg.Nodes {
	seen := make(map[int64]bool, len(es))
	var nodes []gg.Node
	for _, e := range es {
		x := v.far(e)
		if !seen[x.UID] {
			seen[x.UID] = true
			nodes = append(nodes, x)
		}
	}
	return iterator.NewOrderedNodes(nodes)
}

func nodesOf(it gg.Nodes) []gg.Node {
	var out []gg.Node
	for it.Next() {
		out = append(out, it.Node())
	}
	return out
}

func (v *view) HasEdgeBetween(x, y int64) bool { return v.HasEdgeFromTo(x, y) || v.HasEdgeFromTo(y, x) }

func (v *view) HasEdgeFromTo(u, w int64) bool {
	_, ok := v.Weight(u, w)
	return ok && u != w
}

// step returns the cheapest edge the view has from u to w (nil from the
// virtual source, which has no edges of its own).
func (v *view) step(u, w int64) *graph.Edge {
	if u < 0 || u >= int64(len(v.out)) {
		return nil
	}
	es := v.forward(u)
	if len(es) <= hubDegree {
		var best *graph.Edge
		for _, e := range es {
			if v.far(e).UID == w && (best == nil || e.Cost < best.Cost) {
				best = e
			}
		}
		return best
	}
	if v.cheapest == nil {
		v.cheapest = map[int64]map[int64]*graph.Edge{}
	}
	m := v.cheapest[u]
	if m == nil {
		m = make(map[int64]*graph.Edge, len(es))
		for _, e := range es {
			id := v.far(e).UID
			if b := m[id]; b == nil || e.Cost < b.Cost {
				m[id] = e
			}
		}
		v.cheapest[u] = m
	}
	return m[w]
}

func (v *view) Weight(x, y int64) (float64, bool) {
	if x == y {
		return 0, true
	}
	if x == v.virtual && x >= 0 {
		for _, s := range v.starts {
			if s.UID == y {
				return 0, true
			}
		}
		return math.Inf(1), false
	}
	if e := v.step(x, y); e != nil {
		return e.Cost, true
	}
	return math.Inf(1), false
}

func (v *view) Edge(u, w int64) gg.Edge { return v.WeightedEdge(u, w) }

func (v *view) WeightedEdge(u, w int64) gg.WeightedEdge {
	wt, ok := v.Weight(u, w)
	if !ok || u == w {
		return nil
	}
	return simple.WeightedEdge{F: v.Node(u), T: v.Node(w), W: wt}
}
