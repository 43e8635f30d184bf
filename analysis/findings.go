package analysis

import (
	"cmp"
	"math"
	"slices"
	"sync"

	"github.com/trustpath/trustpath/graph"
)

// Finding is an attack path that crosses a trust boundary where a control
// is missing, from an actor to a target.
type Finding struct {
	Actor    ActorKind
	Path     Path
	Crossing Crossing // the uncontrolled crossing the finding is about
	Target   Target
	Severity Severity
	Score    int // impact × ease
}

// ID names a finding stably: the actor, the crossing's ends and the target.
// Several techniques across one crossing make one finding, the cheapest.
func (f *Finding) ID() string {
	return f.Actor.String() + ": " + string(f.Crossing.From.Key) + " -> " + string(f.crossingEnd().Key) +
		" => " + string(f.Target.Vertex.Key)
}

func (f *Finding) crossingEnd() *graph.Vertex { return f.Path.Steps[f.Crossing.Step].T }

// Cause is the findings that one missing control lets through. Adding it
// closes those whose crossing only one technique takes; where several do
// (a privileged flag and a runtime socket), each of their controls is a
// cause and all are needed, which Fixes measures.
type Cause struct {
	Control  string
	Findings []*Finding // sorted, most severe first
	Severity Severity   // the worst of them
	Fix      Remedy
}

// Options narrow an analysis.
type Options struct {
	// Actors are the actor kinds to start from; empty means all.
	Actors []ActorKind
	// From, when set, replaces the actors' starting vertices (--from).
	From []*graph.Vertex
	// Targets are extra crown jewels (--target).
	Targets []*graph.Vertex
	// Only, when set, limits the targets to these vertices.
	Only []*graph.Vertex
	// MinBoundary is the narrowest boundary a finding may cross; zero
	// means the pod boundary.
	MinBoundary graph.Boundary
	// Skip leaves edges out, as a proposed fix would (--assume).
	Skip func(*graph.Edge) bool
}

// Result is an analysis: the findings, grouped by cause.
type Result struct {
	Findings []*Finding // most severe first
	Causes   []*Cause   // most severe first, then most findings
	Targets  []Target

	// base is what re-analyses of the same graph with more edges left
	// out (Fixes, Closes) reuse of this one.
	base *baseline
}

// Analyze finds, for every actor kind, the boundary crossings without a
// control that lie on some path from an actor to a target.
//
// It runs one multi-source cheapest-path search forward from each actor
// kind's vertices and one backward from each impact tier's targets, then
// checks every edge once: an edge whose source an actor reaches, whose
// destination reaches a target, and that crosses a boundary with a
// control missing, is a finding, with the cheapest path through it. Cost:
// (actor kinds + impact tiers) Dijkstra runs plus one pass over the edges,
// O(E log V) — never actors × targets. The actor kinds are independent and
// run in parallel.
func Analyze(g *graph.Graph, o Options) *Result {
	a := newAnalysis(g, o, nil)
	res := &Result{Targets: a.targets}
	kinds := a.run(true)
	for _, fs := range kinds {
		res.Findings = append(res.Findings, fs.findings...)
	}
	sortFindings(res.Findings)
	res.Causes = causes(res.Findings)
	res.base = a.baseline(kinds)
	return res
}

// analysis is what every actor kind's pass shares, read only.
type analysis struct {
	g       *graph.Graph
	o       Options
	v       *view
	targets []Target
	tiers   []tier
	// groups are the runs of parallel edges of the whole graph, whichever
	// this analysis leaves out (see group), shared by the analyses of one
	// graph; runs holds, by group, the index in g.Edges() where each starts.
	groups [][]*graph.Edge
	runs   []int32
	// ends holds, by group, the UIDs of the vertices it joins, and transit
	// marks, by UID, the transit vertices: the pass over a million groups
	// reads them in order rather than through the edges.
	ends    [][2]int32
	transit []bool
	// trimmed holds the groups that lose edges to o.Skip, without them
	// (empty when all go), marked by group in isTrimmed; nil when none do.
	trimmed   map[int32][]*graph.Edge
	isTrimmed []bool
	// hint is roughly how many findings each actor kind will have, when a
	// similar analysis has told: lists of millions are then sized once.
	hint map[ActorKind]int
	// reuse, when set, is an earlier analysis of g with fewer edges left
	// out, and what changed since.
	reuse *reuse
	// spare, when set, is an analysis no longer used: its lists of
	// candidates may be written over.
	spare *baseline
}

// tier is the targets of one impact, searched backward together: a
// finding names the highest-impact target its crossing leads to.
type tier struct {
	impact  Impact
	targets []Target
	target  []*Target // by vertex UID: the vertex's target entry, or nil
	tree    *Tree
}

// newAnalysis prepares an analysis of g; base, when set, is an earlier
// analysis whose searches and findings may be reused (see reuse).
func newAnalysis(g *graph.Graph, o Options, base *baseline) *analysis {
	if o.MinBoundary == graph.BoundaryNone {
		o.MinBoundary = graph.BoundaryPod
	}
	a := &analysis{g: g, o: o, v: newView(g, o.Skip)}
	if base != nil && base.g == g {
		a.groups, a.runs, a.ends = base.groups, base.runs, base.ends
	} else {
		a.groups, a.runs, a.ends = parallel(g.Edges())
	}
	a.transit = make([]bool, len(g.Vertices()))
	for _, x := range g.Vertices() {
		a.transit[x.UID] = x.Kind.IsTransit()
	}
	if a.v.dropped != nil {
		isDropped := func(e *graph.Edge) bool { return a.v.dropped[e.UID] }
		a.trimmed, a.isTrimmed = map[int32][]*graph.Edge{}, make([]bool, len(a.groups))
		for gi, group := range a.groups {
			if slices.ContainsFunc(group, isDropped) {
				a.trimmed[int32(gi)], a.isTrimmed[gi] = slices.DeleteFunc(slices.Clone(group), isDropped), true
			}
		}
	}
	a.targets = Targets(g, o.Targets)
	if o.Only != nil {
		a.targets = slices.DeleteFunc(a.targets, func(t Target) bool { return !slices.Contains(o.Only, t.Vertex) })
	}
	for _, t := range a.targets { // sorted by impact, highest first
		if len(a.tiers) == 0 || a.tiers[len(a.tiers)-1].impact != t.Impact {
			a.tiers = append(a.tiers, tier{impact: t.Impact})
		}
		last := &a.tiers[len(a.tiers)-1]
		last.targets = append(last.targets, t)
	}
	a.reuse = newReuse(a, base)
	changed := make([][]bool, len(a.tiers))
	var wg sync.WaitGroup
	for i := range a.tiers {
		wg.Go(func() {
			t := &a.tiers[i]
			t.target = make([]*Target, len(g.Vertices()))
			vs := make([]*graph.Vertex, len(t.targets))
			for j := range t.targets {
				t.target[t.targets[j].Vertex.UID] = &t.targets[j]
				vs[j] = t.targets[j].Vertex
			}
			if a.reuse == nil {
				t.tree = search(a.v.reversed(), vs)
				return
			}
			t.tree, changed[i] = a.reuse.tree(a.v.reversed(), vs, a.reuse.base.tiers[i])
		})
	}
	wg.Wait()
	if a.reuse != nil {
		a.reuse.tiersChanged(changed)
	}
	return a
}

// kindFindings are one actor kind's findings, what a re-analysis may
// reuse of its pass, and without the findings' paths (keep false), what
// a tally needs: the candidates in base, the index of each one's group,
// and which are no findings.
type kindFindings struct {
	kind     ActorKind
	findings []*Finding
	base     *kindBase
	groups   []int32
	drop     []bool
	dropped  int // how many drop marks
}

// run analyses every actor kind, in parallel, and returns their findings
// in kind order; keep false only counts them.
func (a *analysis) run(keep bool) []kindFindings {
	kinds := a.o.Actors
	if len(kinds) == 0 {
		kinds = []ActorKind{External, CompromisedContainer, MaliciousUser}
	}
	out := make([]kindFindings, len(kinds))
	var wg sync.WaitGroup
	for i, kind := range kinds {
		wg.Go(func() { out[i] = a.kind(kind, keep) })
	}
	wg.Wait()
	return out
}

// kind finds the findings of one actor kind.
func (a *analysis) kind(kind ActorKind, keep bool) kindFindings {
	starts := Actors(a.g, kind)
	if a.o.From != nil {
		starts = slices.DeleteFunc(slices.Clone(a.o.From), func(x *graph.Vertex) bool {
			k, ok := ActorOf(x)
			return !ok || k != kind
		})
	}
	out := kindFindings{kind: kind}
	if len(starts) == 0 {
		return out
	}
	var kr *kindReuse
	var fwd *Tree
	if a.reuse != nil && a.reuse.base.kinds[kind] != nil {
		kr = a.reuse.forKind(a.v, starts, a.reuse.base.kinds[kind])
		fwd = kr.fwd
	} else {
		fwd = search(a.v, starts)
	}
	en := entrances{}
	cands, groups := a.candidates(kind, fwd, en, kr)
	drop := a.merge(cands)
	out.base = &kindBase{fwd: fwd, en: en, cands: cands}
	out.groups, out.drop, out.dropped = groups, drop, count(drop)
	if !keep {
		return out
	}
	// A large estate has millions of findings, each with its steps: they
	// are laid out in a few large blocks rather than as millions of small
	// objects, which the collector would visit one by one for as long as
	// the analysis is kept.
	slab := make([]Finding, len(cands)-out.dropped)
	out.findings = make([]*Finding, 0, len(slab))
	var steps arena
	for i, c := range cands {
		if drop[i] {
			continue
		}
		t := &a.tiers[c.tier]
		cr, _ := crossingAt(fwd, en, a.group(groups[i]), a.o.MinBoundary)
		f := &slab[len(out.findings)]
		cr.finding(f, &steps, fwd, t.tree)
		f.Actor, f.Target = kind, *t.target[f.Path.To().UID]
		f.Severity, f.Score = severityOf(f.Target.Impact, f.Path.Cost)
		out.findings = append(out.findings, f)
	}
	return out
}

// cand is a crossing that reaches a target, before crossings that share
// their ends are merged: a finding, if it survives the merge. It names
// its group of edges by where the group's run starts in the graph's edge
// list, which does not change when other edges are left out, so that a
// re-analysis can take it over. It holds no pointers: there are millions.
type cand struct {
	run  int32 // index in g.Edges() of the first edge joining the crossing's ends
	from int32 // UID of the crossing's start
	in   int32 // UID of the edge into a transit vertex, or -1
	tier int8  // index in analysis.tiers of the target's impact
	sev  int8
	cost float64
}

// candidates returns the crossings of one actor kind that reach a target,
// in group order, and the index in a.groups of each one's group. With kr,
// a crossing that nothing it depends on changed for is taken over from
// the earlier analysis rather than worked out again.
func (a *analysis) candidates(kind ActorKind, fwd *Tree, en entrances, kr *kindReuse) ([]cand, []int32) {
	n := a.hint[kind] + a.hint[kind]/8
	var old []cand
	if kr != nil {
		old = kr.base.cands
		n = len(old) + len(old)/8
	}
	var cands []cand
	if kb := a.spare.kind(kind); kb != nil && cap(kb.cands) >= n {
		cands = kb.cands[:0]
	} else {
		cands = make([]cand, 0, n)
	}
	groups := make([]int32, 0, n)
	visits := newVisits(len(a.g.Vertices()))
	next := 0 // in old, which is in group order too
	for gi, ends := range a.ends {
		if a.transit[ends[1]] {
			continue
		}
		run := a.runs[gi]
		if kr != nil && !kr.affected(run, ends[0], ends[1], a.transit, en) {
			for next < len(old) && old[next].run < run {
				next++
			}
			if next < len(old) && old[next].run == run {
				cands, groups = append(cands, old[next]), append(groups, int32(gi))
			}
			continue
		}
		group := a.group(int32(gi))
		if len(group) == 0 {
			continue
		}
		c, ok := crossingAt(fwd, en, group, a.o.MinBoundary)
		if !ok {
			continue
		}
		to := group[0].T
		for ti := range a.tiers {
			t := &a.tiers[ti]
			if t.tree.via[to.UID] == nil && t.target[to.UID] == nil {
				continue // this tier is not reached from here
			}
			if !visits.loopless(fwd, c, t.tree) {
				break // it would pass a vertex twice: a detour, not an attack
			}
			cost := c.cost(fwd, t.tree)
			sev, _ := severityOf(t.impact, cost)
			in := int32(-1)
			if c.in != nil {
				in = int32(c.in.UID)
			}
			cands = append(cands, cand{run: run, from: int32(c.from.UID), in: in, tier: int8(ti), sev: int8(sev), cost: cost})
			groups = append(groups, int32(gi))
			break
		}
	}
	return cands, groups
}

// merge marks the candidates that are not findings. A finding is its
// actor kind, crossing and target; the target follows from the
// crossing's end, so within one kind the crossing's two ends name it. A
// crossing straight along a group of edges is the only one between its
// ends; one through a transit vertex may share its ends with another
// through a transit vertex, or with a straight one: of those, the
// cheapest is the finding, the first in edge order on a tie.
func (a *analysis) merge(cands []cand) []bool {
	drop := make([]bool, len(cands))
	edges := a.g.Edges()
	through := map[[2]int32]int{} // crossings through a transit vertex → index in cands
	for i, c := range cands {
		if c.in < 0 {
			continue
		}
		id := [2]int32{c.from, int32(edges[c.run].T.UID)}
		if j, dup := through[id]; dup {
			if c.cost >= cands[j].cost {
				drop[i] = true
				continue
			}
			drop[j] = true
		}
		through[id] = i
	}
	// The straight crossing with the same ends is the group from→to, if it
	// made a candidate.
	for id, i := range through {
		gi, ok := a.groupOf(int64(id[0]), int64(id[1]))
		if !ok {
			continue
		}
		j, ok := slices.BinarySearchFunc(cands, a.runs[gi], func(c cand, run int32) int { return cmp.Compare(c.run, run) })
		if !ok || cands[j].in >= 0 {
			continue
		}
		if cands[i].cost < cands[j].cost || cands[i].cost == cands[j].cost && cands[i].run < cands[j].run {
			drop[j] = true
		} else {
			drop[i] = true
		}
	}
	return drop
}

// group returns the edges of group gi that the analysis keeps.
func (a *analysis) group(gi int32) []*graph.Edge {
	if a.isTrimmed != nil && a.isTrimmed[gi] {
		return a.trimmed[gi]
	}
	return a.groups[gi]
}

// groupOf returns the index of the group of edges from→to (by vertex
// UIDs), if any.
func (a *analysis) groupOf(from, to int64) (int, bool) {
	return slices.BinarySearchFunc(a.groups, [2]int64{from, to}, func(g []*graph.Edge, k [2]int64) int {
		return cmp.Or(cmp.Compare(g[0].F.UID, k[0]), cmp.Compare(g[0].T.UID, k[1]))
	})
}

// entrances are, per transit vertex, the cheapest edges into it from
// vertices an actor reaches, at most one per namespace and a few in all:
// what an edge out of the transit vertex is measured from. Computed once
// per transit vertex and search, so an edge out of a hub costs O(1), not
// O(in-degree).
type entrances map[int64][]*graph.Edge

const maxEntrances = 4

func (en entrances) of(fwd *Tree, hub *graph.Vertex) []*graph.Edge {
	if got, ok := en[hub.UID]; ok {
		return got
	}
	var all []*graph.Edge
	for _, x := range fwd.v.backward(hub.UID) {
		if fwd.Reached(fwd.v.near(x)) {
			all = append(all, x)
		}
	}
	cost := func(x *graph.Edge) float64 { return fwd.Cost(fwd.v.near(x)) + x.Cost }
	slices.SortFunc(all, func(a, b *graph.Edge) int {
		return cmp.Or(cmp.Compare(cost(a), cost(b)), cmp.Compare(a.F.Key, b.F.Key))
	})
	var out []*graph.Edge
	seen := map[string]bool{}
	for _, x := range all {
		ns := x.F.Loc.Cluster + "/" + x.F.Loc.Namespace
		if seen[ns] {
			continue
		}
		seen[ns] = true
		out = append(out, x)
		if len(out) == maxEntrances {
			break
		}
	}
	en[hub.UID] = out
	return out
}

// crossing is an uncontrolled boundary crossing an actor reaches: the
// edge e across it, and when e leaves a transit vertex, the edge in that
// enters the transit vertex from the crossing's real start.
type crossing struct {
	from     *graph.Vertex
	in, e    *graph.Edge
	boundary graph.Boundary
	missing  []string
}

// crossingAt returns the crossing at a group of parallel edges, if it
// crosses a boundary at or beyond min without a control and an actor
// reaches its start. For an edge out of a transit vertex, the crossing
// starts at the real vertex before it: among the cheapest entrances, one
// from another namespace than e's end if there is one (the wider
// crossing), else the cheapest.
func crossingAt(fwd *Tree, en entrances, group []*graph.Edge, min graph.Boundary) (crossing, bool) {
	e := group[0] // the cheapest technique across; the group shares its ends
	for _, x := range group {
		if x.Cost < e.Cost {
			e = x
		}
	}
	var in *graph.Edge
	from := e.F
	if e.F.Kind.IsTransit() {
		for _, x := range en.of(fwd, e.F) {
			src := fwd.v.near(x)
			if src == e.T {
				continue
			}
			if in == nil {
				in = x
			}
			if src.Loc.Namespace != e.T.Loc.Namespace {
				in = x
				break
			}
		}
		if in == nil {
			return crossing{}, false
		}
		from = in.F
	} else if !fwd.Reached(e.F) {
		return crossing{}, false
	}
	b := graph.Cross(from.Loc, e.T.Loc)
	if b < min {
		return crossing{}, false
	}
	missing := missingOn(group, in)
	if len(missing) == 0 {
		return crossing{}, false
	}
	return crossing{from: from, in: in, e: e, boundary: b, missing: missing}, true
}

// missingOn returns the controls missing on a crossing, sorted. Every
// technique across it is a way through; closing it takes the controls of
// all of them, so the finding names them all. Most crossings are one edge,
// whose list the graph keeps sorted: that one is shared, not copied.
func missingOn(group []*graph.Edge, in *graph.Edge) []string {
	if len(group) == 1 && (in == nil || len(in.Missing) == 0) {
		return group[0].Missing
	}
	var missing []string
	for _, x := range group {
		missing = append(missing, x.Missing...)
	}
	if in != nil {
		missing = append(missing, in.Missing...)
	}
	slices.Sort(missing)
	return slices.Compact(missing)
}

// cost is the cost of the crossing's finding: see finding.
func (c crossing) cost(fwd, back *Tree) float64 {
	cost := fwd.Cost(c.from) + c.e.Cost + back.Cost(c.e.T)
	if c.in != nil {
		cost += c.in.Cost
	}
	return cost
}

// finding sets f to the crossing's finding: the cheapest path from an
// actor to its start, through it, and on along back, the cheapest path
// from its end to a target. The steps are taken from steps.
func (c crossing) finding(f *Finding, steps *arena, fwd, back *Tree) {
	head, tail := fwd.depth(c.from), back.depth(c.e.T)
	step := head
	if c.in != nil {
		step++
	}
	path := steps.take(step + 1 + tail)
	fwd.fill(path[:head], c.from)
	if c.in != nil {
		path[head] = c.in
	}
	path[step] = c.e
	back.fill(path[step+1:], c.e.T)
	*f = Finding{Path: Path{Steps: path, Cost: c.cost(fwd, back)},
		Crossing: Crossing{Step: step, Boundary: c.boundary, From: c.from, Missing: c.missing}}
}

// arena hands out the steps of many paths from a few large blocks.
type arena []*graph.Edge

const arenaBlock = 1 << 16

// take returns n steps, capped so that appending to them copies.
func (a *arena) take(n int) []*graph.Edge {
	if n > len(*a) {
		*a = make([]*graph.Edge, max(n, arenaBlock))
	}
	out := (*a)[:n:n]
	*a = (*a)[n:]
	return out
}

func count(xs []bool) int {
	n := 0
	for _, x := range xs {
		if x {
			n++
		}
	}
	return n
}

// parallel splits edges, sorted by (from, to, technique) as the graph keeps
// them, into runs that join the same two vertices, sharing the graph's
// slice, and returns with each run the index in edges where it starts and
// the UIDs of the two vertices.
func parallel(edges []*graph.Edge) ([][]*graph.Edge, []int32, [][2]int32) {
	// Most runs are one edge: sized once, the lists are not regrown.
	out, starts, ends := make([][]*graph.Edge, 0, len(edges)), make([]int32, 0, len(edges)), make([][2]int32, 0, len(edges))
	for i := 0; i < len(edges); {
		j := i + 1
		for j < len(edges) && edges[j].F == edges[i].F && edges[j].T == edges[i].T {
			j++
		}
		out = append(out, edges[i:j:j])
		starts = append(starts, int32(i))
		ends = append(ends, [2]int32{int32(edges[i].F.UID), int32(edges[i].T.UID)})
		i = j
	}
	return out, starts, ends
}

// visits checks findings' paths for loops without allocating, by vertex
// UID: the path from the actors to a crossing's start is marked once for
// each start, and the rest of the path is checked against it. Each part
// is a path of a cheapest-path tree, which visits no vertex twice.
type visits struct {
	mark []uint32 // the stamp of the start whose path visits each vertex
	from *graph.Vertex
	// stamp numbers the starts marked so far.
	stamp uint32
}

func newVisits(n int) *visits { return &visits{mark: make([]uint32, n)} }

// loopless reports whether the path of crossing c, from an actor along
// fwd and on to a target along back, visits no vertex twice.
func (vs *visits) loopless(fwd *Tree, c crossing, back *Tree) bool {
	if c.from != vs.from {
		vs.from = c.from
		vs.stamp++
		fwd.each(c.from, func(x *graph.Vertex) bool {
			vs.mark[x.UID] = vs.stamp
			return true
		})
	}
	var hub *graph.Vertex
	if c.in != nil {
		hub = c.in.T
		if vs.mark[hub.UID] == vs.stamp {
			return false
		}
	}
	return back.each(c.e.T, func(x *graph.Vertex) bool { return x != hub && vs.mark[x.UID] != vs.stamp })
}

// sortFindings orders findings most severe first: by score, then impact,
// then the cheaper path, then as their IDs would sort. Millions of findings
// tie on the first three, so the IDs are compared by vertex UIDs, which
// follow sorted keys (and the actor by its name's rank), packed into one
// word of a compact copy of the sort keys rather than by chasing pointers.
// The two halves are sorted in parallel and merged.
func sortFindings(fs []*Finding) {
	type sortKey struct {
		score, impact int32
		cost          float64
		id            uint64 // actor rank, crossing start, crossing end, target: 4+20+20+20 bits
		f             *Finding
	}
	keys := make([]sortKey, len(fs))
	for i, f := range fs {
		from, end, target := uint64(f.Crossing.From.UID), uint64(f.crossingEnd().UID), uint64(f.Target.Vertex.UID)
		if max(from, end, target) >= 1<<20 || f.Score > math.MaxInt32 || f.Score < math.MinInt32 {
			sortFindingsSlow(fs)
			return
		}
		keys[i] = sortKey{int32(f.Score), int32(f.Target.Impact), f.Path.Cost,
			uint64(actorRank[f.Actor])<<60 | from<<40 | end<<20 | target, f}
	}
	compare := func(a, b sortKey) int {
		return cmp.Or(cmp.Compare(b.score, a.score), cmp.Compare(b.impact, a.impact), cmp.Compare(a.cost, b.cost),
			cmp.Compare(a.id, b.id))
	}
	left, right := keys[:len(keys)/2], keys[len(keys)/2:]
	var wg sync.WaitGroup
	wg.Go(func() { slices.SortFunc(left, compare) })
	slices.SortFunc(right, compare)
	wg.Wait()
	// No two findings have the same ID, so the merge has no ties to break.
	for i := range fs {
		if len(right) == 0 || len(left) > 0 && compare(left[0], right[0]) < 0 {
			fs[i], left = left[0].f, left[1:]
		} else {
			fs[i], right = right[0].f, right[1:]
		}
	}
}

// sortFindingsSlow is sortFindings for graphs too large to pack a
// finding's ID into a word.
func sortFindingsSlow(fs []*Finding) {
	slices.SortFunc(fs, func(a, b *Finding) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(b.Target.Impact, a.Target.Impact), cmp.Compare(a.Path.Cost, b.Path.Cost),
			cmp.Compare(actorRank[a.Actor], actorRank[b.Actor]), cmp.Compare(a.Crossing.From.UID, b.Crossing.From.UID),
			cmp.Compare(a.crossingEnd().UID, b.crossingEnd().UID), cmp.Compare(a.Target.Vertex.UID, b.Target.Vertex.UID))
	})
}

// actorRank orders actor kinds by name, as finding IDs begin with it.
var actorRank = func() (rank [len(actorNames)]int) {
	for a := range actorNames {
		for b := range actorNames {
			if actorNames[b] < actorNames[a] {
				rank[a]++
			}
		}
	}
	return rank
}()

// compareCauses orders causes most severe first, then by most findings.
func compareCauses(sa, sb Severity, na, nb int, ca, cb string) int {
	return cmp.Or(cmp.Compare(sb, sa), cmp.Compare(nb, na), cmp.Compare(ca, cb))
}

// causes groups findings by missing control. A crossing with two missing
// controls (no egress policy here, no ingress policy there) belongs to
// both: adding either closes it.
func causes(findings []*Finding) []*Cause {
	byControl := map[string]*Cause{}
	for _, f := range findings {
		for _, c := range f.Crossing.Missing {
			cause := byControl[c]
			if cause == nil {
				cause = &Cause{Control: c, Fix: RemedyFor(c)}
				byControl[c] = cause
			}
			cause.Findings = append(cause.Findings, f)
			cause.Severity = max(cause.Severity, f.Severity)
		}
	}
	out := make([]*Cause, 0, len(byControl))
	for _, c := range byControl {
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b *Cause) int {
		return compareCauses(a.Severity, b.Severity, len(a.Findings), len(b.Findings), a.Control, b.Control)
	})
	return out
}
