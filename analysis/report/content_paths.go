package report

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/trustpath/trustpath/analysis"
	"github.com/trustpath/trustpath/graph"
)

func (r *Review) actorSections(d *document) {
	d.h2(secActors)
	d.p("trustpath starts every threat actor of the design: the **external attacker** on the internet, a " +
		"**compromised container** (any container, as if its application were exploited) and a **malicious user** " +
		"(any user or group, acting with the rights bound to it, or someone holding its credentials).")
	for _, a := range r.Actors {
		switch a.Kind {
		case analysis.External:
			d.h3("External attacker")
			d.p(fmt.Sprintf("The internet reaches %s; %s start here, the worst %s.",
				plural(len(a.Entries), "exposed endpoint"), plural(a.Findings, "finding"), sevText(a.Worst)))
			t := newTable("entry point", "exposed by", "ports", "controls missing", "findings", "worst")
			for _, e := range a.Entries[:min(maxEntries, len(a.Entries))] {
				var missing []string
				for _, m := range e.Step.Missing {
					missing = append(missing, code(m))
				}
				t.row(code(string(e.Vertex.Key)), evidenceText(e.Step, 2, true), dash(code(strings.Join(e.Step.Ports, ","))),
					dash(strings.Join(missing, "; ")), strconv.Itoa(e.Findings), sevCell(e.Worst))
			}
			d.tab(t.alignRight(4))
			more(d, len(a.Entries)-maxEntries, "entry point")
		case analysis.CompromisedContainer:
			d.h3("Compromised container")
			d.p(fmt.Sprintf("Any of the %s may be compromised; the %d below start findings (%s in all). Those marked "+
				"internet-facing are reached by the external attacker first, so their compromise is the likeliest.",
				plural(a.Starts, "container"), len(a.Entries), plural(a.Findings, "finding")))
			r.entryTable(d, a, true)
		case analysis.MaliciousUser:
			d.h3("Malicious user")
			d.p(fmt.Sprintf("Of the %d users and groups the bindings name, the %d below start findings (%s in all).",
				a.Starts, len(a.Entries), plural(a.Findings, "finding")))
			r.entryTable(d, a, false)
		}
	}
}

func (r *Review) entryTable(d *document, a ActorSummary, facing bool) {
	if len(a.Entries) == 0 {
		return
	}
	head := []string{"starts at", "findings", "worst", "targets reached"}
	if facing {
		head = append(head, "internet-facing")
	}
	t := newTable(head...)
	for _, e := range a.Entries[:min(maxEntries, len(a.Entries))] {
		row := []string{code(string(e.Vertex.Key)), strconv.Itoa(e.Findings), sevCell(e.Worst), strconv.Itoa(e.Targets)}
		if facing {
			row = append(row, yes(e.InternetFacing))
		}
		t.row(row...)
	}
	d.tab(t.alignRight(1, 3))
	more(d, len(a.Entries)-maxEntries, "starting point")
}

func (r *Review) targetSection(d *document) {
	d.h2(secTargets)
	d.p(fmt.Sprintf("Targets are what attack paths end at, graded by impact: 5 for cluster-admin and crown jewels, 4 for "+
		"nodes, clusters and kube-system, 3 for Secrets and namespace admins. %d of the %d targets are reachable by an "+
		"actor. A finding names the gravest target its crossing leads to, so a target passed on the way to a graver "+
		"one (a node on the way to a crown jewel) is reached with no finding of its own.",
		len(r.reachedTargets()), len(r.Targets)))
	if len(r.Targets) == 0 {
		return
	}
	t := newTable("target", "why", "impact", "reached by", "cheapest cost", "findings", "worst")
	for _, x := range r.Targets[:min(maxTargets, len(r.Targets))] {
		var actors []string
		for _, a := range x.Actors {
			actors = append(actors, a.String())
		}
		c := "—"
		if x.Reached() {
			c = cost(x.Cost)
		}
		t.row(code(string(x.Vertex.Key)), esc(x.Why), strconv.Itoa(int(x.Impact)), dash(strings.Join(actors, ", ")), c,
			strconv.Itoa(x.Findings), sevCell(x.Worst))
	}
	d.tab(t.alignRight(2, 4, 5))
	more(d, len(r.Targets)-maxTargets, "target")
}

// pathHeading is the heading of the i-th top path.
func pathHeading(i int, f *analysis.Finding) string {
	return fmt.Sprintf("Path %d (%s): %s → %s", i+1, f.Severity, code(string(f.Path.From().Key)), code(string(f.Target.Vertex.Key)))
}

func (r *Review) pathSections(d *document) {
	d.h2(secPaths)
	if len(r.Paths) == 0 {
		d.p("No attack path crosses a trust boundary without a control.")
		return
	}
	d.p("The worst finding of each actor, then the next worst with a start and target not told yet. Each diagram draws " +
		"the path inside its trust boundaries (cluster, namespace, pod group); the steps where a control was missing are " +
		"red and name the control.")
	for i, f := range r.Paths {
		d.h3(pathHeading(i, f))
		d.p(fmt.Sprintf("%s reaches %s (%s) in %s at cost %s. **%s**: impact %d × ease %d = score %d. "+
			"The path crosses the **%s** boundary at step %d, into %s, where %s.",
			capitalize(actorStart(f)), code(string(f.Target.Vertex.Key)), esc(f.Target.Why),
			plural(len(f.Path.Steps), "step"), cost(f.Path.Cost), f.Severity, f.Target.Impact,
			f.Score/max(1, int(f.Target.Impact)), f.Score, f.Crossing.Boundary, f.Crossing.Step+1,
			code(string(f.Path.Steps[f.Crossing.Step].T.Key)), missingText(f.Crossing.Missing)))
		d.fig(fmt.Sprintf("path-%d", i+1), pathTitle(i, f))
		d.tab(stepTable(f.Path))
		if a := r.hostAgent(f.Path.From()); a != nil && f.Crossing.Boundary == graph.BoundaryNode {
			d.p(fmt.Sprintf("The path starts in a host agent (%s), which needs the node by design. If its access is "+
				"needed, record it as an accepted risk, and guard the agent's image supply chain and configuration.", esc(a.Role)))
		}
		var fixes []string
		for _, c := range f.Crossing.Missing {
			fixes = append(fixes, link(code(c), slug(causeHeading(r.causeIndex(c), c))))
		}
		d.p("Remediation: " + strings.Join(fixes, "; ") + ".")
	}
}

// stepTable tells a path step by step: what the attacker does, where it
// lands, the boundary crossed and the control missing, or the evidence.
func stepTable(p analysis.Path) table {
	crossed := map[int]analysis.Crossing{}
	for _, c := range p.Crossings() {
		crossed[c.Step] = c
	}
	t := newTable("#", "step", "to", "crosses", "missing control, or evidence")
	for i, e := range p.Steps {
		crosses, why := "—", evidenceText(e, 3, true)
		if c, ok := crossed[i]; ok {
			crosses = c.Boundary.String()
			if len(c.Missing) > 0 {
				var ms []string
				for _, m := range c.Missing {
					ms = append(ms, code(m))
				}
				why = "✗ " + strings.Join(ms, "; ")
			}
		}
		t.row(strconv.Itoa(i+1), esc(e.Label()), code(string(e.T.Key)), crosses, why)
	}
	return t.alignRight(0)
}

// evidenceText names the objects behind a step, at most n, and its note.
func evidenceText(e *graph.Edge, n int, note bool) string {
	var parts []string
	for _, ev := range e.Evidence[:min(n, len(e.Evidence))] {
		s := code(string(ev.Object))
		if ev.Detail != "" {
			s += " " + detail(ev.Detail)
		}
		parts = append(parts, s)
	}
	if len(e.Evidence) > n {
		parts = append(parts, fmt.Sprintf("%d more", len(e.Evidence)-n))
	}
	if note && e.Note != "" {
		parts = append(parts, "note: "+esc(e.Note))
	}
	return dash(strings.Join(parts, "; "))
}

// detail writes an evidence detail: as code when it quotes the manifest
// (rules[0]: {verbs: ["*"]}), else as text.
func detail(s string) string {
	if strings.ContainsAny(s, "*[]{}`|<\\") {
		return code(s)
	}
	return esc(s)
}

// missingText says which controls a crossing lacks. With several, the
// crossing is taken by several techniques or has two sides (egress here,
// ingress there); the verified fixes say which suffice.
func missingText(ms []string) string {
	var cs []string
	for _, m := range ms {
		cs = append(cs, code(m))
	}
	if len(cs) == 1 {
		return cs[0] + " is missing"
	}
	return "these controls are missing: " + strings.Join(cs, ", ")
}

func more(d *document, n int, noun string) {
	if n > 0 {
		d.p("…and " + strings.Replace(plural(n, noun), " ", " more ", 1) + "; the JSON output lists them all.")
	}
}

// pathLine writes a path on one line, vertex keys joined by arrows.
func pathLine(p analysis.Path) string {
	var keys []string
	for _, v := range p.Vertices() {
		keys = append(keys, code(string(v.Key)))
	}
	return strings.Join(keys, " → ")
}

func sevCell(s analysis.Severity) string {
	if s == 0 {
		return "—"
	}
	return s.String()
}

func sevText(s analysis.Severity) string {
	if s == 0 {
		return "none"
	}
	return s.String()
}

func yes(b bool) string {
	if b {
		return "yes"
	}
	return "—"
}

func cost(c float64) string { return strings.TrimSuffix(strconv.FormatFloat(c, 'f', 1, 64), ".0") }

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// fixSummary is what to do about a cause: the analysis's remedy, or the
// rule's advice where the analysis has no template for the phrase.
func fixSummary(c *analysis.Cause) string { return fixSummaryOf(c.Control, c.Fix) }

func fixSummaryOf(control string, r analysis.Remedy) string {
	if rule := RuleOf(control); rule.Fix != "" && strings.HasPrefix(r.Summary, "add the control") {
		return rule.Fix + " (" + control + ")"
	}
	return r.Summary
}

// hostRules are the types of missing control a host agent may need by
// design.
var hostRules = map[string]bool{"privileged": true, "host-path": true, "host-pid": true, "host-network": true, "capability": true}

// hostAgent returns the host agent that v is or runs in, or nil.
func (r *Review) hostAgent(v *graph.Vertex) *Agent {
	if v != nil && v.Kind == graph.KindContainer {
		v = r.Graph.Lookup(v.Loc.Pod)
	}
	if v == nil {
		return nil
	}
	for _, c := range r.Inventory.Clusters {
		for i, a := range c.Agents {
			if a.Workload == v && a.Host {
				return &c.Agents[i]
			}
		}
	}
	return nil
}

// reachedTargets are the targets some actor reaches, gravest first.
func (r *Review) reachedTargets() []TargetRisk {
	var out []TargetRisk
	for _, t := range r.Targets {
		if t.Reached() {
			out = append(out, t)
		}
	}
	return out
}
