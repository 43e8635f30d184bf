package report

import (
	"cmp"
	"slices"

	"github.com/trustpath/trustpath/analysis"
	"github.com/trustpath/trustpath/graph"
)

// BoundaryRow summarises the steps across one trust boundary and the
// controls on them: the trust-boundary table of the review.
type BoundaryRow struct {
	Boundary graph.Boundary
	// Steps cross the boundary; Guarded carry a control that is present,
	// Unguarded one that is missing (a step can carry both).
	Steps, Guarded, Unguarded int
	Present                   []ControlCount // most steps first
	Missing                   []RuleCount    // by rule, most steps first
	// Offenders are the missing controls behind the most findings that
	// cross this boundary: the first things to fix here.
	Offenders []ControlCount
}

// ControlCount is one control and how many steps and findings name it.
type ControlCount struct {
	Control  string `json:"control"`
	Steps    int    `json:"steps"`
	Findings int    `json:"findings"`
}

// RuleCount is one type of missing control and the steps that lack it.
type RuleCount struct {
	Rule     Rule
	Controls int // distinct controls of the rule
	Steps    int
}

// boundaries returns the summary per boundary, outermost (cluster) first
// down to the container, as the design's threat-model table lists them.
func boundaries(g *graph.Graph, eff []graph.Boundary, res *analysis.Result) []BoundaryRow {
	rows := make([]BoundaryRow, graph.BoundaryCluster+1)
	present := make([]map[string]*ControlCount, len(rows))
	offend := make([]map[string]*ControlCount, len(rows))
	byRule := make([]map[string]*RuleCount, len(rows))
	for b := range rows {
		rows[b].Boundary = graph.Boundary(b)
		present[b], offend[b], byRule[b] = map[string]*ControlCount{}, map[string]*ControlCount{}, map[string]*RuleCount{}
	}
	count := func(m map[string]*ControlCount, c string) *ControlCount {
		cc := m[c]
		if cc == nil {
			cc = &ControlCount{Control: c}
			m[c] = cc
		}
		return cc
	}
	// Steps are counted per control and boundary in one lookup per control
	// of each step, and spread over the rows once per control: there are a
	// million steps, and a few thousand controls.
	type perBoundary [graph.BoundaryCluster + 1]int
	presentSteps, missingSteps := map[string]*perBoundary{}, map[string]*perBoundary{}
	tallyStep := func(m map[string]*perBoundary, c string, b graph.Boundary) {
		n := m[c]
		if n == nil {
			n = &perBoundary{}
			m[c] = n
		}
		n[b]++
	}
	for _, e := range g.Edges() {
		b := eff[e.UID]
		if b == graph.BoundaryNone {
			continue
		}
		r := &rows[b]
		r.Steps++
		if len(e.Present) > 0 {
			r.Guarded++
		}
		if len(e.Missing) > 0 {
			r.Unguarded++
		}
		for _, c := range e.Present {
			tallyStep(presentSteps, c, b)
		}
		for _, c := range e.Missing {
			tallyStep(missingSteps, c, b)
		}
	}
	for c, n := range presentSteps {
		for b, steps := range n {
			if steps > 0 {
				count(present[b], c).Steps += steps
			}
		}
	}
	for c, n := range missingSteps {
		rule := RuleOf(c)
		for b, steps := range n {
			if steps == 0 {
				continue
			}
			count(offend[b], c).Steps += steps
			rc := byRule[b][rule.ID]
			if rc == nil {
				rc = &RuleCount{Rule: rule}
				byRule[b][rule.ID] = rc
			}
			rc.Steps += steps
			rc.Controls++
		}
	}
	// A cause holds the findings its control lets through: counted by the
	// boundary they cross, each control is looked up once per boundary.
	for _, cause := range res.Causes {
		var n perBoundary
		for _, f := range cause.Findings {
			n[f.Crossing.Boundary]++
		}
		for b, findings := range n {
			if findings > 0 {
				count(offend[b], cause.Control).Findings += findings
			}
		}
	}
	for b := range rows {
		rows[b].Present = sortedCounts(present[b])
		rows[b].Offenders = sortedCounts(offend[b])
		for _, rc := range byRule[b] {
			rows[b].Missing = append(rows[b].Missing, *rc)
		}
		slices.SortFunc(rows[b].Missing, func(x, y RuleCount) int {
			return cmp.Or(cmp.Compare(y.Steps, x.Steps), cmp.Compare(x.Rule.ID, y.Rule.ID))
		})
	}
	rows = rows[graph.BoundaryContainer:]
	slices.Reverse(rows) // outermost first, as the design lists them
	return rows
}

func sortedCounts(m map[string]*ControlCount) []ControlCount {
	out := make([]ControlCount, 0, len(m))
	for _, c := range m {
		out = append(out, *c)
	}
	slices.SortFunc(out, func(a, b ControlCount) int {
		return cmp.Or(cmp.Compare(b.Findings, a.Findings), cmp.Compare(b.Steps, a.Steps), cmp.Compare(a.Control, b.Control))
	})
	return out
}

// effectiveBoundaries returns, by edge ID, the boundary each step lets an
// attacker cross. An edge into or out of a transit vertex (the pod network,
// what any node may run) crosses nothing by its endpoints' locations: the
// crossing is between the real vertices on either side. Such an edge is
// given the widest boundary it opens towards any vertex on the far side of
// its transit vertex, which is what Path.Crossings reports for a path
// through it. Cost: O(E), since each side of a transit vertex is summed up
// by a few representative locations rather than paired vertex by vertex.
func effectiveBoundaries(g *graph.Graph) []graph.Boundary {
	in, out := map[*graph.Vertex]*reps{}, map[*graph.Vertex]*reps{}
	side := func(m map[*graph.Vertex]*reps, t *graph.Vertex) *reps {
		if m[t] == nil {
			m[t] = &reps{}
		}
		return m[t]
	}
	for _, e := range g.Edges() {
		if e.T.Kind.IsTransit() && !e.F.Kind.IsTransit() {
			side(in, e.T).add(e.F.Loc)
		}
		if e.F.Kind.IsTransit() && !e.T.Kind.IsTransit() {
			side(out, e.F).add(e.T.Loc)
		}
	}
	eff := make([]graph.Boundary, len(g.Edges()))
	for i, e := range g.Edges() {
		switch {
		case e.F.Kind.IsTransit() && e.T.Kind.IsTransit():
			eff[i] = graph.BoundaryNone
		case e.T.Kind.IsTransit():
			eff[i] = side(out, e.T).widest(e.F.Loc)
		case e.F.Kind.IsTransit():
			eff[i] = side(in, e.F).widest(e.T.Loc)
		default:
			eff[i] = e.Boundary
		}
	}
	return eff
}

// reps stands for the locations on one side of a transit vertex. graph.Cross
// compares locations level by level for equality, so two locations with
// distinct values at each level are enough to find the widest boundary
// between any location and the whole side.
type reps struct {
	locs []graph.Location
	seen [6]map[string]bool
}

func (r *reps) add(l graph.Location) {
	host := l.Node != "" && l.Namespace == "" && l.Pod == ""
	nodeVal, podNet := "", "pod"
	if host {
		nodeVal, podNet = l.Node, ""
	}
	keep := false
	for i, v := range [...]string{l.Cluster, nodeVal, podNet, l.Namespace, string(l.Pod), l.Container} {
		if v == "" {
			continue
		}
		if r.seen[i] == nil {
			r.seen[i] = map[string]bool{}
		}
		if !r.seen[i][v] && len(r.seen[i]) < 2 {
			r.seen[i][v] = true
			keep = true
		}
	}
	if keep {
		r.locs = append(r.locs, l)
	}
}

// widest returns the widest boundary between l and a location of the side.
func (r *reps) widest(l graph.Location) graph.Boundary {
	b := graph.BoundaryNone
	for _, x := range r.locs {
		b = max(b, graph.Cross(l, x))
	}
	return b
}
