package netpol

import (
	"fmt"
	"net/netip"
	"strings"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/trustpath/trustpath/collectors/estate"
)

// Direction is ingress or egress.
type Direction int

// Directions of traffic a policy governs.
const (
	Ingress Direction = iota
	Egress
)

func (d Direction) String() string {
	if d == Egress {
		return "egress"
	}
	return "ingress"
}

// policy is a NetworkPolicy with its selectors converted once.
type policy struct {
	ref       estate.Ref
	namespace string
	selector  labels.Selector
	affects   [2]bool   // by Direction, after policyTypes defaulting
	rules     [2][]rule // by Direction
}

// rule is one ingress or egress rule.
type rule struct {
	index    int
	allPeers bool // from/to absent or empty
	peers    []peer
	allPorts bool // ports absent or empty
	ports    []portRule

	// Decided once by Engine.prepare, since none depends on the traffic.
	// The reason slices are shared by every verdict and flow the rule
	// allows: their capacity is their length, so appending copies them.
	reason    []Reason // "allowed by networkpolicy/NS/NAME DIR rule N"
	allReason []Reason // the same, noting that the rule admits all pods
	allPods   bool     // allPeers, or a peer selects every pod
	toNode    bool     // allPeers, or an ipBlock peer holds a node address
	toPublic  bool     // allPeers, or an ipBlock peer holds an internet address
	external  []string // the ports it allows towards an internet address
}

// peer is one from/to entry. Exactly one of the selector pair and block is
// in use; a peer that failed to parse matches nothing.
type peer struct {
	pods       labels.Selector // nil: every pod of the selected namespaces
	namespaces labels.Selector // nil: the policy's own namespace
	block      *ipBlock
	broken     bool

	// Set by Engine.prepare: whether the block holds a node address or an
	// internet address, and the text that identifies what the selectors
	// select (peers of many policies repeat it).
	holdsNode, public bool
	key               string
}

// portRule is one entry of a rule's ports.
type portRule struct {
	protocol corev1.Protocol
	any      bool   // port unset: every port of the protocol
	name     string // a named port, resolved per destination
	from, to int32  // a number, or a range with endPort
}

// compile converts a NetworkPolicy once. Problems with a selector or CIDR
// are reported as diagnostics naming the policy and rule; the broken peer
// then matches nothing, which errs on the side of the policy's intent to
// restrict.
func compile(np *networkingv1.NetworkPolicy, report func(error)) *policy {
	p := &policy{
		ref:       estate.Ref{Kind: "NetworkPolicy", Namespace: np.Namespace, Name: np.Name},
		namespace: np.Namespace,
	}
	sel, err := metav1.LabelSelectorAsSelector(&np.Spec.PodSelector)
	if err != nil {
		report(fmt.Errorf("podSelector: %w", err))
		sel = labels.Nothing()
	}
	p.selector = sel
	if len(np.Spec.PolicyTypes) == 0 {
		// The API server's defaulting: every policy affects ingress, and
		// egress when it has egress rules.
		p.affects[Ingress] = true
		p.affects[Egress] = len(np.Spec.Egress) != 0
	}
	for _, t := range np.Spec.PolicyTypes {
		switch t {
		case networkingv1.PolicyTypeIngress:
			p.affects[Ingress] = true
		case networkingv1.PolicyTypeEgress:
			p.affects[Egress] = true
		}
	}
	for i, r := range np.Spec.Ingress {
		where := fmt.Sprintf("ingress rule %d", i)
		p.rules[Ingress] = append(p.rules[Ingress], compileRule(i, r.From, r.Ports, where, report))
	}
	for i, r := range np.Spec.Egress {
		where := fmt.Sprintf("egress rule %d", i)
		p.rules[Egress] = append(p.rules[Egress], compileRule(i, r.To, r.Ports, where, report))
	}
	return p
}

func compileRule(index int, peers []networkingv1.NetworkPolicyPeer, ports []networkingv1.NetworkPolicyPort,
	where string, report func(error)) rule {
	r := rule{index: index, allPeers: len(peers) == 0, allPorts: len(ports) == 0}
	for j, np := range peers {
		fail := func(err error) { report(fmt.Errorf("%s peer %d: %w", where, j, err)) }
		var pr peer
		switch {
		case np.IPBlock != nil:
			b, err := parseBlock(np.IPBlock)
			if err != nil {
				fail(err)
				pr.broken = true
			}
			pr.block = b
		case np.PodSelector == nil && np.NamespaceSelector == nil:
			fail(fmt.Errorf("names neither podSelector, namespaceSelector nor ipBlock"))
			pr.broken = true
		default:
			var err error
			if np.PodSelector != nil {
				if pr.pods, err = metav1.LabelSelectorAsSelector(np.PodSelector); err != nil {
					fail(fmt.Errorf("podSelector: %w", err))
					pr.broken = true
				}
			}
			if np.NamespaceSelector != nil {
				if pr.namespaces, err = metav1.LabelSelectorAsSelector(np.NamespaceSelector); err != nil {
					fail(fmt.Errorf("namespaceSelector: %w", err))
					pr.broken = true
				}
			}
		}
		r.peers = append(r.peers, pr)
	}
	for j, p := range ports {
		pr := portRule{protocol: corev1.ProtocolTCP}
		if p.Protocol != nil {
			pr.protocol = *p.Protocol
		}
		switch {
		case p.Port == nil:
			pr.any = true
		case p.Port.Type == intstr.String:
			pr.name = p.Port.StrVal
		default:
			pr.from, pr.to = p.Port.IntVal, p.Port.IntVal
			if p.EndPort != nil {
				if *p.EndPort < pr.from {
					report(fmt.Errorf("%s port %d: endPort %d is below port %d", where, j, *p.EndPort, pr.from))
				}
				pr.to = *p.EndPort
			}
		}
		r.ports = append(r.ports, pr)
	}
	return r
}

func parseBlock(b *networkingv1.IPBlock) (*ipBlock, error) {
	cidr, err := netip.ParsePrefix(b.CIDR)
	if err != nil {
		return nil, fmt.Errorf("ipBlock cidr: %w", err)
	}
	out := &ipBlock{cidr: cidr.Masked()}
	for _, e := range b.Except {
		p, err := netip.ParsePrefix(e)
		if err != nil {
			return nil, fmt.Errorf("ipBlock except: %w", err)
		}
		out.except = append(out.except, p.Masked())
	}
	return out, nil
}

// prepare decides what a compiled policy's rules and peers allow
// independently of any traffic: their reasons, and what their ipBlocks
// hold. blocks caches the ipBlock answers, which many policies repeat.
func (e *Engine) prepare(p *policy, blocks map[string][2]bool) {
	for d := range p.rules {
		for i := range p.rules[d] {
			r := &p.rules[d][i]
			text := fmt.Sprintf("allowed by networkpolicy/%s/%s %s rule %d", p.ref.Namespace, p.ref.Name, Direction(d), r.index)
			why := Reason{Kind: ByRule, Direction: Direction(d), Policy: p.ref, Rule: r.index, Text: text}
			r.reason = []Reason{why}
			why.Text += " (all pods)"
			r.allReason = []Reason{why}
			r.allPods, r.toNode, r.toPublic = r.allPeers, r.allPeers, r.allPeers
			for j := range r.peers {
				pr := &r.peers[j]
				switch {
				case pr.broken:
				case pr.block != nil:
					key := pr.block.String()
					ans, ok := blocks[key]
					if !ok {
						ans = [2]bool{pr.block.holdsAnyOf(e.nodeAddrs), pr.block.public()}
						blocks[key] = ans
					}
					pr.holdsNode, pr.public = ans[0], ans[1]
				default:
					pr.key = peerKey(pr, p.namespace)
				}
				r.allPods = r.allPods || pr.matchesAllPods()
				r.toNode = r.toNode || pr.holdsNode
				r.toPublic = r.toPublic || pr.public
			}
			r.external = ruleExternalPorts(*r)
		}
	}
}

// peerKey identifies the pods a selector peer selects: its selectors'
// text, and the policy's namespace when it has no namespaceSelector.
func peerKey(pr *peer, policyNS string) string {
	var b strings.Builder
	if pr.namespaces == nil {
		b.WriteString("in ")
		b.WriteString(policyNS)
	} else {
		b.WriteString("namespaces ")
		b.WriteString(pr.namespaces.String())
	}
	if pr.pods != nil {
		b.WriteString("\x00pods ")
		b.WriteString(pr.pods.String())
	}
	return b.String()
}

// matchesAllPods reports whether a peer selects every pod of every namespace.
func (p peer) matchesAllPods() bool {
	return !p.broken && p.block == nil && p.namespaces != nil && p.namespaces.Empty() &&
		(p.pods == nil || p.pods.Empty())
}

// matchesPort reports whether a rule admits port (of a destination pod).
func (r rule) matchesPort(port Port) bool {
	if r.allPorts {
		return true
	}
	for _, pr := range r.ports {
		if pr.matches(port) {
			return true
		}
	}
	return false
}

func (pr portRule) matches(port Port) bool {
	if pr.protocol != port.Protocol {
		return false
	}
	switch {
	case pr.any:
		return true
	case pr.name != "":
		return port.Name == pr.name
	}
	return pr.from <= port.Number && port.Number <= pr.to
}
