package main

import (
	"context"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/trustpath/trustpath/analysis"
	"github.com/trustpath/trustpath/graph"
	"github.com/trustpath/trustpath/internal/jsonstream"
	"github.com/trustpath/trustpath/internal/table"
)

var flowFormats = []string{"table", "json", "dot", "svg"}

// flowsSchema names the JSON encoding of `trustpath flows`.
const flowsSchema = "trustpath.io/flows/v1"

// flowsOptions is all `trustpath flows` needs.
type flowsOptions struct {
	input   inputOptions
	output  outputOptions
	From    string
	To      string
	Port    string
	Explain bool
	Check   bool

	format, file string
	port         *graph.PortSpec
	check        []string
}

func newFlowsCommand(streams IOStreams, g *globalOptions) *cobra.Command {
	o := &flowsOptions{}
	cmd := &cobra.Command{
		Use:   "flows -f PATH... [--from KEY] [--to KEY] [--port P] [--explain] | --check SRC DST PORT",
		Short: "List the network connections NetworkPolicy allows, or check one",
		// NOTE: the Use line is as wide as help allows; -f and the rest are under Flags.
		DisableFlagsInUseLine: true,
		Long: `flows lists the connections NetworkPolicy allows between pod groups and
the internet, one line each, sorted, ports merged into ranges. Connections
no policy restricts go through the cluster's pod-network vertex, which stands
for every pod whose egress is open; with --from or --to they are joined into
direct connections of that vertex.

flows --check answers for one connection, with the reasons at both ends:
exit 0 when allowed, 1 when denied, 2 on error.`,
		Example: `  trustpath flows -f testdata/demo/prod --from deploy/shop/api
  trustpath flows -f testdata/demo/prod --to deploy/payments/processor --explain
  trustpath flows -f testdata/demo/prod \
    --check deploy/shop/frontend deploy/payments/processor tcp/8443
  trustpath flows -f testdata/demo/prod --check internet deploy/shop/frontend tcp/8080`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := o.validate(args); err != nil {
				return err
			}
			return o.run(cmd.Context(), streams, g.logger(streams), g.display(streams, o.file))
		},
	}
	f := cmd.Flags()
	o.input.addFlags(f)
	o.output.addFlags(f, flowFormats)
	f.StringVar(&o.From, "from", "", "only connections from this vertex, e.g. deploy/shop/api or internet")
	f.StringVar(&o.To, "to", "", "only connections to this vertex, e.g. deploy/payments/processor")
	f.StringVar(&o.Port, "port", "", "only connections on this port, e.g. tcp/8080")
	f.BoolVar(&o.Explain, "explain", false, "show the policy rules and missing controls behind each connection")
	f.BoolVar(&o.Check, "check", false, "answer for one connection given as SRC DST PORT, e.g. --check deploy/a/x deploy/b/y tcp/8080")
	return cmd
}

func (o *flowsOptions) validate(args []string) error {
	if err := o.input.validate(); err != nil {
		return err
	}
	if o.Check {
		if len(args) != 3 {
			return withHint(fmt.Errorf("--check takes SRC DST PORT, got %d arguments", len(args)),
				"e.g. trustpath flows --check deploy/shop/frontend deploy/shop/api tcp/8080 -f DIR")
		}
		o.check = args
		return nil
	}
	if len(args) > 0 {
		return withHint(fmt.Errorf("unexpected arguments %q", args), "to check one connection, add --check")
	}
	if o.Port != "" {
		p, err := graph.ParsePort(o.Port)
		if err != nil {
			return err
		}
		o.port = &p
	}
	var err error
	o.format, o.file, err = o.output.resolve(flowFormats)
	return err
}

func (o *flowsOptions) run(ctx context.Context, s IOStreams, log logger, d display) error {
	res, err := o.input.load(ctx, s, log, nil)
	if err != nil {
		return err
	}
	if o.Check {
		return o.runCheck(s.Out, d, res.Graph, func(src, dst *graph.Vertex, p graph.PortSpec) (bool, []string, []string, error) {
			v, err := res.CheckFlow(src, dst, p)
			return v.Allowed, v.Egress, v.Ingress, err
		})
	}
	q := analysis.FlowQuery{Port: o.port}
	if o.From != "" {
		if q.From, err = resolve(res.Graph, o.From); err != nil {
			return err
		}
	}
	if o.To != "" {
		if q.To, err = resolve(res.Graph, o.To); err != nil {
			return err
		}
	}
	flows := analysis.Flows(res.Graph, q)
	return renderTo(ctx, s, o.file, func(w io.Writer) error {
		switch o.format {
		case "json":
			return writeFlowsJSON(w, flows)
		case "dot", "svg":
			var edges []*graph.Edge
			for _, f := range flows {
				edges = append(edges, f.Edges...)
			}
			return render(ctx, w, graph.ViewOf(edges), o.format)
		}
		return writeFlowsTable(w, flows, o.Explain, d)
	})
}

// checkFunc answers one connection: allowed, and the reasons at each end.
type checkFunc func(src, dst *graph.Vertex, p graph.PortSpec) (bool, []string, []string, error)

func (o *flowsOptions) runCheck(w io.Writer, d display, g *graph.Graph, check checkFunc) error {
	src, err := resolve(g, o.check[0])
	if err != nil {
		return err
	}
	dst, err := resolve(g, o.check[1])
	if err != nil {
		return err
	}
	port, err := graph.ParsePort(o.check[2])
	if err != nil {
		return err
	}
	allowed, egress, ingress, err := check(src, dst, port)
	if err != nil {
		return withHint(err, "SRC and DST are pod groups (deploy/NS/NAME, …), containers or internet")
	}
	answer := "denied"
	if allowed {
		answer = "allowed"
	}
	d.println(w, 4, fmt.Sprintf("%s: %s -> %s %s", answer, src.Key, dst.Key, port))
	for _, r := range egress {
		d.println(w, 4, fmt.Sprintf("  egress at %s: %s", src.Key, r))
	}
	for _, r := range ingress {
		d.println(w, 4, fmt.Sprintf("  ingress at %s: %s", dst.Key, r))
	}
	if !allowed {
		return errNo
	}
	return nil
}

func writeFlowsTable(w io.Writer, flows []analysis.Flow, explain bool, d display) error {
	header := []string{"FROM", "TO", "PORTS", "VIA"}
	if explain {
		header = append(header, "WHY", "MISSING CONTROL")
	}
	t := table.New(header...)
	if explain {
		t.Below(4, "why")
		t.Below(5, "missing")
	}
	hubs := map[graph.Key]bool{}
	for _, f := range flows {
		via := "-"
		if f.Via != nil {
			via = string(f.Via.Key)
		}
		for _, v := range []*graph.Vertex{f.From, f.To, f.Via} {
			if v != nil && v.Kind.IsTransit() {
				hubs[v.Key] = true
			}
		}
		row := []string{string(f.From.Key), string(f.To.Key), strings.Join(f.Ports, ","), via}
		if explain {
			var why, missing []string
			for _, e := range f.Edges {
				for _, ev := range e.Evidence {
					why = append(why, string(ev.Object)+" "+ev.Detail)
				}
				missing = append(missing, e.Missing...)
				if e.Note != "" {
					why = append(why, e.Note)
				}
			}
			row = append(row, strings.Join(why, "; "), strings.Join(missing, "; "))
		}
		t.Row(row...)
	}
	if err := d.render(w, t); err != nil {
		return err
	}
	if len(flows) == 0 {
		_, err := fmt.Fprintln(w, "(no connections)")
		return err
	}
	for _, h := range sortedKeys(hubs) {
		d.println(w, 4, fmt.Sprintf("%s stands for every pod of its cluster whose egress is open.", h))
	}
	return nil
}

func sortedKeys(m map[graph.Key]bool) []graph.Key {
	return slices.Sorted(maps.Keys(m))
}

type jsonFlow struct {
	From     graph.Key        `json:"from"`
	To       graph.Key        `json:"to"`
	Via      graph.Key        `json:"via,omitempty"`
	Ports    []string         `json:"ports"`
	Evidence []graph.Evidence `json:"evidence,omitempty"`
	Missing  []string         `json:"missing,omitempty"`
	Notes    []string         `json:"notes,omitempty"`
}

func writeFlowsJSON(w io.Writer, flows []analysis.Flow) error {
	// Every flow of a large estate can be millions: each is encoded only
	// as it is written.
	list := jsonstream.Map(flows, func(f analysis.Flow) jsonFlow {
		jf := jsonFlow{From: f.From.Key, To: f.To.Key, Ports: f.Ports}
		if f.Via != nil {
			jf.Via = f.Via.Key
		}
		for _, e := range f.Edges {
			jf.Evidence = append(jf.Evidence, e.Evidence...)
			jf.Missing = append(jf.Missing, e.Missing...)
			if e.Note != "" {
				jf.Notes = append(jf.Notes, e.Note)
			}
		}
		return jf
	})
	out := struct {
		Schema string            `json:"schema"`
		Flows  *jsonstream.Array `json:"flows"`
	}{flowsSchema, list}
	return jsonstream.Encode(w, out, "", "  ", list)
}
