package graph

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"sync"
)

// ErrDuplicateKey is returned when a vertex key is added twice.
var ErrDuplicateKey = errors.New("duplicate vertex key")

// ErrNoVertex is returned when an edge names a vertex that was never added.
var ErrNoVertex = errors.New("no such vertex")

// Builder collects vertices and edges in any order and builds a Graph whose
// IDs follow sorted keys. The zero value is not usable; call NewBuilder.
type Builder struct {
	// parent is the builder a fork adds to, whose vertices it sees.
	parent   *Builder
	vertices map[Key]*Vertex
	// edges are kept in the order added, the same step found again too:
	// Build merges them once they are sorted, which costs less than
	// looking each one up in a map of every edge as it comes.
	edges []*Edge
	slab  []Edge // where the next edges are stored: see newEdge
}

// slabSize is how many edges are allocated at once: a million edges
// allocated one by one cost the allocator and the collector more.
const slabSize = 1024

// NewBuilder returns an empty Builder.
func NewBuilder() *Builder {
	return &Builder{vertices: map[Key]*Vertex{}}
}

// Fork returns a builder that sees b's vertices and collects vertices and
// edges of its own, for Join to add to b. Forks of one builder may be
// filled at once, one goroutine each, as long as b does not change until
// they are joined. A fork is never built.
func (b *Builder) Fork() *Builder {
	return &Builder{parent: b, vertices: map[Key]*Vertex{}}
}

// Join adds what the fork f holds to b, its edges after b's: joining forks
// in a fixed order gives the graph that filling b in that order would.
// f must not be used afterwards. Join panics when f holds a key b holds:
// forks filled at once must add vertices of different keys, since neither
// sees the other's.
func (b *Builder) Join(f *Builder) {
	if f.parent != b {
		panic("graph: Join of a builder that is not a fork of this one")
	}
	for k, v := range f.vertices {
		if b.vertices[k] != nil {
			panic(fmt.Sprintf("graph: Join: %v: %s", ErrDuplicateKey, k))
		}
		b.vertices[k] = v
	}
	b.edges = append(b.edges, f.edges...)
	f.vertices, f.edges, f.slab = nil, nil, nil
}

// AddVertex adds v. A key added twice returns an error wrapping ErrDuplicateKey
// and leaves the first vertex in place.
func (b *Builder) AddVertex(v *Vertex) error {
	if b.Vertex(v.Key) != nil {
		return fmt.Errorf("%w: %s", ErrDuplicateKey, v.Key)
	}
	b.vertices[v.Key] = v
	return nil
}

// Vertex returns the vertex with key k, or nil.
func (b *Builder) Vertex(k Key) *Vertex {
	// A fork's own vertices are few and its parent's many: the parent is
	// asked first, and a key is never in both.
	if b.parent != nil {
		if v := b.parent.Vertex(k); v != nil {
			return v
		}
	}
	return b.vertices[k]
}

// AddEdge adds the step e from one key to another. e's endpoints, UID and
// Boundary are set here; a zero Cost takes the technique's default. The same
// technique between the same pair merges into one edge whose evidence and
// controls are the union.
//
// The edge keeps e's lists rather than copies: the caller must not change
// them afterwards, but may share one list between several edges, since the
// builder never changes a list it is given.
func (b *Builder) AddEdge(from, to Key, e Edge) error {
	f, t := b.Vertex(from), b.Vertex(to)
	if f == nil {
		return fmt.Errorf("edge %s -> %s: %w: %s", from, to, ErrNoVertex, from)
	}
	if t == nil {
		return fmt.Errorf("edge %s -> %s: %w: %s", from, to, ErrNoVertex, to)
	}
	b.AddEdgeBetween(f, t, e)
	return nil
}

// AddEdgeBetween is AddEdge for two vertices the caller holds, as Vertex
// returned them: it saves looking their keys up, which is much of what
// adding an edge costs. f and t must be vertices of b, or of the builder
// b is a fork of.
func (b *Builder) AddEdgeBetween(f, t *Vertex, e Edge) {
	e.F, e.T = f, t
	e.Boundary = Cross(f.Loc, t.Loc)
	if e.Cost == 0 {
		e.Cost = e.Technique.DefaultCost()
	}
	// Normalised now, while its lists are at hand and by the stage that
	// adds it, Build has only the merged edges left to normalise.
	e.normalize()
	b.edges = append(b.edges, b.newEdge(&e))
}

// newEdge returns a copy of e stored in the current slab of edges.
func (b *Builder) newEdge(e *Edge) *Edge {
	if len(b.slab) == cap(b.slab) {
		b.slab = make([]Edge, 0, slabSize)
	}
	b.slab = append(b.slab, *e)
	return &b.slab[len(b.slab)-1]
}

// Build returns the graph. The Builder must not be used afterwards. It
// panics on a fork, which holds only part of a graph: see Join.
func (b *Builder) Build() *Graph {
	if b.parent != nil {
		panic("graph: Build of a fork")
	}
	g := &Graph{
		byKey: b.vertices,
	}
	g.vertices = make([]*Vertex, 0, len(b.vertices))
	for _, v := range b.vertices {
		g.vertices = append(g.vertices, v)
	}
	slices.SortFunc(g.vertices, func(a, b *Vertex) int { return cmp.Compare(a.Key, b.Key) })
	g.members = map[Key][]*Vertex{}
	for i, v := range g.vertices {
		v.UID = int64(i)
		if v.Kind == KindContainer && v.Loc.Pod != "" {
			g.members[v.Loc.Pod] = append(g.members[v.Loc.Pod], v)
		}
		if c := v.Loc.Cluster; c != "" && !slices.Contains(g.clusters, c) {
			g.clusters = append(g.clusters, c)
		}
	}
	slices.Sort(g.clusters)
	g.edges = sortEdges(b.edges, len(g.vertices))
	// Each vertex's out-edges are a run of the sorted edges; its in-edges
	// are gathered into lists sized beforehand.
	g.out = make([][]*Edge, len(g.vertices))
	g.in = make([][]*Edge, len(g.vertices))
	indegree := make([]int, len(g.vertices))
	for i, e := range g.edges {
		e.UID = int64(i)
		indegree[e.T.UID]++
	}
	for i := 0; i < len(g.edges); {
		j := i + 1
		for j < len(g.edges) && g.edges[j].F == g.edges[i].F {
			j++
		}
		g.out[g.edges[i].F.UID] = g.edges[i:j:j]
		i = j
	}
	for id, n := range indegree {
		if n > 0 {
			g.in[id] = make([]*Edge, 0, n)
		}
	}
	for _, e := range g.edges {
		g.in[e.T.UID] = append(g.in[e.T.UID], e)
	}
	b.vertices, b.edges, b.slab = nil, nil, nil
	return g
}

// sortEdges merges the edges of one step, normalises what it merged, and
// orders the edges by (from, to, technique). Vertex UIDs follow sorted
// keys, so ordering by UIDs is ordering by keys: the edges are bucketed by
// their source's UID, then each bucket, most of them short, is sorted by
// destination and technique. Both keep the order edges were added in among
// those of one step, so the first one added merges the others in turn, as
// it would have had each been merged as it came.
func sortEdges(edges []*Edge, vertices int) []*Edge {
	start := make([]int, vertices+1)
	for _, e := range edges {
		start[e.F.UID+1]++
	}
	for i := 1; i <= vertices; i++ {
		start[i] += start[i-1]
	}
	out := make([]*Edge, len(edges))
	next := slices.Clone(start[:vertices])
	for _, e := range edges {
		out[next[e.F.UID]] = e
		next[e.F.UID]++
	}
	// The buckets are sorted and merged in two halves at once, each
	// written back over its own part of out, then the second half is moved
	// up to the first's end: the same edges in the same order as one pass.
	mid, _ := slices.BinarySearch(start, len(edges)/2)
	mid = min(mid, vertices)
	var n2 int
	var wg sync.WaitGroup
	wg.Go(func() { n2 = mergeBuckets(out, start, mid, vertices) })
	n := mergeBuckets(out, start, 0, mid)
	wg.Wait()
	n += copy(out[n:], out[start[mid]:start[mid]+n2])
	clear(out[n:])
	return out[:n:n]
}

// mergeBuckets sorts the buckets of vertices lo to hi-1, merges the edges
// of one step and writes the edges left from out[start[lo]] on, returning
// how many there are: the write index never passes the read index.
func mergeBuckets(out []*Edge, start []int, lo, hi int) int {
	n := start[lo]
	for i := lo; i < hi; i++ {
		bucket := out[start[i]:start[i+1]]
		if len(bucket) > 1 {
			slices.SortStableFunc(bucket, func(a, b *Edge) int {
				return cmp.Or(cmp.Compare(a.T.UID, b.T.UID), cmp.Compare(a.Technique, b.Technique))
			})
		}
		for j := 0; j < len(bucket); {
			e, merged := bucket[j], false
			for j++; j < len(bucket) && bucket[j].T == e.T && bucket[j].Technique == e.Technique; j++ {
				e.merge(bucket[j])
				merged = true
			}
			if merged {
				e.normalize()
			}
			out[n] = e
			n++
		}
	}
	return n - start[lo]
}
