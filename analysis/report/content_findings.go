package report

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/trustpath/trustpath/analysis"
	"github.com/trustpath/trustpath/graph"
)

func causeHeading(i int, control string) string {
	return fmt.Sprintf("6.%d %s", i+1, code(control))
}

func (r *Review) causeIndex(control string) int {
	for i, c := range r.Result.Causes {
		if c.Control == control {
			return i
		}
	}
	return -1
}

func (r *Review) findingSections(d *document) {
	d.h2(secFindings)
	if len(r.Result.Causes) == 0 {
		d.p("No findings.")
		return
	}
	d.p(fmt.Sprintf("The %s group by the missing control that lets them through. A finding whose crossing one "+
		"technique takes closes when its control is added; where several techniques cross the same boundary (a "+
		"privileged flag and a runtime socket), or a connection has two sides (egress here, ingress there), it is in "+
		"each control's group and closes once every technique is stopped or either side isolated: the verified fixes "+
		"in section 8 count what really closes. Groups are ranked by their worst finding, then by size; the object "+
		"named is the one to change.", plural(len(r.Result.Findings), "finding")))
	t := newTable("#", "severity", "findings", "missing control", "object to change")
	for i, c := range r.Result.Causes {
		worst := c.Findings[0]
		t.row(strconv.Itoa(i+1), c.Severity.String(), strconv.Itoa(len(c.Findings)),
			link(code(c.Control), slug(causeHeading(i, c.Control))), code(FaultObject(c.Control, worst.Path.Steps[worst.Crossing.Step])))
	}
	d.tab(t.alignRight(0, 2))
	shown := map[string]int{} // snippet → the cause that shows it
	// listed marks, by vertex UID, 1 + the last cause whose targets name
	// it: a cause may have a million findings and few targets.
	listed := make([]int, len(r.Graph.Vertices()))
	for i, c := range r.Result.Causes {
		d.h3(causeHeading(i, c.Control))
		worst := c.Findings[0]
		at := worst.Path.Steps[worst.Crossing.Step]
		obj := FaultObject(c.Control, at)
		d.p(fmt.Sprintf("**%s** · %s · %s · object: %s", c.Severity, plural(len(c.Findings), "finding"),
			esc(RuleOf(c.Control).Label), code(obj)))
		d.p("Fix: " + esc(fixSummary(c)) + ".")
		if s := c.Fix.Snippet; s != "" {
			if j, ok := shown[s]; ok {
				d.p("Apply the snippet of " + link(fmt.Sprintf("6.%d", j+1), slug(causeHeading(j, r.Result.Causes[j].Control))) + ".")
			} else {
				shown[s] = i
				d.code(snippetLang(s), s)
			}
		}
		if a := r.hostAgent(r.Graph.Lookup(graph.Key(obj))); a != nil && hostRules[RuleOf(c.Control).ID] {
			d.p(fmt.Sprintf("%s is a host agent (%s), which needs the node by design. If it needs this access, record an "+
				"accepted risk rather than a fix, and guard the agent's image supply chain and configuration.", code(obj), esc(a.Role)))
		}
		var ts []string
		distinct := 0
		for _, f := range c.Findings {
			if u := f.Target.Vertex.UID; listed[u] != i+1 {
				listed[u] = i + 1
				if distinct++; distinct <= 5 {
					ts = append(ts, code(string(f.Target.Vertex.Key)))
				}
			}
		}
		if distinct > 5 {
			ts = append(ts, fmt.Sprintf("%d more", distinct-5))
		}
		d.list(
			fmt.Sprintf("Worst path (%s, %s): %s.", worst.Severity, esc(worst.Actor.String()), pathLine(worst.Path)),
			"Targets: "+strings.Join(ts, ", ")+".")
	}
}

// snippetLang tells YAML from a shell command.
func snippetLang(s string) string {
	if strings.HasPrefix(s, "kubectl ") {
		return "sh"
	}
	return "yaml"
}

func (r *Review) persistenceSection(d *document) {
	d.h2(secPersistence)
	reachable := 0
	for _, p := range r.Persistence {
		if p.Reachable {
			reachable++
		}
	}
	d.p(fmt.Sprintf("Steps that let an attacker stay rather than only move: scheduling recurring pods, running a pod on "+
		"every node, registering admission webhooks, writing to the host, loading kernel modules, starting containers "+
		"outside Kubernetes. The estate has %s, %d of them reachable by an actor; each is the cheapest way there.",
		plural(len(r.Persistence), "such step"), reachable))
	if len(r.Persistence) == 0 {
		return
	}
	t := newTable("from", "step", "to", "crosses", "reachable by", "cost", "evidence")
	for _, p := range r.Persistence[:min(maxPersist, len(r.Persistence))] {
		by, c := "no actor", "—"
		if p.Reachable {
			by, c = p.Actor.String(), cost(p.Cost)
		}
		t.row(code(string(p.Edge.F.Key)), esc(p.Edge.Label()), code(string(p.Edge.T.Key)), p.Boundary.String(), by, c,
			evidenceText(p.Edge, 1, false))
	}
	d.tab(t.alignRight(5))
	more(d, len(r.Persistence)-maxPersist, "persistence step")
}

func (r *Review) fixSection(d *document) {
	d.h2(secFixes)
	d.h3("Choke points")
	d.p("A choke point is a vertex every path from the actors to some high-impact targets (impact 4 or 5) goes through: " +
		"guarding it guards them all. The effect was verified by searching again from every actor, and analysing the " +
		"estate again, with every step into the vertex stopped.")
	if len(r.Chokes) == 0 {
		d.p("None: the high-impact targets are reached along more than one route.")
	} else {
		t := newTable("vertex", "guards", "cut off (verified)", "findings closed")
		for _, c := range r.Chokes {
			var ts []string
			for _, v := range c.Targets[:min(4, len(c.Targets))] {
				ts = append(ts, code(string(v.Key)))
			}
			if len(c.Targets) > 4 {
				ts = append(ts, fmt.Sprintf("%d more", len(c.Targets)-4))
			}
			t.row(code(string(c.Vertex.Key)), strings.Join(ts, ", "), fmt.Sprintf("%d of %d", c.CutOff, len(c.Targets)),
				fmt.Sprintf("%d of %d", c.Closes, len(r.Result.Findings)))
		}
		d.tab(t.alignRight(2, 3))
		d.p("A finding closes when its crossing no longer leads to the target it named; the crossing may remain, " +
			"leading to a lesser target, and is then a finding of its own.")
	}
	d.h3("Fixes, verified")
	if len(r.Fixes) == 0 {
		d.p("No fix to propose.")
		return
	}
	d.p("Each row is the control that closes the most findings once the rows above it are in place, measured by " +
		"analysing the estate again without the steps it stops. The remediation of each is in section 6.")
	t := newTable("#", "control", "closes", "remain", "fix")
	for i, f := range r.Fixes {
		t.row(strconv.Itoa(i+1), link(code(f.Control), slug(causeHeading(r.causeIndex(f.Control), f.Control))),
			strconv.Itoa(f.Closes), strconv.Itoa(f.Remain), esc(fixSummaryOf(f.Control, f.Remedy)))
	}
	d.tab(t.alignRight(0, 2, 3))
}

func (r *Review) allFindings(d *document) {
	d.h2(secAllFindings)
	fs := r.Result.Findings
	d.p(fmt.Sprintf("Every finding, most severe first (%d). A finding is one crossing without a control on a path from "+
		"an actor to a target, with the cheapest such path; the JSON output holds each path in full.", len(fs)))
	if len(fs) == 0 {
		return
	}
	// The crossing's start as well as its end: findings that share an end
	// and a path start (a runner creating privileged pods in several
	// namespaces, each onto any node) differ there.
	t := newTable("#", "severity", "actor", "starts at", "crosses", "from → to", "target")
	for i, f := range fs[:min(maxFindings, len(fs))] {
		start := "internet"
		if f.Actor != analysis.External {
			start = string(f.Path.From().Key)
		}
		t.row(strconv.Itoa(i+1), f.Severity.String(), esc(f.Actor.String()), code(start), f.Crossing.Boundary.String(),
			code(string(f.Crossing.From.Key))+" → "+code(string(f.Path.Steps[f.Crossing.Step].T.Key)), code(string(f.Target.Vertex.Key)))
	}
	d.tab(t.alignRight(0))
	more(d, len(fs)-maxFindings, "finding")
}

func (r *Review) method(d *document) {
	d.h2(secMethod)
	d.list(
		"The estate is one graph: vertices for what an attacker may stand on or reach, edges for the steps between them, "+
			"each with its technique, the trust boundary it crosses, the controls present and missing, and the objects "+
			"that produced it as evidence. Containment is data, not a step.",
		"Each actor kind's cheapest paths are searched forward (Dijkstra) and each target tier's backward; a finding is "+
			"an edge an actor reaches, that leads to a target, and that crosses a boundary (pod or wider) where a control is missing.",
		"Cost is attacker effort: 1 for using what Kubernetes hands over (a mounted token, a granted right), 2 for a "+
			"step that needs a new pod scheduled or some care, 5 for exploiting a listening service.",
		"Severity is impact × ease. Ease is 3 for a path costing at most 4, 2 up to 8, 1 beyond. Score 12 or more is "+
			"critical, 8 high, 4 medium, below that low.",
		"Fixes and choke points are verified, not estimated: the analysis runs again without the steps the control "+
			"would stop, and the findings that remain are counted.",
	)
}
