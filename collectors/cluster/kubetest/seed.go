package kubetest

import (
	"context"
	"fmt"
	"slices"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes/scheme"

	"github.com/trustpath/trustpath/collectors/estate"
)

// resources maps the kinds a snapshot holds to their API resources.
var resources = map[string]schema.GroupVersionResource{
	"Namespace":             {Version: "v1", Resource: "namespaces"},
	"Node":                  {Version: "v1", Resource: "nodes"},
	"Pod":                   {Version: "v1", Resource: "pods"},
	"ReplicationController": {Version: "v1", Resource: "replicationcontrollers"},
	"ServiceAccount":        {Version: "v1", Resource: "serviceaccounts"},
	"Secret":                {Version: "v1", Resource: "secrets"},
	"ConfigMap":             {Version: "v1", Resource: "configmaps"},
	"Service":               {Version: "v1", Resource: "services"},
	"Deployment":            {Group: "apps", Version: "v1", Resource: "deployments"},
	"StatefulSet":           {Group: "apps", Version: "v1", Resource: "statefulsets"},
	"DaemonSet":             {Group: "apps", Version: "v1", Resource: "daemonsets"},
	"ReplicaSet":            {Group: "apps", Version: "v1", Resource: "replicasets"},
	"Job":                   {Group: "batch", Version: "v1", Resource: "jobs"},
	"CronJob":               {Group: "batch", Version: "v1", Resource: "cronjobs"},
	"Ingress":               {Group: "networking.k8s.io", Version: "v1", Resource: "ingresses"},
	"NetworkPolicy":         {Group: "networking.k8s.io", Version: "v1", Resource: "networkpolicies"},
	"Role":                  {Group: "rbac.authorization.k8s.io", Version: "v1", Resource: "roles"},
	"ClusterRole":           {Group: "rbac.authorization.k8s.io", Version: "v1", Resource: "clusterroles"},
	"RoleBinding":           {Group: "rbac.authorization.k8s.io", Version: "v1", Resource: "rolebindings"},
	"ClusterRoleBinding":    {Group: "rbac.authorization.k8s.io", Version: "v1", Resource: "clusterrolebindings"},
}

// order is the order Seed creates kinds in: what others refer to first, and
// pods last, as kubectl apply of a dump would succeed.
var order = []string{"Namespace", "ServiceAccount", "Secret", "ConfigMap", "ClusterRole", "ClusterRoleBinding",
	"Role", "RoleBinding", "Node", "Service", "Ingress", "NetworkPolicy", "Deployment", "StatefulSet",
	"DaemonSet", "ReplicaSet", "ReplicationController", "CronJob", "Job", "Pod"}

// Rejected is an object the API server's admission refused, as it would
// refuse a user applying it: a Pod that breaks its namespace's enforced Pod
// Security level. It cannot exist in a live cluster.
type Rejected struct {
	Ref    estate.Ref
	Reason string
}

// Seed creates the objects of s on the server, as a user applying them
// would: every namespace the objects use (defined in s or not), a default
// ServiceAccount in each (no controller makes one here), then the objects.
// An object that exists already (a built-in ClusterRole, the default
// ServiceAccount) is replaced by the snapshot's. Secrets get their key
// names with empty values (the snapshot holds no values; docker config
// Secrets get "{}", the least their type accepts). Objects admission
// refuses are returned, not an error.
func Seed(ctx context.Context, c dynamic.Interface, s *estate.Snapshot) ([]Rejected, error) {
	byKind := map[string][]runtime.Object{}
	namespaces := map[string]bool{}
	for ref := range s.Sources {
		if ref.Namespace != "" {
			namespaces[ref.Namespace] = true
		}
	}
	add := func(objs ...runtime.Object) {
		for _, o := range objs {
			gvks, _, err := scheme.Scheme.ObjectKinds(o)
			if err == nil {
				byKind[gvks[0].Kind] = append(byKind[gvks[0].Kind], o)
			}
		}
	}
	for _, n := range s.Namespaces {
		delete(namespaces, n.Name)
		add(n)
	}
	var extra []string
	for n := range namespaces {
		extra = append(extra, n)
	}
	slices.Sort(extra)
	for _, n := range extra {
		if n != "default" {
			add(&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: n}})
		}
	}
	all := map[string]bool{"default": true}
	for _, o := range byKind["Namespace"] {
		all[o.(metav1.Object).GetName()] = true
	}
	for n := range all {
		add(&corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Namespace: n, Name: "default"}})
	}
	for _, list := range [][]runtime.Object{
		objects(s.Nodes), objects(s.Pods), objects(s.Deployments), objects(s.StatefulSets), objects(s.DaemonSets),
		objects(s.ReplicaSets), objects(s.ReplicationControllers), objects(s.Jobs), objects(s.CronJobs),
		objects(s.ServiceAccounts), objects(s.Secrets), objects(s.ConfigMaps), objects(s.Services), objects(s.Ingresses),
		objects(s.NetworkPolicies), objects(s.Roles), objects(s.ClusterRoles), objects(s.RoleBindings), objects(s.ClusterRoleBindings),
	} {
		add(list...)
	}
	var rejected []Rejected
	for _, kind := range order {
		for _, o := range byKind[kind] {
			if sec, ok := o.(*corev1.Secret); ok {
				o = placeholders(sec)
			}
			err := Apply(ctx, c, o)
			if apierrors.IsForbidden(err) {
				m := o.(metav1.Object)
				rejected = append(rejected, Rejected{estate.Ref{Kind: kind, Namespace: m.GetNamespace(), Name: m.GetName()}, err.Error()})
				continue
			}
			if err != nil {
				return rejected, err
			}
		}
	}
	return rejected, nil
}

// placeholders gives a Secret's keys the least values its type accepts.
func placeholders(sec *corev1.Secret) *corev1.Secret {
	sec = sec.DeepCopy()
	for k := range sec.Data {
		sec.Data[k] = []byte{}
		if k == corev1.DockerConfigJsonKey || k == corev1.DockerConfigKey {
			sec.Data[k] = []byte("{}")
		}
	}
	return sec
}

// Apply creates obj as it is, or replaces the object of the same name.
func Apply(ctx context.Context, c dynamic.Interface, obj runtime.Object) error {
	obj = obj.DeepCopyObject()
	gvks, _, err := scheme.Scheme.ObjectKinds(obj)
	if err != nil {
		return err
	}
	gvk := gvks[0]
	m := obj.(metav1.Object)
	m.SetResourceVersion("")
	m.SetUID("")
	m.SetCreationTimestamp(metav1.Time{})
	m.SetGeneration(0)
	raw, err := runtime.DefaultUnstructuredConverter.ToUnstructured(obj)
	if err != nil {
		return err
	}
	u := &unstructured.Unstructured{Object: raw}
	u.SetGroupVersionKind(gvk)
	status, hasStatus, _ := unstructured.NestedMap(u.Object, "status")
	unstructured.RemoveNestedField(u.Object, "status")
	gvr, ok := resources[gvk.Kind]
	if !ok {
		return fmt.Errorf("kubetest: no resource for kind %s", gvk.Kind)
	}
	client := c.Resource(gvr).Namespace(m.GetNamespace())
	got, err := client.Create(ctx, u, metav1.CreateOptions{})
	if apierrors.IsAlreadyExists(err) {
		cur, gerr := client.Get(ctx, m.GetName(), metav1.GetOptions{})
		if gerr != nil {
			return gerr
		}
		u.SetResourceVersion(cur.GetResourceVersion())
		got, err = client.Update(ctx, u, metav1.UpdateOptions{})
	}
	if err != nil {
		return fmt.Errorf("creating %s %s/%s: %w", gvk.Kind, m.GetNamespace(), m.GetName(), err)
	}
	if hasStatus && len(status) > 0 {
		// What the kubelet or a controller would have written: node
		// addresses and versions, a load balancer's address.
		if err := unstructured.SetNestedMap(got.Object, status, "status"); err != nil {
			return err
		}
		if _, err := client.UpdateStatus(ctx, got, metav1.UpdateOptions{}); err != nil {
			return fmt.Errorf("writing the status of %s %s/%s: %w", gvk.Kind, m.GetNamespace(), m.GetName(), err)
		}
	}
	return nil
}

func objects[T runtime.Object](in []T) []runtime.Object {
	out := make([]runtime.Object, len(in))
	for i, o := range in {
		out[i] = o
	}
	return out
}
