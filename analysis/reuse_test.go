package analysis_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trustpath/trustpath/analysis"
	"github.com/trustpath/trustpath/graph"
	"github.com/trustpath/trustpath/graph/graphtest"
)

// randomGraph builds a small estate-shaped graph at random: actors,
// containers, service accounts, secrets and nodes in a few namespaces,
// the transit hubs, and random steps between them, with parallel steps,
// costs drawn from a few values so that cheapest paths tie, and missing
// controls drawn from a small pool so that one control covers several
// steps.
func randomGraph(t testing.TB, r *rand.Rand) *graph.Graph {
	t.Helper()
	b := graph.NewBuilder()
	var keys []graph.Key
	add := func(v *graph.Vertex) {
		if err := b.AddVertex(v); err != nil {
			t.Fatal(err)
		}
		keys = append(keys, v.Key)
	}
	cl := graph.Location{Cluster: "c"}
	add(&graph.Vertex{Key: graph.Internet, Kind: graph.KindInternet})
	add(&graph.Vertex{Key: "pod-network", Kind: graph.KindPodNetwork, Loc: cl})
	add(&graph.Vertex{Key: "schedulable", Kind: graph.KindSchedulable, Loc: cl})
	add(&graph.Vertex{Key: "cluster-admin", Kind: graph.KindClusterAdmin, Loc: cl})
	for i := range 1 + r.IntN(3) {
		add(&graph.Vertex{Key: graph.NewKey("", graph.KindUser, fmt.Sprintf("u%d", i)), Kind: graph.KindUser, Loc: cl})
	}
	for i := range 1 + r.IntN(2) {
		n := fmt.Sprintf("n%d", i)
		add(&graph.Vertex{Key: graph.NewKey("", graph.KindNode, n), Kind: graph.KindNode, Loc: graph.Location{Cluster: "c", Node: n}})
	}
	for i := range 2 + r.IntN(3) {
		ns := fmt.Sprintf("ns%d", i)
		if i == 0 {
			ns = "kube-system"
		}
		loc := graph.Location{Cluster: "c", Namespace: ns}
		for j := range 1 + r.IntN(3) {
			name := fmt.Sprintf("w%d", j)
			pod := loc
			pod.Pod = graph.NewKey("", graph.KindDeployment, ns, name)
			ctr := pod
			ctr.Container = "c"
			add(&graph.Vertex{Key: pod.Pod, Kind: graph.KindDeployment, Loc: pod})
			add(&graph.Vertex{Key: graph.NewKey("", graph.KindContainer, ns, name, "c"), Kind: graph.KindContainer, Loc: ctr})
			add(&graph.Vertex{Key: graph.NewKey("", graph.KindServiceAccount, ns, name), Kind: graph.KindServiceAccount, Loc: loc})
		}
		for j := range r.IntN(3) {
			add(&graph.Vertex{Key: graph.NewKey("", graph.KindSecret, ns, fmt.Sprintf("s%d", j)), Kind: graph.KindSecret, Loc: loc})
		}
	}
	controls := []string{"egress a", "egress b", "ingress a", "ingress b", "rbac x", "rbac y", "privileged", "automount"}
	techs := []graph.Technique{graph.TechConnect, graph.TechExploit, graph.TechReadSecret, graph.TechMountToken}
	hubs := []graph.Key{"pod-network", "schedulable"}
	for range 3*len(keys) + r.IntN(3*len(keys)) {
		from, to := keys[r.IntN(len(keys))], keys[r.IntN(len(keys))]
		if r.IntN(3) == 0 { // the hubs carry much of the traffic, as in an estate
			if r.IntN(2) == 0 {
				from = hubs[r.IntN(2)]
			} else {
				to = hubs[r.IntN(2)]
			}
		}
		if from == to {
			continue
		}
		var missing []string
		for range r.IntN(3) {
			missing = append(missing, controls[r.IntN(len(controls))])
		}
		e := graph.Edge{Technique: techs[r.IntN(len(techs))], Cost: float64(1 + r.IntN(3)), Missing: missing,
			Evidence: []graph.Evidence{{Object: from}}}
		if err := b.AddEdge(from, to, e); err != nil {
			t.Fatal(err)
		}
	}
	g := b.Build()
	graphtest.Validate(t, g)
	return g
}

// TestReuseMatchesScratch checks re-analyses that reuse an earlier
// analysis (what Fixes and Closes measure by) against analyses from
// scratch, on random graphs with random edges left out: fixes, cuts
// into a vertex, random steps, and those chained as the rounds of Fixes.
func TestReuseMatchesScratch(t *testing.T) {
	t.Parallel()
	runs := 300
	if testing.Short() {
		runs = 60
	}
	reused := 0
	for seed := range uint64(runs) {
		r := rand.New(rand.NewPCG(seed, 1))
		g := randomGraph(t, r)
		scopes := []analysis.Options{{}, {Actors: []analysis.ActorKind{analysis.CompromisedContainer}}, {MinBoundary: graph.BoundaryNamespace}}
		o := scopes[r.IntN(len(scopes))]
		base := analysis.Analyze(g, o)
		var skips []func(*graph.Edge) bool
		for _, c := range base.Causes {
			skips = append(skips, analysis.WithControl(c.Control))
		}
		for range 3 {
			v := g.Vertices()[r.IntN(len(g.Vertices()))]
			skips = append(skips, func(e *graph.Edge) bool { return e.T == v })
			drop := make([]bool, len(g.Edges()))
			for i := range drop {
				drop[i] = r.IntN(10) == 0
			}
			skips = append(skips, func(e *graph.Edge) bool { return drop[e.UID] })
		}
		// Steps into a hub are its entrances, which crossings out of it
		// start from: cut them all, or one.
		for _, hub := range []*graph.Vertex{g.Lookup("pod-network"), g.Lookup("schedulable")} {
			skips = append(skips, func(e *graph.Edge) bool { return e.T == hub })
			if in := g.EdgesTo(hub); len(in) > 0 {
				x := in[r.IntN(len(in))]
				skips = append(skips, func(e *graph.Edge) bool { return e == x })
			}
		}
		for i, skip := range skips {
			next := o
			next.Skip = skip
			wantN, want := analysis.Tally(g, next)
			gotN, got, ok := analysis.TallyFrom(g, base, next)
			if ok {
				reused++
			}
			if gotN != wantN || !slices.Equal(got, want) {
				t.Errorf("seed %d, change %d: reusing the analysis counts %d findings, from scratch %d; causes (-scratch +reuse):\n%s",
					seed, i, gotN, wantN, cmp.Diff(want, got))
			}
			if got, want := analysis.Closes(g, base, next), len(analysis.Compare(base, analysis.Analyze(g, next)).Closed); got != want {
				t.Errorf("seed %d, change %d: Closes says %d findings close, Compare %d", seed, i, got, want)
			}
			// A second change on top of this one, reusing its count.
			more := skips[r.IntN(len(skips))]
			both := o
			both.Skip = func(e *graph.Edge) bool { return skip(e) || more(e) }
			wantN, want = analysis.Tally(g, both)
			gotN, got = analysis.TallyChained(g, base, next, both)
			if gotN != wantN || !slices.Equal(got, want) {
				t.Errorf("seed %d, change %d and another: chained reuse counts %d findings, from scratch %d; causes (-scratch +reuse):\n%s",
					seed, i, gotN, wantN, cmp.Diff(want, got))
			}
		}
	}
	if reused == 0 {
		t.Error("no re-analysis reused its baseline: the test compares nothing")
	}
}

// TestReuseNeedsSameScope checks that an analysis of another scope, or
// one that leaves out an edge the re-analysis keeps, is not reused.
func TestReuseNeedsSameScope(t *testing.T) {
	t.Parallel()
	g := estate(t)
	all := analysis.Analyze(g, analysis.Options{})
	fixed := analysis.Analyze(g, analysis.Options{Skip: analysis.WithControl("privileged: false on deployment/a/web")})
	tests := []struct {
		name string
		base *analysis.Result
		o    analysis.Options
		want bool
	}{
		{"same", all, analysis.Options{}, true},
		{"more left out", all, analysis.Options{Skip: analysis.WithControl("egress NetworkPolicy for deployment/a/web")}, true},
		{"other actors", all, analysis.Options{Actors: []analysis.ActorKind{analysis.MaliciousUser}}, false},
		{"other targets", all, analysis.Options{Targets: []*graph.Vertex{g.Lookup("deployment/b/db")}}, false},
		{"fewer left out", fixed, analysis.Options{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantN, want := analysis.Tally(g, tt.o)
			gotN, got, reused := analysis.TallyFrom(g, tt.base, tt.o)
			if reused != tt.want {
				t.Errorf("reused %v, want %v", reused, tt.want)
			}
			if gotN != wantN || !slices.Equal(got, want) {
				t.Errorf("got %d findings %v, want %d %v", gotN, got, wantN, want)
			}
		})
	}
}

// TestSortFindingsPacked checks the order Analyze sorts findings in, on
// keys packed into words and in two halves, against a plain sort.
func TestSortFindingsPacked(t *testing.T) {
	t.Parallel()
	for seed := range uint64(20) {
		r := rand.New(rand.NewPCG(seed, 2))
		fs := analysis.Analyze(randomGraph(t, r), analysis.Options{}).Findings
		r.Shuffle(len(fs), func(i, j int) { fs[i], fs[j] = fs[j], fs[i] })
		packed, slow := analysis.SortFindings(fs)
		for i := range packed {
			if packed[i] != slow[i] {
				t.Fatalf("seed %d: finding %d is %s, want %s", seed, i, packed[i].ID(), slow[i].ID())
			}
		}
	}
}

// TestReachIsSearch checks the trees an analysis hands out against
// searches of their own, with and without edges left out.
func TestReachIsSearch(t *testing.T) {
	t.Parallel()
	for seed := range uint64(20) {
		r := rand.New(rand.NewPCG(seed, 3))
		g := randomGraph(t, r)
		drop := make([]bool, len(g.Edges()))
		for i := range drop {
			drop[i] = r.IntN(5) == 0
		}
		for _, skip := range []func(*graph.Edge) bool{nil, func(e *graph.Edge) bool { return drop[e.UID] }} {
			res := analysis.Analyze(g, analysis.Options{Skip: skip})
			for _, kind := range []analysis.ActorKind{analysis.External, analysis.CompromisedContainer, analysis.MaliciousUser} {
				got, want := res.Reach(kind), analysis.Search(g, analysis.Actors(g, kind), skip)
				if got == nil {
					t.Fatalf("seed %d: no tree for %s", seed, kind)
				}
				for _, v := range g.Vertices() {
					gp, gok := got.Path(v)
					wp, wok := want.Path(v)
					if gok != wok || got.Cost(v) != want.Cost(v) || keys(gp) != keys(wp) {
						t.Errorf("seed %d, %s, %s: reach %v %s, search %v %s", seed, kind, v.Key, got.Cost(v), keys(gp), want.Cost(v), keys(wp))
					}
				}
			}
		}
		if tree := analysis.Analyze(g, analysis.Options{From: []*graph.Vertex{g.Lookup(graph.Internet)}}).Reach(analysis.External); tree != nil {
			t.Errorf("seed %d: a tree from --from vertices handed out as every actor's", seed)
		}
	}
}

// TestFixesMatchScratch checks every fix Fixes proposes, each measured by
// a count that reuses the one before (and the lists of counts no longer
// used), against a count from scratch with the same controls added.
func TestFixesMatchScratch(t *testing.T) {
	t.Parallel()
	fixes := 0
	for seed := range uint64(40) {
		r := rand.New(rand.NewPCG(seed, 4))
		g := randomGraph(t, r)
		base := analysis.Analyze(g, analysis.Options{})
		var skips []func(*graph.Edge) bool
		for i, f := range analysis.Fixes(g, analysis.Options{}, base, 4) {
			fixes++
			skips = append(skips, analysis.WithControl(f.Control))
			all := slices.Clone(skips)
			skip := func(e *graph.Edge) bool {
				return slices.ContainsFunc(all, func(s func(*graph.Edge) bool) bool { return s(e) })
			}
			if want := analysis.Count(g, analysis.Options{Skip: skip}); f.Remain != want {
				t.Errorf("seed %d, fix %d (%s): %d findings remain, from scratch %d", seed, i+1, f.Control, f.Remain, want)
			}
		}
		// Fixes leaves the analysis it started from as it was: the review
		// measures choke points against it meanwhile.
		for _, skip := range skips {
			next := analysis.Options{Skip: skip}
			if got, want := analysis.Closes(g, base, next), len(analysis.Compare(base, analysis.Analyze(g, next)).Closed); got != want {
				t.Errorf("seed %d: after Fixes, Closes says %d findings close, Compare %d", seed, got, want)
			}
		}
	}
	if fixes == 0 {
		t.Error("no fixes proposed: the test compares nothing")
	}
}
