package privilege

import (
	rbacv1 "k8s.io/api/rbac/v1"

	"github.com/trustpath/trustpath/collectors/rbac"
)

// capability is one dangerous thing a rule may allow.
type capability int

const (
	capReadSecrets       capability = iota // get (names) or list/watch (all) secrets
	capCreatePods                          // create pods or a pod controller
	capCreateCronJobs                      // create cronjobs (persistence)
	capCreateDaemonSets                    // create daemonsets (persistence)
	capModifyPods                          // patch/update pods or controllers
	capExec                                // pods/exec, pods/attach, pods/ephemeralcontainers
	capPortForward                         // pods/portforward
	capKubeletProxy                        // nodes/proxy
	capTokenRequest                        // serviceaccounts/token create
	capCreateSecrets                       // create secrets (a token secret with capReadSecrets)
	capImpersonateUsers                    // impersonate users
	capImpersonateGroups                   // impersonate groups
	capImpersonateSAs                      // impersonate serviceaccounts
	capBindRoles                           // create/update/patch rolebindings
	capBindClusterRoles                    // create/update/patch clusterrolebindings
	capBindVerb                            // bind on roles or clusterroles
	capEscalate                            // escalate + update on roles or clusterroles
	capCSRCreate                           // create certificatesigningrequests
	capCSRApprove                          // update certificatesigningrequests/approval
	capSignerApprove                       // approve on signers
	capWebhook                             // create/update mutatingwebhookconfigurations
	capWildcard                            // * on * in *
	numCapabilities
)

// template is a request shape that shows a capability. A capability is
// held when the rule allows any of its templates.
type template struct {
	verbs       []string
	group       string
	resource    string
	subresource string
}

var podControllers = []template{
	{[]string{"create"}, "", "pods", ""},
	{[]string{"create"}, "", "replicationcontrollers", ""},
	{[]string{"create"}, "apps", "deployments", ""},
	{[]string{"create"}, "apps", "statefulsets", ""},
	{[]string{"create"}, "apps", "replicasets", ""},
	{[]string{"create"}, "apps", "daemonsets", ""},
	{[]string{"create"}, "batch", "jobs", ""},
	{[]string{"create"}, "batch", "cronjobs", ""},
}

var templates = [numCapabilities][]template{
	capReadSecrets:      {{[]string{"get", "list", "watch"}, "", "secrets", ""}},
	capCreatePods:       podControllers,
	capCreateCronJobs:   {{[]string{"create"}, "batch", "cronjobs", ""}},
	capCreateDaemonSets: {{[]string{"create"}, "apps", "daemonsets", ""}},
	capModifyPods: {
		{[]string{"patch", "update"}, "", "pods", ""},
		{[]string{"patch", "update"}, "", "replicationcontrollers", ""},
		{[]string{"patch", "update"}, "apps", "deployments", ""},
		{[]string{"patch", "update"}, "apps", "statefulsets", ""},
		{[]string{"patch", "update"}, "apps", "replicasets", ""},
		{[]string{"patch", "update"}, "apps", "daemonsets", ""},
		{[]string{"patch", "update"}, "batch", "jobs", ""},
		{[]string{"patch", "update"}, "batch", "cronjobs", ""},
	},
	// exec and attach are POSTs (create) over SPDY and GETs over
	// WebSockets; clusters before 1.31 let get open them.
	capExec: {
		{[]string{"create", "get"}, "", "pods", "exec"},
		{[]string{"create", "get"}, "", "pods", "attach"},
		{[]string{"patch", "update"}, "", "pods", "ephemeralcontainers"},
	},
	capPortForward:       {{[]string{"create", "get"}, "", "pods", "portforward"}},
	capKubeletProxy:      {{[]string{"get", "create"}, "", "nodes", "proxy"}},
	capTokenRequest:      {{[]string{"create"}, "", "serviceaccounts", "token"}},
	capCreateSecrets:     {{[]string{"create"}, "", "secrets", ""}},
	capImpersonateUsers:  {{[]string{"impersonate"}, "", "users", ""}},
	capImpersonateGroups: {{[]string{"impersonate"}, "", "groups", ""}},
	capImpersonateSAs:    {{[]string{"impersonate"}, "", "serviceaccounts", ""}},
	capBindRoles:         {{[]string{"create", "update", "patch"}, "rbac.authorization.k8s.io", "rolebindings", ""}},
	capBindClusterRoles:  {{[]string{"create", "update", "patch"}, "rbac.authorization.k8s.io", "clusterrolebindings", ""}},
	capBindVerb: {
		{[]string{"bind"}, "rbac.authorization.k8s.io", "clusterroles", ""},
		{[]string{"bind"}, "rbac.authorization.k8s.io", "roles", ""},
	},
	capEscalate: {
		{[]string{"escalate"}, "rbac.authorization.k8s.io", "clusterroles", ""},
		{[]string{"escalate"}, "rbac.authorization.k8s.io", "roles", ""},
	},
	capCSRCreate:     {{[]string{"create"}, "certificates.k8s.io", "certificatesigningrequests", ""}},
	capCSRApprove:    {{[]string{"update", "patch"}, "certificates.k8s.io", "certificatesigningrequests", "approval"}},
	capSignerApprove: {{[]string{"approve"}, "certificates.k8s.io", "signers", ""}},
	capWebhook:       {{[]string{"create", "update", "patch"}, "admissionregistration.k8s.io", "mutatingwebhookconfigurations", ""}},
}

// match returns the capabilities a rule grants. A rule with resourceNames
// grants name-limited capabilities: the request templates carry the name
// "" here, so the caller checks names separately (see named).
func match(rule *rbacv1.PolicyRule) (caps [numCapabilities]bool) {
	unnamed := *rule
	unnamed.ResourceNames = nil
	for c, ts := range templates {
		for _, t := range ts {
			for _, v := range t.verbs {
				if rbac.Allows(&unnamed, rbac.Request{Verb: v, APIGroup: t.group, Resource: t.resource, Subresource: t.subresource}) {
					caps[c] = true
				}
			}
		}
	}
	caps[capWildcard] = isWildcard(rule)
	return caps
}

// isWildcard reports whether a rule allows every verb on every resource of
// every group, as cluster-admin's does.
func isWildcard(rule *rbacv1.PolicyRule) bool {
	has := func(xs []string, all string) bool {
		for _, x := range xs {
			if x == all {
				return true
			}
		}
		return false
	}
	return len(rule.ResourceNames) == 0 && has(rule.Verbs, rbacv1.VerbAll) &&
		has(rule.APIGroups, rbacv1.APIGroupAll) && has(rule.Resources, rbacv1.ResourceAll)
}

// named returns the names a rule limits its capabilities to, or nil for
// all. resourceNames limit every verb: a list or watch carries a name only
// when it selects one object by metadata.name, so it never reads the rest.
func named(rule *rbacv1.PolicyRule) []string { return rule.ResourceNames }
