package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/trustpath/trustpath/analysis"
	tpreport "github.com/trustpath/trustpath/analysis/report" // main has a func report
	"github.com/trustpath/trustpath/collectors"
	"github.com/trustpath/trustpath/collectors/estate"
)

// reportFormats are what `trustpath report` writes; the first is the default.
var reportFormats = []string{"md", "html", "json", "sarif"}

// reportOptions is all `trustpath report` needs.
type reportOptions struct {
	input        inputOptions
	output       outputOptions
	Targets      []string
	Top, NFixes  int
	FailOn       string
	Title        string
	format, file string
	failOn       analysis.Severity
}

func newReportCommand(streams IOStreams, g *globalOptions) *cobra.Command {
	o := &reportOptions{Top: 5, NFixes: 5}
	cmd := &cobra.Command{
		Use:   "report -f PATH... [-o review.md|review.html|review.json|results.sarif]",
		Short: "Write the threat-model review (Markdown, HTML, JSON) or the findings as SARIF",
		Long: `report writes the threat model of the estate as a reviewer would: scope and
inventory (clusters, nodes, namespaces, workloads, identities, and what could
not be read), the trust-boundary table (per boundary, the controls present and
missing and the worst offenders), the threat actors and their entry points,
the targets at risk, the top attack paths with their diagrams, every finding
grouped by the missing control with its remediation, the persistence risks,
and the choke points and fixes, each verified by analysing the estate again.

-o review.md writes the diagrams beside the document (review-path-1.svg, …);
-o review.html is one self-contained page with the diagrams inline that works
offline; -o review.json holds everything in the documented schema
(trustpath.io/review/v1); -o results.sarif writes SARIF 2.1.0 for code
scanning, one result per missing control at the manifest line of the object
to change. With --fail-on, exit code 1 means findings at or above that
severity (after writing the output).`,
		Example: `  trustpath report -f prod=testdata/demo/prod -f staging=testdata/demo/staging -o review.md
  trustpath report -f testdata/demo/prod -o review.html
  trustpath report -f deploy/ -o results.sarif --fail-on high`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.validate(); err != nil {
				return err
			}
			return o.run(cmd.Context(), streams, g.logger(streams))
		},
	}
	f := cmd.Flags()
	o.input.addFlags(f)
	o.output.addFlags(f, reportFormats)
	f.StringArrayVar(&o.Targets, "target", nil, "also treat this vertex as a crown jewel (repeatable), e.g. secret/shop/db")
	f.IntVar(&o.Top, "top", o.Top, "attack paths to tell and draw in full, e.g. 8")
	f.IntVar(&o.NFixes, "fixes", o.NFixes, "fixes to propose and verify, e.g. 10")
	f.StringVar(&o.FailOn, "fail-on", "", "exit 1 when a finding is at least this severe: low, medium, high, critical")
	f.StringVar(&o.Title, "title", "", `document title, e.g. "Shop platform review" (default: "Threat model: CLUSTERS")`)
	return cmd
}

func (o *reportOptions) validate() error {
	if err := o.input.validate(); err != nil {
		return err
	}
	if o.Top < 1 || o.NFixes < 0 {
		return withHint(fmt.Errorf("--top must be at least 1 and --fixes at least 0, got %d and %d", o.Top, o.NFixes),
			"e.g. --top 5 --fixes 5")
	}
	if o.FailOn != "" {
		s, ok := analysis.ParseSeverity(o.FailOn)
		if !ok {
			return withHint(fmt.Errorf("unknown severity %q", o.FailOn), "use low, medium, high or critical")
		}
		o.failOn = s
	}
	var err error
	o.format, o.file, err = o.output.resolve(reportFormats)
	return err
}

func (o *reportOptions) run(ctx context.Context, s IOStreams, log logger) error {
	o.input.graphOnly = true // the graph and the sources are all it reads
	res, err := o.input.load(ctx, s, log, nil)
	if err != nil {
		return err
	}
	var opts analysis.Options
	if opts.Targets, err = resolveAll(res.Graph, o.Targets); err != nil {
		return err
	}
	r := tpreport.Build(res.Graph, tpreport.Options{Analysis: opts, Top: o.Top, Fixes: o.NFixes,
		Scope: scopeOf(res, o.input.sources()), Title: o.Title})
	var svgs map[string][]byte
	if o.format == "html" || o.format == "md" && o.file != "" && o.file != "-" {
		if svgs, err = r.RenderDiagrams(ctx); err != nil {
			return err
		}
	}
	if _, err := writeReview(ctx, s, r, res, o.format, o.file, svgs); err != nil {
		return err
	}
	if o.failOn != 0 && slices.ContainsFunc(r.Result.Findings, func(f *analysis.Finding) bool { return f.Severity >= o.failOn }) {
		log.Printf(0, "findings at or above %s (--fail-on)", o.failOn)
		return errNo
	}
	return nil
}

// writeReview writes r in format to file ("" for stdout) and returns the
// files written. Markdown written to a file gets the diagrams (svgs, by
// name) beside it, named after it; HTML has them inline.
func writeReview(ctx context.Context, s IOStreams, r *tpreport.Review, res *collectors.Result, format, file string, svgs map[string][]byte) ([]string, error) {
	var written []string
	images := map[string]string{}
	if format == "md" && file != "" && file != "-" {
		base := strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
		for _, name := range sortedNames(svgs) {
			images[name] = base + "-" + name + ".svg"
			p := filepath.Join(filepath.Dir(file), images[name])
			if err := writeOutput(s.Out, p, svgs[name]); err != nil {
				return written, err
			}
			written = append(written, p)
		}
	}
	err := renderTo(ctx, s, file, func(w io.Writer) error {
		switch format {
		case "html":
			return r.WriteHTML(w, svgs)
		case "json":
			return r.WriteJSON(w)
		case "sarif":
			return tpreport.WriteSARIF(w, r.Result, locator(res), toolVersion())
		}
		return r.WriteMarkdown(w, images)
	})
	if err != nil {
		return written, err
	}
	if file != "" && file != "-" {
		written = append(written, file)
	}
	return written, nil
}

func sortedNames(m map[string][]byte) []string {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// scopeOf tells the report what was read, in its own terms.
func scopeOf(res *collectors.Result, sources []string) tpreport.Scope {
	sc := tpreport.Scope{Sources: sources}
	for _, snap := range res.Snapshots {
		c := tpreport.ClusterScope{Name: snap.Cluster, Objects: snap.Objects()}
		for _, k := range snap.SkippedKinds() {
			c.Skipped = append(c.Skipped, tpreport.KindCount{Kind: k.Kind, Count: k.Count})
		}
		for _, g := range snap.Gaps {
			c.Gaps = append(c.Gaps, g.String())
		}
		for _, d := range snap.Diagnostics {
			if d.Severity >= estate.Warning {
				c.Problems = append(c.Problems, d.Severity.String()+": "+d.Error())
			}
		}
		sc.Clusters = append(sc.Clusters, c)
	}
	return sc
}

// sources names what the input options read, for the review's scope.
func (o *inputOptions) sources() []string {
	var out []string
	for _, f := range o.Files {
		if f == "-" || strings.HasSuffix(f, "=-") {
			f += " (standard input)"
		}
		out = append(out, f)
	}
	if o.isLive() {
		switch {
		case o.live.AllContexts:
			out = append(out, "every context of the kubeconfig (live)")
		case len(o.live.Contexts) > 0:
			for _, c := range o.live.Contexts {
				out = append(out, "context "+c+" (live)")
			}
		default:
			out = append(out, "the kubeconfig's current context (live)")
		}
	}
	return out
}

// locator finds the manifest line of the object a key names, or the
// nearest one in its namespace or cluster.
func locator(res *collectors.Result) tpreport.Locator {
	return func(key string) (string, int, bool) {
		src, ok := res.NearestSource(key)
		return src.File, src.Line, ok
	}
}

// toolVersion is the version SARIF names: the link-time version, else the
// module's, else "(devel)".
func toolVersion() string {
	if version != "" {
		return version
	}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return ""
}
