package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/spf13/pflag"
	apierrors "k8s.io/apimachinery/pkg/api/errors"

	"github.com/trustpath/trustpath/collectors"
	"github.com/trustpath/trustpath/collectors/cluster"
	"github.com/trustpath/trustpath/collectors/estate"
)

// inputOptions are the flags of every command that loads an estate: files
// with -f, live clusters with the kubeconfig flags, or, with neither, the
// kubeconfig's current context.
type inputOptions struct {
	Files []string
	// overrides are manifests that replace what the sources hold (analyze
	// --assume); no flag sets them directly.
	overrides  []string
	Cluster    string
	Namespace  string
	DefaultPSA string
	Strict     bool
	live       liveOptions
	// keepObjects keeps the objects read whole, for writing them back out
	// (snapshot); graphOnly releases them once the graph is built, for
	// commands that read only the graph and the sources (analyze, report).
	// No flag sets them.
	keepObjects, graphOnly bool
}

func (o *inputOptions) addFlags(f *pflag.FlagSet) {
	f.StringArrayVarP(&o.Files, "filename", "f", nil,
		"manifest file or directory, - for stdin, or CLUSTER=PATH to name its cluster (repeatable), e.g. -f prod=deploy/prod; default: the live cluster")
	f.StringVar(&o.Cluster, "cluster", collectors.DefaultCluster, "cluster name for sources that name none, e.g. prod")
	f.StringVarP(&o.Namespace, "namespace", "n", "default", "namespace for objects that name none")
	f.StringVar(&o.DefaultPSA, "default-psa", "privileged", "Pod Security level of namespaces without an enforce label, as the cluster's admission configuration sets it: privileged, baseline or restricted")
	f.BoolVar(&o.Strict, "strict", false, "fail on any warning in the input (malformed documents, duplicates, dangling references, coverage gaps)")
	o.live.addFlags(f)
}

// liveOptions choose and pace the live clusters read.
type liveOptions struct {
	Kubeconfig  string
	Contexts    []string
	AllContexts bool
	QPS         float32
	Burst       int
	ChunkSize   int64
}

func (o *liveOptions) addFlags(f *pflag.FlagSet) {
	f.StringVar(&o.Kubeconfig, "kubeconfig", "", "kubeconfig file to read clusters from (default: $KUBECONFIG, then ~/.kube/config), e.g. ~/.kube/prod.yaml")
	f.StringArrayVar(&o.Contexts, "context", nil,
		"kubeconfig context to read, or CLUSTER=CONTEXT to name its cluster (repeatable; default: the current context), e.g. --context prod=arn:aws:eks:eu-west-1:1234:cluster/prod")
	f.BoolVar(&o.AllContexts, "all-contexts", false, "read every context of the kubeconfig, each as its own cluster")
	f.Float32Var(&o.QPS, "qps", cluster.DefaultQPS, "most API requests a second per cluster, e.g. 50")
	f.IntVar(&o.Burst, "burst", cluster.DefaultBurst, "most API requests in a burst per cluster, e.g. 100")
	f.Int64Var(&o.ChunkSize, "chunk-size", cluster.DefaultPageSize, "objects per list request (the API's limit), e.g. 200")
}

// asked reports whether a live flag names a cluster.
func (o *liveOptions) asked() bool {
	return o.Kubeconfig != "" || len(o.Contexts) > 0 || o.AllContexts
}

func (o *liveOptions) kubeconfig() cluster.Kubeconfig {
	return cluster.Kubeconfig{Path: o.Kubeconfig, Contexts: o.Contexts, AllContexts: o.AllContexts}
}

func (o *liveOptions) validate() error {
	if o.QPS < 0 || o.Burst < 0 || o.ChunkSize < 0 {
		return fmt.Errorf("--qps, --burst and --chunk-size cannot be negative, got %g, %d and %d", o.QPS, o.Burst, o.ChunkSize)
	}
	if o.AllContexts && len(o.Contexts) > 0 {
		return errors.New("--all-contexts and --context exclude each other")
	}
	return nil
}

// clients resolves the kubeconfig to the clusters to read.
func (o *liveOptions) clients() ([]collectors.Live, error) {
	targets, err := o.kubeconfig().Targets()
	if err != nil {
		switch {
		case errors.Is(err, cluster.ErrNoKubeconfig):
			return nil, withHint(err, noInputHint)
		case errors.Is(err, fs.ErrNotExist):
			return nil, withHint(err, "check the path given with --kubeconfig")
		}
		return nil, withHint(err, "list the contexts with: kubectl config get-contexts")
	}
	var out []collectors.Live
	for _, t := range targets {
		// Zero (options built without flags) means the defaults.
		c, err := cluster.NewClients(t.Config, cmp.Or(o.QPS, cluster.DefaultQPS), cmp.Or(o.Burst, cluster.DefaultBurst))
		if err != nil {
			return nil, fmt.Errorf("cluster %s: %w", t.Cluster, err)
		}
		out = append(out, collectors.Live{Cluster: t.Cluster, Clients: c})
	}
	return out, nil
}

const noInputHint = "give manifests with -f PATH (try: trustpath graph -f testdata/demo/prod, or trustpath demo), " +
	"or a cluster with --kubeconfig PATH and --context NAME"

func (o *inputOptions) validate() error {
	if err := o.live.validate(); err != nil {
		return err
	}
	switch o.DefaultPSA {
	case "", "privileged", "baseline", "restricted":
	default:
		return withHint(fmt.Errorf("unknown --default-psa %q", o.DefaultPSA), "use privileged, baseline or restricted")
	}
	if len(o.Files) == 0 && !o.live.kubeconfig().Available() {
		return withHint(errors.New("no input: no -f given, and no kubeconfig or in-cluster service account to read a live cluster from"),
			noInputHint)
	}
	return nil
}

// isLive reports whether the estate includes live clusters: asked for by
// flag, or the default when no -f is given.
func (o *inputOptions) isLive() bool { return o.live.asked() || len(o.Files) == 0 }

// load reads the estate and reports diagnostics on stderr. fsys, when not
// nil, replaces the OS file system (the embedded demo).
func (o *inputOptions) load(ctx context.Context, s IOStreams, log logger, fsys fs.FS) (*collectors.Result, error) {
	opts := collectors.Options{FS: fsys, Stdin: s.In, DefaultNamespace: o.Namespace, DefaultPSA: o.DefaultPSA, KeepObjects: o.keepObjects,
		GraphOnly: o.graphOnly}
	for _, f := range o.Files {
		opts.Sources = append(opts.Sources, collectors.ParseSource(f, o.Cluster))
	}
	for _, f := range o.overrides {
		opts.Overrides = append(opts.Overrides, collectors.ParseSource(f, o.Cluster))
	}
	var res *collectors.Result
	var err error
	if o.isLive() {
		res, err = o.loadLive(ctx, s, log, opts)
	} else {
		res, err = collectors.Load(ctx, opts)
	}
	var h *hintError
	switch {
	case errors.As(err, &h):
		return nil, err // the hint is already the most precise one
	case errors.Is(err, fs.ErrNotExist):
		return nil, withHint(err, "check the path given with -f")
	case errors.Is(err, collectors.ErrEmptyInput):
		if res != nil && diagnostics(res, log) > 0 {
			// The documents were there but none could be read: what
			// went wrong with each is said above.
			return nil, withHint(err, "fix the documents named above")
		}
		return nil, withHint(err, "give files or directories of Kubernetes YAML or JSON, such as kubectl get -A -o yaml writes")
	case apierrors.IsUnauthorized(err):
		return nil, withHint(err, "the kubeconfig's credentials were refused; check them with: kubectl auth whoami")
	case err != nil:
		if o.isLive() && !errors.Is(err, context.Canceled) {
			return nil, withHint(err, "check that the cluster answers: kubectl cluster-info")
		}
		return nil, err
	}
	problems := report(res, log)
	if o.Strict && problems > 0 {
		return nil, withHint(fmt.Errorf("%d problems in the input (--strict)", problems),
			"fix the documents named above, or drop --strict to load what can be read")
	}
	return res, nil
}

func (o *inputOptions) loadLive(ctx context.Context, s IOStreams, log logger, opts collectors.Options) (*collectors.Result, error) {
	live, err := o.live.clients()
	if err != nil {
		return nil, err
	}
	p := newProgress(s.ErrOut, log)
	defer p.done()
	return collectors.LoadLive(ctx, opts, live, cluster.Options{PageSize: o.live.ChunkSize, Progress: p.update})
}

// diagnostics prints the input's diagnostics on stderr and returns the
// number of warnings and errors.
func diagnostics(res *collectors.Result, log logger) int {
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
	return problems
}

// report prints diagnostics and a summary on stderr and returns the number
// of warnings and errors.
func report(res *collectors.Result, log logger) int {
	problems := diagnostics(res, log)
	objects, skipped := 0, 0
	for _, s := range res.Snapshots {
		objects += s.Objects()
		for _, k := range s.SkippedKinds() {
			skipped += k.Count
			log.Printf(1, "cluster %s: skipped %d %s (not analysed)", s.Cluster, k.Count, k.Kind)
		}
		if len(s.Gaps) > 0 {
			log.Printf(0, "cluster %s: coverage gaps, conclusions may miss what they hide: no permission to %s. "+
				"trustpath access-check prints the missing permissions and a ClusterRole that grants them",
				s.Cluster, strings.Join(estate.SummarizeGaps(s.Gaps), "; "))
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
