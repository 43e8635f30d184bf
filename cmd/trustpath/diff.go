package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/spf13/cobra"

	"github.com/trustpath/trustpath/analysis"
	tpreport "github.com/trustpath/trustpath/analysis/report" // main has a func report
)

// diffFormats are what `trustpath diff` writes; the first is the default.
var diffFormats = []string{"table", "json", "md"}

// diffOptions is all `trustpath diff` needs.
type diffOptions struct {
	Base, Head   []string
	Cluster      string
	Namespace    string
	Targets      []string
	FailOn       string
	output       outputOptions
	format, file string
	failOn       analysis.Severity
}

func newDiffCommand(streams IOStreams, g *globalOptions) *cobra.Command {
	o := &diffOptions{}
	cmd := &cobra.Command{
		Use:   "diff --base PATH... --head PATH... [--fail-on SEVERITY]",
		Short: "Show which attack paths, findings, steps and flows a change adds or removes",
		Long: `diff analyses two versions of an estate — directories of manifests or
snapshots (trustpath snapshot) — and lists what changed between them: the
attack paths (an actor newly reaching a target), the findings opened and
closed, the attacker steps added, removed or with other controls, and the
network flows that changed. Both sides are read the same way, so give each
cluster the same name on both (--base prod=old/ --head prod=new/).

With --fail-on, exit code 1 means the head has new findings at or above that
severity: findings the base already had do not fail the check, so a pipeline
can gate a pull request on what it adds.`,
		Example: `  trustpath diff --base testdata/diff/base --head testdata/diff/head
  trustpath diff --base prod=main/deploy --head prod=deploy --fail-on high -o md > comment.md
  trustpath diff --base prod=snapshot-monday.json --head prod=snapshot-friday.json -o json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.validate(); err != nil {
				return err
			}
			return o.run(cmd.Context(), streams, g.logger(streams), g.display(streams, o.file))
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&o.Base, "base", nil, "the version before: manifest file, directory, snapshot, or CLUSTER=PATH (repeatable), e.g. --base main/deploy")
	f.StringArrayVar(&o.Head, "head", nil, "the version after, given like --base, e.g. --head deploy")
	f.StringVar(&o.Cluster, "cluster", "default", "cluster name for sources that name none, e.g. prod")
	f.StringVarP(&o.Namespace, "namespace", "n", "default", "namespace for objects that name none")
	f.StringArrayVar(&o.Targets, "target", nil, "also treat this vertex as a crown jewel on both sides (repeatable), e.g. secret/shop/db")
	f.StringVar(&o.FailOn, "fail-on", "", "exit 1 when the head has a new finding at least this severe: low, medium, high, critical")
	o.output.addFlags(f, diffFormats)
	return cmd
}

func (o *diffOptions) validate() error {
	if len(o.Base) == 0 || len(o.Head) == 0 {
		return withHint(errors.New("--base and --head are both required"),
			"e.g. trustpath diff --base testdata/diff/base --head testdata/diff/head")
	}
	if o.FailOn != "" {
		s, ok := analysis.ParseSeverity(o.FailOn)
		if !ok {
			return withHint(fmt.Errorf("unknown severity %q", o.FailOn), "use low, medium, high or critical")
		}
		o.failOn = s
	}
	var err error
	o.format, o.file, err = o.output.resolve(diffFormats)
	return err
}

func (o *diffOptions) run(ctx context.Context, s IOStreams, log logger, disp display) error {
	base, err := o.side(ctx, s, log, "base", o.Base)
	if err != nil {
		return err
	}
	head, err := o.side(ctx, s, log, "head", o.Head)
	if err != nil {
		return err
	}
	d := tpreport.Compare(base, head)
	if err := renderTo(ctx, s, o.file, func(w io.Writer) error {
		switch o.format {
		case "json":
			return d.WriteJSON(w)
		case "md":
			return d.WriteMarkdown(w)
		}
		return d.WriteText(w, disp.width)
	}); err != nil {
		return err
	}
	if o.failOn != 0 && slices.ContainsFunc(d.NewFindings(), func(f *analysis.Finding) bool { return f.Severity >= o.failOn }) {
		log.Printf(0, "new findings at or above %s (--fail-on)", o.failOn)
		return errNo
	}
	return nil
}

// side loads and analyses one version.
func (o *diffOptions) side(ctx context.Context, s IOStreams, log logger, name string, files []string) (tpreport.Side, error) {
	in := inputOptions{Files: files, Cluster: o.Cluster, Namespace: o.Namespace}
	res, err := in.load(ctx, s, log, nil)
	if err != nil {
		return tpreport.Side{}, fmt.Errorf("loading --%s: %w", name, err)
	}
	var opts analysis.Options
	if opts.Targets, err = resolveAll(res.Graph, o.Targets); err != nil {
		return tpreport.Side{}, fmt.Errorf("--%s: %w", name, err)
	}
	return tpreport.Side{Graph: res.Graph, Result: analysis.Analyze(res.Graph, opts)}, nil
}
