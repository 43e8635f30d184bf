package synth

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// services writes the Service of each workload that has one. Ports map to
// the main container's ports, by name or by number; a web port "http" is
// served on 80. StatefulSets also get their headless governing Service.
func (g *nsGen) services() {
	for _, w := range g.ns.workloads {
		if w.service == "" {
			continue
		}
		svc := &corev1.Service{Spec: corev1.ServiceSpec{Type: w.service, Selector: selectorOf(w)}}
		svc.Name = w.name
		if w.kind == kindStatefulSet {
			svc.Name = w.name + "-client"
		}
		svc.Labels = selectorOf(w)
		for _, p := range w.ports {
			sp := corev1.ServicePort{Name: p.Name, Protocol: p.Protocol, Port: p.ContainerPort, TargetPort: intstr.FromString(p.Name)}
			if p.Name == "http" && w.tier == tierWeb {
				sp.Port = 80
			}
			if !w.system && g.r.chance(0.3) {
				sp.TargetPort = intstr.FromInt32(p.ContainerPort)
			}
			if w.service == corev1.ServiceTypeNodePort || w.service == corev1.ServiceTypeLoadBalancer {
				sp.NodePort = int32(30000 + g.r.IntN(2768))
			}
			svc.Spec.Ports = append(svc.Spec.Ports, sp)
		}
		switch w.service {
		case corev1.ServiceTypeLoadBalancer:
			svc.Spec.ExternalTrafficPolicy = corev1.ServiceExternalTrafficPolicyCluster
			switch x := g.r.Float64(); {
			case w.system:
				svc.Spec.ExternalTrafficPolicy = corev1.ServiceExternalTrafficPolicyLocal
			case x < 0.3:
				svc.Annotations = map[string]string{"service.beta.kubernetes.io/aws-load-balancer-internal": "true"}
			case x < 0.5:
				svc.Spec.LoadBalancerSourceRanges = []string{"203.0.113.0/24", "198.51.100.0/24"}
			}
		case corev1.ServiceTypeNodePort:
			svc.Spec.ExternalTrafficPolicy = corev1.ServiceExternalTrafficPolicyCluster
		}
		g.add(svc, !w.system)
		g.serviceStatus(svc)
		if w.kind == kindStatefulSet {
			first := svc.Spec.Ports[0]
			headless := &corev1.Service{Spec: corev1.ServiceSpec{ClusterIP: corev1.ClusterIPNone, Selector: selectorOf(w),
				Ports: []corev1.ServicePort{{Name: first.Name, Port: first.Port, Protocol: first.Protocol, TargetPort: first.TargetPort}}}}
			headless.Name, headless.Labels = w.name, selectorOf(w)
			g.add(headless, !w.system)
			g.serviceStatus(headless)
		}
	}
}

// serviceStatus fills in what the API server and the cloud give a Service
// in a dump.
func (g *nsGen) serviceStatus(svc *corev1.Service) {
	if !g.o.Dump {
		return
	}
	s := &svc.Spec
	if s.Type == "" {
		s.Type = corev1.ServiceTypeClusterIP
	}
	if s.ClusterIP == "" {
		s.ClusterIP = fmt.Sprintf("172.20.%d.%d", g.r.IntN(256), 1+g.r.IntN(254))
	}
	s.ClusterIPs = []string{s.ClusterIP}
	s.SessionAffinity = corev1.ServiceAffinityNone
	s.IPFamilies = []corev1.IPFamily{corev1.IPv4Protocol}
	s.IPFamilyPolicy = new(corev1.IPFamilyPolicySingleStack)
	s.InternalTrafficPolicy = new(corev1.ServiceInternalTrafficPolicyCluster)
	for i := range s.Ports {
		if s.Ports[i].Protocol == "" {
			s.Ports[i].Protocol = corev1.ProtocolTCP
		}
	}
	if s.Type == corev1.ServiceTypeLoadBalancer {
		svc.Status.LoadBalancer.Ingress = []corev1.LoadBalancerIngress{{
			Hostname: fmt.Sprintf("a%s-%d.eu-west-1.elb.amazonaws.com", g.r.hex(32), g.r.IntN(1_000_000_000))}}
	}
}

// ingresses writes the namespace's Ingresses, each routing a host to
// Services of the namespace, with a certificate Secret while the
// namespace's share of Secrets lasts.
func (g *nsGen) ingresses() {
	backends := g.backends()
	if len(backends) == 0 {
		return
	}
	class := "nginx"
	for i := range g.ns.ingresses {
		w, name := ingressOf(backends, i)
		host := fmt.Sprintf("%s.%s.example.com", name, g.ns.name)
		backend := func(w *workloadPlan) networkingv1.IngressBackend {
			svc := w.name
			if w.kind == kindStatefulSet {
				svc += "-client"
			}
			port := w.ports[0]
			b := networkingv1.IngressServiceBackend{Name: svc, Port: networkingv1.ServiceBackendPort{Name: port.Name}}
			if port.Name == "http" && w.tier == tierWeb {
				b.Port = networkingv1.ServiceBackendPort{Number: 80}
			}
			return networkingv1.IngressBackend{Service: &b}
		}
		prefix := networkingv1.PathTypePrefix
		paths := []networkingv1.HTTPIngressPath{{Path: "/", PathType: &prefix, Backend: backend(w)}}
		if len(backends) > 1 && g.r.chance(0.4) {
			other := backends[(i+1)%len(backends)]
			paths = append(paths, networkingv1.HTTPIngressPath{Path: "/api", PathType: &prefix, Backend: backend(other)})
		}
		ing := &networkingv1.Ingress{Spec: networkingv1.IngressSpec{IngressClassName: &class,
			Rules: []networkingv1.IngressRule{{Host: host, IngressRuleValue: networkingv1.IngressRuleValue{
				HTTP: &networkingv1.HTTPIngressRuleValue{Paths: paths}}}}}}
		ing.Name = name
		if i < g.ns.tlsSecrets {
			ing.Spec.TLS = []networkingv1.IngressTLS{{Hosts: []string{host}, SecretName: name + "-tls"}}
			ing.Annotations = map[string]string{"cert-manager.io/cluster-issuer": "letsencrypt"}
		}
		if g.r.chance(0.1) {
			b := backend(w)
			ing.Spec.DefaultBackend = &b
		}
		g.add(ing, true)
		if g.o.Dump {
			ing.Status.LoadBalancer.Ingress = []networkingv1.IngressLoadBalancerIngress{{
				Hostname: fmt.Sprintf("a%s.eu-west-1.elb.amazonaws.com", g.r.hex(32))}}
		}
	}
}

// backends are the workloads an Ingress may route to.
func (g *nsGen) backends() []*workloadPlan {
	var out []*workloadPlan
	for _, w := range g.ns.workloads {
		if w.service != "" && (w.tier == tierWeb || w.tier == tierAPI) {
			out = append(out, w)
		}
	}
	return out
}

// ingressOf returns the workload the i-th Ingress routes to, and the
// Ingress's name.
func ingressOf(backends []*workloadPlan, i int) (*workloadPlan, string) {
	w := backends[i%len(backends)]
	if i < len(backends) {
		return w, w.name
	}
	return w, fmt.Sprintf("%s-%d", w.name, i/len(backends)+1)
}

// tlsNames returns the names of the namespace's Ingresses that carry a
// certificate, which their Secrets are named after.
func (g *nsGen) tlsNames() []string {
	backends := g.backends()
	if len(backends) == 0 {
		return nil
	}
	var out []string
	for i := range g.ns.tlsSecrets {
		_, name := ingressOf(backends, i)
		out = append(out, name)
	}
	return out
}
