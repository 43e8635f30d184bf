package rbac_test

import (
	"strings"
	"testing"

	"github.com/trustpath/trustpath/collectors/rbac"
)

// clusterRole returns a ClusterRole manifest, and a ClusterRoleBinding of it
// to a user of the same name.
func clusterRole(name, labels, aggregation, rules string) string {
	return `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: ` + name + `, labels: {` + labels + `}}
` + aggregation + `
rules: [` + rules + `]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: ` + name + `}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ` + name + `}
subjects: [{kind: User, name: ` + name + `}]
---
`
}

func selects(selectors string) string {
	return "aggregationRule: {clusterRoleSelectors: [" + selectors + "]}"
}

// TestAggregation pins aggregated ClusterRoles, from
// https://kubernetes.io/docs/reference/access-authn-authz/rbac/#aggregated-clusterroles
// and the clusterrole-aggregation controller: the union of the rules of the
// selected roles replaces the role's own.
func TestAggregation(t *testing.T) {
	t.Parallel()
	s := load(t, clusterRole("agg", "outer: 'yes'", selects(`{matchLabels: {agg: "yes"}}`), `{apiGroups: [""], resources: [configmaps], verbs: [get]}`)+
		clusterRole("part1", "agg: 'yes'", "", `{apiGroups: [""], resources: [pods], verbs: [get]}`)+
		clusterRole("part2", "agg: 'yes'", "", `{apiGroups: [""], resources: [pods], verbs: [get]}, {apiGroups: [""], resources: [services], verbs: [get]}`)+
		clusterRole("unlabelled", "", "", `{apiGroups: [""], resources: [secrets], verbs: [get]}`)+
		clusterRole("outer", "", selects(`{matchLabels: {outer: "yes"}}`), "")+
		clusterRole("either", "", selects(`{matchLabels: {nothing: "here"}}, {matchExpressions: [{key: agg, operator: In, values: ["yes"]}]}`), "")+
		clusterRole("none", "", selects(""), "")+
		clusterRole("all", "", selects("{}"), "")+
		clusterRole("bad", "", selects(`{matchExpressions: [{key: agg, operator: Bogus}]}`), `{apiGroups: [""], resources: [nodes], verbs: [get]}`)+
		clusterRole("widgets-view", "rbac.authorization.k8s.io/aggregate-to-view: 'true'", "", `{apiGroups: [example.com], resources: [widgets], verbs: [get]}`)+
		`apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: admins}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: admin}
subjects: [{kind: User, name: admin}]
`)
	a := rbac.New(s)
	get := func(group, resource string) rbac.Request { return res("get", group, resource, "", "", "ns1") }
	runChecks(t, a, []check{
		{"selected role's rule", user("agg"), get("", "pods"), true, "ClusterRoleBinding/agg", "ClusterRole/part1", false},
		{"second selected role", user("agg"), get("", "services"), true, "", "ClusterRole/part2", false},
		{"own written rule is replaced", user("agg"), get("", "configmaps"), false, "", "", false},
		{"unselected role", user("agg"), get("", "secrets"), false, "", "", false},
		{"nested aggregation", user("outer"), get("", "services"), true, "ClusterRoleBinding/outer", "ClusterRole/part2", false},
		{"selectors are ORed", user("either"), get("", "pods"), true, "", "ClusterRole/part1", false},
		{"no selectors: nothing", user("none"), get("", "pods"), false, "", "", false},
		// Selected roles are taken by name: admin (holding edit's rules) comes first.
		{"empty selector: every role", user("all"), get("", "secrets"), true, "", "ClusterRole/system:aggregate-to-edit", true},
		{"empty selector: defaults too", user("all"), res("delete", "", "nodes", "", "", ""), true, "", "ClusterRole/cluster-admin", true},
		{"bad selector keeps written rules", user("bad"), get("", "nodes"), true, "", "ClusterRole/bad", false},
		{"input role joins default view", user("admin"), get("example.com", "widgets"), true, "ClusterRoleBinding/admins", "ClusterRole/widgets-view", true},
		{"default admin through edit and view", user("admin"), get("", "pods"), true, "", "ClusterRole/system:aggregate-to-view", true},
	})

	var diags []string
	for _, d := range s.Diagnostics {
		diags = append(diags, d.Severity.String()+" "+d.Object+": "+d.Err.Error())
	}
	want := []string{
		`warning ClusterRole/bad: aggregationRule clusterRoleSelectors[0]: "Bogus" is not a valid label selector operator; the role keeps its written rules`,
		"info ClusterRole/agg: has an aggregationRule, so the aggregation controller replaces its rules: 1 written rules that no selected ClusterRole holds are ignored",
	}
	if strings.Join(diags, "\n") != strings.Join(want, "\n") {
		t.Errorf("diagnostics:\n%s\nwant:\n%s", strings.Join(diags, "\n"), strings.Join(want, "\n"))
	}
}

// TestAggregationDedupes checks that a rule held by two selected roles is
// kept once, with the first role (by name) as its source.
func TestAggregationDedupes(t *testing.T) {
	t.Parallel()
	a := rbac.New(load(t, clusterRole("agg", "", selects(`{matchLabels: {agg: "yes"}}`), "")+
		clusterRole("b", "agg: 'yes'", "", `{apiGroups: [""], resources: [pods], verbs: [get]}`)+
		clusterRole("a", "agg: 'yes'", "", `{apiGroups: [""], resources: [pods], verbs: [get]}, {apiGroups: [""], resources: [pods], verbs: [list]}`)))
	var got []string
	for _, r := range a.Rules(user("agg")) {
		if r.Grant.Binding.Name != "agg" {
			continue // the defaults' grants to system:authenticated
		}
		got = append(got, r.Grant.RuleFrom.Name+" "+rbac.FormatRule(r.Grant.Rule))
	}
	want := []string{
		`a {apiGroups: [""], resources: [pods], verbs: [get]}`,
		`a {apiGroups: [""], resources: [pods], verbs: [list]}`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("rules of agg:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
