package main

import (
	"strings"
	"testing"
)

// TestCan runs `trustpath can` on testdata/rbac, whose README.md states the
// answers, and checks exit codes, the answer and the evidence lines.
func TestCan(t *testing.T) {
	t.Parallel()
	dir := testdata("rbac")
	teams := dir + "/teams.yaml"
	cluster := dir + "/cluster.yaml"
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout []string // lines stdout must hold, in order
		stderr string   // a substring stderr must hold
	}{
		{"yes, with evidence", []string{"user/alice", "create", "rolebindings", "-n", "team-a"}, ExitOK, []string{
			"yes",
			"binding: RoleBinding/team-a/alice-admin at " + teams + ":3 (document 1)",
			"role: ClusterRole/admin (Kubernetes default)",
			"rule: rules[1] of ClusterRole/system:aggregate-to-admin (Kubernetes default), aggregated into ClusterRole/admin: " +
				"{apiGroups: [rbac.authorization.k8s.io], resources: [rolebindings, roles], verbs: [create, delete, deletecollection, get, list, patch, update, watch]}",
		}, ""},
		{"other namespace", []string{"user/alice", "create", "rolebindings", "-n", "team-b"}, ExitNo, []string{"no"}, ""},
		{"view excludes secrets", []string{"user/bob", "get", "secrets", "-n", "team-a"}, ExitNo, []string{"no"}, ""},
		{"subresource flag", []string{"user/bob", "create", "pods", "--subresource", "exec", "-n", "team-a"}, ExitNo, []string{"no"}, ""},
		{"RESOURCE/NAME is a name", []string{"user/bob", "create", "pods/exec", "-n", "team-a"}, ExitNo, []string{"no"},
			`pods/exec names the object "exec"; for the exec subresource use --subresource exec`},
		{"aggregated, cluster-scoped", []string{"group/oncall", "get", "nodes"}, ExitOK, []string{
			"yes",
			"binding: ClusterRoleBinding/oncall at " + cluster + ":51 (document 8)",
			"role: ClusterRole/oncall at " + cluster + ":19 (document 5)",
			"rule: rules[0] of ClusterRole/node-reader at " + cluster + ":40 (document 7), aggregated into ClusterRole/oncall: {apiGroups: [\"\"], resources: [nodes], verbs: [get, list, watch]}",
		}, "nodes are cluster-scoped; asking cluster-wide"},
		{"short name and subresource", []string{"group/oncall", "get", "po", "--subresource", "log", "-n", "team-b"}, ExitOK, []string{"yes"}, ""},
		{"namespace-less SA subject", []string{"sa/team-a/builder", "create", "pods", "-n", "team-a"}, ExitOK, []string{
			"yes",
			"binding: RoleBinding/team-a/builders at " + teams + ":58 (document 5)",
			"role: Role/team-a/builder at " + teams + ":48 (document 4)",
			`rule: rules[0] of Role/team-a/builder: {apiGroups: [""], resources: [pods], verbs: [create, delete]}`,
		}, ""},
		{"resourceNames: named", []string{"serviceaccount/ci/runner", "get", "secrets/registry", "-n", "team-b"}, ExitOK, []string{"yes"}, ""},
		{"resourceNames: other name", []string{"sa/ci/runner", "get", "secrets/other", "-n", "team-b"}, ExitNo, []string{"no"}, ""},
		{"resourceNames: list", []string{"sa/ci/runner", "list", "secrets", "-n", "team-b"}, ExitNo, []string{"no"}, ""},
		{"implicit group, other namespace", []string{"sa/cd/runner", "get", "secrets/registry", "-n", "team-b"}, ExitNo, []string{"no"}, ""},
		{"URL", []string{"sa/monitoring/prometheus", "get", "/metrics/cadvisor"}, ExitOK, []string{"yes", "binding: ClusterRoleBinding/prometheus at " + cluster + ":73 (document 10)"}, ""},
		{"URL not granted", []string{"sa/monitoring/prometheus", "get", "/debug/pprof"}, ExitNo, []string{"no"}, ""},
		{"missing role: warning, no", []string{"user/carol", "get", "pods", "-n", "team-b"}, ExitNo, []string{"no"},
			"warning: " + teams + ":98 (document 8): roleRef ClusterRole legacy-admin is neither in the input nor a Kubernetes default"},
		{"default binding", []string{"user/carol", "create", "selfsubjectaccessreviews.authorization.k8s.io"}, ExitOK, []string{
			"yes",
			"binding: ClusterRoleBinding/system:basic-user (Kubernetes default)",
		}, ""},
		{"group with colons", []string{"group/system:masters", "delete", "nodes", "-A"}, ExitOK, []string{"yes"}, ""},
		{"cluster prefix with one cluster", []string{"test:user/alice", "get", "secrets", "-n", "team-a", "--cluster", "test"}, ExitOK, []string{"yes"}, ""},
		{"--as-group", []string{"user/dave", "get", "nodes", "--as-group", "oncall"}, ExitOK, []string{"yes"}, ""},
		{"unknown user", []string{"user/dave", "get", "nodes"}, ExitNo, []string{"no"}, "user/dave is named by no binding in cluster default"},
		{"--strict fails on the missing role", []string{"--strict", "user/alice", "get", "secrets", "-n", "team-a"}, ExitError, nil, "--strict"},
		{"bad subject kind", []string{"pod/team-a/web", "get", "pods"}, ExitError, nil, "hint: a subject is user/NAME"},
		{"bad service account", []string{"sa/runner", "get", "pods"}, ExitError, nil, "a service account is serviceaccount/NAMESPACE/NAME"},
		{"empty name", []string{"user/", "get", "pods"}, ExitError, nil, "empty name"},
		{"unknown cluster", []string{"prod:user/alice", "get", "pods"}, ExitError, nil, `no cluster "prod" is loaded`},
		{"subresource with URL", []string{"user/alice", "get", "/healthz", "--subresource", "log"}, ExitError, nil, "--subresource cannot be given with a non-resource URL"},
		{"two arguments", []string{"user/alice", "get"}, ExitError, nil, "want SUBJECT VERB RESOURCE[/NAME], got 2 arguments"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			args := append([]string{"can", "--wide", "-f", dir}, tt.args...)
			stdout, stderr, code := run(t, "", args...)
			if code != tt.code {
				t.Fatalf("trustpath %v: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", args, code, tt.code, stdout, stderr)
			}
			if got := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n"); len(tt.stdout) > 0 && !startsWithLines(got, tt.stdout) {
				t.Errorf("stdout:\n%s\nwant the lines:\n%s", stdout, strings.Join(tt.stdout, "\n"))
			}
			if tt.code == ExitError && stdout != "" {
				t.Errorf("error printed on stdout: %s", stdout)
			}
			if !strings.Contains(stderr, tt.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tt.stderr, stderr)
			}
		})
	}
}

// startsWithLines reports whether got starts with want.
func startsWithLines(got, want []string) bool {
	if len(got) < len(want) {
		return false
	}
	for i := range want {
		if got[i] != want[i] {
			return false
		}
	}
	return true
}

// TestCanDemo asks the questions whose answers testdata/demo/README.md
// gives, with the two clusters loaded.
func TestCanDemo(t *testing.T) {
	t.Parallel()
	demo := []string{"-f", "prod=" + testdata("demo", "prod"), "-f", "staging=" + testdata("demo", "staging")}
	tests := []struct {
		name    string
		args    []string
		code    int
		binding string // the evidence's binding line, for yes
		stderr  string
	}{
		{"ops is cluster-admin", []string{"prod:group/ops", "delete", "nodes"}, ExitOK,
			"binding: ClusterRoleBinding/ops-admins at " + testdata("demo", "prod", "cluster.yaml") + ":143 (document 7)", ""},
		{"ops holds every verb on every resource", []string{"prod:group/ops", "escalate", "clusterroles.rbac.authorization.k8s.io"}, ExitOK, "binding: ClusterRoleBinding/ops-admins", ""},
		{"developers read shop secrets via edit", []string{"prod:group/developers", "get", "secrets", "-n", "shop"}, ExitOK,
			"binding: RoleBinding/shop/developers at " + testdata("demo", "prod", "shop.yaml") + ":293 (document 14)", ""},
		{"developers exec in shop", []string{"prod:group/developers", "create", "pods", "--subresource", "exec", "-n", "shop"}, ExitOK, "binding: RoleBinding/shop/developers", ""},
		{"developers not in payments", []string{"prod:group/developers", "get", "secrets", "-n", "payments"}, ExitNo, "", ""},
		{"developers cannot bind roles", []string{"prod:group/developers", "create", "rolebindings", "-n", "shop"}, ExitNo, "", ""},
		{"alice views payments pods", []string{"prod:user/alice@example.com", "get", "pods", "-n", "payments"}, ExitOK,
			"binding: RoleBinding/payments/alice-view at " + testdata("demo", "prod", "payments.yaml") + ":210 (document 10)", ""},
		{"alice reads no secrets", []string{"prod:user/alice@example.com", "get", "secrets", "-n", "payments"}, ExitNo, "", ""},
		{"alice cannot exec", []string{"prod:user/alice@example.com", "create", "pods", "--subresource", "exec", "-n", "payments"}, ExitNo, "", ""},
		{"alice has nothing in shop", []string{"prod:user/alice@example.com", "get", "pods", "-n", "shop"}, ExitNo, "", ""},
		{"ci runner reads every secret", []string{"prod:sa/ci/runner", "get", "secrets", "-A"}, ExitOK,
			"binding: ClusterRoleBinding/ci-deployer at " + testdata("demo", "prod", "cluster.yaml") + ":127 (document 6)", ""},
		{"ci runner is not cluster-admin", []string{"prod:sa/ci/runner", "escalate", "clusterroles.rbac.authorization.k8s.io"}, ExitNo, "", ""},
		{"staging runner is cluster-admin", []string{"staging:sa/ci/runner", "delete", "nodes"}, ExitOK, "binding: ClusterRoleBinding/ci-runner-admin", ""},
		{"api reads configmaps only", []string{"prod:sa/shop/api", "get", "secrets", "-n", "shop"}, ExitNo, "", ""},
		{"prometheus nodes/proxy", []string{"prod:sa/monitoring/prometheus", "get", "nodes/prod-node-a", "--subresource", "proxy"}, ExitOK, "binding: ClusterRoleBinding/prometheus", ""},
		{"unprefixed subject", []string{"sa/ci/runner", "get", "secrets", "-A"}, ExitError, "",
			"hint: prefix the subject with its cluster: prod:serviceaccount/ci/runner or staging:serviceaccount/ci/runner"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			args := append(append([]string{"can"}, demo...), tt.args...)
			stdout, stderr, code := run(t, "", args...)
			if code != tt.code {
				t.Fatalf("trustpath %v: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", args, code, tt.code, stdout, stderr)
			}
			want := map[int]string{ExitOK: "yes\n" + tt.binding, ExitNo: "no\n", ExitError: ""}[tt.code]
			if !strings.HasPrefix(stdout, want) {
				t.Errorf("stdout:\n%s\nwant it to start with:\n%s", stdout, want)
			}
			if !strings.Contains(stderr, tt.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tt.stderr, stderr)
			}
		})
	}
}

func TestWhoCan(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		code int
		want []string // the first column of the table, in order
	}{
		{"secrets in team-a", []string{"-f", testdata("rbac"), "get", "secrets", "-n", "team-a"}, ExitOK,
			[]string{"SUBJECT", "group/system:masters", "user/alice", "user/system:kube-controller-manager"}},
		{"named secret in team-b", []string{"-f", testdata("rbac"), "get", "secrets/registry", "-n", "team-b"}, ExitOK,
			[]string{"SUBJECT", "group/system:masters", "group/system:serviceaccounts:ci", "user/system:kube-controller-manager"}},
		{"demo, two clusters", []string{"-f", "prod=" + testdata("demo", "prod"), "-f", "staging=" + testdata("demo", "staging"), "create", "pods", "--subresource", "exec", "-n", "shop"}, ExitOK,
			[]string{"SUBJECT", "prod:group/developers", "prod:group/ops", "prod:group/system:masters", "prod:serviceaccount/ci/runner",
				"staging:group/system:masters", "staging:serviceaccount/ci/runner"}},
		{"bad arguments", []string{"-f", testdata("rbac"), "get"}, ExitError, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			args := append([]string{"who-can", "-q", "--wide"}, tt.args...)
			stdout, stderr, code := run(t, "", args...)
			if code != tt.code {
				t.Fatalf("trustpath %v: exit %d, want %d\n%s", args, code, tt.code, stderr)
			}
			var first []string
			for _, line := range strings.Split(strings.TrimSuffix(stdout, "\n"), "\n") {
				if f := strings.Fields(line); len(f) > 0 {
					first = append(first, f[0])
				}
			}
			if strings.Join(first, " ") != strings.Join(tt.want, " ") {
				t.Errorf("subjects %q, want %q\n%s", first, tt.want, stdout)
			}
		})
	}
}

// TestWhoCanNobody replaces the one default binding that grants everything,
// so that no subject may escalate: a clean "no", exit 1.
func TestWhoCanNobody(t *testing.T) {
	t.Parallel()
	in := `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: cluster-admin}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
`
	stdout, stderr, code := run(t, in, "who-can", "-f", "-", "escalate", "clusterroles.rbac.authorization.k8s.io")
	if code != ExitNo || stdout != "" {
		t.Fatalf("exit %d, stdout %q, want exit %d and nothing", code, stdout, ExitNo)
	}
	if want := "no subject may escalate clusterroles.rbac.authorization.k8s.io cluster-wide"; !strings.Contains(stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, stderr)
	}
}
