package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/trustpath/trustpath/analysis"
	"github.com/trustpath/trustpath/graph"
)

// reachOptions is all `trustpath reach` needs.
type reachOptions struct {
	input        inputOptions
	output       outputOptions
	format, file string
}

func newReachCommand(streams IOStreams, g *globalOptions) *cobra.Command {
	o := &reachOptions{}
	cmd := &cobra.Command{
		Use:   "reach FROM TO -f PATH...",
		Short: "Answer whether an attacker at FROM can reach TO, and show the cheapest way",
		Long: `reach answers yes or no: can an attacker who holds FROM (a container, a
user, the internet, …) reach TO (a secret, a node, cluster-admin, …)? For
yes it shows the cheapest path step by step, with the boundary each step
crosses and the control that was missing.

Exit codes: 0 reachable, 1 not reachable, 2 error.`,
		Example: `  trustpath reach internet prod:secret/shop/db-credentials \
    -f prod=testdata/demo/prod -f staging=testdata/demo/staging
  trustpath reach container/shop/frontend/frontend secret/payments/stripe-key -f testdata/demo/prod
  trustpath reach group/ops cluster-admin -f testdata/demo/prod -o svg > path.svg`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := o.input.validate(); err != nil {
				return err
			}
			var err error
			if o.format, o.file, err = o.output.resolve(pathFormats); err != nil {
				return err
			}
			return o.run(cmd.Context(), streams, g.logger(streams), g.display(streams, o.file), args[0], args[1])
		},
	}
	o.input.addFlags(cmd.Flags())
	o.output.addFlags(cmd.Flags(), pathFormats)
	return cmd
}

func (o *reachOptions) run(ctx context.Context, s IOStreams, log logger, d display, fromArg, toArg string) error {
	res, err := o.input.load(ctx, s, log, nil)
	if err != nil {
		return err
	}
	from, err := resolve(res.Graph, fromArg)
	if err != nil {
		return err
	}
	to, err := resolve(res.Graph, toArg)
	if err != nil {
		return err
	}
	p, ok := analysis.SearchTo(res.Graph, []*graph.Vertex{from}, to, nil).Path(to)
	if !ok {
		if err := renderTo(ctx, s, o.file, func(w io.Writer) error {
			if o.format == "json" {
				return encodeJSON(w, map[string]any{"schema": pathsSchema, "reachable": false, "from": from.Key, "to": to.Key})
			}
			d.println(w, 4, fmt.Sprintf("no: %s cannot reach %s", from.Key, to.Key))
			return nil
		}); err != nil {
			return err
		}
		return errNo
	}
	return renderTo(ctx, s, o.file, func(w io.Writer) error {
		if o.format == "table" {
			fmt.Fprintln(w, "yes")
		}
		return writePaths(ctx, w, o.format, []analysis.Path{p}, d)
	})
}
