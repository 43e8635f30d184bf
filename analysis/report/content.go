package report

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/trustpath/trustpath/analysis"
	"github.com/trustpath/trustpath/graph"
)

// Section titles; the contents list links to them by slug.
const (
	secSummary     = "Summary"
	secScope       = "1. Scope and inventory"
	secBoundaries  = "2. Trust boundaries"
	secActors      = "3. Threat actors and entry points"
	secTargets     = "4. Targets and impact"
	secPaths       = "5. Top attack paths"
	secFindings    = "6. Findings and remediation"
	secPersistence = "7. Persistence risks"
	secFixes       = "8. Choke points and verified fixes"
	secAllFindings = "Appendix A. All findings"
	secMethod      = "Appendix B. Method"
)

// Limits keep the document readable for a large estate; JSON has it all.
const (
	maxEntries  = 15
	maxTargets  = 30
	maxFindings = 300
	maxPersist  = 30
)

// document lays the review out as a reviewer reads it.
func (r *Review) document() *document {
	d := &document{title: esc(r.Title)}
	r.intro(d)
	r.summary(d)
	r.scope(d)
	r.boundaryTable(d)
	r.actorSections(d)
	r.targetSection(d)
	r.pathSections(d)
	r.findingSections(d)
	r.persistenceSection(d)
	r.fixSection(d)
	r.allFindings(d)
	r.method(d)
	return d
}

func (r *Review) intro(d *document) {
	objects := 0
	for _, c := range r.Scope.Clusters {
		objects += c.Objects
	}
	var clusters []string
	for _, c := range r.Graph.Clusters() {
		clusters = append(clusters, code(c))
	}
	d.p(fmt.Sprintf("This review was produced by trustpath from %s read from %s (%s). It follows the threat-modelling "+
		"process: identify the threats (who may attack, where they enter, and which trust boundaries their paths cross "+
		"without meeting a control), assess their impact (what each path reaches), and list the countermeasures (the "+
		"missing controls, ranked, with fixes whose effect was verified by analysing the estate again).",
		plural(objects, "object"), plural(len(clusters), "cluster"), strings.Join(clusters, ", ")))
	var toc []string
	for _, s := range []string{secSummary, secScope, secBoundaries, secActors, secTargets, secPaths, secFindings,
		secPersistence, secFixes, secAllFindings, secMethod} {
		toc = append(toc, link(esc(s), slug(s)))
	}
	d.list(toc...)
}

func (r *Review) summary(d *document) {
	d.h2(secSummary)
	res := r.Result
	sev := map[analysis.Severity]int{}
	act := map[analysis.ActorKind]int{}
	for _, f := range res.Findings {
		sev[f.Severity]++
		act[f.Actor]++
	}
	var items []string
	if len(res.Findings) == 0 {
		items = append(items, "**No findings**: no path from an actor to a target crosses a trust boundary where a control is missing.")
	} else {
		items = append(items,
			fmt.Sprintf("**%s** from **%s**: %d critical, %d high, %d medium, %d low.",
				plural(len(res.Findings), "finding"), plural(len(res.Causes), "missing control"),
				sev[analysis.Critical], sev[analysis.High], sev[analysis.Medium], sev[analysis.Low]),
			fmt.Sprintf("By actor: %d from the external attacker, %d from a compromised container, %d from a malicious user.",
				act[analysis.External], act[analysis.CompromisedContainer], act[analysis.MaliciousUser]))
	}
	if reached := r.reachedTargets(); len(reached) > 0 {
		var top []string
		for _, t := range reached[:min(3, len(reached))] {
			top = append(top, code(string(t.Vertex.Key))+" ("+esc(t.Why)+")")
		}
		items = append(items, fmt.Sprintf("%d of the %d targets are reachable by an actor; the gravest: %s.",
			len(reached), len(r.Targets), strings.Join(top, ", ")))
	}
	if len(r.Paths) > 0 {
		f := r.Paths[0]
		items = append(items, fmt.Sprintf("Worst path: %s, **%s**, crossing the %s boundary at %s where %s is missing ([Path 1](#%s)).",
			actorStart(f)+" reaches "+code(string(f.Target.Vertex.Key)), f.Severity, f.Crossing.Boundary,
			code(string(f.Path.Steps[f.Crossing.Step].T.Key)), code(f.Crossing.Missing[0]), slug(pathHeading(0, f))))
	}
	if n := len(r.Fixes); n > 0 {
		closed := len(res.Findings) - r.Fixes[n-1].Remain
		items = append(items, fmt.Sprintf("Adding the %s in [section 8](#%s) closes %d of the %d findings (verified by re-analysis).",
			plural(n, "control"), slug(secFixes), closed, len(res.Findings)))
	}
	items = append(items, r.coverageSentence())
	d.list(items...)
}

// coverageSentence says how complete the input was.
func (r *Review) coverageSentence() string {
	gaps, problems, skipped := 0, 0, 0
	for _, c := range r.Scope.Clusters {
		gaps += len(c.Gaps)
		problems += len(c.Problems)
		for _, k := range c.Skipped {
			skipped += k.Count
		}
	}
	if gaps == 0 && problems == 0 {
		s := "Coverage: everything given was read"
		if skipped > 0 {
			s += fmt.Sprintf(" (%s of kinds trustpath does not analyse were skipped)", plural(skipped, "object"))
		}
		return s + "; see [what could not be read](#what-could-not-be-read)."
	}
	return fmt.Sprintf("Coverage is **incomplete**: %s and %s; conclusions may miss what they hide "+
		"(see [what could not be read](#what-could-not-be-read)).", plural(gaps, "coverage gap"), plural(problems, "problem"))
}

func (r *Review) scope(d *document) {
	d.h2(secScope)
	if len(r.Scope.Sources) > 0 {
		var src []string
		for _, s := range r.Scope.Sources {
			src = append(src, code(s))
		}
		d.p("Sources read: " + strings.Join(src, ", ") + ".")
	}
	objects := map[string]int{}
	for _, c := range r.Scope.Clusters {
		objects[c.Name] = c.Objects
	}
	t := newTable("cluster", "objects read", "nodes", "namespaces", "pod groups", "containers", "service accounts",
		"users / groups", "secrets", "services / ingresses")
	for _, c := range r.Inventory.Clusters {
		t.row(code(c.Name), strconv.Itoa(objects[c.Name]), strconv.Itoa(len(c.Nodes)), strconv.Itoa(len(c.Namespaces)),
			strconv.Itoa(c.Workloads), strconv.Itoa(c.Containers), strconv.Itoa(c.ServiceAccounts),
			fmt.Sprintf("%d / %d", c.Users, c.Groups), strconv.Itoa(c.Secrets), fmt.Sprintf("%d / %d", c.Services, c.Ingresses))
	}
	d.tab(t.alignRight(1, 2, 3, 4, 5, 6, 8))
	d.p("Pod groups are the replicas of one pod template, counted once. Users and groups are the RBAC subjects the " +
		"bindings name; secrets are known by name, type and key names only: no value is read into the model or printed here.")

	d.h3("Nodes")
	t = newTable("node", "kubelet", "operating system")
	for _, c := range r.Inventory.Clusters {
		for _, n := range c.Nodes {
			t.row(code(string(n.Key)), dash(esc(n.Prop("kubelet"))), dash(esc(n.Prop("os"))))
		}
	}
	if len(t.rows) == 0 {
		d.p("The input holds no Node objects.")
	} else {
		d.tab(t)
	}

	d.h3("Namespaces")
	d.p("Pod Security is the level the namespace enforces (none: the cluster default, `privileged` unless the API " +
		"server is configured otherwise). Open for ingress (egress) counts the pod groups no NetworkPolicy isolates in " +
		"that direction, among those the network analysis found a connection to (from).")
	t = newTable("cluster", "namespace", "Pod Security", "pod groups", "secrets", "open for ingress", "open for egress")
	for _, c := range r.Inventory.Clusters {
		for _, n := range c.Namespaces {
			t.row(code(c.Name), code(n.Name), dash(esc(n.PSA)), strconv.Itoa(n.Workloads), strconv.Itoa(n.Secrets),
				strconv.Itoa(n.OpenIngress), strconv.Itoa(n.OpenEgress))
		}
	}
	d.tab(t.alignRight(3, 4, 5, 6))

	d.h3("Identities")
	var items []string
	for _, c := range r.Inventory.Clusters {
		items = append(items, fmt.Sprintf("%s: %s; %s run with a service-account token mounted; %s and %s act with the RBAC rights bound to them.",
			code(c.Name), plural(c.ServiceAccounts, "service account"), plural(c.MountedTokens, "pod group"),
			plural(c.Users, "user"), plural(c.Groups, "group")))
	}
	var subjects []string
	for _, v := range r.Graph.Vertices() {
		if v.Kind == graph.KindUser || v.Kind == graph.KindGroup {
			subjects = append(subjects, code(string(v.Key)))
		}
	}
	if len(subjects) > 0 {
		items = append(items, "Users and groups: "+strings.Join(subjects, ", ")+".")
	}
	d.list(items...)

	d.h3("Detection and monitoring")
	t = newTable("workload", "image", "recognised as")
	for _, c := range r.Inventory.Clusters {
		for _, a := range c.Agents {
			t.row(code(string(a.Workload.Key)), code(a.Image), esc(a.Role))
		}
	}
	if len(t.rows) == 0 {
		d.p("No detection or monitoring agent was recognised by its image (Falco, Tetragon, Prometheus, Loki, Fluent Bit and the like). " +
			"An attack along the paths below may go unnoticed.")
	} else {
		d.p("Agents recognised by their image. They detect and limit rather than prevent, so no path below counts them as a " +
			"control; a privileged agent is itself a path to its node (see the findings).")
		d.tab(t)
	}

	d.h3("What could not be read")
	items = nil
	for _, c := range r.Scope.Clusters {
		for _, g := range c.Gaps {
			items = append(items, fmt.Sprintf("%s: coverage gap: %s", code(c.Name), esc(g)))
		}
		for _, p := range c.Problems {
			items = append(items, fmt.Sprintf("%s: %s", code(c.Name), esc(p)))
		}
		if len(c.Skipped) > 0 {
			var ks []string
			for _, k := range c.Skipped {
				ks = append(ks, fmt.Sprintf("%s ×%d", code(k.Kind), k.Count))
			}
			items = append(items, fmt.Sprintf("%s: kinds read but not analysed: %s.", code(c.Name), strings.Join(ks, ", ")))
		}
	}
	if len(items) == 0 {
		items = append(items, "Every document given was read; no coverage gap was reported.")
	}
	items = append(items, "Out of scope for this analysis: what the input does not hold (objects outside it, apart from "+
		"Kubernetes' built-in roles), cloud IAM and the nodes' own configuration beyond their Node objects, admission "+
		"webhooks' decisions, and vulnerabilities in the container images; an exploit of a listening service is assumed possible.")
	d.list(items...)
}

func (r *Review) boundaryTable(d *document) {
	d.h2(secBoundaries)
	d.p("Every attacker step crosses at most one trust boundary: the widest between where it starts and where it lands " +
		"(for a connection through the pod network, between the pods on either side). A step is guarded when a control " +
		"on that crossing is present and unguarded when a control that would stop it is missing; steps with neither " +
		"(a Service routing to its pods) need no control. Worst offenders are the missing controls behind the most " +
		"findings that cross the boundary.")
	t := newTable("boundary", "steps", "guarded", "unguarded", "controls present", "controls missing (steps)", "worst offenders (findings)")
	for _, b := range r.Boundaries {
		var present, missing, offenders []string
		for _, c := range b.Present[:min(3, len(b.Present))] {
			present = append(present, fmt.Sprintf("%s ×%d", code(c.Control), c.Steps))
		}
		if n := len(b.Present) - 3; n > 0 {
			present = append(present, fmt.Sprintf("%d more", n))
		}
		for _, m := range b.Missing {
			missing = append(missing, fmt.Sprintf("%s ×%d", esc(m.Rule.Label), m.Steps))
		}
		for _, o := range b.Offenders[:min(3, len(b.Offenders))] {
			if o.Findings > 0 {
				offenders = append(offenders, fmt.Sprintf("%s (%d)", code(o.Control), o.Findings))
			}
		}
		t.row(strong(b.Boundary.String()), strconv.Itoa(b.Steps), strconv.Itoa(b.Guarded), strconv.Itoa(b.Unguarded),
			dash(strings.Join(present, "; ")), dash(strings.Join(missing, "; ")), dash(strings.Join(offenders, "; ")))
	}
	d.tab(t.alignRight(1, 2, 3))
	d.p("The controls trustpath looks for at each boundary:")
	d.list(
		"**cluster**: separate clusters per stage, no credentials of one cluster stored in another, no exposure to the "+
			"internet beyond what is intended (source ranges on load balancers).",
		"**node**: no container escape primitives (privileged, host namespaces, sensitive hostPath, dangerous "+
			"capabilities), Pod Security enforced so none can be created, node-scoped credentials limited.",
		"**namespace**: RBAC scoped to the namespace, NetworkPolicy isolation, Pod Security Admission level.",
		"**pod**: NetworkPolicy ingress and egress, a dedicated service account, the token not mounted where unused.",
		"**container**: seccomp, AppArmor or SELinux, non-root, read-only root filesystem, no privilege escalation, "+
			"minimal capabilities; these make an escape harder and show as controls present on the escape steps.")
}

// dash stands in for an empty cell.
func dash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// plural writes n and the noun, with an s when n is not 1.
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
