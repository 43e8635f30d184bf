package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/spf13/cobra"

	"github.com/trustpath/trustpath"
	"github.com/trustpath/trustpath/analysis"
	tpreport "github.com/trustpath/trustpath/analysis/report" // main has a func report
	"github.com/trustpath/trustpath/graph"
)

// demoOptions is all `trustpath demo` needs.
type demoOptions struct {
	OutDir string
}

func newDemoCommand(streams IOStreams, g *globalOptions) *cobra.Command {
	o := &demoOptions{OutDir: "trustpath-out"}
	cmd := &cobra.Command{
		Use:   "demo [--out-dir DIR]",
		Short: "Run trustpath on the bundled demo estate and write the diagram, paths and review",
		Long: `demo analyses the demo estate built into the binary (two clusters, prod and
staging; see testdata/demo/README.md) and writes into the output directory:
graph.dot (every step of the estate), graph.svg (its boundary map: one edge
per pair of namespaces, nodes and identities, readable at a glance),
paths.json (the top attack paths),
and the threat-model review as review.md (with review-path-N.svg beside it),
review.html (one self-contained page) and review.json.`,
		Example: "  trustpath demo\n  trustpath demo --out-dir /tmp/demo",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return o.run(cmd.Context(), streams, g.logger(streams))
		},
	}
	cmd.Flags().StringVar(&o.OutDir, "out-dir", o.OutDir, "directory to write the results into, e.g. /tmp/demo")
	return cmd
}

func (o *demoOptions) run(ctx context.Context, s IOStreams, log logger) error {
	in := inputOptions{Namespace: "default"}
	names := make([]string, 0, len(trustpath.DemoClusters))
	for name := range trustpath.DemoClusters {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		in.Files = append(in.Files, name+"="+trustpath.DemoClusters[name])
	}
	res, err := in.load(ctx, s, log, trustpath.Demo)
	if err != nil {
		return fmt.Errorf("loading the bundled demo: %w", err)
	}
	if err := os.MkdirAll(o.OutDir, 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", o.OutDir, err)
	}
	var dot bytes.Buffer
	if err := graph.WriteDOT(&dot, res.Graph.All()); err != nil {
		return err
	}
	// Every step of the estate is a hairball on screen; the picture is the
	// boundary map, and the review draws the paths step by step.
	var mapDOT, svg bytes.Buffer
	if err := graph.WriteDOT(&mapDOT, graph.BoundaryMap(res.Graph.All()).All()); err != nil {
		return err
	}
	if err := graph.RenderSVG(ctx, mapDOT.Bytes(), &svg); err != nil {
		return err
	}
	var paths bytes.Buffer
	r := tpreport.Build(res.Graph, tpreport.Options{Scope: scopeOf(res, in.Files)})
	var top []analysis.Path
	for _, f := range r.Paths {
		top = append(top, f.Path)
	}
	if err := writePathsJSON(&paths, top); err != nil {
		return err
	}
	for _, f := range []struct {
		name string
		data []byte
	}{{"graph.dot", dot.Bytes()}, {"graph.svg", svg.Bytes()}, {"paths.json", paths.Bytes()}} {
		p := filepath.Join(o.OutDir, f.name)
		if err := writeOutput(s.Out, p, f.data); err != nil {
			return err
		}
		fmt.Fprintf(s.Out, "wrote %s\n", p)
	}
	// The review, as a reviewer reads it (Markdown with its diagrams, one
	// HTML page) and as tools read it (JSON).
	svgs, err := r.RenderDiagrams(ctx)
	if err != nil {
		return err
	}
	for _, f := range []struct{ format, name string }{{"md", "review.md"}, {"html", "review.html"}, {"json", "review.json"}} {
		written, err := writeReview(ctx, s, r, res, f.format, filepath.Join(o.OutDir, f.name), svgs)
		if err != nil {
			return err
		}
		for _, p := range written {
			fmt.Fprintf(s.Out, "wrote %s\n", p)
		}
	}
	return nil
}
