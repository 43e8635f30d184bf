package report

import (
	"cmp"
	"math"
	"slices"

	"github.com/trustpath/trustpath/analysis"
	"github.com/trustpath/trustpath/graph"
)

// PersistenceRisk is a step that lets an attacker stay (a CronJob, a
// DaemonSet, a webhook, a write to the host), and who reaches it.
type PersistenceRisk struct {
	Edge     *graph.Edge
	Boundary graph.Boundary // the widest boundary it crosses
	// Actor is the actor kind with the cheapest path to the step, and Cost
	// that path's cost including the step; Reachable is false when no actor
	// reaches it.
	Actor     analysis.ActorKind
	Reachable bool
	Cost      float64
}

// persistence lists every persistence step, those reachable first,
// cheapest first. trees holds one search per actor kind.
func persistence(g *graph.Graph, eff []graph.Boundary, trees map[analysis.ActorKind]*analysis.Tree) []PersistenceRisk {
	var out []PersistenceRisk
	for _, e := range g.Edges() {
		if !e.Technique.Persistence() {
			continue
		}
		r := PersistenceRisk{Edge: e, Boundary: eff[e.UID], Cost: math.Inf(1)}
		for _, kind := range []analysis.ActorKind{analysis.External, analysis.CompromisedContainer, analysis.MaliciousUser} {
			t := trees[kind]
			if t == nil || !t.Reached(e.F) {
				continue
			}
			if c := t.Cost(e.F); c+e.Cost < r.Cost {
				r.Actor, r.Reachable, r.Cost = kind, true, c+e.Cost
			}
		}
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b PersistenceRisk) int {
		if a.Reachable != b.Reachable {
			if a.Reachable {
				return -1
			}
			return 1
		}
		return cmp.Or(cmp.Compare(a.Cost, b.Cost), cmp.Compare(b.Boundary, a.Boundary),
			cmp.Compare(a.Edge.F.Key, b.Edge.F.Key), cmp.Compare(a.Edge.T.Key, b.Edge.T.Key),
			cmp.Compare(a.Edge.Technique, b.Edge.Technique))
	})
	return out
}

// ChokeEffect is a choke point and what guarding it does, verified by
// analysing the estate again with every step into it stopped.
type ChokeEffect struct {
	analysis.ChokePoint
	// CutOff counts the targets it guards that no actor reaches any more.
	CutOff int
	// Closes counts the findings of the analysis that disappear. Others
	// may then name a lesser target: the crossing stays, its goal changes.
	Closes int
}

func chokeEffects(g *graph.Graph, o analysis.Options, base *analysis.Result, starts []*graph.Vertex, chokes []analysis.ChokePoint, n int) []ChokeEffect {
	var out []ChokeEffect
	for _, c := range chokes[:min(n, len(chokes))] {
		v, skip := c.Vertex, o.Skip
		cut := func(e *graph.Edge) bool { return e.T == v || (skip != nil && skip(e)) }
		tree := analysis.Search(g, starts, cut)
		eff := ChokeEffect{ChokePoint: c}
		for _, t := range c.Targets {
			if !tree.Reached(t) {
				eff.CutOff++
			}
		}
		next := o
		next.Skip = cut
		eff.Closes = analysis.Closes(g, base, next)
		out = append(out, eff)
	}
	return out
}
