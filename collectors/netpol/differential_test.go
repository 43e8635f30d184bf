package netpol_test

import (
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"slices"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/trustpath/trustpath/collectors/estate"
	"github.com/trustpath/trustpath/collectors/netpol"
	"github.com/trustpath/trustpath/collectors/workload"
)

// This file checks the class-based engine against a deliberately naive
// evaluator written from the API reference: every pod pair, every port,
// straight from the NetworkPolicy objects. They must agree on random
// clusters.

var (
	nsNames    = []string{"a", "b", "c"}
	labelKeys  = []string{"app", "tier"}
	labelVals  = []string{"x", "y", "z"}
	portNames  = []string{"http", "web", ""}
	portNums   = []int32{53, 80, 8080, 9090}
	protocols  = []corev1.Protocol{corev1.ProtocolTCP, corev1.ProtocolUDP}
	nodeAddr   = "10.0.0.1"
	cidrChoice = []string{"10.0.0.0/24", "0.0.0.0/0", "203.0.113.0/24", "10.0.0.1/32"}
)

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func randLabels(r *rand.Rand) map[string]string {
	l := map[string]string{}
	for _, k := range labelKeys {
		if r.IntN(3) > 0 {
			l[k] = pick(r, labelVals)
		}
	}
	return l
}

func randSelector(r *rand.Rand) *metav1.LabelSelector {
	s := &metav1.LabelSelector{}
	switch r.IntN(4) {
	case 0: // empty: everything
	case 1:
		s.MatchLabels = map[string]string{pick(r, labelKeys): pick(r, labelVals)}
	case 2:
		op := pick(r, []metav1.LabelSelectorOperator{metav1.LabelSelectorOpIn, metav1.LabelSelectorOpNotIn,
			metav1.LabelSelectorOpExists, metav1.LabelSelectorOpDoesNotExist})
		req := metav1.LabelSelectorRequirement{Key: pick(r, labelKeys), Operator: op}
		if op == metav1.LabelSelectorOpIn || op == metav1.LabelSelectorOpNotIn {
			req.Values = []string{pick(r, labelVals), pick(r, labelVals)}
		}
		s.MatchExpressions = []metav1.LabelSelectorRequirement{req}
	default:
		s.MatchLabels = randLabels(r)
	}
	return s
}

func randPeer(r *rand.Rand) networkingv1.NetworkPolicyPeer {
	switch r.IntN(5) {
	case 0:
		return networkingv1.NetworkPolicyPeer{PodSelector: randSelector(r)}
	case 1:
		return networkingv1.NetworkPolicyPeer{NamespaceSelector: randSelector(r)}
	case 2:
		return networkingv1.NetworkPolicyPeer{PodSelector: randSelector(r), NamespaceSelector: randSelector(r)}
	case 3:
		b := &networkingv1.IPBlock{CIDR: pick(r, cidrChoice)}
		if r.IntN(2) == 0 {
			b.Except = []string{"10.0.0.0/28"}
		}
		return networkingv1.NetworkPolicyPeer{IPBlock: b}
	}
	return networkingv1.NetworkPolicyPeer{NamespaceSelector: &metav1.LabelSelector{}}
}

func randPorts(r *rand.Rand) []networkingv1.NetworkPolicyPort {
	var out []networkingv1.NetworkPolicyPort
	for range r.IntN(3) {
		var p networkingv1.NetworkPolicyPort
		if r.IntN(3) > 0 {
			proto := pick(r, protocols)
			p.Protocol = &proto
		}
		switch r.IntN(4) {
		case 0: // no port: all ports of the protocol
		case 1:
			v := intstr.FromString(pick(r, portNames[:2]))
			p.Port = &v
		case 2:
			v := intstr.FromInt32(pick(r, portNums))
			p.Port = &v
		default:
			v := intstr.FromInt32(pick(r, portNums))
			end := v.IntVal + int32(r.IntN(9000))
			p.Port, p.EndPort = &v, &end
		}
		out = append(out, p)
	}
	return out
}

func randCluster(r *rand.Rand) *estate.Snapshot {
	s := estate.New("rand")
	s.Add(&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "n1"},
		Status: corev1.NodeStatus{Addresses: []corev1.NodeAddress{{Type: corev1.NodeInternalIP, Address: nodeAddr}}}}, estate.Source{}, "")
	for _, n := range nsNames {
		s.Add(&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: n, Labels: randLabels(r)}}, estate.Source{}, "")
	}
	for i := range 3 + r.IntN(6) {
		var ports []corev1.ContainerPort
		used := map[string]bool{}
		for range r.IntN(3) {
			p := corev1.ContainerPort{ContainerPort: pick(r, portNums), Protocol: pick(r, protocols), Name: pick(r, portNames)}
			if p.Name != "" && used[p.Name] {
				p.Name = ""
			}
			used[p.Name] = true
			ports = append(ports, p)
		}
		s.Add(&corev1.Pod{
			ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("p%d", i), Namespace: pick(r, nsNames), Labels: randLabels(r)},
			Spec: corev1.PodSpec{HostNetwork: r.IntN(8) == 0,
				Containers: []corev1.Container{{Name: "c", Ports: ports}}},
		}, estate.Source{}, "")
	}
	for i := range r.IntN(5) {
		np := &networkingv1.NetworkPolicy{ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("np%d", i), Namespace: pick(r, nsNames)}}
		np.Spec.PodSelector = *randSelector(r)
		switch r.IntN(4) {
		case 0:
			np.Spec.PolicyTypes = []networkingv1.PolicyType{networkingv1.PolicyTypeIngress}
		case 1:
			np.Spec.PolicyTypes = []networkingv1.PolicyType{networkingv1.PolicyTypeEgress}
		case 2:
			np.Spec.PolicyTypes = []networkingv1.PolicyType{networkingv1.PolicyTypeIngress, networkingv1.PolicyTypeEgress}
		}
		for range r.IntN(3) {
			rule := networkingv1.NetworkPolicyIngressRule{Ports: randPorts(r)}
			for range r.IntN(3) {
				rule.From = append(rule.From, randPeer(r))
			}
			np.Spec.Ingress = append(np.Spec.Ingress, rule)
		}
		for range r.IntN(3) {
			rule := networkingv1.NetworkPolicyEgressRule{Ports: randPorts(r)}
			for range r.IntN(3) {
				rule.To = append(rule.To, randPeer(r))
			}
			np.Spec.Egress = append(np.Spec.Egress, rule)
		}
		s.Add(np, estate.Source{}, "")
	}
	return s
}

// --- the reference evaluator, per pod pair, from the API reference ---

type refPod struct {
	key    string
	ns     string
	labels labels.Set
	host   bool
	ports  []corev1.ContainerPort
}

func sel(s *metav1.LabelSelector) labels.Selector {
	out, err := metav1.LabelSelectorAsSelector(s)
	if err != nil {
		panic(err) // generated selectors are valid
	}
	return out
}

func refAffects(np *networkingv1.NetworkPolicy, t networkingv1.PolicyType) bool {
	types := np.Spec.PolicyTypes
	if len(types) == 0 {
		types = []networkingv1.PolicyType{networkingv1.PolicyTypeIngress}
		if len(np.Spec.Egress) > 0 {
			types = append(types, networkingv1.PolicyTypeEgress)
		}
	}
	return slices.Contains(types, t)
}

func refPeer(s *estate.Snapshot, p networkingv1.NetworkPolicyPeer, policyNS string, other refPod) bool {
	if p.IPBlock != nil {
		if !other.host {
			return false
		}
		_, cidr, _ := net.ParseCIDR(p.IPBlock.CIDR)
		ip := net.ParseIP(nodeAddr)
		if !cidr.Contains(ip) {
			return false
		}
		for _, e := range p.IPBlock.Except {
			if _, ex, _ := net.ParseCIDR(e); ex.Contains(ip) {
				return false
			}
		}
		return true
	}
	if other.host {
		return false
	}
	if p.NamespaceSelector == nil {
		if other.ns != policyNS {
			return false
		}
	} else {
		var nsLabels labels.Set
		for _, n := range s.Namespaces {
			if n.Name == other.ns {
				nsLabels = n.Labels
			}
		}
		if !sel(p.NamespaceSelector).Matches(nsLabels) {
			return false
		}
	}
	return p.PodSelector == nil || sel(p.PodSelector).Matches(other.labels)
}

func refPorts(ports []networkingv1.NetworkPolicyPort, dst corev1.ContainerPort) bool {
	if len(ports) == 0 {
		return true
	}
	for _, p := range ports {
		proto := corev1.ProtocolTCP
		if p.Protocol != nil {
			proto = *p.Protocol
		}
		if proto != dst.Protocol {
			continue
		}
		switch {
		case p.Port == nil:
			return true
		case p.Port.Type == intstr.String:
			if dst.Name == p.Port.StrVal {
				return true
			}
		default:
			end := p.Port.IntVal
			if p.EndPort != nil {
				end = *p.EndPort
			}
			if p.Port.IntVal <= dst.ContainerPort && dst.ContainerPort <= end {
				return true
			}
		}
	}
	return false
}

func refAllowed(s *estate.Snapshot, src, dst refPod, port corev1.ContainerPort) bool {
	egress := true
	if !src.host {
		isolated, ok := false, false
		for _, np := range s.NetworkPolicies {
			if np.Namespace != src.ns || !refAffects(np, networkingv1.PolicyTypeEgress) || !sel(&np.Spec.PodSelector).Matches(src.labels) {
				continue
			}
			isolated = true
			for _, rule := range np.Spec.Egress {
				if !refPorts(rule.Ports, port) {
					continue
				}
				if len(rule.To) == 0 || slices.ContainsFunc(rule.To, func(p networkingv1.NetworkPolicyPeer) bool { return refPeer(s, p, np.Namespace, dst) }) {
					ok = true
				}
			}
		}
		egress = !isolated || ok
	}
	ingress := true
	if !dst.host {
		isolated, ok := false, false
		for _, np := range s.NetworkPolicies {
			if np.Namespace != dst.ns || !refAffects(np, networkingv1.PolicyTypeIngress) || !sel(&np.Spec.PodSelector).Matches(dst.labels) {
				continue
			}
			isolated = true
			for _, rule := range np.Spec.Ingress {
				if !refPorts(rule.Ports, port) {
					continue
				}
				if len(rule.From) == 0 || slices.ContainsFunc(rule.From, func(p networkingv1.NetworkPolicyPeer) bool { return refPeer(s, p, np.Namespace, src) }) {
					ok = true
				}
			}
		}
		ingress = !isolated || ok
	}
	return egress && ingress
}

// randomRuns is how many random clusters a property test tries: 400, 50
// with -short, or TRUSTPATH_DIFF_RUNS for a longer hunt on demand.
func randomRuns() int {
	if s := os.Getenv("TRUSTPATH_DIFF_RUNS"); s != "" {
		if n, err := strconv.Atoi(s); err == nil {
			return n
		}
	}
	if testing.Short() {
		return 50
	}
	return 400
}

// flowKey is one allowed (source group, destination group, port).
type flowKey struct{ from, to, port string }

func TestDifferential(t *testing.T) {
	t.Parallel()
	for seed := range randomRuns() {
		r := rand.New(rand.NewPCG(uint64(seed), 7))
		s := randCluster(r)
		groups := workload.Groups(s, "")
		e := netpol.New(s, groups)
		if len(s.Diagnostics) > 0 {
			t.Fatalf("seed %d: diagnostics %v", seed, s.Diagnostics)
		}

		var pods []refPod
		for _, g := range groups {
			spec := g.Template.Spec
			pods = append(pods, refPod{string(g.Key), g.Namespace(), labels.Set(g.Template.Labels), spec.HostNetwork, spec.Containers[0].Ports})
		}
		want := map[flowKey]bool{}
		for _, src := range pods {
			for _, dst := range pods {
				for _, p := range dst.ports {
					proto := p.Protocol
					if proto == "" {
						proto = corev1.ProtocolTCP
					}
					p.Protocol = proto
					if src.key != dst.key && refAllowed(s, src, dst, p) {
						want[flowKey{src.key, dst.key, netpol.Port{Protocol: proto, Number: p.ContainerPort}.String()}] = true
					}
				}
			}
		}

		got := map[flowKey]bool{}
		var open []*netpol.Endpoint
		for _, ep := range e.Endpoints() {
			if e.OpenEgress(ep) != nil {
				open = append(open, ep)
			}
		}
		for _, f := range e.Flows() {
			sources := []*netpol.Endpoint{f.From}
			if f.From == nil {
				sources = open
			}
			for _, src := range sources {
				for _, sg := range src.Groups {
					for _, dg := range f.To.Groups {
						for _, p := range f.Ports {
							if sg != dg {
								got[flowKey{string(sg.Key), string(dg.Key), p.String()}] = true
							}
						}
					}
				}
			}
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Fatalf("seed %d: engine and reference disagree (-reference +engine):\n%s", seed, d)
		}
	}
}
