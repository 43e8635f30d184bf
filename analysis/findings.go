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
}

// ID names a finding stably: the actor, the crossing's ends and the target.
// Several techniques across one crossing make one finding, the cheapest.
func (f Finding) ID() string {
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
		for _, e := range g.Edges() {
			if (o.Skip != nil && o.Skip(e)) || e.T.Kind.IsTransit() {
				continue
			}
			f := crossingFinding(fwd, e, o.MinBoundary)
			if f == nil {
				continue
			}
			for _, t := range tiers {
				head, ok := t.tree.Path(e.T)
				if !ok && t.byKey[e.T].Vertex == nil {
					continue // this tier is not reached from here
				}
				target := t.byKey[e.T]
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
				id := f.ID()
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

// crossingFinding returns the start of a finding at edge e: the cheapest
// path from an actor through e, if e crosses a boundary at or beyond min
// without a control. For an edge out of a transit vertex, the crossing
// starts at the real vertex before it; the one chosen is reached by an
// actor and crosses the widest boundary.
func crossingFinding(fwd *Tree, e *graph.Edge, min graph.Boundary) *Finding {
	var in *graph.Edge // the edge into the transit vertex, if any
	from := e.F
	if e.F.Kind.IsTransit() {
		for _, x := range fwd.v.backward(e.F.UID) {
			src := fwd.v.near(x)
			if !fwd.Reached(src) || src == e.T {
				continue
			}
			if in == nil || graph.Cross(src.Loc, e.T.Loc) > graph.Cross(in.F.Loc, e.T.Loc) ||
				graph.Cross(src.Loc, e.T.Loc) == graph.Cross(in.F.Loc, e.T.Loc) && fwd.Cost(src) < fwd.Cost(in.F) {
				in = x
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
	for _, x := range fwd.v.out[e.F.UID] {
		if x.T == e.T {
			missing = append(missing, x.Missing...)
		}
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
