package report_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/trustpath/trustpath/analysis"
	"github.com/trustpath/trustpath/analysis/report"
	"github.com/trustpath/trustpath/analysis/report/reporttest"
	"github.com/trustpath/trustpath/graph"
)

// small is a graph with the awkward cases: names with colons, a technique
// with underscores and punctuation, several techniques between one pair,
// properties with hyphens and a property named like a base field.
func small(t *testing.T) *graph.Graph {
	t.Helper()
	b := graph.NewBuilder()
	loc := graph.Location{Cluster: "c", Namespace: "a"}
	for _, v := range []*graph.Vertex{
		{Key: "user/system:anonymous", Kind: graph.KindUser, Name: "system:anonymous", Loc: graph.Location{Cluster: "c"}},
		{Key: "container/a/w/w", Kind: graph.KindContainer, Name: "w", Loc: graph.Location{Cluster: "c", Namespace: "a", Pod: "deployment/a/w", Container: "w"},
			Props: map[string]string{"image": "nginx:1.27", "per-node": "true", "kind": "odd"}},
		{Key: "node/n1", Kind: graph.KindNode, Name: "n1", Loc: graph.Location{Cluster: "c", Node: "n1"}},
		{Key: "secret/a/s", Kind: graph.KindSecret, Name: "s", Loc: loc},
	} {
		if err := b.AddVertex(v); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range []struct {
		from, to graph.Key
		tech     graph.Technique
	}{
		{"user/system:anonymous", "container/a/w/w", graph.TechExec},
		{"container/a/w/w", "node/n1", graph.TechEscapeSysAdmin},
		{"container/a/w/w", "node/n1", graph.TechEscapeOpenByHandle},
		{"node/n1", "secret/a/s", graph.TechNodeSecret},
	} {
		if err := b.AddEdge(s.from, s.to, graph.Edge{Technique: s.tech, Ports: []string{"tcp/1"}, Missing: []string{"x"},
			Present: []string{"y"}, Note: "n & <m>", Evidence: []graph.Evidence{{Object: s.from, Detail: `d "quoted"`}}}); err != nil {
			t.Fatal(err)
		}
	}
	return b.Build()
}

func TestOpenGraph(t *testing.T) {
	t.Parallel()
	g := small(t)
	var buf bytes.Buffer
	if err := report.WriteOpenGraph(&buf, g.All()); err != nil {
		t.Fatal(err)
	}
	nodes, edges := reporttest.OpenGraph(t, buf.Bytes())
	if nodes != len(g.Vertices()) || edges != len(g.Edges()) {
		t.Errorf("%d nodes, %d edges; want %d, %d", nodes, edges, len(g.Vertices()), len(g.Edges()))
	}
	for _, want := range []string{`"TPEscapeViaCAP_SYS_ADMIN"`, `"TPReadHostFilesViaOpen_by_handle_at"`, `"TPContainer"`,
		`"per_node": "true"`, `"prop_kind": "odd"`, `"source_kind": "TrustpathBase"`} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("OpenGraph JSON lacks %s", want)
		}
	}
}

func TestGraphML(t *testing.T) {
	t.Parallel()
	g := small(t)
	var buf bytes.Buffer
	if err := report.WriteGraphML(&buf, g.All()); err != nil {
		t.Fatal(err)
	}
	nodes, edges := reporttest.GraphML(t, buf.Bytes())
	if nodes != len(g.Vertices()) || edges != len(g.Edges()) {
		t.Errorf("%d nodes, %d edges; want %d, %d", nodes, edges, len(g.Vertices()), len(g.Edges()))
	}
	if !strings.Contains(buf.String(), "n &amp; &lt;m&gt;") {
		t.Error("GraphML does not escape the note")
	}
}

func TestSARIF(t *testing.T) {
	t.Parallel()
	g := small(t)
	res := analysis.Analyze(g, analysis.Options{Targets: []*graph.Vertex{g.Lookup("secret/a/s")}})
	if len(res.Causes) == 0 {
		t.Fatal("no causes; the test would check nothing")
	}
	lines := map[string]int{"user/system:anonymous": 3, "container/a/w/w": 10, "node/n1": 20}
	locate := func(key string) (string, int, bool) {
		n, ok := lines[key]
		return "deploy/estate.yaml", n, ok
	}
	var buf bytes.Buffer
	if err := report.WriteSARIF(&buf, res, locate, "v0.1.0"); err != nil {
		t.Fatal(err)
	}
	reporttest.SARIF(t, buf.Bytes(), true)
	if !strings.Contains(buf.String(), `"uri": "deploy/estate.yaml"`) {
		t.Error("SARIF does not point at the manifest")
	}
	// Without a locator the results stand on logical locations alone.
	buf.Reset()
	if err := report.WriteSARIF(&buf, res, nil, ""); err != nil {
		t.Fatal(err)
	}
	reporttest.SARIF(t, buf.Bytes(), false)
}
