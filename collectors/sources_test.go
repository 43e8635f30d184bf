package collectors_test

import (
	"path/filepath"
	"testing"

	"github.com/trustpath/trustpath/collectors"
)

// TestSourceOf finds the manifest line of objects by key, as SARIF needs:
// vertices, evidence objects that are no vertex, containers at their pod
// group, and, for what the input does not hold, the nearest manifest.
func TestSourceOf(t *testing.T) {
	t.Parallel()
	res := demo(t)
	prod := func(f string) string { return filepath.Join("..", "testdata", "demo", "prod", f) }
	tests := []struct {
		key     string
		file    string
		line    int
		exact   bool // SourceOf finds it; otherwise only NearestSource does
		nowhere bool // neither does
	}{
		{key: "prod:clusterrolebinding/ci-deployer", file: prod("cluster.yaml"), line: 127, exact: true},
		{key: "prod:namespace/legacy", file: prod("legacy.yaml"), line: 4, exact: true},
		{key: "prod:deployment/legacy/reports", file: prod("legacy.yaml"), line: 19, exact: true},
		{key: "prod:container/legacy/reports/reports", file: prod("legacy.yaml"), line: 19, exact: true},
		{key: "prod:rolebinding/shop/developers", file: prod("shop.yaml"), exact: true},
		// The default service account is implied, not in the files: the
		// nearest manifest is the first of its namespace.
		{key: "prod:serviceaccount/legacy/default", file: prod("legacy.yaml"), line: 4},
		{key: "internet", nowhere: true},
		{key: "nope:deployment/a/b", nowhere: true},
	}
	for _, tt := range tests {
		src, ok := res.SourceOf(tt.key)
		if ok != tt.exact {
			t.Errorf("SourceOf(%s) found: %v, want %v", tt.key, ok, tt.exact)
		}
		near, ok := res.NearestSource(tt.key)
		if ok == tt.nowhere {
			t.Errorf("NearestSource(%s) found: %v, want %v", tt.key, ok, !tt.nowhere)
			continue
		}
		if tt.nowhere {
			continue
		}
		if tt.exact && near != src {
			t.Errorf("NearestSource(%s) = %v, SourceOf = %v; want the same", tt.key, near, src)
		}
		if near.File != tt.file || (tt.line > 0 && near.Line != tt.line) {
			t.Errorf("NearestSource(%s) = %s:%d, want %s:%d", tt.key, near.File, near.Line, tt.file, tt.line)
		}
	}

	// One cluster: keys carry no prefix.
	single, err := collectors.Load(t.Context(), collectors.Options{DefaultNamespace: "default",
		Sources: []collectors.Source{{Cluster: "default", Path: prod("legacy.yaml")}}})
	if err != nil {
		t.Fatal(err)
	}
	if src, ok := single.SourceOf("deployment/legacy/reports"); !ok || src.Line != 19 {
		t.Errorf("single cluster: SourceOf(deployment/legacy/reports) = %v, %v; want line 19", src, ok)
	}
}
