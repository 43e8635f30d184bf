package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// tableCommands are the commands that print tables or prose around them,
// on the two-cluster demo; demoArgs is appended.
var tableCommands = [][]string{
	{"analyze"},
	{"analyze", "--top", "1000"},
	{"reach", "internet", "prod:secret/shop/db-credentials"},
	{"reach", "prod:user/alice@example.com", "prod:secret/payments/stripe-key"},
	{"paths", "--to", "prod:secret/payments/stripe-key"},
	{"paths"},
	{"blast", "prod:container/shop/frontend/frontend"},
	{"exposure", "prod:secret/payments/stripe-key"},
	{"flows"},
	{"flows", "--explain"},
	{"flows", "--from", "prod:deploy/shop/frontend", "--explain"},
	{"flows", "--check", "prod:deploy/shop/frontend", "prod:deploy/payments/processor", "tcp/8443"},
	{"graph"},
	{"can", "prod:sa/ci/runner", "get", "secrets", "-A"},
	{"who-can", "get", "secrets", "-A"},
	{"who-can", "create", "pods", "--subresource", "exec", "-n", "shop"},
}

// diffCases are diff on version pairs; they take no demoArgs. The demo's
// prod cluster against its staging one, both loaded under one name so that
// keys match, gives every section of the diff rows, both ways round.
var diffCases = []tableCase{
	{"diff prod staging", []string{"diff", "-q", "--base", "prod=" + testdata("demo", "prod"), "--head", "prod=" + testdata("demo", "staging")}},
	{"diff staging prod", []string{"diff", "-q", "--base", "prod=" + testdata("demo", "staging"), "--head", "prod=" + testdata("demo", "prod")}},
	{"diff base head", []string{"diff", "-q", "--base", testdata("diff", "base"), "--head", testdata("diff", "head")}},
}

// tableCase is a command line and the name of its subtest.
type tableCase struct {
	name string
	args []string
}

// onDemo returns the case that runs args on the demo.
func onDemo(args ...string) tableCase {
	return tableCase{strings.Join(args, " "), append(slices.Clone(args), demoArgs...)}
}

// TestTablesFit runs every table command on the demo, as a pipe would:
// no line is wider than 100 columns, nothing is elided, and every word of
// the --wide output can still be read in the fitted one, whole or in
// pieces split where the table writer breaks lines.
func TestTablesFit(t *testing.T) {
	t.Parallel()
	var cases []tableCase
	for _, args := range tableCommands {
		cases = append(cases, onDemo(args...))
	}
	for _, tc := range append(cases, diffCases...) {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fitted, stderr, code := run(t, "", tc.args...)
			if code == ExitError {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			for i, l := range strings.Split(fitted, "\n") {
				if n := utf8.RuneCountInString(l); n > defaultWidth {
					t.Errorf("line %d is %d columns, more than %d:\n%s", i+1, n, defaultWidth, l)
				}
			}
			if strings.ContainsAny(fitted, "…\x1b") {
				t.Errorf("output holds an ellipsis or an escape sequence:\n%s", fitted)
			}
			wide, _, _ := run(t, "", append([]string{"--wide"}, tc.args...)...)
			words := wordsOf(fitted)
			for _, w := range strings.Fields(wide) {
				if isHeader(w) {
					continue // a column moved under its rows loses its header
				}
				if !readable(w, words) {
					t.Errorf("%q of the --wide output cannot be read in the fitted one:\n%s", w, fitted)
					break
				}
			}
		})
	}
}

// TestTablesShowJSONKeys: every vertex key the JSON of a command holds
// can be read in its table, except where the table says what it leaves out
// (analyze shows --top findings; blast and exposure list the vertices
// reached, not the steps on the way). diff shows every key of its JSON.
func TestTablesShowJSONKeys(t *testing.T) {
	t.Parallel()
	everyKey := func(v any) []string { return jsonStrings(v, "", "key", "from", "to", "via", "at", "target", "vertex") }
	reached := func(v any) []string {
		var keys []string
		for _, p := range v.(map[string]any)["paths"].([]any) {
			keys = append(keys, p.(map[string]any)["to"].(string))
		}
		return keys
	}
	type keysTest struct {
		tableCase
		keys func(any) []string
	}
	tests := []keysTest{
		{onDemo("analyze", "--top", "1000"), everyKey},
		{onDemo("reach", "internet", "prod:secret/shop/db-credentials"), everyKey},
		{onDemo("paths", "--to", "prod:secret/payments/stripe-key"), everyKey},
		{onDemo("blast", "prod:container/shop/frontend/frontend"), reached},
		{onDemo("exposure", "prod:secret/payments/stripe-key"), reached},
		{onDemo("flows", "--explain"), everyKey},
		{onDemo("graph"), everyKey},
	}
	for _, tc := range diffCases {
		tests = append(tests, keysTest{tc, everyKey})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			table, stderr, code := run(t, "", tt.args...)
			if code != ExitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			js, _, _ := run(t, "", append(slices.Clone(tt.args), "--format", "json")...)
			var v any
			if err := json.Unmarshal([]byte(js), &v); err != nil {
				t.Fatalf("-o json: %v", err)
			}
			keys := tt.keys(v)
			if len(keys) == 0 {
				t.Fatal("no keys in the JSON; the test would prove nothing")
			}
			words := wordsOf(table)
			for _, k := range keys {
				if !readable(k, words) {
					t.Errorf("%s is in the JSON but cannot be read in the table:\n%s", k, table)
					break
				}
			}
		})
	}
}

// jsonStrings returns the string values of v's fields named in fields, at
// any depth.
func jsonStrings(v any, field string, fields ...string) []string {
	var out []string
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			out = append(out, jsonStrings(e, k, fields...)...)
		}
	case []any:
		for _, e := range x {
			out = append(out, jsonStrings(e, field, fields...)...)
		}
	case string:
		if slices.Contains(fields, field) && x != "" {
			out = append(out, x)
		}
	}
	return out
}

// wordsOf returns the words of s, also without the punctuation that
// surrounds a key in a list or a sentence.
func wordsOf(s string) map[string]bool {
	words := map[string]bool{}
	for _, w := range strings.Fields(s) {
		words[w] = true
		words[strings.Trim(w, ",;()")] = true
	}
	return words
}

// readable reports whether w is one of words, or pieces of it that are,
// split only after a character the table writer breaks lines at.
func readable(w string, words map[string]bool) bool {
	r := []rune(w)
	ok := make([]bool, len(r)+1)
	ok[0] = true
	for i := range r {
		if !ok[i] {
			continue
		}
		for j := i + 1; j <= len(r); j++ {
			if words[string(r[i:j])] && (j == len(r) || strings.ContainsRune("/,;:=>)-._", r[j-1])) {
				ok[j] = true
			}
		}
	}
	return ok[len(r)]
}

func TestReadable(t *testing.T) {
	t.Parallel()
	key := "prod:secret/payments/stripe-key"
	tests := []struct {
		output string
		want   bool
	}{
		{"x prod:secret/payments/stripe-key y", true},
		{"(prod:secret/payments/stripe-key, a)", true},
		{"prod:secret/payments/\n  stripe-key", true},
		{"prod:secret/…/stripe-key", false},
		{"prod:sec\nret/payments/stripe-key", false}, // split inside a word
		{"prod:secret/payments/stripe-", false},
	}
	for _, tt := range tests {
		if got := readable(key, wordsOf(tt.output)); got != tt.want {
			t.Errorf("readable in %q: got %v, want %v", tt.output, got, tt.want)
		}
	}
}

// isHeader reports whether w may be a word of a column header ("MISSING
// CONTROL / EVIDENCE", "#"): no lower-case letter and no digit.
func isHeader(w string) bool {
	return strings.IndexFunc(w, func(r rune) bool { return unicode.IsLower(r) || unicode.IsDigit(r) }) < 0
}

func TestDisplay(t *testing.T) {
	t.Parallel()
	pipe := IOStreams{Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}}
	tests := []struct {
		name string
		g    globalOptions
		file string
		want display
	}{
		{"a pipe: 100 columns, no colour", globalOptions{}, "", display{width: defaultWidth}},
		{"--wide: no limit", globalOptions{Wide: true}, "", display{width: 0}},
		{"a file: 100 columns, no colour", globalOptions{}, filepath.Join(t.TempDir(), "out.txt"), display{width: defaultWidth}},
	}
	for _, tt := range tests {
		if got := tt.g.display(pipe, tt.file); got != tt.want {
			t.Errorf("%s: got %+v, want %+v", tt.name, got, tt.want)
		}
	}
	// A file is never a terminal, even the one stdout would be.
	f, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := (&globalOptions{}).display(IOStreams{Out: f}, ""); got != (display{width: defaultWidth}) {
		t.Errorf("stdout redirected to a file: got %+v, want 100 columns and no colour", got)
	}
}

func TestColorWanted(t *testing.T) {
	t.Parallel()
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	tests := []struct {
		name     string
		noColor  bool
		getenv   func(string) string
		terminal bool
		want     bool
	}{
		{"terminal", false, env("TERM", "xterm-256color"), true, true},
		{"not a terminal", false, env(), false, false},
		{"--no-color", true, env(), true, false},
		{"NO_COLOR=1", false, env("NO_COLOR", "1"), true, false},
		{"NO_COLOR empty is unset", false, env("NO_COLOR", ""), true, true},
		{"TERM=dumb", false, env("TERM", "dumb"), true, false},
	}
	for _, tt := range tests {
		if got := colorWanted(tt.noColor, tt.getenv, tt.terminal); got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestSeverityStyle(t *testing.T) {
	t.Parallel()
	if f := (display{}).severityStyle(); f != nil {
		t.Errorf("without colour, got a style; want none")
	}
	f := display{color: true}.severityStyle()
	for in, want := range map[string]string{
		"critical": "\x1b[1;31mcritical\x1b[0m",
		"high":     "\x1b[31mhigh\x1b[0m",
		"medium":   "\x1b[33mmedium\x1b[0m",
		"low":      "low",
		"other":    "other",
	} {
		if got := f(in); got != want {
			t.Errorf("style(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestNoColorFlag: --no-color is a global flag every command accepts.
func TestNoColorFlag(t *testing.T) {
	t.Parallel()
	stdout, stderr, code := run(t, "", append([]string{"analyze", "--no-color"}, demoArgs...)...)
	if code != ExitOK || strings.Contains(stdout, "\x1b") {
		t.Errorf("exit %d, escape in output: %v\n%s", code, strings.Contains(stdout, "\x1b"), stderr)
	}
}
