package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/trustpath/trustpath/graph/graphtest"
)

// TestDiffNewRoleBinding diffs the fixture pair of testdata/diff, where the
// head adds one RoleBinding; the README there states the answer.
func TestDiffNewRoleBinding(t *testing.T) {
	t.Parallel()
	base, head := testdata("diff", "base"), testdata("diff", "head")
	stdout, stderr, code := run(t, "", "diff", "-q", "--base", base, "--head", head, "-o", "json")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	type finding struct {
		Severity, Actor, Crosses, Target string
		Missing                          []string
		Path                             struct{ From string }
	}
	var d struct {
		Findings struct {
			Opened, Closed []finding
			Unchanged      int
		}
		Paths struct{ Added, Removed []finding }
		Steps struct {
			Added []struct {
				From, To, Technique, Boundary string
				Missing                       []string
			}
			Removed, Changed []json.RawMessage
		}
		Flows struct{ Added, Removed, Changed []json.RawMessage }
	}
	if err := json.Unmarshal([]byte(stdout), &d); err != nil {
		t.Fatal(err)
	}
	const binding = "least-privilege RBAC: rolebinding/billing/web-stripe (role role/billing/stripe-reader)"
	if len(d.Steps.Added) != 1 || len(d.Steps.Removed)+len(d.Steps.Changed) != 0 {
		t.Fatalf("steps +%d -%d ~%d, want exactly one added", len(d.Steps.Added), len(d.Steps.Removed), len(d.Steps.Changed))
	}
	s := d.Steps.Added[0]
	if s.From != "serviceaccount/app/web" || s.To != "secret/billing/stripe-key" || s.Technique != "read secret via API" ||
		s.Boundary != "namespace" || len(s.Missing) != 1 || s.Missing[0] != binding {
		t.Errorf("new step %+v, want serviceaccount/app/web -> secret/billing/stripe-key, read secret via API, namespace, missing the binding", s)
	}
	var opened bool
	for _, p := range d.Paths.Added {
		if p.Path.From == "container/app/web/web" && p.Target == "secret/billing/stripe-key" && p.Severity == "critical" {
			opened = true
		}
	}
	if !opened || len(d.Paths.Removed) != 0 {
		t.Errorf("paths %+v, want container/app/web/web newly reaching secret/billing/stripe-key (critical), none removed", d.Paths)
	}
	var named bool
	for _, f := range d.Findings.Opened {
		if f.Crosses == "namespace" && len(f.Missing) == 1 && f.Missing[0] == binding {
			named = true
		}
	}
	if !named || len(d.Findings.Closed) != 0 || d.Findings.Unchanged != 2 {
		t.Errorf("findings opened %d (the binding's: %v), closed %d, unchanged %d; want the binding's opened, none closed, the base's 2 unchanged",
			len(d.Findings.Opened), named, len(d.Findings.Closed), d.Findings.Unchanged)
	}
	if n := len(d.Flows.Added) + len(d.Flows.Removed) + len(d.Flows.Changed); n != 0 {
		t.Errorf("%d flows changed; the change touches no NetworkPolicy", n)
	}
}

func TestDiffGolden(t *testing.T) {
	t.Parallel()
	base, head := testdata("diff", "base"), testdata("diff", "head")
	for _, tt := range []struct{ format, golden string }{{"table", "diff.golden.txt"}, {"md", "diff.golden.md"}} {
		stdout, stderr, code := run(t, "", "diff", "-q", "--base", base, "--head", head, "-o", tt.format)
		if code != ExitOK {
			t.Fatalf("-o %s: exit %d: %s", tt.format, code, stderr)
		}
		graphtest.Golden(t, testdata("diff", tt.golden), []byte(stdout))
	}
}

// TestDiffFailOn gates on new findings only: the base's own critical
// findings do not fail a diff of the base against itself.
func TestDiffFailOn(t *testing.T) {
	t.Parallel()
	base, head := testdata("diff", "base"), testdata("diff", "head")
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"new critical", []string{"--base", base, "--head", head, "--fail-on", "critical"}, ExitNo, "new findings at or above critical"},
		{"no change", []string{"--base", base, "--head", base, "--fail-on", "low"}, ExitOK, ""},
		{"closed only", []string{"--base", head, "--head", base, "--fail-on", "low"}, ExitOK, ""},
		{"no gate", []string{"--base", base, "--head", head}, ExitOK, ""},
		{"missing head", []string{"--base", base}, ExitError, "--base and --head are both required"},
		{"bad severity", []string{"--base", base, "--head", head, "--fail-on", "severe"}, ExitError, "unknown severity"},
		{"bad path", []string{"--base", base, "--head", testdata("diff", "nope")}, ExitError, "loading --head"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, stderr, code := run(t, "", append([]string{"diff", "-o", "json"}, tt.args...)...)
			if code != tt.code {
				t.Errorf("exit %d, want %d\n%s", code, tt.code, stderr)
			}
			if !strings.Contains(stderr, tt.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tt.stderr, stderr)
			}
		})
	}
	// analyze, by contrast, gates on every finding the estate has.
	if _, _, code := run(t, "", "analyze", "-q", "-f", base, "--fail-on", "low"); code != ExitNo {
		t.Errorf("analyze --fail-on low on the base: exit %d, want %d", code, ExitNo)
	}
}
