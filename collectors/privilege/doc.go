// Package privilege turns RBAC permissions into attack-graph edges: from
// each identity (service account, user, group) to what its rights let it
// read, run as, exec into, impersonate or grant itself — and to the
// privilege targets cluster-admin and namespace-admin/NS.
//
// Every edge names, as evidence, the binding, the role and the rule that
// grant it, and as missing control the binding that grants too much, so
// findings sharing one root cause group together.
//
// Capabilities are matched per rule, not per namespace: each rule is
// checked against a fixed set of request templates once, what each binding
// gives is worked out once whoever it names, and a cluster-wide rule then
// applies to every namespace. The cost is rules × templates, plus the
// bindings of each identity, plus the edges themselves.
package privilege
