package graph

import (
	"cmp"
	"slices"
)

// View is a part of a graph to render or encode: a set of vertices and the
// edges among them, both sorted like the graph's own.
type View struct {
	Vertices []*Vertex
	Edges    []*Edge
	// MarkMissing draws the edges that lack a control in red, labelled with
	// the missing control: how path diagrams show where a defence failed.
	MarkMissing bool
}

// All returns a view of the whole graph.
func (g *Graph) All() View { return View{Vertices: g.vertices, Edges: g.edges} }

// Neighbourhood returns the vertices within depth steps of center, following
// edges in either direction, and the edges among them. It is how a large
// estate is drawn: around one vertex, not all at once. Cost is O(V+E) of the
// neighbourhood, not of the graph.
func (g *Graph) Neighbourhood(center *Vertex, depth int) View {
	seen := map[int64]bool{center.UID: true}
	frontier := []*Vertex{center}
	for range depth {
		var next []*Vertex
		for _, v := range frontier {
			visit := func(id int64) {
				if !seen[id] {
					seen[id] = true
					next = append(next, g.vertices[id])
				}
			}
			for _, e := range g.out[v.UID] {
				visit(e.T.UID)
			}
			for _, e := range g.in[v.UID] {
				visit(e.F.UID)
			}
		}
		frontier = next
	}
	return g.subview(seen)
}

// ViewOf returns the view of some edges and their endpoints.
func ViewOf(edges []*Edge) View {
	var v View
	seen := map[*Vertex]bool{}
	for _, e := range edges {
		for _, x := range []*Vertex{e.F, e.T} {
			if !seen[x] {
				seen[x] = true
				v.Vertices = append(v.Vertices, x)
			}
		}
	}
	v.Edges = slices.Clone(edges)
	slices.SortFunc(v.Vertices, func(a, b *Vertex) int { return cmp.Compare(a.Key, b.Key) })
	slices.SortFunc(v.Edges, compareEdges)
	v.Edges = slices.Compact(v.Edges)
	return v
}

// subview returns the view of the vertices whose IDs are in keep.
func (g *Graph) subview(keep map[int64]bool) View {
	var v View
	for _, x := range g.vertices {
		if keep[x.UID] {
			v.Vertices = append(v.Vertices, x)
		}
	}
	for _, e := range g.edges {
		if keep[e.F.UID] && keep[e.T.UID] {
			v.Edges = append(v.Edges, e)
		}
	}
	return v
}

// clusters returns the cluster names in v, sorted.
func (v View) clusters() []string {
	var cs []string
	for _, x := range v.Vertices {
		if c := x.Loc.Cluster; c != "" && !slices.Contains(cs, c) {
			cs = append(cs, c)
		}
	}
	slices.Sort(cs)
	return cs
}
