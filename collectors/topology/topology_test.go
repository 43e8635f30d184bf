package topology_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trustpath/trustpath/collectors"
	"github.com/trustpath/trustpath/graph"
	"github.com/trustpath/trustpath/graph/graphtest"
)

func load(t *testing.T, sources ...collectors.Source) *collectors.Result {
	t.Helper()
	res, err := collectors.Load(t.Context(), collectors.Options{Sources: sources, DefaultNamespace: "default"})
	if err != nil {
		t.Fatal(err)
	}
	graphtest.Validate(t, res.Graph)
	return res
}

func fixture(name string) string { return filepath.Join("..", "..", "testdata", name) }

// topologyTechniques are the steps this package adds; the network builder's
// are tested in its own package.
var topologyTechniques = []graph.Technique{graph.TechMountToken, graph.TechMountSecret,
	graph.TechEnvSecret, graph.TechServiceRoute, graph.TechIngressRoute}

// edgeList renders every topology edge as "from -[technique]-> to", sorted
// as strings.
func edgeList(g *graph.Graph) []string {
	var out []string
	for _, e := range g.Edges() {
		if !slices.Contains(topologyTechniques, e.Technique) {
			continue
		}
		out = append(out, fmt.Sprintf("%s -[%s]-> %s", e.F.Key, e.Technique, e.T.Key))
	}
	slices.Sort(out)
	return out
}

// TestTopologyFixture checks the graph of testdata/topology against the
// answers its README derives from the Kubernetes documentation.
func TestTopologyFixture(t *testing.T) {
	t.Parallel()
	res := load(t, collectors.Source{Cluster: "test", Path: fixture("topology")})
	g := res.Graph

	want := []string{
		// automount: the pod's true wins over the service account's false.
		"container/app/web/sidecar -[use mounted token]-> serviceaccount/app/web",
		"container/app/web/web -[use mounted token]-> serviceaccount/app/web",
		// projected token despite automount false; projected secret source.
		"container/app/projected/projected -[use mounted token]-> serviceaccount/app/default",
		"container/app/projected/projected -[read mounted secret]-> secret/app/bundle",
		// default automount; required missing secret is implicit, optional one is not.
		"container/app/backup/backup -[use mounted token]-> serviceaccount/app/default",
		"container/app/backup/backup -[read secret from env]-> secret/app/required-missing",
		"container/app/debug/debug -[use mounted token]-> serviceaccount/app/missing-sa",
		// only the container that mounts the volume reads it.
		"container/app/web/web -[read mounted secret]-> secret/app/tls",
		"container/app/web/web -[read secret from env]-> secret/app/db",
		"container/app/web/sidecar -[read secret from env]-> secret/app/api-keys",
		// the selector matches its own namespace only; no selector, no step.
		"service/app/web -[route to pods]-> deployment/app/web",
		// default backend and rule merge into one step; the missing service is dropped.
		"ingress/app/web -[route to service]-> service/app/web",
	}
	slices.Sort(want)
	if d := cmp.Diff(want, edgeList(g)); d != "" {
		t.Errorf("edges (-want +got):\n%s", d)
	}

	props := func(k graph.Key, p string) string {
		v := g.Lookup(k)
		if v == nil {
			t.Errorf("no vertex %s", k)
			return ""
		}
		return v.Prop(p)
	}
	checks := []struct {
		key       graph.Key
		prop, val string
	}{
		{"deployment/app/web", graph.PropReplicas, "3"},
		{"deployment/app/web", "pods-in-input", "2"},
		{"deployment/app/web", "nodes", "n1,n2"},
		{"daemonset/app/agent", graph.PropReplicas, "2"},
		{"cronjob/app/backup", graph.PropReplicas, "1"},
		{"secret/app/db", "crown-jewel", "true"},
		{"secret/app/db", "keys", "password"},
		{"secret/app/required-missing", graph.PropImplicit, "true"},
		{"serviceaccount/app/missing-sa", graph.PropImplicit, "true"},
		{"serviceaccount/app/robot", graph.PropImplicit, "true"},
		{"serviceaccount/app/web", graph.PropImplicit, ""},
		{"serviceaccount/other/default", graph.PropImplicit, "true"},
		{"namespace/other", graph.PropImplicit, "true"},
		{"namespace/app", graph.PropImplicit, ""},
		{"user/alice", graph.PropImplicit, ""},
		{"group/devs", graph.PropImplicit, ""},
	}
	for _, c := range checks {
		if got := props(c.key, c.prop); got != c.val {
			t.Errorf("%s %s = %q, want %q", c.key, c.prop, got, c.val)
		}
	}
	for _, absent := range []graph.Key{"replicaset/app/web-abc", "pod/app/web-abc-1", "job/app/backup-123", "secret/app/optional-missing", "service/app/gone"} {
		if g.Lookup(absent) != nil {
			t.Errorf("vertex %s exists; it should have been folded or skipped", absent)
		}
	}
	if v := g.Lookup("container/app/web/web"); v == nil || v.Loc.Pod != "deployment/app/web" || v.Loc.Namespace != "app" || v.Loc.Cluster != "test" {
		t.Errorf("container/app/web/web location = %+v", v)
	}

	var warnings []string
	for _, d := range res.Diagnostics() {
		warnings = append(warnings, d.Error())
	}
	for _, want := range []string{"missing-sa", "gone"} {
		if !slices.ContainsFunc(warnings, func(w string) bool { return strings.Contains(w, want) }) {
			t.Errorf("no diagnostic mentions %q; got %q", want, warnings)
		}
	}
	if len(warnings) != 2 {
		t.Errorf("got %d diagnostics, want 2: %q", len(warnings), warnings)
	}
}

// TestClusterPrefixes loads the same fixture as two clusters: every key but
// the internet's carries its cluster, and nothing but the internet joins the two.
func TestClusterPrefixes(t *testing.T) {
	t.Parallel()
	res := load(t,
		collectors.Source{Cluster: "prod", Path: fixture("topology")},
		collectors.Source{Cluster: "staging", Path: fixture("topology")})
	g := res.Graph
	if got := g.Clusters(); !slices.Equal(got, []string{"prod", "staging"}) {
		t.Errorf("clusters = %v", got)
	}
	for _, v := range g.Vertices() {
		if v.Key == graph.Internet {
			continue
		}
		if c := v.Key.Cluster(); c != v.Loc.Cluster || c == "" {
			t.Errorf("%s: key cluster %q, location cluster %q", v.Key, c, v.Loc.Cluster)
		}
	}
	for _, e := range g.Edges() {
		if e.Boundary == graph.BoundaryCluster && e.F.Key != graph.Internet && e.T.Key != graph.Internet {
			t.Errorf("edge %s -> %s crosses clusters; only the internet joins them", e.F.Key, e.T.Key)
		}
	}
	if g.Lookup("prod:deployment/app/web") == nil || g.Lookup("staging:deployment/app/web") == nil {
		t.Error("prefixed pod groups missing")
	}
}
