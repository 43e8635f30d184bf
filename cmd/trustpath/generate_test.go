package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGenerate writes a small estate, reads it back with analyze, and
// checks that a second run with the same flags writes the same bytes.
func TestGenerate(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	for _, out := range []string{a, b} {
		_, stderr, code := run(t, "", "generate", "--pods", "400", "--seed", "3", "--format", "json", "--dump", "-o", out)
		if code != ExitOK {
			t.Fatalf("generate: exit %d\n%s", code, stderr)
		}
		if !strings.Contains(stderr, "400 Pod") || !strings.Contains(stderr, "trustpath analyze -f "+out) {
			t.Errorf("generate's summary lacks the pod count or the command to analyse:\n%s", stderr)
		}
	}
	entries, err := os.ReadDir(a)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 9 { // 8 namespaces and the cluster-scoped file
		t.Errorf("got %d files, want 9", len(entries))
	}
	for _, e := range entries {
		x, _ := os.ReadFile(filepath.Join(a, e.Name()))
		y, _ := os.ReadFile(filepath.Join(b, e.Name()))
		if string(x) != string(y) {
			t.Errorf("%s differs between two runs with the same seed", e.Name())
		}
	}
	_, stderr, code := run(t, "", "analyze", "-f", a)
	if code != ExitOK {
		t.Fatalf("analyze of the generated estate: exit %d\n%s", code, stderr)
	}
	if strings.Contains(stderr, "problems") {
		t.Errorf("the generated estate has problems:\n%s", stderr)
	}
}

func TestGenerateClusters(t *testing.T) {
	t.Parallel()
	out := filepath.Join(t.TempDir(), "estate")
	_, stderr, code := run(t, "", "generate", "--pods", "500", "--clusters", "2", "-o", out)
	if code != ExitOK {
		t.Fatalf("generate: exit %d\n%s", code, stderr)
	}
	for _, c := range []string{"cluster-1", "cluster-2"} {
		if _, err := os.Stat(filepath.Join(out, c, "cluster.yaml")); err != nil {
			t.Errorf("cluster %s: %v", c, err)
		}
		if want := "-f " + c + "=" + filepath.Join(out, c); !strings.Contains(stderr, want) {
			t.Errorf("summary lacks %q:\n%s", want, stderr)
		}
	}
}

func TestGenerateErrors(t *testing.T) {
	t.Parallel()
	full := t.TempDir()
	if err := os.WriteFile(filepath.Join(full, "old.yaml"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want string // on stderr
	}{
		{"no output", []string{"generate", "--pods", "400"}, "no output directory"},
		{"too few pods", []string{"generate", "--pods", "12", "-o", filepath.Join(t.TempDir(), "x")}, "pods are too few"},
		{"bad format", []string{"generate", "--format", "xml", "-o", filepath.Join(t.TempDir(), "x")}, `unknown --format "xml"`},
		{"not empty", []string{"generate", "-o", full}, "is not empty"},
		{"bad risk rate", []string{"generate", "--risk-rate", "1.5", "-o", filepath.Join(t.TempDir(), "x")}, "risk rate must be between 0 and 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, stderr, code := run(t, "", tt.args...)
			if code != ExitError {
				t.Errorf("exit %d, want %d", code, ExitError)
			}
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr lacks %q:\n%s", tt.want, stderr)
			}
		})
	}
}
