package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/trustpath/trustpath/analysis"
	"github.com/trustpath/trustpath/graph"
	"github.com/trustpath/trustpath/internal/table"
)

var reachFormats = []string{"table", "json", "dot", "svg"}

// blastOptions is all `trustpath blast` and `trustpath exposure` need.
type blastOptions struct {
	input        inputOptions
	output       outputOptions
	reverse      bool // exposure: who reaches the vertex
	format, file string
}

func newBlastCommand(streams IOStreams, g *globalOptions) *cobra.Command {
	o := &blastOptions{}
	cmd := &cobra.Command{
		Use:   "blast FROM -f PATH...",
		Short: "Show the blast radius of FROM: everything an attacker there reaches",
		Long: `blast lists everything an attacker who holds FROM can reach, grouped by
kind, with the cheapest cost and the trust boundaries crossed on the way.`,
		Example: "  trustpath blast container/shop/frontend/frontend -f testdata/demo/prod",
		Args:    cobra.ExactArgs(1),
		RunE:    o.runE(streams, g),
	}
	o.input.addFlags(cmd.Flags())
	o.output.addFlags(cmd.Flags(), reachFormats)
	return cmd
}

func newExposureCommand(streams IOStreams, g *globalOptions) *cobra.Command {
	o := &blastOptions{reverse: true}
	cmd := &cobra.Command{
		Use:   "exposure TO -f PATH...",
		Short: "Show who can reach TO: actors, workloads and identities",
		Long: `exposure lists every actor (the internet, containers, users and groups),
workload and identity that can reach TO, cheapest first, with the
boundaries crossed on the way.`,
		Example: "  trustpath exposure secret/payments/stripe-key -f testdata/demo/prod",
		Args:    cobra.ExactArgs(1),
		RunE:    o.runE(streams, g),
	}
	o.input.addFlags(cmd.Flags())
	o.output.addFlags(cmd.Flags(), reachFormats)
	return cmd
}

func (o *blastOptions) runE(streams IOStreams, g *globalOptions) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		if err := o.input.validate(); err != nil {
			return err
		}
		var err error
		if o.format, o.file, err = o.output.resolve(reachFormats); err != nil {
			return err
		}
		return o.run(cmd.Context(), streams, g.logger(streams), g.display(streams, o.file), args[0])
	}
}

// reached is one vertex of a blast radius or an exposure.
type reached struct {
	vertex  *graph.Vertex
	path    analysis.Path
	crosses []string
}

func (o *blastOptions) run(ctx context.Context, s IOStreams, log logger, d display, arg string) error {
	res, err := o.input.load(ctx, s, log, nil)
	if err != nil {
		return err
	}
	g := res.Graph
	at, err := resolve(g, arg)
	if err != nil {
		return err
	}
	var tree *analysis.Tree
	if o.reverse {
		tree = analysis.SearchBack(g, []*graph.Vertex{at}, nil)
	} else {
		tree = analysis.Search(g, []*graph.Vertex{at}, nil)
	}
	var rows []reached
	for _, v := range g.Vertices() {
		if v == at || v.Kind.IsSet() || !o.listed(v) {
			continue
		}
		p, ok := tree.Path(v)
		if !ok {
			continue
		}
		var crosses []string
		for _, c := range p.Crossings() {
			if b := c.Boundary.String(); !slices.Contains(crosses, b) {
				crosses = append(crosses, b)
			}
		}
		rows = append(rows, reached{v, p, crosses})
	}
	slices.SortFunc(rows, func(a, b reached) int {
		return cmp.Or(cmp.Compare(a.vertex.Kind, b.vertex.Kind), cmp.Compare(a.path.Cost, b.path.Cost), cmp.Compare(a.vertex.Key, b.vertex.Key))
	})
	return renderTo(ctx, s, o.file, func(w io.Writer) error {
		switch o.format {
		case "json":
			var paths []analysis.Path
			for _, r := range rows {
				paths = append(paths, r.path)
			}
			return writePathsJSON(w, paths)
		case "dot", "svg":
			var edges []*graph.Edge
			for _, r := range rows {
				edges = append(edges, r.path.Steps...)
			}
			view := graph.ViewOf(edges)
			view.MarkMissing = true
			return render(ctx, w, view, o.format)
		}
		return o.table(w, at, rows, d)
	})
}

// listed says which vertices a table shows: for exposure the ones that
// act (actors, workloads, identities); for blast everything reached.
func (o *blastOptions) listed(v *graph.Vertex) bool {
	if !o.reverse {
		return true
	}
	_, actor := analysis.ActorOf(v)
	return actor || v.Kind.IsWorkload() || v.Kind == graph.KindServiceAccount
}

func (o *blastOptions) table(w io.Writer, at *graph.Vertex, rows []reached, d display) error {
	verb := "reaches"
	if o.reverse {
		verb = "is reached by"
	}
	d.println(w, 4, fmt.Sprintf("%s %s %d vertices", at.Key, verb, len(rows)))
	t := table.New("KIND", "VERTEX", "COST", "STEPS", "CROSSES")
	for _, r := range rows {
		crosses := strings.Join(r.crosses, ",")
		if crosses == "" {
			crosses = "-"
		}
		t.Row(string(r.vertex.Kind), string(r.vertex.Key), costString(r.path.Cost), strconv.Itoa(len(r.path.Steps)), crosses)
	}
	return d.render(w, t)
}
