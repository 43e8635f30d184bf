package netpol

import "slices"

// peerEndpoints returns the endpoints a peer can select: pods of the
// selected namespaces matching its pod selector, or for an ipBlock the
// hostNetwork endpoints when it holds a node address. Selector peers are
// looked up once per distinct selection.
func (w *walk) peerEndpoints(pr *peer, policyNS string) []*Endpoint {
	switch {
	case pr.broken:
		return nil
	case pr.block != nil:
		if pr.holdsNode {
			return w.hosts
		}
		return nil
	}
	if out, ok := w.peers[pr.key]; ok {
		return out
	}
	namespaces := []string{policyNS}
	if pr.namespaces != nil {
		namespaces = w.selectedNamespaces(pr)
	}
	var out []*Endpoint
	for _, ns := range namespaces {
		for _, ep := range w.e.byNamespace[ns] {
			if !ep.HostNetwork && (pr.pods == nil || pr.pods.Matches(ep.Labels)) {
				out = append(out, ep)
			}
		}
	}
	w.peers[pr.key] = out
	return out
}

// selectedNamespaces returns the namespaces a peer's namespace selector
// picks, cached by the selector's text since many policies repeat it.
func (w *walk) selectedNamespaces(pr *peer) []string {
	key := pr.namespaces.String()
	if ns, ok := w.namespaces[key]; ok {
		return ns
	}
	var out []string
	for _, ns := range w.e.namespaces {
		if pr.namespaces.Matches(w.e.nsLabels[ns]) {
			out = append(out, ns)
		}
	}
	w.namespaces[key] = out
	return out
}

// listening returns the endpoints with a port the rule admits, through the
// port index rather than a scan when the rule names ports.
func (e *Engine) listening(r *rule) []*Endpoint {
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
