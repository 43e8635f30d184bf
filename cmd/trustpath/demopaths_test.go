package main

import (
	"testing"

	"github.com/trustpath/trustpath/analysis"
	"github.com/trustpath/trustpath/collectors"
	"github.com/trustpath/trustpath/graph"
	"github.com/trustpath/trustpath/graph/graphtest"
)

// TestDemoAttackPaths checks the attack paths testdata/demo/README.md says
// a reviewer expects, and the ones it says are blocked. Each path is given
// as waypoints: every one must reach the next.
func TestDemoAttackPaths(t *testing.T) {
	t.Parallel()
	res, err := collectors.Load(t.Context(), collectors.Options{DefaultNamespace: "default", Sources: []collectors.Source{
		{Cluster: "prod", Path: testdata("demo", "prod")}, {Cluster: "staging", Path: testdata("demo", "staging")}}})
	if err != nil {
		t.Fatal(err)
	}
	g := res.Graph
	graphtest.Validate(t, g)
	reaches := func(from, to graph.Key) bool {
		f, t2 := g.Lookup(from), g.Lookup(to)
		if f == nil || t2 == nil {
			t.Fatalf("no vertex %s or %s", from, to)
		}
		return analysis.Search(g, []*graph.Vertex{f}, nil).Reached(t2)
	}
	expected := []struct {
		name      string
		waypoints []graph.Key
	}{
		{"1 internet to the shop database credentials", []graph.Key{"internet", "prod:service/shop/frontend",
			"prod:container/shop/frontend/frontend", "prod:deployment/shop/api", "prod:container/shop/api/api",
			"prod:secret/shop/db-credentials"}},
		{"1 via the ingress", []graph.Key{"internet", "prod:ingress/shop/web", "prod:deployment/shop/frontend"}},
		{"1.6 api to the stripe key", []graph.Key{"prod:container/shop/api/api", "prod:deployment/payments/processor",
			"prod:container/payments/processor/processor", "prod:secret/payments/stripe-key"}},
		{"2 internet, legacy, node escape, ci token", []graph.Key{"internet", "prod:service/legacy/reports",
			"prod:container/legacy/reports/reports", "prod:node/prod-node-b", "prod:serviceaccount/ci/runner"}},
		{"2.4 node b to the stripe key", []graph.Key{"prod:node/prod-node-b", "prod:secret/payments/stripe-key"}},
		{"3 ci runner to every secret and node", []graph.Key{"prod:container/ci/runner/runner", "prod:serviceaccount/ci/runner",
			"prod:secret/payments/stripe-key"}},
		{"3 ci runner to node a", []graph.Key{"prod:serviceaccount/ci/runner", "prod:node/prod-node-a"}},
		{"3 ci runner to exec in payments", []graph.Key{"prod:serviceaccount/ci/runner", "prod:container/payments/processor/processor"}},
		{"4 prometheus nodes/proxy", []graph.Key{"prod:container/monitoring/prometheus/prometheus",
			"prod:serviceaccount/monitoring/prometheus", "prod:container/payments/processor/processor", "prod:secret/payments/stripe-key"}},
		{"5 ops to cluster-admin", []graph.Key{"prod:group/ops", "prod:cluster-admin"}},
		{"6 developers in shop", []graph.Key{"prod:group/developers", "prod:secret/shop/db-credentials"}},
		{"6 developers exec", []graph.Key{"prod:group/developers", "prod:container/shop/api/api"}},
		{"7 staging runner to staging cluster-admin", []graph.Key{"staging:container/ci/runner/runner",
			"staging:serviceaccount/ci/runner", "staging:cluster-admin"}},
		{"7 staging runner to prod", []graph.Key{"staging:container/ci/runner/runner",
			"staging:secret/ci/prod-deploy-kubeconfig", "prod:cluster/prod"}},
		{"8 node-exporter to the nodes", []graph.Key{"internet", "prod:daemonset/monitoring/node-exporter",
			"prod:container/monitoring/node-exporter/node-exporter", "prod:node/prod-node-a"}},
		{"9 falco to the node", []graph.Key{"prod:container/falco/falco/falco", "prod:node/prod-node-b"}},
		{"10 internet to the staging shop", []graph.Key{"internet", "staging:service/shop/frontend",
			"staging:container/shop/frontend/frontend", "staging:deployment/shop/api"}},
	}
	for _, p := range expected {
		for i := 0; i+1 < len(p.waypoints); i++ {
			if !reaches(p.waypoints[i], p.waypoints[i+1]) {
				t.Errorf("path %s: %s does not reach %s", p.name, p.waypoints[i], p.waypoints[i+1])
			}
		}
	}

	// Blocked: each must have no step at all (network, token), or no path.
	noStep := []struct {
		name     string
		from, to graph.Key
	}{
		{"blocked 1: internet to the processor's service", "internet", "prod:service/payments/processor"},
		{"blocked 2: frontend to the processor", "prod:container/shop/frontend/frontend", "prod:deployment/payments/processor"},
		{"blocked 2: db to the processor", "prod:container/shop/db/postgres", "prod:deployment/payments/processor"},
		{"blocked 4: db token", "prod:container/shop/db/postgres", "prod:serviceaccount/shop/default"},
		{"blocked 5: processor token", "prod:container/payments/processor/processor", "prod:serviceaccount/payments/processor"},
	}
	for _, b := range noStep {
		for _, e := range g.EdgesFrom(g.Lookup(b.from)) {
			if e.T.Key == b.to {
				t.Errorf("%s: edge %s -[%s]-> %s exists", b.name, b.from, e.Technique, b.to)
			}
		}
	}
	for _, e := range g.EdgesFrom(g.Lookup("prod:container/payments/processor/processor")) {
		if e.Technique == graph.TechConnect && e.T.Key != "prod:deployment/kube-system/coredns" {
			t.Errorf("blocked 3: the processor connects to %s", e.T.Key)
		}
	}
	noPath := []struct {
		name     string
		from, to graph.Key
	}{
		{"blocked 6: alice to the stripe key", "prod:user/alice@example.com", "prod:secret/payments/stripe-key"},
		{"blocked 8: the api token", "prod:serviceaccount/shop/api", "prod:secret/shop/db-credentials"},
		{"blocked 9: ci runner to cluster-admin", "prod:serviceaccount/ci/runner", "prod:cluster-admin"},
		{"blocked 10: staging frontend to staging cluster-admin", "staging:container/shop/frontend/frontend", "staging:cluster-admin"},
		{"blocked 10: staging frontend to prod", "staging:container/shop/frontend/frontend", "prod:cluster/prod"},
	}
	for _, b := range noPath {
		if reaches(b.from, b.to) {
			p, _ := analysis.Search(g, []*graph.Vertex{g.Lookup(b.from)}, nil).Path(g.Lookup(b.to))
			t.Errorf("%s: reachable via %s", b.name, pathLine(p))
		}
	}

	// Blocked 7 holds for what RBAC and Pod Security give the developers;
	// exploiting a service they can reach (node-exporter, over the network)
	// is another matter, which the graph rightly keeps.
	noExploit := func(e *graph.Edge) bool { return e.Technique == graph.TechExploit }
	if analysis.Search(g, []*graph.Vertex{g.Lookup("prod:group/developers")}, noExploit).Reached(g.Lookup("prod:node/prod-node-a")) {
		t.Error("blocked 7: developers reach a node without exploiting anything")
	}

	// analyze finds the boundary crossings of the expected paths.
	result := analysis.Analyze(g, analysis.Options{})
	controls := map[string]bool{}
	for _, c := range result.Causes {
		controls[c.Control] = true
	}
	for _, want := range []string{
		"least-privilege RBAC: clusterrolebinding/ci-deployer (role clusterrole/ci-deployer)",
		"least-privilege RBAC: clusterrolebinding/prometheus (role clusterrole/prometheus)",
		"privileged: false on prod:deployment/legacy/reports",
		"no credentials of cluster prod stored in cluster staging",
		"hostNetwork: false on prod:daemonset/monitoring/node-exporter",
	} {
		if !controls[want] {
			t.Errorf("analyze names no cause %q", want)
		}
	}
}
