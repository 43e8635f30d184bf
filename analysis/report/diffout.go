package report

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/trustpath/trustpath/analysis"
	"github.com/trustpath/trustpath/graph"
	"github.com/trustpath/trustpath/internal/jsonstream"
	texttable "github.com/trustpath/trustpath/internal/table" // report has its own table, for documents
)

// DiffSchema names the JSON encoding of a diff.
const DiffSchema = "trustpath.io/diff/v1"

// WriteText writes the diff as terminal tables fitted to width columns (0:
// no limit, one row per line for grep and cut): counts first, then what is
// new, then what is gone. Paths and missing controls move under their row
// when a table is too wide; nothing is cut.
func (d *Diff) WriteText(w io.Writer, width int) error {
	var b bytes.Buffer
	line := func(hang int, text string) {
		for _, l := range texttable.WrapHanging(text, width, hang) {
			b.WriteString(l + "\n")
		}
	}
	headline := func(title string) {
		b.WriteString("\n")
		line(2, title)
	}
	line(4, fmt.Sprintf("findings: %d in base, %d in head: %d new, %d closed", len(d.Base.Result.Findings),
		len(d.Head.Result.Findings), len(d.Findings.Opened), len(d.Findings.Closed)))
	line(4, fmt.Sprintf("attack paths (actor to target): %d new, %d closed", len(d.ReachAdded), len(d.ReachRemoved)))
	line(4, fmt.Sprintf("steps: %d new, %d removed, %d with other controls", len(d.StepsAdded), len(d.StepsRemoved), len(d.StepsChanged)))
	line(4, fmt.Sprintf("flows: %d new, %d removed, %d on other ports", len(d.FlowsAdded), len(d.FlowsRemoved), len(d.FlowsChanged)))
	var err error // the first a table returns; writes to b cannot fail
	section := func(title string, t *texttable.Table) {
		if t.Len() == 0 || err != nil {
			return
		}
		headline(title)
		err = t.Render(&b, width)
	}
	reach := func(fs []*analysis.Finding) *texttable.Table {
		t := texttable.New("SEVERITY", "ACTOR", "FROM", "TARGET", "PATH")
		t.Below(4, "path")
		for _, f := range fs {
			t.Row(f.Severity.String(), f.Actor.String(), string(startKey(f)), string(f.Target.Vertex.Key), textPath(f.Path))
		}
		return t
	}
	section("NEW ATTACK PATHS (an actor now reaches a target)", reach(d.ReachAdded))
	section("CLOSED ATTACK PATHS", reach(d.ReachRemoved))
	findings := func(fs []*analysis.Finding) *texttable.Table {
		t := texttable.New("SEVERITY", "ACTOR", "CROSSES", "TARGET", "MISSING CONTROL", "PATH")
		t.Below(4, "missing")
		t.Below(5, "path")
		for _, f := range fs {
			t.Row(f.Severity.String(), f.Actor.String(),
				fmt.Sprintf("%s at %s", f.Crossing.Boundary, f.Path.Steps[f.Crossing.Step].T.Key),
				string(f.Target.Vertex.Key), strings.Join(f.Crossing.Missing, "; "), textPath(f.Path))
		}
		return t
	}
	section("NEW FINDINGS", findings(d.Findings.Opened))
	section("CLOSED FINDINGS", findings(d.Findings.Closed))
	steps := func(es []*graph.Edge) *texttable.Table {
		t := texttable.New("FROM", "TO", "TECHNIQUE", "CROSSES", "MISSING CONTROL")
		t.Below(4, "missing")
		for _, e := range es {
			t.Row(string(e.F.Key), string(e.T.Key), e.Label(), e.Boundary.String(), strings.Join(e.Missing, "; "))
		}
		return t
	}
	section("NEW STEPS", steps(d.StepsAdded))
	section("REMOVED STEPS", steps(d.StepsRemoved))
	changed := texttable.New("FROM", "TO", "TECHNIQUE", "CROSSES", "MISSING (BASE -> HEAD)", "PRESENT (BASE -> HEAD)")
	changed.Below(4, "missing")
	changed.Below(5, "present")
	for _, c := range d.StepsChanged {
		changed.Row(string(c.Head.F.Key), string(c.Head.T.Key), c.Head.Label(), c.Head.Boundary.String(),
			orNone(c.Base.Missing)+" -> "+orNone(c.Head.Missing), orNone(c.Base.Present)+" -> "+orNone(c.Head.Present))
	}
	section("STEPS WITH OTHER CONTROLS", changed)
	flows := texttable.New("", "FROM", "TO", "PORTS", "VIA")
	flow := func(sign string, f analysis.Flow, ports string) {
		via := "-"
		if f.Via != nil {
			via = string(f.Via.Key)
		}
		flows.Row(sign, string(f.From.Key), string(f.To.Key), ports, via)
	}
	for _, f := range d.FlowsAdded {
		flow("+", f, strings.Join(f.Ports, ","))
	}
	for _, f := range d.FlowsRemoved {
		flow("-", f, strings.Join(f.Ports, ","))
	}
	for _, c := range d.FlowsChanged {
		flow("~", c.Head, strings.Join(c.Head.Ports, ",")+" (was "+strings.Join(c.Base.Ports, ",")+")")
	}
	section("FLOWS (+ new, - removed, ~ other ports)", flows)
	if err != nil {
		return err
	}
	_, err = w.Write(b.Bytes())
	return err
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
	// The lists below are streamed: on a large estate each can hold
	// millions of findings, steps or flows.
	jsonFindingDiff struct {
		Opened    *jsonstream.Array `json:"opened"` // of Finding
		Closed    *jsonstream.Array `json:"closed"` // of Finding
		Unchanged int               `json:"unchanged"`
	}
	jsonPathDiff struct {
		Added   *jsonstream.Array `json:"added"`   // of Finding
		Removed *jsonstream.Array `json:"removed"` // of Finding
	}
	jsonStepDiff struct {
		Added   *jsonstream.Array `json:"added"`   // of jsonDiffStep
		Removed *jsonstream.Array `json:"removed"` // of jsonDiffStep
		Changed *jsonstream.Array `json:"changed"` // of jsonDiffStepChange
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
		Added   *jsonstream.Array `json:"added"`   // of jsonDiffFlow
		Removed *jsonstream.Array `json:"removed"` // of jsonDiffFlow
		Changed *jsonstream.Array `json:"changed"` // of jsonDiffFlowChange
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

// WriteJSON writes the diff as JSON (DiffSchema). Each finding, step and
// flow is encoded only as it is written.
func (d *Diff) WriteJSON(w io.Writer) error {
	step := func(e *graph.Edge) jsonDiffStep {
		return jsonDiffStep{From: e.F.Key, To: e.T.Key, Technique: e.Technique, Ports: e.Ports, Boundary: e.Boundary.String(),
			Present: e.Present, Missing: e.Missing, Evidence: e.Evidence}
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
	out := jsonDiff{Schema: DiffSchema,
		Base: jsonDiffSide{len(d.Base.Result.Findings)}, Head: jsonDiffSide{len(d.Head.Result.Findings)},
		Findings: jsonFindingDiff{Opened: jsonstream.Map(d.Findings.Opened, FindingJSON),
			Closed: jsonstream.Map(d.Findings.Closed, FindingJSON), Unchanged: len(d.Findings.Remain)},
		Paths: jsonPathDiff{Added: jsonstream.Map(d.ReachAdded, FindingJSON), Removed: jsonstream.Map(d.ReachRemoved, FindingJSON)},
		Steps: jsonStepDiff{Added: jsonstream.Map(d.StepsAdded, step), Removed: jsonstream.Map(d.StepsRemoved, step),
			Changed: jsonstream.Map(d.StepsChanged, func(c StepChange) jsonDiffStepChange {
				return jsonDiffStepChange{step(c.Base), step(c.Head)}
			})},
		Flows: jsonFlowDiff{Added: jsonstream.Map(d.FlowsAdded, flow), Removed: jsonstream.Map(d.FlowsRemoved, flow),
			Changed: jsonstream.Map(d.FlowsChanged, func(c FlowChange) jsonDiffFlowChange {
				return jsonDiffFlowChange{From: c.Head.From.Key, To: c.Head.To.Key,
					Via: via(c.Head), BasePorts: orEmpty(c.Base.Ports), HeadPorts: orEmpty(c.Head.Ports)}
			})}}
	return jsonstream.Encode(w, out, "", "  ", out.Findings.Opened, out.Findings.Closed, out.Paths.Added, out.Paths.Removed,
		out.Steps.Added, out.Steps.Removed, out.Steps.Changed, out.Flows.Added, out.Flows.Removed, out.Flows.Changed)
}
