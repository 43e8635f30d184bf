package netpol

import (
	"fmt"
	"strings"

	"github.com/trustpath/trustpath/collectors/estate"
)

// PartyKind says what is at one end of a connection.
type PartyKind int

// Parties of a connection.
const (
	// PartyPod is a pod of an endpoint.
	PartyPod PartyKind = iota
	// PartyNode is a node address: a hostNetwork pod, or external traffic
	// whose source a Service rewrote to a node's (externalTrafficPolicy: Cluster).
	PartyNode
	// PartyInternet is an address outside the cluster and its nodes.
	PartyInternet
)

// Party is one end of a connection.
type Party struct {
	Kind     PartyKind
	Endpoint *Endpoint // for PartyPod, and for a hostNetwork PartyNode
}

// PodParty returns the party of an endpoint's pods: a node for hostNetwork pods.
func PodParty(ep *Endpoint) Party {
	if ep.HostNetwork {
		return Party{Kind: PartyNode, Endpoint: ep}
	}
	return Party{Kind: PartyPod, Endpoint: ep}
}

// Internet is the party of an internet address.
var Internet = Party{Kind: PartyInternet}

// ReasonKind says how one side of a connection decided.
type ReasonKind int

// How a side decides.
const (
	// ByRule: a rule of Policy allows the traffic.
	ByRule ReasonKind = iota
	// NotIsolated: no policy selects the pod in this direction.
	NotIsolated
	// HostNetwork: the pod uses the node's network; policies do not apply.
	HostNetwork
	// Denied: policies isolate the pod and no rule allows the traffic.
	Denied
)

// Reason explains one side's decision on a connection.
type Reason struct {
	Kind      ReasonKind
	Direction Direction
	Policy    estate.Ref // with ByRule
	Rule      int        // index of the rule in its direction, with ByRule
	Text      string
}

func (r Reason) String() string { return r.Text }

// Verdict is the answer for one connection and port. Its reason slices
// may be shared with other verdicts and flows: read them, never modify them.
type Verdict struct {
	Allowed bool
	Egress  []Reason // at the source
	Ingress []Reason // at the destination
}

// Check decides whether src may connect to dst on port, a port of dst.
// Both sides' reasons are returned whatever the answer.
func (e *Engine) Check(src, dst Party, port Port) Verdict {
	var v Verdict
	eg, egOK := true, []Reason(nil)
	if src.Endpoint != nil {
		eg, egOK = e.side(Egress, src.Endpoint, dst, port)
	}
	in, inOK := true, []Reason(nil)
	if dst.Endpoint != nil {
		in, inOK = e.side(Ingress, dst.Endpoint, src, port)
	}
	v.Allowed, v.Egress, v.Ingress = eg && in, egOK, inOK
	return v
}

// side decides whether the policies of at allow traffic in direction d with
// other on port, and says why: the rules that allow it, or that none does.
func (e *Engine) side(d Direction, at *Endpoint, other Party, port Port) (bool, []Reason) {
	if why := e.unrestricted(d, at); why != nil {
		return true, why
	}
	var allowed []Reason
	for _, p := range at.policy[d] {
		for i := range p.rules[d] {
			if r := &p.rules[d][i]; r.matchesPort(port) && e.matchesPeer(r, p.namespace, other) {
				allowed = append(allowed, r.reason...)
			}
		}
	}
	if len(allowed) > 0 {
		return true, allowed
	}
	return false, []Reason{{Kind: Denied, Direction: d, Text: fmt.Sprintf("isolated for %s by %s; no rule allows it", d, policyNames(at.policy[d]))}}
}

// unrestricted returns why at's side in direction d allows everything
// before any rule is looked at — it is a hostNetwork pod, or no policy
// isolates it — or nil when its policies decide.
func (e *Engine) unrestricted(d Direction, at *Endpoint) []Reason {
	switch {
	case at.HostNetwork:
		return e.hostNetwork[d]
	case !at.Isolated(d):
		return e.notIsolated[d]
	}
	return nil
}

func policyNames(ps []*policy) string {
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = "networkpolicy/" + p.ref.Namespace + "/" + p.ref.Name
	}
	return strings.Join(names, ", ")
}

// matchesPeer reports whether a rule's peers include other. policyNS is the
// namespace of the rule's policy, which a peer without namespaceSelector means.
func (e *Engine) matchesPeer(r *rule, policyNS string, other Party) bool {
	switch other.Kind {
	case PartyInternet:
		return r.toPublic
	case PartyNode:
		return r.toNode
	}
	return r.matchesPod(policyNS, other.Endpoint)
}

// matchesPod reports whether a rule's peers include the pods of ep, which
// is not a hostNetwork endpoint: selectors choose pods, ipBlocks never do.
func (r *rule) matchesPod(policyNS string, ep *Endpoint) bool {
	if r.allPeers {
		return true
	}
	for i := range r.peers {
		if r.peers[i].selects(policyNS, ep) {
			return true
		}
	}
	return false
}

// selects reports whether a selector peer chooses the pods of ep.
func (p *peer) selects(policyNS string, ep *Endpoint) bool {
	switch {
	case p.broken, p.block != nil:
		return false
	case p.namespaces == nil:
		if ep.Namespace != policyNS {
			return false
		}
	case !p.namespaces.Matches(ep.nsSet):
		return false
	}
	return p.pods == nil || p.pods.Matches(ep.Labels)
}
