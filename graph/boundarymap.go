package graph

import (
	"fmt"
	"slices"
)

// BoundaryMap summarises a view for people: every namespace becomes one
// vertex, and all the steps between two regions become one edge that says
// how many steps there are, of which techniques, the widest boundary they
// cross and the controls missing on them. Nodes, identities outside
// namespaces, the internet, hubs and privilege targets stay as they are.
// It is how an estate too large to draw step by step is drawn; the result
// is a new graph, the view's is not touched.
func BoundaryMap(v View) *Graph {
	b := NewBuilder()
	region := func(x *Vertex) *Vertex {
		if x.Loc.Namespace == "" {
			return x
		}
		prefix := x.Key.Cluster()
		return &Vertex{Key: NewKey(prefix, KindNamespace, x.Loc.Namespace), Kind: KindNamespace,
			Name: x.Loc.Namespace, Loc: Location{Cluster: x.Loc.Cluster, Namespace: x.Loc.Namespace}}
	}
	type pair struct{ from, to Key }
	type agg struct {
		count      int
		techniques map[Technique]int
		missing    map[string]bool
		boundary   Boundary
		cost       float64
	}
	aggs := map[pair]*agg{}
	var order []pair
	for _, e := range v.Edges {
		f, t := region(e.F), region(e.T)
		for _, x := range []*Vertex{f, t} {
			if b.Vertex(x.Key) == nil {
				c := *x
				c.Props = nil
				if x.Kind != KindNamespace {
					c.Props = x.Props
				}
				if err := b.AddVertex(&c); err != nil {
					panic(err) // checked for absence just above
				}
			}
		}
		if f.Key == t.Key {
			continue // inside one region: the map shows crossings only
		}
		p := pair{f.Key, t.Key}
		a := aggs[p]
		if a == nil {
			a = &agg{techniques: map[Technique]int{}, missing: map[string]bool{}, cost: e.Cost}
			aggs[p] = a
			order = append(order, p)
		}
		a.count++
		a.techniques[e.Technique]++
		for _, m := range e.Missing {
			a.missing[m] = true
		}
		a.boundary = max(a.boundary, e.Boundary)
		a.cost = min(a.cost, e.Cost)
	}
	for _, p := range order {
		a := aggs[p]
		err := b.AddEdge(p.from, p.to, Edge{Technique: summary(a.count, a.techniques),
			Missing: sortedSet(a.missing), Cost: a.cost,
			Evidence: []Evidence{{Object: p.from, Detail: fmt.Sprintf("%d steps, widest crossing: %s", a.count, a.boundary)}}})
		if err != nil {
			panic(err) // both ends were added above
		}
	}
	return b.Build()
}

// summary labels an aggregated edge briefly, "3× exec into container +1",
// naming the most frequent technique and counting the others.
func summary(n int, techniques map[Technique]int) Technique {
	var top Technique
	for t, c := range techniques {
		if top == "" || c > techniques[top] || c == techniques[top] && t < top {
			top = t
		}
	}
	label := fmt.Sprintf("%d× %s", n, top)
	if n == 1 {
		label = string(top)
	}
	if len(techniques) > 1 {
		label += fmt.Sprintf(" +%d", len(techniques)-1)
	}
	return Technique(label)
}

func sortedSet(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
