package escape_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trustpath/trustpath/collectors"
	"github.com/trustpath/trustpath/graph"
)

// TestDemo checks the escape and node steps testdata/demo/README.md
// expects (paths 2, 8 and 9, and Blocked 4 and 5).
func TestDemo(t *testing.T) {
	t.Parallel()
	res := load(t,
		collectors.Source{Cluster: "prod", Path: testdata("demo", "prod")},
		collectors.Source{Cluster: "staging", Path: testdata("demo", "staging")})
	if d := res.Diagnostics(); len(d) != 0 {
		t.Errorf("diagnostics: %v", d)
	}
	g := res.Graph
	inProd := func(edges []string) []string {
		var out []string
		for _, e := range edges {
			if strings.HasPrefix(e, "prod:") {
				out = append(out, e)
			}
		}
		return out
	}

	// Path 2.3: legacy/reports is pinned to prod-node-b; path 8: node-exporter
	// reaches the node it runs on (any-node: it is a DaemonSet) through
	// hostNetwork and the runtime socket under its read-only /, both
	// slowed by its uid 65534 only where root is needed; path 9: falco (a
	// DaemonSet too) is privileged, holds the containerd socket and reads
	// /etc. Nothing else in prod escapes, and staging has no escape.
	const (
		reports  = "prod:container/legacy/reports/reports"
		exporter = "prod:container/monitoring/node-exporter/node-exporter"
		falco    = "prod:container/falco/falco/falco"
	)
	const anyNode = "prod:any-node"
	want := []string{
		exporter + " -[use node network]-> " + anyNode + " (cost 3)",
		exporter + " -[control container runtime]-> " + anyNode + " (cost 3)",
		falco + " -[escape via privileged]-> " + anyNode + " (cost 1)",
		falco + " -[control container runtime]-> " + anyNode + " (cost 1)",
		falco + " -[read node credentials]-> " + anyNode + " (cost 3)",
		reports + " -[escape via privileged]-> prod:node/prod-node-b (cost 1)",
		reports + " -[control container runtime]-> prod:node/prod-node-b (cost 1)",
	}
	if d := cmp.Diff(sorted(want), edgeList(g, escapeTechniques, true)); d != "" {
		t.Errorf("escape edges (-want +got):\n%s", d)
	}

	// Path 2.4: the tokens on prod-node-b. The runner (dumped Pod) and
	// legacy/reports are known to be there; the unpinned groups may be,
	// through the schedulable vertex. Automount is off for db, processor,
	// node-exporter and falco (Blocked 4, 5).
	wantTokens := []string{
		"prod:node/prod-node-b -[steal token from node]-> prod:serviceaccount/ci/runner",
		"prod:node/prod-node-b -[steal token from node]-> prod:serviceaccount/legacy/default",
		"prod:schedulable -[steal token from node]-> prod:serviceaccount/kube-system/coredns",
		"prod:schedulable -[steal token from node]-> prod:serviceaccount/monitoring/prometheus",
		"prod:schedulable -[steal token from node]-> prod:serviceaccount/shop/api",
		"prod:schedulable -[steal token from node]-> prod:serviceaccount/shop/default",
	}
	if d := cmp.Diff(wantTokens, inProd(edgeList(g, []graph.Technique{graph.TechNodeToken}, false))); d != "" {
		t.Errorf("token edges (-want +got):\n%s", d)
	}
	// shop/default's token comes from frontend only: db opts out.
	for _, ev := range edge(g, "prod:schedulable", "prod:serviceaccount/shop/default", graph.TechNodeToken).Evidence {
		if ev.Object == "prod:statefulset/shop/db" {
			t.Errorf("shop/db's token is not mounted, yet evidence names it: %s", ev.Detail)
		}
	}

	// The Secrets on the nodes: env and volumes, and the runner's
	// imagePullSecret that the kubelet fetches.
	wantSecrets := []string{
		"prod:node/prod-node-b -[read secrets on node]-> prod:secret/ci/registry-token",
		"prod:node/prod-node-b -[read secrets on node]-> prod:secret/legacy/reports-db",
		"prod:schedulable -[read secrets on node]-> prod:secret/payments/stripe-key",
		"prod:schedulable -[read secrets on node]-> prod:secret/shop/db-credentials",
	}
	if d := cmp.Diff(wantSecrets, inProd(edgeList(g, []graph.Technique{graph.TechNodeSecret}, false))); d != "" {
		t.Errorf("secret edges (-want +got):\n%s", d)
	}

	// The runner is pinned to prod-node-b: controlled from it, not from
	// prod-node-a nor through the schedulable vertex. DaemonSets are.
	for _, tt := range []struct {
		from, to graph.Key
		want     bool
	}{
		{"prod:node/prod-node-b", "prod:container/ci/runner/runner", true},
		{"prod:node/prod-node-a", "prod:container/ci/runner/runner", false},
		{"prod:schedulable", "prod:container/ci/runner/runner", false},
		{"prod:node/prod-node-b", "prod:container/legacy/reports/reports", true},
		{"prod:node/prod-node-a", "prod:container/legacy/reports/reports", false},
		{"prod:schedulable", "prod:container/falco/falco/falco", true},
		{"prod:schedulable", "prod:container/payments/processor/processor", true},
		{"staging:schedulable", "staging:container/ci/runner/runner", true},
	} {
		if got := edge(g, tt.from, tt.to, graph.TechNodeContainers) != nil; got != tt.want {
			t.Errorf("%s -[control containers on node]-> %s: %t, want %t", tt.from, tt.to, got, tt.want)
		}
	}
	for _, n := range []graph.Key{"prod:node/prod-node-a", "prod:node/prod-node-b", "staging:node/staging-node-a"} {
		if edge(g, n, graph.NewKey(n.Cluster(), graph.KindSchedulable), graph.TechNodeSchedulable) == nil {
			t.Errorf("%s does not reach its cluster's schedulable vertex", n)
		}
	}
	wantKubelets := []string{
		"prod:node/prod-node-a -[use kubelet credentials]-> prod:user/system:node:prod-node-a",
		"prod:node/prod-node-b -[use kubelet credentials]-> prod:user/system:node:prod-node-b",
		"staging:node/staging-node-a -[use kubelet credentials]-> staging:user/system:node:staging-node-a",
	}
	if d := cmp.Diff(wantKubelets, edgeList(g, []graph.Technique{graph.TechKubeletCredentials}, false)); d != "" {
		t.Errorf("kubelet edges (-want +got):\n%s", d)
	}
	// No placeholder: both clusters list their nodes.
	for _, v := range g.Vertices() {
		if v.Kind == graph.KindNode && v.Prop(graph.PropImplicit) == "true" {
			t.Errorf("%s is implicit; the demo lists every node", v.Key)
		}
	}
	if slices.ContainsFunc(g.Vertices(), func(v *graph.Vertex) bool { return v.Key == "prod:node/unknown" }) {
		t.Error("prod:node/unknown exists")
	}
}
