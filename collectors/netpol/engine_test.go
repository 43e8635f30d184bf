package netpol_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/trustpath/trustpath/collectors/estate"
	"github.com/trustpath/trustpath/collectors/manifest"
	"github.com/trustpath/trustpath/collectors/netpol"
	"github.com/trustpath/trustpath/collectors/workload"
	"github.com/trustpath/trustpath/graph"
)

// estateOf decodes manifests and builds the engine over them.
func estateOf(t testing.TB, yaml string) (*netpol.Engine, []*workload.Group, *estate.Snapshot) {
	t.Helper()
	s := estate.New("test")
	if err := manifest.Read(t.Context(), strings.NewReader(yaml), "case.yaml", s, manifest.Options{DefaultNamespace: "default"}); err != nil {
		t.Fatal(err)
	}
	for _, d := range s.Diagnostics {
		if d.Severity == estate.Error {
			t.Fatalf("fixture: %v", d)
		}
	}
	groups := workload.Groups(s, "")
	return netpol.New(s, groups), groups, s
}

func endpoint(t testing.TB, e *netpol.Engine, groups []*workload.Group, key string) *netpol.Endpoint {
	t.Helper()
	for _, g := range groups {
		if g.Key == graph.Key(key) {
			return e.EndpointOf(g)
		}
	}
	t.Fatalf("no pod group %s", key)
	return nil
}

func port(t testing.TB, ep *netpol.Endpoint, spec string) netpol.Port {
	t.Helper()
	for _, p := range ep.Ports {
		if p.String() == spec {
			return p
		}
	}
	t.Fatalf("endpoint has no port %s; has %v", spec, ep.Ports)
	return netpol.Port{}
}

// pod writes a bare Pod; ports are "name:proto/number" or "proto/number".
func pod(ns, name, labels string, hostNetwork bool, ports ...string) string {
	var ps []string
	for _, p := range ports {
		n, pp, _ := strings.Cut(p, ":")
		if pp == "" {
			n, pp = "", p
		}
		proto, num, _ := strings.Cut(pp, "/")
		entry := fmt.Sprintf("{containerPort: %s, protocol: %s", num, strings.ToUpper(proto))
		if n != "" {
			entry += ", name: " + n
		}
		ps = append(ps, entry+"}")
	}
	return fmt.Sprintf(`---
apiVersion: v1
kind: Pod
metadata: {name: %s, namespace: %s, labels: {%s}}
spec:
  hostNetwork: %t
  containers: [{name: c, image: x, ports: [%s]}]
`, name, ns, labels, hostNetwork, strings.Join(ps, ", "))
}

func ns(name, labels string) string {
	return fmt.Sprintf("---\napiVersion: v1\nkind: Namespace\nmetadata: {name: %s, labels: {%s}}\n", name, labels)
}

const node = `---
apiVersion: v1
kind: Node
metadata: {name: n1}
status: {addresses: [{type: InternalIP, address: 10.0.0.1}]}
`

type check struct {
	from, to, port string
	want           bool
}

// TestSemantics runs one case per rule form of the NetworkPolicy API
// reference (networking.k8s.io/v1) and concepts page; each expectation is
// written from the documented semantics.
func TestSemantics(t *testing.T) {
	t.Parallel()
	base := node + ns("a", "team: a") + ns("b", "team: b") + ns("c", "team: c") +
		pod("a", "client", "app: client", false, "http:tcp/8080") +
		pod("a", "other", "app: other", false, "http:tcp/8080") +
		pod("b", "server", "app: server", false, "http:tcp/8080", "metrics:tcp/9090", "dns:udp/53", "tcp/53") +
		pod("b", "alt", "app: alt", false, "http:tcp/9999", "tcp/8080") +
		pod("c", "client", "app: client", false, "http:tcp/8080") +
		pod("c", "host", "app: host", true, "tcp/10250")
	tests := []struct {
		name     string
		policies string
		checks   []check
	}{
		{"no policy allows everything", "", []check{
			{"pod/a/client", "pod/b/server", "tcp/8080", true},
			{"pod/b/server", "pod/a/client", "tcp/8080", true},
		}},
		{"default-deny ingress isolates only ingress", `
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: {name: deny, namespace: b}
spec: {podSelector: {}, policyTypes: [Ingress]}`, []check{
			{"pod/a/client", "pod/b/server", "tcp/8080", false},
			{"pod/b/server", "pod/a/client", "tcp/8080", true},
		}},
		{"egress-only policy leaves ingress open", `
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: {name: no-egress, namespace: a}
spec: {podSelector: {matchLabels: {app: client}}, policyTypes: [Egress]}`, []check{
			{"pod/a/client", "pod/b/server", "tcp/8080", false},
			{"pod/b/server", "pod/a/client", "tcp/8080", true},
			{"pod/a/other", "pod/b/server", "tcp/8080", true},
		}},
		{"no policyTypes with ingress rules only affects ingress", `
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: {name: p, namespace: a}
spec:
  podSelector: {matchLabels: {app: client}}
  ingress: [{from: [{podSelector: {matchLabels: {app: other}}}]}]`, []check{
			{"pod/a/client", "pod/b/server", "tcp/8080", true},
			{"pod/b/server", "pod/a/client", "tcp/8080", false},
			{"pod/a/other", "pod/a/client", "tcp/8080", true},
		}},
		{"no policyTypes with egress rules affects both", `
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: {name: p, namespace: a}
spec:
  podSelector: {matchLabels: {app: client}}
  egress: [{to: [{namespaceSelector: {matchLabels: {team: b}}}]}]`, []check{
			{"pod/a/client", "pod/b/server", "tcp/8080", true},
			{"pod/a/client", "pod/c/client", "tcp/8080", false},
			{"pod/a/other", "pod/a/client", "tcp/8080", false}, // ingress isolated, no ingress rules
		}},
		{"empty egress list without policyTypes affects ingress only", `
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: {name: p, namespace: a}
spec: {podSelector: {matchLabels: {app: client}}, egress: []}`, []check{
			{"pod/a/client", "pod/b/server", "tcp/8080", true},
			{"pod/a/other", "pod/a/client", "tcp/8080", false},
		}},
		{"ingress [{}] allows all", `
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: {name: p, namespace: b}
spec: {podSelector: {}, ingress: [{}]}`, []check{
			{"pod/a/client", "pod/b/server", "tcp/8080", true},
			{"pod/c/host", "pod/b/server", "tcp/8080", true},
		}},
		{"namespaceSelector and podSelector in one peer is AND", `
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: {name: p, namespace: b}
spec:
  podSelector: {matchLabels: {app: server}}
  ingress: [{from: [{namespaceSelector: {matchLabels: {team: a}}, podSelector: {matchLabels: {app: client}}}]}]`, []check{
			{"pod/a/client", "pod/b/server", "tcp/8080", true},
			{"pod/a/other", "pod/b/server", "tcp/8080", false},
			{"pod/c/client", "pod/b/server", "tcp/8080", false},
		}},
		{"namespaceSelector and podSelector in two peers is OR; podSelector alone means the policy's namespace", `
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: {name: p, namespace: b}
spec:
  podSelector: {matchLabels: {app: server}}
  ingress: [{from: [{namespaceSelector: {matchLabels: {team: a}}}, {podSelector: {matchLabels: {app: client}}}]}]`, []check{
			{"pod/a/client", "pod/b/server", "tcp/8080", true},
			{"pod/a/other", "pod/b/server", "tcp/8080", true},
			{"pod/c/client", "pod/b/server", "tcp/8080", false},
			{"pod/b/alt", "pod/b/server", "tcp/8080", false},
		}},
		{"empty namespaceSelector selects every namespace", `
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: {name: p, namespace: b}
spec:
  podSelector: {}
  ingress: [{from: [{namespaceSelector: {}}]}]`, []check{
			{"pod/c/client", "pod/b/server", "tcp/8080", true},
			{"pod/c/host", "pod/b/server", "tcp/8080", false}, // the node is not a pod
		}},
		{"named port resolves per destination", `
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: {name: p, namespace: b}
spec:
  podSelector: {}
  ingress: [{ports: [{port: http}]}]`, []check{
			{"pod/a/client", "pod/b/server", "tcp/8080", true},
			{"pod/a/client", "pod/b/alt", "tcp/9999", true},
			{"pod/a/client", "pod/b/alt", "tcp/8080", false}, // 8080 is unnamed on alt
			{"pod/a/client", "pod/b/server", "tcp/9090", false},
		}},
		{"named port with the wrong protocol", `
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: {name: p, namespace: b}
spec:
  podSelector: {}
  ingress: [{ports: [{port: dns, protocol: TCP}]}]`, []check{
			{"pod/a/client", "pod/b/server", "udp/53", false},
			{"pod/a/client", "pod/b/server", "tcp/53", false},
		}},
		{"protocol defaults to TCP", `
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: {name: p, namespace: b}
spec:
  podSelector: {}
  ingress: [{ports: [{port: 53}]}]`, []check{
			{"pod/a/client", "pod/b/server", "tcp/53", true},
			{"pod/a/client", "pod/b/server", "udp/53", false},
		}},
		{"endPort range", `
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: {name: p, namespace: b}
spec:
  podSelector: {}
  ingress: [{ports: [{port: 8000, endPort: 8100}]}]`, []check{
			{"pod/a/client", "pod/b/server", "tcp/8080", true},
			{"pod/a/client", "pod/b/server", "tcp/9090", false},
		}},
		{"ipBlock does not select pods", `
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: {name: p, namespace: a}
spec:
  podSelector: {matchLabels: {app: client}}
  policyTypes: [Egress]
  egress: [{to: [{ipBlock: {cidr: 0.0.0.0/0, except: [10.0.0.0/8]}}]}]`, []check{
			{"pod/a/client", "pod/b/server", "tcp/8080", false},
			{"pod/a/client", "pod/c/host", "tcp/10250", false}, // the node 10.0.0.1 is excepted
		}},
		{"ipBlock holding a node address reaches hostNetwork pods", `
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: {name: p, namespace: a}
spec:
  podSelector: {matchLabels: {app: client}}
  policyTypes: [Egress]
  egress: [{to: [{ipBlock: {cidr: 10.0.0.0/24}}]}]`, []check{
			{"pod/a/client", "pod/c/host", "tcp/10250", true},
			{"pod/a/client", "pod/b/server", "tcp/8080", false},
		}},
		{"hostNetwork pods are not isolated", `
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: {name: deny, namespace: c}
spec: {podSelector: {}, policyTypes: [Ingress, Egress]}`, []check{
			{"pod/a/client", "pod/c/host", "tcp/10250", true},
			{"pod/c/host", "pod/b/server", "tcp/8080", true},
			{"pod/a/client", "pod/c/client", "tcp/8080", false},
		}},
		{"policies elsewhere selecting nothing change nothing", `
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: {name: p, namespace: c}
spec: {podSelector: {matchLabels: {app: nothing}}, policyTypes: [Ingress, Egress]}`, []check{
			{"pod/a/client", "pod/c/client", "tcp/8080", true},
		}},
		{"both sides must allow", `
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: {name: out, namespace: a}
spec:
  podSelector: {matchLabels: {app: client}}
  policyTypes: [Egress]
  egress: [{to: [{namespaceSelector: {}, podSelector: {matchLabels: {app: server}}}]}]
---
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: {name: in, namespace: b}
spec:
  podSelector: {matchLabels: {app: server}}
  ingress: [{from: [{namespaceSelector: {matchLabels: {team: c}}}]}]`, []check{
			{"pod/a/client", "pod/b/server", "tcp/8080", false}, // egress yes, ingress no
			{"pod/c/client", "pod/b/server", "tcp/8080", true},
			{"pod/a/client", "pod/b/alt", "tcp/8080", false}, // ingress open, egress no
		}},
		{"matchExpressions", `
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: {name: p, namespace: b}
spec:
  podSelector: {matchExpressions: [{key: app, operator: NotIn, values: [alt]}]}
  ingress:
  - from:
    - namespaceSelector: {matchExpressions: [{key: team, operator: Exists}]}
      podSelector: {matchExpressions: [{key: app, operator: In, values: [client]}, {key: tier, operator: DoesNotExist}]}`, []check{
			{"pod/a/client", "pod/b/server", "tcp/8080", true},
			{"pod/a/other", "pod/b/server", "tcp/8080", false},
			{"pod/a/other", "pod/b/alt", "tcp/8080", true}, // alt is not selected
		}},
		{"the metadata.name label selects a namespace", `
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: {name: p, namespace: b}
spec:
  podSelector: {}
  ingress: [{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: c}}}]}]`, []check{
			{"pod/c/client", "pod/b/server", "tcp/8080", true},
			{"pod/a/client", "pod/b/server", "tcp/8080", false},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e, groups, _ := estateOf(t, base+"---\n"+tt.policies)
			for _, c := range tt.checks {
				src, dst := endpoint(t, e, groups, c.from), endpoint(t, e, groups, c.to)
				v := e.Check(netpol.PodParty(src), netpol.PodParty(dst), port(t, dst, c.port))
				if v.Allowed != c.want {
					t.Errorf("%s -> %s %s: allowed %t, want %t\n  egress: %v\n  ingress: %v", c.from, c.to, c.port, v.Allowed, c.want, v.Egress, v.Ingress)
				}
			}
		})
	}
}

func TestInternetEgress(t *testing.T) {
	t.Parallel()
	base := pod("a", "x", "app: x", false)
	tests := []struct {
		name, policy string
		want         string
	}{
		{"not isolated", "", "any"},
		{"all private except", `
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: {name: p, namespace: a}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress: [{to: [{ipBlock: {cidr: 0.0.0.0/0, except: [10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16]}}], ports: [{port: 443}, {port: 8000, endPort: 8100}, {port: https}]}]`, "tcp/443,tcp/8000-8100"},
		{"only private", `
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: {name: p, namespace: a}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress: [{to: [{ipBlock: {cidr: 10.0.0.0/8}}]}]`, ""},
		{"pods only", `
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: {name: p, namespace: a}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress: [{to: [{namespaceSelector: {}}]}]`, ""},
		{"to absent", `
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: {name: p, namespace: a}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress: [{ports: [{port: 53, protocol: UDP}]}]`, "udp/53"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e, groups, _ := estateOf(t, base+"---\n"+tt.policy)
			ports, _ := e.InternetEgress(endpoint(t, e, groups, "pod/a/x"))
			if got := strings.Join(ports, ","); got != tt.want {
				t.Errorf("InternetEgress = %q, want %q", got, tt.want)
			}
		})
	}
}
