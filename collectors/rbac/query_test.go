package rbac_test

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	rbacv1 "k8s.io/api/rbac/v1"

	"github.com/trustpath/trustpath/collectors/estate"
	"github.com/trustpath/trustpath/collectors/rbac"
)

func refOf(kind, ns, name string) estate.Ref {
	return estate.Ref{Kind: kind, Namespace: ns, Name: name}
}

func TestWhoCan(t *testing.T) {
	t.Parallel()
	a := rbac.New(load(t, bindingsYAML))
	type row struct{ Subject, Binding string }
	rows := func(r rbac.Request) []row {
		var out []row
		for _, sg := range a.WhoCan(r) {
			out = append(out, row{sg.Subject.String(), sg.Grant.Binding.String()})
		}
		return out
	}
	tests := []struct {
		name string
		req  rbac.Request
		want []row
	}{
		{"get pods in ns1", res("get", "", "pods", "", "", "ns1"), []row{
			{"Group/system:authenticated", "RoleBinding/ns1/rb-reader"},
			{"Group/system:masters", "ClusterRoleBinding/cluster-admin"},
			{"Group/system:serviceaccounts:ci", "ClusterRoleBinding/crb-reader"},
			{"ServiceAccount/ns1/app", "RoleBinding/ns1/rb-reader"},
			{"User/crb-user", "ClusterRoleBinding/crb-reader"},
			{"User/rb-user", "RoleBinding/ns1/rb-reader"},
			{"User/system:kube-scheduler", "ClusterRoleBinding/system:kube-scheduler"},
			{"User/system:serviceaccount:tools:by-user-name", "ClusterRoleBinding/crb-reader"},
		}},
		{"get pods cluster-wide", res("get", "", "pods", "", "", ""), []row{
			{"Group/system:masters", "ClusterRoleBinding/cluster-admin"},
			{"Group/system:serviceaccounts:ci", "ClusterRoleBinding/crb-reader"},
			{"User/crb-user", "ClusterRoleBinding/crb-reader"},
			{"User/system:kube-scheduler", "ClusterRoleBinding/system:kube-scheduler"},
			{"User/system:serviceaccount:tools:by-user-name", "ClusterRoleBinding/crb-reader"},
		}},
		{"get /metrics", url("get", "/metrics"), []row{
			{"Group/system:masters", "ClusterRoleBinding/cluster-admin"},
			{"Group/system:monitoring", "ClusterRoleBinding/system:monitoring"},
			{"User/mon", "ClusterRoleBinding/metrics"},
		}},
		{"escalate clusterroles", res("escalate", "rbac.authorization.k8s.io", "clusterroles", "", "", ""), []row{
			{"Group/system:masters", "ClusterRoleBinding/cluster-admin"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, rows(tt.req)); diff != "" {
				t.Errorf("WhoCan (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSubjects(t *testing.T) {
	t.Parallel()
	a := rbac.New(load(t, bindingsYAML))
	var got []string
	for _, s := range a.Subjects() {
		got = append(got, s.String())
	}
	want := []string{
		"Group/system:authenticated", "Group/system:masters", "Group/system:monitoring",
		"Group/system:serviceaccounts", "Group/system:serviceaccounts:ci", "Group/system:unauthenticated",
		"ServiceAccount/kube-system/kube-dns", "ServiceAccount/ns1/app",
		"User/crb-user", "User/dangling", "User/mon", "User/mon-local", "User/rb-user",
		"User/system:kube-controller-manager", "User/system:kube-proxy", "User/system:kube-scheduler",
		"User/system:serviceaccount:tools:by-user-name",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Subjects (-want +got):\n%s", diff)
	}
}

func TestRules(t *testing.T) {
	t.Parallel()
	a := rbac.New(load(t, bindingsYAML))
	var got []string
	for _, r := range a.Rules(sa("ns1", "app")) {
		got = append(got, fmt.Sprintf("%q %s %s[%d] %v", r.Namespace, r.Grant.Binding, r.Grant.RuleFrom, r.Grant.RuleIndex, r.Grant.Default))
	}
	want := []string{
		`"" ClusterRoleBinding/system:basic-user ClusterRole/system:basic-user[0] true`,
		`"" ClusterRoleBinding/system:basic-user ClusterRole/system:basic-user[1] true`,
		`"" ClusterRoleBinding/system:discovery ClusterRole/system:discovery[0] true`,
		`"" ClusterRoleBinding/system:public-info-viewer ClusterRole/system:public-info-viewer[0] true`,
		`"" ClusterRoleBinding/system:service-account-issuer-discovery ClusterRole/system:service-account-issuer-discovery[0] true`,
		`"ns1" RoleBinding/ns1/rb-reader ClusterRole/reader[0] false`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Rules (-want +got):\n%s", diff)
	}
}

// TestBindingsFor checks that two identities a binding names get the same
// Bound for it, which callers key what a binding grants by.
func TestBindingsFor(t *testing.T) {
	t.Parallel()
	a := rbac.New(load(t, bindingsYAML))
	of := func(s rbac.Subject) map[string]rbac.Bound {
		out := map[string]rbac.Bound{}
		for _, b := range a.BindingsFor(s.Identity()) {
			out[b.Grant(0).Binding.String()] = b
		}
		return out
	}
	app, user := of(sa("ns1", "app")), of(user("rb-user"))
	const shared = "RoleBinding/ns1/rb-reader"
	if app[shared] == (rbac.Bound{}) || app[shared] != user[shared] {
		t.Errorf("%s: got %v for the service account and %v for the user, want one Bound", shared, app[shared], user[shared])
	}
	if got := app[shared].Namespace(); got != "ns1" {
		t.Errorf("%s: Namespace() = %q, want ns1", shared, got)
	}
}

func TestIdentity(t *testing.T) {
	t.Parallel()
	tests := []struct {
		subject rbac.Subject
		want    rbac.Identity
	}{
		{sa("ci", "runner"), rbac.Identity{User: "system:serviceaccount:ci:runner",
			Groups: []string{"system:serviceaccounts", "system:serviceaccounts:ci", "system:authenticated"}}},
		{user("alice"), rbac.Identity{User: "alice", Groups: []string{"system:authenticated"}}},
		{user("system:anonymous"), rbac.Identity{User: "system:anonymous", Groups: []string{"system:unauthenticated"}}},
		{user("system:serviceaccount:ci:runner"), sa("ci", "runner").Identity()},
		{user("system:serviceaccount:ci"), rbac.Identity{User: "system:serviceaccount:ci", Groups: []string{"system:authenticated"}}},
		{group("ops"), rbac.Identity{Groups: []string{"ops", "system:authenticated"}}},
		{group("system:authenticated"), rbac.Identity{Groups: []string{"system:authenticated"}}},
		{group("system:unauthenticated"), rbac.Identity{User: "system:anonymous", Groups: []string{"system:unauthenticated"}}},
		{group("system:serviceaccounts:ci"), rbac.Identity{Groups: []string{"system:serviceaccounts:ci", "system:serviceaccounts", "system:authenticated"}}},
	}
	for _, tt := range tests {
		t.Run(tt.subject.String(), func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, tt.subject.Identity()); diff != "" {
				t.Errorf("Identity (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLookupResource(t *testing.T) {
	t.Parallel()
	tests := []struct {
		arg   string
		want  rbac.Resource
		known bool
	}{
		{"pods", rbac.Resource{Name: "pods", Namespaced: true}, true},
		{"po", rbac.Resource{Name: "pods", Namespaced: true}, true},
		{"Pod", rbac.Resource{Name: "pods", Namespaced: true}, true},
		{"secret", rbac.Resource{Name: "secrets", Namespaced: true}, true},
		{"deploy", rbac.Resource{Group: "apps", Name: "deployments", Namespaced: true}, true},
		{"deployments.apps", rbac.Resource{Group: "apps", Name: "deployments", Namespaced: true}, true},
		{"ing", rbac.Resource{Group: "networking.k8s.io", Name: "ingresses", Namespaced: true}, true},
		{"netpol", rbac.Resource{Group: "networking.k8s.io", Name: "networkpolicies", Namespaced: true}, true},
		{"crd", rbac.Resource{Group: "apiextensions.k8s.io", Name: "customresourcedefinitions"}, true},
		{"no", rbac.Resource{Name: "nodes"}, true},
		{"ns", rbac.Resource{Name: "namespaces"}, true},
		{"*", rbac.Resource{Name: "*", Namespaced: true}, true},
		{"deployments.extensions", rbac.Resource{Group: "extensions", Name: "deployments", Namespaced: true}, false},
		{"widgets.example.com", rbac.Resource{Group: "example.com", Name: "widgets", Namespaced: true}, false},
		{"widgets", rbac.Resource{Name: "widgets", Namespaced: true}, false},
	}
	for _, tt := range tests {
		t.Run(tt.arg, func(t *testing.T) {
			t.Parallel()
			got, known := rbac.LookupResource(tt.arg)
			if got != tt.want || known != tt.known {
				t.Errorf("LookupResource(%q) = %+v, %v; want %+v, %v", tt.arg, got, known, tt.want, tt.known)
			}
		})
	}
}

func TestNormalize(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		in     rbac.Request
		wantNS string
	}{
		{"namespaced keeps its namespace", res("get", "", "pods", "", "", "ns1"), "ns1"},
		{"cluster-scoped has none", res("get", "", "nodes", "", "", "ns1"), ""},
		{"cluster-scoped in a group", res("create", "rbac.authorization.k8s.io", "clusterrolebindings", "", "", "ns1"), ""},
		{"a namespace by name is in itself", res("get", "", "namespaces", "", "shop", "ns1"), "shop"},
		{"namespaces without a name", res("list", "", "namespaces", "", "", "ns1"), ""},
		{"unknown resource keeps its namespace", res("get", "example.com", "widgets", "", "", "ns1"), "ns1"},
		{"URL has none", rbac.Request{Verb: "get", Path: "/healthz", Namespace: "ns1"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := rbac.Normalize(tt.in).Namespace; got != tt.wantNS {
				t.Errorf("namespace %q, want %q", got, tt.wantNS)
			}
		})
	}
}

func TestFormatRule(t *testing.T) {
	t.Parallel()
	tests := []struct {
		rule rbacv1.PolicyRule
		want string
	}{
		{rbacv1.PolicyRule{APIGroups: []string{""}, Resources: []string{"secrets"}, Verbs: []string{"get", "list"}},
			`{apiGroups: [""], resources: [secrets], verbs: [get, list]}`},
		{rbacv1.PolicyRule{APIGroups: []string{"*"}, Resources: []string{"*/scale"}, ResourceNames: []string{"a b"}, Verbs: []string{"*"}},
			`{apiGroups: ["*"], resources: ["*/scale"], resourceNames: ["a b"], verbs: ["*"]}`},
		{rbacv1.PolicyRule{NonResourceURLs: []string{"/healthz", "/logs/*"}, Verbs: []string{"get"}},
			`{nonResourceURLs: [/healthz, /logs/*], verbs: [get]}`},
	}
	for _, tt := range tests {
		if got := rbac.FormatRule(tt.rule); got != tt.want {
			t.Errorf("FormatRule = %s, want %s", got, tt.want)
		}
	}
}
