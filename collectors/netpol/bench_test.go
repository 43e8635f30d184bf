package netpol_test

import (
	"fmt"
	"sync"
	"testing"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/trustpath/trustpath/collectors/estate"
	"github.com/trustpath/trustpath/collectors/netpol"
	"github.com/trustpath/trustpath/collectors/workload"
)

// The Flows benchmarks run on estates built to stress the enumeration
// rather than to look real (collectors/bench_test.go times the synthetic
// estates): every namespace of 20 pod classes holds policies whose peers
// select across the ten namespaces of a team, so that the candidates a
// destination's rules name outnumber the flows — their sources' own egress
// denies many — and every source with restricted egress names ports that
// admit every pod. The flows grow with the pods, and so should the time.

var benchEstates sync.Map // pods → *benchEstate

type benchEstate struct {
	s      *estate.Snapshot
	groups []*workload.Group
}

// stressEstate builds an estate of pods bare pods, 20 to a namespace, and
// five hostNetwork classes: node agents are a few classes, however many
// pods run.
func stressEstate(pods int) *benchEstate {
	if v, ok := benchEstates.Load(pods); ok {
		return v.(*benchEstate)
	}
	s := estate.New("bench")
	s.Add(&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "n1"},
		Status: corev1.NodeStatus{Addresses: []corev1.NodeAddress{{Type: corev1.NodeInternalIP, Address: "10.0.0.1"}}}}, estate.Source{}, "")
	tcp := corev1.ProtocolTCP
	port := func(p intstr.IntOrString) networkingv1.NetworkPolicyPort {
		return networkingv1.NetworkPolicyPort{Protocol: &tcp, Port: &p}
	}
	envs := []string{"prod", "staging", "dev"}
	for n := range pods / 20 {
		ns := fmt.Sprintf("ns%d", n)
		env := envs[n%len(envs)]
		team := fmt.Sprintf("t%d", n/10)
		s.Add(&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns, Labels: map[string]string{"env": env, "team": team}}}, estate.Source{}, "")
		for i := range 20 {
			tier := []string{"web", "api", "db"}[i%3]
			p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("p%d", i), Namespace: ns,
				Labels: map[string]string{"app": fmt.Sprintf("a%d", i), "tier": tier}},
				Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Ports: []corev1.ContainerPort{
					{Name: "http", ContainerPort: 8080, Protocol: tcp}, {Name: "metrics", ContainerPort: 9090, Protocol: tcp}}}}}}
			if n%10 == 0 && n < 50 && i == 0 {
				p.Spec.HostNetwork = true
			}
			s.Add(p, estate.Source{}, "")
		}
		add := func(name string, spec networkingv1.NetworkPolicySpec) {
			s.Add(&networkingv1.NetworkPolicy{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns}, Spec: spec}, estate.Source{}, "")
		}
		// Ingress to api pods from the api pods of the team's prod namespaces.
		add("api-from-prod", networkingv1.NetworkPolicySpec{
			PodSelector: metav1.LabelSelector{MatchLabels: map[string]string{"tier": "api"}},
			Ingress: []networkingv1.NetworkPolicyIngressRule{{
				From: []networkingv1.NetworkPolicyPeer{{
					NamespaceSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"env": "prod", "team": team}},
					PodSelector:       &metav1.LabelSelector{MatchLabels: map[string]string{"tier": "api"}}}},
				Ports: []networkingv1.NetworkPolicyPort{port(intstr.FromString("http"))}}}})
		// Metrics open to every pod.
		add("metrics", networkingv1.NetworkPolicySpec{PodSelector: metav1.LabelSelector{},
			Ingress: []networkingv1.NetworkPolicyIngressRule{{Ports: []networkingv1.NetworkPolicyPort{port(intstr.FromInt32(9090))}}}})
		switch n % 3 {
		case 0:
			// Default deny, egress to its own namespace, to the team's metrics and to nodes.
			add("deny", networkingv1.NetworkPolicySpec{PodSelector: metav1.LabelSelector{},
				PolicyTypes: []networkingv1.PolicyType{networkingv1.PolicyTypeIngress, networkingv1.PolicyTypeEgress}})
			add("egress", networkingv1.NetworkPolicySpec{PodSelector: metav1.LabelSelector{},
				PolicyTypes: []networkingv1.PolicyType{networkingv1.PolicyTypeEgress},
				Egress: []networkingv1.NetworkPolicyEgressRule{
					{To: []networkingv1.NetworkPolicyPeer{{PodSelector: &metav1.LabelSelector{}}}},
					{To: []networkingv1.NetworkPolicyPeer{{NamespaceSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"team": team}}}},
						Ports: []networkingv1.NetworkPolicyPort{port(intstr.FromInt32(9090))}},
					{To: []networkingv1.NetworkPolicyPeer{{IPBlock: &networkingv1.IPBlock{CIDR: "10.0.0.0/8"}}}}}})
		case 1:
			// Web pods admit their own team's namespaces.
			add("web-from-team", networkingv1.NetworkPolicySpec{
				PodSelector: metav1.LabelSelector{MatchLabels: map[string]string{"tier": "web"}},
				Ingress: []networkingv1.NetworkPolicyIngressRule{{From: []networkingv1.NetworkPolicyPeer{{
					NamespaceSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"team": team}}}}}}})
		}
	}
	groups := workload.Groups(s, "")
	v, _ := benchEstates.LoadOrStore(pods, &benchEstate{s: s, groups: groups})
	return v.(*benchEstate)
}

func BenchmarkFlows(b *testing.B) {
	for _, pods := range []int{1000, 5000, 20000} {
		b.Run(fmt.Sprintf("pods=%d", pods), func(b *testing.B) {
			if pods > 5000 && testing.Short() {
				b.Skip("large estate")
			}
			es := stressEstate(pods)
			e := netpol.New(es.s, es.groups)
			b.ReportAllocs()
			var flows []netpol.Flow
			for b.Loop() {
				flows = e.Flows()
			}
			if len(flows) == 0 {
				b.Fatal("no flows")
			}
			n := 0
			for _, f := range flows {
				if f.From != nil {
					n += len(f.Ports)
				}
			}
			b.ReportMetric(float64(n), "pair-ports")
		})
	}
}

func BenchmarkNew(b *testing.B) {
	for _, pods := range []int{1000, 20000} {
		b.Run(fmt.Sprintf("pods=%d", pods), func(b *testing.B) {
			if pods > 5000 && testing.Short() {
				b.Skip("large estate")
			}
			es := stressEstate(pods)
			b.ReportAllocs()
			for b.Loop() {
				if e := netpol.New(es.s, es.groups); len(e.Endpoints()) == 0 {
					b.Fatal("no endpoints")
				}
			}
		})
	}
}
