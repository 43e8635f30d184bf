package rbac

import (
	"fmt"
	"maps"
	"slices"

	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/trustpath/trustpath/collectors/estate"
)

// sourcedRule is a rule a role holds, and where the rule is written: a role
// that aggregates holds rules written in other ClusterRoles.
type sourcedRule struct {
	rule  rbacv1.PolicyRule
	from  estate.Ref
	index int  // in from's rules
	def   bool // from is a Kubernetes default
}

// role is a Role or ClusterRole with its effective rules.
type role struct {
	ref   estate.Ref
	rules []sourcedRule
	def   bool
}

// clusterRoles returns every ClusterRole by name, the input's replacing the
// defaults of the same name, with the rules the cluster role aggregation
// controller would give them.
func (b *builder) clusterRoles() map[string]*role {
	objs := map[string]*rbacv1.ClusterRole{}
	def := map[string]bool{}
	for _, cr := range Defaults().ClusterRoles {
		objs[cr.Name], def[cr.Name] = cr, true
	}
	for _, cr := range b.s.ClusterRoles {
		objs[cr.Name], def[cr.Name] = cr, false
	}
	names := slices.Sorted(maps.Keys(objs))
	roles := make(map[string]*role, len(objs))
	for _, n := range names {
		r := &role{ref: estate.Ref{Kind: "ClusterRole", Name: n}, def: def[n]}
		for i, rule := range objs[n].Rules {
			r.rules = append(r.rules, sourcedRule{rule: rule, from: r.ref, index: i, def: def[n]})
		}
		roles[n] = r
	}
	b.aggregate(names, objs, roles)
	return roles
}

// aggregator is a ClusterRole with an aggregationRule and, per selector, the
// names of the other ClusterRoles it selects, sorted.
type aggregator struct {
	role     *role
	selected [][]string
}

// aggregate replaces the rules of every ClusterRole with an aggregationRule
// by the union of the rules of the ClusterRoles its selectors match, as the
// clusterrole-aggregation controller does: selectors in order, the matched
// roles by name, the role itself skipped, equal rules kept once, and its own
// written rules dropped. Aggregated roles can be selected in turn (edit is
// part of admin), so the union is repeated until nothing changes. A selector
// that does not parse stops that role's aggregation, as it stops the
// controller, and the role keeps its written rules.
func (b *builder) aggregate(names []string, objs map[string]*rbacv1.ClusterRole, roles map[string]*role) {
	var aggs []*aggregator
	for _, n := range names {
		cr := objs[n]
		if cr.AggregationRule == nil {
			continue
		}
		agg := &aggregator{role: roles[n]}
		ok := true
		for i := range cr.AggregationRule.ClusterRoleSelectors {
			sel, err := metav1.LabelSelectorAsSelector(&cr.AggregationRule.ClusterRoleSelectors[i])
			if err != nil {
				b.warn(roles[n].ref, "aggregationRule clusterRoleSelectors[%d]: %v; the role keeps its written rules", i, err)
				ok = false
				break
			}
			agg.selected = append(agg.selected, selectRoles(sel, n, names, objs))
		}
		if ok {
			aggs = append(aggs, agg)
		}
	}
	written := make(map[*role][]sourcedRule, len(aggs))
	for _, agg := range aggs {
		written[agg.role] = agg.role.rules
		agg.role.rules = nil
	}
	// A round can only add rules and settle their order, one level of
	// nesting at a time, so len(aggs)+1 rounds reach the fixpoint.
	for range len(aggs) + 1 {
		changed := false
		for _, agg := range aggs {
			var union []sourcedRule
			for _, sel := range agg.selected {
				for _, n := range sel {
					for _, r := range roles[n].rules {
						if !containsRule(union, r.rule) {
							union = append(union, r)
						}
					}
				}
			}
			if !sameRules(union, agg.role.rules) {
				agg.role.rules, changed = union, true
			}
		}
		if !changed {
			break
		}
	}
	for _, agg := range aggs {
		dropped := 0
		for _, w := range written[agg.role] {
			if !containsRule(agg.role.rules, w.rule) {
				dropped++
			}
		}
		if dropped > 0 && !agg.role.def {
			b.report(estate.Info, agg.role.ref, fmt.Errorf(
				"has an aggregationRule, so the aggregation controller replaces its rules: %d written rules that no selected ClusterRole holds are ignored", dropped))
		}
	}
}

// selectRoles returns the names, sorted, of the ClusterRoles other than self
// whose labels sel matches.
func selectRoles(sel labels.Selector, self string, names []string, objs map[string]*rbacv1.ClusterRole) []string {
	var out []string
	for _, n := range names {
		if n != self && sel.Matches(labels.Set(objs[n].Labels)) {
			out = append(out, n)
		}
	}
	return out
}

// containsRule reports whether rules holds a rule equal to r; nil and empty
// lists are equal, as they are to the aggregation controller.
func containsRule(rules []sourcedRule, r rbacv1.PolicyRule) bool {
	for _, have := range rules {
		if equality.Semantic.DeepEqual(have.rule, r) {
			return true
		}
	}
	return false
}

// sameRules reports whether a and b hold the same written rules in the same order.
func sameRules(a, b []sourcedRule) bool {
	return slices.EqualFunc(a, b, func(x, y sourcedRule) bool { return x.from == y.from && x.index == y.index })
}
