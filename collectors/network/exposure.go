package network

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/trustpath/trustpath/collectors/netpol"
	"github.com/trustpath/trustpath/graph"
)

// nodeReach says whether the internet reaches the cluster's nodes, which
// decides whether NodePorts, hostPorts and hostNetwork pods are exposed.
type nodeReach int

const (
	nodesUnknown nodeReach = iota // no Node objects in the input
	nodesPublic                   // some node has an external address
	nodesPrivate                  // nodes are listed, none with an external address
)

func reachOfNodes(nodes []*corev1.Node) nodeReach {
	if len(nodes) == 0 {
		return nodesUnknown
	}
	for _, n := range nodes {
		for _, a := range n.Status.Addresses {
			if a.Type == corev1.NodeExternalIP {
				return nodesPublic
			}
		}
	}
	return nodesPrivate
}

// exposed reports whether node ports are internet-facing, with a note when
// that is an assumption.
func (n nodeReach) exposed() (bool, string) {
	switch n {
	case nodesPublic:
		return true, ""
	case nodesPrivate:
		return false, ""
	}
	return true, "no Node objects in the input: assumes the nodes are reachable from the internet"
}

// internalLB are the annotations cloud providers read to give a Service of
// type LoadBalancer a private address instead of a public one.
var internalLB = map[string]string{
	"service.beta.kubernetes.io/aws-load-balancer-internal":              "",
	"service.beta.kubernetes.io/aws-load-balancer-scheme":                "internal",
	"networking.gke.io/load-balancer-type":                               "Internal",
	"cloud.google.com/load-balancer-type":                                "Internal",
	"service.beta.kubernetes.io/azure-load-balancer-internal":            "true",
	"service.beta.kubernetes.io/oci-load-balancer-internal":              "true",
	"service.beta.kubernetes.io/openstack-internal-load-balancer":        "true",
	"service.kubernetes.io/ibm-load-balancer-cloud-provider-ip-type":     "private",
	"service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type": "intranet",
}

func isInternalLB(svc *corev1.Service) bool {
	for k, v := range internalLB {
		got, ok := svc.Annotations[k]
		if ok && (v == "" || strings.EqualFold(got, v)) {
			return true
		}
	}
	return false
}

// services adds an edge from the internet to each Service exposed outside
// the cluster (LoadBalancer, NodePort, public externalIPs) when some pod
// group behind it admits the traffic on its target port.
func (b *builder) services() {
	for _, svc := range b.s.Services {
		var how, notes []string
		var present, missingCtl []string
		switch svc.Spec.Type {
		case corev1.ServiceTypeLoadBalancer:
			if isInternalLB(svc) {
				break
			}
			how = append(how, "type LoadBalancer")
			if r := svc.Spec.LoadBalancerSourceRanges; len(r) > 0 {
				present = append(present, "loadBalancerSourceRanges "+strings.Join(r, ","))
			} else {
				missingCtl = append(missingCtl, fmt.Sprintf("loadBalancerSourceRanges on service/%s/%s", svc.Namespace, svc.Name))
			}
		case corev1.ServiceTypeNodePort:
			if ok, note := b.nodes.exposed(); ok {
				how = append(how, "type NodePort")
				notes = appendNonEmpty(notes, note)
			}
		}
		if slices.ContainsFunc(svc.Spec.ExternalIPs, isPublic) {
			how = append(how, "externalIPs "+strings.Join(svc.Spec.ExternalIPs, ","))
		}
		if len(how) == 0 || len(svc.Spec.Selector) == 0 {
			continue
		}
		// A Service with externalTrafficPolicy Cluster (the default) hands
		// the traffic on through a node with source NAT: the policies of
		// the pods see a node's address, not the client's.
		source := netpol.Party{Kind: netpol.PartyNode}
		if svc.Spec.ExternalTrafficPolicy == corev1.ServiceExternalTrafficPolicyLocal {
			source = netpol.Internet
		}
		ev := []graph.Evidence{{Object: b.key(graph.KindService, svc.Namespace, svc.Name), Detail: strings.Join(how, "; ")}}
		admitted, isolated := false, false
		sel := labels.SelectorFromSet(svc.Spec.Selector)
		for _, pg := range b.groups {
			if pg.Namespace() != svc.Namespace || !sel.Matches(labels.Set(pg.Template.Labels)) {
				continue
			}
			ep := b.e.EndpointOf(pg)
			for _, sp := range svc.Spec.Ports {
				port, ok := targetPort(ep, sp)
				if !ok {
					continue
				}
				isolated = isolated || ep.Isolated(netpol.Ingress)
				if v := b.e.Check(source, netpol.PodParty(ep), port); v.Allowed {
					admitted = true
					ev = b.appendEvidence(ev, v.Ingress, pg.Key)
				}
			}
		}
		if !admitted {
			continue
		}
		if isolated && source.Kind == netpol.PartyNode {
			notes = append(notes, "externalTrafficPolicy: Cluster: the backends' NetworkPolicies see a node's address, not the client's, so their ipBlock rules do not filter clients")
		}
		var ports []string
		for _, sp := range svc.Spec.Ports {
			ports = append(ports, portString(sp.Protocol, sp.Port))
			if sp.NodePort != 0 && slices.Contains(how, "type NodePort") {
				ports = append(ports, portString(sp.Protocol, sp.NodePort))
			}
		}
		b.edge(graph.Internet, b.key(graph.KindService, svc.Namespace, svc.Name), graph.Edge{
			Technique: graph.TechExposed, Ports: ports, Evidence: ev,
			Present: present, Missing: missingCtl, Note: strings.Join(notes, "; ")})
	}
}

// targetPort resolves a Service port to the port of a backend endpoint:
// by number (targetPort, or the port itself when unset) or by name.
func targetPort(ep *netpol.Endpoint, sp corev1.ServicePort) (netpol.Port, bool) {
	proto := sp.Protocol
	if proto == "" {
		proto = corev1.ProtocolTCP
	}
	if sp.TargetPort.StrVal != "" {
		for _, p := range ep.Ports {
			if p.Name == sp.TargetPort.StrVal && p.Protocol == proto {
				return p, true
			}
		}
		return netpol.Port{}, false // the name resolves to nothing: no traffic
	}
	n := sp.TargetPort.IntVal
	if n == 0 {
		n = sp.Port
	}
	for _, p := range ep.Ports {
		if p.Number == n && p.Protocol == proto {
			return p, true
		}
	}
	return netpol.Port{Protocol: proto, Number: n}, true // an undeclared port may still listen
}

// ingresses adds an edge from the internet to each Ingress. The ingress
// controller is usually not in the input, so the edge assumes it is public
// and that the backends admit it, and says so.
func (b *builder) ingresses() {
	for _, ing := range b.s.Ingresses {
		if ing.Spec.DefaultBackend == nil && len(ing.Spec.Rules) == 0 {
			continue
		}
		ports := []string{"tcp/80"}
		if len(ing.Spec.TLS) > 0 {
			ports = append(ports, "tcp/443")
		}
		class := "default"
		if ing.Spec.IngressClassName != nil {
			class = *ing.Spec.IngressClassName
		}
		key := b.key(graph.KindIngress, ing.Namespace, ing.Name)
		b.edge(graph.Internet, key, graph.Edge{Technique: graph.TechExposed, Ports: ports,
			Evidence: []graph.Evidence{{Object: key, Detail: "ingress class " + class}},
			Note:     "assumes the ingress controller is internet-facing and admitted by the backends' NetworkPolicies"})
	}
}

// hostPorts adds an edge from the internet to pod groups that listen on
// their node's addresses: containers with a hostPort, and hostNetwork pods.
func (b *builder) hostPorts() {
	exposed, note := b.nodes.exposed()
	if !exposed {
		return
	}
	for _, pg := range b.groups {
		ep := b.e.EndpointOf(pg)
		spec := &pg.Template.Spec
		var ports []string
		var ev []graph.Evidence
		for _, c := range spec.Containers {
			for _, cp := range c.Ports {
				host := cp.HostPort
				if spec.HostNetwork && host == 0 {
					host = cp.ContainerPort
				}
				if host == 0 {
					continue
				}
				port := netpol.Port{Protocol: cp.Protocol, Number: cp.ContainerPort, Name: cp.Name}
				if port.Protocol == "" {
					port.Protocol = corev1.ProtocolTCP
				}
				v := b.e.Check(netpol.Internet, netpol.PodParty(ep), port)
				if !v.Allowed {
					continue
				}
				ports = append(ports, portString(cp.Protocol, host))
				detail := fmt.Sprintf("container %s: hostPort %d", c.Name, host)
				if spec.HostNetwork {
					detail = fmt.Sprintf("container %s: hostNetwork, port %d", c.Name, host)
				}
				ev = append(ev, graph.Evidence{Object: pg.Key, Detail: detail})
				ev = b.appendEvidence(ev, v.Ingress, pg.Key)
			}
		}
		if len(ports) == 0 {
			continue
		}
		b.edge(graph.Internet, pg.Key, graph.Edge{Technique: graph.TechExposed, Ports: ports, Evidence: ev, Note: note})
	}
}

func (b *builder) key(k graph.Kind, parts ...string) graph.Key {
	return graph.NewKey(b.prefix, k, parts...)
}

func isPublic(s string) bool {
	a, err := netip.ParseAddr(s)
	if err != nil {
		return false
	}
	return a.IsGlobalUnicast() && !a.IsPrivate()
}

func appendNonEmpty(s []string, v string) []string {
	if v == "" {
		return s
	}
	return append(s, v)
}
