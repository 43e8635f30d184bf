package analysis

import (
	"slices"

	"github.com/trustpath/trustpath/graph"
)

// Measuring a fix or a choke point re-analyses the graph with a few
// thousand of its million edges left out, and most of what the analysis
// found does not depend on them. A re-analysis therefore starts from an
// earlier analysis of the same graph and scope with fewer edges left out
// (its baseline): it keeps every cheapest-path tree none of whose edges
// is now left out, and every crossing whose group of edges, cheapest
// paths from the actors and to the targets are all unchanged, and works
// out only the rest. Its findings are those a fresh analysis would find;
// the tests compare the two.

// baseline is what an analysis leaves for re-analyses: its cheapest-path
// trees and, per actor kind, its crossings before they were merged.
type baseline struct {
	g       *graph.Graph
	groups  [][]*graph.Edge // analysis.groups, runs and ends, the same for every analysis of g
	runs    []int32
	ends    [][2]int32
	o       Options // normalized as newAnalysis does
	dropped []bool  // by edge UID, the edges left out; nil when none
	tiers   []*Tree // by tier
	kinds   map[ActorKind]*kindBase
}

// kindBase is what one actor kind's pass leaves for re-analyses.
type kindBase struct {
	fwd   *Tree
	en    entrances
	cands []cand // in group order
}

// baseline returns what a re-analysis may reuse of a, given its passes.
func (a *analysis) baseline(kinds []kindFindings) *baseline {
	b := &baseline{g: a.g, groups: a.groups, runs: a.runs, ends: a.ends, o: a.o, dropped: a.v.dropped, kinds: map[ActorKind]*kindBase{}}
	for _, t := range a.tiers {
		b.tiers = append(b.tiers, t.tree)
	}
	for _, k := range kinds {
		if k.base != nil {
			b.kinds[k.kind] = k.base
		}
	}
	return b
}

// kind returns what the pass of one actor kind left, or nil; b may be nil.
func (b *baseline) kind(k ActorKind) *kindBase {
	if b == nil {
		return nil
	}
	return b.kinds[k]
}

// reuse is a baseline and how the analysis reusing it differs from it.
type reuse struct {
	base *baseline
	// newly marks, by edge UID, the edges left out now but not in the
	// baseline; nil when there are none.
	newly []bool
	// touched marks, by index in g.Edges(), the start of each run of
	// parallel edges that lost an edge; nil when none did.
	touched []bool
	// tierChanged marks, by vertex UID, the vertices whose cheapest path
	// to some tier's targets changed; nil when none did.
	tierChanged []bool
}

// newReuse returns how a may reuse base, or nil when it cannot: base is
// nil, of another graph or scope, or keeps out an edge a keeps.
func newReuse(a *analysis, base *baseline) *reuse {
	if base == nil || base.g != a.g || !sameScope(base.o, a.o) || len(base.tiers) != len(a.tiers) {
		return nil
	}
	r := &reuse{base: base}
	edges := a.g.Edges()
	for i, e := range edges {
		was := base.dropped != nil && base.dropped[i]
		now := a.v.dropped != nil && a.v.dropped[i]
		if was && !now {
			return nil
		}
		if !now || was {
			continue
		}
		if r.newly == nil {
			r.newly, r.touched = make([]bool, len(edges)), make([]bool, len(edges))
		}
		r.newly[i] = true
		s := i
		for s > 0 && edges[s-1].F == e.F && edges[s-1].T == e.T {
			s--
		}
		r.touched[s] = true
	}
	return r
}

// sameScope reports whether two analyses' options differ at most in the
// edges they leave out.
func sameScope(a, b Options) bool {
	return slices.Equal(a.Actors, b.Actors) && (a.From == nil) == (b.From == nil) && slices.Equal(a.From, b.From) &&
		slices.Equal(a.Targets, b.Targets) && (a.Only == nil) == (b.Only == nil) && slices.Equal(a.Only, b.Only) &&
		a.MinBoundary == b.MinBoundary
}

// tree returns the cheapest-path tree from starts over v, where base is
// the baseline's tree from the same starts, and the vertices whose
// cheapest path differs from base's (nil when none does).
//
// When none of base's edges is newly left out, base is the tree: search
// settles vertices by (cost, UID), relaxes each one's edges in adjacency
// order and keeps, for each vertex, the first edge that reaches it at its
// final cost. Leaving out edges no vertex keeps changes no cost, and so
// neither the order vertices settle in nor which edge reaches each first.
func (r *reuse) tree(v *view, starts []*graph.Vertex, base *Tree) (*Tree, []bool) {
	if r.newly == nil || !slices.ContainsFunc(base.via, func(e *graph.Edge) bool { return e != nil && r.newly[e.UID] }) {
		return &Tree{v: v, dist: base.dist, via: base.via, hops: base.hops}, nil
	}
	t := search(v, starts)
	return t, changedPaths(base, t)
}

// changedPaths marks, by vertex UID, the vertices whose cheapest path in
// now differs from that in then: in cost, or in any edge.
func changedPaths(then, now *Tree) []bool {
	n := len(now.dist)
	changed, known := make([]bool, n), make([]bool, n)
	var stack []int64
	for x := range int64(n) {
		stack = stack[:0]
		y := x
		for !known[y] {
			if then.via[y] != now.via[y] || then.dist[y] != now.dist[y] {
				changed[y], known[y] = true, true
				break
			}
			e := now.via[y]
			if e == nil { // a start, or not reached, in both
				known[y] = true
				break
			}
			stack = append(stack, y)
			y = now.v.near(e).UID
		}
		for _, z := range stack {
			changed[z], known[z] = changed[y], true
		}
	}
	return changed
}

// tiersChanged records the vertices whose path to any tier changed, from
// each tier's tree's changes.
func (r *reuse) tiersChanged(changed [][]bool) {
	for _, ch := range changed {
		if ch == nil {
			continue
		}
		if r.tierChanged == nil {
			r.tierChanged = make([]bool, len(ch))
		}
		for i, c := range ch {
			r.tierChanged[i] = r.tierChanged[i] || c
		}
	}
}

// kindReuse is what one actor kind's pass reuses.
type kindReuse struct {
	*reuse
	base       *kindBase
	fwd        *Tree
	fwdChanged []bool // by vertex UID; nil when no path from the actors changed
	// hubs says, per transit vertex, whether a crossing out of it may
	// differ: its entrances, or the paths to them, changed.
	hubs map[int64]bool
}

func (r *reuse) forKind(v *view, starts []*graph.Vertex, kb *kindBase) *kindReuse {
	fwd, changed := r.tree(v, starts, kb.fwd)
	return &kindReuse{reuse: r, base: kb, fwd: fwd, fwdChanged: changed, hubs: map[int64]bool{}}
}

// affected reports whether the crossing at the group from→to (by vertex
// UIDs), whose run of edges starts at run, may differ from the baseline's:
// the group lost an edge, or the cheapest path to its start or from its
// end changed. A crossing out of a transit vertex starts at one of its
// entrances.
func (kr *kindReuse) affected(run, from, to int32, transit []bool, en entrances) bool {
	if kr.touched != nil && kr.touched[run] || kr.tierChanged != nil && kr.tierChanged[to] {
		return true
	}
	if !transit[from] {
		return kr.fwdChanged != nil && kr.fwdChanged[from]
	}
	changed, ok := kr.hubs[int64(from)]
	if !ok {
		hub := kr.fwd.v.g.VertexByID(int64(from))
		now := en.of(kr.fwd, hub)
		then, known := kr.base.en[hub.UID]
		changed = !known || !slices.Equal(now, then) ||
			kr.fwdChanged != nil && slices.ContainsFunc(now, func(x *graph.Edge) bool { return kr.fwdChanged[x.F.UID] })
		kr.hubs[hub.UID] = changed
	}
	return changed
}

// Reach returns the cheapest paths from every actor of kind, the tree
// Search finds from them with the analysis's Skip, when the analysis
// searched from all of them; nil otherwise (kind not analysed, or From
// set). The tree must not be modified.
func (r *Result) Reach(kind ActorKind) *Tree {
	if r.base == nil || r.base.o.From != nil || r.base.kinds[kind] == nil {
		return nil
	}
	return r.base.kinds[kind].fwd
}
