package report

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/trustpath/trustpath/analysis"
	"github.com/trustpath/trustpath/graph"
	"github.com/trustpath/trustpath/graph/graphtest"
)

// estate is a hand-built graph with known answers:
//
//	internet -[exposed]-> deployment/a/web -[exploit]-> container/a/web/web
//	container/a/web/web -[token]-> serviceaccount/a/web -[read via API]-> secret/b/s (crown jewel)
//	    (crosses namespace; missing: least-privilege RBAC: rolebinding/b/web …)
//	container/a/web/web -[connect]-> pod-network -[connect]-> deployment/b/db
//	    (missing: egress NetworkPolicy for deployment/a/web, ingress … for deployment/b/db)
//	container/a/web/web -[escape via privileged]-> node/n1 (present: runAsUser: 1000)
//	user/alice -[schedule recurring pod]-> serviceaccount/a/web (persistence)
func estate(t testing.TB) *graph.Graph {
	t.Helper()
	b := graph.NewBuilder()
	pod := func(ns, name string) graph.Location {
		return graph.Location{Cluster: "c", Namespace: ns, Pod: graph.NewKey("", graph.KindDeployment, ns, name)}
	}
	ctr := func(ns, name string) graph.Location {
		l := pod(ns, name)
		l.Container = name
		return l
	}
	for _, v := range []*graph.Vertex{
		{Key: "internet", Kind: graph.KindInternet, Name: "internet"},
		{Key: "namespace/a", Kind: graph.KindNamespace, Name: "a", Loc: graph.Location{Cluster: "c", Namespace: "a"}, Props: map[string]string{"psa-enforce": "baseline"}},
		{Key: "deployment/a/web", Kind: graph.KindDeployment, Name: "web", Loc: pod("a", "web"), Props: map[string]string{"replicas": "2"}},
		{Key: "container/a/web/web", Kind: graph.KindContainer, Name: "web", Loc: ctr("a", "web"), Props: map[string]string{"image": "falcosecurity/falco:0.39"}},
		{Key: "serviceaccount/a/web", Kind: graph.KindServiceAccount, Name: "web", Loc: graph.Location{Cluster: "c", Namespace: "a"}},
		{Key: "pod-network", Kind: graph.KindPodNetwork, Loc: graph.Location{Cluster: "c"}},
		{Key: "deployment/b/db", Kind: graph.KindDeployment, Name: "db", Loc: pod("b", "db")},
		{Key: "secret/b/s", Kind: graph.KindSecret, Name: "s", Loc: graph.Location{Cluster: "c", Namespace: "b"}, Props: map[string]string{graph.PropCrownJewel: "true"}},
		{Key: "node/n1", Kind: graph.KindNode, Name: "n1", Loc: graph.Location{Cluster: "c", Node: "n1"}, Props: map[string]string{"kubelet": "v1.31.4"}},
		{Key: "user/alice", Kind: graph.KindUser, Name: "alice", Loc: graph.Location{Cluster: "c"}},
	} {
		if err := b.AddVertex(v); err != nil {
			t.Fatal(err)
		}
	}
	step := func(from, to graph.Key, tech graph.Technique, e graph.Edge) {
		t.Helper()
		e.Technique = tech
		e.Evidence = append(e.Evidence, graph.Evidence{Object: from, Detail: "test"})
		if err := b.AddEdge(from, to, e); err != nil {
			t.Fatal(err)
		}
	}
	step("internet", "deployment/a/web", graph.TechExposed, graph.Edge{Ports: []string{"tcp/443"}})
	step("deployment/a/web", "container/a/web/web", graph.TechExploit, graph.Edge{})
	step("container/a/web/web", "serviceaccount/a/web", graph.TechMountToken, graph.Edge{Missing: []string{"automountServiceAccountToken: false on deployment/a/web"}})
	step("serviceaccount/a/web", "secret/b/s", graph.TechReadSecret, graph.Edge{Missing: []string{"least-privilege RBAC: rolebinding/b/web (role role/b/read)"},
		Evidence: []graph.Evidence{{Object: "rolebinding/b/web", Detail: `rules[0]: {verbs: ["*"]}`}}})
	step("container/a/web/web", "pod-network", graph.TechConnect, graph.Edge{Missing: []string{"egress NetworkPolicy for deployment/a/web"}})
	step("pod-network", "deployment/b/db", graph.TechConnect, graph.Edge{Missing: []string{"ingress NetworkPolicy for deployment/b/db"}})
	step("container/a/web/web", "node/n1", graph.TechEscapePrivileged, graph.Edge{Present: []string{"runAsUser: 1000"},
		Missing: []string{"privileged: false on deployment/a/web"}})
	step("user/alice", "serviceaccount/a/web", graph.TechCronJob, graph.Edge{})
	g := b.Build()
	graphtest.Validate(t, g)
	return g
}

func TestEffectiveBoundaries(t *testing.T) {
	t.Parallel()
	g := estate(t)
	eff := effectiveBoundaries(g)
	got := map[string]graph.Boundary{}
	for _, e := range g.Edges() {
		got[string(e.F.Key)+" -> "+string(e.T.Key)] = eff[e.UID]
	}
	want := map[string]graph.Boundary{
		"internet -> deployment/a/web":                graph.BoundaryCluster,
		"deployment/a/web -> container/a/web/web":     graph.BoundaryNone,
		"container/a/web/web -> serviceaccount/a/web": graph.BoundaryNone,
		"serviceaccount/a/web -> secret/b/s":          graph.BoundaryNamespace,
		"container/a/web/web -> pod-network":          graph.BoundaryNamespace, // towards b/db
		"pod-network -> deployment/b/db":              graph.BoundaryNamespace, // from a/web
		"container/a/web/web -> node/n1":              graph.BoundaryNode,
		"user/alice -> serviceaccount/a/web":          graph.BoundaryNone,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("effective boundaries (-want +got):\n%s", diff)
	}
}

func TestBuild(t *testing.T) {
	t.Parallel()
	g := estate(t)
	r := Build(g, Options{Scope: Scope{Sources: []string{"estate.yaml"}, Clusters: []ClusterScope{{Name: "c", Objects: 7,
		Gaps: []string{"no permission to list secrets cluster-wide"}}}}})
	if len(r.Result.Findings) == 0 {
		t.Fatal("no findings; the estate has several")
	}
	var ns *BoundaryRow
	for i := range r.Boundaries {
		if r.Boundaries[i].Boundary == graph.BoundaryNamespace {
			ns = &r.Boundaries[i]
		}
	}
	if ns == nil || ns.Steps != 3 || ns.Unguarded != 3 {
		t.Fatalf("namespace row %+v, want 3 steps, all unguarded", ns)
	}
	if r.Boundaries[0].Boundary != graph.BoundaryCluster || len(r.Boundaries) != 5 {
		t.Errorf("boundary rows start at %v, %d of them; want cluster first, 5", r.Boundaries[0].Boundary, len(r.Boundaries))
	}
	if len(ns.Offenders) == 0 || ns.Offenders[0].Findings == 0 {
		t.Errorf("namespace offenders %+v, want the RBAC binding with findings first", ns.Offenders)
	}
	var node BoundaryRow
	for _, b := range r.Boundaries {
		if b.Boundary == graph.BoundaryNode {
			node = b
		}
	}
	if node.Guarded != 1 || len(node.Present) != 1 || node.Present[0].Control != "runAsUser: 1000" {
		t.Errorf("node row %+v, want the escape guarded by runAsUser: 1000", node)
	}
	if got := len(r.Inventory.Clusters); got != 1 {
		t.Fatalf("%d clusters in the inventory, want 1", got)
	}
	c := r.Inventory.Clusters[0]
	if c.Workloads != 2 || c.Containers != 1 || c.MountedTokens != 1 || len(c.Nodes) != 1 || len(c.Agents) != 1 {
		t.Errorf("inventory %+v, want 2 pod groups, 1 container with a token, 1 node, 1 agent (falco)", c)
	}
	if len(r.Persistence) != 1 || !r.Persistence[0].Reachable || r.Persistence[0].Actor != analysis.MaliciousUser {
		t.Errorf("persistence %+v, want alice's CronJob step, reachable by a malicious user", r.Persistence)
	}
	actors := map[analysis.ActorKind]bool{}
	for _, f := range r.Paths {
		actors[f.Actor] = true
	}
	if !actors[analysis.External] || !actors[analysis.CompromisedContainer] {
		t.Errorf("top paths cover actors %v, want the external attacker and a compromised container", actors)
	}

	var md, html, js bytes.Buffer
	if err := r.WriteMarkdown(&md, map[string]string{"path-1": "review-path-1.svg"}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"# Threat model: c", "## 2. Trust boundaries", "| **namespace** | 3 | 0 | 3 |",
		"![Path 1: ", "](review-path-1.svg)", "coverage gap: no permission to list secrets cluster-wide",
		"### 6.1 `"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("Markdown lacks %q", want)
		}
	}
	if err := r.WriteHTML(&html, map[string][]byte{"path-1": []byte(`<?xml version="1.0"?><!DOCTYPE svg><svg id="graph0"><g id="node1"></g></svg>`)}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<!DOCTYPE html>", `<svg id="path-1-graph0">`, `<g id="path-1-node1">`, `<td class="sev sev-critical">critical</td>`} {
		if !strings.Contains(html.String(), want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	for _, banned := range []string{"<?xml", "<script", "http://", "https://"} {
		if strings.Contains(html.String(), banned) {
			t.Errorf("HTML holds %q: it must be self-contained", banned)
		}
	}
	if err := r.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(js.String(), "{\n  \"schema\": \"trustpath.io/review/v1\"") {
		t.Errorf("JSON starts %.60q", js.String())
	}
}

func TestRenderDiagrams(t *testing.T) {
	t.Parallel()
	r := Build(estate(t), Options{Top: 1})
	svgs, err := r.RenderDiagrams(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(svgs) != 1 || !bytes.Contains(svgs["path-1"], []byte("<svg")) {
		t.Errorf("diagrams %v, want one SVG named path-1", len(svgs))
	}
}

func TestFaultObject(t *testing.T) {
	t.Parallel()
	at := &graph.Edge{F: &graph.Vertex{Key: "prod:serviceaccount/a/web"}, T: &graph.Vertex{Key: "prod:secret/b/s"},
		Evidence: []graph.Evidence{{Object: "prod:secret/a/web-token"}}}
	tests := []struct {
		control, want, rule string
	}{
		{"least-privilege RBAC: rolebinding/b/web (role role/b/read)", "prod:rolebinding/b/web", "rbac-excess"},
		{"least-privilege RBAC: clusterrolebinding/ci (role clusterrole/ci)", "prod:clusterrolebinding/ci", "rbac-excess"},
		{"Pod Security Admission enforce: baseline on namespace legacy", "prod:namespace/legacy", "pod-security"},
		{"egress NetworkPolicy for prod:deployment/a/web", "prod:deployment/a/web", "network-egress"},
		{"ingress NetworkPolicy for prod:statefulset/b/db", "prod:statefulset/b/db", "network-ingress"},
		{"loadBalancerSourceRanges on service/shop/frontend", "prod:service/shop/frontend", "lb-source-ranges"},
		{"no hostPath /var/run/containerd/containerd.sock on prod:deployment/l/r", "prod:deployment/l/r", "host-path"},
		{"readOnly: true on hostPath / on prod:daemonset/m/ne", "prod:daemonset/m/ne", "host-path"},
		{"privileged: false on prod:daemonset/f/f", "prod:daemonset/f/f", "privileged"},
		{"no added capability SYS_ADMIN on prod:deployment/x/y", "prod:deployment/x/y", "capability"},
		{"no long-lived token Secret for serviceaccount a/web", "prod:secret/a/web-token", "token-secret"},
		{"no credentials of cluster prod stored in cluster staging", "prod:secret/a/web-token", "cross-cluster-credentials"},
		{"something new", "prod:secret/a/web-token", "missing-control"},
	}
	for _, tt := range tests {
		if got := FaultObject(tt.control, at); got != tt.want {
			t.Errorf("FaultObject(%q) = %q, want %q", tt.control, got, tt.want)
		}
		if got := RuleOf(tt.control).ID; got != tt.rule {
			t.Errorf("RuleOf(%q) = %q, want %q", tt.control, got, tt.rule)
		}
	}
	ids := map[string]bool{}
	for _, r := range Rules() {
		if ids[r.ID] || r.Short == "" || r.Help == "" || r.Label == "" || !strings.HasPrefix(r.HelpURI, "https://") {
			t.Errorf("rule %+v is a duplicate or lacks text", r)
		}
		ids[r.ID] = true
	}
}

func TestInlineMarkup(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, html string }{
		{esc("<script>alert(1)</script> a|b *c*"), "&lt;script&gt;alert(1)&lt;/script&gt; a|b *c*"},
		{code("x`y") + " and " + strong("bold"), "<code>x`y</code> and <strong>bold</strong>"},
		{link(code("6.1"), "61-x"), `<a href="#61-x"><code>6.1</code></a>`},
		{"rules[0]: x [link](#a)", `rules[0]: x <a href="#a">link</a>`},
		{code(`<img src=x onerror=alert(1)>`), "<code>&lt;img src=x onerror=alert(1)&gt;</code>"},
	}
	for _, tt := range tests {
		if got := inlineHTML(tt.in); got != tt.html {
			t.Errorf("inlineHTML(%q) = %q, want %q", tt.in, got, tt.html)
		}
	}
	if got, want := detail(`rules[0]: {verbs: ["*"]}`), "`rules[0]: {verbs: [\"*\"]}`"; got != want {
		t.Errorf("detail = %q, want %q (manifest quotes as code)", got, want)
	}
	if got, want := slug("6.15 `no hostPath / on prod:daemonset/m/ne`"), "615-no-hostpath--on-proddaemonsetmne"; got != want {
		t.Errorf("slug = %q, want %q", got, want)
	}
}

func TestDiff(t *testing.T) {
	t.Parallel()
	head := estate(t)
	// base: the same estate without the RBAC step into namespace b.
	b := graph.NewBuilder()
	for _, v := range head.Vertices() {
		x := *v
		if err := b.AddVertex(&x); err != nil {
			t.Fatal(err)
		}
	}
	for _, e := range head.Edges() {
		if e.Technique == graph.TechReadSecret {
			continue
		}
		x := *e
		if err := b.AddEdge(e.F.Key, e.T.Key, x); err != nil {
			t.Fatal(err)
		}
	}
	base := b.Build()
	side := func(g *graph.Graph) Side { return Side{g, analysis.Analyze(g, analysis.Options{})} }
	d := Compare(side(base), side(head))
	if len(d.StepsAdded) != 1 || d.StepsAdded[0].Technique != graph.TechReadSecret || len(d.StepsRemoved) != 0 {
		t.Errorf("steps +%d -%d, want the one read-secret step added", len(d.StepsAdded), len(d.StepsRemoved))
	}
	if len(d.Findings.Opened) == 0 || len(d.Findings.Closed) != 0 {
		t.Errorf("findings +%d -%d, want some opened, none closed", len(d.Findings.Opened), len(d.Findings.Closed))
	}
	found := false
	for _, f := range d.ReachAdded {
		if f.Target.Vertex.Key == "secret/b/s" {
			found = true
		}
	}
	if !found {
		t.Errorf("new attack paths %v lack one to secret/b/s", d.ReachAdded)
	}
	if len(d.FlowsAdded)+len(d.FlowsRemoved)+len(d.FlowsChanged) != 0 {
		t.Errorf("flows changed; the RBAC step is no flow")
	}
	rev := Compare(side(head), side(base))
	if len(rev.Findings.Closed) != len(d.Findings.Opened) || len(rev.StepsRemoved) != 1 {
		t.Errorf("the reverse diff closes %d findings and removes %d steps, want %d and 1",
			len(rev.Findings.Closed), len(rev.StepsRemoved), len(d.Findings.Opened))
	}

	// The text fits the width it is given; width 0 keeps each row on one line.
	var narrow, wide bytes.Buffer
	if err := d.WriteText(&narrow, 60); err != nil {
		t.Fatal(err)
	}
	for l := range strings.Lines(narrow.String()) {
		if n := utf8.RuneCountInString(strings.TrimSuffix(l, "\n")); n > 60 {
			t.Errorf("a line of WriteText(60) is %d columns: %q", n, l)
		}
	}
	if err := d.WriteText(&wide, 0); err != nil {
		t.Fatal(err)
	}
	if len(d.StepsAdded) == 0 {
		return // reported above
	}
	if step := d.StepsAdded[0]; !slices.ContainsFunc(strings.Split(wide.String(), "\n"), func(l string) bool {
		return strings.HasPrefix(l, string(step.F.Key)) && strings.HasSuffix(l, strings.Join(step.Missing, "; "))
	}) {
		t.Errorf("WriteText(0) has no line with the new step from %s to its missing control:\n%s", step.F.Key, &wide)
	}
}
