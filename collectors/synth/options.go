package synth

import (
	"errors"
	"fmt"
)

// Format is how objects are written.
type Format string

// The formats Write knows.
const (
	// YAML is multi-document YAML, one document per object, as
	// kubectl get -o yaml or a GitOps repository has them.
	YAML Format = "yaml"
	// JSON is one kubectl-style v1 List per file, indented as
	// kubectl get -o json indents it.
	JSON Format = "json"
)

// Options are the generator's knobs. Counts are for the whole estate,
// across clusters. Start from Defaults: a zero count is invalid, not
// "the default".
type Options struct {
	Seed     uint64
	Pods     int // running pods, DaemonSet pods included
	Clusters int
	Nodes    int
	// Namespaces includes the four system namespaces of each cluster
	// (kube-system, monitoring, ingress-nginx, argocd).
	Namespaces int
	// Workloads are the application pod templates: Deployments,
	// StatefulSets, CronJobs, Jobs and bare Pods. Replicas are spread over
	// them, skewed as real estates are (most run 1–3, a few run dozens).
	Workloads int
	// Containers is the most containers a pod runs (sidecars); most run one.
	Containers int
	// LabelValues is the number of distinct values of the shared labels
	// (component, track) that policies and services select on.
	LabelValues int
	// Policies is the number of NetworkPolicies per namespace on average;
	// about one namespace in seven has none.
	Policies int
	// Bindings are RoleBindings and ClusterRoleBindings, in total.
	Bindings int
	// Services and Ingresses, in total (Services of the system namespaces
	// excluded).
	Services  int
	Ingresses int
	// Secrets, in total; every namespace holds at least an image pull
	// Secret.
	Secrets int
	// RiskRate is the share of workloads and bindings given a risky
	// setting: privileged, hostPath, hostNetwork, hostPID, added
	// capabilities, broad or wildcard RBAC, legacy token Secrets.
	RiskRate float64
	// Dump writes the estate as a cluster dump reads: ReplicaSets and Pods
	// owned by their Deployments, Pods of StatefulSets, DaemonSets and
	// Jobs with nodeName spread over the nodes, status, uid and
	// resourceVersion. Without it the estate reads as manifests do.
	Dump   bool
	Format Format
	// SingleFile writes each cluster as one file instead of one per
	// namespace.
	SingleFile bool
}

// daemonSets is the number of DaemonSets of each cluster (kube-proxy,
// calico-node, node-exporter): each runs a pod on every node.
const daemonSets = 3

// systemPods are the pods of each cluster's system Deployments and
// StatefulSets: coredns 2, metrics-server 1, prometheus 2, grafana 1,
// ingress-nginx 2, argocd 3.
const systemPods = 11

// maxNodes is the most nodes of one cluster: each gets a /24 pod range
// in 100.64.0.0/10.
const maxNodes = 1 << 14

// systemNamespaces is the number of system namespaces of each cluster.
const systemNamespaces = 4

// Defaults returns the options for an estate of pods pods. For 50,000 pods
// they give 2,000 nodes, 1,000 namespaces, 5,000 NetworkPolicies and 20,000
// bindings.
func Defaults(pods int) Options {
	o := Options{
		Seed:        1,
		Pods:        pods,
		Clusters:    1,
		Nodes:       max(1, pods/25),
		Namespaces:  max(systemNamespaces+1, pods/50),
		Containers:  3,
		LabelValues: 8,
		Policies:    5,
		Bindings:    max(10, pods*2/5),
		RiskRate:    0.02,
		Format:      YAML,
	}
	// Workloads take the pods the system leaves: about four replicas each.
	app := pods - daemonSets*o.Nodes - systemPods
	o.Workloads = max(1, app/4)
	o.Services = o.Workloads * 4 / 5
	o.Ingresses = max(1, o.Namespaces/3)
	o.Secrets = max(o.Namespaces, pods/4)
	return o
}

// Validate reports options the generator cannot honour, naming the flag's
// quantity.
func (o *Options) Validate() error {
	var errs []error
	positive := func(name string, v int) {
		if v < 1 {
			errs = append(errs, fmt.Errorf("%s must be at least 1, got %d", name, v))
		}
	}
	positive("clusters", o.Clusters)
	positive("nodes", o.Nodes)
	positive("workloads", o.Workloads)
	positive("containers", o.Containers)
	positive("label values", o.LabelValues)
	if o.Policies < 0 || o.Bindings < 0 || o.Services < 0 || o.Ingresses < 0 || o.Secrets < 0 {
		errs = append(errs, fmt.Errorf("policies, bindings, services, ingresses and secrets must not be negative"))
	}
	if o.RiskRate < 0 || o.RiskRate > 1 {
		errs = append(errs, fmt.Errorf("risk rate must be between 0 and 1, got %g", o.RiskRate))
	}
	if o.Format != YAML && o.Format != JSON {
		errs = append(errs, fmt.Errorf("format must be yaml or json, got %q", o.Format))
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	if perCluster := (o.Nodes + o.Clusters - 1) / o.Clusters; perCluster > maxNodes {
		errs = append(errs, fmt.Errorf("%d nodes per cluster are more than the %d the generated pod ranges hold; add clusters", perCluster, maxNodes))
	}
	if o.Nodes < o.Clusters {
		errs = append(errs, fmt.Errorf("%d nodes cannot make %d clusters: each needs one", o.Nodes, o.Clusters))
	}
	if min := o.Clusters * (systemNamespaces + 1); o.Namespaces < min {
		errs = append(errs, fmt.Errorf("%d namespaces are too few for %d cluster(s): each has %d system namespaces and needs one for applications, so at least %d",
			o.Namespaces, o.Clusters, systemNamespaces, min))
	}
	if appNS := o.Namespaces - o.Clusters*systemNamespaces; appNS > 0 && o.Workloads < appNS {
		errs = append(errs, fmt.Errorf("%d workloads are too few for %d application namespaces: each needs one", o.Workloads, appNS))
	}
	if need := o.Nodes*daemonSets + o.Clusters*systemPods + o.Workloads; o.Pods < need {
		errs = append(errs, fmt.Errorf("%d pods are too few: %d DaemonSets put %d pods on %d nodes, the system workloads run %d, and %d workloads need one each, so at least %d",
			o.Pods, daemonSets, o.Nodes*daemonSets, o.Nodes, o.Clusters*systemPods, o.Workloads, need))
	}
	return errors.Join(errs...)
}
