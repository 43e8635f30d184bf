package cluster_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/trustpath/trustpath/collectors"
	"github.com/trustpath/trustpath/collectors/cluster"
	"github.com/trustpath/trustpath/collectors/estate"
	"github.com/trustpath/trustpath/graph"
	"github.com/trustpath/trustpath/graph/graphtest"
)

// TestParityWithFiles reads each fixture through the manifest door and
// through the live door over fake clients serving the same objects, and
// wants the same snapshot and the same graph, but for the Secret key names
// a metadata-only read cannot know.
func TestParityWithFiles(t *testing.T) {
	t.Parallel()
	for _, fixture := range fixtures {
		t.Run(fixture, func(t *testing.T) {
			t.Parallel()
			files := loadFiles(t, fixture)
			clients, _, _ := fakeClients(t, loadFiles(t, fixture).Snapshots[0])
			live := estate.New("test")
			var last cluster.Progress
			progress := func(p cluster.Progress) {
				if p.Done != last.Done+1 || p.Objects < last.Objects || p.Cluster != "test" {
					t.Errorf("progress went from %+v to %+v", last, p)
				}
				last = p
			}
			if err := cluster.Read(t.Context(), clients, live, cluster.Options{PageSize: 2, Progress: progress}); err != nil {
				t.Fatal(err)
			}
			if last.Done != last.Total || last.Objects != live.Objects() {
				t.Errorf("last progress %+v; want every kind done and %d objects", last, live.Objects())
			}
			if len(live.Gaps) > 0 || len(live.Diagnostics) > 0 {
				t.Errorf("gaps %v, diagnostics %v; want none", live.Gaps, live.Diagnostics)
			}
			fs := files.Snapshots[0]
			for ref := range fs.Sources {
				if _, ok := live.Sources[ref]; !ok {
					t.Errorf("%s read from files, not live", ref)
				}
			}
			if fs.Objects() != live.Objects() {
				t.Errorf("live read %d objects, files %d", live.Objects(), fs.Objects())
			}
			for _, s := range live.Secrets {
				if len(s.Data) > 0 || len(s.StringData) > 0 {
					t.Errorf("live Secret %s/%s holds data", s.Namespace, s.Name)
				}
			}
			g, _ := collectors.Build([]*estate.Snapshot{live})
			graphtest.Validate(t, g)
			diffFacts(t, facts(t, files.Graph, differences{secretKeys: true}), facts(t, g, differences{secretKeys: true}))
		})
	}
}

// TestLoadLive joins files and a live cluster in one graph, each its own
// cluster, and refuses one name for both.
func TestLoadLive(t *testing.T) {
	t.Parallel()
	clients, _, _ := fakeClients(t, loadFiles(t, "demo/prod").Snapshots[0])
	files := collectors.Options{DefaultNamespace: "default", Sources: []collectors.Source{{Cluster: "staging", Path: fixturePath("demo/staging")}}}
	res, err := collectors.LoadLive(t.Context(), files, []collectors.Live{{Cluster: "prod", Clients: clients}}, cluster.Options{})
	if err != nil {
		t.Fatal(err)
	}
	graphtest.Validate(t, res.Graph)
	if len(res.Snapshots) != 2 || res.Snapshots[0].Cluster != "prod" || res.Snapshots[1].Cluster != "staging" {
		t.Fatalf("snapshots %v, want prod and staging", res.Snapshots)
	}
	for _, k := range []graph.Key{"prod:deployment/shop/api", "staging:deployment/shop/frontend"} {
		if res.Graph.Lookup(k) == nil {
			t.Errorf("no %s", k)
		}
	}
	// A proposed fix (analyze --assume) applies to a live cluster too.
	fix := filepath.Join(t.TempDir(), "fix.yaml")
	if err := os.WriteFile(fix, []byte("apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: assumed, namespace: shop}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	assumed := files
	assumed.Overrides = []collectors.Source{{Cluster: "prod", Path: fix}}
	if res, err = collectors.LoadLive(t.Context(), assumed, []collectors.Live{{Cluster: "prod", Clients: clients}}, cluster.Options{}); err != nil {
		t.Fatal(err)
	}
	if res.Graph.Lookup("prod:serviceaccount/shop/assumed") == nil {
		t.Error("an override of the live cluster was not applied")
	}
	files.Sources[0].Cluster = "prod"
	if _, err := collectors.LoadLive(t.Context(), files, []collectors.Live{{Cluster: "prod", Clients: clients}}, cluster.Options{}); err == nil {
		t.Error("a cluster named by -f and by a context loaded without an error")
	}
}
