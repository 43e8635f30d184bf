package report

import (
	"cmp"
	"slices"
	"strings"

	"github.com/trustpath/trustpath/analysis"
	"github.com/trustpath/trustpath/graph"
)

// Side is one version of an estate: its graph and its analysis.
type Side struct {
	Graph  *graph.Graph
	Result *analysis.Result
}

// Diff is how an estate changed between a base and a head version, in the
// terms a reviewer of the change asks about: which attack paths it opens
// or closes, which findings, which connections and which steps.
type Diff struct {
	Base, Head Side
	Findings   analysis.Change
	// Reach are the actor-to-target pairs some finding joins: "this
	// container can now reach that secret".
	ReachAdded, ReachRemoved []*analysis.Finding // the worst finding of each pair
	FlowsAdded, FlowsRemoved []analysis.Flow
	FlowsChanged             []FlowChange
	StepsAdded, StepsRemoved []*graph.Edge
	StepsChanged             []StepChange // the same step with other controls
}

// FlowChange is a connection allowed in both versions on other ports.
type FlowChange struct{ Base, Head analysis.Flow }

// StepChange is an attacker step found in both versions whose controls
// present or missing differ.
type StepChange struct{ Base, Head *graph.Edge }

// Compare diffs two analysed versions of an estate. Vertices match by key,
// so both must be loaded with the same cluster names. Every list is sorted.
func Compare(base, head Side) *Diff {
	d := &Diff{Base: base, Head: head, Findings: analysis.Compare(base.Result, head.Result)}
	d.ReachAdded, d.ReachRemoved = reachDiff(base.Result, head.Result)
	d.flowDiff()
	d.stepDiff()
	return d
}

// NewFindings returns the findings of head that base does not have.
func (d *Diff) NewFindings() []*analysis.Finding { return d.Findings.Opened }

type reachKey struct{ from, to graph.Key }

func reaches(r *analysis.Result) (map[reachKey]*analysis.Finding, []reachKey) {
	m := map[reachKey]*analysis.Finding{}
	var order []reachKey
	for _, f := range r.Findings { // most severe first: the first of a pair is its worst
		k := reachKey{f.Path.From().Key, f.Target.Vertex.Key}
		if m[k] == nil {
			m[k] = f
			order = append(order, k)
		}
	}
	return m, order
}

func reachDiff(base, head *analysis.Result) (added, removed []*analysis.Finding) {
	b, bOrder := reaches(base)
	h, hOrder := reaches(head)
	for _, k := range hOrder {
		if b[k] == nil {
			added = append(added, h[k])
		}
	}
	for _, k := range bOrder {
		if h[k] == nil {
			removed = append(removed, b[k])
		}
	}
	return added, removed
}

func flowKey(f analysis.Flow) string {
	via := graph.Key("")
	if f.Via != nil {
		via = f.Via.Key
	}
	return string(f.From.Key) + "\x00" + string(f.To.Key) + "\x00" + string(via)
}

func (d *Diff) flowDiff() {
	base := analysis.Flows(d.Base.Graph, analysis.FlowQuery{})
	head := analysis.Flows(d.Head.Graph, analysis.FlowQuery{})
	inBase := map[string]analysis.Flow{}
	for _, f := range base {
		inBase[flowKey(f)] = f
	}
	inHead := map[string]bool{}
	for _, f := range head {
		k := flowKey(f)
		inHead[k] = true
		b, ok := inBase[k]
		switch {
		case !ok:
			d.FlowsAdded = append(d.FlowsAdded, f)
		case strings.Join(b.Ports, ",") != strings.Join(f.Ports, ","):
			d.FlowsChanged = append(d.FlowsChanged, FlowChange{b, f})
		}
	}
	for _, f := range base {
		if !inHead[flowKey(f)] {
			d.FlowsRemoved = append(d.FlowsRemoved, f)
		}
	}
}

func stepKey(e *graph.Edge) string {
	return string(e.F.Key) + "\x00" + string(e.T.Key) + "\x00" + string(e.Technique)
}

func (d *Diff) stepDiff() {
	inBase := map[string]*graph.Edge{}
	for _, e := range d.Base.Graph.Edges() {
		inBase[stepKey(e)] = e
	}
	inHead := map[string]bool{}
	for _, e := range d.Head.Graph.Edges() {
		k := stepKey(e)
		inHead[k] = true
		b := inBase[k]
		switch {
		case b == nil:
			d.StepsAdded = append(d.StepsAdded, e)
		case !slices.Equal(b.Missing, e.Missing) || !slices.Equal(b.Present, e.Present):
			d.StepsChanged = append(d.StepsChanged, StepChange{b, e})
		}
	}
	for _, e := range d.Base.Graph.Edges() {
		if !inHead[stepKey(e)] {
			d.StepsRemoved = append(d.StepsRemoved, e)
		}
	}
	// Graph edges are sorted by (from, to, technique) already; keep that.
	slices.SortStableFunc(d.StepsChanged, func(a, b StepChange) int { return cmp.Compare(stepKey(a.Head), stepKey(b.Head)) })
}
