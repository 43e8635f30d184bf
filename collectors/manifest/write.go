package manifest

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"slices"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/scheme"

	"github.com/trustpath/trustpath/collectors/estate"
)

// GapsField is the top-level field of a List written by WriteList that
// carries the snapshot's coverage gaps. kubectl and the API ignore it;
// Read restores the gaps from it, so a snapshot read back still says what
// it lacks.
const GapsField = "trustpathGaps"

// list is a kubectl-style v1 List, with the snapshot's gaps beside it.
type list struct {
	APIVersion string           `json:"apiVersion"`
	Kind       string           `json:"kind"`
	Metadata   metav1.ListMeta  `json:"metadata"`
	Gaps       []estate.Gap     `json:"trustpathGaps,omitempty"`
	Items      []runtime.Object `json:"items"`
}

// WriteList writes the snapshot as one indented JSON List, the shape
// kubectl get -o json writes, which Read reads back as the same snapshot.
// Objects come kind by kind in the snapshot's order, each kind sorted by
// namespace and name; resourceVersion, which every write would change, is
// left out. Secrets and ConfigMaps carry what the snapshot holds: key names
// at most, never values.
func WriteList(w io.Writer, s *estate.Snapshot) error {
	out := list{APIVersion: "v1", Kind: "List", Gaps: s.Gaps, Items: []runtime.Object{}}
	add := func(objs []runtime.Object) error {
		slices.SortFunc(objs, func(a, b runtime.Object) int {
			ma, mb := a.(metav1.Object), b.(metav1.Object)
			return cmp.Or(cmp.Compare(ma.GetNamespace(), mb.GetNamespace()), cmp.Compare(ma.GetName(), mb.GetName()))
		})
		for _, obj := range objs {
			obj = obj.DeepCopyObject()
			gvks, _, err := scheme.Scheme.ObjectKinds(obj)
			if err != nil {
				return fmt.Errorf("writing %T: %w", obj, err)
			}
			obj.GetObjectKind().SetGroupVersionKind(gvks[0])
			m := obj.(metav1.Object)
			m.SetResourceVersion("")
			estate.Scrub(obj) // already scrubbed by Add; a writer must not trust that
			out.Items = append(out.Items, obj)
		}
		return nil
	}
	for _, objs := range [][]runtime.Object{
		objects(s.Namespaces), objects(s.Nodes), objects(s.Deployments), objects(s.StatefulSets),
		objects(s.DaemonSets), objects(s.ReplicaSets), objects(s.ReplicationControllers),
		objects(s.CronJobs), objects(s.Jobs), objects(s.Pods), objects(s.ServiceAccounts),
		objects(s.Secrets), objects(s.ConfigMaps), objects(s.Services), objects(s.Ingresses),
		objects(s.NetworkPolicies), objects(s.ClusterRoles), objects(s.ClusterRoleBindings),
		objects(s.Roles), objects(s.RoleBindings),
	} {
		if err := add(objs); err != nil {
			return err
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func objects[T runtime.Object](in []T) []runtime.Object {
	out := make([]runtime.Object, len(in))
	for i, o := range in {
		out[i] = o
	}
	return out
}
