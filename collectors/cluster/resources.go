package cluster

import (
	"context"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/kubernetes"
)

// listFunc lists one page of a resource in a namespace ("" for all).
type listFunc func(ctx context.Context, namespace string, opts metav1.ListOptions) (runtime.Object, error)

// resource is one kind the reader lists.
type resource struct {
	gvr        schema.GroupVersionResource
	kind       string
	namespaced bool
	// typed lists full objects; nil means the kind is read through the
	// metadata API only (Secrets, ConfigMaps).
	typed func(kubernetes.Interface) listFunc
}

// name is the resource as RBAC and kubectl name it: "pods",
// "deployments.apps".
func (r resource) name() string {
	if r.gvr.Group == "" {
		return r.gvr.Resource
	}
	return r.gvr.Resource + "." + r.gvr.Group
}

// resources are the kinds estate.Snapshot holds, in the order the snapshot
// receives them: namespaces and nodes first, controllers before the pods
// they own, as a kubectl dump lists them.
var resources = []resource{
	{gvr("", "v1", "namespaces"), "Namespace", false, func(c kubernetes.Interface) listFunc {
		return func(ctx context.Context, _ string, o metav1.ListOptions) (runtime.Object, error) {
			return c.CoreV1().Namespaces().List(ctx, o)
		}
	}},
	{gvr("", "v1", "nodes"), "Node", false, func(c kubernetes.Interface) listFunc {
		return func(ctx context.Context, _ string, o metav1.ListOptions) (runtime.Object, error) {
			return c.CoreV1().Nodes().List(ctx, o)
		}
	}},
	{gvr("apps", "v1", "deployments"), "Deployment", true, func(c kubernetes.Interface) listFunc {
		return func(ctx context.Context, ns string, o metav1.ListOptions) (runtime.Object, error) {
			return c.AppsV1().Deployments(ns).List(ctx, o)
		}
	}},
	{gvr("apps", "v1", "statefulsets"), "StatefulSet", true, func(c kubernetes.Interface) listFunc {
		return func(ctx context.Context, ns string, o metav1.ListOptions) (runtime.Object, error) {
			return c.AppsV1().StatefulSets(ns).List(ctx, o)
		}
	}},
	{gvr("apps", "v1", "daemonsets"), "DaemonSet", true, func(c kubernetes.Interface) listFunc {
		return func(ctx context.Context, ns string, o metav1.ListOptions) (runtime.Object, error) {
			return c.AppsV1().DaemonSets(ns).List(ctx, o)
		}
	}},
	{gvr("apps", "v1", "replicasets"), "ReplicaSet", true, func(c kubernetes.Interface) listFunc {
		return func(ctx context.Context, ns string, o metav1.ListOptions) (runtime.Object, error) {
			return c.AppsV1().ReplicaSets(ns).List(ctx, o)
		}
	}},
	{gvr("", "v1", "replicationcontrollers"), "ReplicationController", true, func(c kubernetes.Interface) listFunc {
		return func(ctx context.Context, ns string, o metav1.ListOptions) (runtime.Object, error) {
			return c.CoreV1().ReplicationControllers(ns).List(ctx, o)
		}
	}},
	{gvr("batch", "v1", "cronjobs"), "CronJob", true, func(c kubernetes.Interface) listFunc {
		return func(ctx context.Context, ns string, o metav1.ListOptions) (runtime.Object, error) {
			return c.BatchV1().CronJobs(ns).List(ctx, o)
		}
	}},
	{gvr("batch", "v1", "jobs"), "Job", true, func(c kubernetes.Interface) listFunc {
		return func(ctx context.Context, ns string, o metav1.ListOptions) (runtime.Object, error) {
			return c.BatchV1().Jobs(ns).List(ctx, o)
		}
	}},
	{gvr("", "v1", "pods"), "Pod", true, func(c kubernetes.Interface) listFunc {
		return func(ctx context.Context, ns string, o metav1.ListOptions) (runtime.Object, error) {
			return c.CoreV1().Pods(ns).List(ctx, o)
		}
	}},
	{gvr("", "v1", "serviceaccounts"), "ServiceAccount", true, func(c kubernetes.Interface) listFunc {
		return func(ctx context.Context, ns string, o metav1.ListOptions) (runtime.Object, error) {
			return c.CoreV1().ServiceAccounts(ns).List(ctx, o)
		}
	}},
	{gvr("", "v1", "secrets"), "Secret", true, nil},
	{gvr("", "v1", "configmaps"), "ConfigMap", true, nil},
	{gvr("", "v1", "services"), "Service", true, func(c kubernetes.Interface) listFunc {
		return func(ctx context.Context, ns string, o metav1.ListOptions) (runtime.Object, error) {
			return c.CoreV1().Services(ns).List(ctx, o)
		}
	}},
	{gvr("networking.k8s.io", "v1", "ingresses"), "Ingress", true, func(c kubernetes.Interface) listFunc {
		return func(ctx context.Context, ns string, o metav1.ListOptions) (runtime.Object, error) {
			return c.NetworkingV1().Ingresses(ns).List(ctx, o)
		}
	}},
	{gvr("networking.k8s.io", "v1", "networkpolicies"), "NetworkPolicy", true, func(c kubernetes.Interface) listFunc {
		return func(ctx context.Context, ns string, o metav1.ListOptions) (runtime.Object, error) {
			return c.NetworkingV1().NetworkPolicies(ns).List(ctx, o)
		}
	}},
	{gvr("rbac.authorization.k8s.io", "v1", "clusterroles"), "ClusterRole", false, func(c kubernetes.Interface) listFunc {
		return func(ctx context.Context, _ string, o metav1.ListOptions) (runtime.Object, error) {
			return c.RbacV1().ClusterRoles().List(ctx, o)
		}
	}},
	{gvr("rbac.authorization.k8s.io", "v1", "clusterrolebindings"), "ClusterRoleBinding", false, func(c kubernetes.Interface) listFunc {
		return func(ctx context.Context, _ string, o metav1.ListOptions) (runtime.Object, error) {
			return c.RbacV1().ClusterRoleBindings().List(ctx, o)
		}
	}},
	{gvr("rbac.authorization.k8s.io", "v1", "roles"), "Role", true, func(c kubernetes.Interface) listFunc {
		return func(ctx context.Context, ns string, o metav1.ListOptions) (runtime.Object, error) {
			return c.RbacV1().Roles(ns).List(ctx, o)
		}
	}},
	{gvr("rbac.authorization.k8s.io", "v1", "rolebindings"), "RoleBinding", true, func(c kubernetes.Interface) listFunc {
		return func(ctx context.Context, ns string, o metav1.ListOptions) (runtime.Object, error) {
			return c.RbacV1().RoleBindings(ns).List(ctx, o)
		}
	}},
}

func gvr(group, version, resource string) schema.GroupVersionResource {
	return schema.GroupVersionResource{Group: group, Version: version, Resource: resource}
}
