package netpol

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Flow is traffic one endpoint may send another on the destination's ports
// that both sides allow. A flow with a nil From stands for every pod whose
// egress is open to all pods ([Engine.OpenEgress]): it is how traffic no
// policy restricts is told without a flow per pair.
type Flow struct {
	From, To *Endpoint
	Ports    []Port   // sorted
	Egress   []Reason // why the source side allows it (empty for From nil)
	Ingress  []Reason // why the destination side allows it
}

// flowSet accumulates flows by (from, to).
type flowSet map[[2]int]*Flow

func (fs flowSet) add(from, to *Endpoint, port Port, egress, ingress []Reason) {
	k := [2]int{-1, to.id}
	if from != nil {
		k[0] = from.id
	}
	f := fs[k]
	if f == nil {
		f = &Flow{From: from, To: to}
		fs[k] = f
	}
	f.Ports = append(f.Ports, port)
	f.Egress = mergeReasons(f.Egress, egress)
	f.Ingress = mergeReasons(f.Ingress, ingress)
}

func mergeReasons(have, more []Reason) []Reason {
	for _, r := range more {
		if !slices.Contains(have, r) {
			have = append(have, r)
		}
	}
	return have
}

// OpenEgress says why ep may send to every pod on every port — nothing
// isolates its egress, or a rule allows all pods on all ports — or returns
// nil when it may not. Such endpoints reach the destinations of the flows
// with a nil From. hostNetwork endpoints are the node, not a pod, and are
// never open here: their flows are enumerated.
func (e *Engine) OpenEgress(ep *Endpoint) []Reason {
	if ep.HostNetwork {
		return nil
	}
	if !ep.Isolated(Egress) {
		_, why := e.side(Egress, ep, Internet, Port{}) // decided before any peer is looked at
		return why
	}
	var out []Reason
	for _, p := range ep.policy[Egress] {
		for _, r := range p.rules[Egress] {
			if r.allPorts && (r.allPeers || slices.ContainsFunc(r.peers, peer.matchesAllPods)) {
				out = append(out, ruleReason(Egress, p, r, " (all pods)"))
			}
		}
	}
	return out
}

// openIngress reports whether ep admits every pod on port.
func (e *Engine) openIngress(ep *Endpoint, port Port) bool { return e.openReasons(ep, port) != nil }

// openReasons says why ep admits every pod on port, or returns nil when it
// does not: nothing isolates it for ingress, or a rule for that port admits
// all pods. A hostNetwork endpoint is never open in this sense: a source
// open to all pods may still not reach a node address.
func (e *Engine) openReasons(ep *Endpoint, port Port) []Reason {
	if ep.HostNetwork {
		return nil
	}
	if !ep.Isolated(Ingress) {
		_, why := e.side(Ingress, ep, Internet, port) // decided before any peer is looked at
		return why
	}
	var out []Reason
	for _, p := range ep.policy[Ingress] {
		for _, r := range p.rules[Ingress] {
			if r.matchesPort(port) && (r.allPeers || slices.ContainsFunc(r.peers, peer.matchesAllPods)) {
				out = append(out, ruleReason(Ingress, p, r, " (all pods)"))
			}
		}
	}
	return out
}

// Flows returns every allowed flow between endpoints, sorted. A flow from an
// endpoint to itself is traffic between its pod groups (or its replicas). Traffic from
// endpoints with open egress to ports that admit every pod comes back once
// per destination, with a nil From; all other traffic comes back per pair.
//
// The pairs are enumerated from the policies: for each port a destination
// restricts, the sources its rules name; for each source whose egress is
// restricted, the destinations its rules name. Cost is the size of what
// the selectors select, never endpoints².
func (e *Engine) Flows() []Flow {
	fs := flowSet{}
	for _, dst := range e.endpoints {
		if dst.HostNetwork {
			e.toHost(fs, dst)
			continue
		}
		for _, port := range dst.Ports {
			if why := e.openReasons(dst, port); why != nil {
				fs.add(nil, dst, port, nil, why)
				continue
			}
			e.restrictedIngress(fs, dst, port)
		}
	}
	for _, src := range e.endpoints {
		switch {
		case src.HostNetwork:
			e.hostSource(fs, src)
		case src.Isolated(Egress) && e.OpenEgress(src) == nil:
			e.restrictedEgress(fs, src)
		}
	}
	out := make([]Flow, 0, len(fs))
	for _, f := range fs {
		slices.SortFunc(f.Ports, comparePorts)
		f.Ports = slices.Compact(f.Ports)
		out = append(out, *f)
	}
	slices.SortFunc(out, func(a, b Flow) int {
		return cmp.Or(cmp.Compare(endpointID(a.From), endpointID(b.From)), cmp.Compare(a.To.id, b.To.id))
	})
	return out
}

func endpointID(ep *Endpoint) int {
	if ep == nil {
		return -1
	}
	return ep.id
}

// restrictedIngress adds the flows to a port of dst that only some sources
// may use: those its ingress rules for that port name, when their own
// egress lets them.
func (e *Engine) restrictedIngress(fs flowSet, dst *Endpoint, port Port) {
	seen := map[*Endpoint]bool{}
	for _, p := range dst.policy[Ingress] {
		for _, r := range p.rules[Ingress] {
			if !r.matchesPort(port) {
				continue
			}
			for _, pr := range r.peers {
				for _, src := range e.peerEndpoints(pr, p.namespace) {
					if seen[src] {
						continue
					}
					seen[src] = true
					if v := e.Check(PodParty(src), PodParty(dst), port); v.Allowed {
						fs.add(src, dst, port, v.Egress, v.Ingress)
					}
				}
			}
		}
	}
}

// restrictedEgress adds the flows of a source whose egress rules name their
// destinations, to ports that admit every pod (ports a destination
// restricts were added from its side).
func (e *Engine) restrictedEgress(fs flowSet, src *Endpoint) {
	seen := map[*Endpoint]bool{}
	for _, p := range src.policy[Egress] {
		for _, r := range p.rules[Egress] {
			var dsts []*Endpoint
			if r.allPeers {
				dsts = e.listening(r)
			} else {
				for _, pr := range r.peers {
					dsts = append(dsts, e.peerEndpoints(pr, p.namespace)...)
				}
			}
			for _, dst := range dsts {
				if seen[dst] || dst.HostNetwork {
					continue // hostNetwork destinations are enumerated from their side
				}
				seen[dst] = true
				for _, port := range dst.Ports {
					if !e.openIngress(dst, port) {
						continue
					}
					if v := e.Check(PodParty(src), PodParty(dst), port); v.Allowed {
						fs.add(src, dst, port, v.Egress, v.Ingress)
					}
				}
			}
		}
	}
}

// listening returns the endpoints with a port the rule admits, through the
// port index rather than a scan when the rule names ports.
func (e *Engine) listening(r rule) []*Endpoint {
	if r.allPorts {
		return e.endpoints
	}
	var out []*Endpoint
	for _, pr := range r.ports {
		switch {
		case pr.any:
			out = append(out, e.byProtocol[pr.protocol]...)
		case pr.name != "":
			out = append(out, e.byPortName[portName{pr.protocol, pr.name}]...)
		case pr.to-pr.from < 64:
			for n := pr.from; n <= pr.to; n++ {
				out = append(out, e.byPort[Port{Protocol: pr.protocol, Number: n}]...)
			}
		default:
			for _, ep := range e.byProtocol[pr.protocol] {
				if slices.ContainsFunc(ep.Ports, pr.matches) {
					out = append(out, ep)
				}
			}
		}
	}
	return out
}

// hostSource adds the flows of a hostNetwork endpoint: the node may send
// anywhere, and each destination's ingress decides on a node source.
func (e *Engine) hostSource(fs flowSet, src *Endpoint) {
	for _, dst := range e.endpoints {
		if dst.HostNetwork {
			continue // enumerated by toHost
		}
		for _, port := range dst.Ports {
			if v := e.Check(PodParty(src), PodParty(dst), port); v.Allowed {
				fs.add(src, dst, port, v.Egress, v.Ingress)
			}
		}
	}
}

// toHost adds the flows to a hostNetwork endpoint. Its ingress is never
// isolated, but a source's egress must admit a node address, which selectors
// never do; the few hostNetwork endpoints (node agents) are checked against
// every source.
func (e *Engine) toHost(fs flowSet, dst *Endpoint) {
	for _, src := range e.endpoints {
		for _, port := range dst.Ports {
			if v := e.Check(PodParty(src), PodParty(dst), port); v.Allowed {
				fs.add(src, dst, port, v.Egress, v.Ingress)
			}
		}
	}
}

// peerEndpoints returns the endpoints a peer can select: pods of the
// selected namespaces matching its pod selector, or for an ipBlock the
// hostNetwork endpoints when it holds a node address.
func (e *Engine) peerEndpoints(pr peer, policyNS string) []*Endpoint {
	if pr.broken {
		return nil
	}
	var out []*Endpoint
	if pr.block != nil {
		if !pr.block.holdsAnyOf(e.nodeAddrs) {
			return nil
		}
		for _, ep := range e.endpoints {
			if ep.HostNetwork {
				out = append(out, ep)
			}
		}
		return out
	}
	namespaces := []string{policyNS}
	if pr.namespaces != nil {
		namespaces = e.selectedNamespaces(pr.namespaces)
	}
	for _, ns := range namespaces {
		for _, ep := range e.byNamespace[ns] {
			if !ep.HostNetwork && (pr.pods == nil || pr.pods.Matches(ep.Labels)) {
				out = append(out, ep)
			}
		}
	}
	return out
}

// InternetEgress returns the ports on which ep may reach internet
// addresses ("any", "tcp/443", "tcp/8000-8100"), sorted, and why; nil when
// it may not.
func (e *Engine) InternetEgress(ep *Endpoint) ([]string, []Reason) {
	if ep.HostNetwork || !ep.Isolated(Egress) {
		_, why := e.side(Egress, ep, Internet, Port{})
		return []string{"any"}, why
	}
	var ports []string
	var why []Reason
	for _, p := range ep.policy[Egress] {
		for _, r := range p.rules[Egress] {
			if !e.matchesPeer(r, p.namespace, Internet) {
				continue
			}
			rp := ruleExternalPorts(r)
			if len(rp) == 0 {
				continue
			}
			ports = append(ports, rp...)
			why = append(why, ruleReason(Egress, p, r, ""))
		}
	}
	if slices.Contains(ports, "any") {
		ports = []string{"any"}
	}
	slices.Sort(ports)
	return slices.Compact(ports), why
}

// ruleExternalPorts lists the ports a rule allows towards an address that
// has no named ports.
func ruleExternalPorts(r rule) []string {
	if r.allPorts {
		return []string{"any"}
	}
	var out []string
	for _, pr := range r.ports {
		proto := strings.ToLower(string(pr.protocol))
		switch {
		case pr.any:
			out = append(out, proto+"/any")
		case pr.name != "":
			// A named port is resolved against a pod; the internet has none.
		case pr.from == pr.to:
			out = append(out, fmt.Sprintf("%s/%d", proto, pr.from))
		default:
			out = append(out, fmt.Sprintf("%s/%d-%d", proto, pr.from, pr.to))
		}
	}
	return out
}
