package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/trustpath/trustpath/analysis"
	tpreport "github.com/trustpath/trustpath/analysis/report"
	"github.com/trustpath/trustpath/graph"
	"github.com/trustpath/trustpath/internal/jsonstream"
	"github.com/trustpath/trustpath/internal/table"
)

// findingsSchema names the JSON encoding of `trustpath analyze`.
const findingsSchema = "trustpath.io/findings/v1"

// analyzeOptions is all `trustpath analyze` needs.
type analyzeOptions struct {
	input        inputOptions
	output       outputOptions
	From         []string
	Targets      []string
	FailOn       string
	Assume       []string
	AssumeDrop   []string
	Top, NFixes  int
	format, file string
	failOn       analysis.Severity
}

func newAnalyzeCommand(streams IOStreams, g *globalOptions) *cobra.Command {
	o := &analyzeOptions{Top: 10, NFixes: 5}
	cmd := &cobra.Command{
		Use:   "analyze -f PATH... [--from KEY]... [--fail-on SEVERITY] [--assume PATH]...",
		Short: "Find attack paths that cross a trust boundary without a control, grouped by cause",
		Long: `analyze starts every threat actor — the internet, every container as if
compromised, every user and group as if malicious — towards every target —
secrets, nodes, kube-system, cluster-admin, namespace admins, crown jewels —
and reports each trust-boundary crossing on the way that no control stops,
grouped by the missing control, most severe first, with the fix for each,
the choke points every path goes through, and the fixes that close the most
findings (each verified by analysing the estate again without what it stops).

--assume adds manifests (a new NetworkPolicy, a narrower Role) or drops
edges (--assume-drop FROM->TO) and reports which findings close and which
remain. With --fail-on, exit code 1 means findings at or above that severity.`,
		Example: `  trustpath analyze -f prod=testdata/demo/prod -f staging=testdata/demo/staging
  trustpath analyze -f testdata/demo/prod --fail-on high
  trustpath analyze -f testdata/demo/prod --assume fix/netpol-shop.yaml`,
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
	o.output.addFlags(f, pathFormats)
	f.StringArrayVar(&o.From, "from", nil, "start only here (repeatable), e.g. internet or container/shop/web/nginx")
	f.StringArrayVar(&o.Targets, "target", nil, "also treat this vertex as a crown jewel (repeatable), e.g. secret/shop/db")
	f.StringVar(&o.FailOn, "fail-on", "", "exit 1 when a finding is at least this severe: low, medium, high, critical")
	f.StringArrayVar(&o.Assume, "assume", nil, "manifest to apply before analysing again, CLUSTER=PATH with several clusters (repeatable); its objects replace those of the same name")
	f.StringArrayVar(&o.AssumeDrop, "assume-drop", nil, "edge to remove before analysing again, FROM->TO (repeatable)")
	f.IntVar(&o.Top, "top", o.Top, "findings to show in full")
	f.IntVar(&o.NFixes, "fixes", o.NFixes, "fixes to propose and verify")
	return cmd
}

func (o *analyzeOptions) validate() error {
	if err := o.input.validate(); err != nil {
		return err
	}
	if o.FailOn != "" {
		s, ok := analysis.ParseSeverity(o.FailOn)
		if !ok {
			return withHint(fmt.Errorf("unknown severity %q", o.FailOn), "use low, medium, high or critical")
		}
		o.failOn = s
	}
	for _, d := range o.AssumeDrop {
		if !strings.Contains(d, "->") {
			return withHint(fmt.Errorf("--assume-drop %q: want FROM->TO", d), "e.g. --assume-drop 'container/shop/web/web->pod-network'")
		}
	}
	var err error
	o.format, o.file, err = o.output.resolve(pathFormats)
	return err
}

func (o *analyzeOptions) run(ctx context.Context, s IOStreams, log logger, d display) error {
	o.input.graphOnly = true // the graph and the sources are all it reads
	res, err := o.input.load(ctx, s, log, nil)
	if err != nil {
		return err
	}
	opts, err := o.options(res.Graph)
	if err != nil {
		return err
	}
	result := analysis.Analyze(res.Graph, opts)
	var change *analysis.Change
	if len(o.Assume) > 0 || len(o.AssumeDrop) > 0 {
		change, err = o.assume(ctx, s, log, result)
		if err != nil {
			return err
		}
	}
	actors := opts.From
	if actors == nil {
		for _, a := range []analysis.ActorKind{analysis.External, analysis.CompromisedContainer, analysis.MaliciousUser} {
			actors = append(actors, analysis.Actors(res.Graph, a)...)
		}
	}
	report := analysisReport{result: result, change: change, top: o.Top, display: d}
	// Verifying fixes runs partly on one core, and the choke points on
	// one: the two only read the graph and the analysis, so they run side
	// by side, as in the review.
	var fixes sync.WaitGroup
	fixes.Go(func() { report.fixes = analysis.Fixes(res.Graph, opts, result, o.NFixes) })
	report.chokes = analysis.ChokePoints(res.Graph, actors, highImpact(result.Targets), nil)
	fixes.Wait()
	if err := renderTo(ctx, s, o.file, func(w io.Writer) error { return report.write(ctx, w, o.format) }); err != nil {
		return err
	}
	if o.failOn != 0 && slices.ContainsFunc(result.Findings, func(f *analysis.Finding) bool { return f.Severity >= o.failOn }) {
		log.Printf(0, "findings at or above %s (--fail-on)", o.failOn)
		return errNo
	}
	return nil
}

func (o *analyzeOptions) options(g *graph.Graph) (analysis.Options, error) {
	var opts analysis.Options
	var err error
	if len(o.From) > 0 {
		if opts.From, err = resolveAll(g, o.From); err != nil {
			return opts, err
		}
	}
	opts.Targets, err = resolveAll(g, o.Targets)
	return opts, err
}

// assume loads the estate again with the assumed manifests, drops the
// assumed edges, and compares the findings.
func (o *analyzeOptions) assume(ctx context.Context, s IOStreams, log logger, before *analysis.Result) (*analysis.Change, error) {
	in := o.input
	in.overrides = o.Assume
	quiet := log
	quiet.quiet = true
	res, err := in.load(ctx, s, quiet, nil)
	if err != nil {
		return nil, fmt.Errorf("loading the estate with --assume: %w", err)
	}
	opts, err := o.options(res.Graph)
	if err != nil {
		return nil, err
	}
	drops := map[[2]graph.Key]bool{}
	for _, d := range o.AssumeDrop {
		fromArg, toArg, _ := strings.Cut(d, "->")
		from, err := resolve(res.Graph, strings.TrimSpace(fromArg))
		if err != nil {
			return nil, fmt.Errorf("--assume-drop %s: %w", d, err)
		}
		to, err := resolve(res.Graph, strings.TrimSpace(toArg))
		if err != nil {
			return nil, fmt.Errorf("--assume-drop %s: %w", d, err)
		}
		drops[[2]graph.Key{from.Key, to.Key}] = true
	}
	opts.Skip = func(e *graph.Edge) bool { return drops[[2]graph.Key{e.F.Key, e.T.Key}] }
	after := analysis.Analyze(res.Graph, opts)
	c := analysis.Compare(before, after)
	return &c, nil
}

// highImpact are the targets choke points are computed for.
func highImpact(ts []analysis.Target) []analysis.Target {
	var out []analysis.Target
	for _, t := range ts {
		if t.Impact >= 4 {
			out = append(out, t)
		}
	}
	return out
}

// analysisReport is what `analyze` prints.
type analysisReport struct {
	result  *analysis.Result
	chokes  []analysis.ChokePoint
	fixes   []analysis.Fix
	change  *analysis.Change
	top     int
	display display
}

func (r analysisReport) write(ctx context.Context, w io.Writer, format string) error {
	switch format {
	case "json":
		return r.json(w)
	case "dot", "svg":
		var paths []analysis.Path
		for _, f := range r.result.Findings[:min(r.top, len(r.result.Findings))] {
			paths = append(paths, f.Path)
		}
		if len(paths) == 0 {
			return fmt.Errorf("no findings to draw")
		}
		return writePaths(ctx, w, format, paths, r.display)
	}
	return r.table(w)
}

func (r analysisReport) table(w io.Writer) error {
	res := r.result
	bySeverity := map[analysis.Severity]int{}
	byActor := map[analysis.ActorKind]int{}
	for _, f := range res.Findings {
		bySeverity[f.Severity]++
		byActor[f.Actor]++
	}
	d := r.display
	d.println(w, 4, fmt.Sprintf("%d findings from %d causes: %d critical, %d high, %d medium, %d low",
		len(res.Findings), len(res.Causes), bySeverity[analysis.Critical], bySeverity[analysis.High],
		bySeverity[analysis.Medium], bySeverity[analysis.Low]))
	d.println(w, 4, fmt.Sprintf("by actor: %d from the internet, %d from a compromised container, %d from a malicious user",
		byActor[analysis.External], byActor[analysis.CompromisedContainer], byActor[analysis.MaliciousUser]))
	if len(res.Findings) == 0 {
		return nil
	}

	d.heading(w, "CAUSES (a missing control; adding it closes every finding it lets through)")
	causes := table.New("SEVERITY", "FINDINGS", "MISSING CONTROL", "FIX")
	causes.Below(3, "fix")
	causes.Style(0, d.severityStyle())
	for _, c := range res.Causes {
		causes.Row(c.Severity.String(), strconv.Itoa(len(c.Findings)), c.Control, c.Fix.Summary)
	}
	if err := d.render(w, causes); err != nil {
		return err
	}

	top := min(r.top, len(res.Findings))
	more := ""
	if top < len(res.Findings) {
		more = fmt.Sprintf("; --top %d shows all", len(res.Findings))
	}
	d.heading(w, fmt.Sprintf("TOP FINDINGS (%d of %d%s)", top, len(res.Findings), more))
	findings := table.New("SEVERITY", "ACTOR", "CROSSES", "TARGET", "PATH")
	findings.Below(4, "path")
	findings.Style(0, d.severityStyle())
	for _, f := range res.Findings[:top] {
		findings.Row(f.Severity.String(), f.Actor.String(),
			fmt.Sprintf("%s at %s", f.Crossing.Boundary, f.Path.Steps[f.Crossing.Step].T.Key),
			string(f.Target.Vertex.Key), pathLine(f.Path))
	}
	if err := d.render(w, findings); err != nil {
		return err
	}

	if len(r.chokes) > 0 {
		d.heading(w, "CHOKE POINTS (every path from the actors to these targets goes through them)")
		chokes := table.New("VERTEX", "GUARDS")
		for _, c := range r.chokes[:min(maxChokes, len(r.chokes))] {
			chokes.Row(string(c.Vertex.Key), targetList(c.Targets, 3))
		}
		if err := d.render(w, chokes); err != nil {
			return err
		}
		if len(r.chokes) > maxChokes {
			fmt.Fprintf(w, "and %d more (-o json lists them all)\n", len(r.chokes)-maxChokes)
		}
	}
	if len(r.fixes) > 0 {
		d.heading(w, "FIXES (verified: each re-analysed with the ones before it applied)")
		fixes := table.New("#", "CONTROL", "CLOSES", "REMAIN")
		for i, f := range r.fixes {
			fixes.Row(strconv.Itoa(i+1), f.Control, strconv.Itoa(f.Closes), strconv.Itoa(f.Remain))
		}
		if err := d.render(w, fixes); err != nil {
			return err
		}
	}
	if c := r.change; c != nil {
		d.heading(w, fmt.Sprintf("WITH THE ASSUMPTIONS: %d findings closed, %d remain, %d opened", len(c.Closed), len(c.Remain), len(c.Opened)))
		for _, f := range c.Closed {
			d.println(w, 4, "  closed: "+f.ID())
		}
		for _, f := range c.Opened {
			d.println(w, 4, "  opened: "+f.ID())
		}
	}
	return nil
}

// maxChokes is how many choke points the table lists; -o json lists all.
const maxChokes = 10

// pathLine writes a path on one line: a > b > c.
func pathLine(p analysis.Path) string {
	var keys []string
	for _, v := range p.Vertices() {
		keys = append(keys, string(v.Key))
	}
	return strings.Join(keys, " > ")
}

func targetList(ts []*graph.Vertex, n int) string {
	var keys []string
	for _, t := range ts[:min(n, len(ts))] {
		keys = append(keys, string(t.Key))
	}
	if len(ts) > n {
		keys = append(keys, fmt.Sprintf("and %d more", len(ts)-n))
	}
	return strings.Join(keys, ", ")
}

func (r analysisReport) json(w io.Writer) error {
	type jsonCause struct {
		Control  string `json:"control"`
		Severity string `json:"severity"`
		Findings int    `json:"findings"`
		Fix      string `json:"fix"`
		Snippet  string `json:"snippet,omitempty"`
	}
	type jsonChoke struct {
		Vertex  graph.Key   `json:"vertex"`
		Targets []graph.Key `json:"targets"`
	}
	type jsonFix struct {
		Control string `json:"control"`
		Closes  int    `json:"closes"`
		Remain  int    `json:"remain"`
	}
	// The findings, each with its path in full, are most of the document:
	// each is encoded only as it is written.
	findings := jsonstream.Map(r.result.Findings, tpreport.FindingFieldsJSON)
	out := struct {
		Schema   string            `json:"schema"`
		Findings *jsonstream.Array `json:"findings"`
		Causes   []jsonCause       `json:"causes"`
		Chokes   []jsonChoke       `json:"choke_points"`
		Fixes    []jsonFix         `json:"fixes"`
	}{Schema: findingsSchema, Findings: findings, Causes: []jsonCause{}, Chokes: []jsonChoke{}, Fixes: []jsonFix{}}
	for _, c := range r.result.Causes {
		out.Causes = append(out.Causes, jsonCause{c.Control, c.Severity.String(), len(c.Findings), c.Fix.Summary, c.Fix.Snippet})
	}
	for _, c := range r.chokes {
		jc := jsonChoke{Vertex: c.Vertex.Key}
		for _, t := range c.Targets {
			jc.Targets = append(jc.Targets, t.Key)
		}
		out.Chokes = append(out.Chokes, jc)
	}
	for _, f := range r.fixes {
		out.Fixes = append(out.Fixes, jsonFix{f.Control, f.Closes, f.Remain})
	}
	return jsonstream.Encode(w, out, "", "  ", findings)
}
