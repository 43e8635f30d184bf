package rbac_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/trustpath/trustpath/collectors/estate"
	"github.com/trustpath/trustpath/collectors/manifest"
	"github.com/trustpath/trustpath/collectors/rbac"
)

// TestFixture asserts the answers testdata/rbac/README.md states.
func TestFixture(t *testing.T) {
	t.Parallel()
	dir := filepath.Join("..", "..", "testdata", "rbac")
	s := estate.New("rbac")
	if err := manifest.ReadFS(t.Context(), os.DirFS(dir), ".", dir, s, manifest.Options{DefaultNamespace: "default"}); err != nil {
		t.Fatal(err)
	}
	if len(s.Diagnostics) > 0 {
		t.Fatalf("fixture reads with problems: %v", s.Diagnostics)
	}
	a := rbac.New(s)
	runChecks(t, a, []check{
		{"1", user("alice"), res("create", "rbac.authorization.k8s.io", "rolebindings", "", "", "team-a"), true, "RoleBinding/team-a/alice-admin", "ClusterRole/system:aggregate-to-admin", true},
		{"2", user("alice"), res("create", "rbac.authorization.k8s.io", "rolebindings", "", "", "team-b"), false, "", "", false},
		{"3", user("alice"), res("get", "", "secrets", "", "", "team-a"), true, "RoleBinding/team-a/alice-admin", "ClusterRole/system:aggregate-to-edit", true},
		{"4", user("bob"), res("get", "", "pods", "", "", "team-b"), true, "RoleBinding/team-b/bob-view", "ClusterRole/system:aggregate-to-view", true},
		{"5", user("bob"), res("get", "", "secrets", "", "", "team-a"), false, "", "", false},
		{"6", user("bob"), res("create", "", "pods", "exec", "", "team-a"), false, "", "", false},
		{"7", group("oncall"), rbac.Normalize(res("get", "", "nodes", "", "", "default")), true, "ClusterRoleBinding/oncall", "ClusterRole/node-reader", false},
		{"8", group("oncall"), res("get", "", "pods", "log", "", "team-b"), true, "ClusterRoleBinding/oncall", "ClusterRole/pod-reader", false},
		{"9", group("oncall"), res("delete", "", "pods", "", "", "team-b"), false, "", "", false},
		{"10", sa("team-a", "builder"), res("create", "", "pods", "", "", "team-a"), true, "RoleBinding/team-a/builders", "Role/team-a/builder", false},
		{"11", sa("team-b", "builder"), res("create", "", "pods", "", "", "team-a"), false, "", "", false},
		{"12", sa("ci", "runner"), res("get", "", "secrets", "", "registry", "team-b"), true, "RoleBinding/team-b/ci-registry", "Role/team-b/registry-secret", false},
		{"13", sa("ci", "runner"), res("get", "", "secrets", "", "other", "team-b"), false, "", "", false},
		{"14", sa("ci", "runner"), res("list", "", "secrets", "", "", "team-b"), false, "", "", false},
		{"15", sa("cd", "runner"), res("get", "", "secrets", "", "registry", "team-b"), false, "", "", false},
		{"16", sa("monitoring", "prometheus"), url("get", "/metrics/cadvisor"), true, "ClusterRoleBinding/prometheus", "ClusterRole/metrics-reader", false},
		{"17", sa("monitoring", "prometheus"), url("get", "/debug/pprof"), false, "", "", false},
		{"18", user("carol"), res("get", "", "pods", "", "", "team-b"), false, "", "", false},
		{"19", user("carol"), res("create", "authorization.k8s.io", "selfsubjectaccessreviews", "", "", ""), true, "ClusterRoleBinding/system:basic-user", "ClusterRole/system:basic-user", true},
		{"20", user("carol"), url("get", "/healthz"), true, "", "", true},
	})
	t.Run("warning", func(t *testing.T) {
		t.Parallel()
		if len(s.Diagnostics) != 1 || s.Diagnostics[0].Object != "RoleBinding/team-b/legacy" || s.Diagnostics[0].Severity != estate.Warning {
			t.Fatalf("diagnostics %v, want one warning about RoleBinding/team-b/legacy", s.Diagnostics)
		}
	})
	t.Run("who-can", func(t *testing.T) {
		t.Parallel()
		var got []string
		for _, sg := range a.WhoCan(res("get", "", "secrets", "", "", "team-a")) {
			got = append(got, sg.Subject.String())
		}
		want := "[Group/system:masters User/alice User/system:kube-controller-manager]"
		if g := fmt.Sprint(got); g != want {
			t.Errorf("who can get secrets in team-a: %s, want %s", g, want)
		}
	})
}
