package graph

import (
	"cmp"
	"slices"

	gg "gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/encoding"
)

// gridColumns is how many namespace boxes one row of a diagram holds.
// Graphviz stacks boxes that no edge orders into one tall column; a few
// invisible lines arrange them in rows instead, so a whole estate fits a
// screen's proportions.
const gridColumns = 3

// layoutLine is an invisible line that only shapes the layout: it places its
// head's namespace box after its tail's, and weighs nothing in the search
// for straight edges.
type layoutLine struct {
	f, t gg.Node
	id   int64
}

func (l layoutLine) From() gg.Node         { return l.f }
func (l layoutLine) To() gg.Node           { return l.t }
func (l layoutLine) ID() int64             { return l.id }
func (l layoutLine) ReversedLine() gg.Line { return l }
func (l layoutLine) Attributes() []encoding.Attribute {
	return []encoding.Attribute{{Key: "style", Value: "invis"}, {Key: "weight", Value: "0"}}
}

// gridLines returns the invisible lines that lay the namespace boxes of each
// cluster out in rows of gridColumns: from the sinks of one box (its last
// rank, since the deepest vertex of a DAG is a sink) to the sources of the
// next in the same row. Boxes are taken in sorted order, so the grid is
// deterministic. The count is bounded by the boxes' sinks times sources.
func gridLines(nodes []gg.Node, edges []*Edge) []layoutLine {
	type nsKey struct{ cluster, namespace string }
	var order []nsKey
	members := map[nsKey][]*Vertex{}
	for _, n := range nodes {
		v := n.(*Vertex)
		if v.Loc.Namespace == "" || v.Kind == KindNamespace {
			continue
		}
		k := nsKey{v.Loc.Cluster, v.Loc.Namespace}
		if members[k] == nil {
			order = append(order, k)
		}
		members[k] = append(members[k], v)
	}
	hasIn, hasOut := map[int64]bool{}, map[int64]bool{}
	for _, e := range edges {
		if e.F.Loc.Cluster == e.T.Loc.Cluster && e.F.Loc.Namespace == e.T.Loc.Namespace {
			hasOut[e.F.UID], hasIn[e.T.UID] = true, true
		}
	}
	// Keys start with the cluster, but the namespace is not always the next
	// segment (node/…, user/…), so sort the boxes explicitly.
	slices.SortFunc(order, func(a, b nsKey) int {
		return cmp.Or(cmp.Compare(a.cluster, b.cluster), cmp.Compare(a.namespace, b.namespace))
	})

	var lines []layoutLine
	id := int64(-2) // below every vertex and line ID, and the legend's -1
	col := 0
	for i, k := range order {
		if i == 0 || order[i-1].cluster != k.cluster {
			col = 0
		} else {
			col++
		}
		if col%gridColumns == 0 {
			continue // first box of a row
		}
		prev := order[i-1]
		for _, s := range members[prev] {
			if hasOut[s.UID] {
				continue
			}
			for _, t := range members[k] {
				if hasIn[t.UID] {
					continue
				}
				lines = append(lines, layoutLine{s, t, id})
				id--
			}
		}
	}
	return lines
}
