package graph

import (
	"cmp"
	"slices"

	gg "gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/encoding"
	"gonum.org/v1/gonum/graph/encoding/dot"
	"gonum.org/v1/gonum/graph/iterator"
)

// box is a DOT subgraph drawn as a trust-boundary box. Its members are bare
// node references (the vertex is declared with its attributes at the top
// level), and it may hold nested boxes. Graphviz draws a box only around a
// subgraph whose ID starts with "cluster".
type box struct {
	id       string
	label    string
	color    string
	members  []gg.Node
	children []dot.Multigraph
}

// member is a vertex reference inside a box: an ID and a DOT ID, no attributes.
type member struct {
	id  int64
	key string
}

func (m member) ID() int64                      { return m.id }
func (m member) DOTID() string                  { return m.key }
func (b *box) DOTID() string                    { return b.id }
func (b *box) Nodes() gg.Nodes                  { return iterator.NewOrderedNodes(b.members) }
func (b *box) Node(int64) gg.Node               { return nil }
func (b *box) From(int64) gg.Nodes              { return gg.Empty }
func (b *box) To(int64) gg.Nodes                { return gg.Empty }
func (b *box) HasEdgeBetween(int64, int64) bool { return false }
func (b *box) HasEdgeFromTo(int64, int64) bool  { return false }
func (b *box) Lines(int64, int64) gg.Lines      { return gg.Empty }
func (b *box) Edge(int64, int64) gg.Edge        { return nil }
func (b *box) Structure() []dot.Multigraph      { return b.children }

func (b *box) DOTAttributers() (graph, node, edge encoding.Attributer) {
	a := attrs{{Key: "label", Value: b.label}, {Key: "style", Value: "rounded"},
		{Key: "color", Value: b.color}, {Key: "fontcolor", Value: b.color}, {Key: "labeljust", Value: "l"}}
	return a, nil, nil
}

// boxes nests the vertices into cluster ⊃ namespace ⊃ pod group boxes.
// Vertices scoped to a cluster but no namespace (nodes, users, groups,
// privilege targets) sit in the cluster's box; the internet sits outside.
func boxes(nodes []gg.Node) []dot.Multigraph {
	type nsBox struct {
		*box
		pods map[Key]*box
	}
	type clusterBox struct {
		*box
		namespaces map[string]*nsBox
	}
	clusters := map[string]*clusterBox{}
	for _, n := range nodes {
		v := n.(*Vertex)
		loc := v.Loc
		if loc.Cluster == "" && loc.Namespace == "" {
			continue
		}
		c := clusters[loc.Cluster]
		if c == nil {
			label := "cluster " + loc.Cluster
			if loc.Cluster == "" {
				label = "cluster"
			}
			c = &clusterBox{&box{id: "cluster:" + loc.Cluster, label: label, color: boundaryColor[BoundaryCluster]}, map[string]*nsBox{}}
			clusters[loc.Cluster] = c
		}
		m := member{v.UID, string(v.Key)}
		if loc.Namespace == "" || v.Kind == KindNamespace {
			c.members = append(c.members, m)
			continue
		}
		ns := c.namespaces[loc.Namespace]
		if ns == nil {
			ns = &nsBox{&box{id: "cluster:" + loc.Cluster + "/namespace/" + loc.Namespace,
				label: "namespace " + loc.Namespace, color: boundaryColor[BoundaryNamespace]}, map[Key]*box{}}
			c.namespaces[loc.Namespace] = ns
		}
		if loc.Pod == "" {
			ns.members = append(ns.members, m)
			continue
		}
		pod := ns.pods[loc.Pod]
		if pod == nil {
			kind := loc.Pod.Kind()
			pod = &box{id: "cluster:" + string(loc.Pod), label: string(kind) + " " + lastSegment(loc.Pod), color: boundaryColor[BoundaryPod]}
			ns.pods[loc.Pod] = pod
		}
		pod.members = append(pod.members, m)
	}
	var out []dot.Multigraph
	for _, cname := range sortedKeys(clusters) {
		c := clusters[cname]
		for _, nsName := range sortedKeys(c.namespaces) {
			ns := c.namespaces[nsName]
			for _, pk := range sortedKeys(ns.pods) {
				ns.children = append(ns.children, ns.pods[pk])
			}
			c.children = append(c.children, ns.box)
		}
		out = append(out, c.box)
	}
	return out
}

func lastSegment(k Key) string {
	s := string(k)
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '/' {
			return s[i+1:]
		}
	}
	return s
}

func sortedKeys[K cmp.Ordered, V any](m map[K]V) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// legend is a box with one HTML-labelled node naming the edge colours.
func legend() dot.Multigraph {
	rows := ""
	for b := BoundaryCluster; b >= BoundaryNone; b-- {
		text := "crosses " + b.String() + " boundary"
		if b == BoundaryNone {
			text = "stays inside its boundary"
		}
		rows += `<tr><td align="left"><font color="` + boundaryColor[b] + `">━━ ` + text + `</font></td></tr>`
	}
	n := &legendNode{label: `<<table border="0" cellborder="0" cellspacing="0" cellpadding="1">` + rows + `</table>>`}
	return &box{id: "cluster:legend", label: "edge colour", color: "#bdbdbd", members: []gg.Node{n}}
}

// legendNode is the one drawn node that is not a vertex. Its ID sits far
// below vertex IDs so it can never collide with one.
type legendNode struct{ label string }

func (n *legendNode) ID() int64     { return -1 }
func (n *legendNode) DOTID() string { return "legend" }
func (n *legendNode) Attributes() []encoding.Attribute {
	return []encoding.Attribute{{Key: "shape", Value: "plaintext"}, {Key: "label", Value: n.label}}
}
