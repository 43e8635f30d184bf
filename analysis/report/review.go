package report

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/trustpath/trustpath/analysis"
	"github.com/trustpath/trustpath/graph"
)

// Options say what a review covers.
type Options struct {
	// Analysis narrows the analysis: extra crown jewels, actors.
	Analysis analysis.Options
	// Top is the number of attack paths told and drawn in full; 0 means 5.
	Top int
	// Fixes is the number of fixes to propose and verify; 0 means 5.
	Fixes int
	// Scope is what was read, for the scope section.
	Scope Scope
	// Title heads the document; empty means one made of the cluster names.
	Title string
}

// Review is the threat model of an estate, in the order a reviewer writes
// one: what is in scope, the trust boundaries and their controls, the
// actors and what they reach, the attack paths and findings with their
// remediation, persistence, and the fixes that close the most.
type Review struct {
	Title       string
	Graph       *graph.Graph
	Scope       Scope
	Result      *analysis.Result
	Inventory   Inventory
	Boundaries  []BoundaryRow
	Actors      []ActorSummary
	Targets     []TargetRisk        // every target, those reached first
	Paths       []*analysis.Finding // the top attack paths, told in full
	Persistence []PersistenceRisk
	Chokes      []ChokeEffect
	Fixes       []analysis.Fix
	// Effective holds, by edge ID, the boundary each step lets an attacker
	// cross (through transit vertices too).
	Effective []graph.Boundary
}

// Build analyses g and assembles its review. It runs the analysis once,
// then again for each proposed fix and each choke point to verify their
// effect.
func Build(g *graph.Graph, o Options) *Review {
	if o.Top <= 0 {
		o.Top = 5
	}
	if o.Fixes <= 0 {
		o.Fixes = 5
	}
	res := analysis.Analyze(g, o.Analysis)
	r := &Review{Title: o.Title, Graph: g, Scope: o.Scope, Result: res}
	// Verifying the fixes is the longest part, and parts of it run on one
	// core: the rest of the review is assembled beside it. Both only read
	// the graph and the analysis.
	var fixes sync.WaitGroup
	fixes.Go(func() { r.Fixes = analysis.Fixes(g, o.Analysis, res, o.Fixes) })
	r.Effective = effectiveBoundaries(g)
	if r.Title == "" {
		r.Title = "Threat model"
		if cs := g.Clusters(); len(cs) > 0 {
			r.Title += ": " + joinAnd(cs)
		}
	}
	r.Inventory = inventory(g)
	r.Boundaries = boundaries(g, r.Effective, res)

	trees := map[analysis.ActorKind]*analysis.Tree{}
	var starts []*graph.Vertex
	for _, kind := range []analysis.ActorKind{analysis.External, analysis.CompromisedContainer, analysis.MaliciousUser} {
		vs := analysis.Actors(g, kind)
		if len(vs) > 0 {
			if trees[kind] = res.Reach(kind); trees[kind] == nil {
				trees[kind] = analysis.Search(g, vs, o.Analysis.Skip)
			}
		}
		starts = append(starts, vs...)
	}
	r.Actors = actors(g, res, trees[analysis.External])
	r.Targets = targets(res, trees)
	r.Paths = topPaths(res.Findings, o.Top)
	r.Persistence = persistence(g, r.Effective, trees)

	var high []analysis.Target
	for _, t := range res.Targets {
		if t.Impact >= 4 {
			high = append(high, t)
		}
	}
	chokes := analysis.ChokePoints(g, starts, high, o.Analysis.Skip)
	r.Chokes = chokeEffects(g, o.Analysis, res, starts, chokes, 5)
	fixes.Wait()
	return r
}

// topPaths picks the findings told in full: the worst of each actor kind
// first, so every actor is represented, then the next worst, skipping any
// that repeats a start and target already told.
func topPaths(fs []*analysis.Finding, n int) []*analysis.Finding {
	type pair struct{ from, to *graph.Vertex }
	seen := map[pair]bool{}
	var picked []int // indices in fs: the findings are told in their order
	pick := func(i int) {
		p := pair{fs[i].Path.From(), fs[i].Target.Vertex}
		if len(picked) < n && !seen[p] {
			seen[p] = true
			picked = append(picked, i)
		}
	}
	for _, kind := range []analysis.ActorKind{analysis.External, analysis.CompromisedContainer, analysis.MaliciousUser} {
		if i := slices.IndexFunc(fs, func(f *analysis.Finding) bool { return f.Actor == kind }); i >= 0 {
			pick(i)
		}
	}
	for i := range fs {
		if len(picked) == n {
			break
		}
		pick(i)
	}
	slices.Sort(picked)
	var out []*analysis.Finding
	for _, at := range picked {
		out = append(out, fs[at])
	}
	return out
}

// Diagram is a figure of the review: its file-safe name and what it shows.
type Diagram struct {
	Name  string // "path-1"; the Markdown names the file REVIEW-NAME.svg
	Title string
	View  graph.View
}

// Diagrams are the review's figures: each top attack path, with the
// controls that were missing marked in red.
func (r *Review) Diagrams() []Diagram {
	var out []Diagram
	for i, f := range r.Paths {
		v := graph.ViewOf(f.Path.Steps)
		v.MarkMissing = true
		out = append(out, Diagram{Name: fmt.Sprintf("path-%d", i+1), Title: pathTitle(i, f), View: v})
	}
	return out
}

// RenderDiagrams lays out every diagram as SVG, by name.
func (r *Review) RenderDiagrams(ctx context.Context) (map[string][]byte, error) {
	out := map[string][]byte{}
	for _, d := range r.Diagrams() {
		svg, err := renderSVG(ctx, d.View)
		if err != nil {
			return nil, fmt.Errorf("drawing %s: %w", d.Name, err)
		}
		out[d.Name] = svg
	}
	return out, nil
}

func pathTitle(i int, f *analysis.Finding) string {
	return fmt.Sprintf("Path %d: %s reaches %s", i+1, stripMarkup(actorStart(f)), f.Target.Vertex.Key)
}

// actorStart names a finding's actor and where it starts, in the
// document's inline markup.
func actorStart(f *analysis.Finding) string {
	if f.Actor == analysis.External {
		return "the external attacker"
	}
	return fmt.Sprintf("a %s at %s", f.Actor, code(string(f.Path.From().Key)))
}

func joinAnd(xs []string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	}
	out := ""
	for i, x := range xs[:len(xs)-1] {
		if i > 0 {
			out += ", "
		}
		out += x
	}
	return out + " and " + xs[len(xs)-1]
}
