package graph

import "fmt"

// Boundary is a trust boundary an edge crosses. Values are ordered from
// innermost to outermost, so a larger value is a wider crossing.
type Boundary int

// Trust boundaries, innermost first.
const (
	BoundaryNone Boundary = iota
	BoundaryContainer
	BoundaryPod
	BoundaryNamespace
	BoundaryNode
	BoundaryCluster
)

var boundaryNames = [...]string{"none", "container", "pod", "namespace", "node", "cluster"}

func (b Boundary) String() string {
	if b < 0 || int(b) >= len(boundaryNames) {
		return fmt.Sprintf("Boundary(%d)", int(b))
	}
	return boundaryNames[b]
}

// MarshalText encodes b by name so JSON stays readable and stable.
func (b Boundary) MarshalText() ([]byte, error) { return []byte(b.String()), nil }

// UnmarshalText decodes a boundary name.
func (b *Boundary) UnmarshalText(text []byte) error {
	for i, n := range boundaryNames {
		if n == string(text) {
			*b = Boundary(i)
			return nil
		}
	}
	return fmt.Errorf("unknown boundary %q", text)
}

// Location places a vertex in the estate. Empty fields mean the vertex is
// scoped above that level: a Secret has no pod, a Node has no namespace, and
// the internet has no cluster at all.
type Location struct {
	Cluster   string `json:"cluster,omitempty"`
	Node      string `json:"node,omitempty"`
	Namespace string `json:"namespace,omitempty"`
	Pod       Key    `json:"pod,omitempty"` // the pod group
	Container string `json:"container,omitempty"`
}

// AnyNode is the Node of the any-node vertex's location: a node of the
// cluster, unknown which. No node is named so ("*" is not a DNS subdomain).
const AnyNode = "*"

// hostLevel reports whether l is a node itself rather than something on it.
func (l Location) hostLevel() bool { return l.Node != "" && l.Namespace == "" && l.Pod == "" }

// Cross returns the outermost trust boundary a step from a to b crosses.
//
// Levels are compared outermost first. Clusters differ when the names differ
// (the internet is in no cluster). A node boundary is crossed when exactly
// one side is a node itself (escaping to the host, or acting from it on what
// runs there), or both are different nodes (any node, AnyNode, becoming a
// known one crosses nothing); two pods on different nodes talk
// over the network without crossing a node boundary. Below that, a level only
// counts when both sides are scoped to it: a container reading a Secret of
// its own namespace crosses nothing, one reading another namespace's Secret
// crosses the namespace boundary.
func Cross(a, b Location) Boundary {
	switch {
	case a.Cluster != b.Cluster:
		return BoundaryCluster
	case a.hostLevel() || b.hostLevel():
		if a.hostLevel() && b.hostLevel() && (a.Node == b.Node || a.Node == AnyNode || b.Node == AnyNode) {
			return BoundaryNone // one node, or some node becoming a known one
		}
		return BoundaryNode
	case a.Namespace != "" && b.Namespace != "" && a.Namespace != b.Namespace:
		return BoundaryNamespace
	case a.Pod != "" && b.Pod != "" && a.Pod != b.Pod:
		return BoundaryPod
	case a.Container != "" && b.Container != "" && a.Container != b.Container:
		return BoundaryContainer
	}
	return BoundaryNone
}
