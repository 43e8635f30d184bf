package topology

import (
	"cmp"
	"slices"
	"strconv"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/trustpath/trustpath/graph"
)

// podGroup is the replicas of one pod template: one vertex however many
// pods run it, so the graph grows with templates, not with pods.
type podGroup struct {
	key      graph.Key
	kind     graph.Kind
	apiKind  string             // the owner's kind as the API spells it
	meta     *metav1.ObjectMeta // of the owning object
	template *corev1.PodTemplateSpec
	replicas int      // desired pods (per node for a DaemonSet)
	pods     int      // pods of the input folded into the group
	nodes    []string // nodes the folded pods run on, sorted
}

// owned identifies a controller by kind and name within a namespace.
type owned struct {
	kind, namespace, name string
}

// podGroups turns every controller and every bare pod into a pod group.
// ReplicaSets owned by a Deployment in the input fold into it, Jobs into
// their CronJob, and Pods into whichever group their controller chain
// reaches, so a kubectl dump of a Deployment, its ReplicaSet and its Pods
// is one group, counted once.
func (b *builder) podGroups() []*podGroup {
	byOwner := map[owned]*podGroup{}
	var groups []*podGroup
	add := func(kind graph.Kind, apiKind string, meta *metav1.ObjectMeta, tpl *corev1.PodTemplateSpec, replicas int) {
		pg := &podGroup{key: b.key(kind, meta.Namespace, meta.Name), kind: kind, apiKind: apiKind, meta: meta, template: tpl, replicas: replicas}
		groups = append(groups, pg)
		byOwner[owned{apiKind, meta.Namespace, meta.Name}] = pg
	}
	nodes := max(len(b.s.Nodes), 1)
	for _, d := range b.s.Deployments {
		add(graph.KindDeployment, "Deployment", &d.ObjectMeta, &d.Spec.Template, replicas(d.Spec.Replicas))
	}
	for _, s := range b.s.StatefulSets {
		add(graph.KindStatefulSet, "StatefulSet", &s.ObjectMeta, &s.Spec.Template, replicas(s.Spec.Replicas))
	}
	for _, d := range b.s.DaemonSets {
		add(graph.KindDaemonSet, "DaemonSet", &d.ObjectMeta, &d.Spec.Template, nodes)
	}
	for _, c := range b.s.CronJobs {
		add(graph.KindCronJob, "CronJob", &c.ObjectMeta, &c.Spec.JobTemplate.Spec.Template, replicas(c.Spec.JobTemplate.Spec.Parallelism))
	}
	for _, rc := range b.s.ReplicationControllers {
		if rc.Spec.Template == nil {
			continue
		}
		add(graph.KindReplicationController, "ReplicationController", &rc.ObjectMeta, rc.Spec.Template, replicas(rc.Spec.Replicas))
	}
	// ReplicaSets and Jobs fold into an owner present in the input.
	for _, rs := range b.s.ReplicaSets {
		if owner := byOwner[controllerOf(&rs.ObjectMeta)]; owner != nil {
			byOwner[owned{"ReplicaSet", rs.Namespace, rs.Name}] = owner
			continue
		}
		add(graph.KindReplicaSet, "ReplicaSet", &rs.ObjectMeta, &rs.Spec.Template, replicas(rs.Spec.Replicas))
	}
	for _, j := range b.s.Jobs {
		if owner := byOwner[controllerOf(&j.ObjectMeta)]; owner != nil {
			byOwner[owned{"Job", j.Namespace, j.Name}] = owner
			continue
		}
		add(graph.KindJob, "Job", &j.ObjectMeta, &j.Spec.Template, replicas(j.Spec.Parallelism))
	}
	for _, p := range b.s.Pods {
		if owner := byOwner[controllerOf(&p.ObjectMeta)]; owner != nil {
			owner.pods++
			if p.Spec.NodeName != "" {
				owner.nodes = append(owner.nodes, p.Spec.NodeName)
			}
			continue
		}
		tpl := &corev1.PodTemplateSpec{ObjectMeta: p.ObjectMeta, Spec: p.Spec}
		add(graph.KindPod, "Pod", &p.ObjectMeta, tpl, 1)
		pg := groups[len(groups)-1]
		pg.pods = 1
		if p.Spec.NodeName != "" {
			pg.nodes = []string{p.Spec.NodeName}
		}
	}
	for _, pg := range groups {
		if n := pinnedNode(&pg.template.Spec); n != "" {
			pg.nodes = append(pg.nodes, n)
		}
		slices.Sort(pg.nodes)
		pg.nodes = slices.Compact(pg.nodes)
	}
	slices.SortFunc(groups, func(a, b *podGroup) int { return cmp.Compare(a.key, b.key) })
	return groups
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

// podGroup adds the group's vertex, its containers and their steps.
func (b *builder) podGroup(pg *podGroup) {
	ns := pg.meta.Namespace
	v := &graph.Vertex{Key: pg.key, Kind: pg.kind, Name: pg.meta.Name,
		Loc: graph.Location{Cluster: b.s.Cluster, Namespace: ns, Pod: pg.key}}
	v.SetProp(graph.PropReplicas, strconv.Itoa(pg.replicas))
	if pg.kind == graph.KindDaemonSet {
		v.SetProp("per-node", "true")
	}
	if pg.pods > 0 && pg.kind != graph.KindPod {
		v.SetProp("pods-in-input", strconv.Itoa(pg.pods))
	}
	if len(pg.nodes) > 0 {
		v.SetProp("nodes", joinSorted(pg.nodes))
	}
	markObject(v, pg.meta)
	markObject(v, &pg.template.ObjectMeta)
	b.add(v)

	spec := &pg.template.Spec
	sa := b.podServiceAccount(pg, spec)
	for _, c := range allContainers(spec) {
		b.container(pg, spec, c, sa)
	}
}
