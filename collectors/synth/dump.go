package synth

import (
	"fmt"
	"maps"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// pod writes a running pod of a template as the API server returns it:
// with the defaults admission fills in, the projected service-account
// token volume, the node it runs on and its status.
func (g *nsGen) pod(tpl *corev1.PodTemplateSpec, name string, owner []metav1.OwnerReference, node *nodePlan) *corev1.Pod {
	p := &corev1.Pod{Spec: *tpl.Spec.DeepCopy()}
	p.Name, p.OwnerReferences = name, owner
	p.Labels = maps.Clone(tpl.Labels)
	p.Annotations = maps.Clone(tpl.Annotations)
	s := &p.Spec
	s.NodeName = node.name
	if s.ServiceAccountName == "" {
		s.ServiceAccountName = "default"
	}
	s.DeprecatedServiceAccount = s.ServiceAccountName
	if s.RestartPolicy == "" {
		s.RestartPolicy = corev1.RestartPolicyAlways
	}
	if s.DNSPolicy == "" {
		s.DNSPolicy = corev1.DNSClusterFirst
	}
	s.SchedulerName = corev1.DefaultSchedulerName
	s.TerminationGracePeriodSeconds = new(int64(30))
	s.EnableServiceLinks = new(true)
	s.PreemptionPolicy = new(corev1.PreemptLowerPriority)
	s.Priority = new(int32(0))
	if s.SecurityContext == nil {
		s.SecurityContext = &corev1.PodSecurityContext{}
	}
	s.Tolerations = append(s.Tolerations,
		corev1.Toleration{Key: corev1.TaintNodeNotReady, Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute, TolerationSeconds: new(int64(300))},
		corev1.Toleration{Key: corev1.TaintNodeUnreachable, Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute, TolerationSeconds: new(int64(300))})
	if s.AutomountServiceAccountToken == nil || *s.AutomountServiceAccountToken {
		vol := "kube-api-access-" + g.r.suffix(5)
		s.Volumes = append(s.Volumes, tokenVolume(vol))
		for i := range s.Containers {
			s.Containers[i].VolumeMounts = append(s.Containers[i].VolumeMounts,
				corev1.VolumeMount{Name: vol, MountPath: "/var/run/secrets/kubernetes.io/serviceaccount", ReadOnly: true})
		}
	}
	for i := range s.Containers {
		c := &s.Containers[i]
		c.ImagePullPolicy = corev1.PullIfNotPresent
		c.TerminationMessagePath = corev1.TerminationMessagePathDefault
		c.TerminationMessagePolicy = corev1.TerminationMessageReadFile
	}
	g.add(p, false)
	start := g.time()
	hostIP := nodeIP(node.index)
	if s.HostNetwork {
		p.Status.PodIP = hostIP
	} else {
		p.Status.PodIP = fmt.Sprintf("100.%d.%d.%d", 64+(node.index>>8)&63, node.index&255, 2+g.r.IntN(250))
	}
	p.Status.Phase = corev1.PodRunning
	p.Status.HostIP, p.Status.HostIPs = hostIP, []corev1.HostIP{{IP: hostIP}}
	p.Status.PodIPs = []corev1.PodIP{{IP: p.Status.PodIP}}
	p.Status.QOSClass = corev1.PodQOSBurstable
	p.Status.StartTime = &start
	for _, t := range []corev1.PodConditionType{"PodReadyToStartContainers", corev1.PodInitialized, corev1.PodReady, corev1.ContainersReady, corev1.PodScheduled} {
		p.Status.Conditions = append(p.Status.Conditions, corev1.PodCondition{Type: t, Status: corev1.ConditionTrue, LastTransitionTime: start})
	}
	for _, c := range s.Containers {
		p.Status.ContainerStatuses = append(p.Status.ContainerStatuses, corev1.ContainerStatus{
			Name: c.Name, Image: c.Image, ImageID: c.Image + "@sha256:" + g.r.hex(64),
			ContainerID: "containerd://" + g.r.hex(64), Ready: true, Started: new(true), RestartCount: int32(g.r.IntN(3)),
			State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: start}},
		})
	}
	return p
}

// tokenVolume is the projected volume the ServiceAccount admission plugin
// adds to every pod that mounts its token.
func tokenVolume(name string) corev1.Volume {
	return corev1.Volume{Name: name, VolumeSource: corev1.VolumeSource{Projected: &corev1.ProjectedVolumeSource{
		DefaultMode: new(int32(0o644)),
		Sources: []corev1.VolumeProjection{
			{ServiceAccountToken: &corev1.ServiceAccountTokenProjection{ExpirationSeconds: new(int64(3607)), Path: "token"}},
			{ConfigMap: &corev1.ConfigMapProjection{LocalObjectReference: corev1.LocalObjectReference{Name: "kube-root-ca.crt"},
				Items: []corev1.KeyToPath{{Key: "ca.crt", Path: "ca.crt"}}}},
			{DownwardAPI: &corev1.DownwardAPIProjection{Items: []corev1.DownwardAPIVolumeFile{
				{Path: "namespace", FieldRef: &corev1.ObjectFieldSelector{APIVersion: "v1", FieldPath: "metadata.namespace"}}}}},
		}}}}
}
