// Package graph is trustpath's typed attack graph: vertices for the things in
// an estate (clusters, nodes, namespaces, pod groups, containers, identities,
// secrets, services, actors) and edges for the steps an attacker can take
// between them.
//
// # Model
//
// A [Vertex] has a [Kind], a stable [Key] and a [Location] (cluster, node,
// namespace, pod group, container). Containment is data on the vertex, never
// an edge: only what an attacker can do is an [Edge]. An edge carries the
// [Technique] used, the [Boundary] it crosses (derived from its endpoints'
// locations by [Cross]), the controls present and missing on that crossing,
// the [Evidence] that produced it and a cost for shortest-path search.
//
// A [Graph] is built once by a [Builder] and is read-only afterwards. Vertex
// and line IDs are assigned in sorted key order, so every encoding of the same
// estate is byte-for-byte identical.
//
// The package knows nothing of Kubernetes API types; collectors translate
// Kubernetes objects into vertices and edges.
package graph
