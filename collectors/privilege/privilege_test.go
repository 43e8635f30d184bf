package privilege_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trustpath/trustpath/collectors"
	"github.com/trustpath/trustpath/graph"
	"github.com/trustpath/trustpath/graph/graphtest"
)

// privilegeTechniques are the steps this package adds.
var privilegeTechniques = []graph.Technique{graph.TechReadSecret, graph.TechReadTokenSecret,
	graph.TechRunAsAccount, graph.TechMountInNewPod, graph.TechPrivilegedPod, graph.TechModifyWorkload,
	graph.TechExec, graph.TechPortForward, graph.TechKubeletProxy, graph.TechTokenRequest,
	graph.TechTokenSecret, graph.TechImpersonate, graph.TechBindRole, graph.TechSignCertificate,
	graph.TechAdmin, graph.TechCronJob, graph.TechDaemonSet, graph.TechWebhook,
	graph.TechCreatePods, graph.TechRunInPod, graph.TechPickNode}

func load(t *testing.T, sources ...collectors.Source) *graph.Graph {
	t.Helper()
	res, err := collectors.Load(t.Context(), collectors.Options{Sources: sources, DefaultNamespace: "default"})
	if err != nil {
		t.Fatal(err)
	}
	graphtest.Validate(t, res.Graph)
	for _, d := range res.Diagnostics() {
		t.Errorf("diagnostic: %v", d)
	}
	return res.Graph
}

// privilegeEdges lists the edges of privilege techniques, except those
// leaving the admin targets, as "from -[technique]-> to", sorted.
func privilegeEdges(g *graph.Graph) []string {
	var out []string
	for _, e := range g.Edges() {
		if !slices.Contains(privilegeTechniques, e.Technique) ||
			e.F.Kind == graph.KindClusterAdmin || e.F.Kind == graph.KindNamespaceAdmin {
			continue
		}
		out = append(out, fmt.Sprintf("%s -[%s]-> %s", e.F.Key, e.Technique, e.T.Key))
	}
	slices.Sort(out)
	return out
}

// TestPrivilegeFixture checks testdata/privilege against its README.
func TestPrivilegeFixture(t *testing.T) {
	t.Parallel()
	g := load(t, collectors.Source{Cluster: "test", Path: filepath.Join("..", "..", "testdata", "privilege")})
	secrets := []string{"secret/app/db", "secret/app/robot-token", "secret/app/tls"}
	var want []string
	e := func(from string, tech graph.Technique, to ...string) {
		for _, t := range to {
			want = append(want, fmt.Sprintf("%s -[%s]-> %s", from, tech, t))
		}
	}
	e("user/reader", graph.TechReadSecret, "secret/app/db")
	e("user/lister", graph.TechReadSecret, secrets...)
	e("secret/app/robot-token", graph.TechReadTokenSecret, "serviceaccount/app/robot")
	// Creating pods goes through the namespace's create-pods vertex: any of
	// its accounts, any of its Secrets, and a node when Pod Security admits
	// a privileged pod (app has no label; locked enforces restricted).
	e("user/deployer", graph.TechCreatePods, "create-pods/app", "create-pods/locked")
	e("create-pods/app", graph.TechRunAsAccount, "serviceaccount/app/default", "serviceaccount/app/robot")
	e("create-pods/locked", graph.TechRunAsAccount, "serviceaccount/locked/default")
	e("create-pods/app", graph.TechMountInNewPod, secrets...)
	e("create-pods/app", graph.TechPrivilegedPod, "any-node")
	e("any-node", graph.TechPickNode, "node/n1")
	// exec into any pod of a namespace goes through its control-pods vertex.
	e("user/execer", graph.TechExec, "control-pods/app")
	e("control-pods/app", graph.TechRunInPod, "container/app/web/web")
	e("control-pods/locked", graph.TechRunInPod, "container/locked/debug/debug")
	e("user/forwarder", graph.TechPortForward, "deployment/app/web")
	e("user/proxy", graph.TechKubeletProxy, "control-pods/app", "control-pods/locked")
	e("user/tokener", graph.TechTokenRequest, "serviceaccount/app/robot")
	e("user/imp", graph.TechImpersonate, "group/system:serviceaccounts:app", "cluster-admin")
	e("user/binder", graph.TechBindRole, "namespace-admin/app")
	e("user/csr", graph.TechSignCertificate, "cluster-admin")
	e("user/hooker", graph.TechWebhook, "cluster-admin")
	e("user/root", graph.TechAdmin, "cluster-admin")
	e("user/nsadmin", graph.TechAdmin, "namespace-admin/app")
	e("user/wild", graph.TechAdmin, "namespace-admin/locked")
	e("user/minter", graph.TechReadSecret, secrets...)
	e("user/minter", graph.TechTokenSecret, "serviceaccount/app/default", "serviceaccount/app/robot")
	for _, id := range []string{"serviceaccount/app/default", "serviceaccount/app/robot", "group/system:serviceaccounts:app"} {
		e(id, graph.TechReadSecret, secrets...)
	}
	slices.Sort(want)
	if d := cmp.Diff(want, privilegeEdges(g)); d != "" {
		t.Errorf("privilege edges (-want +got):\n%s", d)
	}

	// The admin targets lead on.
	var fromAdmins []string
	for _, e := range g.Edges() {
		if e.F.Key == "cluster-admin" || e.F.Key == "namespace-admin/locked" {
			fromAdmins = append(fromAdmins, fmt.Sprintf("%s -[%s]-> %s", e.F.Key, e.Technique, e.T.Key))
		}
	}
	slices.Sort(fromAdmins)
	wantAdmins := []string{
		"cluster-admin -[create privileged pod]-> any-node",
		"cluster-admin -[hold admin rights]-> namespace-admin/app",
		"cluster-admin -[hold admin rights]-> namespace-admin/locked",
		"namespace-admin/locked -[create pods]-> create-pods/locked",
		"namespace-admin/locked -[exec into container]-> control-pods/locked",
	}
	if d := cmp.Diff(wantAdmins, fromAdmins); d != "" {
		t.Errorf("edges from the admin targets (-want +got):\n%s", d)
	}

	// Evidence names the binding and rule; the missing control names the binding.
	for _, e := range g.EdgesFrom(g.Lookup("user/reader")) {
		if len(e.Evidence) != 1 || e.Evidence[0].Object != "rolebinding/app/reader" {
			t.Errorf("user/reader evidence = %+v", e.Evidence)
		}
		if want := "least-privilege RBAC: rolebinding/app/reader (role role/app/read-db)"; !slices.Contains(e.Missing, want) {
			t.Errorf("user/reader missing = %q, want %q", e.Missing, want)
		}
	}
	for _, e := range g.EdgesFrom(g.Lookup("create-pods/app")) {
		if e.Technique == graph.TechPrivilegedPod && !slices.Contains(e.Missing, "Pod Security Admission enforce: baseline on namespace app") {
			t.Errorf("privileged pod edge lacks the PSA control: %q", e.Missing)
		}
	}
	if !graph.TechWebhook.Persistence() || graph.TechReadSecret.Persistence() {
		t.Error("webhooks give persistence; reading a secret does not")
	}
}

// TestDemoPrivilege checks the RBAC facts testdata/demo/README.md states.
func TestDemoPrivilege(t *testing.T) {
	t.Parallel()
	dir := filepath.Join("..", "..", "testdata", "demo")
	g := load(t, collectors.Source{Cluster: "prod", Path: filepath.Join(dir, "prod")},
		collectors.Source{Cluster: "staging", Path: filepath.Join(dir, "staging")})
	// has: a step of the technique from the identity, to the vertex itself
	// or to the hub (create-pods, control-pods, any-node) that leads to it.
	has := func(from, to graph.Key, tech graph.Technique) bool {
		var hop func(at *graph.Vertex, first bool, depth int) bool
		hop = func(at *graph.Vertex, first bool, depth int) bool {
			for _, e := range g.EdgesFrom(at) {
				if first && e.Technique != tech && !(tech == graph.TechPrivilegedPod && e.Technique == graph.TechCreatePods) {
					continue
				}
				if e.T.Key == to {
					return true
				}
				hub := e.T.Kind == graph.KindPodCreation || e.T.Kind == graph.KindPodControl || e.T.Kind == graph.KindAnyNode
				if hub && depth < 3 && hop(e.T, false, depth+1) {
					return true
				}
			}
			return false
		}
		return hop(g.Lookup(from), true, 0)
	}
	tests := []struct {
		from, to graph.Key
		tech     graph.Technique
		want     bool
	}{
		{"prod:group/ops", "prod:cluster-admin", graph.TechAdmin, true},
		{"staging:serviceaccount/ci/runner", "staging:cluster-admin", graph.TechAdmin, true},
		{"prod:serviceaccount/ci/runner", "prod:secret/payments/stripe-key", graph.TechReadSecret, true},
		{"prod:serviceaccount/ci/runner", "prod:node/prod-node-a", graph.TechPrivilegedPod, true},
		{"prod:serviceaccount/ci/runner", "prod:container/payments/processor/processor", graph.TechExec, true},
		{"prod:serviceaccount/ci/runner", "prod:cluster-admin", graph.TechBindRole, false}, // no bind verb
		{"prod:serviceaccount/monitoring/prometheus", "prod:container/shop/db/postgres", graph.TechKubeletProxy, true},
		{"prod:group/developers", "prod:secret/shop/db-credentials", graph.TechReadSecret, true},
		{"prod:group/developers", "prod:container/shop/frontend/frontend", graph.TechExec, true},
		{"prod:group/developers", "prod:secret/payments/stripe-key", graph.TechReadSecret, false},
		// shop enforces baseline: edit there gives no node.
		{"prod:group/developers", "prod:node/prod-node-a", graph.TechPrivilegedPod, false},
		// view excludes secrets.
		{"prod:user/alice@example.com", "prod:secret/payments/stripe-key", graph.TechReadSecret, false},
		// api-reader grants configmaps only.
		{"prod:serviceaccount/shop/api", "prod:secret/shop/db-credentials", graph.TechReadSecret, false},
	}
	for _, tt := range tests {
		if got := has(tt.from, tt.to, tt.tech); got != tt.want {
			t.Errorf("%s -[%s]-> %s: %t, want %t", tt.from, tt.tech, tt.to, got, tt.want)
		}
	}
	for _, e := range g.EdgesFrom(g.Lookup("prod:user/alice@example.com")) {
		t.Errorf("alice (view in payments) has an attack step: %s -[%s]-> %s", e.F.Key, e.Technique, e.T.Key)
	}
}

// TestDefaultPSA: when the cluster's admission configuration makes
// baseline the default, an unlabelled namespace admits no privileged pod.
func TestDefaultPSA(t *testing.T) {
	t.Parallel()
	res, err := collectors.Load(t.Context(), collectors.Options{DefaultNamespace: "default", DefaultPSA: "baseline",
		Sources: []collectors.Source{{Cluster: "test", Path: filepath.Join("..", "..", "testdata", "privilege")}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range res.Graph.EdgesFrom(res.Graph.Lookup("user/deployer")) {
		if e.Technique == graph.TechPrivilegedPod {
			t.Errorf("with baseline by default, the deployer still creates a privileged pod: %s -> %s", e.F.Key, e.T.Key)
		}
	}
}
