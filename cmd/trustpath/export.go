package main

import (
	"context"
	"io"

	"github.com/spf13/cobra"

	tpreport "github.com/trustpath/trustpath/analysis/report" // main has a func report
	"github.com/trustpath/trustpath/graph"
)

// exportFormats are what `trustpath export` writes; the first is the default.
var exportFormats = []string{"bloodhound", "graphml", "json"}

// exportOptions is all `trustpath export` needs.
type exportOptions struct {
	input        inputOptions
	output       outputOptions
	format, file string
}

func newExportCommand(streams IOStreams, g *globalOptions) *cobra.Command {
	o := &exportOptions{}
	cmd := &cobra.Command{
		Use:   "export -f PATH... [--format bloodhound|graphml|json] [-o FILE]",
		Short: "Export the attack graph as BloodHound OpenGraph, GraphML or trustpath JSON",
		Long: `export writes the whole attack graph for tools that handle estates too large for
one diagram, or that a team already runs:

  bloodhound  BloodHound OpenGraph JSON: upload it in BloodHound CE (File
              Ingest) and query it with Cypher. Nodes are vertices (id: the
              vertex key; kinds such as TPDeployment, TPWorkload), edges are
              attacker steps (kinds such as TPUseMountedToken) with the
              boundary crossed and the controls present and missing as
              properties.
  graphml     GraphML for Gephi, yEd, Cytoscape or NetworkX.
  json        trustpath's own graph JSON (trustpath.io/graph/v1), as
              trustpath graph -o json writes it.

-o FILE.graphml picks GraphML by its extension; BloodHound JSON needs
--format bloodhound (the default) since .json means trustpath JSON.`,
		Example: `  trustpath export -f prod=testdata/demo/prod -f staging=testdata/demo/staging \
    -o estate-bloodhound.json --format bloodhound
  trustpath export -f testdata/demo/prod -o estate.graphml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.input.validate(); err != nil {
				return err
			}
			var err error
			if o.format, o.file, err = o.output.resolve(exportFormats); err != nil {
				return err
			}
			return o.run(cmd.Context(), streams, g.logger(streams))
		},
	}
	o.input.addFlags(cmd.Flags())
	o.output.addFlags(cmd.Flags(), exportFormats)
	return cmd
}

func (o *exportOptions) run(ctx context.Context, s IOStreams, log logger) error {
	res, err := o.input.load(ctx, s, log, nil)
	if err != nil {
		return err
	}
	view := res.Graph.All()
	return renderTo(ctx, s, o.file, func(w io.Writer) error {
		switch o.format {
		case "graphml":
			return tpreport.WriteGraphML(w, view)
		case "json":
			return graph.WriteJSON(w, view)
		}
		return tpreport.WriteOpenGraph(w, view)
	})
}
