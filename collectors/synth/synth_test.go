package synth_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trustpath/trustpath/collectors"
	"github.com/trustpath/trustpath/collectors/synth"
	"github.com/trustpath/trustpath/graph"
	"github.com/trustpath/trustpath/graph/graphtest"
)

// TestDefaults checks that the defaults for 50,000 pods are the estate
// issue 8 names: 2,000 nodes, 1,000 namespaces, 5,000 NetworkPolicies and
// 20,000 bindings.
func TestDefaults(t *testing.T) {
	t.Parallel()
	o := synth.Defaults(50000)
	if err := o.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		what      string
		got, want int
	}{
		{"nodes", o.Nodes, 2000},
		{"namespaces", o.Namespaces, 1000},
		{"NetworkPolicies", o.Policies * o.Namespaces, 5000},
		{"bindings", o.Bindings, 20000},
	} {
		if c.got != c.want {
			t.Errorf("Defaults(50000): got %d %s, want %d", c.got, c.what, c.want)
		}
	}
	for _, pods := range []int{100, 1000, 10000, 25000} {
		o := synth.Defaults(pods)
		if err := o.Validate(); err != nil {
			t.Errorf("Defaults(%d) is invalid: %v", pods, err)
		}
	}
}

// count generates o in memory and counts the objects by kind.
func count(t *testing.T, o synth.Options) map[string]int {
	t.Helper()
	got := map[string]int{}
	err := synth.Generate(o, func(f synth.File) error {
		for _, obj := range f.Objects {
			got[obj.GetObjectKind().GroupVersionKind().Kind]++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// TestCounts checks that the knobs the options fix exactly are met: pods
// (in a dump), nodes, namespaces, NetworkPolicies, bindings, Secrets.
func TestCounts(t *testing.T) {
	t.Parallel()
	for _, clusters := range []int{1, 3} {
		o := synth.Defaults(3000)
		o.Clusters, o.Dump = clusters, true
		got := count(t, o)
		for _, c := range []struct {
			what      string
			got, want int
		}{
			{"Pods", got["Pod"], o.Pods},
			{"Nodes", got["Node"], o.Nodes},
			{"Namespaces", got["Namespace"], o.Namespaces},
			{"NetworkPolicies", got["NetworkPolicy"], o.Policies * o.Namespaces},
			{"bindings", got["RoleBinding"] + got["ClusterRoleBinding"], o.Bindings},
			{"DaemonSets", got["DaemonSet"], 3 * clusters},
			// one kubeconfig per other cluster rides on top
			{"Secrets", got["Secret"], o.Secrets + clusters*(clusters-1)},
		} {
			if c.got != c.want {
				t.Errorf("%d cluster(s): got %d %s, want %d", clusters, c.got, c.what, c.want)
			}
		}
		if got["ReplicaSet"] != got["Deployment"] {
			t.Errorf("%d cluster(s): got %d ReplicaSets for %d Deployments, want one each", clusters, got["ReplicaSet"], got["Deployment"])
		}
	}
}

// TestDeterministic generates the same options twice and compares bytes.
func TestDeterministic(t *testing.T) {
	t.Parallel()
	for _, f := range []synth.Format{synth.YAML, synth.JSON} {
		o := synth.Defaults(500)
		o.Format, o.Dump, o.Clusters, o.Seed = f, true, 2, 7
		a, b := t.TempDir(), t.TempDir()
		if _, err := synth.Write(t.Context(), a, o); err != nil {
			t.Fatal(err)
		}
		if _, err := synth.Write(t.Context(), b, o); err != nil {
			t.Fatal(err)
		}
		if d := diffDirs(t, a, b); d != "" {
			t.Errorf("%s: two runs with seed %d differ: %s", f, o.Seed, d)
		}
		o.Seed = 8
		c := t.TempDir()
		if _, err := synth.Write(t.Context(), c, o); err != nil {
			t.Fatal(err)
		}
		if diffDirs(t, a, c) == "" {
			t.Errorf("%s: seeds 7 and 8 gave the same estate", f)
		}
	}
}

// diffDirs names the first file that differs between two trees, or "".
func diffDirs(t *testing.T, a, b string) string {
	t.Helper()
	files := map[string]bool{}
	for _, root := range []string{a, b} {
		err := filepath.WalkDir(root, func(p string, e os.DirEntry, err error) error {
			if err == nil && !e.IsDir() {
				rel, _ := filepath.Rel(root, p)
				files[rel] = true
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for rel := range files {
		x, errA := os.ReadFile(filepath.Join(a, rel))
		y, errB := os.ReadFile(filepath.Join(b, rel))
		if errA != nil || errB != nil || !bytes.Equal(x, y) {
			return rel
		}
	}
	return ""
}

// load reads the clusters of an estate written in dir.
func load(t *testing.T, sum synth.Summary) *collectors.Result {
	t.Helper()
	var sources []collectors.Source
	for _, d := range sum.Dirs {
		sources = append(sources, collectors.Source{Cluster: filepath.Base(d), Path: d})
	}
	res, err := collectors.Load(t.Context(), collectors.Options{Sources: sources, DefaultNamespace: "default"})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range res.Diagnostics() {
		t.Errorf("diagnostic: %v", d)
	}
	graphtest.Validate(t, res.Graph)
	return res
}

// TestLoads checks that trustpath reads what the generator writes without
// a diagnostic, in every format and shape, and that the formats and shapes
// describe the same estate: YAML and JSON the same graph, a dump the same
// pod groups as the manifests.
func TestLoads(t *testing.T) {
	t.Parallel()
	type shape struct {
		format synth.Format
		dump   bool
	}
	graphs := map[shape]*graph.Graph{}
	groups := map[shape][]string{}
	for _, s := range []shape{{synth.YAML, false}, {synth.JSON, false}, {synth.YAML, true}, {synth.JSON, true}} {
		o := synth.Defaults(600)
		o.Format, o.Dump = s.format, s.dump
		sum, err := synth.Write(t.Context(), t.TempDir(), o)
		if err != nil {
			t.Fatal(err)
		}
		res := load(t, sum)
		graphs[s] = res.Graph
		for _, g := range res.Clusters[0].Groups {
			groups[s] = append(groups[s], string(g.Key))
		}
		if want := o.Workloads + 11; len(groups[s]) != want { // 11 system workloads
			t.Errorf("%+v: got %d pod groups, want %d (every pod folds into its controller)", s, len(groups[s]), want)
		}
	}
	for _, dump := range []bool{false, true} {
		y, j := graphs[shape{synth.YAML, dump}], graphs[shape{synth.JSON, dump}]
		if len(y.Vertices()) != len(j.Vertices()) || len(y.Edges()) != len(j.Edges()) {
			t.Errorf("dump=%v: YAML gives %d vertices and %d edges, JSON %d and %d", dump,
				len(y.Vertices()), len(y.Edges()), len(j.Vertices()), len(j.Edges()))
		}
	}
	if a, b := strings.Join(groups[shape{synth.JSON, false}], " "), strings.Join(groups[shape{synth.JSON, true}], " "); a != b {
		t.Errorf("the dump's pod groups differ from the manifests'")
	}
}

// TestRisky checks that the risky settings become findings the analysis
// can see: with every workload and binding risky, the graph holds
// container escapes and cluster-admin grants to application accounts.
func TestRisky(t *testing.T) {
	t.Parallel()
	o := synth.Defaults(400)
	o.RiskRate = 1
	sum, err := synth.Write(t.Context(), t.TempDir(), o)
	if err != nil {
		t.Fatal(err)
	}
	res := load(t, sum)
	techniques := map[graph.Technique]int{}
	for _, e := range res.Graph.Edges() {
		techniques[e.Technique]++
	}
	for _, want := range []graph.Technique{graph.TechEscapeRuntimeSocket, graph.TechReadTokenSecret, graph.TechEscapeHostProcess, graph.TechEscapeKernelModule} {
		if techniques[want] == 0 {
			t.Errorf("no %q edge with every workload risky", want)
		}
	}
}

// TestMultiCluster checks that clusters get their own directories and that
// the kubeconfigs Argo CD holds of the other clusters join them.
func TestMultiCluster(t *testing.T) {
	t.Parallel()
	o := synth.Defaults(600)
	o.Clusters = 2
	sum, err := synth.Write(t.Context(), t.TempDir(), o)
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Dirs) != 2 {
		t.Fatalf("got directories %v, want one per cluster", sum.Dirs)
	}
	res := load(t, sum)
	crossings := 0
	for _, e := range res.Graph.Edges() {
		if e.Technique == graph.TechForeignCredential {
			crossings++
		}
	}
	if crossings != 2 {
		t.Errorf("got %d cross-cluster credential edges, want 2 (each cluster's argocd holds the other's kubeconfig)", crossings)
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		change func(*synth.Options)
		want   string // in the error
	}{
		{"too few pods", func(o *synth.Options) { o.Pods = 100 }, "pods are too few"},
		{"too few namespaces", func(o *synth.Options) { o.Namespaces = 4 }, "namespaces are too few"},
		{"no clusters", func(o *synth.Options) { o.Clusters = 0 }, "clusters must be at least 1"},
		{"more clusters than nodes", func(o *synth.Options) { o.Clusters = 200 }, "nodes cannot make 200 clusters"},
		{"risk rate", func(o *synth.Options) { o.RiskRate = 2 }, "risk rate must be between 0 and 1"},
		{"format", func(o *synth.Options) { o.Format = "xml" }, `format must be yaml or json, got "xml"`},
		{"fewer workloads than namespaces", func(o *synth.Options) { o.Workloads = 2 }, "workloads are too few"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			o := synth.Defaults(2000)
			tt.change(&o)
			err := o.Validate()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
}
