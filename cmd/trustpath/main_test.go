package main

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// TestMain hides any kubeconfig of the machine running the tests: with no
// -f, commands read the live cluster of the kubeconfig, and a test must
// never reach a developer's real cluster. Tests that want one point
// --kubeconfig at a server they started.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "trustpath-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	os.Setenv("KUBECONFIG", filepath.Join(dir, "no-kubeconfig"))
	os.Unsetenv("KUBERNETES_SERVICE_HOST") // not in a pod, even when CI runs in one
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func writeFile(path, data string) error { return os.WriteFile(path, []byte(data), 0o600) }

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
