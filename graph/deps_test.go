package graph_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestNoKubernetesDeps enforces the dependency direction: graph and analysis
// know nothing of Kubernetes types; collectors translate them.
func TestNoKubernetesDeps(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	out, err := exec.Command("go", "list", "-deps", "./...", "../analysis/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, pkg := range strings.Fields(string(out)) {
		if strings.HasPrefix(pkg, "k8s.io/") || strings.HasPrefix(pkg, "sigs.k8s.io/") {
			t.Errorf("%s is reachable from graph/ or analysis/; Kubernetes types belong in collectors/", pkg)
		}
	}
}
