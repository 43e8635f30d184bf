package rbac

import (
	"strconv"
	"strings"

	rbacv1 "k8s.io/api/rbac/v1"
)

// Request is one request as the API server presents it to the authorizer.
// A request with a Path is a non-resource request (/healthz, /metrics);
// otherwise it names a resource. "pods/exec" is Resource "pods" and
// Subresource "exec". APIGroup "" is the core group. Namespace "" asks
// cluster-wide: only ClusterRoleBindings can allow it, and non-resource
// requests are always cluster-wide.
//
// As the API server sees them, create, list, watch and deletecollection
// carry no Name (a create on a subresource such as pods/exec does), so a
// rule with resourceNames never allows them; see [Normalize] for the other
// adjustments the server makes.
type Request struct {
	Verb        string
	APIGroup    string
	Resource    string
	Subresource string
	Name        string
	Namespace   string
	Path        string
}

// nonResource reports whether r is a request for a non-resource URL.
func (r Request) nonResource() bool { return r.Path != "" }

// Allows reports whether rule allows r, with the matching of the
// Kubernetes RBAC authorizer (rbac.RuleAllows and the helpers of
// pkg/apis/rbac/v1/evaluation_helpers.go):
//   - verbs: "*" or the exact verb;
//   - apiGroups: "*" or the exact group, "" being the core group;
//   - resources: "*" (every resource and subresource), the exact
//     "resource" or "resource/subresource", or "*/subresource" for that
//     subresource of every resource; "pods" does not match pods/exec, and
//     "pods/*" is not a wildcard;
//   - resourceNames: empty means every name, otherwise the request must
//     name one of them exactly (a request without a name matches none);
//   - nonResourceURLs: "*", the exact path, or a prefix ending in "*".
func Allows(rule *rbacv1.PolicyRule, r Request) bool {
	if !verbMatches(rule, r.Verb) {
		return false
	}
	if r.nonResource() {
		return urlMatches(rule, r.Path)
	}
	return groupMatches(rule, r.APIGroup) &&
		resourceMatches(rule, r.Resource, r.Subresource) &&
		nameMatches(rule, r.Name)
}

func verbMatches(rule *rbacv1.PolicyRule, verb string) bool {
	for _, v := range rule.Verbs {
		if v == rbacv1.VerbAll || v == verb {
			return true
		}
	}
	return false
}

func groupMatches(rule *rbacv1.PolicyRule, group string) bool {
	for _, g := range rule.APIGroups {
		if g == rbacv1.APIGroupAll || g == group {
			return true
		}
	}
	return false
}

func resourceMatches(rule *rbacv1.PolicyRule, resource, subresource string) bool {
	combined := resource
	if subresource != "" {
		combined += "/" + subresource
	}
	for _, res := range rule.Resources {
		switch {
		case res == rbacv1.ResourceAll, res == combined:
			return true
		case subresource != "" && res == "*/"+subresource:
			return true
		}
	}
	return false
}

func nameMatches(rule *rbacv1.PolicyRule, name string) bool {
	if len(rule.ResourceNames) == 0 {
		return true
	}
	for _, n := range rule.ResourceNames {
		if n == name {
			return true
		}
	}
	return false
}

func urlMatches(rule *rbacv1.PolicyRule, path string) bool {
	for _, u := range rule.NonResourceURLs {
		switch {
		case u == rbacv1.NonResourceAll, u == path:
			return true
		case strings.HasSuffix(u, "*") && strings.HasPrefix(path, strings.TrimRight(u, "*")):
			return true
		}
	}
	return false
}

// FormatRule writes rule in YAML flow style, fields in manifest order and
// empty ones left out: {apiGroups: [""], resources: [secrets], verbs: [get]}.
func FormatRule(rule rbacv1.PolicyRule) string {
	var parts []string
	add := func(field string, values []string) {
		if len(values) == 0 {
			return
		}
		quoted := make([]string, len(values))
		for i, v := range values {
			quoted[i] = flowScalar(v)
		}
		parts = append(parts, field+": ["+strings.Join(quoted, ", ")+"]")
	}
	add("apiGroups", rule.APIGroups)
	add("resources", rule.Resources)
	add("resourceNames", rule.ResourceNames)
	add("nonResourceURLs", rule.NonResourceURLs)
	add("verbs", rule.Verbs)
	return "{" + strings.Join(parts, ", ") + "}"
}

// flowScalar quotes the values YAML would not read back as plain strings.
func flowScalar(s string) string {
	if s == "" || strings.ContainsAny(s[:1], `*&!|>'"%@`+"`") || strings.ContainsAny(s, ",[]{}#: ") {
		return strconv.Quote(s)
	}
	return s
}
