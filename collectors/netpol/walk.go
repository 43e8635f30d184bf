package netpol

import "iter"

// Flows returns every allowed flow between endpoints, sorted. A flow from an
// endpoint to itself is traffic between its pod groups (or its replicas). Traffic from
// endpoints with open egress to ports that admit every pod comes back once
// per destination, with a nil From; all other traffic comes back per pair.
//
// The pairs are enumerated from the policies: for each port a destination
// restricts, the sources its rules name; for each source whose egress is
// restricted, the destinations its rules name; and hostNetwork endpoints,
// which are few, against every endpoint. Each side is decided once per
// candidate: the rules that named it are its reasons, so nothing is
// evaluated twice. Cost is the size of what the selectors select, never
// endpoints².
func (e *Engine) Flows() []Flow { return e.walk().sorted() }

// AllFlows yields the flows Flows returns in an order that is deterministic
// but unspecified, without sorting or collecting them: for callers whose
// result does not depend on the order, such as a graph builder that sorts
// its own output.
func (e *Engine) AllFlows() iter.Seq[Flow] {
	return func(yield func(Flow) bool) {
		fs := e.walk()
		for i := range fs.count {
			if !yield(fs.output(i)) {
				return
			}
		}
	}
}

// walk enumerates every flow.
func (e *Engine) walk() *flowSet {
	w := newWalk(e)
	for _, dst := range e.endpoints {
		w.fs.toDestination(dst)
		if dst.HostNetwork {
			w.toHost(dst)
			continue
		}
		base := w.base[dst.id]
		for i, port := range dst.Ports {
			if len(w.hosts) > 0 {
				w.node[base+i] = w.nodeIngress(dst, port)
			}
			why, rules := e.openReasons(dst, port, w.buf)
			w.buf = rules
			w.open[base+i] = why
			if why != nil {
				w.fs.add(nil, dst, i, nil, why)
				continue
			}
			w.restrictedIngress(dst, i, port)
		}
	}
	for _, src := range e.endpoints {
		switch {
		case src.HostNetwork:
			w.fs.fromSource(src)
			w.hostSource(src)
		case src.Isolated(Egress) && src.openEgress == nil:
			w.fs.fromSource(src)
			w.restrictedEgress(src)
		}
	}
	return w.fs
}

// walk is the state of one Flows call: answers per destination port, the
// endpoints each selector peer selects, and scratch space reused across
// candidates.
type walk struct {
	e     *Engine
	fs    *flowSet
	hosts []*Endpoint // the hostNetwork endpoints, in order

	// Per destination port, at base[endpoint id] + port index.
	base []int
	open [][]Reason // why it admits every pod; nil when it does not
	node [][]Reason // why it admits a node's traffic (only with hostNetwork endpoints)

	peers      map[string][]*Endpoint // by peer key
	namespaces map[string][]string    // by namespace selector text

	// Candidates of one destination port or source: the rules that named
	// each endpoint, valid where stamp equals epoch.
	epoch   int
	stamp   []int
	rules   [][]*rule
	touched []*Endpoint
	buf     []*rule

	// The same for the destination ports of one source, by port slot, and
	// the open ports each egress rule names.
	portStamp []int
	portRules [][]*rule
	targeted  []target
	targets   map[*rule][]target
	seenEpoch int
	seen      []int // by endpoint id: named by the rule openTargets is on
}

func newWalk(e *Engine) *walk {
	n := len(e.endpoints)
	w := &walk{e: e, fs: newFlowSet(n),
		base: make([]int, n+1), peers: map[string][]*Endpoint{}, namespaces: map[string][]string{},
		stamp: make([]int, n), rules: make([][]*rule, n), seen: make([]int, n)}
	for i, ep := range e.endpoints {
		w.base[i+1] = w.base[i] + len(ep.Ports)
		if ep.HostNetwork {
			w.hosts = append(w.hosts, ep)
		}
	}
	w.open = make([][]Reason, w.base[n])
	w.portStamp, w.portRules, w.targets = make([]int, w.base[n]), make([][]*rule, w.base[n]), map[*rule][]target{}
	if len(w.hosts) > 0 {
		w.node = make([][]Reason, w.base[n])
	}
	return w
}

// begin starts a new set of candidates.
func (w *walk) begin() {
	w.epoch++
	w.touched = w.touched[:0]
}

// mark records that rule r names ep.
func (w *walk) mark(ep *Endpoint, r *rule) {
	if w.stamp[ep.id] != w.epoch {
		w.stamp[ep.id] = w.epoch
		w.rules[ep.id] = w.rules[ep.id][:0]
		w.touched = append(w.touched, ep)
	}
	if rs := w.rules[ep.id]; len(rs) == 0 || rs[len(rs)-1] != r {
		w.rules[ep.id] = append(rs, r)
	}
}

// restrictedIngress adds the flows to a port of dst that only some sources
// may use: those its ingress rules for that port name, when their own
// egress lets them. The rules that name a source are its ingress reasons.
func (w *walk) restrictedIngress(dst *Endpoint, i int, port Port) {
	w.begin()
	for _, p := range dst.policy[Ingress] {
		for ri := range p.rules[Ingress] {
			r := &p.rules[Ingress][ri]
			if !r.matchesPort(port) {
				continue
			}
			for k := range r.peers {
				for _, src := range w.peerEndpoints(&r.peers[k], p.namespace) {
					w.mark(src, r)
				}
			}
		}
	}
	for _, src := range w.touched {
		if eg := w.podPeer(Egress, src, dst, port); eg != nil {
			w.fs.add(src, dst, i, eg, joinReasons(w.rules[src.id], false))
		}
	}
}

// restrictedEgress adds the flows of a source whose egress rules name their
// destinations, to ports that admit every pod (ports a destination
// restricts were added from its side). The rules that name a destination
// port are its egress reasons. What a rule names is found once for every
// source its policy selects.
func (w *walk) restrictedEgress(src *Endpoint) {
	w.epoch++
	w.targeted = w.targeted[:0]
	for _, p := range src.policy[Egress] {
		for ri := range p.rules[Egress] {
			r := &p.rules[Egress][ri]
			for _, t := range w.openTargets(r, p.namespace) {
				slot := w.base[t.dst.id] + t.port
				if w.portStamp[slot] != w.epoch {
					w.portStamp[slot] = w.epoch
					w.portRules[slot] = w.portRules[slot][:0]
					w.targeted = append(w.targeted, t)
				}
				w.portRules[slot] = append(w.portRules[slot], r)
			}
		}
	}
	for _, t := range w.targeted {
		port := t.dst.Ports[t.port]
		if in := w.podPeer(Ingress, t.dst, src, port); in != nil {
			w.fs.add(src, t.dst, t.port, joinReasons(w.portRules[w.base[t.dst.id]+t.port], false), in)
		}
	}
}

// target is a destination port: an endpoint and the index of its port.
type target struct {
	dst  *Endpoint
	port int
}

// openTargets returns the ports that admit every pod which an egress rule
// of a policy in policyNS names and admits, once each. hostNetwork
// destinations are left out: they are enumerated from their side.
func (w *walk) openTargets(r *rule, policyNS string) []target {
	if ts, ok := w.targets[r]; ok {
		return ts
	}
	w.seenEpoch++
	var ts []target
	add := func(dsts []*Endpoint) {
		for _, dst := range dsts {
			if dst.HostNetwork || w.seen[dst.id] == w.seenEpoch {
				continue
			}
			w.seen[dst.id] = w.seenEpoch
			base := w.base[dst.id]
			for i, port := range dst.Ports {
				if w.open[base+i] != nil && r.matchesPort(port) {
					ts = append(ts, target{dst, i})
				}
			}
		}
	}
	if r.allPeers {
		add(w.e.listening(r))
	}
	for k := range r.peers {
		add(w.peerEndpoints(&r.peers[k], policyNS))
	}
	w.targets[r] = ts
	return ts
}

// hostSource adds the flows of a hostNetwork endpoint: the node may send
// anywhere, and each destination's ingress, decided once per port for
// every node, takes it or not.
func (w *walk) hostSource(src *Endpoint) {
	for _, dst := range w.e.endpoints {
		if dst.HostNetwork {
			continue // enumerated by toHost
		}
		base := w.base[dst.id]
		for i := range dst.Ports {
			if why := w.node[base+i]; why != nil {
				w.fs.add(src, dst, i, w.e.hostNetwork[Egress], why)
			}
		}
	}
}

// toHost adds the flows to a hostNetwork endpoint. Its ingress is never
// isolated, but a source's egress must admit a node address, which selectors
// never do; the few hostNetwork endpoints (node agents) are checked against
// every source.
func (w *walk) toHost(dst *Endpoint) {
	for _, src := range w.e.endpoints {
		for i, port := range dst.Ports {
			if eg := w.egressToNode(src, port); eg != nil {
				w.fs.add(src, dst, i, eg, w.e.hostNetwork[Ingress])
			}
		}
	}
}

// podPeer says why the policies of at in direction dir let it exchange
// traffic with the pods of peer on port (egress: at sends to peer;
// ingress: at admits peer), or returns nil when they do not.
func (w *walk) podPeer(dir Direction, at, peer *Endpoint, port Port) []Reason {
	if why := w.e.unrestricted(dir, at); why != nil {
		return why
	}
	rules := w.buf[:0]
	for _, p := range at.policy[dir] {
		for i := range p.rules[dir] {
			if r := &p.rules[dir][i]; r.matchesPort(port) && r.matchesPod(p.namespace, peer) {
				rules = append(rules, r)
			}
		}
	}
	w.buf = rules
	return joinReasons(rules, false)
}

// egressToNode says why src may send to a node address on port, or returns
// nil when it may not.
func (w *walk) egressToNode(src *Endpoint, port Port) []Reason {
	return w.nodeSide(Egress, src, port)
}

// nodeIngress says why dst admits a node's traffic on port, or returns nil
// when it does not.
func (w *walk) nodeIngress(dst *Endpoint, port Port) []Reason {
	return w.nodeSide(Ingress, dst, port)
}

func (w *walk) nodeSide(d Direction, at *Endpoint, port Port) []Reason {
	if why := w.e.unrestricted(d, at); why != nil {
		return why
	}
	rules := w.buf[:0]
	for _, p := range at.policy[d] {
		for i := range p.rules[d] {
			if r := &p.rules[d][i]; r.toNode && r.matchesPort(port) {
				rules = append(rules, r)
			}
		}
	}
	w.buf = rules
	return joinReasons(rules, false)
}
