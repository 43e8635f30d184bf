package synth

import (
	"fmt"
	"maps"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// workload writes w's controller and, in a dump, what the controller made:
// a Deployment's ReplicaSet and Pods, a StatefulSet's or DaemonSet's
// Pods, a CronJob's Job and its Pod.
func (g *nsGen) workload(w *workloadPlan) {
	tpl := g.template(w)
	selector := &metav1.LabelSelector{MatchLabels: selectorOf(w)}
	replicas := int32(w.replicas)
	switch w.kind {
	case kindDeployment:
		d := &appsv1.Deployment{Spec: appsv1.DeploymentSpec{Replicas: &replicas, Selector: selector, Template: tpl}}
		d.Name, d.Labels = w.name, maps.Clone(selector.MatchLabels)
		m := g.add(d, !w.system)
		if g.o.Dump {
			d.Generation = 1 + int64(g.r.IntN(20))
			d.Annotations = withAnnotation(d.Annotations, "deployment.kubernetes.io/revision", fmt.Sprint(d.Generation))
			d.Spec.Strategy = appsv1.DeploymentStrategy{Type: appsv1.RollingUpdateDeploymentStrategyType,
				RollingUpdate: &appsv1.RollingUpdateDeployment{MaxUnavailable: new(intstr.FromString("25%")), MaxSurge: new(intstr.FromString("25%"))}}
			d.Spec.RevisionHistoryLimit, d.Spec.ProgressDeadlineSeconds = new(int32(10)), new(int32(600))
			d.Status = appsv1.DeploymentStatus{ObservedGeneration: d.Generation, Replicas: replicas, UpdatedReplicas: replicas,
				ReadyReplicas: replicas, AvailableReplicas: replicas}
			g.replicaSet(w, d, string(m.GetUID()))
		}
	case kindStatefulSet:
		ss := &appsv1.StatefulSet{Spec: appsv1.StatefulSetSpec{Replicas: &replicas, Selector: selector, Template: tpl,
			ServiceName: w.name}}
		ss.Name, ss.Labels = w.name, maps.Clone(selector.MatchLabels)
		if w.tier == tierDB && !w.system {
			pvc := corev1.PersistentVolumeClaim{Spec: corev1.PersistentVolumeClaimSpec{
				AccessModes: []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce},
				Resources:   corev1.VolumeResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceStorage: resource.MustParse("20Gi")}}}}
			pvc.Name = "data"
			ss.Spec.VolumeClaimTemplates = []corev1.PersistentVolumeClaim{pvc}
		}
		m := g.add(ss, !w.system)
		if g.o.Dump {
			ss.Status = appsv1.StatefulSetStatus{Replicas: replicas, ReadyReplicas: replicas, CurrentReplicas: replicas, UpdatedReplicas: replicas}
			rev := w.name + "-" + g.r.hex(10)
			for i := range w.replicas {
				p := g.pod(&tpl, fmt.Sprintf("%s-%d", w.name, i), ownedBy("apps/v1", "StatefulSet", w.name, string(m.GetUID())), g.anyNode())
				p.Labels["controller-revision-hash"] = rev
				p.Labels["statefulset.kubernetes.io/pod-name"] = p.Name
				p.Labels["apps.kubernetes.io/pod-index"] = fmt.Sprint(i)
			}
		}
	case kindDaemonSet:
		ds := &appsv1.DaemonSet{Spec: appsv1.DaemonSetSpec{Selector: selector, Template: tpl}}
		ds.Name, ds.Labels = w.name, maps.Clone(selector.MatchLabels)
		ds.Spec.Template.Spec.Tolerations = []corev1.Toleration{{Operator: corev1.TolerationOpExists}}
		m := g.add(ds, false)
		if g.o.Dump {
			n := int32(len(g.c.nodes))
			ds.Status = appsv1.DaemonSetStatus{CurrentNumberScheduled: n, DesiredNumberScheduled: n, NumberReady: n, NumberAvailable: n}
			for _, node := range g.c.nodes {
				g.pod(&ds.Spec.Template, podName(w.name, g.r), ownedBy("apps/v1", "DaemonSet", w.name, string(m.GetUID())), node)
			}
		}
	case kindCronJob:
		cj := &batchv1.CronJob{Spec: batchv1.CronJobSpec{Schedule: fmt.Sprintf("%d * * * *", g.r.IntN(60)),
			ConcurrencyPolicy: batchv1.ForbidConcurrent,
			JobTemplate:       batchv1.JobTemplateSpec{Spec: batchv1.JobSpec{Template: tpl, BackoffLimit: new(int32(3))}}}}
		cj.Name, cj.Labels = w.name, maps.Clone(selector.MatchLabels)
		m := g.add(cj, true)
		if g.o.Dump {
			job := fmt.Sprintf("%s-%d", w.name, 28_900_000+g.r.IntN(100_000))
			g.job(w, &tpl, job, ownedBy("batch/v1", "CronJob", w.name, string(m.GetUID())))
		}
	case kindJob:
		if g.o.Dump {
			g.job(w, &tpl, w.name, nil)
			return
		}
		j := &batchv1.Job{Spec: batchv1.JobSpec{Template: tpl, BackoffLimit: new(int32(4))}}
		j.Name, j.Labels = w.name, maps.Clone(selector.MatchLabels)
		g.add(j, true)
	case kindPod:
		if g.o.Dump {
			g.pod(&tpl, w.name, nil, g.anyNode())
			return
		}
		p := &corev1.Pod{ObjectMeta: tpl.ObjectMeta, Spec: tpl.Spec}
		p.Name = w.name
		g.add(p, true)
	}
}

// selectorOf returns the labels a controller selects its pods by.
func selectorOf(w *workloadPlan) map[string]string {
	if v, ok := w.labels["app"]; ok {
		return map[string]string{"app": v}
	}
	out := map[string]string{}
	for _, k := range []string{"k8s-app", "app.kubernetes.io/name", "app.kubernetes.io/component"} {
		if v, ok := w.labels[k]; ok {
			out[k] = v
		}
	}
	return out
}

// replicaSet writes a Deployment's current ReplicaSet and its Pods.
func (g *nsGen) replicaSet(w *workloadPlan, d *appsv1.Deployment, uid string) {
	hash := g.r.suffix(10)
	tpl := *d.Spec.Template.DeepCopy()
	tpl.Labels[appsv1.DefaultDeploymentUniqueLabelKey] = hash
	sel := d.Spec.Selector.DeepCopy()
	sel.MatchLabels[appsv1.DefaultDeploymentUniqueLabelKey] = hash
	rs := &appsv1.ReplicaSet{Spec: appsv1.ReplicaSetSpec{Replicas: d.Spec.Replicas, Selector: sel, Template: tpl}}
	rs.Name = w.name + "-" + hash
	rs.Labels = maps.Clone(tpl.Labels)
	rs.Annotations = map[string]string{"deployment.kubernetes.io/revision": d.Annotations["deployment.kubernetes.io/revision"],
		"deployment.kubernetes.io/desired-replicas": fmt.Sprint(w.replicas), "deployment.kubernetes.io/max-replicas": fmt.Sprint(w.replicas + 1)}
	rs.OwnerReferences = ownedBy("apps/v1", "Deployment", w.name, uid)
	m := g.add(rs, false)
	rs.Status = appsv1.ReplicaSetStatus{Replicas: *d.Spec.Replicas, FullyLabeledReplicas: *d.Spec.Replicas,
		ReadyReplicas: *d.Spec.Replicas, AvailableReplicas: *d.Spec.Replicas, ObservedGeneration: 1}
	for range w.replicas {
		g.pod(&tpl, podName(rs.Name, g.r), ownedBy("apps/v1", "ReplicaSet", rs.Name, string(m.GetUID())), g.anyNode())
	}
}

// job writes a Job that has run and its Pod.
func (g *nsGen) job(w *workloadPlan, tpl *corev1.PodTemplateSpec, name string, owner []metav1.OwnerReference) {
	j := &batchv1.Job{Spec: batchv1.JobSpec{Template: *tpl.DeepCopy(), BackoffLimit: new(int32(4)), Completions: new(int32(1)), Parallelism: new(int32(1))}}
	j.Name, j.OwnerReferences = name, owner
	m := g.add(j, owner == nil)
	uid := string(m.GetUID())
	extra := map[string]string{"batch.kubernetes.io/controller-uid": uid, "batch.kubernetes.io/job-name": name,
		"controller-uid": uid, "job-name": name}
	maps.Copy(j.Spec.Template.Labels, extra)
	j.Spec.Selector = &metav1.LabelSelector{MatchLabels: map[string]string{"batch.kubernetes.io/controller-uid": uid}}
	j.Status = batchv1.JobStatus{Active: 1, Ready: new(int32(1)), StartTime: new(g.time())}
	g.pod(&j.Spec.Template, podName(name, g.r), ownedBy("batch/v1", "Job", name, uid), g.anyNode())
}

// anyNode returns a node for a pod: the scheduler's choice, uniformly.
func (g *nsGen) anyNode() *nodePlan { return g.c.nodes[g.r.IntN(len(g.c.nodes))] }

func withAnnotation(a map[string]string, k, v string) map[string]string {
	if a == nil {
		a = map[string]string{}
	}
	a[k] = v
	return a
}
