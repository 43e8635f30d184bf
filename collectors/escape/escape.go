package escape

import (
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/trustpath/trustpath/collectors/estate"
	"github.com/trustpath/trustpath/collectors/workload"
	"github.com/trustpath/trustpath/graph"
)

// LabelEnforce is the Pod Security Admission label whose level decides
// whether the namespace admits escape primitives (baseline forbids them all).
const LabelEnforce = "pod-security.kubernetes.io/enforce"

// builder holds one cluster's build.
type builder struct {
	g      *graph.Builder
	s      *estate.Snapshot
	prefix string
	groups []*workload.Group
	psa    map[string]string // namespace → enforced Pod Security level
	// defaultPSA is the level of namespaces without a label ("" or
	// "privileged": the Kubernetes default).
	defaultPSA string
	// accounts are the ServiceAccount objects by namespace and name.
	accounts map[[2]string]*corev1.ServiceAccount
	nodes    []string    // every node of the cluster, sorted: see addNodes
	nodeKeys []graph.Key // their vertex keys, in the same order
	// placeholder is set when the input names no node at all: unpinned
	// pods land on node/unknown.
	placeholder bool
	transit     graph.Key // the schedulable vertex, once added
}

// Build adds, for one cluster, the steps out of containers onto their nodes
// (and into sibling containers), and the steps from each node to what runs
// on it. The topology builder must have added the nodes, pod groups,
// containers, service accounts and secrets first. It returns the keys of the
// cluster's node vertices, implicit ones and the placeholder included.
func Build(g *graph.Builder, s *estate.Snapshot, prefix string, groups []*workload.Group, defaultPSA string) []graph.Key {
	b := &builder{g: g, s: s, prefix: prefix, groups: groups,
		psa: map[string]string{}, defaultPSA: defaultPSA, accounts: map[[2]string]*corev1.ServiceAccount{}}
	for _, ns := range s.Namespaces {
		b.psa[ns.Name] = ns.Labels[LabelEnforce]
	}
	for _, sa := range s.ServiceAccounts {
		b.accounts[[2]string{sa.Namespace, sa.Name}] = sa
	}
	b.addNodes()
	for _, pg := range groups {
		b.containerEscapes(pg)
		b.nodeSteps(pg)
	}
	b.nodeIdentities()
	return b.nodeKeys
}

func (b *builder) key(k graph.Kind, parts ...string) graph.Key {
	return graph.NewKey(b.prefix, k, parts...)
}

// edge adds e from one key to another.
func (b *builder) edge(from, to graph.Key, e graph.Edge) {
	if err := b.g.AddEdge(from, to, e); err != nil {
		b.warn(string(from), err)
	}
}

func (b *builder) add(v *graph.Vertex) {
	if err := b.g.AddVertex(v); err != nil {
		b.warn(string(v.Key), err)
	}
}

func (b *builder) warn(object string, err error) {
	b.s.Report(&estate.Diagnostic{Severity: estate.Warning, Object: object,
		Err: fmt.Errorf("cluster %s: %w", b.s.Cluster, err)})
}

// podContainer is a container of a pod spec and where it sits in it.
type podContainer struct {
	c    *corev1.Container
	path string // "containers[0]", "initContainers[1]"
	// running says that it runs beside the pod's other containers: a
	// regular container or a sidecar (an init container that restarts).
	running bool
}

func containers(spec *corev1.PodSpec) []podContainer {
	var out []podContainer
	for i := range spec.InitContainers {
		c := &spec.InitContainers[i]
		sidecar := c.RestartPolicy != nil && *c.RestartPolicy == corev1.ContainerRestartPolicyAlways
		out = append(out, podContainer{c, fmt.Sprintf("initContainers[%d]", i), sidecar})
	}
	for i := range spec.Containers {
		out = append(out, podContainer{&spec.Containers[i], fmt.Sprintf("containers[%d]", i), true})
	}
	return out
}

func (b *builder) containerKey(pg *workload.Group, c *corev1.Container) graph.Key {
	return b.key(graph.KindContainer, pg.Namespace(), pg.Meta.Name, c.Name)
}

func joinNotes(notes []string) string {
	var out []string
	for _, n := range notes {
		if n != "" {
			out = append(out, n)
		}
	}
	return strings.Join(out, "; ")
}
