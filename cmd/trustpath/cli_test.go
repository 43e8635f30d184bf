package main

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trustpath/trustpath/graph/graphtest"
)

// run executes trustpath with args and returns stdout, stderr and the exit
// code main would return.
func run(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	streams := IOStreams{In: strings.NewReader(stdin), Out: &out, ErrOut: &errOut}
	cmd := newRootCommand(streams)
	cmd.SetArgs(args)
	err := cmd.ExecuteContext(t.Context())
	code = exitCode(&errOut, err)
	return out.String(), errOut.String(), code
}

func testdata(parts ...string) string {
	return filepath.Join(append([]string{"..", "..", "testdata"}, parts...)...)
}

// TestCommandsGolden compares rendered output with golden files; the
// answers themselves are asserted in the collectors' and graph's tests.
func TestCommandsGolden(t *testing.T) {
	t.Parallel()
	demo := []string{"-f", "prod=" + testdata("demo", "prod"), "-f", "staging=" + testdata("demo", "staging")}
	tests := []struct {
		golden string // under testdata/
		args   []string
	}{
		{"demo/graph.golden.txt", append([]string{"graph", "-q"}, demo...)},
		{"demo/graph.golden.dot", append([]string{"graph", "-q", "--format", "dot", "--level", "steps"}, demo...)},
		{"demo/boundaries.golden.dot", append([]string{"graph", "-q", "--format", "dot"}, demo...)},
		{"demo/graph.golden.json", append([]string{"graph", "-q", "--format", "json"}, demo...)},
		{"demo/focus-shop-api.golden.dot", append([]string{"graph", "-q", "--format", "dot", "--focus", "prod:deploy/shop/api", "--depth", "1"}, demo...)},
		{"topology/graph.golden.dot", []string{"graph", "-q", "--format", "dot", "--cluster", "test", "-f", testdata("topology")}},
		{"topology/graph.golden.txt", []string{"graph", "-q", "--cluster", "test", "-f", testdata("topology")}},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			t.Parallel()
			stdout, stderr, code := run(t, "", tt.args...)
			if code != ExitOK {
				t.Fatalf("trustpath %v: exit %d\n%s", tt.args, code, stderr)
			}
			if stderr != "" {
				t.Errorf("-q printed on stderr:\n%s", stderr)
			}
			graphtest.Golden(t, testdata(tt.golden), []byte(stdout))
		})
	}
}

func TestExitCodes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		args     []string
		stdin    string
		code     int
		stderrOK string // a substring stderr must hold
	}{
		{"version", []string{"version"}, "", ExitOK, ""},
		{"missing path", []string{"graph", "-f", "does/not/exist"}, "", ExitError, "hint: check the path"},
		{"no input", []string{"graph"}, "", ExitError, "no input"},
		{"empty input", []string{"graph", "-f", "-"}, "# nothing here\n", ExitError, "no Kubernetes objects"},
		{"unknown format", []string{"graph", "-f", testdata("topology"), "--format", "png"}, "", ExitError, "unknown output format"},
		{"unknown flag", []string{"graph", "--bogus"}, "", ExitError, "hint: see: trustpath graph --help"},
		{"unknown focus", []string{"graph", "-f", testdata("topology"), "--focus", "deploy/app/nope"}, "", ExitError, "no such vertex"},
		{"strict fails on warnings", []string{"graph", "--strict", "-f", testdata("topology")}, "", ExitError, "--strict"},
		{"warnings alone do not fail", []string{"graph", "-f", testdata("topology")}, "", ExitOK, "warning:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, stderr, code := run(t, tt.stdin, tt.args...)
			if code != tt.code {
				t.Errorf("exit code %d, want %d\nstderr:\n%s", code, tt.code, stderr)
			}
			if !strings.Contains(stderr, tt.stderrOK) {
				t.Errorf("stderr lacks %q:\n%s", tt.stderrOK, stderr)
			}
			if tt.code == ExitError && strings.Count(stderr, "error:") != 1 {
				t.Errorf("error printed %d times, want once:\n%s", strings.Count(stderr, "error:"), stderr)
			}
		})
	}
}

// TestStdin reads a manifest from standard input with -f -.
func TestStdin(t *testing.T) {
	t.Parallel()
	in := `apiVersion: v1
kind: Service
metadata: {name: web}
spec: {selector: {app: web}}
---
apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec: {containers: [{name: web, image: nginx}]}
`
	stdout, stderr, code := run(t, in, "graph", "-f", "-", "-n", "shop", "--format", "dot")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{`"service/shop/web" -> "pod/shop/web"`, `"container/shop/web/web" -> "serviceaccount/shop/default"`} {
		if !strings.Contains(stdout, want) {
			t.Errorf("DOT lacks %s", want)
		}
	}
}

// TestOutputFile writes each format to a file named by -o.
func TestOutputFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, ext := range []string{"svg", "dot", "json"} {
		out := filepath.Join(dir, "g."+ext)
		if _, stderr, code := run(t, "", "graph", "-q", "-f", testdata("topology"), "-o", out); code != ExitOK {
			t.Fatalf("-o %s: exit %d: %s", out, code, stderr)
		}
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		head := map[string]string{"svg": "<?xml", "dot": "digraph", "json": "{"}[ext]
		if !bytes.HasPrefix(data, []byte(head)) {
			t.Errorf("%s starts %q, want %q", out, data[:min(len(data), 20)], head)
		}
	}
}

func TestDemoCommand(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	stdout, stderr, code := run(t, "", "demo", "--out-dir", dir)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, f := range []string{"graph.svg", "graph.dot", "paths.json", "review.md", "review-path-1.svg", "review.html", "review.json"} {
		p := filepath.Join(dir, f)
		if !strings.Contains(stdout, "wrote "+p) {
			t.Errorf("stdout does not name %s:\n%s", p, stdout)
		}
		if info, err := os.Stat(p); err != nil || info.Size() == 0 {
			t.Errorf("%s: %v", p, err)
		}
	}
	// The embedded demo and the files on disk are the same estate.
	dot, err := os.ReadFile(filepath.Join(dir, "graph.dot"))
	if err != nil {
		t.Fatal(err)
	}
	graphtest.Golden(t, testdata("demo", "graph.golden.dot"), dot)
	// The review, for people and for tools; the JSON in the documented schema.
	graphtest.Golden(t, testdata("demo", "review.golden.md"), []byte(readFile(t, filepath.Join(dir, "review.md"))))
	graphtest.Golden(t, testdata("demo", "review.golden.json"), []byte(readFile(t, filepath.Join(dir, "review.json"))))
	s := compileSchema(t)
	for _, f := range []string{"paths.json", "review.json"} {
		validateJSON(t, s, f, []byte(readFile(t, filepath.Join(dir, f))))
	}
}

// TestNoSecretValueInAnyOutput puts a canary in every place a Secret value
// can hide in a manifest and looks for it, plain and base64, in every format
// and on stderr.
func TestNoSecretValueInAnyOutput(t *testing.T) {
	t.Parallel()
	const canary = "CANARY-5f0c2b1e-never-print-me"
	b64 := base64.StdEncoding.EncodeToString([]byte(canary))
	manifest := `apiVersion: v1
kind: Secret
metadata:
  name: creds
  namespace: shop
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: '{"data":{"password":"` + b64 + `"}}'
type: Opaque
data:
  password: ` + b64 + `
stringData:
  token: ` + canary + `
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg, namespace: shop}
data: {leaked: ` + canary + `}
---
apiVersion: v1
kind: Pod
metadata: {name: app, namespace: shop}
spec:
  containers:
  - name: app
    image: app
    env:
    - {name: PASSWORD, valueFrom: {secretKeyRef: {name: creds, key: password}}}
    volumeMounts: [{name: creds, mountPath: /creds}]
  volumes: [{name: creds, secret: {secretName: creds}}]
---
# A reader in another namespace, so that reports have a finding that ends
# at the Secret and name it.
apiVersion: v1
kind: ServiceAccount
metadata: {name: reader, namespace: web}
---
apiVersion: v1
kind: Pod
metadata: {name: reader, namespace: web}
spec:
  serviceAccountName: reader
  containers: [{name: reader, image: reader}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: secret-reader, namespace: shop}
rules: [{apiGroups: [""], resources: [secrets], verbs: [get]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: reader, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: secret-reader}
subjects: [{kind: ServiceAccount, name: reader, namespace: web}]
`
	dir := t.TempDir()
	path := filepath.Join(dir, "secret.yaml")
	if err := os.WriteFile(path, []byte(manifest), 0o600); err != nil {
		t.Fatal(err)
	}
	var commands [][]string
	for _, format := range formats {
		commands = append(commands, []string{"graph", "-vv", "-f", path, "--format", format})
	}
	// The review, SARIF and the exports; diff against an estate without the
	// Secret's reader, so the diff shows the path to it.
	for _, format := range reportFormats {
		commands = append(commands, []string{"report", "-vv", "-f", path, "--format", format})
	}
	for _, format := range exportFormats {
		commands = append(commands, []string{"export", "-vv", "-f", path, "--format", format})
	}
	before := filepath.Join(dir, "before.yaml")
	if err := os.WriteFile(before, []byte(manifest[:strings.Index(manifest, "---\n# A reader")]), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, format := range diffFormats {
		commands = append(commands, []string{"diff", "-vv", "--base", before, "--head", path, "--format", format})
	}
	out := filepath.Join(dir, "out")
	if err := os.Mkdir(out, 0o755); err != nil {
		t.Fatal(err)
	}
	commands = append(commands, []string{"report", "-vv", "-f", path, "-o", filepath.Join(out, "review.md")})
	for _, args := range commands {
		stdout, stderr, code := run(t, "", args...)
		if code != ExitOK {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
		for _, f := range mustGlob(t, filepath.Join(out, "*")) { // files written beside the review
			stdout += readFile(t, f)
		}
		if !strings.Contains(stdout, "creds") {
			t.Errorf("%v: output does not show the secret at all; the test would prove nothing", args)
		}
		for _, leak := range []string{canary, b64} {
			if strings.Contains(stdout, leak) || strings.Contains(stderr, leak) {
				t.Errorf("%v: output holds a secret value (%q)", args, leak)
			}
		}
	}
}

func mustGlob(t *testing.T, pattern string) []string {
	t.Helper()
	m, err := filepath.Glob(pattern)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestHostileDocumentNamesTheLimit feeds a ConfigMap with a million keys:
// the command fails with the limit named, where the document is, and no
// value of it.
func TestHostileDocumentNamesTheLimit(t *testing.T) {
	t.Parallel()
	var doc strings.Builder
	doc.WriteString(`{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"huge"},"data":{`)
	for i := range 1_000_000 {
		if i > 0 {
			doc.WriteByte(',')
		}
		fmt.Fprintf(&doc, `"k%d":"canary-value"`, i)
	}
	doc.WriteString("}}")
	_, stderr, code := run(t, doc.String(), "graph", "-f", "-")
	if code != ExitError {
		t.Errorf("exit code %d, want %d", code, ExitError)
	}
	for _, want := range []string{"-:1 (document 1)", "key limit", "fix the documents named above"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if strings.Contains(stderr, "canary-value") {
		t.Errorf("stderr shows a value of the document:\n%s", stderr)
	}
}
