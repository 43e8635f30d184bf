// Package topology adds an estate's structure to the graph: the cluster, its
// nodes and namespaces, pod groups and their containers, service accounts,
// secrets, services and ingresses, the RBAC subjects that later builders
// connect, and the first attacker steps that need no policy to decide —
// a container using its mounted token and secrets, a Service routing to the
// pods it selects, an Ingress routing to its Services.
package topology

import (
	"fmt"
	"slices"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/trustpath/trustpath/collectors/estate"
	"github.com/trustpath/trustpath/collectors/workload"
	"github.com/trustpath/trustpath/graph"
)

// AnnotationCrownJewel marks any object as a target worth protecting.
const AnnotationCrownJewel = "trustpath.io/crown-jewel"

// PropCoverageGaps lists, on a cluster's vertex, the permissions a live read
// lacked ("list secrets in 2 namespaces (ci, shop); list roles.rbac.authorization.k8s.io"):
// conclusions about that cluster may miss what those objects would add.
const PropCoverageGaps = "coverage-gaps"

// PropAutomountToken is the automountServiceAccountToken setting of a
// service account vertex, "true" or "false", absent when unset.
const PropAutomountToken = "automount-token"

// builder holds what one cluster's build needs.
type builder struct {
	g      *graph.Builder
	s      *estate.Snapshot
	prefix string // key prefix: the cluster name when several are loaded
	groups []*workload.Group
}

// Build adds the snapshot's vertices and topology edges to g. prefix is the
// cluster prefix of keys ("" when only one cluster is loaded); groups are the
// snapshot's pod groups. Problems (an
// object referenced but absent, a key collision) become diagnostics of s.
func Build(g *graph.Builder, s *estate.Snapshot, prefix string, groups []*workload.Group) {
	b := &builder{g: g, s: s, prefix: prefix, groups: groups}
	cv := &graph.Vertex{Key: b.key(graph.KindCluster, s.Cluster), Kind: graph.KindCluster,
		Name: s.Cluster, Loc: b.loc("")}
	cv.SetProp(PropCoverageGaps, gaps(s.Gaps))
	b.add(cv)
	b.nodes()
	b.namespaces()
	b.serviceAccounts()
	b.secrets()
	for _, pg := range b.groups {
		b.podGroup(pg)
	}
	b.services()
	b.ingresses()
	b.subjects()
}

// gaps names the permissions behind a snapshot's gaps, in their order.
func gaps(gs []estate.Gap) string { return strings.Join(estate.SummarizeGaps(gs), "; ") }

func (b *builder) key(k graph.Kind, parts ...string) graph.Key {
	return graph.NewKey(b.prefix, k, parts...)
}

func (b *builder) loc(namespace string) graph.Location {
	return graph.Location{Cluster: b.s.Cluster, Namespace: namespace}
}

// add adds v, reporting a key collision as a diagnostic.
func (b *builder) add(v *graph.Vertex) {
	if err := b.g.AddVertex(v); err != nil {
		b.warn(string(v.Key), err)
	}
}

// ensure returns the vertex with key k, adding the one make returns, marked
// implicit, when the input did not define it.
func (b *builder) ensure(k graph.Key, make func() *graph.Vertex) *graph.Vertex {
	if v := b.g.Vertex(k); v != nil {
		return v
	}
	v := make()
	v.SetProp(graph.PropImplicit, "true")
	b.add(v)
	return v
}

func (b *builder) edge(from, to graph.Key, e graph.Edge) {
	if err := b.g.AddEdge(from, to, e); err != nil {
		b.warn(string(from), err)
	}
}

func (b *builder) warn(object string, err error) {
	b.s.Report(&estate.Diagnostic{Severity: estate.Warning, Object: object,
		Err: fmt.Errorf("cluster %s: %w", b.s.Cluster, err)})
}

// source returns where ref was read, for diagnostics about it.
func (b *builder) source(ref estate.Ref) estate.Source { return b.s.Sources[ref] }

// markObject copies what every object vertex shows from its metadata.
func markObject(v *graph.Vertex, m *metav1.ObjectMeta) {
	if m.Annotations[AnnotationCrownJewel] == "true" {
		v.SetProp(graph.PropCrownJewel, "true")
	}
}

func (b *builder) nodes() {
	for _, n := range b.s.Nodes {
		v := &graph.Vertex{Key: b.key(graph.KindNode, n.Name), Kind: graph.KindNode, Name: n.Name,
			Loc: graph.Location{Cluster: b.s.Cluster, Node: n.Name}}
		v.SetProp("kubelet", n.Status.NodeInfo.KubeletVersion)
		v.SetProp("os", n.Status.NodeInfo.OSImage)
		markObject(v, &n.ObjectMeta)
		b.add(v)
	}
}

// namespaces adds every namespace defined or referenced by a namespaced object.
func (b *builder) namespaces() {
	for _, ns := range b.s.Namespaces {
		v := b.namespaceVertex(ns.Name)
		for _, mode := range []string{"enforce", "audit", "warn"} {
			v.SetProp("psa-"+mode, ns.Labels["pod-security.kubernetes.io/"+mode])
		}
		markObject(v, &ns.ObjectMeta)
		b.add(v)
	}
	var referenced []string
	for ref := range b.s.Sources {
		if ref.Namespace != "" {
			referenced = append(referenced, ref.Namespace)
		}
	}
	slices.Sort(referenced)
	for _, ns := range slices.Compact(referenced) {
		b.ensure(b.key(graph.KindNamespace, ns), func() *graph.Vertex { return b.namespaceVertex(ns) })
	}
}

func (b *builder) namespaceVertex(name string) *graph.Vertex {
	return &graph.Vertex{Key: b.key(graph.KindNamespace, name), Kind: graph.KindNamespace,
		Name: name, Loc: b.loc(name)}
}

// serviceAccounts adds the defined ones and each namespace's "default",
// which the API server creates in every namespace.
func (b *builder) serviceAccounts() {
	for _, sa := range b.s.ServiceAccounts {
		v := b.serviceAccountVertex(sa.Namespace, sa.Name)
		if sa.AutomountServiceAccountToken != nil {
			v.SetProp(PropAutomountToken, fmt.Sprint(*sa.AutomountServiceAccountToken))
		}
		markObject(v, &sa.ObjectMeta)
		b.add(v)
	}
	for _, ns := range b.namespaceNames() {
		b.serviceAccount(ns, "default")
	}
}

func (b *builder) serviceAccountVertex(ns, name string) *graph.Vertex {
	return &graph.Vertex{Key: b.key(graph.KindServiceAccount, ns, name), Kind: graph.KindServiceAccount,
		Name: name, Loc: b.loc(ns)}
}

// serviceAccount returns the key of a service account, adding it as implicit
// when the input does not define it.
func (b *builder) serviceAccount(ns, name string) graph.Key {
	return b.ensure(b.key(graph.KindServiceAccount, ns, name),
		func() *graph.Vertex { return b.serviceAccountVertex(ns, name) }).Key
}

func (b *builder) namespaceNames() []string {
	var names []string
	seen := map[string]bool{}
	for ref := range b.s.Sources {
		ns := ref.Namespace
		if ref.Kind == "Namespace" {
			ns = ref.Name
		}
		if ns != "" && !seen[ns] {
			seen[ns] = true
			names = append(names, ns)
		}
	}
	slices.Sort(names)
	return names
}

func (b *builder) secrets() {
	for _, s := range b.s.Secrets {
		v := b.secretVertex(s.Namespace, s.Name)
		v.SetProp("type", string(s.Type))
		keys := make([]string, 0, len(s.Data))
		for k := range s.Data {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		v.SetProp("keys", strings.Join(keys, ","))
		markObject(v, &s.ObjectMeta)
		b.add(v)
	}
}

func (b *builder) secretVertex(ns, name string) *graph.Vertex {
	return &graph.Vertex{Key: b.key(graph.KindSecret, ns, name), Kind: graph.KindSecret,
		Name: name, Loc: b.loc(ns)}
}

// secret returns the key of a secret, adding it as implicit when absent.
func (b *builder) secret(ns, name string) graph.Key {
	return b.ensure(b.key(graph.KindSecret, ns, name),
		func() *graph.Vertex { return b.secretVertex(ns, name) }).Key
}
