package graph

import (
	"slices"

	gg "gonum.org/v1/gonum/graph"
)

// Vertex is one thing in the estate an attacker can stand on or reach.
type Vertex struct {
	UID  int64 // assigned by Builder.Build in sorted key order
	Key  Key
	Kind Kind
	Name string // short display name: the object's name
	Loc  Location
	// Props are descriptive attributes (image, replicas, secret type and key
	// names, …). They never hold a secret value.
	Props map[string]string
}

var _ gg.Node = (*Vertex)(nil)

// ID implements gonum's graph.Node.
func (v *Vertex) ID() int64 { return v.UID }

// Prop returns the property named p, or "".
func (v *Vertex) Prop(p string) string { return v.Props[p] }

// SetProp records a descriptive property; an empty value removes it.
func (v *Vertex) SetProp(p, value string) {
	if value == "" {
		delete(v.Props, p)
		return
	}
	if v.Props == nil {
		v.Props = map[string]string{}
	}
	v.Props[p] = value
}

// propNames returns v's property names, sorted.
func (v *Vertex) propNames() []string {
	names := make([]string, 0, len(v.Props))
	for n := range v.Props {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Well-known vertex properties.
const (
	PropImplicit = "implicit" // "true" when the object was referenced but not in the input
	PropReplicas = "replicas"
	PropImage    = "image"
	// PropCrownJewel is "true" on vertices the user marked as targets worth
	// protecting (the trustpath.io/crown-jewel annotation).
	PropCrownJewel = "crown-jewel"
)
