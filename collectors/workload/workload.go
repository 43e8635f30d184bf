// Package workload groups pods by template: every controller (Deployment,
// StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob)
// and every bare Pod becomes one pod group, and objects owned by a
// controller in the same input fold into it. Every builder works on these
// groups, so the graph grows with templates, not with pods.
package workload

import (
	"cmp"
	"fmt"
	"slices"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/trustpath/trustpath/collectors/estate"
	"github.com/trustpath/trustpath/graph"
)

// Group is the replicas of one pod template: one vertex however many pods
// run it.
type Group struct {
	Key      graph.Key
	Kind     graph.Kind
	APIKind  string             // the owner's kind as the API spells it
	Meta     *metav1.ObjectMeta // of the owning object
	Template *corev1.PodTemplateSpec
	Replicas int      // desired pods (per node for a DaemonSet)
	Pods     int      // pods of the input folded into the group
	Nodes    []string // nodes the group's pods run on or are pinned to, sorted

	folded []*corev1.Pod // the Pods counted in Pods, for SlimPods
}

// Namespace returns the group's namespace.
func (g *Group) Namespace() string { return g.Meta.Namespace }

// Ref returns the reference of the object that owns the group.
func (g *Group) Ref() estate.Ref {
	return estate.Ref{Kind: g.APIKind, Namespace: g.Meta.Namespace, Name: g.Meta.Name}
}

// owned identifies a controller by kind and name within a namespace.
type owned struct {
	kind, namespace, name string
}

// Groups turns every controller and every bare pod of s into a pod group,
// sorted by key. prefix is the cluster prefix of keys ("" with one cluster).
// ReplicaSets owned by a Deployment in the input fold into it, Jobs into
// their CronJob, and Pods into whichever group their controller chain
// reaches, so a kubectl dump of a Deployment, its ReplicaSet and its Pods
// is one group, counted once.
func Groups(s *estate.Snapshot, prefix string) []*Group {
	c := controllers(s, prefix)
	for _, p := range s.Pods {
		if owner := c.byOwner[controllerOf(&p.ObjectMeta)]; owner != nil {
			owner.Pods++
			owner.folded = append(owner.folded, p)
			if p.Spec.NodeName != "" {
				owner.Nodes = append(owner.Nodes, p.Spec.NodeName)
			}
			continue
		}
		tpl := &corev1.PodTemplateSpec{ObjectMeta: p.ObjectMeta, Spec: p.Spec}
		// A pod controls no pods: one naming a Pod as its controller
		// is described by no template but its own.
		pg := c.group(graph.KindPod, "Pod", &p.ObjectMeta, tpl, 1)
		pg.Pods = 1
		if p.Spec.NodeName != "" {
			pg.Nodes = []string{p.Spec.NodeName}
		}
	}
	groups := c.groups
	for _, pg := range groups {
		if n := pinnedNode(&pg.Template.Spec); n != "" {
			pg.Nodes = append(pg.Nodes, n)
		}
		slices.Sort(pg.Nodes)
		pg.Nodes = slices.Compact(pg.Nodes)
	}
	slices.SortFunc(groups, func(a, b *Group) int { return cmp.Compare(a.Key, b.Key) })
	return groups
}

// Described returns whether a controller of s describes a Pod, a
// ReplicaSet or a Job of s, as Groups decides it: the object then folds
// into the controller's group, and its own spec, beyond the node a pod
// runs on, is never read.
func Described(s *estate.Snapshot) func(runtime.Object) bool {
	c := controllers(s, "")
	return func(obj runtime.Object) bool {
		switch o := obj.(type) {
		case *corev1.Pod:
			return c.byOwner[controllerOf(&o.ObjectMeta)] != nil
		case *appsv1.ReplicaSet, *batchv1.Job:
			return c.folded[obj]
		}
		return false
	}
}

// grouping is the pod groups of a snapshot's controllers, the group each
// controller's pods fold into, by the controller, and the ReplicaSets and
// Jobs that fold into their own controller's group.
type grouping struct {
	prefix  string
	groups  []*Group
	byOwner map[owned]*Group
	folded  map[runtime.Object]bool
}

// group adds the group of one pod template.
func (c *grouping) group(kind graph.Kind, apiKind string, meta *metav1.ObjectMeta, tpl *corev1.PodTemplateSpec, replicas int) *Group {
	pg := &Group{Key: graph.NewKey(c.prefix, kind, meta.Namespace, meta.Name), Kind: kind, APIKind: apiKind, Meta: meta, Template: tpl, Replicas: replicas}
	c.groups = append(c.groups, pg)
	return pg
}

// add adds the group of a controller, which the objects it controls fold
// into.
func (c *grouping) add(kind graph.Kind, apiKind string, meta *metav1.ObjectMeta, tpl *corev1.PodTemplateSpec, replicas int) {
	c.byOwner[owned{apiKind, meta.Namespace, meta.Name}] = c.group(kind, apiKind, meta, tpl, replicas)
}

// controllers groups the controllers of s. ReplicaSets owned by a
// Deployment in s fold into it, and Jobs into their CronJob.
func controllers(s *estate.Snapshot, prefix string) *grouping {
	c := &grouping{prefix: prefix, byOwner: map[owned]*Group{}, folded: map[runtime.Object]bool{}}
	nodes := max(len(s.Nodes), 1)
	for _, d := range s.Deployments {
		c.add(graph.KindDeployment, "Deployment", &d.ObjectMeta, &d.Spec.Template, replicas(d.Spec.Replicas))
	}
	for _, ss := range s.StatefulSets {
		c.add(graph.KindStatefulSet, "StatefulSet", &ss.ObjectMeta, &ss.Spec.Template, replicas(ss.Spec.Replicas))
	}
	for _, d := range s.DaemonSets {
		c.add(graph.KindDaemonSet, "DaemonSet", &d.ObjectMeta, &d.Spec.Template, nodes)
	}
	for _, cj := range s.CronJobs {
		c.add(graph.KindCronJob, "CronJob", &cj.ObjectMeta, &cj.Spec.JobTemplate.Spec.Template, replicas(cj.Spec.JobTemplate.Spec.Parallelism))
	}
	for _, rc := range s.ReplicationControllers {
		if rc.Spec.Template == nil {
			continue
		}
		c.add(graph.KindReplicationController, "ReplicationController", &rc.ObjectMeta, rc.Spec.Template, replicas(rc.Spec.Replicas))
	}
	for _, rs := range s.ReplicaSets {
		c.fold(rs, graph.KindReplicaSet, "ReplicaSet", &rs.ObjectMeta, &rs.Spec.Template, replicas(rs.Spec.Replicas))
	}
	for _, j := range s.Jobs {
		c.fold(j, graph.KindJob, "Job", &j.ObjectMeta, &j.Spec.Template, replicas(j.Spec.Parallelism))
	}
	return c
}

// fold folds obj, a ReplicaSet or a Job, into the group of its controller
// when that is in the snapshot, and adds its own group otherwise.
func (c *grouping) fold(obj runtime.Object, kind graph.Kind, apiKind string, meta *metav1.ObjectMeta, tpl *corev1.PodTemplateSpec, replicas int) {
	if owner := c.byOwner[controllerOf(meta)]; owner != nil {
		c.byOwner[owned{apiKind, meta.Namespace, meta.Name}] = owner
		c.folded[obj] = true
		return
	}
	c.add(kind, apiKind, meta, tpl, replicas)
}

// pinnedNode returns the node a pod template can only run on: spec.nodeName,
// or a nodeSelector on the well-known kubernetes.io/hostname label.
func pinnedNode(spec *corev1.PodSpec) string {
	if spec.NodeName != "" {
		return spec.NodeName
	}
	return spec.NodeSelector[corev1.LabelHostname]
}

// controllerOf returns the controller that owns an object, if any.
func controllerOf(m *metav1.ObjectMeta) owned {
	if ref := metav1.GetControllerOfNoCopy(m); ref != nil {
		return owned{ref.Kind, m.Namespace, ref.Name}
	}
	return owned{}
}

// replicas reads an optional replica count; the API defaults it to 1.
func replicas(n *int32) int {
	if n == nil {
		return 1
	}
	return int(*n)
}

// ServiceAccount returns the name of the service account the group's pods
// run as: serviceAccountName, the deprecated serviceAccount, or "default".
func (g *Group) ServiceAccount() string {
	spec := &g.Template.Spec
	switch {
	case spec.ServiceAccountName != "":
		return spec.ServiceAccountName
	case spec.DeprecatedServiceAccount != "":
		return spec.DeprecatedServiceAccount
	}
	return "default"
}

// Automount decides whether the API server mounts the service account's
// token into every container of the group: the pod's
// automountServiceAccountToken wins over the account's (account is nil
// when the account does not say), and both default to true. why names the
// setting that decided.
func (g *Group) Automount(account *bool) (mount bool, why string) {
	spec := &g.Template.Spec
	switch {
	case spec.AutomountServiceAccountToken != nil:
		return *spec.AutomountServiceAccountToken, fmt.Sprintf("pod spec automountServiceAccountToken: %t", *spec.AutomountServiceAccountToken)
	case account != nil:
		return *account, fmt.Sprintf("serviceaccount %s/%s automountServiceAccountToken: %t", g.Namespace(), g.ServiceAccount(), *account)
	}
	return true, "automountServiceAccountToken unset on pod and service account (default true)"
}

// SlimPods cuts each Pod the groups folded into their controller's group
// down to what grouping reads of it (name, namespace, labels, owner
// references, node), in place. The controller's template describes such a
// pod, and in a cluster dump these pods, spec and status, are most of the
// objects' memory: a third of it at 50,000 pods. A snapshot slimmed so must
// not be written out as the estate.
func SlimPods(groups []*Group) {
	for _, pg := range groups {
		for _, p := range pg.folded {
			*p = corev1.Pod{TypeMeta: p.TypeMeta, ObjectMeta: metav1.ObjectMeta{Name: p.Name, Namespace: p.Namespace,
				UID: p.UID, Labels: p.Labels, OwnerReferences: p.OwnerReferences}, Spec: corev1.PodSpec{NodeName: p.Spec.NodeName}}
		}
		pg.folded = nil
	}
}
