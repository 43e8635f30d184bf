package analysis_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/trustpath/trustpath/analysis"
	"github.com/trustpath/trustpath/graph"
	"github.com/trustpath/trustpath/graph/graphtest"
)

// hubGraph: a and b have open egress; the hub admits all to b:8080 and
// c:53; a reaches d:9090 directly (a policy pair); d reaches the internet.
func hubGraph(t *testing.T) *graph.Graph {
	t.Helper()
	b := graph.NewBuilder()
	loc := func(ns, name string) graph.Location {
		return graph.Location{Cluster: "c", Namespace: ns, Pod: graph.NewKey("", graph.KindDeployment, ns, name)}
	}
	for _, v := range []*graph.Vertex{
		{Key: "internet", Kind: graph.KindInternet},
		{Key: "pod-network", Kind: graph.KindPodNetwork, Loc: graph.Location{Cluster: "c"}},
		{Key: "deployment/x/a", Kind: graph.KindDeployment, Loc: loc("x", "a")},
		{Key: "deployment/x/b", Kind: graph.KindDeployment, Loc: loc("x", "b")},
		{Key: "deployment/y/c", Kind: graph.KindDeployment, Loc: loc("y", "c")},
		{Key: "deployment/y/d", Kind: graph.KindDeployment, Loc: loc("y", "d")},
	} {
		if err := b.AddVertex(v); err != nil {
			t.Fatal(err)
		}
	}
	ev := []graph.Evidence{{Object: "networkpolicy/y/p", Detail: "ingress rule 0"}}
	for _, e := range []struct {
		from, to graph.Key
		tech     graph.Technique
		ports    []string
	}{
		{"deployment/x/a", "pod-network", graph.TechConnect, []string{"any"}},
		{"deployment/x/b", "pod-network", graph.TechConnect, []string{"any"}},
		{"pod-network", "deployment/x/b", graph.TechConnect, []string{"tcp/8080"}},
		{"pod-network", "deployment/y/c", graph.TechConnect, []string{"udp/53"}},
		{"deployment/x/a", "deployment/y/d", graph.TechConnect, []string{"tcp/9000-9100"}},
		{"deployment/y/d", "internet", graph.TechEgressInternet, []string{"tcp/443"}},
		{"internet", "deployment/x/b", graph.TechExposed, []string{"tcp/80"}},
		{"deployment/x/a", "deployment/y/c", graph.TechExec, nil}, // not a network step
	} {
		if err := b.AddEdge(e.from, e.to, graph.Edge{Technique: e.tech, Ports: e.ports, Evidence: ev}); err != nil {
			t.Fatal(err)
		}
	}
	g := b.Build()
	graphtest.Validate(t, g)
	return g
}

func flowStrings(fs []analysis.Flow) []string {
	var out []string
	for _, f := range fs {
		via := ""
		if f.Via != nil {
			via = " via " + string(f.Via.Key)
		}
		out = append(out, fmt.Sprintf("%s -> %s %s%s", f.From.Key, f.To.Key, strings.Join(f.Ports, ","), via))
	}
	return out
}

func TestFlows(t *testing.T) {
	t.Parallel()
	g := hubGraph(t)
	port := func(s string) *graph.PortSpec {
		p, err := graph.ParsePort(s)
		if err != nil {
			t.Fatal(err)
		}
		return &p
	}
	tests := []struct {
		name string
		q    analysis.FlowQuery
		want []string
	}{
		{"all edges, hub unexpanded", analysis.FlowQuery{}, []string{
			"deployment/x/a -> deployment/y/d tcp/9000-9100",
			"deployment/x/a -> pod-network any",
			"deployment/x/b -> pod-network any",
			"deployment/y/d -> internet tcp/443",
			"internet -> deployment/x/b tcp/80",
			"pod-network -> deployment/x/b tcp/8080",
			"pod-network -> deployment/y/c udp/53",
		}},
		{"from a joins the hub", analysis.FlowQuery{From: g.Lookup("deployment/x/a")}, []string{
			"deployment/x/a -> deployment/x/b tcp/8080 via pod-network",
			"deployment/x/a -> deployment/y/c udp/53 via pod-network",
			"deployment/x/a -> deployment/y/d tcp/9000-9100",
		}},
		{"from b skips its own replicas", analysis.FlowQuery{From: g.Lookup("deployment/x/b")}, []string{
			"deployment/x/b -> deployment/y/c udp/53 via pod-network",
		}},
		{"to b", analysis.FlowQuery{To: g.Lookup("deployment/x/b")}, []string{
			"deployment/x/a -> deployment/x/b tcp/8080 via pod-network",
			"internet -> deployment/x/b tcp/80",
		}},
		{"from a to c", analysis.FlowQuery{From: g.Lookup("deployment/x/a"), To: g.Lookup("deployment/y/c")}, []string{
			"deployment/x/a -> deployment/y/c udp/53 via pod-network",
		}},
		{"port inside a range", analysis.FlowQuery{From: g.Lookup("deployment/x/a"), Port: port("tcp/9050")}, []string{
			"deployment/x/a -> deployment/y/d tcp/9000-9100",
		}},
		{"port nobody uses", analysis.FlowQuery{Port: port("sctp/1")}, []string{"deployment/x/a -> pod-network any", "deployment/x/b -> pod-network any"}},
	}
	for _, tt := range tests {
		if got := flowStrings(analysis.Flows(g, tt.q)); !slices.Equal(got, tt.want) {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, got, tt.want)
		}
	}
}
