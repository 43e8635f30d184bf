package analysis

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/graph/path"

	"github.com/trustpath/trustpath/graph"
)

// Paths returns up to k cheapest loopless paths from one of from to to,
// with at most maxHops steps (0: no bound), cheapest first (Yen's
// algorithm over Dijkstra). Yen's cost grows quickly with k and path
// length, so callers bound both.
func Paths(g *graph.Graph, from []*graph.Vertex, to *graph.Vertex, k, maxHops int, skip func(*graph.Edge) bool) []Path {
	if k <= 0 || len(from) == 0 {
		return nil
	}
	v := newView(g, skip)
	src := from[0]
	var root = v.Node(src.UID)
	if len(from) > 1 {
		v = v.withSources(from)
		root = v.Node(v.virtual)
	}
	want := k
	if maxHops > 0 {
		want = 2 * k // some may be too long; ask for more and keep the short ones
	}
	var out []Path
	for _, nodes := range path.YenKShortestPaths(v, want, math.Inf(1), root, to) {
		var ids []int64
		for _, n := range nodes {
			if v.virtual < 0 || n.ID() != v.virtual {
				ids = append(ids, n.ID())
			}
		}
		if len(ids) < 2 || (maxHops > 0 && len(ids)-1 > maxHops) {
			continue
		}
		p := Path{}
		for i := 0; i+1 < len(ids); i++ {
			e := v.step(ids[i], ids[i+1])
			p.Steps = append(p.Steps, e)
			p.Cost += e.Cost
		}
		out = append(out, p)
	}
	slices.SortStableFunc(out, comparePaths)
	if len(out) > k {
		out = out[:k]
	}
	return out
}
