package analysis

import (
	"math"

	"github.com/trustpath/trustpath/graph"
)

// Tree is the result of a cheapest-path search from one or more starts:
// the cheapest path to (or, searched in reverse, from) every vertex
// reached, as the edge each vertex was reached by.
//
// The search is Dijkstra's over the view's adjacency lists, relaxing every
// edge once: O((V+E) log V). gonum's Dijkstra asks the graph for a weight
// per neighbour, which costs a scan of the neighbour's lines; at a hub with
// tens of thousands of edges (the pod network, what any node may run) that
// makes the search quadratic, so the cheapest-path trees are computed here
// and gonum serves Yen's k paths and the dominators.
type Tree struct {
	v    *view
	dist []float64
	via  []*graph.Edge // the edge each vertex was reached by; nil for starts
	// hops is the steps of each vertex's cheapest path, set with via: a
	// finding's path is laid out from it without walking the tree twice.
	hops []int32
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

func search(v *view, starts []*graph.Vertex) *Tree { return searchTo(v, starts, nil) }

// SearchTo is Search that may stop once target's cheapest path is known:
// the paths to vertices settled later are missing from the tree.
func SearchTo(g *graph.Graph, starts []*graph.Vertex, target *graph.Vertex, skip func(*graph.Edge) bool) *Tree {
	return searchTo(newView(g, skip), starts, target)
}

func searchTo(v *view, starts []*graph.Vertex, target *graph.Vertex) *Tree {
	n := len(v.out)
	t := &Tree{v: v, dist: make([]float64, n), via: make([]*graph.Edge, n), hops: make([]int32, n)}
	for i := range t.dist {
		t.dist[i] = math.Inf(1)
	}
	var q queue
	for _, s := range starts {
		t.dist[s.UID] = 0
		q.push(item{s.UID, 0})
	}
	for len(q) > 0 {
		it := q.pop()
		if it.dist > t.dist[it.id] {
			continue // a stale entry: the vertex was settled cheaper
		}
		if target != nil && it.id == target.UID {
			break
		}
		for _, e := range v.forward(it.id) {
			next := v.far(e).UID
			if d := it.dist + e.Cost; d < t.dist[next] {
				t.dist[next] = d
				t.via[next] = e
				t.hops[next] = t.hops[it.id] + 1
				q.push(item{next, d})
			}
		}
	}
	return t
}

// Cost returns the cost of the cheapest path to x (from x, searched in
// reverse), +Inf when x is not reached.
func (t *Tree) Cost(x *graph.Vertex) float64 { return t.dist[x.UID] }

// Reached reports whether the search reached x.
func (t *Tree) Reached(x *graph.Vertex) bool { return !math.IsInf(t.dist[x.UID], 1) }

// Path returns the cheapest path to x (from x, searched in reverse), as
// steps in attack order; ok is false when x was not reached or is a start.
func (t *Tree) Path(x *graph.Vertex) (Path, bool) {
	if t.via[x.UID] == nil {
		return Path{}, false
	}
	p := Path{Cost: t.dist[x.UID]}
	for at := x; t.via[at.UID] != nil; {
		e := t.via[at.UID]
		p.Steps = append(p.Steps, e)
		at = t.v.near(e)
	}
	if !t.v.reverse {
		for i, j := 0, len(p.Steps)-1; i < j; i, j = i+1, j-1 {
			p.Steps[i], p.Steps[j] = p.Steps[j], p.Steps[i]
		}
	}
	return p, true
}

// depth returns the number of steps of the cheapest path to x.
func (t *Tree) depth(x *graph.Vertex) int { return int(t.hops[x.UID]) }

// fill writes the steps of the cheapest path to x into dst, which holds
// exactly depth(x) of them, in attack order.
func (t *Tree) fill(dst []*graph.Edge, x *graph.Vertex) {
	i, step := len(dst)-1, -1 // a forward tree walks back from the end
	if t.v.reverse {
		i, step = 0, 1 // a reversed tree walks from x towards the target
	}
	for e := t.via[x.UID]; e != nil; e = t.via[t.v.near(e).UID] {
		dst[i] = e
		i += step
	}
}

// end returns the last vertex of the cheapest path to x: the start it
// comes from (in a reversed tree, the target it leads to); x itself when x
// is a start.
func (t *Tree) end(x *graph.Vertex) *graph.Vertex {
	for e := t.via[x.UID]; e != nil; e = t.via[x.UID] {
		x = t.v.near(e)
	}
	return x
}

// each calls visit on x and on every vertex of its cheapest path, until
// visit returns false; it reports whether none did.
func (t *Tree) each(x *graph.Vertex, visit func(*graph.Vertex) bool) bool {
	if !visit(x) {
		return false
	}
	for e := t.via[x.UID]; e != nil; e = t.via[t.v.near(e).UID] {
		if !visit(t.v.near(e)) {
			return false
		}
	}
	return true
}

// queue is a binary min-heap of vertices by tentative distance, typed so
// that pushing does not allocate an interface per entry.
type item struct {
	id   int64
	dist float64
}

type queue []item

func (q item) less(o item) bool { return q.dist < o.dist || q.dist == o.dist && q.id < o.id }

func (q *queue) push(x item) {
	*q = append(*q, x)
	h := *q
	for i := len(h) - 1; i > 0; {
		p := (i - 1) / 2
		if !h[i].less(h[p]) {
			break
		}
		h[i], h[p] = h[p], h[i]
		i = p
	}
}

func (q *queue) pop() item {
	h := *q
	top := h[0]
	last := len(h) - 1
	h[0] = h[last]
	h = h[:last]
	for i := 0; ; {
		l, r, m := 2*i+1, 2*i+2, i
		if l < len(h) && h[l].less(h[m]) {
			m = l
		}
		if r < len(h) && h[r].less(h[m]) {
			m = r
		}
		if m == i {
			break
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
	*q = h
	return top
}
