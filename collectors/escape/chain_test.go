package escape_test

import (
	"slices"
	"testing"

	"github.com/trustpath/trustpath/analysis"
	"github.com/trustpath/trustpath/collectors"
	"github.com/trustpath/trustpath/graph"
)

// TestChain walks testdata/escape/chain edge by edge, as its README lists
// them: internet → privileged web container → both nodes → the DaemonSet's
// token → cluster-admin.
func TestChain(t *testing.T) {
	t.Parallel()
	res := load(t, collectors.Source{Cluster: "test", Path: testdata("escape", "chain")})
	if d := res.Diagnostics(); len(d) != 0 {
		t.Errorf("diagnostics: %v", d)
	}
	g := res.Graph
	steps := []struct {
		from, to graph.Key
		tech     graph.Technique
		boundary graph.Boundary
		cost     float64
		missing  []string
	}{
		{"internet", "service/web/web", graph.TechExposed, graph.BoundaryCluster, 1, nil},
		{"service/web/web", "deployment/web/web", graph.TechServiceRoute, graph.BoundaryNone, 1, nil},
		{"deployment/web/web", "container/web/web/web", graph.TechExploit, graph.BoundaryNone, 5, nil},
		// web is not pinned: it escapes to whichever node runs it.
		{"container/web/web/web", "any-node", graph.TechEscapePrivileged, graph.BoundaryNode, 1,
			[]string{"Pod Security Admission enforce: baseline on namespace web", "privileged: false on deployment/web/web"}},
		{"any-node", "schedulable", graph.TechNodeSchedulable, graph.BoundaryNode, 1, nil},
		{"any-node", "node/node-1", graph.TechPickNode, graph.BoundaryNone, 0.5, nil},
		{"any-node", "node/node-2", graph.TechPickNode, graph.BoundaryNone, 0.5, nil},
		{"node/node-1", "schedulable", graph.TechNodeSchedulable, graph.BoundaryNode, 1, nil},
		{"node/node-2", "schedulable", graph.TechNodeSchedulable, graph.BoundaryNode, 1, nil},
		{"schedulable", "serviceaccount/agents/agent", graph.TechNodeToken, graph.BoundaryNone, 1,
			[]string{"automountServiceAccountToken: false on daemonset/agents/agent"}},
		// The privilege builder completes the chain: the agent's account is
		// bound to a ClusterRole with every permission.
		{"serviceaccount/agents/agent", "cluster-admin", graph.TechAdmin, graph.BoundaryNone, 1, nil},
		{"node/node-1", "user/system:node:node-1", graph.TechKubeletCredentials, graph.BoundaryNode, 1, nil},
		{"node/node-2", "user/system:node:node-2", graph.TechKubeletCredentials, graph.BoundaryNode, 1, nil},
	}
	for _, s := range steps {
		e := edge(g, s.from, s.to, s.tech)
		if e == nil {
			t.Errorf("no step %s -[%s]-> %s", s.from, s.tech, s.to)
			continue
		}
		if e.Boundary != s.boundary || e.Cost != s.cost {
			t.Errorf("%s -[%s]-> %s: boundary %s cost %g, want %s cost %g", s.from, s.tech, s.to, e.Boundary, e.Cost, s.boundary, s.cost)
		}
		if s.missing != nil && !slices.Equal(e.Missing, s.missing) {
			t.Errorf("%s -[%s]-> %s: missing %q, want %q", s.from, s.tech, s.to, e.Missing, s.missing)
		}
	}

	// The hardened agent has no escape; the web pod has no token to use.
	for _, e := range g.EdgesFrom(g.Lookup("container/agents/agent/agent")) {
		if slices.Contains(escapeTechniques, e.Technique) {
			t.Errorf("the hardened agent escapes: %s -[%s]-> %s", e.F.Key, e.Technique, e.T.Key)
		}
	}
	if e := edge(g, "container/web/web/web", "serviceaccount/web/default", graph.TechMountToken); e != nil {
		t.Error("the web pod's token is not mounted")
	}
	if e := edge(g, "schedulable", "serviceaccount/web/default", graph.TechNodeToken); e != nil {
		t.Error("no token of web/default is on any node")
	}
	if v := g.Lookup("user/system:node:node-1"); v == nil || v.Prop("groups") != "system:nodes" {
		t.Errorf("kubelet identity of node-1 = %+v, want a user in group system:nodes", v)
	}
	// And the analysis finds the whole chain from the internet.
	tree := analysis.Search(g, []*graph.Vertex{g.Lookup("internet")}, nil)
	if p, ok := tree.Path(g.Lookup("cluster-admin")); !ok || len(p.Steps) != 7 {
		t.Errorf("internet to cluster-admin: %v, %d steps; want the 7 above", ok, len(p.Steps))
	}
	if v := g.Lookup("schedulable"); v == nil || !v.Kind.IsTransit() {
		t.Errorf("schedulable = %+v, want a transit vertex", v)
	}
}
