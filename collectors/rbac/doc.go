// Package rbac evaluates Kubernetes RBAC exactly as the API server's RBAC
// authorizer does, over the Roles, ClusterRoles and bindings of one
// [estate.Snapshot]: who may do what, where, and which binding and rule
// says so.
//
// # Semantics
//
// The rules follow [Using RBAC Authorization] and the authorizer's source
// (plugin/pkg/auth/authorizer/rbac/rbac.go, the rule resolver in
// pkg/registry/rbac/validation/rule.go and pkg/apis/rbac/v1/evaluation_helpers.go):
//
//   - A rule allows a request when its verbs, apiGroups, resources and
//     resourceNames all match, or, for a non-resource URL, its verbs and
//     nonResourceURLs; see [Allows] for each wildcard.
//   - A ClusterRoleBinding grants its ClusterRole everywhere. A RoleBinding
//     grants its Role, or the rules of a ClusterRole, in its own namespace
//     only, and never for non-resource URLs or cluster-wide requests.
//   - A ClusterRole with an aggregationRule holds the union of the rules of
//     the ClusterRoles its selectors match, as the aggregation controller
//     writes it; its own rules are replaced.
//   - A User subject matches a user name, a Group any of the user's groups,
//     a ServiceAccount the service account's user name
//     (system:serviceaccount:NS:NAME). Requests carry the groups Kubernetes
//     adds implicitly: see [Subject.Identity].
//   - Rights are only added: there is no deny. A binding whose role is
//     missing grants nothing.
//
// # Defaults
//
// Manifests often bind built-in roles (cluster-admin, admin, edit, view)
// without defining them, since the API server creates them. [New] adds the
// bootstrap ClusterRoles and ClusterRoleBindings of a recent Kubernetes
// release ([Defaults]) for every name the input does not define; a role or
// binding in the input replaces the default of the same name. Grants that
// rest on a default are marked [Grant].Default.
//
// Not modelled: the Node authorizer and NodeRestriction, which give kubelets
// their rights outside RBAC; other authorizers (webhooks, ABAC); and
// admission, which may still reject an allowed request.
//
// [Using RBAC Authorization]: https://kubernetes.io/docs/reference/access-authn-authz/rbac/
package rbac
