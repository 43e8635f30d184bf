package collectors_test

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/trustpath/trustpath/collectors"
	"github.com/trustpath/trustpath/collectors/synth"
	"github.com/trustpath/trustpath/graph"
	"github.com/trustpath/trustpath/graph/graphtest"
)

func demo(t *testing.T) *collectors.Result {
	t.Helper()
	dir := filepath.Join("..", "testdata", "demo")
	res, err := collectors.Load(t.Context(), collectors.Options{DefaultNamespace: "default", Sources: []collectors.Source{
		{Cluster: "prod", Path: filepath.Join(dir, "prod")},
		{Cluster: "staging", Path: filepath.Join(dir, "staging")},
	}})
	if err != nil {
		t.Fatal(err)
	}
	graphtest.Validate(t, res.Graph)
	return res
}

func hasEdge(g *graph.Graph, from, to graph.Key, tech graph.Technique) bool {
	f := g.Lookup(from)
	if f == nil {
		return false
	}
	for _, e := range g.EdgesFrom(f) {
		if e.T.Key == to && e.Technique == tech {
			return true
		}
	}
	return false
}

// TestDemoTopology checks the facts testdata/demo/README.md states that the
// topology alone decides: pod-group folding, placement, tokens and secrets.
func TestDemoTopology(t *testing.T) {
	t.Parallel()
	res := demo(t)
	g := res.Graph
	if d := res.Diagnostics(); len(d) != 0 {
		t.Errorf("the demo loads with diagnostics: %v", d)
	}

	// The dumped ReplicaSet and Pod fold into the Deployment, on its node.
	runner := g.Lookup("prod:deployment/ci/runner")
	if runner == nil {
		t.Fatal("no prod:deployment/ci/runner")
	}
	for p, want := range map[string]string{graph.PropReplicas: "1", "pods-in-input": "1", "nodes": "prod-node-b"} {
		if got := runner.Prop(p); got != want {
			t.Errorf("prod:deployment/ci/runner %s = %q, want %q", p, got, want)
		}
	}
	for _, v := range g.Vertices() {
		if k := v.Key.Kind(); k == graph.KindReplicaSet || k == graph.KindPod {
			t.Errorf("%s: the dump should have folded into its Deployment", v.Key)
		}
	}
	if got := g.Lookup("prod:deployment/legacy/reports").Prop("nodes"); got != "prod-node-b" {
		t.Errorf("legacy/reports is pinned by nodeSelector to prod-node-b; got nodes %q", got)
	}

	tokens := []struct {
		container, sa graph.Key
		want          bool
	}{
		{"prod:container/shop/frontend/frontend", "prod:serviceaccount/shop/default", true},
		{"prod:container/shop/api/api", "prod:serviceaccount/shop/api", true},
		{"prod:container/legacy/reports/reports", "prod:serviceaccount/legacy/default", true},
		{"prod:container/ci/runner/runner", "prod:serviceaccount/ci/runner", true},
		{"prod:container/monitoring/prometheus/prometheus", "prod:serviceaccount/monitoring/prometheus", true},
		{"staging:container/ci/runner/runner", "staging:serviceaccount/ci/runner", true},
		{"staging:container/shop/frontend/frontend", "staging:serviceaccount/shop/default", true},
		// Blocked 4 and 5: automount off on the pod (db) or the service account.
		{"prod:container/shop/db/postgres", "prod:serviceaccount/shop/default", false},
		{"prod:container/payments/processor/processor", "prod:serviceaccount/payments/processor", false},
		{"prod:container/monitoring/node-exporter/node-exporter", "prod:serviceaccount/monitoring/node-exporter", false},
		{"prod:container/falco/falco/falco", "prod:serviceaccount/falco/falco", false},
	}
	for _, tt := range tokens {
		if got := hasEdge(g, tt.container, tt.sa, graph.TechMountToken); got != tt.want {
			t.Errorf("%s uses the token of %s: %t, want %t", tt.container, tt.sa, got, tt.want)
		}
	}

	steps := []struct {
		from, to graph.Key
		tech     graph.Technique
	}{
		{"prod:container/shop/api/api", "prod:secret/shop/db-credentials", graph.TechEnvSecret},
		{"prod:container/shop/db/postgres", "prod:secret/shop/db-credentials", graph.TechEnvSecret},
		{"prod:container/payments/processor/processor", "prod:secret/payments/stripe-key", graph.TechMountSecret},
		{"staging:container/ci/runner/runner", "staging:secret/ci/prod-deploy-kubeconfig", graph.TechMountSecret},
		{"prod:ingress/shop/web", "prod:service/shop/frontend", graph.TechIngressRoute},
		{"prod:service/shop/frontend", "prod:deployment/shop/frontend", graph.TechServiceRoute},
		{"prod:service/legacy/reports", "prod:deployment/legacy/reports", graph.TechServiceRoute},
	}
	for _, s := range steps {
		if !hasEdge(g, s.from, s.to, s.tech) {
			t.Errorf("no step %s -[%s]-> %s", s.from, s.tech, s.to)
		}
	}
	if g.Lookup("prod:secret/payments/stripe-key").Prop("crown-jewel") != "true" {
		t.Error("stripe-key is annotated as a crown jewel")
	}
	for _, k := range []graph.Key{"prod:group/ops", "prod:group/developers", "prod:user/alice@example.com"} {
		if g.Lookup(k) == nil {
			t.Errorf("no vertex for RBAC subject %s", k)
		}
	}
}

func TestParseSource(t *testing.T) {
	t.Parallel()
	tests := []struct {
		arg  string
		want collectors.Source
	}{
		{"deploy/", collectors.Source{Cluster: "default", Path: "deploy/"}},
		{"prod=deploy/prod", collectors.Source{Cluster: "prod", Path: "deploy/prod"}},
		{"-", collectors.Source{Cluster: "default", Path: "-"}},
		{"dir/a=b.yaml", collectors.Source{Cluster: "default", Path: "dir/a=b.yaml"}}, // not a cluster name
		{"prod=", collectors.Source{Cluster: "default", Path: "prod="}},
	}
	for _, tt := range tests {
		if got := collectors.ParseSource(tt.arg, "default"); got != tt.want {
			t.Errorf("ParseSource(%q) = %+v, want %+v", tt.arg, got, tt.want)
		}
	}
}

func TestLoadErrors(t *testing.T) {
	t.Parallel()
	_, err := collectors.Load(t.Context(), collectors.Options{Sources: []collectors.Source{{Cluster: "c", Path: "no/such/dir"}}})
	if err == nil || !strings.Contains(err.Error(), "no/such/dir") {
		t.Errorf("missing path: got %v, want an error naming it", err)
	}
	_, err = collectors.Load(t.Context(), collectors.Options{Sources: []collectors.Source{{Cluster: "c", Path: "-"}},
		Stdin: strings.NewReader("# only a comment\n")})
	if !errors.Is(err, collectors.ErrEmptyInput) {
		t.Errorf("empty input: got %v, want ErrEmptyInput", err)
	}
}

// TestBuildDiagnosticsInStageOrder checks that the builders' diagnostics
// come in the order the builders are listed, though some run at once:
// NetworkPolicy, then RBAC, then topology.
func TestBuildDiagnosticsInStageOrder(t *testing.T) {
	t.Parallel()
	const manifests = `
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec:
  serviceAccountName: missing-account
  containers: [{name: web, image: nginx}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: dev, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: missing-role}
subjects: [{kind: User, name: dev}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: bad, namespace: shop}
spec:
  podSelector:
    matchExpressions: [{key: app, operator: Bogus}]
`
	want := []string{"NetworkPolicy/shop/bad", "RoleBinding/shop/dev", "pod/shop/web"}
	for range 20 { // the builders that run at once finish in any order
		res, err := collectors.Load(t.Context(), collectors.Options{Sources: []collectors.Source{{Cluster: "c", Path: "-"}},
			Stdin: strings.NewReader(manifests)})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, d := range res.Diagnostics() {
			got = append(got, d.Object)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("diagnostics of %v, want %v", got, want)
		}
	}
}

// TestSlimPods: once the graph is built, a Pod its controller's template
// describes keeps only what grouping reads of it, unless the objects are
// kept for writing out; the graph is the same either way, and a Pod with
// no controller in the input stays whole, being its own template.
func TestSlimPods(t *testing.T) {
	t.Parallel()
	const orphan = `
apiVersion: v1
kind: Pod
metadata:
  name: orphan-x1
  namespace: ci
  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: gone, uid: u9, controller: true}]
spec: {containers: [{name: c, image: busybox}]}
`
	load := func(keep bool) *collectors.Result {
		res, err := collectors.Load(t.Context(), collectors.Options{DefaultNamespace: "default", KeepObjects: keep, Stdin: strings.NewReader(orphan),
			Sources: []collectors.Source{{Cluster: "prod", Path: filepath.Join("..", "testdata", "demo", "prod")}, {Cluster: "prod", Path: "-"}}})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	slim, kept := load(false), load(true)
	containers := func(res *collectors.Result, name string) int {
		for _, p := range res.Snapshots[0].Pods {
			if p.Name == name {
				return len(p.Spec.Containers)
			}
		}
		t.Fatalf("no pod %s", name)
		return 0
	}
	// runner-7c9f-x2kq8 belongs to ReplicaSet runner-7c9f, and it to
	// Deployment runner: the group is the Deployment's.
	if n := containers(slim, "runner-7c9f-x2kq8"); n != 0 {
		t.Errorf("slimmed runner pod has %d containers, want none", n)
	}
	if n := containers(kept, "runner-7c9f-x2kq8"); n != 1 {
		t.Errorf("kept runner pod has %d containers, want 1", n)
	}
	if n := containers(slim, "orphan-x1"); n != 1 {
		t.Errorf("orphan pod (its ReplicaSet is not in the input) has %d containers, want 1", n)
	}
	sameGraph(t, slim, kept, "slimming pods")
}

// TestGraphOnly: with GraphOnly the objects are gone once the graph is
// built, but the graph, the count of objects read and where each was read
// (what reports and SARIF locate findings by) are as with the objects kept.
func TestGraphOnly(t *testing.T) {
	t.Parallel()
	load := func(graphOnly bool) *collectors.Result {
		res, err := collectors.Load(t.Context(), collectors.Options{DefaultNamespace: "default", GraphOnly: graphOnly,
			Sources: []collectors.Source{{Cluster: "prod", Path: filepath.Join("..", "testdata", "demo", "prod")}}})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	lean, whole := load(true), load(false)
	if s := lean.Snapshots[0]; len(s.Pods)+len(s.Deployments)+len(s.Secrets)+len(s.RoleBindings) != 0 || lean.Clusters[0].Groups != nil {
		t.Error("GraphOnly kept objects or pod groups")
	}
	if got, want := lean.Snapshots[0].Objects(), whole.Snapshots[0].Objects(); got != want || want == 0 {
		t.Errorf("GraphOnly counts %d objects read, want %d", got, want)
	}
	for _, key := range []string{"deployment/ci/runner", "container/ci/runner/runner", "secret/payments/stripe-key"} {
		got, ok1 := lean.NearestSource(key)
		want, ok2 := whole.NearestSource(key)
		if got != want || ok1 != ok2 || !ok2 {
			t.Errorf("source of %s: got %+v (%v), want %+v (%v)", key, got, ok1, want, ok2)
		}
	}
	sameGraph(t, lean, whole, "GraphOnly")
}

// TestPodsReadInPart: reading the objects a controller may describe in
// part gives the graph and diagnostics reading them whole gives, whether or
// not the controller is in the input. In a dump missing every third
// controller, the pods, ReplicaSets and Jobs of those become groups of
// their own, whose specs are decoded once all is read.
func TestPodsReadInPart(t *testing.T) {
	t.Parallel()
	o := synth.Defaults(400)
	o.Format, o.Dump = synth.JSON, true
	fsys := fstest.MapFS{}
	var n int
	err := synth.Generate(o, func(f synth.File) error {
		var kept []runtime.Object
		for _, obj := range f.Objects {
			switch obj.(type) {
			case *appsv1.Deployment, *appsv1.ReplicaSet, *appsv1.StatefulSet, *appsv1.DaemonSet, *batchv1.CronJob, *batchv1.Job:
				if n++; n%3 == 0 {
					continue
				}
			}
			kept = append(kept, obj)
		}
		var buf bytes.Buffer
		if err := synth.Encode(&buf, kept, synth.JSON); err != nil {
			return err
		}
		fsys[f.Name+".json"] = &fstest.MapFile{Data: buf.Bytes()}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	load := func(keep bool) *collectors.Result {
		res, err := collectors.Load(t.Context(), collectors.Options{DefaultNamespace: "default", KeepObjects: keep, FS: fsys,
			Sources: []collectors.Source{{Cluster: "c", Path: "."}}})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	part, whole := load(false), load(true)
	orphans := map[graph.Kind]int{}
	for _, pg := range part.Clusters[0].Groups {
		if len(pg.Template.Spec.Containers) > 0 && len(pg.Meta.OwnerReferences) > 0 {
			orphans[pg.Kind]++
		}
	}
	if orphans[graph.KindPod] == 0 || orphans[graph.KindReplicaSet] == 0 || orphans[graph.KindJob] == 0 {
		t.Fatalf("groups of objects whose controller is missing: %v; want pods, ReplicaSets and Jobs, or the test tests nothing", orphans)
	}
	sameLoad(t, part, whole)
}

// TestControllerInLaterSource: a pod read in part is described by a
// controller read from a later source, and a pod replaced by an override
// is the override's.
func TestControllerInLaterSource(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{
		"pods.yaml": {Data: []byte(`
apiVersion: v1
kind: Pod
metadata:
  name: web-1-a
  namespace: shop
  labels: {app: web}
  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-1, uid: u1, controller: true}]
spec: {nodeName: node-a, containers: [{name: app, image: web}]}
---
apiVersion: v1
kind: Pod
metadata:
  name: job-x
  namespace: shop
  ownerReferences: [{apiVersion: batch/v1, kind: Job, name: gone, uid: u2, controller: true}]
spec: {containers: [{name: app, image: job}]}
`)},
		"controllers.yaml": {Data: []byte(`
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: web-1, namespace: shop}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: app, image: web}]}
`)},
		"fix.yaml": {Data: []byte(`
apiVersion: v1
kind: Pod
metadata:
  name: job-x
  namespace: shop
  ownerReferences: [{apiVersion: batch/v1, kind: Job, name: gone, uid: u2, controller: true}]
spec: {containers: [{name: app, image: job, securityContext: {privileged: true}}]}
`)},
	}
	load := func(keep bool) *collectors.Result {
		res, err := collectors.Load(t.Context(), collectors.Options{DefaultNamespace: "default", KeepObjects: keep, FS: fsys,
			Sources:   []collectors.Source{{Cluster: "c", Path: "pods.yaml"}, {Cluster: "c", Path: "controllers.yaml"}},
			Overrides: []collectors.Source{{Cluster: "c", Path: "fix.yaml"}}})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	part, whole := load(false), load(true)
	var groups []string
	for _, pg := range part.Clusters[0].Groups {
		groups = append(groups, fmt.Sprintf("%s pods=%d containers=%d", pg.Key, pg.Pods, len(pg.Template.Spec.Containers)))
	}
	want := []string{"pod/shop/job-x pods=1 containers=1", "replicaset/shop/web-1 pods=1 containers=1"}
	if !slices.Equal(groups, want) {
		t.Errorf("groups %q, want %q", groups, want)
	}
	if p := part.Clusters[0].Groups[0].Template.Spec.Containers[0]; p.SecurityContext == nil || !*p.SecurityContext.Privileged {
		t.Error("the override's pod did not replace the one read before it")
	}
	sameLoad(t, part, whole)
}

// sameLoad fails unless two loads have the same graph and diagnostics.
func sameLoad(t *testing.T, got, want *collectors.Result) {
	t.Helper()
	sameGraph(t, got, want, "reading pods in part")
	if g, w := fmt.Sprint(got.Diagnostics()), fmt.Sprint(want.Diagnostics()); g != w {
		t.Errorf("diagnostics read in part:\n%s\nread whole:\n%s", g, w)
	}
}

// sameGraph fails unless two loads have the same graph; what names the
// difference between them.
func sameGraph(t *testing.T, got, want *collectors.Result, what string) {
	t.Helper()
	var a, b strings.Builder
	if err := errors.Join(graph.WriteJSON(&a, got.Graph.All()), graph.WriteJSON(&b, want.Graph.All())); err != nil {
		t.Fatal(err)
	}
	if a.String() != b.String() {
		t.Error(what + " changed the graph")
	}
}
