package synth

import (
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// networkPolicies writes the namespace's share of NetworkPolicies. Most
// namespaces with policies start from a default deny (some for egress too,
// then with DNS and same-namespace egress allowed); the rest are
// allow-lists in every form the API has: pod and namespace selectors
// alone and together, matchExpressions, ipBlocks with except, named and
// numbered ports, endPort ranges, UDP.
func (g *nsGen) networkPolicies() {
	n := g.ns.policies
	if n == 0 {
		return
	}
	names := map[string]bool{}
	count := 0
	add := func(name string, spec networkingv1.NetworkPolicySpec) {
		if count >= n {
			return
		}
		np := &networkingv1.NetworkPolicy{Spec: spec}
		np.Name = unique(names, name)
		g.add(np, true)
		count++
	}
	all := metav1.LabelSelector{}
	ingress := []networkingv1.PolicyType{networkingv1.PolicyTypeIngress}
	egress := []networkingv1.PolicyType{networkingv1.PolicyTypeEgress}
	if g.r.chance(0.75) {
		if g.r.chance(0.4) {
			add("default-deny-all", networkingv1.NetworkPolicySpec{PodSelector: all,
				PolicyTypes: []networkingv1.PolicyType{networkingv1.PolicyTypeIngress, networkingv1.PolicyTypeEgress}})
			add("allow-dns", networkingv1.NetworkPolicySpec{PodSelector: all, PolicyTypes: egress,
				Egress: []networkingv1.NetworkPolicyEgressRule{{
					To: []networkingv1.NetworkPolicyPeer{{NamespaceSelector: named("kube-system"), PodSelector: matching("k8s-app", "kube-dns")}},
					Ports: []networkingv1.NetworkPolicyPort{
						{Protocol: new(corev1.ProtocolUDP), Port: new(intstr.FromInt32(53))},
						{Protocol: new(corev1.ProtocolTCP), Port: new(intstr.FromInt32(53))}}}}})
			add("allow-same-namespace-egress", networkingv1.NetworkPolicySpec{PodSelector: all, PolicyTypes: egress,
				Egress: []networkingv1.NetworkPolicyEgressRule{{To: []networkingv1.NetworkPolicyPeer{{PodSelector: &all}}}}})
		} else {
			add("default-deny-ingress", networkingv1.NetworkPolicySpec{PodSelector: all, PolicyTypes: ingress})
		}
	}
	fixed := []func(){
		func() {
			add("allow-from-ingress-controller", networkingv1.NetworkPolicySpec{PodSelector: *matching("tier", "web"),
				Ingress: []networkingv1.NetworkPolicyIngressRule{{
					From:  []networkingv1.NetworkPolicyPeer{{NamespaceSelector: named("ingress-nginx")}},
					Ports: []networkingv1.NetworkPolicyPort{{Port: new(intstr.FromString("http"))}}}}})
		},
		func() {
			add("allow-monitoring", networkingv1.NetworkPolicySpec{PodSelector: all,
				Ingress: []networkingv1.NetworkPolicyIngressRule{{
					From:  []networkingv1.NetworkPolicyPeer{{NamespaceSelector: named("monitoring"), PodSelector: matching("app.kubernetes.io/name", "prometheus")}},
					Ports: []networkingv1.NetworkPolicyPort{{Port: new(intstr.FromString("metrics"))}}}}})
		},
		func() {
			add("allow-egress-https", networkingv1.NetworkPolicySpec{PodSelector: *expression("tier", metav1.LabelSelectorOpIn, "web", "api"), PolicyTypes: egress,
				Egress: []networkingv1.NetworkPolicyEgressRule{{
					To: []networkingv1.NetworkPolicyPeer{{IPBlock: &networkingv1.IPBlock{CIDR: "0.0.0.0/0",
						Except: []string{"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"}}}},
					Ports: []networkingv1.NetworkPolicyPort{{Port: new(intstr.FromInt32(443))}}}}})
		},
		func() {
			add("allow-office", networkingv1.NetworkPolicySpec{PodSelector: *matching("tier", "web"),
				Ingress: []networkingv1.NetworkPolicyIngressRule{{
					From:  []networkingv1.NetworkPolicyPeer{{IPBlock: &networkingv1.IPBlock{CIDR: "203.0.113.0/24"}}},
					Ports: []networkingv1.NetworkPolicyPort{{Port: new(intstr.FromInt32(8000)), EndPort: new(int32(8090))}}}}})
		},
		func() {
			team := pick(g.r, g.c.namespaces).team
			add("allow-from-"+team, networkingv1.NetworkPolicySpec{PodSelector: *matching("tier", "api"),
				Ingress: []networkingv1.NetworkPolicyIngressRule{{
					From: []networkingv1.NetworkPolicyPeer{{NamespaceSelector: &metav1.LabelSelector{
						MatchLabels: map[string]string{"team": team, "env": "prod"}}}},
					Ports: []networkingv1.NetworkPolicyPort{{Port: new(intstr.FromString("http"))}, {Port: new(intstr.FromString("grpc"))}}}}})
		},
	}
	for _, i := range g.r.Perm(len(fixed)) {
		fixed[i]()
	}
	var serving []*workloadPlan
	for _, w := range g.ns.workloads {
		if len(w.ports) > 0 {
			serving = append(serving, w)
		}
	}
	for i := 0; count < n; i++ {
		if len(serving) == 0 {
			add("allow-same-namespace", networkingv1.NetworkPolicySpec{PodSelector: all,
				Ingress: []networkingv1.NetworkPolicyIngressRule{{From: []networkingv1.NetworkPolicyPeer{{PodSelector: &all}}}}})
			continue
		}
		w := serving[i%len(serving)]
		add("allow-to-"+w.name, networkingv1.NetworkPolicySpec{PodSelector: metav1.LabelSelector{MatchLabels: selectorOf(w)},
			Ingress: []networkingv1.NetworkPolicyIngressRule{g.allowRule(w, serving)}})
	}
}

// allowRule returns an ingress rule admitting some clients of w, in one of
// the forms the API offers.
func (g *nsGen) allowRule(w *workloadPlan, serving []*workloadPlan) networkingv1.NetworkPolicyIngressRule {
	var ports []networkingv1.NetworkPolicyPort
	for _, p := range w.ports {
		port := networkingv1.NetworkPolicyPort{Port: new(intstr.FromString(p.Name))}
		if g.r.chance(0.5) {
			port.Port = new(intstr.FromInt32(p.ContainerPort))
		}
		if p.Protocol != corev1.ProtocolTCP || g.r.chance(0.3) {
			port.Protocol = new(p.Protocol)
		}
		ports = append(ports, port)
	}
	var from []networkingv1.NetworkPolicyPeer
	switch g.r.IntN(6) {
	case 0:
		from = []networkingv1.NetworkPolicyPeer{{PodSelector: expression("tier", metav1.LabelSelectorOpIn, "web", "api")}}
	case 1:
		client := pick(g.r, serving)
		from = []networkingv1.NetworkPolicyPeer{{PodSelector: &metav1.LabelSelector{MatchLabels: selectorOf(client)}}}
	case 2:
		sel := matching("component", pick(g.r, []string{"c0", "c1", "c2", "c3"}))
		sel.MatchExpressions = []metav1.LabelSelectorRequirement{{Key: "track", Operator: metav1.LabelSelectorOpNotIn, Values: []string{"canary"}}}
		from = []networkingv1.NetworkPolicyPeer{{PodSelector: sel}}
	case 3:
		from = []networkingv1.NetworkPolicyPeer{{
			NamespaceSelector: expression("env", metav1.LabelSelectorOpIn, "prod", "staging"),
			PodSelector:       &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "tier", Operator: metav1.LabelSelectorOpExists}}}}}
	case 4:
		other := pick(g.r, g.c.namespaces)
		from = []networkingv1.NetworkPolicyPeer{
			{PodSelector: &metav1.LabelSelector{MatchLabels: selectorOf(pick(g.r, serving))}},
			{NamespaceSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"team": other.team}}}}
	default:
		from = []networkingv1.NetworkPolicyPeer{{PodSelector: &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{
			{Key: "tier", Operator: metav1.LabelSelectorOpExists},
			{Key: "legacy", Operator: metav1.LabelSelectorOpDoesNotExist}}}}}
		if len(ports) > 0 && g.r.chance(0.5) {
			ports = []networkingv1.NetworkPolicyPort{{Port: new(intstr.FromInt32(8000)), EndPort: new(int32(8100))}}
		}
	}
	return networkingv1.NetworkPolicyIngressRule{From: from, Ports: ports}
}

func matching(k, v string) *metav1.LabelSelector {
	return &metav1.LabelSelector{MatchLabels: map[string]string{k: v}}
}

// named selects a namespace by its name label, which the API server sets.
func named(ns string) *metav1.LabelSelector { return matching(corev1.LabelMetadataName, ns) }

func expression(k string, op metav1.LabelSelectorOperator, values ...string) *metav1.LabelSelector {
	return &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{{Key: k, Operator: op, Values: values}}}
}
