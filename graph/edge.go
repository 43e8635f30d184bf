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

// merge folds o, the same step found again, into e. The lists it makes
// are new: e's may be shared with the caller that added it.
func (e *Edge) merge(o *Edge) {
	e.Ports = joined(e.Ports, o.Ports)
	e.Present = joined(e.Present, o.Present)
	e.Missing = joined(e.Missing, o.Missing)
	e.Evidence = joined(e.Evidence, o.Evidence)
	if e.Note == "" {
		e.Note = o.Note
	}
	e.Cost = min(e.Cost, o.Cost)
}

// joined returns a followed by b, in a new list unless b is empty.
func joined[S ~[]E, E any](a, b S) S {
	if len(b) == 0 {
		return a
	}
	return append(a[:len(a):len(a)], b...)
}

// normalize sorts and de-duplicates the edge's lists so output is stable.
// A list already sorted is kept; any other is sorted in a copy, since the
// lists may be shared with the caller that added the edge.
func (e *Edge) normalize() {
	e.Ports = sortUnique(e.Ports, strings.Compare)
	e.Present = sortUnique(e.Present, strings.Compare)
	e.Missing = sortUnique(e.Missing, strings.Compare)
	e.Evidence = sortUnique(e.Evidence, compareEvidence)
}

func sortUnique[S ~[]E, E comparable](s S, cmp func(a, b E) int) S {
	for i := 1; i < len(s); i++ {
		if cmp(s[i-1], s[i]) >= 0 {
			s = slices.Clone(s)
			slices.SortFunc(s, cmp)
			return slices.Compact(s)
		}
	}
	return s
}
