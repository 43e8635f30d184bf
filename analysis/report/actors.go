package report

import (
	"cmp"
	"math"
	"slices"

	"github.com/trustpath/trustpath/analysis"
	"github.com/trustpath/trustpath/graph"
)

// ActorSummary is one threat actor: where it may start, where it enters,
// and what its findings add up to.
type ActorSummary struct {
	Kind     analysis.ActorKind
	Starts   int // vertices it may start from
	Findings int
	Worst    analysis.Severity
	Entries  []Entry // most severe first
}

// Entry is one entry point of an actor. For the external attacker it is an
// exposed vertex and the step that reaches it; for the others, a vertex
// the actor starts from.
type Entry struct {
	Vertex   *graph.Vertex
	Step     *graph.Edge // the internet's step, for the external attacker
	Findings int
	Worst    analysis.Severity
	Targets  int // distinct targets its findings reach
	// InternetFacing marks a container an external attacker reaches, the
	// likeliest to be compromised.
	InternetFacing bool
}

func actors(g *graph.Graph, res *analysis.Result, fromInternet *analysis.Tree) []ActorSummary {
	type acc struct {
		entry   *Entry
		targets map[*graph.Vertex]bool
	}
	newAcc := func(v *graph.Vertex, step *graph.Edge) *acc {
		e := &Entry{Vertex: v, Step: step}
		if v.Kind == graph.KindContainer && fromInternet != nil && fromInternet.Reached(v) {
			e.InternetFacing = true
		}
		return &acc{entry: e, targets: map[*graph.Vertex]bool{}}
	}
	kinds := []analysis.ActorKind{analysis.External, analysis.CompromisedContainer, analysis.MaliciousUser}
	out := make([]ActorSummary, len(kinds))
	// The external attacker's entries are its first steps; the others'
	// are where they start. One pass over the findings fills all three.
	bySteps := map[*graph.Edge]*acc{}
	byStart := make([]map[*graph.Vertex]*acc, len(kinds))
	for i, kind := range kinds {
		out[i] = ActorSummary{Kind: kind, Starts: len(analysis.Actors(g, kind))}
		byStart[i] = map[*graph.Vertex]*acc{}
	}
	for _, v := range analysis.Actors(g, analysis.External) {
		for _, e := range g.EdgesFrom(v) {
			if bySteps[e] == nil {
				bySteps[e] = newAcc(e.T, e)
			}
		}
	}
	for _, f := range res.Findings {
		i := slices.Index(kinds, f.Actor)
		if i < 0 {
			continue
		}
		s := &out[i]
		s.Findings++
		s.Worst = max(s.Worst, f.Severity)
		var a *acc
		if f.Actor == analysis.External {
			first := f.Path.Steps[0]
			if a = bySteps[first]; a == nil {
				a = newAcc(first.T, first)
				bySteps[first] = a
			}
		} else {
			from := f.Path.From()
			if a = byStart[i][from]; a == nil {
				a = newAcc(from, nil)
				byStart[i][from] = a
			}
		}
		a.entry.Findings++
		a.entry.Worst = max(a.entry.Worst, f.Severity)
		a.targets[f.Target.Vertex] = true
	}
	for i, kind := range kinds {
		s := &out[i]
		add := func(a *acc) {
			a.entry.Targets = len(a.targets)
			s.Entries = append(s.Entries, *a.entry)
		}
		if kind == analysis.External {
			for _, a := range bySteps {
				add(a)
			}
		} else {
			for _, a := range byStart[i] {
				add(a)
			}
		}
		slices.SortFunc(s.Entries, func(a, b Entry) int {
			return cmp.Or(cmp.Compare(b.Worst, a.Worst), cmp.Compare(b.Findings, a.Findings),
				cmp.Compare(a.Vertex.Key, b.Vertex.Key), cmp.Compare(stepLabel(a.Step), stepLabel(b.Step)))
		})
	}
	return out
}

func stepLabel(e *graph.Edge) string {
	if e == nil {
		return ""
	}
	return e.Label()
}

// TargetRisk is one target, which actors reach it and at what cost, and
// the findings that name it. A finding names the highest-impact target its
// crossing leads to, so a target on the way to a worse one (a node on the
// way to a crown jewel) can be reached with no finding naming it.
type TargetRisk struct {
	analysis.Target
	Actors   []analysis.ActorKind // that reach it, sorted
	Cost     float64              // of the cheapest actor's path; +Inf when none reaches it
	Findings int                  // that name it
	Worst    analysis.Severity    // of those
}

// Reached reports whether some actor reaches the target.
func (t TargetRisk) Reached() bool { return len(t.Actors) > 0 }

// targets returns every target, those reached first, then by impact,
// worst finding and cost.
func targets(res *analysis.Result, trees map[analysis.ActorKind]*analysis.Tree) []TargetRisk {
	by := map[*graph.Vertex]*TargetRisk{}
	var out []*TargetRisk
	for _, t := range res.Targets {
		tr := &TargetRisk{Target: t, Cost: math.Inf(1)}
		for _, kind := range []analysis.ActorKind{analysis.External, analysis.CompromisedContainer, analysis.MaliciousUser} {
			if tree := trees[kind]; tree != nil && tree.Reached(t.Vertex) {
				tr.Actors = append(tr.Actors, kind)
				tr.Cost = min(tr.Cost, tree.Cost(t.Vertex))
			}
		}
		by[t.Vertex] = tr
		out = append(out, tr)
	}
	for _, f := range res.Findings {
		if t := by[f.Target.Vertex]; t != nil {
			t.Findings++
			t.Worst = max(t.Worst, f.Severity)
		}
	}
	slices.SortStableFunc(out, func(a, b *TargetRisk) int {
		if a.Reached() != b.Reached() {
			if a.Reached() {
				return -1
			}
			return 1
		}
		return cmp.Or(cmp.Compare(b.Impact, a.Impact), cmp.Compare(b.Worst, a.Worst), cmp.Compare(a.Cost, b.Cost),
			cmp.Compare(a.Vertex.Key, b.Vertex.Key))
	})
	res2 := make([]TargetRisk, len(out))
	for i, t := range out {
		res2[i] = *t
	}
	return res2
}
