package collectors

import (
	"cmp"
	"strings"

	"github.com/trustpath/trustpath/collectors/estate"
	"github.com/trustpath/trustpath/graph"
)

// apiKinds maps the kind segment of a key to the API kind the snapshot
// records sources by.
var apiKinds = map[string]string{
	"namespace": "Namespace", "node": "Node", "pod": "Pod", "deployment": "Deployment",
	"statefulset": "StatefulSet", "daemonset": "DaemonSet", "replicaset": "ReplicaSet",
	"replicationcontroller": "ReplicationController", "job": "Job", "cronjob": "CronJob",
	"serviceaccount": "ServiceAccount", "secret": "Secret", "configmap": "ConfigMap", "service": "Service",
	"ingress": "Ingress", "networkpolicy": "NetworkPolicy", "role": "Role", "clusterrole": "ClusterRole",
	"rolebinding": "RoleBinding", "clusterrolebinding": "ClusterRoleBinding",
}

// SourceOf returns where the object a key names was read: the file and line
// of its manifest, for messages and SARIF. The key is a vertex key or an
// evidence key (prod:rolebinding/shop/dev, clusterrolebinding/ops); a
// container is found at its pod group's manifest. ok is false for what
// the input did not hold (a default service account, the internet) and for
// objects read from a live cluster, which have no file.
func (r *Result) SourceOf(key string) (estate.Source, bool) {
	snap, kind, ns, name := r.parse(key)
	if snap == nil {
		return estate.Source{}, false
	}
	if kind == "container" {
		if v := r.Graph.Lookup(graph.Key(key)); v != nil && v.Loc.Pod != "" {
			return r.SourceOf(string(v.Loc.Pod))
		}
		return estate.Source{}, false
	}
	api := apiKinds[kind]
	if api == "" {
		return estate.Source{}, false
	}
	src, ok := snap.Sources[estate.Ref{Kind: api, Namespace: ns, Name: name}]
	return src, ok && src.File != ""
}

// NearestSource is SourceOf, falling back for an object the input does not
// hold to its Namespace's manifest, else the first manifest (by file and
// line) of its namespace, then of its cluster: code-scanning tools need a
// file for every result, and that is where a missing object would be added.
func (r *Result) NearestSource(key string) (estate.Source, bool) {
	if src, ok := r.SourceOf(key); ok {
		return src, true
	}
	snap, kind, ns, name := r.parse(key)
	if snap == nil {
		return estate.Source{}, false
	}
	if kind == "namespace" {
		ns = name
	}
	if src, ok := snap.Sources[estate.Ref{Kind: "Namespace", Name: ns}]; ns != "" && ok && src.File != "" {
		return src, true // the namespace's own manifest
	}
	var best, inCluster estate.Source
	for ref, src := range snap.Sources {
		if src.File == "" {
			continue
		}
		if ns != "" && ref.Namespace == ns && (best.File == "" || before(src, best)) {
			best = src
		}
		if inCluster.File == "" || before(src, inCluster) {
			inCluster = src
		}
	}
	if best.File == "" {
		best = inCluster
	}
	return best, best.File != ""
}

func before(a, b estate.Source) bool {
	return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Document, b.Document),
		cmp.Compare(a.Item, b.Item)) < 0
}

// parse splits a key into its cluster's snapshot, kind, namespace and name.
// The namespace is empty for cluster-scoped kinds; a container's name is its
// workload and container name.
func (r *Result) parse(key string) (snap *estate.Snapshot, kind, ns, name string) {
	k := graph.Key(key)
	prefix := k.Cluster()
	rest := strings.TrimPrefix(key, prefix+":")
	if prefix == "" {
		rest = key
	}
	for _, c := range r.Clusters {
		if c.Prefix == prefix {
			snap = c.Snapshot
		}
	}
	kind, path, _ := strings.Cut(rest, "/")
	switch kind {
	case "namespace", "node", "clusterrole", "clusterrolebinding", "user", "group", "cluster":
		return snap, kind, "", path
	}
	ns, name, _ = strings.Cut(path, "/")
	return snap, kind, ns, name
}
