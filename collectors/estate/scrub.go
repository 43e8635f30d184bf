package estate

import (
	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

// LastApplied is written by kubectl apply and repeats the whole object, a
// Secret's data included, so it is dropped from every object.
const LastApplied = "kubectl.kubernetes.io/last-applied-configuration"

// Scrub drops what trustpath must never carry: Secret and ConfigMap values
// (their key names stay, since pods reference keys), kubectl's copy of the
// last applied object, and managed fields; and what it never reads but
// would carry by the megabyte, the status of Pods, and of the ReplicaSets
// and Jobs that, like pods, a controller creates by the thousand (and
// that the manifest reader reads in part, status unread). Snapshot.Add
// scrubs every object it stores, so no source can forget to.
func Scrub(obj runtime.Object) {
	if m, ok := obj.(metav1.Object); ok {
		if a := m.GetAnnotations(); a != nil {
			delete(a, LastApplied)
		}
		m.SetManagedFields(nil)
	}
	switch o := obj.(type) {
	case *corev1.Pod:
		// Nothing reads a pod's status, and in a cluster dump it is a
		// quarter of every pod: tens of thousands of conditions and
		// container statuses held for nothing.
		o.Status = corev1.PodStatus{}
	case *appsv1.ReplicaSet:
		o.Status = appsv1.ReplicaSetStatus{}
	case *batchv1.Job:
		o.Status = batchv1.JobStatus{}
	case *corev1.Secret:
		keys := make(map[string][]byte, len(o.Data)+len(o.StringData))
		for k := range o.Data {
			keys[k] = nil
		}
		for k := range o.StringData {
			keys[k] = nil
		}
		o.Data, o.StringData = keys, nil
	case *corev1.ConfigMap:
		for k := range o.Data {
			o.Data[k] = ""
		}
		for k := range o.BinaryData {
			o.BinaryData[k] = nil
		}
	}
}
