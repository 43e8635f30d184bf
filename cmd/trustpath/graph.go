package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"slices"

	"github.com/spf13/cobra"

	"github.com/trustpath/trustpath/graph"
)

// formats are the encodings `trustpath graph` writes.
var formats = []string{"text", "dot", "svg", "json"}

// graphOptions is all `trustpath graph` needs; flags bind only to its fields.
type graphOptions struct {
	input  inputOptions
	output outputOptions
	Focus  string
	Depth  int
	Level  string

	format, file string // resolved from output
}

func newGraphCommand(streams IOStreams, g *globalOptions) *cobra.Command {
	o := &graphOptions{Depth: 2, Level: "auto"}
	cmd := &cobra.Command{
		Use:   "graph -f PATH... [-o text|dot|svg|json|FILE]",
		Short: "Build the attack graph of an estate and write it as a table, DOT, SVG or JSON",
		Example: `  trustpath graph -f testdata/demo/prod
  trustpath graph -f prod=testdata/demo/prod -f staging=testdata/demo/staging -o estate.svg
  kubectl get all -A -o yaml | trustpath graph -f - -o dot | dot -Tpng > estate.png
  trustpath graph -f testdata/demo/prod --focus deploy/shop/api --depth 1 -o api.svg`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.validate(); err != nil {
				return err
			}
			return o.run(cmd.Context(), streams, g.logger(streams), g.display(streams, o.file))
		},
	}
	f := cmd.Flags()
	o.input.addFlags(f)
	o.output.addFlags(f, formats)
	f.StringVar(&o.Focus, "focus", "", "draw only the neighbourhood of this vertex, e.g. deploy/shop/api")
	f.IntVar(&o.Depth, "depth", o.Depth, "with --focus: steps to follow from the vertex, in either direction")
	f.StringVar(&o.Level, "level", o.Level, "detail of diagrams: steps (every step), boundaries (one edge per pair of namespaces, nodes, identities), or auto (steps up to 120 edges)")
	return cmd
}

func (o *graphOptions) validate() error {
	if err := o.input.validate(); err != nil {
		return err
	}
	var err error
	if o.format, o.file, err = o.output.resolve(formats); err != nil {
		return err
	}
	if !slices.Contains(levels, o.Level) {
		return withHint(fmt.Errorf("unknown --level %q", o.Level), "use steps, boundaries or auto")
	}
	if o.Depth < 0 {
		return fmt.Errorf("--depth must be 0 or more, got %d", o.Depth)
	}
	return nil
}

func (o *graphOptions) run(ctx context.Context, s IOStreams, log logger, d display) error {
	res, err := o.input.load(ctx, s, log, nil)
	if err != nil {
		return err
	}
	view := res.Graph.All()
	if o.Focus != "" {
		v, err := resolve(res.Graph, o.Focus)
		if err != nil {
			return err
		}
		view = res.Graph.Neighbourhood(v, o.Depth)
	}
	if o.format == "dot" || o.format == "svg" {
		view = diagramView(view, o.Level, log)
	}
	return renderTo(ctx, s, o.file, func(w io.Writer) error {
		if o.format == "text" {
			return graph.WriteTextWidth(w, view, d.width)
		}
		return render(ctx, w, view, o.format)
	})
}

// levels are the detail a diagram may have.
var levels = []string{"auto", "steps", "boundaries"}

// maxStepEdges is the most edges a step-by-step diagram holds before auto
// draws the boundary map instead: past it, Graphviz draws a hairball.
const maxStepEdges = 120

// diagramView returns what a diagram of view draws at a level.
func diagramView(view graph.View, level string, log logger) graph.View {
	if level == "steps" || level == "auto" && len(view.Edges) <= maxStepEdges {
		return view
	}
	if level == "auto" {
		log.Printf(0, "%d steps are too many to draw one by one; drew one edge per pair of namespaces, nodes and identities (--level steps draws them all, --focus KEY draws one neighbourhood)", len(view.Edges))
	}
	return graph.BoundaryMap(view).All()
}

// render encodes view in format.
func render(ctx context.Context, w io.Writer, view graph.View, format string) error {
	switch format {
	case "dot":
		return graph.WriteDOT(w, view)
	case "svg":
		var dot bytes.Buffer
		if err := graph.WriteDOT(&dot, view); err != nil {
			return err
		}
		return graph.RenderSVG(ctx, dot.Bytes(), w)
	case "json":
		return graph.WriteJSON(w, view)
	}
	return graph.WriteText(w, view)
}

// resolve finds the vertex a user named, with suggestions when none matches.
func resolve(g *graph.Graph, input string) (*graph.Vertex, error) {
	v, err := g.Resolve(input)
	if err != nil {
		return nil, withHint(err, "list vertex keys with: trustpath graph -f PATH")
	}
	return v, nil
}
