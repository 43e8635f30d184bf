package analysis

import (
	"cmp"
	"slices"

	"github.com/trustpath/trustpath/graph"
)

// ActorKind is one of the threat model's starting points.
type ActorKind int

// Threat actors.
const (
	// External is the attacker on the internet.
	External ActorKind = iota
	// CompromisedContainer is an attacker running code in a container.
	CompromisedContainer
	// MaliciousUser is an RBAC subject acting with the rights it holds.
	MaliciousUser
	numActorKinds
)

var actorNames = [...]string{"external attacker", "compromised container", "malicious user"}

func (a ActorKind) String() string { return actorNames[a] }

// Actors returns the vertices an actor of kind a may start from: the
// internet; every container; every user and group.
func Actors(g *graph.Graph, a ActorKind) []*graph.Vertex {
	var out []*graph.Vertex
	for _, v := range g.Vertices() {
		switch {
		case a == External && v.Kind == graph.KindInternet,
			a == CompromisedContainer && v.Kind == graph.KindContainer,
			a == MaliciousUser && (v.Kind == graph.KindUser || v.Kind == graph.KindGroup):
			out = append(out, v)
		}
	}
	return out
}

// ActorOf returns the actor kind a vertex starts as, and false for vertices
// that are no actor's starting point.
func ActorOf(v *graph.Vertex) (ActorKind, bool) {
	switch v.Kind {
	case graph.KindInternet:
		return External, true
	case graph.KindContainer:
		return CompromisedContainer, true
	case graph.KindUser, graph.KindGroup:
		return MaliciousUser, true
	}
	return 0, false
}

// Impact grades what reaching a target means, 1 to 5.
type Impact int

// Target is a vertex worth reaching and why.
type Target struct {
	Vertex *graph.Vertex
	Impact Impact
	Why    string
}

// impactTable is the one table of target impact:
//
//	5  cluster-admin; a crown jewel (annotation or --target)
//	4  a node (or any node); kube-system (its secrets and its admin); another cluster
//	3  a Secret; a namespace's admin
//
// Everything else is no target in itself: it matters through what it leads to.
func impactOf(v *graph.Vertex) (Impact, string) {
	switch {
	case v.Prop(graph.PropCrownJewel) == "true":
		return 5, "crown jewel"
	case v.Kind == graph.KindClusterAdmin:
		return 5, "cluster-admin"
	case v.Kind == graph.KindNode, v.Kind == graph.KindAnyNode: // any-node: root on some node
		return 4, "node"
	case v.Kind == graph.KindCluster:
		return 4, "cluster" // only stored credentials of another cluster lead here
	case v.Loc.Namespace == "kube-system" && (v.Kind == graph.KindSecret || v.Kind == graph.KindNamespaceAdmin):
		return 4, "kube-system"
	case v.Kind == graph.KindSecret:
		return 3, "secret"
	case v.Kind == graph.KindNamespaceAdmin:
		return 3, "namespace admin"
	}
	return 0, ""
}

// Targets returns every target of g, with the vertices of extra (--target)
// as crown jewels, sorted by impact (highest first) then key.
func Targets(g *graph.Graph, extra []*graph.Vertex) []Target {
	var out []Target
	for _, v := range g.Vertices() {
		impact, why := impactOf(v)
		if slices.Contains(extra, v) {
			impact, why = 5, "crown jewel (--target)"
		}
		if impact > 0 {
			out = append(out, Target{v, impact, why})
		}
	}
	slices.SortFunc(out, func(a, b Target) int {
		return cmp.Or(cmp.Compare(b.Impact, a.Impact), cmp.Compare(a.Vertex.Key, b.Vertex.Key))
	})
	return out
}
