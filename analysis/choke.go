package analysis

import (
	"cmp"
	"maps"
	"slices"

	"gonum.org/v1/gonum/graph/flow"

	"github.com/trustpath/trustpath/graph"
)

// ChokePoint is a vertex every path from the actors to some targets goes
// through: guarding it guards all of them.
type ChokePoint struct {
	Vertex  *graph.Vertex
	Targets []*graph.Vertex // sorted by key
}

// ChokePoints returns the vertices that dominate targets, given the actors:
// every path from any actor to such a target passes through them
// (Lengauer-Tarjan dominators from a virtual source joined to the actors).
// Actors, targets and transit vertices are left out; the result is sorted
// by the number of targets dominated, then key.
func ChokePoints(g *graph.Graph, actors []*graph.Vertex, targets []Target, skip func(*graph.Edge) bool) []ChokePoint {
	if len(actors) == 0 {
		return nil
	}
	v := newView(g, skip).withSources(actors)
	tree := flow.Dominators(v.Node(v.virtual), v)
	isActor := map[*graph.Vertex]bool{}
	for _, a := range actors {
		isActor[a] = true
	}
	dominated := map[*graph.Vertex][]*graph.Vertex{}
	for _, t := range targets {
		for d := tree.DominatorOf(t.Vertex.UID); d != nil && d.ID() != v.virtual; d = tree.DominatorOf(d.ID()) {
			x := g.VertexByID(d.ID())
			if x == nil || isActor[x] || x.Kind.IsSet() {
				continue
			}
			dominated[x] = append(dominated[x], t.Vertex)
		}
	}
	var out []ChokePoint
	for x, ts := range dominated {
		slices.SortFunc(ts, func(a, b *graph.Vertex) int { return cmp.Compare(a.Key, b.Key) })
		out = append(out, ChokePoint{Vertex: x, Targets: ts})
	}
	slices.SortFunc(out, func(a, b ChokePoint) int {
		return cmp.Or(cmp.Compare(len(b.Targets), len(a.Targets)), cmp.Compare(a.Vertex.Key, b.Vertex.Key))
	})
	return out
}

// Fix is a proposed control and its effect, verified by analysing the
// graph again without the edges the control would remove.
type Fix struct {
	Control string
	Remedy  Remedy
	Closes  int // findings of the analysis that disappear
	Remain  int // findings that remain after this and the fixes before it
}

// Fixes proposes up to n controls that close the most findings, greedily.
// Each round measures, by re-analysis with every edge lacking the control
// removed (on top of the fixes already chosen), the few controls missing on
// the most open findings, and keeps the one that closes most: a count can
// overstate, since another technique may cross the same boundary. Controls
// that would close nothing are not proposed. The re-analyses count
// findings without laying out their paths.
func Fixes(g *graph.Graph, o Options, base *Result, n int) []Fix {
	current := tally{findings: len(base.Findings), byKind: findingsByKind(base.Findings), base: base.base}
	for _, c := range base.Causes {
		current.causes = append(current.causes, causeTally{c.Control, len(c.Findings), c.Severity})
	}
	var out []Fix
	applied := map[string]bool{}
	lacking := edgesLacking(g)
	// A count's candidates are as many as the base's, tens of megabytes
	// in a large estate, and once a count is neither the base of the next
	// nor the analysis's own, its lists are written over by the next count
	// rather than left to the collector.
	var spare *baseline
	recycle := func(b *baseline) {
		if b != nil && b != base.base {
			spare = b
		}
	}
	for len(out) < n && current.findings > 0 {
		var best *Fix
		var bestAfter tally
		tried := 0
		for _, c := range current.causes {
			if applied[c.control] {
				continue
			}
			if tried == fixCandidates(g) {
				break
			}
			tried++
			// The edges each trial leaves out are marked from an index of
			// the controls: a skip function that compared every edge's
			// controls by name cost a map lookup per control per edge.
			drop := make([]bool, len(g.Edges()))
			for _, ctl := range append(slices.Collect(maps.Keys(applied)), c.control) {
				for _, e := range lacking[ctl] {
					drop[e] = true
				}
			}
			next := o
			next.Skip = orSkip(o.Skip, func(e *graph.Edge) bool { return drop[e.UID] })
			after := countFindings(g, next, current.byKind, current.base, spare)
			spare = nil // its lists are after's now
			closes := current.findings - after.findings
			if closes > 0 && (best == nil || closes > best.Closes) {
				best = &Fix{Control: c.control, Remedy: RemedyFor(c.control), Closes: closes, Remain: after.findings}
				recycle(bestAfter.base)
				bestAfter = after
			} else {
				recycle(after.base)
			}
		}
		if best == nil {
			break
		}
		applied[best.Control] = true
		out = append(out, *best)
		recycle(current.base)
		current = bestAfter
	}
	return out
}

// fixCandidates is how many controls a round of Fixes measures: five on
// graphs of up to 200,000 edges, then fewer as each measure grows, down to
// the leading cause alone past 500,000 edges.
func fixCandidates(g *graph.Graph) int {
	return max(1, min(5, 1_000_000/max(1, len(g.Edges()))))
}

// edgesLacking indexes g's edges by the controls they lack, by edge UID.
func edgesLacking(g *graph.Graph) map[string][]int32 {
	out := map[string][]int32{}
	for _, e := range g.Edges() {
		for _, m := range e.Missing {
			out[m] = append(out[m], int32(e.UID))
		}
	}
	return out
}

// WithControl returns a skip function that removes every edge a control
// would stop: those naming it as missing.
func WithControl(control string) func(*graph.Edge) bool {
	return missingAny(map[string]bool{control: true})
}

func missingAny(controls map[string]bool) func(*graph.Edge) bool {
	return func(e *graph.Edge) bool {
		for _, m := range e.Missing {
			if controls[m] {
				return true
			}
		}
		return false
	}
}

func orSkip(a, b func(*graph.Edge) bool) func(*graph.Edge) bool {
	if a == nil {
		return b
	}
	return func(e *graph.Edge) bool { return a(e) || b(e) }
}
