package netpol

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/trustpath/trustpath/collectors/estate"
	"github.com/trustpath/trustpath/collectors/workload"
)

// Engine answers NetworkPolicy questions for one cluster. It does not
// change once New returns, so its methods may be called concurrently.
type Engine struct {
	endpoints   []*Endpoint // sorted by namespace, then first group key
	byGroup     map[*workload.Group]*Endpoint
	byNamespace map[string][]*Endpoint
	namespaces  []string              // sorted
	nsLabels    map[string]labels.Set // with kubernetes.io/metadata.name
	policies    []*policy
	nodeAddrs   []netip.Prefix // node addresses, as /32 or /128; private ranges when unknown

	// The reasons of a side that no policy isolates and of a hostNetwork
	// pod, by Direction; shared like a rule's reasons.
	notIsolated, hostNetwork [2][]Reason

	// Port indexes: which endpoints listen on a port number (Name unset), a
	// port name, or a protocol at all.
	byPort     map[Port][]*Endpoint
	byPortName map[portName][]*Endpoint
	byProtocol map[corev1.Protocol][]*Endpoint
}

type portName struct {
	protocol corev1.Protocol
	name     string
}

// New builds the engine for a snapshot and its pod groups. Problems with
// policies are reported as diagnostics of s.
func New(s *estate.Snapshot, groups []*workload.Group) *Engine {
	e := &Engine{
		byGroup:     map[*workload.Group]*Endpoint{},
		byNamespace: map[string][]*Endpoint{},
		nsLabels:    map[string]labels.Set{},
		byPort:      map[Port][]*Endpoint{},
		byPortName:  map[portName][]*Endpoint{},
		byProtocol:  map[corev1.Protocol][]*Endpoint{},
	}
	for d := range e.notIsolated {
		e.notIsolated[d] = []Reason{{Kind: NotIsolated, Direction: Direction(d),
			Text: fmt.Sprintf("not isolated for %s: no NetworkPolicy selects it", Direction(d))}}
		e.hostNetwork[d] = []Reason{{Kind: HostNetwork, Direction: Direction(d),
			Text: "hostNetwork pod: not subject to NetworkPolicy"}}
	}
	for _, ns := range s.Namespaces {
		e.nsLabels[ns.Name] = labels.Set(ns.Labels)
	}
	e.nodeAddrs = nodeAddresses(s.Nodes)
	blocks := map[string][2]bool{}
	for _, g := range groups {
		e.namespace(g.Namespace())
	}
	for _, np := range s.NetworkPolicies {
		e.namespace(np.Namespace)
		ref := estate.Ref{Kind: "NetworkPolicy", Namespace: np.Namespace, Name: np.Name}
		report := func(err error) {
			s.Report(&estate.Diagnostic{Severity: estate.Warning, Source: s.Sources[ref], Object: ref.String(),
				Err: fmt.Errorf("networkpolicy/%s/%s %w", np.Namespace, np.Name, err)})
		}
		p := compile(np, report)
		e.prepare(p, blocks)
		e.policies = append(e.policies, p)
	}
	for ns := range e.nsLabels {
		e.namespaces = append(e.namespaces, ns)
	}
	slices.Sort(e.namespaces)
	e.classify(groups)
	e.select_()
	for _, ep := range e.endpoints {
		ep.openEgress = e.openEgress(ep)
	}
	return e
}

// namespace makes sure a namespace only referenced has its name label, which
// the API server puts on every namespace.
func (e *Engine) namespace(ns string) {
	if _, ok := e.nsLabels[ns]; !ok {
		e.nsLabels[ns] = labels.Set{corev1.LabelMetadataName: ns}
	}
}

// nodeAddresses are the addresses traffic from a node carries inside the
// cluster: the InternalIPs (a node's external address faces the other way).
func nodeAddresses(nodes []*corev1.Node) []netip.Prefix {
	var out []netip.Prefix
	for _, n := range nodes {
		for _, a := range n.Status.Addresses {
			if a.Type != corev1.NodeInternalIP {
				continue
			}
			if addr, err := netip.ParseAddr(a.Address); err == nil {
				out = append(out, netip.PrefixFrom(addr, addr.BitLen()))
			}
		}
	}
	if len(out) == 0 {
		return private // unknown: nodes usually sit in private ranges
	}
	return out
}

// classify groups pod groups into endpoints.
func (e *Engine) classify(groups []*workload.Group) {
	bySig := map[string]*Endpoint{}
	for _, g := range groups {
		spec := &g.Template.Spec
		l := labels.Set(g.Template.Labels)
		ports := groupPorts(spec)
		sig := signature(g.Namespace(), l, ports, spec.HostNetwork)
		ep := bySig[sig]
		if ep == nil {
			ep = &Endpoint{Namespace: g.Namespace(), Labels: l, Ports: ports, HostNetwork: spec.HostNetwork,
				sig: sig, nsSet: e.nsLabels[g.Namespace()]}
			bySig[sig] = ep
			e.endpoints = append(e.endpoints, ep)
		}
		ep.Groups = append(ep.Groups, g)
		e.byGroup[g] = ep
	}
	slices.SortFunc(e.endpoints, func(a, b *Endpoint) int {
		return cmp.Or(cmp.Compare(a.Namespace, b.Namespace), cmp.Compare(a.Groups[0].Key, b.Groups[0].Key))
	})
	for i, ep := range e.endpoints {
		ep.id = i
		slices.SortFunc(ep.Groups, func(a, b *workload.Group) int { return cmp.Compare(a.Key, b.Key) })
		e.byNamespace[ep.Namespace] = append(e.byNamespace[ep.Namespace], ep)
		var protocols []corev1.Protocol
		for _, p := range ep.Ports {
			num := Port{Protocol: p.Protocol, Number: p.Number}
			if n := e.byPort[num]; len(n) == 0 || n[len(n)-1] != ep {
				e.byPort[num] = append(n, ep)
			}
			if p.Name != "" {
				k := portName{p.Protocol, p.Name}
				e.byPortName[k] = append(e.byPortName[k], ep)
			}
			if !slices.Contains(protocols, p.Protocol) {
				protocols = append(protocols, p.Protocol)
				e.byProtocol[p.Protocol] = append(e.byProtocol[p.Protocol], ep)
			}
		}
	}
}

// select_ finds the policies that select each endpoint, per direction.
// Cost: endpoints × policies of their namespace.
func (e *Engine) select_() {
	byNS := map[string][]*policy{}
	for _, p := range e.policies {
		byNS[p.namespace] = append(byNS[p.namespace], p)
	}
	for _, ep := range e.endpoints {
		if ep.HostNetwork {
			continue
		}
		for _, p := range byNS[ep.Namespace] {
			if !p.selector.Matches(ep.Labels) {
				continue
			}
			for d := range p.affects {
				if p.affects[d] {
					ep.policy[d] = append(ep.policy[d], p)
				}
			}
		}
	}
}

// Endpoints returns every endpoint, sorted.
func (e *Engine) Endpoints() []*Endpoint { return e.endpoints }

// EndpointOf returns the endpoint a pod group belongs to.
func (e *Engine) EndpointOf(g *workload.Group) *Endpoint { return e.byGroup[g] }
