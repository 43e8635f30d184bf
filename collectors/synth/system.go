package synth

import (
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
)

// systemNamespaces returns the namespaces every generated cluster runs: DNS
// and networking, monitoring, the ingress controller and a GitOps
// controller, with what such clusters typically grant them.
func (c *clusterPlan) systemNamespaces() []*nsPlan {
	ns := func(name string, ws ...*workloadPlan) *nsPlan {
		for _, w := range ws {
			w.system = true
			if w.containers == 0 {
				w.containers = 1
			}
			w.labels["app.kubernetes.io/part-of"] = name
		}
		return &nsPlan{cluster: c, name: name, system: true, team: "platform", env: "prod", workloads: ws}
	}
	nodes := len(c.nodes)
	modules := hostMount{name: "lib-modules", path: "/lib/modules", mountPath: "/lib/modules", readOnly: true, kind: corev1.HostPathDirectory}
	return []*nsPlan{
		ns("kube-system",
			&workloadPlan{name: "coredns", kind: kindDeployment, tier: tierAPI, replicas: 2, account: "coredns",
				labels: map[string]string{"k8s-app": "kube-dns"}, image: "registry.k8s.io/coredns/coredns:v1.11.3",
				ports: []corev1.ContainerPort{
					{Name: "dns", ContainerPort: 53, Protocol: corev1.ProtocolUDP},
					{Name: "dns-tcp", ContainerPort: 53, Protocol: corev1.ProtocolTCP},
					{Name: "metrics", ContainerPort: 9153, Protocol: corev1.ProtocolTCP}},
				service: corev1.ServiceTypeClusterIP, hardened: true},
			&workloadPlan{name: "metrics-server", kind: kindDeployment, tier: tierAPI, replicas: 1, account: "metrics-server",
				labels: map[string]string{"k8s-app": "metrics-server"}, image: "registry.k8s.io/metrics-server/metrics-server:v0.7.2",
				ports:   []corev1.ContainerPort{{Name: "https", ContainerPort: 10250, Protocol: corev1.ProtocolTCP}},
				service: corev1.ServiceTypeClusterIP, hardened: true},
			&workloadPlan{name: "kube-proxy", kind: kindDaemonSet, tier: tierWorker, replicas: nodes, account: "kube-proxy",
				labels: map[string]string{"k8s-app": "kube-proxy"}, image: "registry.k8s.io/kube-proxy:v1.31.4",
				host: hostAccess{network: true, privileged: true, paths: []hostMount{
					{name: "xtables-lock", path: "/run/xtables.lock", mountPath: "/run/xtables.lock", kind: corev1.HostPathFileOrCreate},
					modules}}},
			&workloadPlan{name: "calico-node", kind: kindDaemonSet, tier: tierWorker, replicas: nodes, account: "calico-node",
				labels: map[string]string{"k8s-app": "calico-node"}, image: "docker.io/calico/node:v3.28.2",
				ports: []corev1.ContainerPort{{Name: "metrics", ContainerPort: 9091, Protocol: corev1.ProtocolTCP}},
				host: hostAccess{network: true, privileged: true, paths: []hostMount{
					modules,
					{name: "var-run-calico", path: "/var/run/calico", mountPath: "/var/run/calico", kind: corev1.HostPathDirectoryOrCreate},
					{name: "cni-net-dir", path: "/etc/cni/net.d", mountPath: "/host/etc/cni/net.d", kind: corev1.HostPathDirectoryOrCreate},
					{name: "cni-bin-dir", path: "/opt/cni/bin", mountPath: "/host/opt/cni/bin", kind: corev1.HostPathDirectoryOrCreate}}}},
		),
		ns("monitoring",
			&workloadPlan{name: "prometheus", kind: kindStatefulSet, tier: tierDB, replicas: 2, account: "prometheus",
				labels: map[string]string{"app.kubernetes.io/name": "prometheus"}, image: "quay.io/prometheus/prometheus:v2.54.1",
				ports:   []corev1.ContainerPort{{Name: "web", ContainerPort: 9090, Protocol: corev1.ProtocolTCP}},
				service: corev1.ServiceTypeClusterIP, hardened: true},
			&workloadPlan{name: "grafana", kind: kindDeployment, tier: tierWeb, replicas: 1, account: "grafana",
				labels: map[string]string{"app.kubernetes.io/name": "grafana"}, image: "docker.io/grafana/grafana:11.2.0",
				ports:   []corev1.ContainerPort{{Name: "http", ContainerPort: 3000, Protocol: corev1.ProtocolTCP}},
				service: corev1.ServiceTypeClusterIP, secret: "grafana-admin"},
			&workloadPlan{name: "node-exporter", kind: kindDaemonSet, tier: tierWorker, replicas: nodes, account: "node-exporter",
				labels: map[string]string{"app.kubernetes.io/name": "node-exporter"}, image: "quay.io/prometheus/node-exporter:v1.8.2",
				ports: []corev1.ContainerPort{{Name: "metrics", ContainerPort: 9100, Protocol: corev1.ProtocolTCP}},
				host: hostAccess{network: true, pid: true, paths: []hostMount{
					{name: "root", path: "/", mountPath: "/host/root", readOnly: true},
					{name: "proc", path: "/proc", mountPath: "/host/proc", readOnly: true},
					{name: "sys", path: "/sys", mountPath: "/host/sys", readOnly: true}}}},
		),
		ns("ingress-nginx",
			&workloadPlan{name: "ingress-nginx-controller", kind: kindDeployment, tier: tierWeb, replicas: 2, account: "ingress-nginx",
				labels: map[string]string{"app.kubernetes.io/name": "ingress-nginx", "app.kubernetes.io/component": "controller"},
				image:  "registry.k8s.io/ingress-nginx/controller:v1.11.2",
				ports: []corev1.ContainerPort{
					{Name: "http", ContainerPort: 80, Protocol: corev1.ProtocolTCP},
					{Name: "https", ContainerPort: 443, Protocol: corev1.ProtocolTCP},
					{Name: "metrics", ContainerPort: 10254, Protocol: corev1.ProtocolTCP}},
				service: corev1.ServiceTypeLoadBalancer,
				host:    hostAccess{capabilities: []corev1.Capability{"NET_BIND_SERVICE"}}},
		),
		ns("argocd",
			&workloadPlan{name: "argocd-server", kind: kindDeployment, tier: tierWeb, replicas: 1, account: "argocd-server",
				labels: map[string]string{"app.kubernetes.io/name": "argocd-server"}, image: "quay.io/argoproj/argocd:v2.12.4",
				ports:   []corev1.ContainerPort{{Name: "server", ContainerPort: 8080, Protocol: corev1.ProtocolTCP}},
				service: corev1.ServiceTypeClusterIP, hardened: true},
			&workloadPlan{name: "argocd-repo-server", kind: kindDeployment, tier: tierAPI, replicas: 1, account: "argocd-repo-server",
				labels: map[string]string{"app.kubernetes.io/name": "argocd-repo-server"}, image: "quay.io/argoproj/argocd:v2.12.4",
				ports:   []corev1.ContainerPort{{Name: "server", ContainerPort: 8081, Protocol: corev1.ProtocolTCP}},
				service: corev1.ServiceTypeClusterIP, hardened: true},
			&workloadPlan{name: "argocd-application-controller", kind: kindStatefulSet, tier: tierWorker, replicas: 1,
				account: "argocd-application-controller",
				labels:  map[string]string{"app.kubernetes.io/name": "argocd-application-controller"}, image: "quay.io/argoproj/argocd:v2.12.4",
				ports:    []corev1.ContainerPort{{Name: "metrics", ContainerPort: 8082, Protocol: corev1.ProtocolTCP}},
				hardened: true},
		),
	}
}

// systemClusterRoles are the ClusterRoles the system workloads are bound
// to, besides the built-in ones.
func systemClusterRoles() []*rbacv1.ClusterRole {
	role := func(name string, rules ...rbacv1.PolicyRule) *rbacv1.ClusterRole {
		cr := &rbacv1.ClusterRole{Rules: rules}
		cr.Name = name
		return cr
	}
	read := []string{"get", "list", "watch"}
	return []*rbacv1.ClusterRole{
		role("coredns",
			rbacv1.PolicyRule{APIGroups: []string{""}, Resources: []string{"endpoints", "services", "pods", "namespaces"}, Verbs: []string{"list", "watch"}},
			rbacv1.PolicyRule{APIGroups: []string{"discovery.k8s.io"}, Resources: []string{"endpointslices"}, Verbs: []string{"list", "watch"}}),
		role("system:metrics-server",
			rbacv1.PolicyRule{APIGroups: []string{""}, Resources: []string{"nodes/metrics"}, Verbs: []string{"get"}},
			rbacv1.PolicyRule{APIGroups: []string{""}, Resources: []string{"pods", "nodes"}, Verbs: read}),
		role("prometheus",
			rbacv1.PolicyRule{APIGroups: []string{""}, Resources: []string{"nodes", "nodes/metrics", "services", "endpoints", "pods"}, Verbs: read},
			rbacv1.PolicyRule{NonResourceURLs: []string{"/metrics"}, Verbs: []string{"get"}}),
		// The ingress controller reads every Secret: the TLS certificates
		// of any namespace's Ingress.
		role("ingress-nginx",
			rbacv1.PolicyRule{APIGroups: []string{""}, Resources: []string{"configmaps", "endpoints", "nodes", "pods", "secrets", "namespaces"}, Verbs: []string{"list", "watch"}},
			rbacv1.PolicyRule{APIGroups: []string{""}, Resources: []string{"services"}, Verbs: read},
			rbacv1.PolicyRule{APIGroups: []string{"networking.k8s.io"}, Resources: []string{"ingresses", "ingressclasses"}, Verbs: read},
			rbacv1.PolicyRule{APIGroups: []string{"networking.k8s.io"}, Resources: []string{"ingresses/status"}, Verbs: []string{"update"}}),
	}
}

// systemClusterRoleBindings bind the system's accounts and the platform
// team: subject kind, namespace and name, then the ClusterRole.
var systemClusterRoleBindings = []struct {
	name, kind, namespace, subject, role string
}{
	{"argocd-application-controller", rbacv1.ServiceAccountKind, "argocd", "argocd-application-controller", "cluster-admin"},
	{"coredns", rbacv1.ServiceAccountKind, "kube-system", "coredns", "coredns"},
	{"ingress-nginx", rbacv1.ServiceAccountKind, "ingress-nginx", "ingress-nginx", "ingress-nginx"},
	{"platform-admins", rbacv1.GroupKind, "", "platform-admins", "cluster-admin"},
	{"prometheus", rbacv1.ServiceAccountKind, "monitoring", "prometheus", "prometheus"},
	{"system:metrics-server", rbacv1.ServiceAccountKind, "kube-system", "metrics-server", "system:metrics-server"},
}
