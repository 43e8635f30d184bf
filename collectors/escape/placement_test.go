package escape_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trustpath/trustpath/collectors"
	"github.com/trustpath/trustpath/graph"
)

// TestPlaceholderNode: an input without Node objects still gives escapes
// somewhere to land. Pods bound to a named node make it an implicit node;
// pods that may run anywhere escape to any-node, which may be it or
// node/unknown, the placeholder for the nodes the input does not name,
// which has no kubelet identity of its own.
func TestPlaceholderNode(t *testing.T) {
	t.Parallel()
	g := loadYAML(t, `
apiVersion: apps/v1
kind: Deployment
metadata: {name: anywhere, namespace: app}
spec:
  selector: {matchLabels: {app: anywhere}}
  template:
    metadata: {labels: {app: anywhere}}
    spec:
      containers: [{name: c, image: x, securityContext: {privileged: true}}]
---
apiVersion: v1
kind: Pod
metadata: {name: bound, namespace: app}
spec:
  nodeName: n7
  containers: [{name: c, image: x}]
`)
	want := []string{
		"any-node -[may host any pod]-> schedulable",
		"any-node -[schedule onto node]-> node/n7",
		"any-node -[schedule onto node]-> node/unknown",
		"container/app/anywhere/c -[escape via privileged]-> any-node",
		"node/n7 -[control containers on node]-> container/app/bound/c",
		"node/n7 -[may host any pod]-> schedulable",
		"node/n7 -[steal token from node]-> serviceaccount/app/default",
		"node/n7 -[use kubelet credentials]-> user/system:node:n7",
		"node/unknown -[may host any pod]-> schedulable",
		"schedulable -[control containers on node]-> container/app/anywhere/c",
		"schedulable -[steal token from node]-> serviceaccount/app/default",
	}
	if d := cmp.Diff(want, edgeList(g, slices.Concat(escapeTechniques, nodeTechniques), false)); d != "" {
		t.Errorf("edges (-want +got):\n%s", d)
	}
	for k, props := range map[graph.Key]map[string]string{
		"node/unknown": {graph.PropImplicit: "true", "placeholder": "true"},
		"node/n7":      {graph.PropImplicit: "true", "placeholder": ""},
	} {
		v := g.Lookup(k)
		if v == nil {
			t.Errorf("no vertex %s", k)
			continue
		}
		for p, want := range props {
			if got := v.Prop(p); got != want {
				t.Errorf("%s %s = %q, want %q", k, p, got, want)
			}
		}
	}
}

// TestNoPlaceholderWhenPinned: with every pod bound to a node, no pod may
// land on an unnamed one, so there is no placeholder and no schedulable
// vertex.
func TestNoPlaceholderWhenPinned(t *testing.T) {
	t.Parallel()
	g := loadYAML(t, `
apiVersion: v1
kind: Pod
metadata: {name: bound, namespace: app}
spec:
  nodeName: n1
  automountServiceAccountToken: false
  containers: [{name: c, image: x}]
`)
	for _, k := range []graph.Key{"node/unknown", "schedulable"} {
		if g.Lookup(k) != nil {
			t.Errorf("%s exists; every pod is bound to n1", k)
		}
	}
}

// TestPinning: which groups are reached from their node directly and which
// through the schedulable vertex.
func TestPinning(t *testing.T) {
	t.Parallel()
	g := loadYAML(t, `
apiVersion: v1
kind: Node
metadata: {name: n1}
---
apiVersion: v1
kind: Node
metadata: {name: n2}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: everywhere, namespace: app}
spec:
  selector: {matchLabels: {app: everywhere}}
  template:
    metadata: {labels: {app: everywhere}}
    spec:
      automountServiceAccountToken: false
      containers: [{name: c, image: x, securityContext: {privileged: true}}]
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: only-n2, namespace: app}
spec:
  selector: {matchLabels: {app: only-n2}}
  template:
    metadata: {labels: {app: only-n2}}
    spec:
      automountServiceAccountToken: false
      nodeSelector: {kubernetes.io/hostname: n2}
      containers: [{name: c, image: x, securityContext: {privileged: true}}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: named, namespace: app}
spec:
  selector: {matchLabels: {app: named}}
  template:
    metadata: {labels: {app: named}}
    spec:
      automountServiceAccountToken: false
      nodeName: n1
      containers: [{name: c, image: x}]
`)
	want := []string{
		"any-node -[may host any pod]-> schedulable",
		"any-node -[schedule onto node]-> node/n1",
		"any-node -[schedule onto node]-> node/n2",
		"container/app/everywhere/c -[escape via privileged]-> any-node",
		"container/app/only-n2/c -[escape via privileged]-> node/n2",
		"node/n1 -[control containers on node]-> container/app/named/c",
		"node/n1 -[may host any pod]-> schedulable",
		"node/n1 -[use kubelet credentials]-> user/system:node:n1",
		"node/n2 -[control containers on node]-> container/app/only-n2/c",
		"node/n2 -[may host any pod]-> schedulable",
		"node/n2 -[use kubelet credentials]-> user/system:node:n2",
		"schedulable -[control containers on node]-> container/app/everywhere/c",
	}
	if d := cmp.Diff(want, edgeList(g, slices.Concat(escapeTechniques, nodeTechniques), false)); d != "" {
		t.Errorf("edges (-want +got):\n%s", d)
	}
	e := edge(g, "node/n2", "container/app/only-n2/c", graph.TechNodeContainers)
	if e == nil || len(e.Evidence) != 1 || e.Evidence[0].Detail != "nodeSelector kubernetes.io/hostname: n2" {
		t.Errorf("evidence of n2 -> only-n2 = %+v, want the nodeSelector", e)
	}
}

// TestCredentialsOnNode: what a node holds for its pods, from the
// Kubernetes docs: the automounted token (the pod's setting wins over the
// account's), projected tokens and Secret volumes whether mounted or not,
// Secrets in env, the pull secrets the ServiceAccount admission plugin
// copies from the account; an optional Secret the input lacks is not
// there, a required one is (implicit).
func TestCredentialsOnNode(t *testing.T) {
	t.Parallel()
	g := loadYAML(t, `
apiVersion: v1
kind: Node
metadata: {name: n1}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: quiet, namespace: app}
automountServiceAccountToken: false
imagePullSecrets: [{name: pull}]
---
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: app}
spec:
  nodeName: n1
  serviceAccountName: quiet
  initContainers:
    - name: init
      image: x
      env: [{name: K, valueFrom: {secretKeyRef: {name: init-env, key: k}}}]
  containers:
    - name: c
      image: x
      envFrom: [{secretRef: {name: opt-missing, optional: true}}]
  volumes:
    - name: unmounted
      secret: {secretName: vol}
    - name: bundle
      projected:
        sources:
          - serviceAccountToken: {path: token}
          - secret: {name: proj}
---
apiVersion: v1
kind: Pod
metadata: {name: loud, namespace: app}
spec:
  nodeName: n1
  serviceAccountName: quiet
  automountServiceAccountToken: true
  imagePullSecrets: [{name: own-pull}]
  containers: [{name: c, image: x}]
`)
	want := []string{
		"node/n1 -[read secrets on node]-> secret/app/init-env",
		"node/n1 -[read secrets on node]-> secret/app/own-pull",
		"node/n1 -[read secrets on node]-> secret/app/proj",
		"node/n1 -[read secrets on node]-> secret/app/pull",
		"node/n1 -[read secrets on node]-> secret/app/vol",
		"node/n1 -[steal token from node]-> serviceaccount/app/quiet",
	}
	if d := cmp.Diff(want, edgeList(g, []graph.Technique{graph.TechNodeSecret, graph.TechNodeToken}, false)); d != "" {
		t.Errorf("edges (-want +got):\n%s", d)
	}
	e := edge(g, "node/n1", "serviceaccount/app/quiet", graph.TechNodeToken)
	var ev []string
	for _, x := range e.Evidence {
		ev = append(ev, string(x.Object)+": "+x.Detail)
	}
	wantEv := []string{
		"pod/app/loud: pod spec automountServiceAccountToken: true",
		"pod/app/loud: spec.nodeName: n1",
		"pod/app/p: spec.nodeName: n1",
		"pod/app/p: volumes[1].projected.sources[0].serviceAccountToken",
	}
	if d := cmp.Diff(wantEv, ev); d != "" {
		t.Errorf("token evidence (-want +got):\n%s", d)
	}
	for _, k := range []graph.Key{"secret/app/pull", "secret/app/own-pull", "secret/app/vol"} {
		if v := g.Lookup(k); v == nil || v.Prop(graph.PropImplicit) != "true" {
			t.Errorf("%s = %+v, want an implicit secret", k, v)
		}
	}
	if g.Lookup("secret/app/opt-missing") != nil {
		t.Error("an optional Secret the input lacks is not on the node")
	}
}

// TestSidecarsAndInit: init containers escape like any container; only
// containers that run side by side (regular ones and sidecars) share the
// PID namespace with each other.
func TestSidecarsAndInit(t *testing.T) {
	t.Parallel()
	g := loadYAML(t, `
apiVersion: v1
kind: Node
metadata: {name: n1}
---
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: app}
spec:
  automountServiceAccountToken: false
  shareProcessNamespace: true
  initContainers:
    - {name: setup, image: x, securityContext: {capabilities: {add: [SYS_MODULE]}}}
    - {name: proxy, image: x, restartPolicy: Always}
  containers:
    - {name: app, image: x}
`)
	want := []string{
		"container/app/p/app -[enter sibling container]-> container/app/p/proxy",
		"container/app/p/proxy -[enter sibling container]-> container/app/p/app",
		"container/app/p/setup -[load kernel module]-> any-node",
	}
	if d := cmp.Diff(want, edgeList(g, escapeTechniques, false)); d != "" {
		t.Errorf("edges (-want +got):\n%s", d)
	}
}

// TestClustersGetTheirOwnNodes: with two clusters, each has its own
// placeholder, any-node and schedulable vertex, and no node step crosses
// clusters.
func TestClustersGetTheirOwnNodes(t *testing.T) {
	t.Parallel()
	res := load(t,
		collectors.Source{Cluster: "a", Path: testdata("escape", "techniques", "privileged.yaml")},
		collectors.Source{Cluster: "b", Path: testdata("escape", "techniques", "privileged.yaml")})
	g := res.Graph
	for _, c := range []string{"a", "b"} {
		from := graph.Key(c + ":container/esc/privileged/c")
		if edge(g, from, graph.Key(c+":any-node"), graph.TechEscapePrivileged) == nil {
			t.Errorf("no escape %s -> %s:any-node", from, c)
		}
		if edge(g, graph.Key(c+":any-node"), graph.Key(c+":node/unknown"), graph.TechPickNode) == nil {
			t.Errorf("%s:any-node does not lead to %s:node/unknown", c, c)
		}
		if edge(g, graph.Key(c+":node/unknown"), graph.Key(c+":schedulable"), graph.TechNodeSchedulable) == nil {
			t.Errorf("%s:node/unknown does not reach %s:schedulable", c, c)
		}
	}
	for _, e := range g.Edges() {
		if e.Boundary == graph.BoundaryCluster && e.F.Key != graph.Internet && e.T.Key != graph.Internet {
			t.Errorf("%s -> %s crosses clusters", e.F.Key, e.T.Key)
		}
	}
}

// TestNodeEdgesAreLinear: nodes × pod groups must not become nodes ×
// pod groups edges. With N nodes and G unpinned groups of one container,
// each with the automounted token of its namespace's default account, the
// node steps number 2N (schedulable, kubelet) + G (containers) + one token
// step per namespace.
func TestNodeEdgesAreLinear(t *testing.T) {
	t.Parallel()
	const nodes, groups = 40, 120
	var y strings.Builder
	for i := range nodes {
		fmt.Fprintf(&y, "---\napiVersion: v1\nkind: Node\nmetadata: {name: n%d}\n", i)
	}
	for i := range groups {
		fmt.Fprintf(&y, `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: app%[1]d, namespace: ns%[2]d}
spec:
  selector: {matchLabels: {app: app%[1]d}}
  template:
    metadata: {labels: {app: app%[1]d}}
    spec:
      containers: [{name: c, image: x}]
`, i, i%5)
	}
	g := loadYAML(t, y.String())
	if got, want := len(edgeList(g, nodeTechniques, false)), 2*nodes+groups+5; got != want {
		t.Errorf("got %d node steps, want %d", got, want)
	}
	if got := len(edgeList(g, escapeTechniques, false)); got != 0 {
		t.Errorf("got %d escape edges from unprivileged pods, want 0", got)
	}
}

// TestEdgesOwnTheirLists: one step lands on several nodes (the group's
// pods run on two), and the graph builder sorts and compacts each edge's
// lists in place; a capability added twice must not leave one node's edge
// with a corrupted list.
func TestEdgesOwnTheirLists(t *testing.T) {
	t.Parallel()
	spec := `{containers: [{name: c, image: x, securityContext: {capabilities: {add: [SYS_ADMIN, CAP_SYS_ADMIN]}}}]}`
	pod := func(name, node string) string {
		return fmt.Sprintf(`apiVersion: v1
kind: Pod
metadata:
  name: %s
  namespace: app
  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: agent, uid: u1, controller: true}]
spec: {nodeName: %s, containers: [{name: c, image: x, securityContext: {capabilities: {add: [SYS_ADMIN, CAP_SYS_ADMIN]}}}]}
`, name, node)
	}
	g := loadYAML(t, `
apiVersion: apps/v1
kind: Deployment
metadata: {name: agent, namespace: app, uid: u1}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec: `+spec+`
---
`+pod("agent-1", "n1")+"---\n"+pod("agent-2", "n2"))
	want := []string{"Pod Security Admission enforce: baseline on namespace app", "no added capability SYS_ADMIN on deployment/app/agent"}
	for _, n := range []graph.Key{"node/n1", "node/n2"} {
		e := edge(g, "container/app/agent/c", n, graph.TechEscapeSysAdmin)
		if e == nil {
			t.Fatalf("no SYS_ADMIN escape to %s", n)
		}
		if d := cmp.Diff(want, e.Missing); d != "" {
			t.Errorf("missing on the edge to %s (-want +got):\n%s", n, d)
		}
		if len(e.Evidence) != 2 {
			t.Errorf("evidence on the edge to %s = %v, want both capabilities.add entries", n, e.Evidence)
		}
	}
}
