package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trustpath/trustpath/analysis"
	"github.com/trustpath/trustpath/graph/graphtest"
)

var demoArgs = []string{"-q", "-f", "prod=" + testdata("demo", "prod"), "-f", "staging=" + testdata("demo", "staging")}

func TestPathCommandsGolden(t *testing.T) {
	t.Parallel()
	tests := []struct {
		golden string
		args   []string
	}{
		{"demo/analyze.golden.txt", []string{"analyze"}},
		{"demo/reach-internet-db.golden.txt", []string{"reach", "internet", "prod:secret/shop/db-credentials"}},
		{"demo/reach-staging-prod.golden.dot", []string{"reach", "staging:container/ci/runner/runner", "prod:cluster/prod", "-o", "dot"}},
		{"demo/paths-stripe.golden.txt", []string{"paths", "--to", "prod:secret/payments/stripe-key", "-k", "3"}},
		{"demo/blast-frontend.golden.txt", []string{"blast", "prod:container/shop/frontend/frontend"}},
		{"demo/exposure-stripe.golden.txt", []string{"exposure", "prod:secret/payments/stripe-key"}},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			t.Parallel()
			stdout, stderr, code := run(t, "", append(tt.args, demoArgs...)...)
			if code != ExitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			graphtest.Golden(t, testdata(tt.golden), []byte(stdout))
		})
	}
}

func TestReachExitCodes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"reach", "prod:group/ops", "prod:cluster-admin"}, ExitOK, "yes"},
		{[]string{"reach", "prod:user/alice@example.com", "prod:secret/payments/stripe-key"}, ExitNo, "no: prod:user/alice@example.com cannot reach"},
		{[]string{"reach", "prod:user/alice@example.com", "prod:secret/payments/stripe-key", "-o", "json"}, ExitNo, `"reachable": false`},
		{[]string{"reach", "prod:user/nobody", "prod:cluster-admin"}, ExitError, "no such vertex"},
		{[]string{"reach", "internet"}, ExitError, "accepts 2 arg"},
		{[]string{"paths", "--from", "prod:user/alice@example.com", "--to", "prod:secret/payments/stripe-key"}, ExitNo, "no paths"},
		{[]string{"paths", "-k", "0"}, ExitError, "-k must be"},
		{[]string{"analyze", "--fail-on", "high"}, ExitNo, "critical"},
		{[]string{"analyze", "--fail-on", "severe"}, ExitError, "unknown severity"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			t.Parallel()
			stdout, stderr, code := run(t, "", append(tt.args, demoArgs...)...)
			if code != tt.code {
				t.Errorf("exit %d, want %d\n%s%s", code, tt.code, stdout, stderr)
			}
			if !strings.Contains(stdout+stderr, tt.want) {
				t.Errorf("output lacks %q:\n%s%s", tt.want, stdout, stderr)
			}
		})
	}
}

// TestCleanEstatePasses: a hardened pod with nothing exposed has no
// finding, and --fail-on low passes.
func TestCleanEstatePasses(t *testing.T) {
	t.Parallel()
	in := `apiVersion: v1
kind: Namespace
metadata: {name: app, labels: {pod-security.kubernetes.io/enforce: restricted}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny, namespace: app}
spec: {podSelector: {}, policyTypes: [Ingress, Egress]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: app}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      automountServiceAccountToken: false
      securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
      containers:
      - name: web
        image: web
        ports: [{containerPort: 8080}]
        securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: [ALL]}}
`
	stdout, stderr, code := run(t, in, "analyze", "-q", "-f", "-", "--fail-on", "low")
	if code != ExitOK || !strings.HasPrefix(stdout, "0 findings") {
		t.Errorf("exit %d:\n%s%s", code, stdout, stderr)
	}
}

// TestRemedyVerifiedByAssume applies the snippet analyze proposes for the
// missing ingress policy of shop/api and checks, by re-analysis, that the
// findings of that cause close.
func TestRemedyVerifiedByAssume(t *testing.T) {
	t.Parallel()
	const control = "ingress NetworkPolicy for prod:deployment/shop/api"
	stdout, stderr, code := run(t, "", append([]string{"analyze", "-o", "json"}, demoArgs...)...)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var report struct {
		Causes []struct {
			Control  string `json:"control"`
			Findings int    `json:"findings"`
			Snippet  string `json:"snippet"`
		} `json:"causes"`
	}
	if err := json.Unmarshal([]byte(stdout), &report); err != nil {
		t.Fatal(err)
	}
	var snippet string
	var findings int
	for _, c := range report.Causes {
		if c.Control == control {
			snippet, findings = c.Snippet, c.Findings
		}
	}
	if snippet == "" || findings == 0 {
		t.Fatalf("no cause %q with a snippet in %+v", control, report.Causes)
	}
	if want := analysis.RemedyFor(control).Snippet; snippet != want {
		t.Errorf("snippet differs from RemedyFor")
	}
	fix := filepath.Join(t.TempDir(), "fix.yaml")
	if err := os.WriteFile(fix, []byte(snippet), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code = run(t, "", append([]string{"analyze", "--assume", "prod=" + fix}, demoArgs...)...)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if strings.Contains(stdout, "0 findings closed") || !strings.Contains(stdout, "WITH THE ASSUMPTIONS") {
		t.Errorf("the snippet closed nothing:\n%s", stdout[strings.Index(stdout, "WITH THE"):])
	}
	for _, line := range strings.Split(stdout[strings.Index(stdout, "WITH THE ASSUMPTIONS"):], "\n") {
		if strings.HasPrefix(line, "  opened:") {
			t.Errorf("the fix opened a finding: %s", line)
		}
	}
}

// TestAssumeReplaces: an assumed ClusterRole replaces the one of the same
// name, so narrowing prometheus' role (no nodes/proxy) closes the findings
// that went through the kubelet API, and opens none.
func TestAssumeReplaces(t *testing.T) {
	t.Parallel()
	narrow := filepath.Join(t.TempDir(), "prometheus.yaml")
	if err := os.WriteFile(narrow, []byte(`apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: prometheus}
rules:
- apiGroups: [""]
  resources: [pods, nodes, services, endpoints]
  verbs: [get, list, watch]
`), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := run(t, "", append([]string{"analyze", "--wide", "--assume", "prod=" + narrow}, demoArgs...)...)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	i := strings.Index(stdout, "WITH THE ASSUMPTIONS")
	if i < 0 {
		t.Fatalf("no assumptions section:\n%s", stdout)
	}
	section := stdout[i:]
	if strings.Contains(section, " 0 findings closed") || strings.Contains(section, "opened:") {
		t.Errorf("want findings closed and none opened:\n%s", section)
	}
	if !strings.Contains(section, "closed: compromised container: prod:serviceaccount/monitoring/prometheus -> prod:control-pods/payments") {
		t.Errorf("the kubelet-API step from prometheus' account did not close:\n%s", section)
	}
}
