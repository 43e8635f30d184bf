package analysis

import (
	"cmp"
	"slices"

	"github.com/trustpath/trustpath/graph"
)

// Measuring a change (a proposed fix, a choke point cut) re-analyses the
// graph many times; these analyses count the findings, without laying out
// their paths or sorting them.

// tally is what an analysis finds, without the paths: the number of
// findings and, per missing control, how many it lets through and the
// worst of them. It is what a proposed fix is measured by.
type tally struct {
	findings int
	byKind   map[ActorKind]int
	causes   []causeTally // ordered as Result.Causes
	base     *baseline    // for re-analyses with still more left out
}

type causeTally struct {
	control  string
	findings int
	severity Severity
}

// Count returns the number of findings Analyze would return, without
// laying out their paths: what measuring the effect of a change needs.
func Count(g *graph.Graph, o Options) int { return countFindings(g, o, nil, nil, nil).findings }

// findingsByKind counts findings by actor kind.
func findingsByKind(fs []*Finding) map[ActorKind]int {
	n := map[ActorKind]int{}
	for _, f := range fs {
		n[f.Actor]++
	}
	return n
}

// Closes returns how many findings of base, an analysis of g, an analysis
// of g with options next no longer has: where a change leaves a crossing
// open but its best target lesser, the finding closes (and another opens).
func Closes(g *graph.Graph, base *Result, next Options) int {
	after := map[ActorKind][]closeKey{}
	a := newAnalysis(g, next, base.base)
	for _, fs := range a.run(false) {
		keys := make([]closeKey, 0, len(fs.base.cands)-fs.dropped)
		for i, c := range fs.base.cands {
			if !fs.drop[i] {
				to := a.g.Edges()[c.run].T
				keys = append(keys, closeKey{c.from, int32(to.UID), int32(a.tiers[c.tier].tree.end(to).UID)})
			}
		}
		slices.SortFunc(keys, compareCloseKeys)
		after[fs.kind] = keys
	}
	n := 0
	for _, f := range base.Findings {
		key := closeKey{int32(f.Crossing.From.UID), int32(f.crossingEnd().UID), int32(f.Target.Vertex.UID)}
		if _, ok := slices.BinarySearchFunc(after[f.Actor], key, compareCloseKeys); !ok {
			n++
		}
	}
	return n
}

// closeKey names a finding within its actor kind by vertex UIDs: the
// crossing's start and end, and the target.
type closeKey struct{ from, to, target int32 }

func compareCloseKeys(a, b closeKey) int {
	return cmp.Or(cmp.Compare(a.from, b.from), cmp.Compare(a.to, b.to), cmp.Compare(a.target, b.target))
}

// countFindings analyses g without laying out paths; hint, when known, is
// roughly how many findings each actor kind has, base an earlier analysis
// to reuse (see reuse), and spare one no longer used, whose lists it may
// write over.
func countFindings(g *graph.Graph, o Options, hint map[ActorKind]int, base, spare *baseline) tally {
	a := newAnalysis(g, o, base)
	a.spare = spare
	a.hint = hint // sizes the candidates when there is no base
	byControl := map[string]*causeTally{}
	add := func(missing []string, n int, sev Severity) {
		for _, c := range missing {
			ct := byControl[c]
			if ct == nil {
				ct = &causeTally{control: c}
				byControl[c] = ct
			}
			ct.findings += n
			ct.severity = max(ct.severity, sev)
		}
	}
	// Most findings are straight along one group of edges: they are
	// tallied by group, and the group's controls looked up once.
	perGroup := make([]int32, len(a.groups))
	worst := make([]Severity, len(a.groups))
	// Those through a transit vertex are tallied by group and edge in:
	// their controls are a sorted union, worked out once for each.
	type via struct{ group, in int32 }
	through := map[via]*throughTally{}
	t := tally{byKind: map[ActorKind]int{}}
	kinds := a.run(false)
	t.base = a.baseline(kinds)
	for _, fs := range kinds {
		if fs.base == nil {
			continue
		}
		n := len(fs.base.cands) - fs.dropped
		t.findings += n
		t.byKind[fs.kind] = n
		for i, c := range fs.base.cands {
			if fs.drop[i] {
				continue
			}
			gi := fs.groups[i]
			if c.in >= 0 {
				tt := through[via{gi, c.in}]
				if tt == nil {
					tt = &throughTally{}
					through[via{gi, c.in}] = tt
				}
				tt.n++
				tt.worst = max(tt.worst, Severity(c.sev))
				continue
			}
			perGroup[gi]++
			worst[gi] = max(worst[gi], Severity(c.sev))
		}
	}
	for gi, n := range perGroup {
		if n > 0 {
			add(missingOn(a.group(int32(gi)), nil), int(n), worst[gi])
		}
	}
	for k, tt := range through {
		add(missingOn(a.group(k.group), a.g.Edges()[k.in]), tt.n, tt.worst)
	}
	for _, ct := range byControl {
		t.causes = append(t.causes, *ct)
	}
	slices.SortFunc(t.causes, func(a, b causeTally) int {
		return compareCauses(a.severity, b.severity, a.findings, b.findings, a.control, b.control)
	})
	return t
}

type throughTally struct {
	n     int
	worst Severity
}
