package analysis_test

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trustpath/trustpath/analysis"
	"github.com/trustpath/trustpath/graph"
	"github.com/trustpath/trustpath/graph/graphtest"
)

// estate is a hand-built graph with known answers. Costs in brackets.
//
//	internet -[exposed 1]-> web(ns a) -[exploit 5]-> c-web(a)
//	c-web -[token 1]-> sa-web(a) -[read 1]-> secret s-a(a)
//	c-web -[connect 1]-> hub -[connect 1]-> db(ns b)      (missing: NP for web's egress, db's ingress)
//	db -[exploit 5]-> c-db(b) -[mount 1]-> secret s-b(b)
//	c-web -[escape 2]-> node n1 -[steal 1]-> sa-admin(kube-system) -[admin 1]-> cluster-admin
//	sa-web -[read via API 3]-> s-b   (missing: RBAC)
//	user alice -[exec 1]-> c-db      (missing: RBAC)
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
	vs := []*graph.Vertex{
		{Key: "internet", Kind: graph.KindInternet},
		{Key: "deployment/a/web", Kind: graph.KindDeployment, Loc: pod("a", "web")},
		{Key: "container/a/web/web", Kind: graph.KindContainer, Loc: ctr("a", "web")},
		{Key: "serviceaccount/a/web", Kind: graph.KindServiceAccount, Loc: graph.Location{Cluster: "c", Namespace: "a"}},
		{Key: "secret/a/s", Kind: graph.KindSecret, Loc: graph.Location{Cluster: "c", Namespace: "a"}},
		{Key: "pod-network", Kind: graph.KindPodNetwork, Loc: graph.Location{Cluster: "c"}},
		{Key: "deployment/b/db", Kind: graph.KindDeployment, Loc: pod("b", "db")},
		{Key: "container/b/db/db", Kind: graph.KindContainer, Loc: ctr("b", "db")},
		{Key: "secret/b/s", Kind: graph.KindSecret, Loc: graph.Location{Cluster: "c", Namespace: "b"}, Props: map[string]string{graph.PropCrownJewel: "true"}},
		{Key: "node/n1", Kind: graph.KindNode, Loc: graph.Location{Cluster: "c", Node: "n1"}},
		{Key: "serviceaccount/kube-system/admin", Kind: graph.KindServiceAccount, Loc: graph.Location{Cluster: "c", Namespace: "kube-system"}},
		{Key: "cluster-admin", Kind: graph.KindClusterAdmin, Loc: graph.Location{Cluster: "c"}},
		{Key: "user/alice", Kind: graph.KindUser, Loc: graph.Location{Cluster: "c"}},
	}
	for _, v := range vs {
		if err := b.AddVertex(v); err != nil {
			t.Fatal(err)
		}
	}
	step := func(from, to graph.Key, tech graph.Technique, cost float64, missing ...string) {
		if err := b.AddEdge(from, to, graph.Edge{Technique: tech, Cost: cost, Missing: missing,
			Evidence: []graph.Evidence{{Object: from, Detail: "test"}}}); err != nil {
			t.Fatal(err)
		}
	}
	step("internet", "deployment/a/web", graph.TechExposed, 1, "loadBalancerSourceRanges on service/a/web")
	step("deployment/a/web", "container/a/web/web", graph.TechExploit, 5)
	step("container/a/web/web", "serviceaccount/a/web", graph.TechMountToken, 1, "automountServiceAccountToken: false on deployment/a/web")
	step("serviceaccount/a/web", "secret/a/s", graph.TechReadSecret, 1, "least-privilege RBAC: rolebinding/a/web (role role/a/web)")
	step("container/a/web/web", "pod-network", graph.TechConnect, 1, "egress NetworkPolicy for deployment/a/web")
	step("pod-network", "deployment/b/db", graph.TechConnect, 1, "ingress NetworkPolicy for deployment/b/db")
	step("deployment/b/db", "container/b/db/db", graph.TechExploit, 5)
	step("container/b/db/db", "secret/b/s", graph.TechMountSecret, 1)
	step("container/a/web/web", "node/n1", "escape via privileged", 2, "privileged: false on deployment/a/web")
	step("node/n1", "serviceaccount/kube-system/admin", "steal token from node", 1)
	step("serviceaccount/kube-system/admin", "cluster-admin", graph.TechAdmin, 1, "least-privilege RBAC: clusterrolebinding/admin (role clusterrole/cluster-admin)")
	step("serviceaccount/a/web", "secret/b/s", graph.TechReadSecret, 3, "least-privilege RBAC: clusterrolebinding/web (role clusterrole/read)")
	step("user/alice", "container/b/db/db", graph.TechExec, 1, "least-privilege RBAC: rolebinding/b/alice (role role/b/exec)")
	g := b.Build()
	graphtest.Validate(t, g)
	return g
}

func keys(p analysis.Path) string {
	var out []string
	for _, v := range p.Vertices() {
		out = append(out, string(v.Key))
	}
	return strings.Join(out, " > ")
}

func TestSearch(t *testing.T) {
	t.Parallel()
	g := estate(t)
	tree := analysis.Search(g, []*graph.Vertex{g.Lookup("internet")}, nil)
	tests := []struct {
		to   graph.Key
		cost float64
		path string
	}{
		{"container/a/web/web", 6, "internet > deployment/a/web > container/a/web/web"},
		// Via the token (6+1+3 = 10) is cheaper than via the network and an exploit (6+1+1+5+1 = 14).
		{"secret/b/s", 10, "internet > deployment/a/web > container/a/web/web > serviceaccount/a/web > secret/b/s"},
		{"cluster-admin", 10, "internet > deployment/a/web > container/a/web/web > node/n1 > serviceaccount/kube-system/admin > cluster-admin"},
	}
	for _, tt := range tests {
		p, ok := tree.Path(g.Lookup(tt.to))
		if !ok || p.Cost != tt.cost || keys(p) != tt.path {
			t.Errorf("to %s: %v (cost %v) %s; want cost %v %s", tt.to, ok, p.Cost, keys(p), tt.cost, tt.path)
		}
	}
	if tree.Reached(g.Lookup("user/alice")) {
		t.Error("alice is reached from the internet; no edge leads to her")
	}
	// Without the token read across namespaces, the network path is the way.
	noRBAC := analysis.Search(g, []*graph.Vertex{g.Lookup("internet")}, func(e *graph.Edge) bool {
		return e.Technique == graph.TechReadSecret
	})
	if c := noRBAC.Cost(g.Lookup("secret/b/s")); c != 14 {
		t.Errorf("secret/b/s without RBAC reads: cost %v, want 14", c)
	}
	// Backwards from a target: who reaches the crown jewel, and at what cost.
	back := analysis.SearchBack(g, []*graph.Vertex{g.Lookup("secret/b/s")}, nil)
	if c := back.Cost(g.Lookup("user/alice")); c != 2 {
		t.Errorf("alice to secret/b/s: cost %v, want 2", c)
	}
	if p, _ := back.Path(g.Lookup("user/alice")); keys(p) != "user/alice > container/b/db/db > secret/b/s" {
		t.Errorf("alice's path: %s", keys(p))
	}
	if !math.IsInf(back.Cost(g.Lookup("cluster-admin")), 1) {
		t.Error("cluster-admin reaches the secret; nothing leaves cluster-admin in this graph")
	}
}

func TestPaths(t *testing.T) {
	t.Parallel()
	g := estate(t)
	ps := analysis.Paths(g, []*graph.Vertex{g.Lookup("internet")}, g.Lookup("secret/b/s"), 5, 0, nil)
	var got []string
	for _, p := range ps {
		got = append(got, fmt.Sprintf("%v: %s", p.Cost, keys(p)))
	}
	want := []string{
		"10: internet > deployment/a/web > container/a/web/web > serviceaccount/a/web > secret/b/s",
		"14: internet > deployment/a/web > container/a/web/web > pod-network > deployment/b/db > container/b/db/db > secret/b/s",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("paths (-want +got):\n%s", d)
	}
	if ps := analysis.Paths(g, []*graph.Vertex{g.Lookup("user/alice")}, g.Lookup("secret/b/s"), 3, 1, nil); len(ps) != 0 {
		t.Errorf("max 1 hop: got %d paths, want none (alice needs 2)", len(ps))
	}
}

func TestCrossings(t *testing.T) {
	t.Parallel()
	g := estate(t)
	ps := analysis.Paths(g, []*graph.Vertex{g.Lookup("container/a/web/web")}, g.Lookup("deployment/b/db"), 1, 0, nil)
	if len(ps) != 1 {
		t.Fatalf("got %d paths", len(ps))
	}
	cs := ps[0].Crossings()
	// container > hub (transit) > db: the namespace boundary is crossed at
	// the hub's edge, measured from the container.
	if len(cs) != 1 || cs[0].Boundary != graph.BoundaryNamespace || cs[0].From.Key != "container/a/web/web" || cs[0].Step != 1 {
		t.Fatalf("crossings = %+v", cs)
	}
	want := []string{"egress NetworkPolicy for deployment/a/web", "ingress NetworkPolicy for deployment/b/db"}
	if !slices.Equal(cs[0].Missing, want) {
		t.Errorf("missing = %q, want %q", cs[0].Missing, want)
	}
}

func TestAnalyze(t *testing.T) {
	t.Parallel()
	g := estate(t)
	res := analysis.Analyze(g, analysis.Options{})
	var got []string
	for _, f := range res.Findings {
		got = append(got, fmt.Sprintf("%s %s %s at %s => %s", f.Severity, f.Actor, f.Crossing.Boundary, f.Path.Steps[f.Crossing.Step].T.Key, f.Target.Vertex.Key))
	}
	// A compromised web container escapes to the node (cost 2+1+1 = 4:
	// easy, impact 5) and reaches cluster-admin; its token reads b's crown
	// jewel across namespaces (cost 1+3 = 4).
	for _, w := range []string{
		"critical compromised container node at node/n1 => cluster-admin",
		"critical compromised container namespace at secret/b/s => secret/b/s",
	} {
		if !slices.Contains(got, w) {
			t.Errorf("missing finding %q in\n%s", w, strings.Join(got, "\n"))
		}
	}
	for _, f := range res.Findings {
		if f.Crossing.Boundary < graph.BoundaryPod || len(f.Crossing.Missing) == 0 {
			t.Errorf("finding without an uncontrolled crossing: %+v", f.Crossing)
		}
		if f.Path.From().Kind != graph.KindInternet && f.Path.From().Kind != graph.KindContainer && f.Path.From().Kind != graph.KindUser {
			t.Errorf("finding starts at %s, not an actor", f.Path.From().Key)
		}
	}
	// The privileged escape is one cause, with its remedy.
	var escape *analysis.Cause
	for _, c := range res.Causes {
		if c.Control == "privileged: false on deployment/a/web" {
			escape = c
		}
	}
	if escape == nil || escape.Severity != analysis.Critical {
		t.Fatalf("no critical cause for the privileged escape: %+v", res.Causes)
	}
}

func TestFixesAreVerified(t *testing.T) {
	t.Parallel()
	g := estate(t)
	base := analysis.Analyze(g, analysis.Options{})
	fixes := analysis.Fixes(g, analysis.Options{}, base, 3)
	if len(fixes) == 0 {
		t.Fatal("no fixes proposed")
	}
	remain := len(base.Findings)
	for _, f := range fixes {
		if f.Closes <= 0 {
			t.Errorf("fix %q closes %d findings", f.Control, f.Closes)
		}
		if f.Remain != remain-f.Closes {
			t.Errorf("fix %q: %d remain, want %d - %d", f.Control, f.Remain, remain, f.Closes)
		}
		remain = f.Remain
	}
	// Re-analysis with the first fix applied by hand agrees.
	after := analysis.Analyze(g, analysis.Options{Skip: analysis.WithControl(fixes[0].Control)})
	ch := analysis.Compare(base, after)
	if len(ch.Closed) != fixes[0].Closes || len(ch.Opened) != 0 {
		t.Errorf("compare: %d closed, %d opened; fix says %d closed", len(ch.Closed), len(ch.Opened), fixes[0].Closes)
	}
}

func TestChokePoints(t *testing.T) {
	t.Parallel()
	g := estate(t)
	actors := []*graph.Vertex{g.Lookup("internet")}
	targets := []analysis.Target{{Vertex: g.Lookup("cluster-admin"), Impact: 5}, {Vertex: g.Lookup("secret/a/s"), Impact: 3}}
	cps := analysis.ChokePoints(g, actors, targets, nil)
	var got []string
	for _, c := range cps {
		got = append(got, fmt.Sprintf("%s:%d", c.Vertex.Key, len(c.Targets)))
	}
	// Every path from the internet goes through web and its container; to
	// cluster-admin also through the node and the kube-system account; to
	// secret/a/s through the web account.
	want := []string{"container/a/web/web:2", "deployment/a/web:2", "node/n1:1", "serviceaccount/a/web:1", "serviceaccount/kube-system/admin:1"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("choke points (-want +got):\n%s", d)
	}
}

func TestRemedies(t *testing.T) {
	t.Parallel()
	tests := []struct{ control, want string }{
		{"ingress NetworkPolicy for prod:deployment/shop/api", "namespace: shop"},
		{"egress NetworkPolicy for deployment/shop/api", "policyTypes: [Egress]"},
		{"Pod Security Admission enforce: baseline on namespace legacy", "kubectl label namespace legacy pod-security.kubernetes.io/enforce=baseline"},
		{"least-privilege RBAC: rolebinding/shop/dev (role clusterrole/edit)", "kubectl delete rolebinding dev -n shop"},
		{"least-privilege RBAC: clusterrolebinding/ci (role clusterrole/ci)", "kubectl delete clusterrolebinding ci"},
		{"automountServiceAccountToken: false on deployment/shop/web", "automountServiceAccountToken: false"},
		{"privileged: false on prod:deployment/legacy/reports", "privileged: false"},
		{"no added capability SYS_ADMIN on daemonset/app/agent", "add: [SYS_ADMIN]"},
		{"hostPID: false on daemonset/mon/agent", "hostPID: false"},
		{"something new", ""},
	}
	for _, tt := range tests {
		r := analysis.RemedyFor(tt.control)
		if r.Summary == "" || !strings.Contains(r.Snippet, tt.want) {
			t.Errorf("RemedyFor(%q) = %+v, want a snippet with %q", tt.control, r, tt.want)
		}
	}
}

// TestCountMatchesAnalyze checks the count Fixes measures a proposed fix
// by against the findings a full analysis returns, with and without each
// missing control left out.
func TestCountMatchesAnalyze(t *testing.T) {
	t.Parallel()
	for name, g := range map[string]*graph.Graph{"estate": estate(t), "synthetic": syntheticGraph(400)} {
		base := analysis.Analyze(g, analysis.Options{})
		if len(base.Findings) == 0 {
			t.Fatalf("%s: no findings", name)
		}
		opts := []analysis.Options{{}, {Actors: []analysis.ActorKind{analysis.MaliciousUser}}}
		for _, c := range base.Causes {
			opts = append(opts, analysis.Options{Skip: analysis.WithControl(c.Control)})
		}
		// Cutting the way into a vertex, as a choke point's effect is
		// measured, can leave crossings open towards lesser targets.
		for _, v := range g.Vertices() {
			if v.Kind == graph.KindClusterAdmin || v.Kind == graph.KindNode {
				opts = append(opts, analysis.Options{Skip: func(e *graph.Edge) bool { return e.T == v }})
			}
		}
		for _, o := range opts {
			res := analysis.Analyze(g, o)
			var want []string
			for _, c := range res.Causes {
				want = append(want, fmt.Sprintf("%s %d %s", c.Severity, len(c.Findings), c.Control))
			}
			n, got := analysis.Tally(g, o)
			if n != len(res.Findings) || analysis.Count(g, o) != n {
				t.Errorf("%s: count %d, analysis %d findings", name, n, len(res.Findings))
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s: causes counted differ from the analysis's (-analysis +count):\n%s", name, diff)
			}
			if got, want := analysis.Closes(g, base, o), len(analysis.Compare(base, res).Closed); got != want {
				t.Errorf("%s: Closes says %d findings close, Compare %d", name, got, want)
			}
		}
	}
}
