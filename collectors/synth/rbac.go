package synth

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// serviceAccounts writes the workloads' dedicated ServiceAccounts and, in
// a dump, the default one every namespace has.
func (g *nsGen) serviceAccounts() {
	if g.o.Dump {
		sa := &corev1.ServiceAccount{}
		sa.Name = "default"
		g.add(sa, false)
	}
	seen := map[string]bool{}
	for _, w := range g.ns.workloads {
		if w.account == "" || seen[w.account] {
			continue
		}
		seen[w.account] = true
		sa := &corev1.ServiceAccount{}
		sa.Name, sa.Labels = w.account, selectorOf(w)
		if w.noToken {
			sa.AutomountServiceAccountToken = new(false)
		}
		g.add(sa, !w.system)
	}
}

var read = []string{"get", "list", "watch"}

// roles writes the namespace's share of RoleBindings, with the Roles they
// bind: the team's groups to edit and view, each dedicated account to a
// Role of what its tier needs, then people, the support group and other
// namespaces' accounts. At the risk rate a binding grants too much:
// cluster-admin in the namespace, a wildcard Role, or exec and every Secret.
func (g *nsGen) roles() {
	ns := g.ns
	names := map[string]bool{}
	var accounts []*workloadPlan
	for _, w := range ns.workloads {
		if w.account != "" {
			accounts = append(accounts, w)
		}
	}
	for i := range ns.bindings {
		name, subjects, ref, rules := g.binding(i, accounts)
		if g.r.chance(g.o.RiskRate) {
			switch g.r.IntN(3) {
			case 0:
				ref, rules = clusterRole("cluster-admin"), nil
			case 1:
				ref, rules = role(name), []rbacv1.PolicyRule{{APIGroups: []string{"*"}, Resources: []string{"*"}, Verbs: []string{"*"}}}
			default:
				ref, rules = role(name), []rbacv1.PolicyRule{
					{APIGroups: []string{""}, Resources: []string{"secrets"}, Verbs: read},
					{APIGroups: []string{""}, Resources: []string{"pods/exec"}, Verbs: []string{"create"}},
					{APIGroups: []string{""}, Resources: []string{"pods"}, Verbs: []string{"get", "list"}}}
			}
		}
		name = unique(names, name)
		if ref.Kind == "Role" {
			ref.Name = name
			r := &rbacv1.Role{Rules: rules}
			r.Name = name
			g.add(r, true)
		}
		rb := &rbacv1.RoleBinding{RoleRef: ref, Subjects: subjects}
		rb.Name = name
		g.add(rb, true)
	}
}

// binding returns the i-th RoleBinding of the namespace: its name,
// subjects, role and, for a Role, the Role's rules.
func (g *nsGen) binding(i int, accounts []*workloadPlan) (string, []rbacv1.Subject, rbacv1.RoleRef, []rbacv1.PolicyRule) {
	ns := g.ns
	switch {
	case i == 0:
		return ns.team + "-developers", []rbacv1.Subject{group(ns.team + "-developers")}, clusterRole("edit"), nil
	case i == 1:
		return ns.team + "-viewers", []rbacv1.Subject{group(ns.team + "-viewers"), group("auditors")}, clusterRole("view"), nil
	case i-2 < len(accounts):
		w := accounts[i-2]
		return w.account, []rbacv1.Subject{serviceAccount(ns.name, w.account)}, role(w.account), accountRules(w)
	}
	switch k := i - 2 - len(accounts); k % 5 {
	case 0:
		u := pick(g.r, users)
		return u + "-admin", []rbacv1.Subject{user(u)}, clusterRole("admin"), nil
	case 1:
		return "support", []rbacv1.Subject{group("support")}, clusterRole("platform:support"), nil
	case 2:
		return "prometheus", []rbacv1.Subject{serviceAccount("monitoring", "prometheus")}, role("prometheus"),
			[]rbacv1.PolicyRule{{APIGroups: []string{""}, Resources: []string{"pods", "services", "endpoints"}, Verbs: read}}
	case 3:
		u := pick(g.r, users)
		return u + "-view", []rbacv1.Subject{user(u)}, clusterRole("view"), nil
	default:
		other := pick(g.r, g.c.namespaces)
		sa := "default"
		for _, w := range other.workloads {
			if w.account != "" {
				sa = w.account
				break
			}
		}
		return other.name + "-reader", []rbacv1.Subject{serviceAccount(other.name, sa)}, role(""),
			[]rbacv1.PolicyRule{{APIGroups: []string{""}, Resources: []string{"configmaps"}, Verbs: read}}
	}
}

// accountRules are what a workload's own Role grants it.
func accountRules(w *workloadPlan) []rbacv1.PolicyRule {
	rules := []rbacv1.PolicyRule{{APIGroups: []string{""}, Resources: []string{"configmaps"}, Verbs: read}}
	if w.config != "" {
		rules[0] = rbacv1.PolicyRule{APIGroups: []string{""}, Resources: []string{"configmaps"}, ResourceNames: []string{w.config}, Verbs: []string{"get"}}
	}
	if w.secret != "" {
		rules = append(rules, rbacv1.PolicyRule{APIGroups: []string{""}, Resources: []string{"secrets"}, ResourceNames: []string{w.secret}, Verbs: []string{"get"}})
	}
	switch w.tier {
	case tierAPI:
		rules = append(rules, rbacv1.PolicyRule{APIGroups: []string{""}, Resources: []string{"pods", "endpoints"}, Verbs: read},
			rbacv1.PolicyRule{APIGroups: []string{""}, Resources: []string{"events"}, Verbs: []string{"create", "patch"}})
	case tierDB:
		rules = append(rules, rbacv1.PolicyRule{APIGroups: []string{""}, Resources: []string{"persistentvolumeclaims"}, Verbs: []string{"get"}})
	}
	if w.createsJobs {
		rules = append(rules, rbacv1.PolicyRule{APIGroups: []string{"batch"}, Resources: []string{"jobs"}, Verbs: []string{"create", "get", "list", "delete"}})
	}
	return rules
}

// clusterRBAC writes the cluster's own ClusterRoles — the system's, an
// aggregated support role and its parts, roles aggregated into the
// built-in edit and view, operators with wildcards on their API groups —
// and its ClusterRoleBindings.
func (g *nsGen) clusterRBAC() {
	for _, cr := range systemClusterRoles() {
		g.add(cr, true)
	}
	add := func(name string, labels map[string]string, rules ...rbacv1.PolicyRule) *rbacv1.ClusterRole {
		cr := &rbacv1.ClusterRole{Rules: rules}
		cr.Name, cr.Labels = name, labels
		g.add(cr, true)
		return cr
	}
	support := map[string]string{"rbac.example.com/aggregate-to-support": "true"}
	fixed := []func(){
		func() {
			cr := &rbacv1.ClusterRole{AggregationRule: &rbacv1.AggregationRule{ClusterRoleSelectors: []metav1.LabelSelector{{MatchLabels: support}}}}
			cr.Name = "platform:support"
			g.add(cr, true)
		},
		func() {
			add("platform:support:pods", support, rbacv1.PolicyRule{APIGroups: []string{""}, Resources: []string{"pods", "pods/log"}, Verbs: read})
		},
		func() {
			add("platform:support:events", support, rbacv1.PolicyRule{APIGroups: []string{"", "events.k8s.io"}, Resources: []string{"events"}, Verbs: read})
		},
		func() {
			add("namespace-lister", nil, rbacv1.PolicyRule{APIGroups: []string{""}, Resources: []string{"namespaces"}, Verbs: read})
		},
		func() {
			add("node-reader", nil, rbacv1.PolicyRule{APIGroups: []string{""}, Resources: []string{"nodes"}, Verbs: read})
		},
		func() {
			add("secret-reader", nil, rbacv1.PolicyRule{APIGroups: []string{""}, Resources: []string{"secrets"}, Verbs: read})
		},
		func() {
			add("wildcard-operator", nil, rbacv1.PolicyRule{APIGroups: []string{"*"}, Resources: []string{"*"}, Verbs: []string{"*"}})
		},
		func() {
			add("pod-debugger", nil, rbacv1.PolicyRule{APIGroups: []string{""}, Resources: []string{"pods/exec", "pods/attach"}, Verbs: []string{"create"}},
				rbacv1.PolicyRule{APIGroups: []string{""}, Resources: []string{"pods"}, Verbs: read})
		},
	}
	var operators []string
	for i := range g.c.clusterRoles {
		if i < len(fixed) {
			fixed[i]()
			continue
		}
		k := i - len(fixed)
		noun := nouns[(k/3)%len(nouns)]
		group := fmt.Sprintf("%ss.example.com", noun)
		if k/3 >= len(nouns) {
			group = fmt.Sprintf("%ss.v%d.example.com", noun, k/3/len(nouns)+1)
		}
		switch k % 3 {
		case 0:
			add(group+":edit", map[string]string{"rbac.authorization.k8s.io/aggregate-to-edit": "true", "rbac.authorization.k8s.io/aggregate-to-admin": "true"},
				rbacv1.PolicyRule{APIGroups: []string{group}, Resources: []string{noun + "s"}, Verbs: []string{"create", "delete", "get", "list", "patch", "update", "watch"}})
		case 1:
			add(group+":view", map[string]string{"rbac.authorization.k8s.io/aggregate-to-view": "true"},
				rbacv1.PolicyRule{APIGroups: []string{group}, Resources: []string{noun + "s"}, Verbs: read})
		default:
			name := group + ":operator"
			operators = append(operators, name)
			add(name, nil,
				rbacv1.PolicyRule{APIGroups: []string{group}, Resources: []string{"*"}, Verbs: []string{"*"}},
				rbacv1.PolicyRule{APIGroups: []string{""}, Resources: []string{"configmaps", "services", "events"}, Verbs: []string{"*"}},
				rbacv1.PolicyRule{APIGroups: []string{"apps"}, Resources: []string{"deployments"}, Verbs: []string{"*"}})
		}
	}
	for _, b := range systemClusterRoleBindings {
		s := rbacv1.Subject{Kind: b.kind, Name: b.subject, Namespace: b.namespace}
		if b.kind != rbacv1.ServiceAccountKind {
			s.APIGroup = rbacv1.GroupName
		}
		g.clusterRoleBinding(b.name, b.role, s)
	}
	g.extraClusterRoleBindings(operators)
}

// extraClusterRoleBindings writes the cluster's bindings beyond the
// system's: teams listing namespaces, the support group, people viewing,
// and one in eight an operator's account; at the risk rate an application account bound to
// cluster-admin, the wildcard role or every Secret.
func (g *nsGen) extraClusterRoleBindings(operators []string) {
	var accounts []rbacv1.Subject
	for _, ns := range g.c.namespaces {
		for _, w := range ns.workloads {
			if w.account != "" && !ns.system {
				accounts = append(accounts, serviceAccount(ns.name, w.account))
			}
		}
	}
	names := map[string]bool{}
	for _, b := range systemClusterRoleBindings {
		names[b.name] = true
	}
	for i := range g.c.extraCRBs {
		var name, ref string
		var s rbacv1.Subject
		switch {
		case len(accounts) > 0 && g.r.chance(g.o.RiskRate):
			s = pick(g.r, accounts)
			ref = pick(g.r, []string{"cluster-admin", "wildcard-operator", "secret-reader"})
			name = s.Namespace + "-" + s.Name + "-" + ref
		case i%8 == 2 && len(operators) > 0 && len(accounts) > 0:
			s, ref = pick(g.r, accounts), pick(g.r, operators)
			name = ref + "-" + s.Namespace
		case i%2 == 0:
			team := pick(g.r, teams)
			s, ref, name = group(team+"-developers"), "namespace-lister", team+"-namespace-lister"
		case i%4 == 1:
			u := pick(g.r, users)
			s, ref, name = user(u), "view", u+"-view"
		default:
			s, ref, name = group("support"), "platform:support", "support"
		}
		g.clusterRoleBinding(unique(names, name), ref, s)
	}
}

func (g *nsGen) clusterRoleBinding(name, role string, s rbacv1.Subject) {
	crb := &rbacv1.ClusterRoleBinding{RoleRef: clusterRole(role), Subjects: []rbacv1.Subject{s}}
	crb.Name = name
	g.add(crb, true)
}

func clusterRole(name string) rbacv1.RoleRef {
	return rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: name}
}

func role(name string) rbacv1.RoleRef {
	return rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "Role", Name: name}
}

func group(name string) rbacv1.Subject {
	return rbacv1.Subject{APIGroup: rbacv1.GroupName, Kind: rbacv1.GroupKind, Name: name}
}

func user(name string) rbacv1.Subject {
	return rbacv1.Subject{APIGroup: rbacv1.GroupName, Kind: rbacv1.UserKind, Name: name + "@example.com"}
}

func serviceAccount(ns, name string) rbacv1.Subject {
	return rbacv1.Subject{Kind: rbacv1.ServiceAccountKind, Namespace: ns, Name: name}
}
