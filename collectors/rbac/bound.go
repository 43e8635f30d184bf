package rbac

import rbacv1 "k8s.io/api/rbac/v1"

// Bound is a binding that names an identity, as BindingsFor returns it.
// Every identity the binding names gets the same Bound, so a caller that
// asks about many identities can work out once, keyed by the Bound, what
// each binding grants.
type Bound struct{ bd *binding }

// Namespace is where the binding applies: "" for a ClusterRoleBinding.
func (b Bound) Namespace() string { return b.bd.namespace }

// Rules returns the number of rules of the binding's role.
func (b Bound) Rules() int { return len(b.bd.role.rules) }

// Rule returns the i-th rule of the binding's role. It is shared with the
// snapshot and must not be modified.
func (b Bound) Rule(i int) *rbacv1.PolicyRule { return &b.bd.role.rules[i].rule }

// Grant returns the grant of the i-th rule of the binding's role.
func (b Bound) Grant(i int) Grant { return b.bd.grant(&b.bd.role.rules[i]) }

// BindingsFor returns the bindings naming id whose role exists: the
// ClusterRoleBindings, then the RoleBindings, each sorted by namespace and
// name, as RulesFor lists their rules. It copies no rule, which matters for
// a group bound in every namespace.
func (a *Authorizer) BindingsFor(id Identity) []Bound {
	var cluster, local []*binding
	for _, set := range a.setsOf(id) {
		cluster = append(cluster, set.cluster...)
		for _, list := range set.namespaced {
			local = append(local, list...)
		}
	}
	all := append(sortBindings(cluster), sortBindings(local)...)
	out := make([]Bound, len(all))
	for i, bd := range all {
		out[i] = Bound{bd}
	}
	return out
}

// RulesFor returns every rule id holds through any binding, each with the
// namespace it applies in ("" for cluster-wide) and its grant: cluster-wide
// rules first, then by namespace, binding name and rule order. A
// cluster-wide rule applies in every namespace too. A group bound in every
// namespace holds tens of thousands of rules: BindingsFor lists the same
// without copying them.
func (a *Authorizer) RulesFor(id Identity) []ScopedRule {
	bound := a.BindingsFor(id)
	n := 0
	for _, b := range bound {
		n += b.Rules()
	}
	out := make([]ScopedRule, 0, n)
	for _, b := range bound {
		for i := range b.Rules() {
			out = append(out, ScopedRule{Namespace: b.Namespace(), Grant: b.Grant(i)})
		}
	}
	return out
}
