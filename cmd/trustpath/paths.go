package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/trustpath/trustpath/analysis"
	"github.com/trustpath/trustpath/graph"
)

// pathsOptions is all `trustpath paths` needs.
type pathsOptions struct {
	input        inputOptions
	output       outputOptions
	From, To     []string
	K, MaxHops   int
	format, file string
}

func newPathsCommand(streams IOStreams, g *globalOptions) *cobra.Command {
	o := &pathsOptions{K: 3, MaxHops: 12}
	cmd := &cobra.Command{
		Use:   "paths -f PATH... [--from KEY]... [--to KEY]... [-k N] [--max-hops N]",
		Short: "Show the k cheapest attack paths from actors to targets",
		Long: `paths shows, for each target, the k cheapest loopless attack paths from any
of the starting points. Without --from, every actor starts: the internet,
every container (compromised) and every user and group (malicious). Without
--to, the targets are the crown jewels and cluster-admin.`,
		Example: `  trustpath paths -f testdata/demo/prod --to secret/payments/stripe-key
  trustpath paths -f testdata/demo/prod --from internet --to cluster-admin -k 5 -o svg > paths.svg`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.input.validate(); err != nil {
				return err
			}
			if o.K < 1 || o.MaxHops < 0 {
				return fmt.Errorf("-k must be at least 1 and --max-hops at least 0")
			}
			var err error
			if o.format, o.file, err = o.output.resolve(pathFormats); err != nil {
				return err
			}
			return o.run(cmd.Context(), streams, g.logger(streams), g.display(streams, o.file))
		},
	}
	f := cmd.Flags()
	o.input.addFlags(f)
	o.output.addFlags(f, pathFormats)
	f.StringArrayVar(&o.From, "from", nil, "start here instead of at every actor (repeatable), e.g. internet")
	f.StringArrayVar(&o.To, "to", nil, "target (repeatable), e.g. secret/payments/stripe-key; default: crown jewels and cluster-admin")
	f.IntVarP(&o.K, "k", "k", o.K, "paths per target, cheapest first")
	f.IntVar(&o.MaxHops, "max-hops", o.MaxHops, "longest path to consider, in steps (0: no bound)")
	return cmd
}

func (o *pathsOptions) run(ctx context.Context, s IOStreams, log logger, d display) error {
	res, err := o.input.load(ctx, s, log, nil)
	if err != nil {
		return err
	}
	g := res.Graph
	from, err := resolveAll(g, o.From)
	if err != nil {
		return err
	}
	if len(from) == 0 {
		for _, a := range []analysis.ActorKind{analysis.External, analysis.CompromisedContainer, analysis.MaliciousUser} {
			from = append(from, analysis.Actors(g, a)...)
		}
	}
	to, err := resolveAll(g, o.To)
	if err != nil {
		return err
	}
	if len(to) == 0 {
		for _, t := range analysis.Targets(g, nil) {
			if t.Impact == 5 {
				to = append(to, t.Vertex)
			}
		}
	}
	var paths []analysis.Path
	for _, t := range to {
		paths = append(paths, analysis.Paths(g, from, t, o.K, o.MaxHops, nil)...)
	}
	if len(paths) == 0 {
		if err := renderTo(ctx, s, o.file, func(w io.Writer) error {
			if o.format == "json" {
				return writePathsJSON(w, nil)
			}
			_, err := fmt.Fprintln(w, "no paths")
			return err
		}); err != nil {
			return err
		}
		return errNo
	}
	return renderTo(ctx, s, o.file, func(w io.Writer) error { return writePaths(ctx, w, o.format, paths, d) })
}

// resolveAll resolves keys typed by a user.
func resolveAll(g *graph.Graph, keys []string) ([]*graph.Vertex, error) {
	var out []*graph.Vertex
	for _, k := range keys {
		v, err := resolve(g, k)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}
