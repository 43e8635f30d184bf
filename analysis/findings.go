package analysis

import (
	"cmp"
	"slices"
	"strings"

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

	id string // ID, computed once: findings are sorted and matched by it
}

// ID names a finding stably: the actor, the crossing's ends and the target.
// Several techniques across one crossing make one finding, the cheapest.
func (f Finding) ID() string {
	if f.id != "" {
		return f.id
	}
	return f.makeID()
}

func (f Finding) makeID() string {
	step := f.Path.Steps[f.Crossing.Step]
	return f.Actor.String() + ": " + string(f.Crossing.From.Key) + " -> " + string(step.T.Key) +
		" => " + string(f.Target.Vertex.Key)
}

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
// O(E log V) — never actors × targets.
func Analyze(g *graph.Graph, o Options) *Result {
	if o.MinBoundary == graph.BoundaryNone {
		o.MinBoundary = graph.BoundaryPod
	}
	targets := Targets(g, o.Targets)
	if o.Only != nil {
		targets = slices.DeleteFunc(targets, func(t Target) bool { return !slices.Contains(o.Only, t.Vertex) })
	}
	res := &Result{Targets: targets}
	v := newView(g, o.Skip)

	// Backward search per impact tier, highest first: a finding names the
	// highest-impact target its crossing leads to.
	type tier struct {
		impact Impact
		byKey  map[*graph.Vertex]Target
		tree   *Tree
	}
	var tiers []tier
	for _, t := range targets {
		if len(tiers) == 0 || tiers[len(tiers)-1].impact != t.Impact {
			tiers = append(tiers, tier{impact: t.Impact, byKey: map[*graph.Vertex]Target{}})
		}
		tiers[len(tiers)-1].byKey[t.Vertex] = t
	}
	for i := range tiers {
		var vs []*graph.Vertex
		for _, t := range targets {
			if t.Impact == tiers[i].impact {
				vs = append(vs, t.Vertex)
			}
		}
		tiers[i].tree = search(v.reversed(), vs)
	}

	kinds := o.Actors
	if len(kinds) == 0 {
		kinds = []ActorKind{External, CompromisedContainer, MaliciousUser}
	}
	seen := map[string]int{} // finding ID → index in res.Findings
	groups := parallel(g.Edges(), o.Skip)
	for _, kind := range kinds {
		starts := Actors(g, kind)
		if o.From != nil {
			starts = slices.DeleteFunc(slices.Clone(o.From), func(x *graph.Vertex) bool {
				a, ok := ActorOf(x)
				return !ok || a != kind
			})
		}
		if len(starts) == 0 {
			continue
		}
		fwd := search(v, starts)
		en := entrances{}
		for _, group := range groups {
			if group[0].T.Kind.IsTransit() {
				continue
			}
			f := crossingFinding(fwd, en, group, o.MinBoundary)
			if f == nil {
				continue
			}
			for _, t := range tiers {
				to := group[0].T
				head, ok := t.tree.Path(to)
				if !ok && t.byKey[to].Vertex == nil {
					continue // this tier is not reached from here
				}
				target := t.byKey[to]
				if ok {
					target = t.byKey[head.To()]
					f.Path.Steps = append(f.Path.Steps, head.Steps...)
					f.Path.Cost += head.Cost
				}
				if !loopless(f.Path) {
					break // it would pass a vertex twice: a detour, not an attack
				}
				f.Actor, f.Target = kind, target
				f.Severity, f.Score = severityOf(target.Impact, f.Path.Cost)
				f.id = f.makeID()
				id := f.id
				if i, dup := seen[id]; !dup {
					seen[id] = len(res.Findings)
					res.Findings = append(res.Findings, f)
				} else if f.Path.Cost < res.Findings[i].Path.Cost {
					res.Findings[i] = f
				}
				break
			}
		}
	}
	slices.SortFunc(res.Findings, compareFindings)
	res.Causes = causes(res.Findings)
	return res
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

// crossingFinding returns the start of a finding at edge e: the cheapest
// path from an actor through e, if e crosses a boundary at or beyond min
// without a control. For an edge out of a transit vertex, the crossing
// starts at the real vertex before it: among the cheapest entrances, one
// from another namespace than e's end if there is one (the wider
// crossing), else the cheapest.
func crossingFinding(fwd *Tree, en entrances, group []*graph.Edge, min graph.Boundary) *Finding {
	e := group[0] // the cheapest technique across; the group shares its ends
	for _, x := range group {
		if x.Cost < e.Cost {
			e = x
		}
	}
	var in *graph.Edge // the edge into the transit vertex, if any
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
			return nil
		}
		from = in.F
	} else if !fwd.Reached(e.F) {
		return nil
	}
	b := graph.Cross(from.Loc, e.T.Loc)
	// Every technique across this crossing is a way through it; closing the
	// crossing takes the controls of all of them, so the finding names them all.
	var missing []string
	for _, x := range group {
		missing = append(missing, x.Missing...)
	}
	if in != nil {
		missing = append(missing, in.Missing...)
	}
	if b < min || len(missing) == 0 {
		return nil
	}
	p, _ := fwd.Path(from) // empty when from is itself an actor
	if in != nil {
		p.Steps = append(p.Steps, in)
		p.Cost += in.Cost
	}
	step := len(p.Steps)
	p.Steps = append(p.Steps, e)
	p.Cost += e.Cost
	slices.Sort(missing)
	return &Finding{Path: p, Crossing: Crossing{Step: step, Boundary: b, From: from, Missing: slices.Compact(missing)}}
}

// parallel splits edges, sorted by (from, to, technique) as the graph keeps
// them, into runs that join the same two vertices, leaving out skipped ones.
func parallel(edges []*graph.Edge, skip func(*graph.Edge) bool) [][]*graph.Edge {
	var out [][]*graph.Edge
	var run []*graph.Edge
	for _, e := range edges {
		if skip != nil && skip(e) {
			continue
		}
		if len(run) > 0 && (run[0].F != e.F || run[0].T != e.T) {
			out = append(out, run)
			run = nil
		}
		run = append(run, e)
	}
	if len(run) > 0 {
		out = append(out, run)
	}
	return out
}

// loopless reports whether a path visits no vertex twice.
func loopless(p Path) bool {
	seen := make(map[*graph.Vertex]bool, len(p.Steps)+1)
	for _, v := range p.Vertices() {
		if seen[v] {
			return false
		}
		seen[v] = true
	}
	return true
}

func compareFindings(a, b *Finding) int {
	return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(b.Target.Impact, a.Target.Impact),
		cmp.Compare(a.Path.Cost, b.Path.Cost), strings.Compare(a.ID(), b.ID()))
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
		return cmp.Or(cmp.Compare(b.Severity, a.Severity), cmp.Compare(len(b.Findings), len(a.Findings)),
			cmp.Compare(a.Control, b.Control))
	})
	return out
}
