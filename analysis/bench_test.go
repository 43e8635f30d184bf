package analysis_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/trustpath/trustpath/analysis"
	"github.com/trustpath/trustpath/graph"
)

// syntheticGraph builds an estate-shaped graph of n pod groups in n/20
// namespaces on n/25 nodes, with the edges the builders make: exposure,
// exploit, tokens, secrets, the pod-network hub, node escapes for one
// group in fifty, the schedulable hub, and a few broad RBAC grants.
func syntheticGraph(n int) *graph.Graph {
	b := graph.NewBuilder()
	add := func(v *graph.Vertex) {
		if err := b.AddVertex(v); err != nil {
			panic(err)
		}
	}
	edge := func(from, to graph.Key, tech graph.Technique, missing ...string) {
		if err := b.AddEdge(from, to, graph.Edge{Technique: tech, Missing: missing,
			Evidence: []graph.Evidence{{Object: from}}}); err != nil {
			panic(err)
		}
	}
	cl := graph.Location{Cluster: "c"}
	add(&graph.Vertex{Key: graph.Internet, Kind: graph.KindInternet})
	add(&graph.Vertex{Key: "pod-network", Kind: graph.KindPodNetwork, Loc: cl})
	add(&graph.Vertex{Key: "schedulable", Kind: graph.KindSchedulable, Loc: cl})
	add(&graph.Vertex{Key: "cluster-admin", Kind: graph.KindClusterAdmin, Loc: cl})
	nodes := max(n/25, 1)
	for i := range nodes {
		k := graph.NewKey("", graph.KindNode, fmt.Sprintf("n%d", i))
		add(&graph.Vertex{Key: k, Kind: graph.KindNode, Loc: graph.Location{Cluster: "c", Node: fmt.Sprintf("n%d", i)}})
		edge(k, "schedulable", "may host any pod")
	}
	for i := range n {
		ns := fmt.Sprintf("ns%d", i/20)
		name := fmt.Sprintf("w%d", i)
		loc := graph.Location{Cluster: "c", Namespace: ns}
		wk := graph.NewKey("", graph.KindDeployment, ns, name)
		ck := graph.NewKey("", graph.KindContainer, ns, name, "c")
		sa := graph.NewKey("", graph.KindServiceAccount, ns, name)
		sec := graph.NewKey("", graph.KindSecret, ns, fmt.Sprintf("s%d", i%20))
		pl := loc
		pl.Pod = wk
		add(&graph.Vertex{Key: wk, Kind: graph.KindDeployment, Loc: pl})
		cloc := pl
		cloc.Container = "c"
		add(&graph.Vertex{Key: ck, Kind: graph.KindContainer, Loc: cloc})
		add(&graph.Vertex{Key: sa, Kind: graph.KindServiceAccount, Loc: loc})
		if b.Vertex(sec) == nil {
			add(&graph.Vertex{Key: sec, Kind: graph.KindSecret, Loc: loc})
		}
		edge(wk, ck, graph.TechExploit)
		edge(ck, sa, graph.TechMountToken, "automount "+name)
		edge(ck, sec, graph.TechMountSecret)
		edge(ck, "pod-network", graph.TechConnect, "egress "+name)
		edge("pod-network", wk, graph.TechConnect, "ingress "+name)
		edge("schedulable", ck, "control containers on node")
		edge("schedulable", sa, "steal token from node")
		if i%10 == 0 {
			svc := graph.NewKey("", graph.KindService, ns, name)
			add(&graph.Vertex{Key: svc, Kind: graph.KindService, Loc: loc})
			edge(graph.Internet, svc, graph.TechExposed, "lb "+name)
			edge(svc, wk, graph.TechServiceRoute)
		}
		if i%50 == 0 {
			edge(ck, graph.NewKey("", graph.KindNode, fmt.Sprintf("n%d", i%nodes)), "escape via privileged", "privileged "+name)
		}
		if i%500 == 0 {
			edge(sa, "cluster-admin", graph.TechAdmin, "rbac admin "+name)
		}
	}
	for i := range max(n/100, 1) {
		k := graph.NewKey("", graph.KindUser, fmt.Sprintf("u%d", i))
		add(&graph.Vertex{Key: k, Kind: graph.KindUser, Loc: cl})
		edge(k, graph.NewKey("", graph.KindSecret, fmt.Sprintf("ns%d", i%max(n/20, 1)), "s0"), graph.TechReadSecret, "rbac")
	}
	return b.Build()
}

var (
	benchOnce   sync.Once
	benchGraphs = map[int]*graph.Graph{}
	benchSizes  = []int{1000, 10000, 50000}
)

func benchGraph(b *testing.B, n int) *graph.Graph {
	benchOnce.Do(func() {
		for _, n := range benchSizes {
			benchGraphs[n] = syntheticGraph(n)
		}
	})
	return benchGraphs[n]
}

func BenchmarkAnalyze(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("groups=%d", n), func(b *testing.B) {
			if testing.Short() && n > 10000 {
				b.Skip("large size skipped with -short")
			}
			g := benchGraph(b, n)
			b.ReportAllocs()
			for b.Loop() {
				if r := analysis.Analyze(g, analysis.Options{}); len(r.Findings) == 0 {
					b.Fatal("no findings")
				}
			}
		})
	}
}

func BenchmarkReach(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("groups=%d", n), func(b *testing.B) {
			g := benchGraph(b, n)
			from, to := g.Lookup(graph.Internet), g.Lookup("cluster-admin")
			b.ReportAllocs()
			for b.Loop() {
				if _, ok := analysis.SearchTo(g, []*graph.Vertex{from}, to, nil).Path(to); !ok {
					b.Fatal("cluster-admin not reached")
				}
			}
		})
	}
}

// BenchmarkFixes measures proposing and verifying five fixes: the
// re-analyses that count findings without their paths.
func BenchmarkFixes(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("groups=%d", n), func(b *testing.B) {
			if testing.Short() && n > 10000 {
				b.Skip("large size skipped with -short")
			}
			g := benchGraph(b, n)
			base := analysis.Analyze(g, analysis.Options{})
			b.ReportAllocs()
			for b.Loop() {
				if fixes := analysis.Fixes(g, analysis.Options{}, base, 5); len(fixes) == 0 {
					b.Fatal("no fixes")
				}
			}
		})
	}
}
