package graph

import (
	"cmp"
	"slices"
	"strings"

	gg "gonum.org/v1/gonum/graph"
)

// Evidence names an object, and the part of it, that produced an edge.
type Evidence struct {
	Object Key    `json:"object"`           // e.g. deployment/shop/api or rolebinding/shop/dev
	Detail string `json:"detail,omitempty"` // e.g. "container api: envFrom[0].secretRef"
}

// Edge is one attacker action from F to T. Several edges can join one pair
// of vertices (one per technique), so edges are multigraph lines.
type Edge struct {
	F, T      *Vertex
	UID       int64 // assigned by Builder.Build in sorted order
	Technique Technique
	// Ports are the network ports the step uses ("tcp/8080", "tcp/1-65535",
	// "any"), sorted; empty for steps that are not connections.
	Ports    []string
	Boundary Boundary // derived from the endpoints' locations
	// Present and Missing name the controls on this crossing that were found
	// and that would have stopped the step, e.g. "automountServiceAccountToken: false".
	Present  []string
	Missing  []string
	Evidence []Evidence
	// Note explains anything the reader of the edge must know, such as a
	// source address rewritten by NAT.
	Note string
	Cost float64 // attacker effort; lower is easier
}

var _ gg.WeightedLine = (*Edge)(nil)

// From implements gonum's graph.Line.
func (e *Edge) From() gg.Node { return e.F }

// To implements gonum's graph.Line.
func (e *Edge) To() gg.Node { return e.T }

// ID implements gonum's graph.Line.
func (e *Edge) ID() int64 { return e.UID }

// Weight implements gonum's graph.WeightedLine.
func (e *Edge) Weight() float64 { return e.Cost }

// ReversedLine returns e: an attack step cannot be reversed, and gonum's
// contract lets a line that cannot be reversed return its receiver.
func (e *Edge) ReversedLine() gg.Line { return e }

// Label is the technique followed by the ports, as diagrams and tables show it.
func (e *Edge) Label() string {
	if len(e.Ports) == 0 {
		return string(e.Technique)
	}
	return string(e.Technique) + " " + strings.Join(e.Ports, ",")
}

// compareEdges orders edges by (from key, to key, technique).
func compareEdges(a, b *Edge) int {
	return cmp.Or(
		cmp.Compare(a.F.Key, b.F.Key),
		cmp.Compare(a.T.Key, b.T.Key),
		cmp.Compare(a.Technique, b.Technique),
	)
}

func compareEvidence(a, b Evidence) int {
	return cmp.Or(cmp.Compare(a.Object, b.Object), cmp.Compare(a.Detail, b.Detail))
}

// merge folds o, the same step found again, into e.
func (e *Edge) merge(o *Edge) {
	e.Ports = append(e.Ports, o.Ports...)
	e.Present = append(e.Present, o.Present...)
	e.Missing = append(e.Missing, o.Missing...)
	e.Evidence = append(e.Evidence, o.Evidence...)
	if e.Note == "" {
		e.Note = o.Note
	}
	e.Cost = min(e.Cost, o.Cost)
}

// normalize sorts and de-duplicates the edge's lists so output is stable.
func (e *Edge) normalize() {
	e.Ports = sortUnique(e.Ports)
	e.Present = sortUnique(e.Present)
	e.Missing = sortUnique(e.Missing)
	if len(e.Evidence) > 1 {
		slices.SortFunc(e.Evidence, compareEvidence)
		e.Evidence = slices.Compact(e.Evidence)
	}
}

func sortUnique(s []string) []string {
	if len(s) < 2 {
		return s
	}
	slices.Sort(s)
	return slices.Compact(s)
}
