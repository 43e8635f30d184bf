package collectors

import (
	"context"
	"errors"
	"fmt"

	"github.com/trustpath/trustpath/collectors/cluster"
	"github.com/trustpath/trustpath/collectors/estate"
	"github.com/trustpath/trustpath/collectors/manifest"
)

// Live is one cluster to read through its API server.
type Live struct {
	Cluster string // the snapshot's name: the kubeconfig context's, by default
	Clients cluster.Clients
}

// LoadLive reads the manifest sources of o and the live clusters, one
// snapshot each, and builds one graph, as Load does for files alone. A
// cluster cannot come from files and a live read at once: its name would
// mean two estates. A resource a cluster refuses to list is a gap of its
// snapshot, not an error.
func LoadLive(ctx context.Context, o Options, live []Live, lo cluster.Options) (*Result, error) {
	if len(o.Sources) == 0 && len(live) == 0 {
		return nil, errors.New("no input sources")
	}
	snaps := map[string]*estate.Snapshot{}
	deferred := map[string]*manifest.Deferred{}
	if err := o.readSources(ctx, snaps, deferred); err != nil {
		return nil, err
	}
	for _, l := range live {
		if _, dup := snaps[l.Cluster]; dup {
			return nil, fmt.Errorf("cluster %q is named by both -f and a live context; name the files' cluster with -f NAME=PATH", l.Cluster)
		}
		s := estate.New(l.Cluster)
		snaps[l.Cluster] = s
		if err := cluster.Read(ctx, l.Clients, s, lo); err != nil {
			return nil, fmt.Errorf("reading cluster %s: %w", l.Cluster, err)
		}
	}
	// A proposed fix applies to a live cluster as to files.
	if err := o.readOverrides(ctx, snaps, deferred); err != nil {
		return nil, err
	}
	res := &Result{}
	for _, name := range sortedNames(snaps) {
		res.Snapshots = append(res.Snapshots, snaps[name])
	}
	// A live cluster always holds its namespaces, so an empty result means
	// files without objects, or an identity that may read nothing.
	total := 0
	for _, s := range res.Snapshots {
		total += s.Objects()
	}
	if total == 0 {
		return res, fmt.Errorf("%w (%s)", ErrEmptyInput, describeLive(o.Sources, live))
	}
	o.build(res)
	return res, nil
}

func describeLive(sources []Source, live []Live) string {
	d := describe(sources)
	for _, l := range live {
		if d != "" {
			d += ", "
		}
		d += "cluster " + l.Cluster
	}
	return d
}
