package escape_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/trustpath/trustpath/collectors"
	"github.com/trustpath/trustpath/graph"
	"github.com/trustpath/trustpath/graph/graphtest"
)

// escapeTechniques are the steps out of a container this package adds.
var escapeTechniques = []graph.Technique{
	graph.TechEscapePrivileged, graph.TechEscapeNsenter, graph.TechEscapeHostProcess,
	graph.TechEscapeKernelModule, graph.TechEscapeSysAdmin, graph.TechEscapeOpenByHandle,
	graph.TechEscapeRuntimeSocket, graph.TechEscapeWriteHost, graph.TechEscapeReadNode,
	graph.TechEscapeKernelParams, graph.TechEscapeLogSymlink, graph.TechEscapeHostNetwork,
	graph.TechSiblingContainer,
}

// nodeTechniques are the steps out of a node (or any-node) this package adds.
var nodeTechniques = []graph.Technique{
	graph.TechNodeSchedulable, graph.TechNodeContainers, graph.TechNodeToken,
	graph.TechNodeSecret, graph.TechKubeletCredentials, graph.TechPickNode,
}

func testdata(parts ...string) string {
	return filepath.Join(append([]string{"..", "..", "testdata"}, parts...)...)
}

func load(t *testing.T, sources ...collectors.Source) *collectors.Result {
	t.Helper()
	res, err := collectors.Load(t.Context(), collectors.Options{Sources: sources, DefaultNamespace: "default"})
	if err != nil {
		t.Fatal(err)
	}
	graphtest.Validate(t, res.Graph)
	return res
}

func loadYAML(t *testing.T, yaml string) *graph.Graph {
	t.Helper()
	res, err := collectors.Load(t.Context(), collectors.Options{DefaultNamespace: "default",
		Sources: []collectors.Source{{Cluster: "test", Path: "-"}}, Stdin: strings.NewReader(yaml)})
	if err != nil {
		t.Fatal(err)
	}
	graphtest.Validate(t, res.Graph)
	return res.Graph
}

// edgeList renders the edges of g whose technique is in techs as
// "from -[technique]-> to" and, with cost, " (cost N)", sorted.
func edgeList(g *graph.Graph, techs []graph.Technique, cost bool) []string {
	var out []string
	for _, e := range g.Edges() {
		if !slices.Contains(techs, e.Technique) {
			continue
		}
		s := fmt.Sprintf("%s -[%s]-> %s", e.F.Key, e.Technique, e.T.Key)
		if cost {
			s += fmt.Sprintf(" (cost %g)", e.Cost)
		}
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

func edge(g *graph.Graph, from, to graph.Key, tech graph.Technique) *graph.Edge {
	f := g.Lookup(from)
	if f == nil {
		return nil
	}
	for _, e := range g.EdgesFrom(f) {
		if e.T.Key == to && e.Technique == tech {
			return e
		}
	}
	return nil
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
