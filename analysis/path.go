package analysis

import (
	"cmp"
	"slices"

	"github.com/trustpath/trustpath/graph"
)

// Path is a sequence of attacker steps, each starting where the last ended.
type Path struct {
	Steps []*graph.Edge
	Cost  float64
}

// From returns the first vertex of the path.
func (p Path) From() *graph.Vertex { return p.Steps[0].F }

// To returns the last vertex of the path.
func (p Path) To() *graph.Vertex { return p.Steps[len(p.Steps)-1].T }

// Vertices returns the path's vertices in order.
func (p Path) Vertices() []*graph.Vertex {
	if len(p.Steps) == 0 {
		return nil
	}
	out := []*graph.Vertex{p.Steps[0].F}
	for _, e := range p.Steps {
		out = append(out, e.T)
	}
	return out
}

// Crossing is a trust boundary a path crosses at one step.
type Crossing struct {
	Step     int // index into Path.Steps
	Boundary graph.Boundary
	// From is where the crossing starts: the step's source, or for a step
	// out of a transit vertex (the pod network, what a node may run), the
	// last real vertex before it.
	From *graph.Vertex
	// Missing are the controls that would have stopped the crossing,
	// sorted; it may share the graph's slice and must not be modified.
	Missing []string
}

// Crossings returns the boundaries the path crosses, in order. A transit
// vertex stands for a set of others, so a crossing through it is measured
// between the real vertices on either side: frontend → pod network →
// processor crosses the namespace boundary at the second step.
func (p Path) Crossings() []Crossing {
	var out []Crossing
	var last *graph.Vertex // last real vertex
	for i, e := range p.Steps {
		if !e.F.Kind.IsTransit() {
			last = e.F
		}
		if e.T.Kind.IsTransit() {
			continue
		}
		from := e.F
		if e.F.Kind.IsTransit() && last != nil {
			from = last
		}
		b := graph.Cross(from.Loc, e.T.Loc)
		if b == graph.BoundaryNone {
			continue
		}
		missing := slices.Clone(e.Missing)
		if e.F.Kind.IsTransit() && i > 0 {
			missing = append(missing, p.Steps[i-1].Missing...) // the egress side counts too
		}
		slices.Sort(missing)
		out = append(out, Crossing{Step: i, Boundary: b, From: from, Missing: slices.Compact(missing)})
	}
	return out
}

// Uncontrolled returns the crossings of the path at or beyond min where
// some control is missing: the findings' raw material.
func (p Path) Uncontrolled(min graph.Boundary) []Crossing {
	var out []Crossing
	for _, c := range p.Crossings() {
		if c.Boundary >= min && len(c.Missing) > 0 {
			out = append(out, c)
		}
	}
	return out
}

// comparePaths orders paths by cost, then hops, then keys.
func comparePaths(a, b Path) int {
	if c := cmp.Compare(a.Cost, b.Cost); c != 0 {
		return c
	}
	if c := cmp.Compare(len(a.Steps), len(b.Steps)); c != 0 {
		return c
	}
	for i := range a.Steps {
		if c := cmp.Or(cmp.Compare(a.Steps[i].T.Key, b.Steps[i].T.Key), cmp.Compare(a.Steps[i].Technique, b.Steps[i].Technique)); c != 0 {
			return c
		}
	}
	return cmp.Compare(a.From().Key, b.From().Key)
}
