package collectors_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/trustpath/trustpath/analysis"
	"github.com/trustpath/trustpath/analysis/report"
	"github.com/trustpath/trustpath/collectors"
	"github.com/trustpath/trustpath/collectors/escape"
	"github.com/trustpath/trustpath/collectors/estate"
	"github.com/trustpath/trustpath/collectors/manifest"
	"github.com/trustpath/trustpath/collectors/netpol"
	"github.com/trustpath/trustpath/collectors/privilege"
	"github.com/trustpath/trustpath/collectors/rbac"
	"github.com/trustpath/trustpath/collectors/synth"
	"github.com/trustpath/trustpath/collectors/topology"
	"github.com/trustpath/trustpath/collectors/workload"
	"github.com/trustpath/trustpath/graph"
)

// The stage benchmarks run trustpath's pipeline on synthetic estates of
// 1,000, 10,000 and 50,000 pods (collectors/synth defaults: 50,000 pods
// are 2,000 nodes, 1,000 namespaces, 5,000 NetworkPolicies and 20,000
// bindings), one benchmark per stage, one sub-benchmark per size:
//
//	Decode     manifest.ReadFS of the estate as Load reads it: a
//	           kubectl-style JSON dump (Pods, ReplicaSets, status), and
//	           YAML manifests
//	Load       collectors.Load of the JSON dump: decode and build
//	Build      collectors.Build of decoded snapshots: every graph builder
//	Flows      netpol.New and Engine.Flows: every allowed flow
//	Privilege  rbac.New and privilege.Build: the RBAC edges
//	Analyze    analysis.Analyze with the defaults `trustpath analyze` uses
//	Fixes      analysis.ChokePoints and analysis.Fixes as `analyze` runs them
//	Reach      analysis.Search and Tree.Path for one pair, as `reach` runs them
//	Report     report.Build and the review written as Markdown, JSON, SARIF
//
// Each input is built once, outside the timed loop, and kept for the
// stages after it. 50,000 pods are skipped with -short. Every timed body
// carries the pprof labels stage and pods, so one -cpuprofile of a whole
// run splits by stage: go tool pprof -tagfocus stage=analyze.
// BENCHMARKS.md has the numbers and the profiles' hotspots.

// benchSizes are the estates' pod counts; TRUSTPATH_BENCH_PODS, a comma-separated
// list, replaces them (make bench BENCH_PODS=…).
var benchSizes = []int{1000, 10000, 50000}

// sizes returns the pod counts to run: above 10,000 only without -short.
func sizes(b *testing.B) []int {
	out := benchSizes
	if env := os.Getenv("TRUSTPATH_BENCH_PODS"); env != "" {
		out = nil
		for _, f := range strings.Split(env, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || n < 1 {
				b.Fatalf("TRUSTPATH_BENCH_PODS=%q: %q is not a pod count", env, f)
			}
			out = append(out, n)
		}
	}
	if testing.Short() {
		out = slices.DeleteFunc(slices.Clone(out), func(n int) bool { return n > 10000 })
	}
	return out
}

// fixture is one estate at every stage of the pipeline, each built on
// first use and kept for the stages after it.
type fixture struct {
	// dump is the estate as a kubectl JSON dump, manifests as YAML
	// manifests, one file per namespace, in memory.
	dump, manifests func() files
	snapshots       func() []*estate.Snapshot
	loaded          func() *collectors.Result
}

var (
	fixturesMu sync.Mutex
	fixtures   = map[int]*fixture{}
)

// fixtureOf returns the estate of n pods.
func fixtureOf(n int) *fixture {
	fixturesMu.Lock()
	defer fixturesMu.Unlock()
	if f := fixtures[n]; f != nil {
		return f
	}
	f := &fixture{}
	f.dump = sync.OnceValue(func() files { return generate(n, synth.JSON, true) })
	f.manifests = sync.OnceValue(func() files { return generate(n, synth.YAML, false) })
	f.snapshots = sync.OnceValue(func() []*estate.Snapshot { return decode(f.dump().fsys) })
	f.loaded = sync.OnceValue(func() *collectors.Result {
		g, clusters := collectors.Build(f.snapshots())
		return &collectors.Result{Graph: g, Snapshots: f.snapshots(), Clusters: clusters}
	})
	fixtures[n] = f
	return f
}

type files struct {
	fsys  fstest.MapFS
	bytes int64
}

// generate writes the default estate of n pods into memory.
func generate(n int, format synth.Format, dump bool) files {
	o := synth.Defaults(n)
	o.Format, o.Dump = format, dump
	out := files{fsys: fstest.MapFS{}}
	err := synth.Generate(o, func(f synth.File) error {
		var buf bytes.Buffer
		if err := synth.Encode(&buf, f.Objects, format); err != nil {
			return err
		}
		out.fsys[f.Name+format.Ext()] = &fstest.MapFile{Data: buf.Bytes(), Mode: 0o644}
		out.bytes += int64(buf.Len())
		return nil
	})
	if err != nil {
		panic(fmt.Sprintf("generating %d pods: %v", n, err)) // the defaults are valid
	}
	return out
}

// decode reads an in-memory estate into a snapshot as Load does: the
// objects a controller of the estate describes are read in part.
func decode(fsys fs.FS) []*estate.Snapshot {
	s := estate.New(collectors.DefaultCluster)
	deferred := manifest.NewDeferred()
	if err := manifest.ReadFS(context.Background(), fsys, ".", "bench", s, manifest.Options{DefaultNamespace: "default", Deferred: deferred}); err != nil {
		panic(err) // the FS is in memory
	}
	deferred.Complete(s, workload.Described(s))
	return []*estate.Snapshot{s}
}

// stage runs each size's sub-benchmark of a stage with the pprof labels
// that let a profile of the whole run split by stage and size.
func stage(b *testing.B, name string, run func(b *testing.B, f *fixture, timed func(func()))) {
	for _, n := range sizes(b) {
		b.Run(fmt.Sprintf("pods=%d", n), func(b *testing.B) {
			f := fixtureOf(n)
			labels := pprof.Labels("stage", name, "pods", fmt.Sprint(n))
			run(b, f, func(body func()) {
				pprof.Do(b.Context(), labels, func(context.Context) { body() })
			})
		})
	}
}

func BenchmarkDecode(b *testing.B) {
	for _, shape := range []struct {
		name  string
		input func(*fixture) files
	}{
		{"json-dump", func(f *fixture) files { return f.dump() }},
		{"yaml-manifests", func(f *fixture) files { return f.manifests() }},
	} {
		b.Run(shape.name, func(b *testing.B) {
			stage(b, "decode-"+shape.name, func(b *testing.B, f *fixture, timed func(func())) {
				in := shape.input(f)
				b.SetBytes(in.bytes)
				b.ReportAllocs()
				for b.Loop() {
					var snaps []*estate.Snapshot
					timed(func() { snaps = decode(in.fsys) })
					if snaps[0].Objects() == 0 || len(snaps[0].Diagnostics) > 0 {
						b.Fatalf("decoded %d objects with %d diagnostics", snaps[0].Objects(), len(snaps[0].Diagnostics))
					}
				}
			})
		})
	}
}

func BenchmarkLoad(b *testing.B) {
	stage(b, "load", func(b *testing.B, f *fixture, timed func(func())) {
		in := f.dump()
		b.SetBytes(in.bytes)
		b.ReportAllocs()
		for b.Loop() {
			var res *collectors.Result
			var err error
			timed(func() {
				res, err = collectors.Load(b.Context(), collectors.Options{FS: in.fsys,
					Sources: []collectors.Source{{Cluster: collectors.DefaultCluster, Path: "."}}, DefaultNamespace: "default"})
			})
			if err != nil {
				b.Fatal(err)
			}
			if len(res.Graph.Edges()) == 0 {
				b.Fatal("no edges")
			}
		}
	})
}

func BenchmarkBuild(b *testing.B) {
	stage(b, "build", func(b *testing.B, f *fixture, timed func(func())) {
		snaps := f.snapshots()
		b.ReportAllocs()
		var g *graph.Graph
		for b.Loop() {
			timed(func() { g, _ = collectors.Build(snaps) })
			if len(g.Edges()) == 0 {
				b.Fatal("no edges")
			}
		}
		b.ReportMetric(float64(len(g.Vertices())), "vertices")
		b.ReportMetric(float64(len(g.Edges())), "edges")
	})
}

func BenchmarkFlows(b *testing.B) {
	stage(b, "flows", func(b *testing.B, f *fixture, timed func(func())) {
		s := f.snapshots()[0]
		groups := workload.Groups(s, "")
		b.ReportAllocs()
		var flows []netpol.Flow
		for b.Loop() {
			timed(func() { flows = netpol.New(s, groups).Flows() })
			if len(flows) == 0 {
				b.Fatal("no flows")
			}
		}
		b.ReportMetric(float64(len(flows)), "flows")
	})
}

func BenchmarkPrivilege(b *testing.B) {
	stage(b, "privilege", func(b *testing.B, f *fixture, timed func(func())) {
		s := f.snapshots()[0]
		groups := workload.Groups(s, "")
		b.ReportAllocs()
		for b.Loop() {
			// Privilege edges land on what topology and escape add.
			b.StopTimer()
			gb := graph.NewBuilder()
			topology.Build(gb, s, "", groups)
			nodes := escape.Build(gb, s, "", groups, "")
			before := len(gb.Build().Edges())
			b.StartTimer()
			timed(func() { privilege.Build(gb, s, "", groups, rbac.New(s), privilege.Options{Nodes: nodes}) })
			b.StopTimer()
			if len(gb.Build().Edges()) == before {
				b.Fatal("no privilege edges")
			}
			b.StartTimer()
		}
	})
}

// defaultActors are the start vertices `trustpath analyze` uses.
func defaultActors(g *graph.Graph) []*graph.Vertex {
	var out []*graph.Vertex
	for _, a := range []analysis.ActorKind{analysis.External, analysis.CompromisedContainer, analysis.MaliciousUser} {
		out = append(out, analysis.Actors(g, a)...)
	}
	return out
}

func BenchmarkAnalyze(b *testing.B) {
	stage(b, "analyze", func(b *testing.B, f *fixture, timed func(func())) {
		g := f.loaded().Graph
		b.ReportAllocs()
		var res *analysis.Result
		for b.Loop() {
			timed(func() { res = analysis.Analyze(g, analysis.Options{}) })
			if len(res.Findings) == 0 {
				b.Fatal("no findings")
			}
		}
		b.ReportMetric(float64(len(res.Findings)), "findings")
	})
}

// BenchmarkFixes measures what `trustpath analyze` does after Analyze:
// choke points towards the high-impact targets and five verified fixes,
// each a re-analysis per candidate.
func BenchmarkFixes(b *testing.B) {
	stage(b, "fixes", func(b *testing.B, f *fixture, timed func(func())) {
		g := f.loaded().Graph
		base := analysis.Analyze(g, analysis.Options{})
		var high []analysis.Target
		for _, t := range base.Targets {
			if t.Impact >= 4 {
				high = append(high, t)
			}
		}
		actors := defaultActors(g)
		b.ReportAllocs()
		for b.Loop() {
			var fixes []analysis.Fix
			timed(func() {
				analysis.ChokePoints(g, actors, high, nil)
				fixes = analysis.Fixes(g, analysis.Options{}, base, 5)
			})
			if len(fixes) == 0 {
				b.Fatal("no fixes")
			}
		}
	})
}

// BenchmarkReach answers one `trustpath reach` question: from the
// internet to the most severe finding's target.
func BenchmarkReach(b *testing.B) {
	stage(b, "reach", func(b *testing.B, f *fixture, timed func(func())) {
		g := f.loaded().Graph
		from := g.Lookup(graph.Internet)
		res := analysis.Analyze(g, analysis.Options{Actors: []analysis.ActorKind{analysis.External}})
		if from == nil || len(res.Findings) == 0 {
			b.Fatal("the internet reaches nothing")
		}
		to := res.Findings[0].Path.To()
		b.ReportAllocs()
		for b.Loop() {
			var p analysis.Path
			var ok bool
			timed(func() { p, ok = analysis.Search(g, []*graph.Vertex{from}, nil).Path(to) })
			if !ok || len(p.Steps) == 0 {
				b.Fatalf("%s does not reach %s", from.Key, to.Key)
			}
		}
	})
}

// BenchmarkReport measures `trustpath report`: build assembles the review
// (an analysis, then choke points and fixes each verified by re-analysis),
// render writes it as Markdown, JSON and SARIF (HTML differs from Markdown
// only by its inline diagrams, which Graphviz renders).
func BenchmarkReport(b *testing.B) {
	b.Run("build", func(b *testing.B) {
		stage(b, "report-build", func(b *testing.B, f *fixture, timed func(func())) {
			g := f.loaded().Graph
			b.ReportAllocs()
			for b.Loop() {
				var r *report.Review
				timed(func() { r = report.Build(g, report.Options{}) })
				if len(r.Result.Findings) == 0 {
					b.Fatal("no findings")
				}
			}
		})
	})
	b.Run("render", func(b *testing.B) {
		stage(b, "report-render", func(b *testing.B, f *fixture, timed func(func())) {
			r := report.Build(f.loaded().Graph, report.Options{})
			nowhere := func(string) (string, int, bool) { return "", 0, false }
			b.ReportAllocs()
			// The documents are counted, not kept: at 50,000 pods they
			// run to gigabytes, which would measure a buffer's growth.
			var md, js, sarif counter
			for b.Loop() {
				md, js, sarif = 0, 0, 0
				var err error
				timed(func() {
					err = errors.Join(r.WriteMarkdown(&md, nil), r.WriteJSON(&js), report.WriteSARIF(&sarif, r.Result, nowhere, "bench"))
				})
				if err != nil {
					b.Fatal(err)
				}
				if md == 0 || js == 0 || sarif == 0 {
					b.Fatal("an empty document")
				}
			}
			b.ReportMetric(float64(md+js+sarif), "bytes-written")
		})
	})
}

// counter is a writer that counts what it is given and keeps nothing.
type counter int64

func (c *counter) Write(p []byte) (int, error) {
	*c += counter(len(p))
	return len(p), nil
}

// TestBenchmarkFixture checks, cheaply, that the smallest estate goes
// through every stage: what the benchmarks would b.Fatal on.
func TestBenchmarkFixture(t *testing.T) {
	t.Parallel()
	f := fixtureOf(benchSizes[0])
	s := f.snapshots()[0]
	if len(s.Diagnostics) > 0 {
		t.Errorf("the generated estate has %d diagnostics, first: %v", len(s.Diagnostics), s.Diagnostics[0])
	}
	res := f.loaded()
	if res.Graph.Lookup(graph.Internet) == nil {
		t.Error("no internet vertex")
	}
	if len(analysis.Analyze(res.Graph, analysis.Options{}).Findings) == 0 {
		t.Error("no findings in the smallest estate")
	}
}
