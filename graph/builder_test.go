package graph_test

import (
	"bytes"
	"errors"
	"math"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trustpath/trustpath/graph"
	"github.com/trustpath/trustpath/graph/graphtest"
)

// small builds a two-namespace estate by hand: the frontend's container
// holds its token and a secret; a Service routes to it; an Ingress routes to
// the Service. Vertices are added in reverse key order on purpose.
func small(t testing.TB) *graph.Graph {
	t.Helper()
	b := graph.NewBuilder()
	shop := graph.Location{Cluster: "prod", Namespace: "shop"}
	web := graph.Location{Cluster: "prod", Namespace: "shop", Pod: "deployment/shop/web"}
	nginx := web
	nginx.Container = "nginx"
	vertices := []*graph.Vertex{
		{Key: "serviceaccount/shop/web", Kind: graph.KindServiceAccount, Name: "web", Loc: shop},
		{Key: "service/shop/web", Kind: graph.KindService, Name: "web", Loc: shop},
		{Key: "secret/shop/tls", Kind: graph.KindSecret, Name: "tls", Loc: shop, Props: map[string]string{"type": "kubernetes.io/tls", "keys": "tls.crt,tls.key"}},
		{Key: "secret/payments/key", Kind: graph.KindSecret, Name: "key", Loc: graph.Location{Cluster: "prod", Namespace: "payments"}},
		{Key: "namespace/shop", Kind: graph.KindNamespace, Name: "shop", Loc: shop},
		{Key: "ingress/shop/web", Kind: graph.KindIngress, Name: "web", Loc: shop},
		{Key: "internet", Kind: graph.KindInternet, Name: "internet"},
		{Key: "deployment/shop/web", Kind: graph.KindDeployment, Name: "web", Loc: web, Props: map[string]string{graph.PropReplicas: "3"}},
		{Key: "container/shop/web/nginx", Kind: graph.KindContainer, Name: "nginx", Loc: nginx, Props: map[string]string{graph.PropImage: "nginx:1.27"}},
		{Key: "cluster/prod", Kind: graph.KindCluster, Name: "prod", Loc: graph.Location{Cluster: "prod"}},
	}
	for _, v := range vertices {
		if err := b.AddVertex(v); err != nil {
			t.Fatal(err)
		}
	}
	ev := func(o graph.Key, d string) []graph.Evidence { return []graph.Evidence{{Object: o, Detail: d}} }
	edges := []struct {
		from, to graph.Key
		e        graph.Edge
	}{
		{"ingress/shop/web", "service/shop/web", graph.Edge{Technique: graph.TechIngressRoute, Evidence: ev("ingress/shop/web", "rules[0]")}},
		{"service/shop/web", "deployment/shop/web", graph.Edge{Technique: graph.TechServiceRoute, Evidence: ev("service/shop/web", "selector app=web")}},
		{"container/shop/web/nginx", "serviceaccount/shop/web", graph.Edge{Technique: graph.TechMountToken,
			Missing: []string{"automountServiceAccountToken: false"}, Evidence: ev("deployment/shop/web", "container nginx: automount")}},
		{"container/shop/web/nginx", "secret/shop/tls", graph.Edge{Technique: graph.TechMountSecret, Evidence: ev("deployment/shop/web", "container nginx: volumeMounts tls")}},
		// The same step found twice merges into one edge with both evidences.
		{"container/shop/web/nginx", "secret/shop/tls", graph.Edge{Technique: graph.TechMountSecret, Evidence: ev("deployment/shop/web", "container nginx: volumeMounts tls-copy")}},
		{"container/shop/web/nginx", "secret/shop/tls", graph.Edge{Technique: graph.TechEnvSecret, Evidence: ev("deployment/shop/web", "container nginx: env[0]")}},
		{"container/shop/web/nginx", "secret/payments/key", graph.Edge{Technique: "read another namespace's secret", Cost: 3, Evidence: ev("rolebinding/payments/x", "rule 0")}},
	}
	for _, e := range edges {
		if err := b.AddEdge(e.from, e.to, e.e); err != nil {
			t.Fatal(err)
		}
	}
	g := b.Build()
	graphtest.Validate(t, g)
	return g
}

func TestBuilderErrors(t *testing.T) {
	t.Parallel()
	b := graph.NewBuilder()
	v := &graph.Vertex{Key: "namespace/shop", Kind: graph.KindNamespace}
	if err := b.AddVertex(v); err != nil {
		t.Fatal(err)
	}
	if err := b.AddVertex(&graph.Vertex{Key: "namespace/shop", Kind: graph.KindNamespace}); !errors.Is(err, graph.ErrDuplicateKey) {
		t.Errorf("second AddVertex: got %v, want ErrDuplicateKey", err)
	}
	if b.Vertex("namespace/shop") != v {
		t.Error("a duplicate replaced the first vertex")
	}
	if err := b.AddEdge("namespace/shop", "secret/shop/x", graph.Edge{Technique: "t"}); !errors.Is(err, graph.ErrNoVertex) {
		t.Errorf("AddEdge to a missing vertex: got %v, want ErrNoVertex", err)
	}
}

func TestBuildIsSortedAndMerged(t *testing.T) {
	t.Parallel()
	g := small(t)
	var keys []graph.Key
	for _, v := range g.Vertices() {
		keys = append(keys, v.Key)
	}
	if !slices.IsSorted(keys) {
		t.Errorf("vertices not in key order: %v", keys)
	}
	if got, want := len(g.Edges()), 6; got != want {
		t.Fatalf("got %d edges, want %d (two mount-secret steps merge)", got, want)
	}
	nginx := g.Lookup("container/shop/web/nginx")
	tls := g.Lookup("secret/shop/tls")
	var mount *graph.Edge
	for _, e := range g.EdgesFrom(nginx) {
		if e.T == tls && e.Technique == graph.TechMountSecret {
			mount = e
		}
	}
	if mount == nil {
		t.Fatal("no mount-secret edge from nginx to tls")
	}
	if got := len(mount.Evidence); got != 2 {
		t.Errorf("merged edge has %d evidences, want 2", got)
	}
	// Two techniques join nginx and tls; the pair weighs the cheapest.
	if w, ok := g.Weight(nginx.ID(), tls.ID()); !ok || w != 1 {
		t.Errorf("Weight(nginx, tls) = %v, %v; want 1, true", w, ok)
	}
	if w, ok := g.Weight(tls.ID(), nginx.ID()); ok || !math.IsInf(w, 1) {
		t.Errorf("Weight(tls, nginx) = %v, %v; want +Inf, false: steps are directed", w, ok)
	}
	if got := g.Clusters(); !slices.Equal(got, []string{"prod"}) {
		t.Errorf("Clusters() = %v, want [prod]", got)
	}
	cross := map[graph.Key]graph.Boundary{}
	for _, e := range g.EdgesFrom(nginx) {
		cross[e.T.Key] = e.Boundary
	}
	want := map[graph.Key]graph.Boundary{
		"serviceaccount/shop/web": graph.BoundaryNone,
		"secret/shop/tls":         graph.BoundaryNone,
		"secret/payments/key":     graph.BoundaryNamespace,
	}
	if d := cmp.Diff(want, cross); d != "" {
		t.Errorf("boundaries from nginx (-want +got):\n%s", d)
	}
}

func TestJSONRoundTrip(t *testing.T) {
	t.Parallel()
	g := small(t)
	var first bytes.Buffer
	if err := graph.WriteJSON(&first, g.All()); err != nil {
		t.Fatal(err)
	}
	back, err := graph.ReadJSON(bytes.NewReader(first.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	graphtest.Validate(t, back)
	var second bytes.Buffer
	if err := graph.WriteJSON(&second, back.All()); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(first.String(), second.String()); d != "" {
		t.Errorf("JSON changed over a round trip (-first +second):\n%s", d)
	}
	graphtest.Golden(t, filepath.Join("testdata", "small.golden.json"), first.Bytes())

	if _, err := graph.ReadJSON(bytes.NewReader([]byte(`{"schema":"trustpath.io/graph/v0"}`))); err == nil {
		t.Error("ReadJSON accepted another schema version")
	}
}

func TestDOTGolden(t *testing.T) {
	t.Parallel()
	g := small(t)
	var out bytes.Buffer
	if err := graph.WriteDOT(&out, g.All()); err != nil {
		t.Fatal(err)
	}
	graphtest.Golden(t, filepath.Join("testdata", "small.golden.dot"), out.Bytes())
	checkDOT(t, out.Bytes())
}

// checkDOT runs Graphviz's dot on the source when it is installed.
func checkDOT(t *testing.T, src []byte) {
	t.Helper()
	path, err := exec.LookPath("dot")
	if err != nil {
		t.Log("dot not on PATH; DOT syntax check skipped")
		return
	}
	cmd := exec.Command(path, "-Tcanon")
	cmd.Stdin = bytes.NewReader(src)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("dot rejects the output: %v\n%s", err, out)
	}
}

func TestSVG(t *testing.T) {
	t.Parallel()
	g := small(t)
	var dot, svg bytes.Buffer
	if err := graph.WriteDOT(&dot, g.All()); err != nil {
		t.Fatal(err)
	}
	if err := graph.RenderSVG(t.Context(), dot.Bytes(), &svg); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<svg", "cluster prod", "namespace shop", "deployment web", "read mounted secret"} {
		if !bytes.Contains(svg.Bytes(), []byte(want)) {
			t.Errorf("SVG lacks %q", want)
		}
	}
}

func TestNeighbourhood(t *testing.T) {
	t.Parallel()
	g := small(t)
	keys := func(v graph.View) []graph.Key {
		var out []graph.Key
		for _, x := range v.Vertices {
			out = append(out, x.Key)
		}
		return out
	}
	svc := g.Lookup("service/shop/web")
	if got, want := keys(g.Neighbourhood(svc, 0)), []graph.Key{"service/shop/web"}; !slices.Equal(got, want) {
		t.Errorf("depth 0: got %v, want %v", got, want)
	}
	// One step either way: the ingress in front and the workload behind.
	want := []graph.Key{"deployment/shop/web", "ingress/shop/web", "service/shop/web"}
	v := g.Neighbourhood(svc, 1)
	if got := keys(v); !slices.Equal(got, want) {
		t.Errorf("depth 1: got %v, want %v", got, want)
	}
	if got := len(v.Edges); got != 2 {
		t.Errorf("depth 1: got %d edges, want 2", got)
	}
}

func TestResolve(t *testing.T) {
	t.Parallel()
	g := small(t)
	tests := []struct {
		in, want string
		wantErr  bool
	}{
		{in: "deploy/shop/web", want: "deployment/shop/web"},
		{in: "prod:deploy/shop/web", want: "deployment/shop/web"}, // one cluster: the prefix is optional
		{in: "internet", want: "internet"},
		{in: "deploy/shop/nope", wantErr: true},
		{in: "staging:deploy/shop/web", wantErr: true},
		{in: "bogus", wantErr: true},
	}
	for _, tt := range tests {
		v, err := g.Resolve(tt.in)
		switch {
		case tt.wantErr && err == nil:
			t.Errorf("Resolve(%q) = %s, want an error", tt.in, v.Key)
		case !tt.wantErr && (err != nil || string(v.Key) != tt.want):
			t.Errorf("Resolve(%q) = %v, %v; want %s", tt.in, v, err, tt.want)
		}
	}
	// A near miss suggests the same name under other kinds.
	_, err := g.Resolve("statefulset/shop/web")
	if !errors.Is(err, graph.ErrNotFound) || !bytes.Contains([]byte(err.Error()), []byte("did you mean deployment/shop/web")) {
		t.Errorf("Resolve(statefulset/shop/web) error = %v; want ErrNotFound suggesting deployment/shop/web", err)
	}
}

func TestBoundaryMap(t *testing.T) {
	t.Parallel()
	g := small(t)
	m := graph.BoundaryMap(g.All())
	graphtest.Validate(t, m)
	var got []string
	for _, e := range m.Edges() {
		got = append(got, string(e.F.Key)+" -["+string(e.Technique)+"]-> "+string(e.T.Key)+" "+e.Boundary.String())
	}
	// Only the step from shop's container to payments' secret leaves its
	// namespace; the five steps inside shop fold away.
	want := []string{"namespace/shop -[read another namespace's secret]-> namespace/payments namespace"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("map edges (-want +got):\n%s", d)
	}
	if n := len(m.Vertices()); n != 2 {
		t.Errorf("map has %d vertices, want the 2 namespaces", n)
	}
}

// TestBuildMergesInOrder checks that a step added several times becomes one
// edge as if each were merged as it came: the first note given wins, the
// cheapest cost, and the union of the lists, sorted.
func TestBuildMergesInOrder(t *testing.T) {
	t.Parallel()
	b := graph.NewBuilder()
	for _, k := range []graph.Key{"namespace/a", "namespace/b", "namespace/c"} {
		if err := b.AddVertex(&graph.Vertex{Key: k, Kind: graph.KindNamespace}); err != nil {
			t.Fatal(err)
		}
	}
	steps := []struct {
		to graph.Key
		e  graph.Edge
	}{
		{"namespace/c", graph.Edge{Technique: "t", Cost: 3, Missing: []string{"z"}}},
		{"namespace/b", graph.Edge{Technique: "t", Cost: 2, Missing: []string{"y", "x"}}},
		{"namespace/c", graph.Edge{Technique: "t", Cost: 1, Note: "second", Missing: []string{"x", "z"}}},
		{"namespace/c", graph.Edge{Technique: "s", Cost: 4, Note: "other technique"}},
		{"namespace/c", graph.Edge{Technique: "t", Cost: 5, Note: "third", Ports: []string{"tcp/80"}}},
	}
	for _, s := range steps {
		if err := b.AddEdge("namespace/a", s.to, s.e); err != nil {
			t.Fatal(err)
		}
	}
	type edge struct {
		To             graph.Key
		Technique      graph.Technique
		Cost           float64
		Note           string
		Ports, Missing []string
	}
	var got []edge
	for _, e := range b.Build().Edges() {
		got = append(got, edge{e.T.Key, e.Technique, e.Cost, e.Note, e.Ports, e.Missing})
	}
	want := []edge{
		{"namespace/b", "t", 2, "", nil, []string{"x", "y"}},
		{"namespace/c", "s", 4, "other technique", nil, nil},
		{"namespace/c", "t", 1, "second", []string{"tcp/80"}, []string{"x", "z"}},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("edges (-want +got):\n%s", d)
	}
}

// TestForkJoin fills two forks at once and checks that joining them in
// order gives the graph that adding everything to one builder gives.
func TestForkJoin(t *testing.T) {
	t.Parallel()
	base := func() *graph.Builder {
		b := graph.NewBuilder()
		for _, k := range []graph.Key{"namespace/a", "namespace/b"} {
			if err := b.AddVertex(&graph.Vertex{Key: k, Kind: graph.KindNamespace}); err != nil {
				t.Fatal(err)
			}
		}
		if err := b.AddEdge("namespace/a", "namespace/b", graph.Edge{Technique: "t", Missing: []string{"base"}}); err != nil {
			t.Fatal(err)
		}
		return b
	}
	// Each fork adds a vertex of its own, steps onto its parent's
	// vertices and its own, and a step the other fork adds too.
	fill := func(b *graph.Builder, name string) {
		k := graph.Key("secret/a/" + name)
		if err := b.AddVertex(&graph.Vertex{Key: k, Kind: graph.KindSecret}); err != nil {
			t.Error(err)
		}
		if err := b.AddVertex(&graph.Vertex{Key: "namespace/a", Kind: graph.KindNamespace}); !errors.Is(err, graph.ErrDuplicateKey) {
			t.Errorf("a fork added its parent's key: got %v, want ErrDuplicateKey", err)
		}
		for _, e := range []struct {
			from, to graph.Key
			note     string
		}{{"namespace/a", k, ""}, {k, "namespace/b", ""}, {"namespace/a", "namespace/b", name}} {
			if err := b.AddEdge(e.from, e.to, graph.Edge{Technique: "t", Note: e.note, Missing: []string{name}}); err != nil {
				t.Error(err)
			}
		}
	}
	one := base()
	fill(one, "x")
	fill(one, "y")
	var want bytes.Buffer
	if err := graph.WriteJSON(&want, one.Build().All()); err != nil {
		t.Fatal(err)
	}

	b := base()
	x, y := b.Fork(), b.Fork()
	if x.Vertex("namespace/a") == nil {
		t.Fatal("a fork does not see its parent's vertices")
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		fill(y, "y")
	}()
	fill(x, "x")
	<-done
	if b.Vertex("secret/a/x") != nil {
		t.Error("a fork's vertex is in its parent before Join")
	}
	b.Join(x)
	b.Join(y)
	var got bytes.Buffer
	if err := graph.WriteJSON(&got, b.Build().All()); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want.Bytes()) {
		t.Errorf("joined forks differ from one builder:\ngot  %s\nwant %s", got.Bytes(), want.Bytes())
	}
}

func TestJoinDuplicatePanics(t *testing.T) {
	t.Parallel()
	b := graph.NewBuilder()
	x, y := b.Fork(), b.Fork()
	for _, f := range []*graph.Builder{x, y} {
		if err := f.AddVertex(&graph.Vertex{Key: "namespace/a", Kind: graph.KindNamespace}); err != nil {
			t.Fatal(err)
		}
	}
	b.Join(x)
	defer func() {
		if recover() == nil {
			t.Error("joining a second fork holding the same key did not panic")
		}
	}()
	b.Join(y)
}

// TestBuildKeepsCallersLists checks that the builder neither changes a
// list it is given nor lets one edge's merge reach another edge sharing it.
func TestBuildKeepsCallersLists(t *testing.T) {
	t.Parallel()
	b := graph.NewBuilder()
	for _, k := range []graph.Key{"namespace/a", "namespace/b", "namespace/c"} {
		if err := b.AddVertex(&graph.Vertex{Key: k, Kind: graph.KindNamespace}); err != nil {
			t.Fatal(err)
		}
	}
	shared := make([]string, 2, 4) // room to grow: an append in place would reach the other edge
	shared[0], shared[1] = "z", "x"
	for _, e := range []struct {
		to      graph.Key
		missing []string
	}{{"namespace/b", shared}, {"namespace/c", shared}, {"namespace/b", []string{"y"}}} {
		if err := b.AddEdge("namespace/a", e.to, graph.Edge{Technique: "t", Missing: e.missing}); err != nil {
			t.Fatal(err)
		}
	}
	g := b.Build()
	if got := shared[:cap(shared)]; !slices.Equal(got, []string{"z", "x", "", ""}) {
		t.Errorf("the caller's list became %q", got)
	}
	want := map[graph.Key][]string{"namespace/b": {"x", "y", "z"}, "namespace/c": {"x", "z"}}
	for _, e := range g.Edges() {
		if !slices.Equal(e.Missing, want[e.T.Key]) {
			t.Errorf("edge to %s: Missing %q, want %q", e.T.Key, e.Missing, want[e.T.Key])
		}
	}
}
