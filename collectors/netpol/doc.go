// Package netpol evaluates Kubernetes NetworkPolicy exactly as the API
// documents it, over classes of pods rather than pairs of pods.
//
// # Semantics
//
//   - A pod is isolated for ingress (egress) only when some policy that
//     selects it lists that policy type. Without policyTypes a policy affects
//     ingress, and egress too when it has egress rules.
//   - A connection is allowed when the source's egress allows it and the
//     destination's ingress allows it. Rules and policies are unions.
//   - A peer's podSelector alone selects pods of the policy's namespace;
//     namespaceSelector alone selects every pod of the namespaces it selects;
//     both in one peer select the pods matching podSelector in those
//     namespaces. An empty selector selects everything; absent from/to
//     means every peer; absent ports means every port.
//   - Ports match by number, by endPort range, or by name, where a name is
//     resolved against the destination's container ports with the same
//     protocol (one name can mean different numbers in different pods).
//     The protocol defaults to TCP.
//
// # Decisions where the API leaves room
//
//   - ipBlock matches addresses outside the cluster's pod network: the
//     internet, and node addresses. It never matches a pod, whose address
//     is ephemeral; pods are chosen by selectors. An ipBlock admits the
//     internet when, after its except list and the private, loopback and
//     link-local ranges are removed, some address remains.
//   - hostNetwork pods are the node's network identity. Policies cannot
//     isolate them (behaviour the API calls undefined; most network plugins
//     let host traffic through), and selectors never match them as peers:
//     an ipBlock holding a node address does. When Node objects give no
//     addresses, any block with a private address is taken to hold them.
//   - Pods are reached on the ports their containers declare; a pod that
//     declares none is not a network destination.
//
// # Scale
//
// Pods that no selector can tell apart (same namespace, labels, ports and
// host networking) form one [Endpoint]. Flows are enumerated from the
// policies' side, and traffic between endpoints no policy restricts is left
// to the caller to represent through one hub, so a cluster without policies
// costs O(endpoints), not O(endpoints²). Everything that does not depend on
// the traffic — a rule's reasons, what an ipBlock holds, what a selector
// peer selects, whether an endpoint's egress is open — is decided once, and
// the rules that name a candidate are its reasons, so the cost of Flows
// follows the flows it finds and the candidates the selectors name.
// (Sources whose egress a rule restricts to some ports of every pod still
// get a flow per destination: no hub stands for them.)
package netpol
