package collectors

import (
	"errors"
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/trustpath/trustpath/collectors/netpol"
	"github.com/trustpath/trustpath/collectors/workload"
	"github.com/trustpath/trustpath/graph"
)

// FlowVerdict answers whether one endpoint may connect to another, with the
// reasons at each side.
type FlowVerdict struct {
	Allowed bool
	Egress  []string // at the source
	Ingress []string // at the destination
}

// ErrNotAnEndpoint is returned when a vertex given to CheckFlow is not a
// pod group, a container or the internet.
var ErrNotAnEndpoint = errors.New("not a network endpoint")

// CheckFlow decides whether src may open a connection to dst on port (one
// protocol and number), by NetworkPolicy and, from the internet, by what
// exposes dst. src and dst are pod groups, containers (their pod's network
// identity) or the internet.
func (r *Result) CheckFlow(src, dst *graph.Vertex, port graph.PortSpec) (FlowVerdict, error) {
	if port.Protocol == "" || port.From == 0 || port.From != port.To {
		return FlowVerdict{}, fmt.Errorf("give one port, e.g. tcp/8080; got %s", port)
	}
	proto := corev1.Protocol(strings.ToUpper(port.Protocol))
	switch {
	case src.Key == graph.Internet && dst.Key == graph.Internet:
		return FlowVerdict{}, fmt.Errorf("%w: internet to internet", ErrNotAnEndpoint)
	case dst.Key == graph.Internet:
		c, ep, err := r.endpoint(src)
		if err != nil {
			return FlowVerdict{}, err
		}
		ports, why := c.Network.InternetEgress(ep)
		v := FlowVerdict{Egress: texts(why), Ingress: []string{"the internet is not subject to NetworkPolicy"}}
		for _, s := range ports {
			if p, err := graph.ParsePort(s); err == nil && p.Covers(port) {
				v.Allowed = true
			}
		}
		if !v.Allowed && len(v.Egress) == 0 {
			v.Egress = []string{"egress isolated; no rule admits internet addresses"}
		} else if !v.Allowed {
			v.Egress = append(v.Egress, fmt.Sprintf("but not on %s", port))
		}
		return v, nil
	case src.Key == graph.Internet:
		c, ep, err := r.endpoint(dst)
		if err != nil {
			return FlowVerdict{}, err
		}
		via, party := r.exposure(dst)
		if via == "" {
			return FlowVerdict{Egress: []string{"the internet is not subject to NetworkPolicy"},
				Ingress: []string{"not exposed: no LoadBalancer or NodePort Service, Ingress, hostPort or hostNetwork port leads to it"}}, nil
		}
		v := c.Network.Check(party, netpol.PodParty(ep), destPort(ep, proto, port.From))
		return FlowVerdict{Allowed: v.Allowed, Egress: []string{"the internet is not subject to NetworkPolicy; exposed through " + via},
			Ingress: texts(v.Ingress)}, nil
	}
	cs, sep, err := r.endpoint(src)
	if err != nil {
		return FlowVerdict{}, err
	}
	cd, dep, err := r.endpoint(dst)
	if err != nil {
		return FlowVerdict{}, err
	}
	if cs != cd {
		return FlowVerdict{}, fmt.Errorf("%s and %s are in different clusters: traffic between them crosses the internet; check %s internet and internet %s", src.Key, dst.Key, src.Key, dst.Key)
	}
	v := cs.Network.Check(netpol.PodParty(sep), netpol.PodParty(dep), destPort(dep, proto, port.From))
	return FlowVerdict{Allowed: v.Allowed, Egress: texts(v.Egress), Ingress: texts(v.Ingress)}, nil
}

// endpoint finds the cluster and network endpoint of a pod group or
// container vertex.
func (r *Result) endpoint(v *graph.Vertex) (*Cluster, *netpol.Endpoint, error) {
	key := v.Key
	if v.Kind == graph.KindContainer {
		key = v.Loc.Pod
	}
	if !key.Kind().IsWorkload() {
		return nil, nil, fmt.Errorf("%w: %s is a %s; give a pod group, a container or internet", ErrNotAnEndpoint, v.Key, v.Kind)
	}
	for _, c := range r.Clusters {
		if c.Snapshot.Cluster != v.Loc.Cluster {
			continue
		}
		if g := groupByKey(c.Groups, key); g != nil {
			return c, c.Network.EndpointOf(g), nil
		}
	}
	return nil, nil, fmt.Errorf("%w: no pod group %s", ErrNotAnEndpoint, key)
}

func groupByKey(groups []*workload.Group, k graph.Key) *workload.Group {
	for _, g := range groups {
		if g.Key == k {
			return g
		}
	}
	return nil
}

// exposure finds how the internet reaches a pod group in the graph: an
// exposure edge to it, to a Service routing to it, or to an Ingress routing
// to such a Service. It returns the exposed vertex's key and the party the
// pod's policies see: a node's address behind a Service whose
// externalTrafficPolicy is Cluster, otherwise the client's.
func (r *Result) exposure(dst *graph.Vertex) (string, netpol.Party) {
	if dst.Kind == graph.KindContainer {
		dst = r.Graph.Lookup(dst.Loc.Pod)
	}
	for _, in := range r.Graph.EdgesTo(dst) {
		switch {
		case in.F.Key == graph.Internet && in.Technique == graph.TechExposed:
			return string(dst.Key), netpol.Internet
		case in.F.Kind == graph.KindService && in.Technique == graph.TechServiceRoute:
			for _, e := range r.Graph.EdgesTo(in.F) {
				exposed := e.F.Key == graph.Internet && e.Technique == graph.TechExposed
				viaIngress := e.F.Kind == graph.KindIngress && e.Technique == graph.TechIngressRoute &&
					hasExposure(r.Graph, e.F)
				if exposed || viaIngress {
					return string(in.F.Key), r.serviceSource(in.F)
				}
			}
		}
	}
	return "", netpol.Party{}
}

func hasExposure(g *graph.Graph, v *graph.Vertex) bool {
	for _, e := range g.EdgesTo(v) {
		if e.F.Key == graph.Internet && e.Technique == graph.TechExposed {
			return true
		}
	}
	return false
}

// serviceSource is the party a Service's backends see for external traffic.
func (r *Result) serviceSource(svc *graph.Vertex) netpol.Party {
	for _, c := range r.Clusters {
		if c.Snapshot.Cluster != svc.Loc.Cluster {
			continue
		}
		for _, s := range c.Snapshot.Services {
			if s.Namespace == svc.Loc.Namespace && s.Name == svc.Name &&
				s.Spec.ExternalTrafficPolicy == corev1.ServiceExternalTrafficPolicyLocal {
				return netpol.Internet
			}
		}
	}
	return netpol.Party{Kind: netpol.PartyNode}
}

// destPort is the destination's declared port with that protocol and
// number (so a named-port rule can match), or the bare port.
func destPort(ep *netpol.Endpoint, proto corev1.Protocol, n int32) netpol.Port {
	for _, p := range ep.Ports {
		if p.Protocol == proto && p.Number == n {
			return p
		}
	}
	return netpol.Port{Protocol: proto, Number: n}
}

func texts(rs []netpol.Reason) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Text
	}
	return out
}
