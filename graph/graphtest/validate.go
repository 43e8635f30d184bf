package graphtest

import (
	"testing"

	"github.com/trustpath/trustpath/graph"
)

// secretProps are the only properties a Secret vertex may carry: a value
// must never reach the graph, so anything else is a leak until proven not.
var secretProps = map[string]bool{"type": true, "keys": true, graph.PropImplicit: true, graph.PropCrownJewel: true}

// Validate checks the invariants every built graph holds: IDs follow sorted
// keys, keys are unique and parse, every edge's endpoints are in the graph,
// each edge's boundary is the one its endpoints' locations imply, and Secret
// vertices carry no property that could hold a value.
func Validate(t testing.TB, g *graph.Graph) {
	t.Helper()
	seen := map[graph.Key]bool{}
	var prev graph.Key
	for i, v := range g.Vertices() {
		if v.UID != int64(i) {
			t.Errorf("vertex %s has ID %d at position %d", v.Key, v.UID, i)
		}
		if seen[v.Key] {
			t.Errorf("duplicate vertex key %s", v.Key)
		}
		seen[v.Key] = true
		if i > 0 && v.Key <= prev {
			t.Errorf("vertices not sorted: %s after %s", v.Key, prev)
		}
		prev = v.Key
		if k, err := graph.ParseKey(string(v.Key)); err != nil || k != v.Key {
			t.Errorf("vertex key %s does not parse back to itself: %v, %v", v.Key, k, err)
		}
		if v.Key.Kind() != v.Kind {
			t.Errorf("vertex %s has kind %s", v.Key, v.Kind)
		}
		if g.Lookup(v.Key) != v {
			t.Errorf("Lookup(%s) does not return the vertex", v.Key)
		}
		if v.Kind == graph.KindSecret {
			for p := range v.Props {
				if !secretProps[p] {
					t.Errorf("secret %s carries property %q, which could hold a value", v.Key, p)
				}
			}
		}
	}
	for i, e := range g.Edges() {
		if e.UID != int64(i) {
			t.Errorf("edge %s -> %s has ID %d at position %d", e.F.Key, e.T.Key, e.UID, i)
		}
		if g.Lookup(e.F.Key) != e.F || g.Lookup(e.T.Key) != e.T {
			t.Errorf("edge %s -> %s has an endpoint outside the graph", e.F.Key, e.T.Key)
		}
		if want := graph.Cross(e.F.Loc, e.T.Loc); e.Boundary != want {
			t.Errorf("edge %s -> %s crosses %s, want %s from its endpoints", e.F.Key, e.T.Key, e.Boundary, want)
		}
		if e.Technique == "" {
			t.Errorf("edge %s -> %s has no technique", e.F.Key, e.T.Key)
		}
		if len(e.Evidence) == 0 {
			t.Errorf("edge %s -> %s %q has no evidence", e.F.Key, e.T.Key, e.Technique)
		}
		if e.Cost <= 0 {
			t.Errorf("edge %s -> %s has cost %v, want > 0", e.F.Key, e.T.Key, e.Cost)
		}
	}
}
