package rbac_test

import (
	"testing"

	"github.com/trustpath/trustpath/collectors/rbac"
)

// TestDefaultsDecode checks that the embedded bootstrap policy reads
// cleanly and holds the roles and bindings manifests rely on.
func TestDefaultsDecode(t *testing.T) {
	t.Parallel()
	d := rbac.Defaults()
	if len(d.Diagnostics) > 0 || len(d.Skipped) > 0 {
		t.Fatalf("defaults: diagnostics %v, skipped %v", d.Diagnostics, d.Skipped)
	}
	roles := map[string]bool{}
	for _, cr := range d.ClusterRoles {
		roles[cr.Name] = true
	}
	for _, n := range []string{"cluster-admin", "admin", "edit", "view", "system:aggregate-to-admin",
		"system:aggregate-to-edit", "system:aggregate-to-view", "system:basic-user", "system:discovery",
		"system:public-info-viewer", "system:node", "system:kube-controller-manager", "system:kube-scheduler"} {
		if !roles[n] {
			t.Errorf("no default ClusterRole %s", n)
		}
	}
	bindings := map[string]string{}
	for _, crb := range d.ClusterRoleBindings {
		bindings[crb.Name] = crb.RoleRef.Name
		if crb.RoleRef.Kind != "ClusterRole" || !roles[crb.RoleRef.Name] {
			t.Errorf("default ClusterRoleBinding %s references %s %s", crb.Name, crb.RoleRef.Kind, crb.RoleRef.Name)
		}
	}
	for _, n := range []string{"cluster-admin", "system:basic-user", "system:discovery", "system:public-info-viewer", "system:node"} {
		if bindings[n] != n {
			t.Errorf("default ClusterRoleBinding %s binds %q", n, bindings[n])
		}
	}
	if d.Sources[refOf("ClusterRole", "", "view")].Line == 0 {
		t.Error("defaults carry no source lines")
	}
}

const builtinBindings = `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: viewers, namespace: ns1}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{kind: User, name: viewer}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: editors, namespace: ns1}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
subjects: [{kind: User, name: editor}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: admins, namespace: ns1}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: admin}
subjects: [{kind: User, name: admin}]
`

// TestDefaults pins the built-in roles, from
// https://kubernetes.io/docs/reference/access-authn-authz/rbac/#user-facing-roles
// and #discovery-roles.
func TestDefaults(t *testing.T) {
	t.Parallel()
	s := load(t, builtinBindings)
	a := rbac.New(s)
	if len(s.Diagnostics) > 0 {
		t.Errorf("binding built-in roles reported %v", s.Diagnostics)
	}
	in := func(verb, group, resource, sub string) rbac.Request {
		return res(verb, group, resource, sub, "web", "ns1")
	}
	runChecks(t, a, []check{
		{"view: get pods", user("viewer"), in("get", "", "pods", ""), true, "RoleBinding/ns1/viewers", "ClusterRole/system:aggregate-to-view", true},
		{"view: list deployments", user("viewer"), res("list", "apps", "deployments", "", "", "ns1"), true, "", "ClusterRole/system:aggregate-to-view", true},
		{"view: read its namespace", user("viewer"), rbac.Normalize(res("get", "", "namespaces", "", "ns1", "")), true, "", "", true},
		{"view: not secrets", user("viewer"), in("get", "", "secrets", ""), false, "", "", false},
		{"view: not exec", user("viewer"), in("create", "", "pods", "exec"), false, "", "", false},
		{"view: not portforward", user("viewer"), in("create", "", "pods", "portforward"), false, "", "", false},
		{"view: not writes", user("viewer"), in("update", "", "pods", ""), false, "", "", false},
		{"view: not another namespace", user("viewer"), res("get", "", "pods", "", "web", "ns2"), false, "", "", false},
		{"edit: get secrets", user("editor"), in("get", "", "secrets", ""), true, "RoleBinding/ns1/editors", "ClusterRole/system:aggregate-to-edit", true},
		{"edit: update secrets", user("editor"), in("update", "", "secrets", ""), true, "", "", true},
		{"edit: create pods/exec", user("editor"), in("create", "", "pods", "exec"), true, "", "ClusterRole/system:aggregate-to-edit", true},
		{"edit: create pods/attach", user("editor"), in("create", "", "pods", "attach"), true, "", "", true},
		{"edit: create pods/portforward", user("editor"), in("create", "", "pods", "portforward"), true, "", "", true},
		{"edit: impersonate serviceaccounts", user("editor"), in("impersonate", "", "serviceaccounts", ""), true, "", "", true},
		{"edit: create serviceaccount tokens", user("editor"), in("create", "", "serviceaccounts", "token"), true, "", "", true},
		{"edit: create deployments", user("editor"), res("create", "apps", "deployments", "", "", "ns1"), true, "", "", true},
		{"edit: create cronjobs", user("editor"), res("create", "batch", "cronjobs", "", "", "ns1"), true, "", "", true},
		{"edit: read pods (from view)", user("editor"), in("get", "", "pods", ""), true, "", "ClusterRole/system:aggregate-to-view", true},
		{"edit: not rolebindings", user("editor"), res("create", "rbac.authorization.k8s.io", "rolebindings", "", "", "ns1"), false, "", "", false},
		{"edit: not resourcequotas", user("editor"), in("update", "", "resourcequotas", ""), false, "", "", false},
		{"admin: create rolebindings", user("admin"), res("create", "rbac.authorization.k8s.io", "rolebindings", "", "", "ns1"), true, "RoleBinding/ns1/admins", "ClusterRole/system:aggregate-to-admin", true},
		{"admin: create roles", user("admin"), res("create", "rbac.authorization.k8s.io", "roles", "", "", "ns1"), true, "", "", true},
		{"admin: get secrets (from edit)", user("admin"), in("get", "", "secrets", ""), true, "", "ClusterRole/system:aggregate-to-edit", true},
		{"admin: not in another namespace", user("admin"), res("create", "rbac.authorization.k8s.io", "rolebindings", "", "", "ns2"), false, "", "", false},
		{"admin: not clusterroles", user("admin"), res("create", "rbac.authorization.k8s.io", "clusterroles", "", "", ""), false, "", "", false},
		{"system:masters: anything", group("system:masters"), res("delete", "", "nodes", "", "n1", ""), true, "ClusterRoleBinding/cluster-admin", "ClusterRole/cluster-admin", true},
		{"system:masters: any URL", group("system:masters"), url("post", "/debug/pprof/profile"), true, "", "", true},
		{"authenticated: self access review", user("alice"), res("create", "authorization.k8s.io", "selfsubjectaccessreviews", "", "", ""), true, "ClusterRoleBinding/system:basic-user", "", true},
		{"authenticated: discovery", user("alice"), url("get", "/apis/apps/v1"), true, "ClusterRoleBinding/system:discovery", "", true},
		{"authenticated: nothing else", user("alice"), in("get", "", "pods", ""), false, "", "", false},
		{"anonymous: health", user("system:anonymous"), url("get", "/healthz"), true, "ClusterRoleBinding/system:public-info-viewer", "", true},
		{"anonymous: not discovery", user("system:anonymous"), url("get", "/apis"), false, "", "", false},
		{"service accounts: issuer discovery", sa("ns1", "default"), url("get", "/openid/v1/jwks"), true, "ClusterRoleBinding/system:service-account-issuer-discovery", "", true},
		{"nodes: nothing through RBAC", group("system:nodes"), in("get", "", "secrets", ""), false, "", "", false},
	})
}

// TestInputOverridesDefault checks that a role the input defines replaces
// the built-in one of the same name.
func TestInputOverridesDefault(t *testing.T) {
	t.Parallel()
	a := rbac.New(load(t, builtinBindings+`---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: view}
rules: [{apiGroups: [""], resources: [configmaps], verbs: [get]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: cluster-admin}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects: [{kind: Group, name: break-glass}]
`))
	runChecks(t, a, []check{
		{"input view: its rule", user("viewer"), res("get", "", "configmaps", "", "", "ns1"), true, "RoleBinding/ns1/viewers", "ClusterRole/view", false},
		{"input view: not the default's", user("viewer"), res("get", "", "pods", "", "", "ns1"), false, "", "", false},
		// The input view lacks the default's aggregate-to-edit label, so edit
		// no longer holds view's rules; its own still apply.
		{"edit loses the replaced view's rules", user("editor"), res("get", "", "configmaps", "", "", "ns1"), false, "", "", false},
		{"edit keeps its own rules", user("editor"), res("update", "", "configmaps", "", "", "ns1"), true, "", "ClusterRole/system:aggregate-to-edit", true},
		{"input binding replaces the default", group("system:masters"), res("get", "", "pods", "", "", ""), false, "", "", false},
		{"input binding to a default role", group("break-glass"), res("get", "", "pods", "", "", ""), true, "ClusterRoleBinding/cluster-admin", "ClusterRole/cluster-admin", true},
	})
}
