package netpol

import (
	"fmt"
	"slices"
	"strings"
)

// Flow is traffic one endpoint may send another on the destination's ports
// that both sides allow. A flow with a nil From stands for every pod whose
// egress is open to all pods ([Engine.OpenEgress]): it is how traffic no
// policy restricts is told without a flow per pair. Its slices may be
// shared with other flows and verdicts: read them, never modify them.
type Flow struct {
	From, To *Endpoint
	Ports    []Port   // sorted
	Egress   []Reason // why the source side allows it (empty for From nil)
	Ingress  []Reason // why the destination side allows it
}

// OpenEgress says why ep may send to every pod on every port — nothing
// isolates its egress, or a rule allows all pods on all ports — or returns
// nil when it may not. Such endpoints reach the destinations of the flows
// with a nil From. hostNetwork endpoints are the node, not a pod, and are
// never open here: their flows are enumerated.
func (e *Engine) OpenEgress(ep *Endpoint) []Reason { return ep.openEgress }

// openEgress decides OpenEgress once per endpoint.
func (e *Engine) openEgress(ep *Endpoint) []Reason {
	if ep.HostNetwork {
		return nil
	}
	if !ep.Isolated(Egress) {
		return e.notIsolated[Egress]
	}
	var rules []*rule
	for _, p := range ep.policy[Egress] {
		for i := range p.rules[Egress] {
			if r := &p.rules[Egress][i]; r.allPorts && r.allPods {
				rules = append(rules, r)
			}
		}
	}
	return joinReasons(rules, true)
}

// openReasons says why ep admits every pod on port, or returns nil when it
// does not: nothing isolates it for ingress, or a rule for that port admits
// all pods. A hostNetwork endpoint is never open in this sense: a source
// open to all pods may still not reach a node address.
func (e *Engine) openReasons(ep *Endpoint, port Port, buf []*rule) ([]Reason, []*rule) {
	if ep.HostNetwork {
		return nil, buf
	}
	if !ep.Isolated(Ingress) {
		return e.notIsolated[Ingress], buf
	}
	rules := buf[:0]
	for _, p := range ep.policy[Ingress] {
		for i := range p.rules[Ingress] {
			if r := &p.rules[Ingress][i]; r.allPods && r.matchesPort(port) {
				rules = append(rules, r)
			}
		}
	}
	return joinReasons(rules, true), rules
}

// joinReasons returns the reasons of rules: none, the one rule's shared
// slice, or a new slice for several. all picks the reasons that note the
// rule admits all pods.
func joinReasons(rules []*rule, all bool) []Reason {
	pick := func(r *rule) []Reason {
		if all {
			return r.allReason
		}
		return r.reason
	}
	switch len(rules) {
	case 0:
		return nil
	case 1:
		return pick(rules[0])
	}
	out := make([]Reason, 0, len(rules))
	for _, r := range rules {
		out = append(out, pick(r)...)
	}
	return out
}

// InternetEgress returns the ports on which ep may reach internet
// addresses ("any", "tcp/443", "tcp/8000-8100"), sorted, and why; nil when
// it may not.
func (e *Engine) InternetEgress(ep *Endpoint) ([]string, []Reason) {
	if why := e.unrestricted(Egress, ep); why != nil {
		return []string{"any"}, why
	}
	var ports []string
	var why []Reason
	for _, p := range ep.policy[Egress] {
		for i := range p.rules[Egress] {
			r := &p.rules[Egress][i]
			if !r.toPublic || len(r.external) == 0 {
				continue
			}
			ports = append(ports, r.external...)
			why = append(why, r.reason...)
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
