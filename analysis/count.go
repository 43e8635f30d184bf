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
func Count(g *graph.Graph, o Options) int { return countFindings(g, o, nil, nil).findings }

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
	after := map[ActorKind][]found{}
	a := newAnalysis(g, next, base.base)
	a.hint = findingsByKind(base.Findings)
	for _, fs := range a.run(false) {
		for i := range fs.found {
			f := &fs.found[i]
			f.target = int32(a.tiers[f.tier].tree.end(a.g.VertexByID(int64(f.to))).UID)
		}
		slices.SortFunc(fs.found, compareFound)
		after[fs.kind] = fs.found
	}
	n := 0
	for _, f := range base.Findings {
		key := found{from: int32(f.Crossing.From.UID), to: int32(f.crossingEnd().UID), target: int32(f.Target.Vertex.UID)}
		if _, ok := slices.BinarySearchFunc(after[f.Actor], key, compareFound); !ok {
			n++
		}
	}
	return n
}

func compareFound(a, b found) int {
	return cmp.Or(cmp.Compare(a.from, b.from), cmp.Compare(a.to, b.to), cmp.Compare(a.target, b.target))
}

// countFindings analyses g without laying out paths; hint, when known, is
// roughly how many findings each actor kind has, and base an earlier
// analysis to reuse (see reuse).
func countFindings(g *graph.Graph, o Options, hint map[ActorKind]int, base *baseline) tally {
	a := newAnalysis(g, o, base)
	a.hint = hint
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
		t.findings += len(fs.found)
		t.byKind[fs.kind] = len(fs.found)
		for _, f := range fs.found {
			if f.in >= 0 {
				tt := through[via{f.group, f.in}]
				if tt == nil {
					tt = &throughTally{}
					through[via{f.group, f.in}] = tt
				}
				tt.n++
				tt.worst = max(tt.worst, Severity(f.severity))
				continue
			}
			perGroup[f.group]++
			worst[f.group] = max(worst[f.group], Severity(f.severity))
		}
	}
	for gi, n := range perGroup {
		if n > 0 {
			add(missingOn(a.groups[gi], nil), int(n), worst[gi])
		}
	}
	for k, tt := range through {
		add(a.missing(found{group: k.group, in: k.in}), tt.n, tt.worst)
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

// found is a finding without its path, by vertex and edge UIDs: free of
// pointers, so that millions of them cost the collector nothing to scan.
type found struct {
	from, to, target int32 // vertex UIDs; target is -1 until Closes needs it
	group            int32 // index in analysis.groups
	in               int32 // UID of the edge into a transit vertex, or -1
	tier             int8  // index in analysis.tiers
	severity         int8
}

// missing returns the controls missing on f's crossing.
func (a *analysis) missing(f found) []string {
	var in *graph.Edge
	if f.in >= 0 {
		in = a.g.Edges()[f.in]
	}
	return missingOn(a.groups[f.group], in)
}
