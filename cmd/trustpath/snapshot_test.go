package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestSnapshotRoundTrip writes a fixture as a snapshot and reads it back:
// the graph must not change, and two snapshots must be byte-identical.
func TestSnapshotRoundTrip(t *testing.T) {
	t.Parallel()
	for _, fixture := range []string{"topology", "privilege", "demo/prod"} {
		t.Run(fixture, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			src := testdata(filepath.FromSlash(fixture))
			file := filepath.Join(dir, "estate.json")
			if _, stderr, code := run(t, "", "snapshot", "-q", "--cluster", "test", "-f", src, "-o", file); code != ExitOK {
				t.Fatalf("snapshot: exit %d: %s", code, stderr)
			}
			again, stderr, code := run(t, "", "snapshot", "-q", "--cluster", "test", "-f", src)
			if code != ExitOK {
				t.Fatalf("snapshot to stdout: exit %d: %s", code, stderr)
			}
			first, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			if string(first) != again {
				t.Error("two snapshots of the same input differ")
			}
			if fixture == "demo/prod" && !podWritten(t, first, "runner-7c9f-x2kq8") {
				t.Error("the snapshot lost the dumped runner Pod's containers; the objects read must be written whole")
			}
			want, stderr, code := run(t, "", "graph", "-q", "--format", "json", "--cluster", "test", "-f", src)
			if code != ExitOK {
				t.Fatalf("graph of the files: exit %d: %s", code, stderr)
			}
			got, stderr, code := run(t, "", "graph", "-q", "--format", "json", "--cluster", "test", "-f", file)
			if code != ExitOK {
				t.Fatalf("graph of the snapshot: exit %d: %s", code, stderr)
			}
			if got != want {
				t.Errorf("the snapshot's graph differs from the files':\n%s", firstDifference(want, got))
			}
		})
	}
}

func TestSnapshotSeveralClusters(t *testing.T) {
	t.Parallel()
	demo := []string{"-f", "prod=" + testdata("demo", "prod"), "-f", "staging=" + testdata("demo", "staging")}
	_, stderr, code := run(t, "", append([]string{"snapshot"}, demo...)...)
	if code != ExitError || !strings.Contains(stderr, "-o DIR") {
		t.Errorf("several clusters to stdout: exit %d, want %d and a hint naming -o DIR:\n%s", code, ExitError, stderr)
	}
	dir := filepath.Join(t.TempDir(), "out")
	if _, stderr, code := run(t, "", append([]string{"snapshot", "-q", "-o", dir}, demo...)...); code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, c := range []string{"prod", "staging"} {
		p := filepath.Join(dir, c+".json")
		if _, stderr, code := run(t, "", "graph", "-q", "-f", c+"="+p); code != ExitOK {
			t.Errorf("reading back %s: exit %d: %s", p, code, stderr)
		}
	}
}

// firstDifference shows the first line where two outputs part.
func firstDifference(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := range min(len(w), len(g)) {
		if w[i] != g[i] {
			return "line " + strconv.Itoa(i+1) + ":\n  want " + w[i] + "\n  got  " + g[i]
		}
	}
	return "one output is a prefix of the other"
}

// podWritten reports whether the kubectl List in list holds the named Pod
// with its containers.
func podWritten(t *testing.T, list []byte, name string) bool {
	t.Helper()
	var l struct {
		Items []struct {
			Kind     string
			Metadata struct{ Name string }
			Spec     struct{ Containers []json.RawMessage }
		}
	}
	if err := json.Unmarshal(list, &l); err != nil {
		t.Fatal(err)
	}
	for _, it := range l.Items {
		if it.Kind == "Pod" && it.Metadata.Name == name {
			return len(it.Spec.Containers) > 0
		}
	}
	return false
}
