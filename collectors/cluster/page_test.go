package cluster

import (
	"context"
	"fmt"
	"strconv"
	"testing"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// pagedPods serves n pods as the API server pages them: at most
// opts.Limit per call and a continue token while more remain. With
// expireAt > 0, the token of that page has expired.
type pagedPods struct {
	n, expireAt int
	calls       []metav1.ListOptions
}

func (p *pagedPods) list(_ context.Context, opts metav1.ListOptions) (runtime.Object, error) {
	p.calls = append(p.calls, opts)
	start := 0
	if opts.Continue != "" {
		var err error
		if start, err = strconv.Atoi(opts.Continue); err != nil {
			return nil, err
		}
		if start == p.expireAt {
			return nil, apierrors.NewResourceExpired("continue token expired")
		}
	}
	end := p.n
	if opts.Limit > 0 {
		end = min(start+int(opts.Limit), p.n)
	}
	list := &corev1.PodList{}
	for i := start; i < end; i++ {
		list.Items = append(list.Items, corev1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: fmt.Sprintf("p%03d", i)}})
	}
	if end < p.n {
		list.Continue = strconv.Itoa(end)
	}
	return list, nil
}

func TestListAllPages(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name                 string
		n, pageSize, expire  int
		wantCalls, wantLimit int
	}{
		{"one page", 3, 10, 0, 1, 10},
		{"exact pages", 6, 2, 0, 3, 2},
		{"last page short", 7, 3, 0, 3, 3},
		{"empty", 0, 5, 0, 1, 5},
		{"expired token falls back to one full list", 7, 3, 6, 4, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := &pagedPods{n: tt.n, expireAt: tt.expire}
			objs, err := listAll(t.Context(), p.list, int64(tt.pageSize))
			if err != nil {
				t.Fatal(err)
			}
			if len(objs) != tt.n {
				t.Fatalf("got %d objects, want %d", len(objs), tt.n)
			}
			for i, o := range objs {
				if name := o.(*corev1.Pod).Name; name != fmt.Sprintf("p%03d", i) {
					t.Errorf("object %d is %s: pages out of order or repeated", i, name)
				}
			}
			if len(p.calls) != tt.wantCalls {
				t.Errorf("got %d list calls, want %d", len(p.calls), tt.wantCalls)
			}
			if got := p.calls[0].Limit; got != int64(tt.wantLimit) {
				t.Errorf("first call's limit %d, want %d", got, tt.wantLimit)
			}
			for i, c := range p.calls[1:] {
				if c.Continue == "" && c.Limit != 0 {
					t.Errorf("call %d neither continues nor is the full-list fallback: %+v", i+2, c)
				}
			}
		})
	}
}

func TestListAllForbidden(t *testing.T) {
	t.Parallel()
	_, err := listAll(t.Context(), func(context.Context, metav1.ListOptions) (runtime.Object, error) {
		return nil, apierrors.NewForbidden(schema.GroupResource{Resource: "pods"}, "", fmt.Errorf("no"))
	}, 10)
	if !apierrors.IsForbidden(err) {
		t.Errorf("got %v, want the 403 itself", err)
	}
}

// TestClusterName keeps snapshot names valid graph key prefixes.
func TestClusterName(t *testing.T) {
	t.Parallel()
	tests := []struct{ arg, cluster, context string }{
		{"kind-prod", "kind-prod", "kind-prod"},
		{"prod=arn:aws:eks:eu-west-1:1234:cluster/prod", "prod", "arn:aws:eks:eu-west-1:1234:cluster/prod"},
		{"arn:aws:eks:eu-west-1:1234:cluster/prod", "arn-aws-eks-eu-west-1-1234-cluster-prod", "arn:aws:eks:eu-west-1:1234:cluster/prod"},
		{"gke_my-project_europe-west1_Prod", "gke_my-project_europe-west1_prod", "gke_my-project_europe-west1_Prod"},
		{"Bad Name=ctx", "bad-name-ctx", "Bad Name=ctx"},
		{"::", "cluster", "::"},
	}
	for _, tt := range tests {
		cluster, context := splitContext(tt.arg)
		if cluster != tt.cluster || context != tt.context {
			t.Errorf("splitContext(%q) = %q, %q; want %q, %q", tt.arg, cluster, context, tt.cluster, tt.context)
		}
		if !clusterName.MatchString(cluster) {
			t.Errorf("%q is not a valid cluster name", cluster)
		}
	}
}
