package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/trustpath/trustpath/collectors/manifest"
)

// snapshotOptions is all `trustpath snapshot` needs; flags bind only to its fields.
type snapshotOptions struct {
	input  inputOptions
	Output string
}

func newSnapshotCommand(streams IOStreams, g *globalOptions) *cobra.Command {
	o := &snapshotOptions{}
	cmd := &cobra.Command{
		Use:   "snapshot [--context NAME]... [-o FILE|DIR]",
		Short: "Save what was read from a cluster as a kubectl List, for offline runs later",
		Long: `snapshot reads the estate — by default the live cluster of the kubeconfig's
current context — and writes it as one JSON List, the shape kubectl get -o
json writes, so it can be analysed later with -f, diffed, or handed to a
reviewer without cluster access. Objects are sorted and resourceVersions
left out, so snapshots diff cleanly (status such as node heartbeats still
changes between reads).

Secrets and ConfigMaps hold metadata only: read live, trustpath never asks
the API server for their data. Permissions the read lacked are kept in the
List's trustpathGaps field and reported again when the file is read.

With one cluster, -o names a file (default: stdout). With several, -o names
a directory that receives CLUSTER.json per cluster.`,
		Example: `  trustpath snapshot -o estate.json
  trustpath graph -f prod=estate.json
  trustpath snapshot --context prod=kind-prod --context staging=kind-staging -o snapshots/
  trustpath snapshot -f testdata/demo/prod > prod.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.input.validate(); err != nil {
				return err
			}
			return o.run(cmd.Context(), streams, g.logger(streams))
		},
	}
	f := cmd.Flags()
	o.input.addFlags(f)
	f.StringVarP(&o.Output, "output", "o", "", "file to write, e.g. estate.json; with several clusters, a directory (default: stdout)")
	return cmd
}

func (o *snapshotOptions) run(ctx context.Context, s IOStreams, log logger) error {
	o.input.keepObjects = true // what was read is written back out
	res, err := o.input.load(ctx, s, log, nil)
	if err != nil {
		return err
	}
	if len(res.Snapshots) == 1 {
		var buf bytes.Buffer
		if err := manifest.WriteList(&buf, res.Snapshots[0]); err != nil {
			return err
		}
		return writeOutput(s.Out, o.Output, buf.Bytes())
	}
	if o.Output == "" || o.Output == "-" {
		return withHint(errors.New("several clusters need a directory to write into"),
			"name one with -o DIR; each cluster is written to DIR/CLUSTER.json")
	}
	if err := os.MkdirAll(o.Output, 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", o.Output, err)
	}
	for _, snap := range res.Snapshots {
		var buf bytes.Buffer
		if err := manifest.WriteList(&buf, snap); err != nil {
			return err
		}
		p := filepath.Join(o.Output, snap.Cluster+".json")
		if err := writeOutput(s.Out, p, buf.Bytes()); err != nil {
			return err
		}
		log.Printf(0, "wrote %s", p)
	}
	return nil
}
