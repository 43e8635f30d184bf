// Package estate holds what a collector read from one cluster: typed
// Kubernetes objects, where each came from, and the problems met reading them.
package estate

import (
	"cmp"
	"fmt"
	"slices"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

// Ref names an object: its kind as the API spells it, namespace and name.
type Ref struct {
	Kind      string
	Namespace string // empty for cluster-scoped objects
	Name      string
}

func (r Ref) String() string {
	if r.Namespace == "" {
		return r.Kind + "/" + r.Name
	}
	return r.Kind + "/" + r.Namespace + "/" + r.Name
}

// Snapshot is one cluster's objects. Secrets and ConfigMaps hold key names
// only: their values are dropped when they are decoded.
type Snapshot struct {
	Cluster string

	Namespaces             []*corev1.Namespace
	Nodes                  []*corev1.Node
	Pods                   []*corev1.Pod
	Deployments            []*appsv1.Deployment
	StatefulSets           []*appsv1.StatefulSet
	DaemonSets             []*appsv1.DaemonSet
	ReplicaSets            []*appsv1.ReplicaSet
	ReplicationControllers []*corev1.ReplicationController
	Jobs                   []*batchv1.Job
	CronJobs               []*batchv1.CronJob
	ServiceAccounts        []*corev1.ServiceAccount
	Secrets                []*corev1.Secret
	ConfigMaps             []*corev1.ConfigMap
	Services               []*corev1.Service
	Ingresses              []*networkingv1.Ingress
	NetworkPolicies        []*networkingv1.NetworkPolicy
	Roles                  []*rbacv1.Role
	ClusterRoles           []*rbacv1.ClusterRole
	RoleBindings           []*rbacv1.RoleBinding
	ClusterRoleBindings    []*rbacv1.ClusterRoleBinding

	// Sources says where each object was read, for messages and SARIF.
	Sources map[Ref]Source
	// Skipped counts documents of kinds trustpath does not analyse, by
	// "apiVersion/kind" (CRDs, PodDisruptionBudgets, …).
	Skipped map[string]int
	// Override, while set, makes an object that is already held replace
	// the one read before instead of being reported as a duplicate: how a
	// proposed fix (--assume) takes the place of what it fixes.
	Override bool
	// Diagnostics are the problems met while reading, in the order met.
	Diagnostics []*Diagnostic
	// Gaps are the resources a live read was not allowed to list: what the
	// snapshot lacks, sorted by resource. Conclusions that need those
	// objects are incomplete. Manifests have none, but a snapshot written
	// by a live read keeps its gaps.
	Gaps []Gap
}

// Remove drops the object ref names: so an override can take its place,
// or when what was read of it in part proves broken.
func (s *Snapshot) Remove(ref Ref) {
	switch ref.Kind {
	case "Namespace":
		s.Namespaces = without(s.Namespaces, ref)
	case "Node":
		s.Nodes = without(s.Nodes, ref)
	case "Pod":
		s.Pods = without(s.Pods, ref)
	case "Deployment":
		s.Deployments = without(s.Deployments, ref)
	case "StatefulSet":
		s.StatefulSets = without(s.StatefulSets, ref)
	case "DaemonSet":
		s.DaemonSets = without(s.DaemonSets, ref)
	case "ReplicaSet":
		s.ReplicaSets = without(s.ReplicaSets, ref)
	case "ReplicationController":
		s.ReplicationControllers = without(s.ReplicationControllers, ref)
	case "Job":
		s.Jobs = without(s.Jobs, ref)
	case "CronJob":
		s.CronJobs = without(s.CronJobs, ref)
	case "ServiceAccount":
		s.ServiceAccounts = without(s.ServiceAccounts, ref)
	case "Secret":
		s.Secrets = without(s.Secrets, ref)
	case "ConfigMap":
		s.ConfigMaps = without(s.ConfigMaps, ref)
	case "Service":
		s.Services = without(s.Services, ref)
	case "Ingress":
		s.Ingresses = without(s.Ingresses, ref)
	case "NetworkPolicy":
		s.NetworkPolicies = without(s.NetworkPolicies, ref)
	case "Role":
		s.Roles = without(s.Roles, ref)
	case "ClusterRole":
		s.ClusterRoles = without(s.ClusterRoles, ref)
	case "RoleBinding":
		s.RoleBindings = without(s.RoleBindings, ref)
	case "ClusterRoleBinding":
		s.ClusterRoleBindings = without(s.ClusterRoleBindings, ref)
	}
	delete(s.Sources, ref)
}

func without[T metav1.Object](xs []T, ref Ref) []T {
	return slices.DeleteFunc(xs, func(x T) bool { return x.GetNamespace() == ref.Namespace && x.GetName() == ref.Name })
}

// New returns an empty snapshot of the named cluster.
func New(cluster string) *Snapshot {
	return &Snapshot{Cluster: cluster, Sources: map[Ref]Source{}, Skipped: map[string]int{}}
}

// Report records a diagnostic.
func (s *Snapshot) Report(d *Diagnostic) { s.Diagnostics = append(s.Diagnostics, d) }

// Fork returns a snapshot that shares s's objects and records diagnostics
// of its own, so that builders which only read objects can run at once,
// each on a fork. Joining the forks in a fixed order keeps the
// diagnostics in the order running the builders one after another gives.
// Nothing may change s's objects while forks are in use.
func (s *Snapshot) Fork() *Snapshot {
	f := *s
	f.Diagnostics = nil
	return &f
}

// Join appends the diagnostics of forks of s, in the order given.
func (s *Snapshot) Join(forks ...*Snapshot) {
	for _, f := range forks {
		s.Diagnostics = append(s.Diagnostics, f.Diagnostics...)
		f.Diagnostics = nil
	}
}

// ReleaseObjects drops the objects read and keeps what describes the read:
// where each object was (Sources, so Objects still counts them), what was
// skipped, the diagnostics and the gaps. For a caller that needs only the
// graph built from them, the objects of a cluster dump are a third of the
// memory an analysis runs in.
func (s *Snapshot) ReleaseObjects() {
	*s = Snapshot{Cluster: s.Cluster, Sources: s.Sources, Skipped: s.Skipped, Diagnostics: s.Diagnostics, Gaps: s.Gaps}
}

// Objects returns the number of objects held.
func (s *Snapshot) Objects() int { return len(s.Sources) }

// Add stores a decoded object, scrubbed of Secret and ConfigMap values
// (see Scrub). Namespaced objects without a namespace get
// defaultNamespace, as kubectl apply would place them. It returns false when
// the kind is not one trustpath analyses, so the caller can count it. A
// second object with the same kind, namespace and name is reported as a
// duplicate and dropped; the first one read wins.
func (s *Snapshot) Add(obj runtime.Object, src Source, defaultNamespace string) bool {
	meta, ok := obj.(metav1.Object)
	if !ok {
		return false
	}
	Scrub(obj)
	kind, namespaced := kindOf(obj)
	if kind == "" {
		return false
	}
	if namespaced && meta.GetNamespace() == "" {
		meta.SetNamespace(defaultNamespace)
	}
	if !namespaced {
		meta.SetNamespace("")
	}
	ref := Ref{kind, meta.GetNamespace(), meta.GetName()}
	if first, dup := s.Sources[ref]; dup {
		if !s.Override {
			s.Report(&Diagnostic{Severity: Warning, Source: src, Object: ref.String(),
				Err: fmt.Errorf("duplicate %s (first defined at %s); keeping the first", ref, first)})
			return true
		}
		s.Remove(ref)
	}
	s.Sources[ref] = src
	switch o := obj.(type) {
	case *corev1.Namespace:
		// The API server labels every namespace with its name (immutable
		// since Kubernetes 1.22), and NetworkPolicies select namespaces by
		// it; manifests written by hand rarely carry it.
		if o.Labels == nil {
			o.Labels = map[string]string{}
		}
		o.Labels[corev1.LabelMetadataName] = o.Name
		s.Namespaces = append(s.Namespaces, o)
	case *corev1.Node:
		s.Nodes = append(s.Nodes, o)
	case *corev1.Pod:
		s.Pods = append(s.Pods, o)
	case *appsv1.Deployment:
		s.Deployments = append(s.Deployments, o)
	case *appsv1.StatefulSet:
		s.StatefulSets = append(s.StatefulSets, o)
	case *appsv1.DaemonSet:
		s.DaemonSets = append(s.DaemonSets, o)
	case *appsv1.ReplicaSet:
		s.ReplicaSets = append(s.ReplicaSets, o)
	case *corev1.ReplicationController:
		s.ReplicationControllers = append(s.ReplicationControllers, o)
	case *batchv1.Job:
		s.Jobs = append(s.Jobs, o)
	case *batchv1.CronJob:
		s.CronJobs = append(s.CronJobs, o)
	case *corev1.ServiceAccount:
		s.ServiceAccounts = append(s.ServiceAccounts, o)
	case *corev1.Secret:
		s.Secrets = append(s.Secrets, o)
	case *corev1.ConfigMap:
		s.ConfigMaps = append(s.ConfigMaps, o)
	case *corev1.Service:
		s.Services = append(s.Services, o)
	case *networkingv1.Ingress:
		s.Ingresses = append(s.Ingresses, o)
	case *networkingv1.NetworkPolicy:
		s.NetworkPolicies = append(s.NetworkPolicies, o)
	case *rbacv1.Role:
		s.Roles = append(s.Roles, o)
	case *rbacv1.ClusterRole:
		s.ClusterRoles = append(s.ClusterRoles, o)
	case *rbacv1.RoleBinding:
		s.RoleBindings = append(s.RoleBindings, o)
	case *rbacv1.ClusterRoleBinding:
		s.ClusterRoleBindings = append(s.ClusterRoleBindings, o)
	}
	return true
}

// analysed are the kinds a Snapshot holds, as the API spells them.
var analysed = map[string]bool{"Namespace": true, "Node": true, "Pod": true, "Deployment": true,
	"StatefulSet": true, "DaemonSet": true, "ReplicaSet": true, "ReplicationController": true, "Job": true,
	"CronJob": true, "ServiceAccount": true, "Secret": true, "ConfigMap": true, "Service": true, "Ingress": true,
	"NetworkPolicy": true, "Role": true, "ClusterRole": true, "RoleBinding": true, "ClusterRoleBinding": true}

// Analysed reports whether trustpath reads objects of kind.
func Analysed(kind string) bool { return analysed[kind] }

// kindOf returns the API kind of the objects Snapshot holds and whether the
// kind is namespaced; "" for any other type.
func kindOf(obj runtime.Object) (kind string, namespaced bool) {
	switch obj.(type) {
	case *corev1.Namespace:
		return "Namespace", false
	case *corev1.Node:
		return "Node", false
	case *rbacv1.ClusterRole:
		return "ClusterRole", false
	case *rbacv1.ClusterRoleBinding:
		return "ClusterRoleBinding", false
	case *corev1.Pod:
		return "Pod", true
	case *appsv1.Deployment:
		return "Deployment", true
	case *appsv1.StatefulSet:
		return "StatefulSet", true
	case *appsv1.DaemonSet:
		return "DaemonSet", true
	case *appsv1.ReplicaSet:
		return "ReplicaSet", true
	case *corev1.ReplicationController:
		return "ReplicationController", true
	case *batchv1.Job:
		return "Job", true
	case *batchv1.CronJob:
		return "CronJob", true
	case *corev1.ServiceAccount:
		return "ServiceAccount", true
	case *corev1.Secret:
		return "Secret", true
	case *corev1.ConfigMap:
		return "ConfigMap", true
	case *corev1.Service:
		return "Service", true
	case *networkingv1.Ingress:
		return "Ingress", true
	case *networkingv1.NetworkPolicy:
		return "NetworkPolicy", true
	case *rbacv1.Role:
		return "Role", true
	case *rbacv1.RoleBinding:
		return "RoleBinding", true
	}
	return "", false
}

// SkippedKinds returns the skipped kinds sorted by name, with their counts.
func (s *Snapshot) SkippedKinds() []KindCount {
	out := make([]KindCount, 0, len(s.Skipped))
	for k, n := range s.Skipped {
		out = append(out, KindCount{k, n})
	}
	slices.SortFunc(out, func(a, b KindCount) int { return cmp.Compare(a.Kind, b.Kind) })
	return out
}

// KindCount is a kind and how many objects of it were seen.
type KindCount struct {
	Kind  string
	Count int
}
