package synth

import (
	"fmt"
	"maps"
	"slices"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// tierPorts returns a main container's ports. Port names repeat across
// tiers with different numbers ("http" is 8080 in most pods, 8000 in some),
// so a named port in a policy resolves differently per pod.
func tierPorts(r source, t tier) []corev1.ContainerPort {
	tcp := func(name string, n int32) corev1.ContainerPort {
		return corev1.ContainerPort{Name: name, ContainerPort: n, Protocol: corev1.ProtocolTCP}
	}
	http := int32(8080)
	if r.chance(0.2) {
		http = 8000
	}
	switch t {
	case tierWeb:
		return []corev1.ContainerPort{tcp("http", http), tcp("metrics", 9102)}
	case tierAPI:
		if r.chance(0.3) {
			return []corev1.ContainerPort{tcp("http", http), tcp("grpc", 9090), tcp("metrics", 9102)}
		}
		return []corev1.ContainerPort{tcp("http", http), tcp("metrics", 9102)}
	case tierWorker:
		return []corev1.ContainerPort{tcp("metrics", 9102)}
	case tierDB:
		if r.chance(0.3) {
			return []corev1.ContainerPort{tcp("mysql", 3306), tcp("metrics", 9104)}
		}
		return []corev1.ContainerPort{tcp("postgres", 5432), tcp("metrics", 9187)}
	case tierCache:
		return []corev1.ContainerPort{tcp("redis", 6379)}
	}
	return nil
}

// riskyAccess returns the host access a risky workload has.
func riskyAccess(r source, k risk) hostAccess {
	switch k {
	case riskPrivileged:
		return hostAccess{privileged: true}
	case riskHostPath:
		return hostAccess{paths: []hostMount{pick(r, []hostMount{
			{name: "containerd-sock", path: "/run/containerd/containerd.sock", mountPath: "/run/containerd/containerd.sock", kind: corev1.HostPathSocket},
			{name: "docker-sock", path: "/var/run/docker.sock", mountPath: "/var/run/docker.sock", kind: corev1.HostPathSocket},
			{name: "host-root", path: "/", mountPath: "/host"},
			{name: "host-etc", path: "/etc", mountPath: "/host/etc", readOnly: true},
			{name: "varlog", path: "/var/log", mountPath: "/var/log", readOnly: true},
			{name: "kubelet", path: "/var/lib/kubelet", mountPath: "/var/lib/kubelet", readOnly: true},
		})}}
	case riskHostNetwork:
		return hostAccess{network: true}
	case riskHostPID:
		return hostAccess{pid: true, capabilities: []corev1.Capability{"SYS_PTRACE"}}
	case riskCapability:
		return hostAccess{capabilities: []corev1.Capability{pick(r, []corev1.Capability{"SYS_ADMIN", "NET_ADMIN", "SYS_MODULE"})}}
	case riskRoot:
		return hostAccess{root: true, hostPort: 8443}
	}
	return hostAccess{}
}

// sidecars run beside the main container of pods with more than one.
var sidecars = []corev1.Container{
	{Name: "envoy", Image: "docker.io/envoyproxy/envoy:v1.31.2",
		Ports: []corev1.ContainerPort{{Name: "envoy-admin", ContainerPort: 9901, Protocol: corev1.ProtocolTCP}}},
	{Name: "log-shipper", Image: "docker.io/fluent/fluent-bit:3.1.9"},
}

// template returns the pod template of w.
func (g *nsGen) template(w *workloadPlan) corev1.PodTemplateSpec {
	t := corev1.PodTemplateSpec{}
	t.Labels = maps.Clone(w.labels)
	if !w.system && g.r.chance(0.3) {
		t.Annotations = map[string]string{"prometheus.io/scrape": "true", "prometheus.io/port": "9102"}
	}
	spec := &t.Spec
	spec.ServiceAccountName = w.account
	if w.noToken {
		spec.AutomountServiceAccountToken = new(false)
	}
	if !w.system { // every namespace has its pull Secret
		spec.ImagePullSecrets = []corev1.LocalObjectReference{{Name: "regcred"}}
	}
	main := corev1.Container{
		Name:  "app",
		Image: w.image,
		Ports: slices.Clone(w.ports),
		Env: []corev1.EnvVar{
			{Name: "SERVICE_NAME", Value: w.name},
			{Name: "LOG_LEVEL", Value: pick(g.r, []string{"info", "warn", "debug"})},
			{Name: "POD_NAME", ValueFrom: &corev1.EnvVarSource{FieldRef: &corev1.ObjectFieldSelector{FieldPath: "metadata.name"}}},
		},
		Resources: corev1.ResourceRequirements{
			Requests: corev1.ResourceList{
				corev1.ResourceCPU:    resource.MustParse(pick(g.r, []string{"50m", "100m", "250m", "500m"})),
				corev1.ResourceMemory: resource.MustParse(pick(g.r, []string{"64Mi", "128Mi", "256Mi", "512Mi"})),
			},
			Limits: corev1.ResourceList{corev1.ResourceMemory: resource.MustParse(pick(g.r, []string{"256Mi", "512Mi", "1Gi"}))},
		},
	}
	if w.system {
		main.Name = w.name
	}
	if w.secret != "" {
		main.Env = append(main.Env, corev1.EnvVar{Name: "PASSWORD", ValueFrom: &corev1.EnvVarSource{
			SecretKeyRef: &corev1.SecretKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: w.secret}, Key: "password"}}})
		if g.r.chance(0.5) {
			spec.Volumes = append(spec.Volumes, corev1.Volume{Name: "credentials",
				VolumeSource: corev1.VolumeSource{Secret: &corev1.SecretVolumeSource{SecretName: w.secret}}})
			main.VolumeMounts = append(main.VolumeMounts, corev1.VolumeMount{Name: "credentials", MountPath: "/etc/credentials", ReadOnly: true})
		}
	}
	if w.config != "" {
		main.EnvFrom = []corev1.EnvFromSource{{ConfigMapRef: &corev1.ConfigMapEnvSource{LocalObjectReference: corev1.LocalObjectReference{Name: w.config}}}}
	}
	if len(w.ports) > 0 && w.ports[0].Name == "http" {
		probe := &corev1.Probe{ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: "/healthz", Port: intstr.FromString("http")}},
			PeriodSeconds: 10}
		main.ReadinessProbe, main.LivenessProbe = probe, probe
	}
	if w.hardened {
		spec.SecurityContext = &corev1.PodSecurityContext{RunAsNonRoot: new(true), RunAsUser: new(int64(10001)),
			SeccompProfile: &corev1.SeccompProfile{Type: corev1.SeccompProfileTypeRuntimeDefault}}
		main.SecurityContext = &corev1.SecurityContext{AllowPrivilegeEscalation: new(false), ReadOnlyRootFilesystem: new(true),
			Capabilities: &corev1.Capabilities{Drop: []corev1.Capability{"ALL"}}}
	}
	g.hostAccess(spec, &main, w.host)
	spec.Containers = []corev1.Container{main}
	for i := 1; i < w.containers; i++ {
		sc := *sidecars[(i-1)%len(sidecars)].DeepCopy()
		if w.hardened {
			sc.SecurityContext = main.SecurityContext.DeepCopy()
			sc.SecurityContext.Capabilities = &corev1.Capabilities{Drop: []corev1.Capability{"ALL"}}
		}
		spec.Containers = append(spec.Containers, sc)
	}
	if w.kind == kindStatefulSet && w.tier == tierDB && !w.system {
		spec.InitContainers = []corev1.Container{{Name: "init-permissions", Image: "docker.io/library/busybox:1.36",
			Command: []string{"sh", "-c", "chown -R 10001 /data"}, VolumeMounts: []corev1.VolumeMount{{Name: "data", MountPath: "/data"}}}}
	}
	switch w.kind {
	case kindCronJob, kindJob:
		spec.RestartPolicy = corev1.RestartPolicyOnFailure
	}
	return t
}

// hostAccess applies what a workload may touch of its node.
func (g *nsGen) hostAccess(spec *corev1.PodSpec, c *corev1.Container, h hostAccess) {
	spec.HostNetwork, spec.HostPID = h.network, h.pid
	if h.network {
		spec.DNSPolicy = corev1.DNSClusterFirstWithHostNet
	}
	if h.privileged || len(h.capabilities) > 0 || h.root {
		if c.SecurityContext == nil {
			c.SecurityContext = &corev1.SecurityContext{}
		}
		if h.privileged {
			c.SecurityContext.Privileged = new(true)
		}
		if len(h.capabilities) > 0 {
			c.SecurityContext.Capabilities = &corev1.Capabilities{Add: h.capabilities}
		}
		if h.root {
			c.SecurityContext.RunAsUser = new(int64(0))
			c.SecurityContext.AllowPrivilegeEscalation = new(true)
		}
	}
	if h.hostPort != 0 {
		c.Ports = append(c.Ports, corev1.ContainerPort{Name: "admin", ContainerPort: h.hostPort, HostPort: h.hostPort, Protocol: corev1.ProtocolTCP})
	}
	for _, m := range h.paths {
		src := &corev1.HostPathVolumeSource{Path: m.path}
		if m.kind != "" {
			src.Type = new(m.kind)
		}
		spec.Volumes = append(spec.Volumes, corev1.Volume{Name: m.name, VolumeSource: corev1.VolumeSource{HostPath: src}})
		c.VolumeMounts = append(c.VolumeMounts, corev1.VolumeMount{Name: m.name, MountPath: m.mountPath, ReadOnly: m.readOnly})
	}
}

// podName returns the name of a pod a controller made.
func podName(owner string, r source) string { return fmt.Sprintf("%s-%s", owner, r.suffix(5)) }

// ownedBy returns the controller reference to an owner.
func ownedBy(apiVersion, kind, name, uid string) []metav1.OwnerReference {
	return []metav1.OwnerReference{{APIVersion: apiVersion, Kind: kind, Name: name, UID: types.UID(uid),
		Controller: new(true), BlockOwnerDeletion: new(true)}}
}
