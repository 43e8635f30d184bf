package escape

import (
	"fmt"
	"slices"

	corev1 "k8s.io/api/core/v1"

	"github.com/trustpath/trustpath/collectors/workload"
	"github.com/trustpath/trustpath/graph"
)

// PlaceholderNode names the node vertex that stands for the nodes of a
// cluster whose input names none: escapes from pods that are not pinned
// land on node/unknown, which is marked implicit and placeholder.
const PlaceholderNode = "unknown"

// PropPlaceholder is set to "true" on the placeholder node.
const PropPlaceholder = "placeholder"

// PropGroups lists, comma-separated, the groups a user vertex that this
// builder adds authenticates in (the kubelet's system:nodes).
const PropGroups = "groups"

// addNodes makes sure every node the cluster's pods name has a vertex, and
// records the cluster's nodes: the Node objects, the nodes pods are bound
// or pinned to, and, when the input names no node at all but some pod may
// run anywhere, the placeholder.
func (b *builder) addNodes() {
	names := map[string]bool{}
	for _, n := range b.s.Nodes {
		names[n.Name] = true
	}
	unpinned := false
	for _, pg := range b.groups {
		for _, n := range pg.Nodes {
			names[n] = true
		}
		if _, pinned := b.pinned(pg); !pinned {
			unpinned = true
		}
	}
	if len(b.s.Nodes) == 0 && unpinned {
		b.placeholder = true
		names[PlaceholderNode] = true
	}
	for n := range names {
		b.nodes = append(b.nodes, n)
	}
	slices.Sort(b.nodes)
	b.nodeKeys = make([]graph.Key, len(b.nodes))
	for i, n := range b.nodes {
		k := b.key(graph.KindNode, n)
		b.nodeKeys[i] = k
		if b.g.Vertex(k) != nil {
			continue
		}
		v := &graph.Vertex{Key: k, Kind: graph.KindNode, Name: n, Loc: graph.Location{Cluster: b.s.Cluster, Node: n}}
		v.SetProp(graph.PropImplicit, "true")
		if b.placeholder && n == PlaceholderNode {
			v.SetProp(PropPlaceholder, "true")
		}
		b.add(v)
	}
	b.nodeVertices = make([]*graph.Vertex, len(b.nodeKeys))
	for i, k := range b.nodeKeys {
		b.nodeVertices[i] = b.g.Vertex(k)
	}
}

// pinned returns the nodes a pod group runs on or is pinned to, and
// whether it is: a DaemonSet runs on every node unless its template names
// one; any other group is where its pods in the input run, or where its
// template pins it.
func (b *builder) pinned(pg *workload.Group) ([]string, bool) {
	if pg.Kind == graph.KindDaemonSet && templateNode(&pg.Template.Spec) == "" {
		return nil, false
	}
	return pg.Nodes, len(pg.Nodes) > 0
}

// placement returns the node vertices a pod group's containers escape to,
// their keys and the vertices (nil where absent): its own when it is
// pinned, else every node of the cluster.
func (b *builder) placement(pg *workload.Group) ([]graph.Key, []*graph.Vertex) {
	names, pinned := b.pinned(pg)
	if !pinned {
		return b.nodeKeys, b.nodeVertices
	}
	keys := make([]graph.Key, 0, len(names))
	vertices := make([]*graph.Vertex, 0, len(names))
	for _, n := range names {
		k := b.key(graph.KindNode, n)
		keys, vertices = append(keys, k), append(vertices, b.g.Vertex(k))
	}
	return keys, vertices
}

// templateNode returns the node a pod template can only run on, as the
// scheduler reads it: spec.nodeName, or a nodeSelector on the hostname label.
func templateNode(spec *corev1.PodSpec) string {
	if spec.NodeName != "" {
		return spec.NodeName
	}
	return spec.NodeSelector[corev1.LabelHostname]
}

// placedBecause says why a pinned group is on node n.
func placedBecause(pg *workload.Group, n string) string {
	spec := &pg.Template.Spec
	switch {
	case spec.NodeName == n:
		return "spec.nodeName: " + n
	case spec.NodeSelector[corev1.LabelHostname] == n:
		return fmt.Sprintf("nodeSelector %s: %s", corev1.LabelHostname, n)
	}
	return "a pod of the input runs on " + n
}

// nodeSteps adds the steps from the group's nodes to what the group holds
// there: its containers, its token and its Secrets. A pinned group gets
// them from each of its nodes; any other from the schedulable vertex,
// which every node reaches.
func (b *builder) nodeSteps(pg *workload.Group) {
	type source struct {
		from graph.Key
		why  graph.Evidence
	}
	var sources []source
	if names, pinned := b.pinned(pg); pinned {
		for _, n := range names {
			sources = append(sources, source{b.key(graph.KindNode, n), graph.Evidence{Object: pg.Key, Detail: placedBecause(pg, n)}})
		}
	} else {
		why := "not pinned to a node: the scheduler may place it on any"
		if pg.Kind == graph.KindDaemonSet {
			why = "DaemonSet: runs on every node"
		}
		sources = append(sources, source{b.ensureTransit(), graph.Evidence{Object: pg.Key, Detail: why}})
	}
	spec := &pg.Template.Spec
	tokens := b.tokens(pg)
	secrets := b.secrets(pg)
	for _, src := range sources {
		for _, pc := range containers(spec) {
			b.edge(src.from, b.containerKey(pg, pc.c), graph.Edge{Technique: graph.TechNodeContainers,
				Evidence: []graph.Evidence{src.why}})
		}
		for _, t := range tokens {
			b.edge(src.from, t.sa, graph.Edge{Technique: graph.TechNodeToken, Missing: t.missing,
				Evidence: []graph.Evidence{src.why, {Object: pg.Key, Detail: t.detail}}})
		}
		for _, s := range secrets {
			b.edge(src.from, s.key, graph.Edge{Technique: graph.TechNodeSecret,
				Evidence: []graph.Evidence{src.why, {Object: pg.Key, Detail: s.detail}}})
		}
	}
}

// ensureTransit adds the cluster's schedulable vertex on first use.
func (b *builder) ensureTransit() graph.Key {
	if b.transit == "" {
		b.transit = b.key(graph.KindSchedulable)
		b.add(&graph.Vertex{Key: b.transit, Kind: graph.KindSchedulable, Name: "pods on any node",
			Loc: graph.Location{Cluster: b.s.Cluster}})
	}
	return b.transit
}

// nodeIdentities adds each node's steps to the schedulable vertex and to
// its kubelet's identity.
func (b *builder) nodeIdentities() {
	for i, n := range b.nodes {
		k := b.nodeKeys[i]
		if b.transit != "" {
			b.edge(k, b.transit, graph.Edge{Technique: graph.TechNodeSchedulable,
				Evidence: []graph.Evidence{{Object: k, Detail: "may be given any pod not pinned to another node, and runs every DaemonSet"}}})
		}
		if b.placeholder && n == PlaceholderNode {
			continue // its kubelet's name is as unknown as the node's
		}
		user := "system:node:" + n
		uk := b.key(graph.KindUser, user)
		v := b.g.Vertex(uk)
		if v == nil {
			v = &graph.Vertex{Key: uk, Kind: graph.KindUser, Name: user, Loc: graph.Location{Cluster: b.s.Cluster}}
			b.add(v)
		}
		v.SetProp(PropGroups, "system:nodes")
		b.edge(k, uk, graph.Edge{Technique: graph.TechKubeletCredentials,
			Evidence: []graph.Evidence{{Object: k, Detail: "kubelet client credential (/var/lib/kubelet/pki/kubelet-client-current.pem)"}},
			Note: "authenticates as " + user + " in group system:nodes; the Node authorizer and NodeRestriction limit it " +
				"to the node's own objects and those of the pods bound to it (their Secrets, ConfigMaps and service-account tokens)"})
	}
}
