package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"

	"github.com/spf13/pflag"

	"github.com/trustpath/trustpath/collectors"
	"github.com/trustpath/trustpath/collectors/estate"
)

// inputOptions are the flags of every command that loads an estate.
type inputOptions struct {
	Files     []string
	Cluster   string
	Namespace string
	Strict    bool
}

func (o *inputOptions) addFlags(f *pflag.FlagSet) {
	f.StringArrayVarP(&o.Files, "filename", "f", nil,
		"manifest file or directory, - for stdin, or CLUSTER=PATH to name its cluster (repeatable), e.g. -f prod=deploy/prod")
	f.StringVar(&o.Cluster, "cluster", collectors.DefaultCluster, "cluster name for sources that name none, e.g. prod")
	f.StringVarP(&o.Namespace, "namespace", "n", "default", "namespace for objects that name none")
	f.BoolVar(&o.Strict, "strict", false, "fail on any warning in the input (malformed documents, duplicates, dangling references)")
}

func (o *inputOptions) validate() error {
	if len(o.Files) == 0 {
		return withHint(errors.New("no input: give manifests with -f"),
			"try: trustpath graph -f testdata/demo/prod, or trustpath demo")
	}
	return nil
}

// load reads the estate and reports diagnostics on stderr. fsys, when not
// nil, replaces the OS file system (the embedded demo).
func (o *inputOptions) load(ctx context.Context, s IOStreams, log logger, fsys fs.FS) (*collectors.Result, error) {
	opts := collectors.Options{FS: fsys, Stdin: s.In, DefaultNamespace: o.Namespace}
	for _, f := range o.Files {
		opts.Sources = append(opts.Sources, collectors.ParseSource(f, o.Cluster))
	}
	res, err := collectors.Load(ctx, opts)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, withHint(err, "check the path given with -f")
	case errors.Is(err, collectors.ErrEmptyInput):
		return nil, withHint(err, "give files or directories of Kubernetes YAML or JSON, such as kubectl get -A -o yaml writes")
	case err != nil:
		return nil, err
	}
	problems := report(res, log)
	if o.Strict && problems > 0 {
		return nil, withHint(fmt.Errorf("%d problems in the input (--strict)", problems),
			"fix the documents named above, or drop --strict to load what can be read")
	}
	return res, nil
}

// report prints diagnostics and a summary on stderr and returns the number
// of warnings and errors.
func report(res *collectors.Result, log logger) int {
	problems := 0
	for _, d := range res.Diagnostics() {
		switch d.Severity {
		case estate.Info:
			log.Printf(2, "info: %v", d)
		default:
			problems++
			log.Printf(0, "%s: %v", d.Severity, d)
		}
	}
	objects, skipped := 0, 0
	for _, s := range res.Snapshots {
		objects += s.Objects()
		for _, k := range s.SkippedKinds() {
			skipped += k.Count
			log.Printf(1, "cluster %s: skipped %d %s (not analysed)", s.Cluster, k.Count, k.Kind)
		}
	}
	msg := fmt.Sprintf("loaded %d objects in %d cluster(s): %d vertices, %d edges",
		objects, len(res.Snapshots), len(res.Graph.Vertices()), len(res.Graph.Edges()))
	if skipped > 0 {
		msg += fmt.Sprintf("; skipped %d objects of kinds not analysed (-v lists them)", skipped)
	}
	if problems > 0 {
		msg += fmt.Sprintf("; %d problems", problems)
	}
	log.Printf(0, "%s", msg)
	return problems
}
