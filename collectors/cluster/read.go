package cluster

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/metadata"
	"k8s.io/client-go/tools/pager"

	"github.com/trustpath/trustpath/collectors/estate"
)

// Defaults for Options, sized for a large cluster's API server: pages of
// 500 as kubectl's --chunk-size, and a few lists at once.
const (
	DefaultPageSize    = 500
	DefaultConcurrency = 4
)

// Clients are the API clients a read uses: typed for everything but
// Secrets and ConfigMaps, metadata for those.
type Clients struct {
	Kube     kubernetes.Interface
	Metadata metadata.Interface
}

// Options tune a read.
type Options struct {
	// PageSize is the limit of each list request; 0 means DefaultPageSize.
	PageSize int64
	// Concurrency is how many resources are listed at once; 0 means
	// DefaultConcurrency. The clients' QPS and burst bound the requests.
	Concurrency int
	// Progress, when set, is called after each resource is read, never
	// concurrently.
	Progress func(Progress)
}

// Progress is how far a read has got.
type Progress struct {
	Cluster     string
	Done, Total int // resources
	Objects     int // objects read so far
}

// Source is where every object of a live read comes from, for messages:
// the snapshot's cluster (its kubeconfig context) and the resource.
func Source(cluster, resource string) estate.Source {
	return estate.Source{File: "cluster " + cluster + " (" + resource + ")"}
}

// result is what listing one resource gave.
type result struct {
	objs []runtime.Object
	gaps []estate.Gap
	err  error // forbidden (a gap) or fatal
}

// Read lists every resource of the cluster behind c into snap. A resource
// the identity may not list becomes a gap in snap, not an error; the error
// is for the cluster as a whole (unreachable, unauthenticated) or ctx.
func Read(ctx context.Context, c Clients, snap *estate.Snapshot, o Options) error {
	o.PageSize = cmp.Or(o.PageSize, DefaultPageSize)
	o.Concurrency = cmp.Or(o.Concurrency, DefaultConcurrency)
	r := &reader{c: c, o: o, cluster: snap.Cluster}
	results := make([]result, len(resources))
	// The first failure that is not a gap ends the read: the lists still
	// queued would fail the same way, one timeout each.
	lctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	r.each(len(resources), func(i int) {
		results[i] = r.list(lctx, resources[i], "")
		if err := results[i].err; err != nil && !apierrors.IsForbidden(err) {
			cancel(err)
		}
		r.progress(len(results[i].objs))
	})
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := context.Cause(lctx); err != nil {
		return err
	}
	if err := r.retryByNamespace(ctx, results); err != nil {
		return err
	}
	for i, res := range results {
		rs := resources[i]
		for _, obj := range res.objs {
			snap.Add(obj, Source(snap.Cluster, rs.name()), "")
		}
		snap.Gaps = append(snap.Gaps, res.gaps...)
		if len(res.gaps) > 0 {
			// One warning per resource, however many namespaces refuse it.
			err := fmt.Errorf("no permission to %s cluster-wide: %s objects are missing from the analysis", res.gaps[0].Permission(), rs.kind)
			if res.gaps[0].Namespace != "" {
				err = fmt.Errorf("no permission to %s: their %s objects are missing from the analysis", estate.SummarizeGaps(res.gaps)[0], rs.kind)
			}
			snap.Report(&estate.Diagnostic{Severity: estate.Warning, Source: estate.Source{File: "cluster " + snap.Cluster}, Err: err})
		}
	}
	slices.SortFunc(snap.Gaps, func(a, b estate.Gap) int {
		return cmp.Or(cmp.Compare(a.Resource, b.Resource), cmp.Compare(a.Namespace, b.Namespace))
	})
	return ctx.Err()
}

type reader struct {
	c       Clients
	o       Options
	cluster string

	mu            sync.Mutex // guards the progress counters and calls
	done, objects int
}

// each runs f(0) … f(n-1), at most o.Concurrency at once.
func (r *reader) each(n int, f func(int)) {
	sem := make(chan struct{}, r.o.Concurrency)
	var wg sync.WaitGroup
	for i := range n {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			f(i)
		})
	}
	wg.Wait()
}

func (r *reader) progress(objects int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.done++
	r.objects += objects
	if r.o.Progress != nil {
		r.o.Progress(Progress{Cluster: r.cluster, Done: r.done, Total: len(resources), Objects: r.objects})
	}
}

// list reads one resource in namespace ("" for all). A 403 comes back as
// the result's err with its gap; a resource the server does not serve (404)
// as an empty result.
func (r *reader) list(ctx context.Context, rs resource, namespace string) result {
	var objs []runtime.Object
	var err error
	if rs.typed == nil {
		objs, err = r.metadataObjects(ctx, rs, namespace)
	} else {
		objs, err = listAll(ctx, r.pageFunc(rs.typed(r.c.Kube), namespace), r.o.PageSize)
	}
	switch {
	case err == nil:
		for _, obj := range objs {
			setKind(obj)
		}
		return result{objs: objs}
	case apierrors.IsForbidden(err):
		return result{err: err, gaps: []estate.Gap{{Resource: rs.name(), Verb: "list", Namespace: namespace, Kind: rs.kind}}}
	case apierrors.IsNotFound(err):
		// An older or trimmed API server that does not serve the kind has
		// none of it: nothing is missing.
		return result{}
	}
	return result{err: fmt.Errorf("listing %s: %w", rs.name(), err)}
}

func (r *reader) pageFunc(f listFunc, namespace string) pager.ListPageFunc {
	return func(ctx context.Context, opts metav1.ListOptions) (runtime.Object, error) {
		return f(ctx, namespace, opts)
	}
}

// retryByNamespace lists, namespace by namespace, each namespaced resource
// refused cluster-wide, when the namespaces themselves were read: an
// identity bound by RoleBindings sees those namespaces. Namespaces still
// refused become gaps; refused in all, one cluster-wide gap remains.
func (r *reader) retryByNamespace(ctx context.Context, results []result) error {
	var namespaces []string
	for i, rs := range resources {
		if rs.kind == "Namespace" && results[i].err == nil {
			for _, obj := range results[i].objs {
				namespaces = append(namespaces, obj.(metav1.Object).GetName())
			}
		}
	}
	if len(namespaces) == 0 {
		return nil
	}
	for i, rs := range resources {
		if !rs.namespaced || results[i].err == nil {
			continue
		}
		per := make([]result, len(namespaces))
		r.each(len(namespaces), func(j int) { per[j] = r.list(ctx, rs, namespaces[j]) })
		var merged result
		for _, p := range per {
			if p.err != nil && !apierrors.IsForbidden(p.err) {
				return p.err
			}
			merged.objs = append(merged.objs, p.objs...)
			merged.gaps = append(merged.gaps, p.gaps...)
		}
		if len(merged.gaps) == len(namespaces) {
			continue // refused everywhere: keep the one cluster-wide gap
		}
		results[i] = merged
	}
	return ctx.Err()
}

// listAll reads every page of a list, pageSize objects at a time, and
// returns its items. When a continue token expires mid-way the pager falls
// back to one full list, as kubectl does.
func listAll(ctx context.Context, fn pager.ListPageFunc, pageSize int64) ([]runtime.Object, error) {
	p := pager.New(fn)
	p.PageSize = pageSize
	list, _, err := p.List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, err
	}
	return meta.ExtractList(list)
}

// setKind fills in an item's apiVersion and kind, which the API leaves out
// of list items, so the snapshot's objects read like decoded manifests.
func setKind(obj runtime.Object) {
	if !obj.GetObjectKind().GroupVersionKind().Empty() {
		return
	}
	if gvks, _, err := scheme.Scheme.ObjectKinds(obj); err == nil && len(gvks) > 0 {
		obj.GetObjectKind().SetGroupVersionKind(gvks[0])
	}
}
