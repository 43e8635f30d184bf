package analysis

import (
	"math"

	gg "gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/path"

	"github.com/trustpath/trustpath/graph"
)

// Tree is the result of a cheapest-path search from one or more starts:
// the cheapest path to (or, searched in reverse, from) every vertex
// reached. Dijkstra, O((V+E) log V).
type Tree struct {
	v        *view
	shortest path.Shortest
	starts   map[int64]bool
}

// Search finds the cheapest paths from starts over g, leaving out the
// edges skip returns true for (nil keeps all).
func Search(g *graph.Graph, starts []*graph.Vertex, skip func(*graph.Edge) bool) *Tree {
	return search(newView(g, skip), starts)
}

// SearchBack finds, for every vertex, its cheapest path to one of targets.
func SearchBack(g *graph.Graph, targets []*graph.Vertex, skip func(*graph.Edge) bool) *Tree {
	return search(newView(g, skip).reversed(), targets)
}

func search(v *view, starts []*graph.Vertex) *Tree {
	t := &Tree{v: v, starts: map[int64]bool{}}
	for _, s := range starts {
		t.starts[s.UID] = true
	}
	var root gg.Node
	if len(starts) == 1 {
		root = starts[0]
	} else {
		v = v.withSources(starts)
		t.v = v
		root = v.Node(v.virtual)
	}
	t.shortest = path.DijkstraFrom(root, v)
	return t
}

// Cost returns the cost of the cheapest path to x (from x, searched in
// reverse), +Inf when x is not reached.
func (t *Tree) Cost(x *graph.Vertex) float64 {
	if len(t.starts) == 0 {
		return math.Inf(1)
	}
	return t.shortest.WeightTo(x.UID)
}

// Reached reports whether the search reached x.
func (t *Tree) Reached(x *graph.Vertex) bool { return !math.IsInf(t.Cost(x), 1) }

// Path returns the cheapest path to x (from x, searched in reverse), as
// steps in attack order; ok is false when x was not reached or is a start.
func (t *Tree) Path(x *graph.Vertex) (Path, bool) {
	nodes, w := t.shortest.To(x.UID)
	var ids []int64
	for _, n := range nodes {
		if n.ID() != t.v.virtual || t.v.virtual < 0 {
			ids = append(ids, n.ID())
		}
	}
	if len(ids) < 2 {
		return Path{}, false
	}
	p := Path{Cost: w}
	for i := 0; i+1 < len(ids); i++ {
		p.Steps = append(p.Steps, t.v.step(ids[i], ids[i+1]))
	}
	if t.v.reverse {
		for i, j := 0, len(p.Steps)-1; i < j; i, j = i+1, j-1 {
			p.Steps[i], p.Steps[j] = p.Steps[j], p.Steps[i]
		}
	}
	return p, true
}
