package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trustpath/trustpath/analysis/report/reporttest"
)

// TestExport checks the demo exported for graph tools: BloodHound OpenGraph
// and GraphML hold every vertex and step of trustpath's own JSON.
func TestExport(t *testing.T) {
	t.Parallel()
	stdout, stderr, code := run(t, "", append([]string{"export", "-q", "--format", "json"}, demoFiles()...)...)
	if code != ExitOK {
		t.Fatalf("export --format json: exit %d: %s", code, stderr)
	}
	var g struct {
		Schema   string
		Vertices []json.RawMessage
		Edges    []json.RawMessage
	}
	if err := json.Unmarshal([]byte(stdout), &g); err != nil || g.Schema != "trustpath.io/graph/v1" {
		t.Fatalf("export --format json is no graph/v1 document: %v", err)
	}

	stdout, stderr, code = run(t, "", append([]string{"export", "-q"}, demoFiles()...)...)
	if code != ExitOK {
		t.Fatalf("export (bloodhound): exit %d: %s", code, stderr)
	}
	if nodes, edges := reporttest.OpenGraph(t, []byte(stdout)); nodes != len(g.Vertices) || edges != len(g.Edges) {
		t.Errorf("OpenGraph: %d nodes, %d edges; want %d, %d", nodes, edges, len(g.Vertices), len(g.Edges))
	}
	if !strings.Contains(stdout, `"kind": "TPReadSecretViaAPI"`) {
		t.Error("OpenGraph lacks the TPReadSecretViaAPI edge kind")
	}

	file := filepath.Join(t.TempDir(), "estate.graphml")
	if _, stderr, code := run(t, "", append([]string{"export", "-q", "-o", file}, demoFiles()...)...); code != ExitOK {
		t.Fatalf("export -o %s: exit %d: %s", file, code, stderr)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if nodes, edges := reporttest.GraphML(t, data); nodes != len(g.Vertices) || edges != len(g.Edges) {
		t.Errorf("GraphML: %d nodes, %d edges; want %d, %d", nodes, edges, len(g.Vertices), len(g.Edges))
	}
}
