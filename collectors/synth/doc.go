// Package synth generates synthetic Kubernetes estates for trustpath's
// benchmarks and for trying trustpath at scale: Nodes, namespaces,
// workloads with their pods, Services and Ingresses, NetworkPolicies,
// ServiceAccounts, RBAC and Secrets, shaped as real clusters are.
//
// # Shape
//
// Every count derives from the number of pods (see [Defaults]); 50,000
// pods give 2,000 nodes, 1,000 namespaces, about 12,500 workloads, 5,000
// NetworkPolicies and 20,000 bindings. Each cluster runs the same system:
// kube-proxy, calico-node and node-exporter as DaemonSets (privileged,
// hostNetwork, hostPath, as they really are), coredns and metrics-server,
// Prometheus and Grafana, the ingress-nginx controller behind a
// LoadBalancer, and Argo CD bound to cluster-admin. Application namespaces
// vary in size (log-normal), replicas are skewed (most workloads run a
// few pods, some run dozens), and about one namespace in seven has no
// NetworkPolicy. A small share of workloads and bindings, the risk rate,
// is risky: privileged containers, sensitive hostPath mounts, host
// namespaces, added capabilities, root with a hostPort, cluster-admin or
// wildcard grants, legacy token Secrets.
//
// # Output
//
// [Write] puts each cluster's objects in one file per namespace plus
// cluster.yaml for Nodes, ClusterRoles and ClusterRoleBindings, as
// multi-document YAML or as kubectl-style JSON Lists. With Options.Dump
// the estate reads as `kubectl get -A -o json` returns it: Deployments
// with their ReplicaSets and Pods, Pods of StatefulSets, DaemonSets and
// Jobs spread over the nodes, status, uids, and kubectl's
// last-applied-configuration on what a person applied. Secret values are
// fake ("synthetic-…").
//
// # Determinism
//
// The same options give byte-identical files. Each namespace draws from
// its own random source derived from the seed, so a namespace's objects
// depend on the plan (names, sizes, what other namespaces hold) and the
// seed, not on what was written before it.
package synth
