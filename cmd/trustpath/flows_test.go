package main

import (
	"strings"
	"testing"

	"github.com/trustpath/trustpath/graph/graphtest"
)

func TestFlowsGolden(t *testing.T) {
	t.Parallel()
	prod := []string{"-q", "-f", testdata("demo", "prod")}
	tests := []struct {
		golden string
		args   []string
	}{
		{"demo/flows.golden.txt", []string{"flows"}},
		{"demo/flows-from-frontend.golden.txt", []string{"flows", "--from", "deploy/shop/frontend"}},
		{"demo/flows-to-processor.golden.txt", []string{"flows", "--to", "deploy/payments/processor", "--explain"}},
		{"demo/flows-from-frontend.golden.json", []string{"flows", "--from", "deploy/shop/frontend", "-o", "json"}},
		{"demo/flows-to-processor.golden.dot", []string{"flows", "--to", "deploy/payments/processor", "-o", "dot"}},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			t.Parallel()
			stdout, stderr, code := run(t, "", append(tt.args, prod...)...)
			if code != ExitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			graphtest.Golden(t, testdata(tt.golden), []byte(stdout))
		})
	}
}

// TestFlowsCheck asks the demo the questions its README answers.
func TestFlowsCheck(t *testing.T) {
	t.Parallel()
	prod := []string{"-q", "-f", testdata("demo", "prod")}
	tests := []struct {
		args []string
		code int
		want string // a line the answer must hold
	}{
		{[]string{"deploy/shop/api", "deploy/payments/processor", "tcp/8443"}, ExitOK,
			"ingress at deployment/payments/processor: allowed by networkpolicy/payments/allow-from-shop-api ingress rule 0"},
		{[]string{"deploy/shop/frontend", "deploy/payments/processor", "tcp/8443"}, ExitNo,
			"isolated for ingress by networkpolicy/payments/default-deny, networkpolicy/payments/allow-from-shop-api; no rule allows it"},
		{[]string{"deploy/shop/api", "deploy/payments/processor", "tcp/8080"}, ExitNo, "denied"},
		{[]string{"deploy/shop/frontend", "sts/shop/db", "tcp/5432"}, ExitOK, "not isolated for ingress"},
		{[]string{"internet", "deploy/shop/frontend", "tcp/8080"}, ExitOK, "exposed through service/shop/frontend"},
		{[]string{"internet", "deploy/payments/processor", "tcp/8443"}, ExitNo, "not exposed"},
		{[]string{"deploy/payments/processor", "internet", "tcp/443"}, ExitOK, "allowed by networkpolicy/payments/allow-stripe-egress egress rule 0"},
		{[]string{"deploy/payments/processor", "internet", "tcp/80"}, ExitNo, "denied"},
		{[]string{"container/shop/api/api", "deploy/payments/processor", "tcp/8443"}, ExitOK, "allowed"},
		{[]string{"secret/shop/db-credentials", "deploy/shop/api", "tcp/8080"}, ExitError, "not a network endpoint"},
		{[]string{"deploy/shop/api", "deploy/shop/db", "tcp/5432"}, ExitError, "did you mean"},
		{[]string{"deploy/shop/api", "sts/shop/db", "5432"}, ExitError, "PROTOCOL/NUMBER"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			t.Parallel()
			stdout, stderr, code := run(t, "", append(append([]string{"flows", "--wide", "--check"}, tt.args...), prod...)...)
			if code != tt.code {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, stdout, stderr)
			}
			if !strings.Contains(stdout+stderr, tt.want) {
				t.Errorf("output lacks %q:\n%s%s", tt.want, stdout, stderr)
			}
		})
	}
	if _, stderr, code := run(t, "", "flows", "--check", "a", "b", "-f", testdata("demo", "prod")); code != ExitError || !strings.Contains(stderr, "SRC DST PORT") {
		t.Errorf("two arguments to --check: exit %d, stderr %s", code, stderr)
	}
}
