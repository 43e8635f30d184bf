package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/trustpath/trustpath/analysis"
	"github.com/trustpath/trustpath/graph"
)

// DiffSchema names the JSON encoding of a diff.
const DiffSchema = "trustpath.io/diff/v1"

// WriteText writes the diff as terminal tables: counts first, then what is
// new, then what is gone.
func (d *Diff) WriteText(w io.Writer) error {
	fmt.Fprintf(w, "findings: %d in base, %d in head: %d new, %d closed\n", len(d.Base.Result.Findings),
		len(d.Head.Result.Findings), len(d.Findings.Opened), len(d.Findings.Closed))
	fmt.Fprintf(w, "attack paths (actor to target): %d new, %d closed\n", len(d.ReachAdded), len(d.ReachRemoved))
	fmt.Fprintf(w, "steps: %d new, %d removed, %d with other controls\n", len(d.StepsAdded), len(d.StepsRemoved), len(d.StepsChanged))
	fmt.Fprintf(w, "flows: %d new, %d removed, %d on other ports\n", len(d.FlowsAdded), len(d.FlowsRemoved), len(d.FlowsChanged))
	reach := func(title string, fs []*analysis.Finding) {
		if len(fs) == 0 {
			return
		}
		fmt.Fprintf(w, "\n%s\n", title)
		for _, f := range fs {
			fmt.Fprintf(w, "  %-8s %s: %s reaches %s\n           %s\n", f.Severity, f.Actor, startKey(f), f.Target.Vertex.Key, textPath(f.Path))
		}
	}
	reach("NEW ATTACK PATHS (an actor now reaches a target)", d.ReachAdded)
	reach("CLOSED ATTACK PATHS", d.ReachRemoved)
	// Findings and steps take two or three lines each rather than a wide
	// table, so a terminal of 100 columns shows them whole.
	findings := func(title string, fs []*analysis.Finding) {
		if len(fs) == 0 {
			return
		}
		fmt.Fprintf(w, "\n%s\n", title)
		for _, f := range fs {
			fmt.Fprintf(w, "  %-8s %s: %s\n           crosses %s into %s, towards %s\n           missing: %s\n",
				f.Severity, f.Actor, startKey(f), f.Crossing.Boundary, f.Path.Steps[f.Crossing.Step].T.Key,
				f.Target.Vertex.Key, strings.Join(f.Crossing.Missing, "; "))
		}
	}
	findings("NEW FINDINGS", d.Findings.Opened)
	findings("CLOSED FINDINGS", d.Findings.Closed)
	steps := func(title string, es []*graph.Edge) {
		if len(es) == 0 {
			return
		}
		fmt.Fprintf(w, "\n%s\n", title)
		for _, e := range es {
			fmt.Fprintf(w, "  %s -> %s\n    %s, crosses %s", e.F.Key, e.T.Key, e.Label(), e.Boundary)
			if len(e.Missing) > 0 {
				fmt.Fprintf(w, "; missing: %s", strings.Join(e.Missing, "; "))
			}
			fmt.Fprintln(w)
		}
	}
	steps("NEW STEPS", d.StepsAdded)
	steps("REMOVED STEPS", d.StepsRemoved)
	if len(d.StepsChanged) > 0 {
		fmt.Fprintln(w, "\nSTEPS WITH OTHER CONTROLS")
		for _, c := range d.StepsChanged {
			fmt.Fprintf(w, "  %s -[%s]-> %s\n    missing: %s -> %s\n    present: %s -> %s\n", c.Head.F.Key, c.Head.Label(), c.Head.T.Key,
				orNone(c.Base.Missing), orNone(c.Head.Missing), orNone(c.Base.Present), orNone(c.Head.Present))
		}
	}
	if len(d.FlowsAdded)+len(d.FlowsRemoved)+len(d.FlowsChanged) > 0 {
		fmt.Fprintln(w, "\nFLOWS (+ new, - removed, ~ other ports)")
		for _, f := range d.FlowsAdded {
			fmt.Fprintf(w, "  + %s\n", flowText(f))
		}
		for _, f := range d.FlowsRemoved {
			fmt.Fprintf(w, "  - %s\n", flowText(f))
		}
		for _, c := range d.FlowsChanged {
			fmt.Fprintf(w, "  ~ %s (was %s)\n", flowText(c.Head), strings.Join(c.Base.Ports, ","))
		}
	}
	return nil
}

func orNone(xs []string) string {
	if len(xs) == 0 {
		return "none"
	}
	return strings.Join(xs, "; ")
}

func startKey(f *analysis.Finding) graph.Key { return f.Path.From().Key }

func textPath(p analysis.Path) string {
	var keys []string
	for _, v := range p.Vertices() {
		keys = append(keys, string(v.Key))
	}
	return strings.Join(keys, " > ")
}

func flowText(f analysis.Flow) string {
	s := fmt.Sprintf("%s -> %s %s", f.From.Key, f.To.Key, strings.Join(f.Ports, ","))
	if f.Via != nil {
		s += " via " + string(f.Via.Key)
	}
	return s
}

// WriteMarkdown writes the diff for a pull-request comment: a summary, the
// new attack paths with their steps, and tables of findings, steps and
// flows that changed.
func (d *Diff) WriteMarkdown(w io.Writer) error {
	doc := &document{title: "trustpath: what this change does to the attack paths"}
	doc.list(
		fmt.Sprintf("Findings: %d in base, %d in head: **%d new**, %d closed.", len(d.Base.Result.Findings),
			len(d.Head.Result.Findings), len(d.Findings.Opened), len(d.Findings.Closed)),
		fmt.Sprintf("Attack paths (an actor reaching a target): **%d new**, %d closed.", len(d.ReachAdded), len(d.ReachRemoved)),
		fmt.Sprintf("Steps: %d new, %d removed, %d with other controls; flows: %d new, %d removed, %d on other ports.",
			len(d.StepsAdded), len(d.StepsRemoved), len(d.StepsChanged), len(d.FlowsAdded), len(d.FlowsRemoved), len(d.FlowsChanged)))
	for i, f := range d.ReachAdded {
		doc.h3(fmt.Sprintf("New path %d (%s): %s → %s", i+1, f.Severity, code(string(startKey(f))), code(string(f.Target.Vertex.Key))))
		doc.p(fmt.Sprintf("%s reaches %s (%s), crossing the **%s** boundary at step %d where %s.",
			capitalize(actorStart(f)), code(string(f.Target.Vertex.Key)), esc(f.Target.Why), f.Crossing.Boundary,
			f.Crossing.Step+1, missingText(f.Crossing.Missing)))
		doc.tab(stepTable(f.Path))
	}
	findingTable := func(title string, fs []*analysis.Finding) {
		if len(fs) == 0 {
			return
		}
		doc.h3(title)
		t := newTable("severity", "actor", "starts at", "crosses", "at", "target", "missing control")
		for _, f := range fs {
			var ms []string
			for _, m := range f.Crossing.Missing {
				ms = append(ms, code(m))
			}
			t.row(f.Severity.String(), esc(f.Actor.String()), code(string(startKey(f))), f.Crossing.Boundary.String(),
				code(string(f.Path.Steps[f.Crossing.Step].T.Key)), code(string(f.Target.Vertex.Key)), strings.Join(ms, "; "))
		}
		doc.tab(t)
	}
	findingTable("New findings", d.Findings.Opened)
	findingTable("Closed findings", d.Findings.Closed)
	if n := len(d.StepsAdded) + len(d.StepsRemoved) + len(d.StepsChanged); n > 0 {
		doc.h3("Steps")
		t := newTable("", "from", "step", "to", "crosses", "missing control")
		add := func(sign string, e *graph.Edge) {
			var ms []string
			for _, m := range e.Missing {
				ms = append(ms, code(m))
			}
			t.row(sign, code(string(e.F.Key)), esc(e.Label()), code(string(e.T.Key)), e.Boundary.String(), dash(strings.Join(ms, "; ")))
		}
		for _, e := range d.StepsAdded {
			add("+", e)
		}
		for _, e := range d.StepsRemoved {
			add("−", e)
		}
		for _, c := range d.StepsChanged {
			add("~", c.Head)
		}
		doc.tab(t)
	}
	if n := len(d.FlowsAdded) + len(d.FlowsRemoved) + len(d.FlowsChanged); n > 0 {
		doc.h3("Flows")
		t := newTable("", "from", "to", "ports", "via")
		add := func(sign string, f analysis.Flow, ports string) {
			via := "—"
			if f.Via != nil {
				via = code(string(f.Via.Key))
			}
			t.row(sign, code(string(f.From.Key)), code(string(f.To.Key)), ports, via)
		}
		for _, f := range d.FlowsAdded {
			add("+", f, code(strings.Join(f.Ports, ",")))
		}
		for _, f := range d.FlowsRemoved {
			add("−", f, code(strings.Join(f.Ports, ",")))
		}
		for _, c := range d.FlowsChanged {
			add("~", c.Head, code(strings.Join(c.Base.Ports, ","))+" → "+code(strings.Join(c.Head.Ports, ",")))
		}
		doc.tab(t)
	}
	return writeMarkdown(w, doc, nil)
}

type (
	jsonDiff struct {
		Schema   string          `json:"schema"`
		Base     jsonDiffSide    `json:"base"`
		Head     jsonDiffSide    `json:"head"`
		Findings jsonFindingDiff `json:"findings"`
		Paths    jsonPathDiff    `json:"paths"`
		Steps    jsonStepDiff    `json:"steps"`
		Flows    jsonFlowDiff    `json:"flows"`
	}
	jsonDiffSide struct {
		Findings int `json:"findings"`
	}
	jsonFindingDiff struct {
		Opened    []Finding `json:"opened"`
		Closed    []Finding `json:"closed"`
		Unchanged int       `json:"unchanged"`
	}
	jsonPathDiff struct {
		Added   []Finding `json:"added"`
		Removed []Finding `json:"removed"`
	}
	jsonStepDiff struct {
		Added   []jsonDiffStep       `json:"added"`
		Removed []jsonDiffStep       `json:"removed"`
		Changed []jsonDiffStepChange `json:"changed"`
	}
	jsonDiffStep struct {
		From      graph.Key        `json:"from"`
		To        graph.Key        `json:"to"`
		Technique graph.Technique  `json:"technique"`
		Ports     []string         `json:"ports,omitempty"`
		Boundary  string           `json:"boundary"`
		Present   []string         `json:"present,omitempty"`
		Missing   []string         `json:"missing,omitempty"`
		Evidence  []graph.Evidence `json:"evidence,omitempty"`
	}
	jsonDiffStepChange struct {
		Base jsonDiffStep `json:"base"`
		Head jsonDiffStep `json:"head"`
	}
	jsonFlowDiff struct {
		Added   []jsonDiffFlow       `json:"added"`
		Removed []jsonDiffFlow       `json:"removed"`
		Changed []jsonDiffFlowChange `json:"changed"`
	}
	jsonDiffFlow struct {
		From  graph.Key `json:"from"`
		To    graph.Key `json:"to"`
		Via   graph.Key `json:"via,omitempty"`
		Ports []string  `json:"ports"`
	}
	jsonDiffFlowChange struct {
		From      graph.Key `json:"from"`
		To        graph.Key `json:"to"`
		Via       graph.Key `json:"via,omitempty"`
		BasePorts []string  `json:"base_ports"`
		HeadPorts []string  `json:"head_ports"`
	}
)

// WriteJSON writes the diff as JSON (DiffSchema).
func (d *Diff) WriteJSON(w io.Writer) error {
	out := jsonDiff{Schema: DiffSchema,
		Base: jsonDiffSide{len(d.Base.Result.Findings)}, Head: jsonDiffSide{len(d.Head.Result.Findings)},
		Findings: jsonFindingDiff{Opened: []Finding{}, Closed: []Finding{}, Unchanged: len(d.Findings.Remain)},
		Paths:    jsonPathDiff{Added: []Finding{}, Removed: []Finding{}},
		Steps:    jsonStepDiff{Added: []jsonDiffStep{}, Removed: []jsonDiffStep{}, Changed: []jsonDiffStepChange{}},
		Flows:    jsonFlowDiff{Added: []jsonDiffFlow{}, Removed: []jsonDiffFlow{}, Changed: []jsonDiffFlowChange{}}}
	for _, f := range d.Findings.Opened {
		out.Findings.Opened = append(out.Findings.Opened, FindingJSON(f))
	}
	for _, f := range d.Findings.Closed {
		out.Findings.Closed = append(out.Findings.Closed, FindingJSON(f))
	}
	for _, f := range d.ReachAdded {
		out.Paths.Added = append(out.Paths.Added, FindingJSON(f))
	}
	for _, f := range d.ReachRemoved {
		out.Paths.Removed = append(out.Paths.Removed, FindingJSON(f))
	}
	step := func(e *graph.Edge) jsonDiffStep {
		return jsonDiffStep{From: e.F.Key, To: e.T.Key, Technique: e.Technique, Ports: e.Ports, Boundary: e.Boundary.String(),
			Present: e.Present, Missing: e.Missing, Evidence: e.Evidence}
	}
	for _, e := range d.StepsAdded {
		out.Steps.Added = append(out.Steps.Added, step(e))
	}
	for _, e := range d.StepsRemoved {
		out.Steps.Removed = append(out.Steps.Removed, step(e))
	}
	for _, c := range d.StepsChanged {
		out.Steps.Changed = append(out.Steps.Changed, jsonDiffStepChange{step(c.Base), step(c.Head)})
	}
	via := func(f analysis.Flow) graph.Key {
		if f.Via == nil {
			return ""
		}
		return f.Via.Key
	}
	flow := func(f analysis.Flow) jsonDiffFlow {
		return jsonDiffFlow{From: f.From.Key, To: f.To.Key, Via: via(f), Ports: orEmpty(f.Ports)}
	}
	for _, f := range d.FlowsAdded {
		out.Flows.Added = append(out.Flows.Added, flow(f))
	}
	for _, f := range d.FlowsRemoved {
		out.Flows.Removed = append(out.Flows.Removed, flow(f))
	}
	for _, c := range d.FlowsChanged {
		out.Flows.Changed = append(out.Flows.Changed, jsonDiffFlowChange{From: c.Head.From.Key, To: c.Head.To.Key,
			Via: via(c.Head), BasePorts: orEmpty(c.Base.Ports), HeadPorts: orEmpty(c.Head.Ports)})
	}
	return encode(w, out)
}
