package network_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/trustpath/trustpath/collectors"
	"github.com/trustpath/trustpath/graph"
	"github.com/trustpath/trustpath/graph/graphtest"
)

func load(t *testing.T, sources ...collectors.Source) *graph.Graph {
	t.Helper()
	res, err := collectors.Load(t.Context(), collectors.Options{Sources: sources, DefaultNamespace: "default"})
	if err != nil {
		t.Fatal(err)
	}
	graphtest.Validate(t, res.Graph)
	return res.Graph
}

func loadYAML(t *testing.T, yaml string) *graph.Graph {
	t.Helper()
	res, err := collectors.Load(t.Context(), collectors.Options{DefaultNamespace: "default",
		Sources: []collectors.Source{{Cluster: "test", Path: "-"}}, Stdin: strings.NewReader(yaml)})
	if err != nil {
		t.Fatal(err)
	}
	graphtest.Validate(t, res.Graph)
	return res.Graph
}

func edge(g *graph.Graph, from, to graph.Key, tech graph.Technique) *graph.Edge {
	f := g.Lookup(from)
	if f == nil {
		return nil
	}
	for _, e := range g.EdgesFrom(f) {
		if e.T.Key == to && e.Technique == tech {
			return e
		}
	}
	return nil
}

func deployment(ns, name string, extra string, ports ...string) string {
	var ps []string
	for _, p := range ports {
		ps = append(ps, "{containerPort: "+p+", name: p"+p+"}")
	}
	return fmt.Sprintf(`---
apiVersion: apps/v1
kind: Deployment
metadata: {name: %[2]s, namespace: %[1]s}
spec:
  selector: {matchLabels: {app: %[2]s}}
  template:
    metadata: {labels: {app: %[2]s}}
    spec:
      automountServiceAccountToken: false
%[3]s      containers: [{name: c, image: x, ports: [%[4]s]}]
`, ns, name, extra, strings.Join(ps, ", "))
}

// TestNoPolicyClusterIsLinear: without policies every pod may reach every
// other, which the hub carries in 2 edges per pod group instead of one per
// pair.
func TestNoPolicyClusterIsLinear(t *testing.T) {
	t.Parallel()
	var y strings.Builder
	const n = 30
	for i := range n {
		y.WriteString(deployment(fmt.Sprintf("ns%d", i%3), fmt.Sprintf("app%d", i), "", "8080"))
	}
	g := loadYAML(t, y.String())
	hub := graph.Key("pod-network")
	connects := 0
	for _, e := range g.Edges() {
		if e.Technique != graph.TechConnect {
			continue
		}
		connects++
		if e.F.Key != hub && e.T.Key != hub {
			t.Errorf("pairwise edge %s -> %s in a cluster without policies", e.F.Key, e.T.Key)
		}
	}
	if connects != 2*n {
		t.Errorf("got %d connect edges, want %d (one to and one from the hub per group)", connects, 2*n)
	}
	e := edge(g, hub, "deployment/ns1/app1", graph.TechConnect)
	if e == nil || !slices.Equal(e.Ports, []string{"tcp/8080"}) {
		t.Fatalf("hub -> app1: %+v", e)
	}
	if !slices.Equal(e.Missing, []string{"ingress NetworkPolicy for deployment/ns1/app1"}) {
		t.Errorf("hub -> app1 missing controls = %q", e.Missing)
	}
}

const publicNode = `---
apiVersion: v1
kind: Node
metadata: {name: n1}
status: {addresses: [{type: InternalIP, address: 10.0.0.1}, {type: ExternalIP, address: 203.0.113.10}]}
`

const privateNode = `---
apiVersion: v1
kind: Node
metadata: {name: n1}
status: {addresses: [{type: InternalIP, address: 10.0.0.1}]}
`

func service(name, typ, extra string) string {
	return fmt.Sprintf(`---
apiVersion: v1
kind: Service
metadata: {name: %[1]s, namespace: shop%[3]s}
spec:
  type: %[2]s
  selector: {app: web}
  ports: [{port: 80, targetPort: p8080}]
`, name, typ, extra)
}

// allowOnly admits ingress to web only from the given ipBlock.
func allowOnly(cidr string) string {
	return `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress: [{from: [{ipBlock: {cidr: ` + cidr + `}}]}]
`
}

// TestExposure checks which Services the internet reaches, from the
// Service and NetworkPolicy documentation: LoadBalancer and NodePort
// expose, internal load balancers do not, NodePorts need reachable nodes,
// and with externalTrafficPolicy Cluster the policy sees the node's address.
func TestExposure(t *testing.T) {
	t.Parallel()
	web := deployment("shop", "web", "", "8080")
	tests := []struct {
		name, yaml string
		exposed    bool
		check      func(t *testing.T, e *graph.Edge)
	}{
		{"load balancer", web + service("svc", "LoadBalancer", ""), true, func(t *testing.T, e *graph.Edge) {
			if !slices.Equal(e.Missing, []string{"loadBalancerSourceRanges on service/shop/svc"}) {
				t.Errorf("missing = %q", e.Missing)
			}
		}},
		{"load balancer with source ranges", web + strings.Replace(service("svc", "LoadBalancer", ""), "  ports:", "  loadBalancerSourceRanges: [198.51.100.0/24]\n  ports:", 1), true, func(t *testing.T, e *graph.Edge) {
			if len(e.Missing) != 0 || !slices.Equal(e.Present, []string{"loadBalancerSourceRanges 198.51.100.0/24"}) {
				t.Errorf("present = %q, missing = %q", e.Present, e.Missing)
			}
		}},
		{"internal load balancer", web + service("svc", "LoadBalancer", ", annotations: {networking.gke.io/load-balancer-type: Internal}"), false, nil},
		{"cluster IP", web + service("svc", "ClusterIP", ""), false, nil},
		{"node port, public nodes", web + publicNode + service("svc", "NodePort", ""), true, nil},
		{"node port, private nodes", web + privateNode + service("svc", "NodePort", ""), false, nil},
		{"node port, nodes unknown", web + service("svc", "NodePort", ""), true, func(t *testing.T, e *graph.Edge) {
			if !strings.Contains(e.Note, "assumes the nodes are reachable") {
				t.Errorf("note = %q", e.Note)
			}
		}},
		// The policy admits only public addresses; source NAT to the node's
		// 10.0.0.1 means no client gets through.
		{"SNAT hides the client from an ipBlock", web + publicNode + service("svc", "LoadBalancer", "") + allowOnly("0.0.0.0/0, except: [10.0.0.0/8]"), false, nil},
		{"local traffic policy keeps the client", web + publicNode + strings.Replace(service("svc", "LoadBalancer", ""), "  ports:", "  externalTrafficPolicy: Local\n  ports:", 1) + allowOnly("0.0.0.0/0, except: [10.0.0.0/8]"), true, nil},
		// The policy meant "internal only" but every client arrives as a node.
		{"SNAT makes an internal-only ipBlock admit everyone", web + publicNode + service("svc", "LoadBalancer", "") + allowOnly("10.0.0.0/8"), true, func(t *testing.T, e *graph.Edge) {
			if !strings.Contains(e.Note, "externalTrafficPolicy: Cluster") {
				t.Errorf("note = %q", e.Note)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := loadYAML(t, tt.yaml)
			e := edge(g, graph.Internet, "service/shop/svc", graph.TechExposed)
			if (e != nil) != tt.exposed {
				t.Fatalf("internet -> service/shop/svc: %v, want exposed %t", e, tt.exposed)
			}
			if e != nil && tt.check != nil {
				tt.check(t, e)
			}
		})
	}
}

func TestHostPortsAndEgress(t *testing.T) {
	t.Parallel()
	agent := strings.Replace(deployment("mon", "agent", "", "9100"), "name: p9100}", "name: p9100, hostPort: 9100}", 1)
	hostNet := deployment("mon", "hostnet", "      hostNetwork: true\n", "10250")
	locked := deployment("shop", "locked", "", "8080") + `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: egress, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress: [{to: [{ipBlock: {cidr: 0.0.0.0/0, except: [10.0.0.0/8]}}], ports: [{port: 443}]}]
`
	g := loadYAML(t, publicNode+agent+hostNet+locked)
	if e := edge(g, graph.Internet, "deployment/mon/agent", graph.TechExposed); e == nil || !slices.Equal(e.Ports, []string{"tcp/9100"}) {
		t.Errorf("internet -> agent via hostPort: %+v", e)
	}
	if e := edge(g, graph.Internet, "deployment/mon/hostnet", graph.TechExposed); e == nil || !slices.Equal(e.Ports, []string{"tcp/10250"}) {
		t.Errorf("internet -> hostNetwork pod: %+v", e)
	}
	// Connections leave from the containers.
	if e := edge(g, "container/shop/locked/c", graph.Internet, graph.TechEgressInternet); e == nil || !slices.Equal(e.Ports, []string{"tcp/443"}) {
		t.Errorf("locked -> internet: %+v, want tcp/443 only", e)
	}
	if e := edge(g, "container/shop/locked/c", "pod-network", graph.TechConnect); e != nil {
		t.Errorf("locked may reach no pod, yet has %+v", e)
	}
	if e := edge(g, "container/mon/agent/c", graph.Internet, graph.TechEgressInternet); e == nil || !slices.Equal(e.Ports, []string{"any"}) {
		t.Errorf("agent -> internet: %+v", e)
	}
	// Reaching a pod is not speaking as it: the pod group itself sends nothing.
	for _, e := range g.EdgesFrom(g.Lookup("deployment/shop/locked")) {
		if e.Technique != graph.TechExploit {
			t.Errorf("the pod group sends %s -[%s]-> %s; only its containers may", e.F.Key, e.Technique, e.T.Key)
		}
	}
}

// TestDemoNetwork checks the network facts testdata/demo/README.md states.
func TestDemoNetwork(t *testing.T) {
	t.Parallel()
	dir := filepath.Join("..", "..", "testdata", "demo")
	g := load(t, collectors.Source{Cluster: "prod", Path: filepath.Join(dir, "prod")},
		collectors.Source{Cluster: "staging", Path: filepath.Join(dir, "staging")})
	present := []struct {
		from, to graph.Key
		tech     graph.Technique
	}{
		{graph.Internet, "prod:ingress/shop/web", graph.TechExposed},
		{graph.Internet, "prod:service/shop/frontend", graph.TechExposed},
		{graph.Internet, "prod:service/legacy/reports", graph.TechExposed},
		{graph.Internet, "prod:daemonset/monitoring/node-exporter", graph.TechExposed},
		{graph.Internet, "staging:service/shop/frontend", graph.TechExposed},
		// shop has no NetworkPolicy: frontend reaches api and db through the hub.
		{"prod:container/shop/frontend/frontend", "prod:pod-network", graph.TechConnect},
		{"prod:pod-network", "prod:deployment/shop/api", graph.TechConnect},
		{"prod:pod-network", "prod:statefulset/shop/db", graph.TechConnect},
		// allow-from-shop-api: only api reaches the processor.
		{"prod:container/shop/api/api", "prod:deployment/payments/processor", graph.TechConnect},
		// allow-stripe-egress and allow-dns.
		{"prod:container/payments/processor/processor", graph.Internet, graph.TechEgressInternet},
		{"prod:container/payments/processor/processor", "prod:deployment/kube-system/coredns", graph.TechConnect},
		// The staging runner can reach the internet, and so prod's exposed endpoints.
		{"staging:container/ci/runner/runner", graph.Internet, graph.TechEgressInternet},
	}
	for _, p := range present {
		if edge(g, p.from, p.to, p.tech) == nil {
			t.Errorf("no edge %s -[%s]-> %s", p.from, p.tech, p.to)
		}
	}
	if e := edge(g, "prod:container/shop/api/api", "prod:deployment/payments/processor", graph.TechConnect); e != nil {
		if !slices.Equal(e.Ports, []string{"tcp/8443"}) || e.Boundary != graph.BoundaryNamespace {
			t.Errorf("api -> processor: ports %q crossing %s, want tcp/8443 crossing namespace", e.Ports, e.Boundary)
		}
	}
	if e := edge(g, "prod:container/payments/processor/processor", graph.Internet, graph.TechEgressInternet); e != nil && !slices.Equal(e.Ports, []string{"tcp/443"}) {
		t.Errorf("processor -> internet on %q, want tcp/443", e.Ports)
	}
	// Blocked 1 and 2: nothing reaches the processor but api.
	processor := g.Lookup("prod:deployment/payments/processor")
	for _, e := range g.Edges() {
		if e.T == processor && e.Technique == graph.TechConnect && e.F.Key != "prod:container/shop/api/api" {
			t.Errorf("%s reaches the processor; only shop/api may", e.F.Key)
		}
	}
	if edge(g, graph.Internet, "prod:service/payments/processor", graph.TechExposed) != nil {
		t.Error("the processor's ClusterIP Service is exposed to the internet")
	}
	if edge(g, "prod:container/payments/processor/processor", "prod:pod-network", graph.TechConnect) != nil {
		t.Error("default-deny egress in payments, yet the processor reaches any pod")
	}
}
