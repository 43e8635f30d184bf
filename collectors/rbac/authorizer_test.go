package rbac_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	rbacv1 "k8s.io/api/rbac/v1"

	"github.com/trustpath/trustpath/collectors/estate"
	"github.com/trustpath/trustpath/collectors/manifest"
	"github.com/trustpath/trustpath/collectors/rbac"
)

// load reads manifests into a snapshot; the input itself must be clean.
func load(t testing.TB, yaml string) *estate.Snapshot {
	t.Helper()
	s := estate.New("test")
	if err := manifest.Read(t.Context(), strings.NewReader(yaml), "test.yaml", s, manifest.Options{DefaultNamespace: "default"}); err != nil {
		t.Fatal(err)
	}
	for _, d := range s.Diagnostics {
		t.Fatalf("fixture: %v", d)
	}
	return s
}

func user(name string) rbac.Subject  { return rbac.Subject{Kind: rbacv1.UserKind, Name: name} }
func group(name string) rbac.Subject { return rbac.Subject{Kind: rbacv1.GroupKind, Name: name} }
func sa(ns, name string) rbac.Subject {
	return rbac.Subject{Kind: rbacv1.ServiceAccountKind, Namespace: ns, Name: name}
}

// res is a resource request: "get", "", "pods", "exec", "name", "ns".
func res(verb, group, resource, sub, name, ns string) rbac.Request {
	return rbac.Request{Verb: verb, APIGroup: group, Resource: resource, Subresource: sub, Name: name, Namespace: ns}
}

func url(verb, path string) rbac.Request { return rbac.Request{Verb: verb, Path: path} }

// check is one question and its expected answer. binding and from, when
// set, are the grant's binding and the role its rule is written in.
type check struct {
	name          string
	subject       rbac.Subject
	req           rbac.Request
	want          bool
	binding, from string
	def           bool // the grant rests on a Kubernetes default
}

func runChecks(t *testing.T, a *rbac.Authorizer, checks []check) {
	t.Helper()
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			g, ok := a.Allowed(c.subject, c.req)
			if ok != c.want {
				t.Fatalf("Allowed(%v, %+v) = %v (grant %+v), want %v", c.subject, c.req, ok, g, c.want)
			}
			if !ok {
				return
			}
			if c.binding != "" && g.Binding.String() != c.binding {
				t.Errorf("binding %s, want %s", g.Binding, c.binding)
			}
			if c.from != "" && g.RuleFrom.String() != c.from {
				t.Errorf("rule from %s, want %s", g.RuleFrom, c.from)
			}
			if g.Default != c.def {
				t.Errorf("Default %v, want %v", g.Default, c.def)
			}
			if !rbac.Allows(&g.Rule, c.req) {
				t.Errorf("granting rule %s does not allow the request", rbac.FormatRule(g.Rule))
			}
		})
	}
}

// binder returns a Role in ns1 with one rule and a RoleBinding of it to a
// user of the same name.
func binder(name, rule string) string {
	return `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: ` + name + `, namespace: ns1}
rules: [` + rule + `]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: ` + name + `, namespace: ns1}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: ` + name + `}
subjects: [{kind: User, name: ` + name + `}]
---
`
}

// TestRuleMatching pins the matching of each PolicyRule field, from
// https://kubernetes.io/docs/reference/access-authn-authz/rbac/#referring-to-resources
// and evaluation_helpers.go.
func TestRuleMatching(t *testing.T) {
	t.Parallel()
	a := rbac.New(load(t, binder("wild-verbs", `{apiGroups: [""], resources: [pods], verbs: ["*"]}`)+
		binder("wild-groups", `{apiGroups: ["*"], resources: [deployments], verbs: [get]}`)+
		binder("wild-resources", `{apiGroups: [""], resources: ["*"], verbs: [get]}`)+
		binder("named", `{apiGroups: [""], resources: [secrets], resourceNames: [a], verbs: [get, list, update]}`)+
		binder("pods", `{apiGroups: [""], resources: [pods], verbs: [get, create]}`)+
		binder("exec", `{apiGroups: [""], resources: [pods/exec], verbs: [create]}`)+
		binder("scale", `{apiGroups: ["*"], resources: ["*/scale"], verbs: [get, update]}`)+
		binder("pods-star", `{apiGroups: [""], resources: ["pods/*"], verbs: [get]}`)+
		binder("multi", `{apiGroups: [""], resources: [configmaps], verbs: [get]}, {apiGroups: [apps], resources: [deployments], verbs: [patch]}`)))
	runChecks(t, a, []check{
		{"verb * allows delete", user("wild-verbs"), res("delete", "", "pods", "", "", "ns1"), true, "RoleBinding/ns1/wild-verbs", "Role/ns1/wild-verbs", false},
		{"verb * does not widen resources", user("wild-verbs"), res("get", "", "services", "", "", "ns1"), false, "", "", false},
		{"group * allows apps", user("wild-groups"), res("get", "apps", "deployments", "", "", "ns1"), true, "", "", false},
		{"group * allows core", user("wild-groups"), res("get", "", "deployments", "", "", "ns1"), true, "", "", false},
		{"group * does not widen resources", user("wild-groups"), res("get", "apps", "statefulsets", "", "", "ns1"), false, "", "", false},
		{"resource * allows secrets", user("wild-resources"), res("get", "", "secrets", "", "", "ns1"), true, "", "", false},
		{"resource * allows subresources", user("wild-resources"), res("get", "", "pods", "log", "", "ns1"), true, "", "", false},
		{"resource * stays in its group", user("wild-resources"), res("get", "apps", "deployments", "", "", "ns1"), false, "", "", false},
		{"resourceNames: get the named one", user("named"), res("get", "", "secrets", "", "a", "ns1"), true, "", "", false},
		{"resourceNames: get another", user("named"), res("get", "", "secrets", "", "b", "ns1"), false, "", "", false},
		{"resourceNames: list has no name", user("named"), res("list", "", "secrets", "", "", "ns1"), false, "", "", false},
		{"resourceNames: get without a name", user("named"), res("get", "", "secrets", "", "", "ns1"), false, "", "", false},
		{"resourceNames: update the named one", user("named"), res("update", "", "secrets", "", "a", "ns1"), true, "", "", false},
		{"pods rule allows pods", user("pods"), res("create", "", "pods", "", "", "ns1"), true, "", "", false},
		{"pods rule does not allow pods/exec", user("pods"), res("create", "", "pods", "exec", "web", "ns1"), false, "", "", false},
		{"pods/exec allows exec", user("exec"), res("create", "", "pods", "exec", "web", "ns1"), true, "", "", false},
		{"pods/exec does not allow pods", user("exec"), res("get", "", "pods", "", "web", "ns1"), false, "", "", false},
		{"pods/exec does not allow attach", user("exec"), res("create", "", "pods", "attach", "web", "ns1"), false, "", "", false},
		{"*/scale allows deployments/scale", user("scale"), res("update", "apps", "deployments", "scale", "web", "ns1"), true, "", "", false},
		{"*/scale allows replicasets/scale", user("scale"), res("get", "apps", "replicasets", "scale", "web", "ns1"), true, "", "", false},
		{"*/scale does not allow the resource", user("scale"), res("get", "apps", "deployments", "", "web", "ns1"), false, "", "", false},
		{"*/scale does not allow another subresource", user("scale"), res("get", "apps", "deployments", "status", "web", "ns1"), false, "", "", false},
		{"pods/* is not a wildcard", user("pods-star"), res("get", "", "pods", "log", "web", "ns1"), false, "", "", false},
		{"second rule", user("multi"), res("patch", "apps", "deployments", "", "web", "ns1"), true, "", "", false},
		{"rules do not mix", user("multi"), res("patch", "", "configmaps", "", "web", "ns1"), false, "", "", false},
		{"role is scoped to its namespace", user("pods"), res("get", "", "pods", "", "", "ns2"), false, "", "", false},
		{"role does not grant cluster-wide", user("pods"), res("get", "", "pods", "", "", ""), false, "", "", false},
		{"no binding", user("nobody"), res("get", "", "pods", "", "", "ns1"), false, "", "", false},
		{"resource rule does not match URLs", user("wild-resources"), url("get", "/healthz/x"), false, "", "", false},
	})
}

const bindingsYAML = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: reader}
rules: [{apiGroups: [""], resources: [pods, secrets], verbs: [get, list]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: metrics}
rules: [{nonResourceURLs: [/metrics, "/logs/*"], verbs: [get]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: rb-reader, namespace: ns1}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: reader}
subjects:
- {kind: User, name: rb-user}
- {kind: ServiceAccount, name: app}
- {kind: Group, name: "system:authenticated"}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: crb-reader}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: reader}
subjects:
- {kind: User, name: crb-user}
- {kind: Group, name: "system:serviceaccounts:ci"}
- {kind: User, name: "system:serviceaccount:tools:by-user-name"}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: anonymous, namespace: ns2}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: reader}
subjects: [{kind: Group, name: "system:unauthenticated"}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: metrics}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: metrics}
subjects: [{kind: User, name: mon}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: metrics, namespace: ns1}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: metrics}
subjects: [{kind: User, name: mon-local}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: missing-clusterrole, namespace: ns3}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: nope}
subjects: [{kind: User, name: dangling}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: missing-role, namespace: ns3}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
subjects: [{kind: User, name: dangling}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: to-a-role}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
subjects: [{kind: User, name: dangling}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: sa-without-namespace}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: reader}
subjects: [{kind: ServiceAccount, name: app}]
`

// TestBindings pins binding scope and subject matching, from
// https://kubernetes.io/docs/reference/access-authn-authz/rbac/#rolebinding-and-clusterrolebinding
// and #referring-to-subjects.
func TestBindings(t *testing.T) {
	t.Parallel()
	s := load(t, bindingsYAML)
	a := rbac.New(s)
	getPods := func(ns string) rbac.Request { return res("get", "", "pods", "", "", ns) }
	runChecks(t, a, []check{
		{"RoleBinding to ClusterRole: own namespace", user("rb-user"), getPods("ns1"), true, "RoleBinding/ns1/rb-reader", "ClusterRole/reader", false},
		{"RoleBinding to ClusterRole: other namespace", user("rb-user"), getPods("ns2"), false, "", "", false},
		{"RoleBinding to ClusterRole: cluster-wide", user("rb-user"), getPods(""), false, "", "", false},
		{"ClusterRoleBinding: any namespace", user("crb-user"), getPods("ns2"), true, "ClusterRoleBinding/crb-reader", "ClusterRole/reader", false},
		{"ClusterRoleBinding: cluster-wide", user("crb-user"), getPods(""), true, "ClusterRoleBinding/crb-reader", "", false},
		{"SA subject without namespace: binding's namespace", sa("ns1", "app"), getPods("ns1"), true, "RoleBinding/ns1/rb-reader", "", false},
		{"SA subject without namespace: not another's", sa("ns2", "app"), getPods("ns2"), false, "", "", false},
		{"system:serviceaccounts:ci: SA in ci", sa("ci", "runner"), getPods("prod"), true, "ClusterRoleBinding/crb-reader", "", false},
		{"system:serviceaccounts:ci: SA elsewhere", sa("cd", "runner"), getPods("prod"), false, "", "", false},
		{"system:serviceaccounts:ci: a user", user("alice"), getPods("prod"), false, "", "", false},
		{"system:serviceaccounts:ci: the group", group("system:serviceaccounts:ci"), getPods("prod"), true, "", "", false},
		{"User subject with an SA's user name", sa("tools", "by-user-name"), getPods("x"), true, "ClusterRoleBinding/crb-reader", "", false},
		{"system:authenticated: a user", user("alice"), getPods("ns1"), true, "RoleBinding/ns1/rb-reader", "", false},
		{"system:authenticated: an SA", sa("other", "x"), getPods("ns1"), true, "RoleBinding/ns1/rb-reader", "", false},
		{"system:authenticated: any group's member", group("ops"), getPods("ns1"), true, "", "", false},
		{"system:authenticated: not anonymous", user("system:anonymous"), getPods("ns1"), false, "", "", false},
		{"system:unauthenticated: not a user", user("alice"), getPods("ns2"), false, "", "", false},
		{"system:unauthenticated: not an SA", sa("ns2", "default"), getPods("ns2"), false, "", "", false},
		{"system:unauthenticated: anonymous", user("system:anonymous"), getPods("ns2"), true, "RoleBinding/ns2/anonymous", "", false},
		{"system:unauthenticated: the group", group("system:unauthenticated"), getPods("ns2"), true, "", "", false},
		{"URL: exact", user("mon"), url("get", "/metrics"), true, "ClusterRoleBinding/metrics", "", false},
		{"URL: exact is not a prefix", user("mon"), url("get", "/metrics/x"), false, "", "", false},
		{"URL: * suffix, the prefix itself", user("mon"), url("get", "/logs/"), true, "", "", false},
		{"URL: * suffix, below it", user("mon"), url("get", "/logs/kube/apiserver.log"), true, "", "", false},
		{"URL: * suffix, not a sibling", user("mon"), url("get", "/log"), false, "", "", false},
		{"URL: verb", user("mon"), url("post", "/metrics"), false, "", "", false},
		{"URL: namespace ignored", user("mon"), rbac.Request{Verb: "get", Path: "/metrics", Namespace: "ns1"}, true, "", "", false},
		{"URL: RoleBinding never grants URLs", user("mon-local"), url("get", "/metrics"), false, "", "", false},
		{"URL: not a resource rule", user("mon"), res("get", "", "metrics", "", "", ""), false, "", "", false},
		{"missing roles grant nothing", user("dangling"), getPods("ns3"), false, "", "", false},
		{"ClusterRoleBinding to a Role grants nothing", user("dangling"), getPods(""), false, "", "", false},
		{"ClusterRoleBinding SA without namespace grants nothing", sa("default", "app"), getPods("default"), false, "", "", false},
	})

	t.Run("diagnostics", func(t *testing.T) {
		t.Parallel()
		got := map[string]string{}
		for _, d := range s.Diagnostics {
			if d.Severity != estate.Warning {
				t.Errorf("%v: severity %v, want warning", d, d.Severity)
			}
			if d.Source.File != "test.yaml" || d.Source.Line == 0 {
				t.Errorf("%v: no source line", d)
			}
			got[d.Object] = d.Err.Error()
		}
		wantErrs := map[string]string{
			"RoleBinding/ns3/missing-clusterrole":     "roleRef ClusterRole nope is neither in the input nor a Kubernetes default; the binding grants nothing",
			"RoleBinding/ns3/missing-role":            "roleRef Role reader does not exist in namespace ns3; the binding grants nothing",
			"ClusterRoleBinding/to-a-role":            "roleRef names Role reader, but a ClusterRoleBinding can only reference a ClusterRole; it grants nothing",
			"ClusterRoleBinding/sa-without-namespace": "subjects[0]: ServiceAccount app has no namespace; it matches no one",
		}
		if diff := cmp.Diff(wantErrs, got); diff != "" {
			t.Errorf("diagnostics (-want +got):\n%s", diff)
		}
	})
}
