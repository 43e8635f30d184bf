package collectors

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/trustpath/trustpath/collectors/crosscluster"
	"github.com/trustpath/trustpath/collectors/escape"
	"github.com/trustpath/trustpath/collectors/estate"
	"github.com/trustpath/trustpath/collectors/manifest"
	"github.com/trustpath/trustpath/collectors/netpol"
	"github.com/trustpath/trustpath/collectors/network"
	"github.com/trustpath/trustpath/collectors/privilege"
	"github.com/trustpath/trustpath/collectors/rbac"
	"github.com/trustpath/trustpath/collectors/topology"
	"github.com/trustpath/trustpath/collectors/workload"
	"github.com/trustpath/trustpath/graph"
)

// DefaultCluster names the cluster of sources that name none.
const DefaultCluster = "default"

// Source is one input: a file, a directory, or "-" for standard input, and
// the cluster it belongs to.
type Source struct {
	Cluster string
	Path    string
}

var clusterName = regexp.MustCompile(`^[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$`)

// ParseSource reads a -f argument: PATH, or CLUSTER=PATH to put the source in
// its own cluster. A prefix that is not a valid cluster name is taken as part
// of the path.
func ParseSource(arg, defaultCluster string) Source {
	if name, path, ok := strings.Cut(arg, "="); ok && path != "" && clusterName.MatchString(name) {
		return Source{Cluster: name, Path: path}
	}
	return Source{Cluster: defaultCluster, Path: arg}
}

// Options say what to load and how.
type Options struct {
	Sources []Source
	// Overrides are read after Sources, and an object they hold replaces
	// the one of the same kind, namespace and name: a proposed fix.
	Overrides []Source
	// FS, when set, is where paths are read instead of the OS file system
	// (the demo embedded in the binary).
	FS               fs.FS
	Stdin            io.Reader
	DefaultNamespace string
	// DefaultPSA is the Pod Security level of namespaces without an enforce
	// label: "privileged" (the Kubernetes default) unless the cluster's
	// admission configuration says otherwise.
	DefaultPSA string
	// KeepObjects keeps every object of the snapshots whole, for writing
	// them out (trustpath snapshot, seeding a test API server). Otherwise
	// the pods, ReplicaSets and Jobs a controller of the input describes
	// are read from files in part (manifest.Options.Deferred), and pods
	// read live are slimmed once the graph is built (workload.SlimPods).
	// Build never does either.
	KeepObjects bool
	// GraphOnly says the caller reads the graph and where objects were
	// read (sources, diagnostics, gaps), not the objects: once the graph
	// is built, Load and LoadLive release the objects, pod groups,
	// NetworkPolicy engines and RBAC indexes, so an analysis of a large
	// estate has their memory.
	GraphOnly bool
}

// ErrEmptyInput is returned when the sources hold no Kubernetes object.
var ErrEmptyInput = errors.New("no Kubernetes objects found in the input")

// Result is a loaded estate: the graph and what each cluster's read saw.
type Result struct {
	Graph     *graph.Graph
	Snapshots []*estate.Snapshot // sorted by cluster name
	Clusters  []*Cluster         // in the same order
}

// Cluster is what the builders derived from one cluster's snapshot, kept for
// questions the graph alone does not answer (why a flow is denied).
type Cluster struct {
	Snapshot *estate.Snapshot
	Prefix   string // of its keys: the cluster name when several are loaded
	Groups   []*workload.Group
	Network  *netpol.Engine
	RBAC     *rbac.Authorizer
}

// Diagnostics returns every cluster's diagnostics, clusters in order.
func (r *Result) Diagnostics() []*estate.Diagnostic {
	var out []*estate.Diagnostic
	for _, s := range r.Snapshots {
		out = append(out, s.Diagnostics...)
	}
	return out
}

// Load reads the sources, one snapshot per cluster, and builds the graph.
// An unreadable source is an error; problems inside a source are
// diagnostics of the result.
func Load(ctx context.Context, o Options) (*Result, error) {
	if len(o.Sources) == 0 {
		return nil, errors.New("no input sources")
	}
	snaps := map[string]*estate.Snapshot{}
	deferred := map[string]*manifest.Deferred{}
	if err := o.readSources(ctx, snaps, deferred); err != nil {
		return nil, err
	}
	if err := o.readOverrides(ctx, snaps, deferred); err != nil {
		return nil, err
	}
	res := &Result{}
	total := 0
	for _, name := range sortedNames(snaps) {
		res.Snapshots = append(res.Snapshots, snaps[name])
		total += snaps[name].Objects()
	}
	if total == 0 {
		return res, fmt.Errorf("%w (%s)", ErrEmptyInput, describe(o.Sources))
	}
	o.build(res)
	return res, nil
}

// BuildOption tunes Build.
type BuildOption func(*buildOptions)

type buildOptions struct {
	defaultPSA string
}

// build builds the graph of res's snapshots, then releases or slims their
// objects as o says: Load and LoadLive made the snapshots, so nothing else
// holds them yet.
func (o *Options) build(res *Result) {
	res.Graph, res.Clusters = Build(res.Snapshots, WithDefaultPSA(o.DefaultPSA))
	for _, c := range res.Clusters {
		switch {
		case o.GraphOnly:
			c.Snapshot.ReleaseObjects()
			c.Groups, c.Network, c.RBAC = nil, nil, nil
		case !o.KeepObjects:
			workload.SlimPods(c.Groups)
		}
	}
}

// WithDefaultPSA sets the Pod Security level of namespaces without an
// enforce label ("" keeps the Kubernetes default, privileged).
func WithDefaultPSA(level string) BuildOption {
	return func(o *buildOptions) { o.defaultPSA = level }
}

// Build makes the graph of snapshots: keys carry cluster prefixes when there
// is more than one. Every builder runs on one shared grouping of pods.
func Build(snaps []*estate.Snapshot, opts ...BuildOption) (*graph.Graph, []*Cluster) {
	var bo buildOptions
	for _, o := range opts {
		o(&bo)
	}
	b := graph.NewBuilder()
	if err := b.AddVertex(&graph.Vertex{Key: graph.Internet, Kind: graph.KindInternet, Name: "internet"}); err != nil {
		panic(err) // the builder is new: it cannot hold the key yet
	}
	var clusters []*Cluster
	for _, s := range snaps {
		c := &Cluster{Snapshot: s}
		if len(snaps) > 1 {
			c.Prefix = s.Cluster
		}
		c.Groups = workload.Groups(s, c.Prefix)
		build(b, c, bo)
		clusters = append(clusters, c)
	}
	var joined []crosscluster.Cluster
	for _, c := range clusters {
		joined = append(joined, crosscluster.Cluster{Snapshot: c.Snapshot, Prefix: c.Prefix})
	}
	crosscluster.Build(b, joined)
	return b.Build(), clusters
}

// build adds one cluster's vertices and edges to b, on both cores. After
// the topology, the network builder needs nothing the escape and privilege
// builders add, nor they anything it adds, so they run at once, each pair
// on a fork of b, joined in the order the builders would run one after
// another; each builder reports to a fork of the snapshot, joined in that
// order too. The graph and the diagnostics are thus the same whatever the
// scheduling. (Escape sets a property on the kubelets' user vertices, which
// topology may have added; network reads no vertex's properties.)
func build(b *graph.Builder, c *Cluster, bo buildOptions) {
	s := c.Snapshot
	sNetpol, sRBAC, sTopology, sNetwork, sEscape, sPrivilege := s.Fork(), s.Fork(), s.Fork(), s.Fork(), s.Fork(), s.Fork()
	net, priv := b.Fork(), b.Fork()
	// The policy and RBAC indexes are built beside the topology, which
	// the rest waits for: the forks see b, which topology fills.
	topologyDone, rbacDone := make(chan struct{}), make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		c.Network = netpol.New(sNetpol, c.Groups)
		c.RBAC = rbac.New(sRBAC)
		close(rbacDone)
		<-topologyDone
		network.Build(net, sNetwork, c.Prefix, c.Groups, c.Network)
	})
	topology.Build(b, sTopology, c.Prefix, c.Groups)
	close(topologyDone)
	nodes := escape.Build(priv, sEscape, c.Prefix, c.Groups, bo.defaultPSA)
	<-rbacDone
	privilege.Build(priv, sPrivilege, c.Prefix, c.Groups, c.RBAC, privilege.Options{Nodes: nodes, DefaultPSA: bo.defaultPSA})
	wg.Wait()
	b.Join(net)
	b.Join(priv)
	s.Join(sNetpol, sRBAC, sTopology, sNetwork, sEscape, sPrivilege)
}

// readSources reads o.Sources into snaps, one snapshot per cluster. Unless
// the objects are kept whole, the pods, ReplicaSets and Jobs a controller
// may describe are read in part, the rest of them deferred (into
// deferred, by cluster) until every input of their cluster is read and it
// is known which need it (see manifest.Options.Deferred).
func (o *Options) readSources(ctx context.Context, snaps map[string]*estate.Snapshot, deferred map[string]*manifest.Deferred) error {
	for _, src := range o.Sources {
		s := snaps[src.Cluster]
		if s == nil {
			s = estate.New(src.Cluster)
			snaps[src.Cluster] = s
			if !o.KeepObjects {
				deferred[src.Cluster] = manifest.NewDeferred()
			}
		}
		if err := o.read(ctx, src, s, deferred[src.Cluster]); err != nil {
			return err
		}
	}
	return nil
}

// readOverrides reads o.Overrides onto the snapshots of their clusters,
// then completes the objects read in part: the last inputs are read.
func (o *Options) readOverrides(ctx context.Context, snaps map[string]*estate.Snapshot, deferred map[string]*manifest.Deferred) error {
	for _, src := range o.Overrides {
		s := snaps[src.Cluster]
		if s == nil {
			return fmt.Errorf("%s: no source of cluster %s to apply it to", src.Path, src.Cluster)
		}
		s.Override = true
		err := o.read(ctx, src, s, deferred[src.Cluster])
		s.Override = false
		if err != nil {
			return err
		}
	}
	for name, d := range deferred {
		d.Complete(snaps[name], workload.Described(snaps[name]))
	}
	return nil
}

func (o *Options) read(ctx context.Context, src Source, s *estate.Snapshot, d *manifest.Deferred) error {
	mo := manifest.Options{DefaultNamespace: o.DefaultNamespace, Deferred: d}
	if src.Path == "-" {
		if o.Stdin == nil {
			return errors.New("reading -: no standard input")
		}
		return manifest.Read(ctx, o.Stdin, "-", s, mo)
	}
	if o.FS != nil {
		return manifest.ReadFS(ctx, o.FS, src.Path, src.Path, s, mo)
	}
	info, err := os.Stat(src.Path)
	if err != nil {
		return fmt.Errorf("reading %s: %w", src.Path, err)
	}
	if info.IsDir() {
		return manifest.ReadFS(ctx, os.DirFS(src.Path), ".", src.Path, s, mo)
	}
	return manifest.ReadFS(ctx, os.DirFS(filepath.Dir(src.Path)), filepath.Base(src.Path), src.Path, s, mo)
}

func sortedNames(m map[string]*estate.Snapshot) []string {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

func describe(sources []Source) string {
	var paths []string
	for _, s := range sources {
		paths = append(paths, s.Path)
	}
	return strings.Join(paths, ", ")
}
