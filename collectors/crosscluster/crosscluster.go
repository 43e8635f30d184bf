// Package crosscluster finds what joins the clusters of one estate besides
// the internet: credentials of one cluster stored in another.
package crosscluster

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/trustpath/trustpath/collectors/estate"
	"github.com/trustpath/trustpath/graph"
)

// Cluster is one loaded cluster: its snapshot and the prefix of its keys.
type Cluster struct {
	Snapshot *estate.Snapshot
	Prefix   string
}

// kubeconfigName says whether a name or key suggests a kubeconfig.
var kubeconfigName = regexp.MustCompile(`(?i)kube-?config|kubeconf|admin\.conf`)

// Build adds an edge from every Secret that looks like a kubeconfig for
// another loaded cluster to that cluster's vertex. A Secret looks like one
// when its name or a key says kubeconfig (or it is a "config" key in a
// Secret whose name says kube), and it names the other cluster — in its
// name, or in an annotation or label value — as a whole word. The evidence
// says which; the values are never read, and trustpath never holds them.
func Build(g *graph.Builder, clusters []Cluster) {
	if len(clusters) < 2 {
		return
	}
	for _, from := range clusters {
		for _, sec := range from.Snapshot.Secrets {
			if !looksLikeKubeconfig(sec) {
				continue
			}
			for _, to := range clusters {
				if to.Snapshot == from.Snapshot {
					continue
				}
				where := mentions(sec, to.Snapshot.Cluster)
				if where == "" {
					continue
				}
				secKey := graph.NewKey(from.Prefix, graph.KindSecret, sec.Namespace, sec.Name)
				toKey := graph.NewKey(to.Prefix, graph.KindCluster, to.Snapshot.Cluster)
				err := g.AddEdge(secKey, toKey, graph.Edge{Technique: graph.TechForeignCredential,
					Evidence: []graph.Evidence{{Object: secKey, Detail: fmt.Sprintf("a kubeconfig whose %s names cluster %s", where, to.Snapshot.Cluster)}},
					Missing:  []string{fmt.Sprintf("no credentials of cluster %s stored in cluster %s", to.Snapshot.Cluster, from.Snapshot.Cluster)},
					Note:     "what the credentials may do in " + to.Snapshot.Cluster + " is not in the input; assume what its deploy identity may"})
				if err != nil {
					from.Snapshot.Report(&estate.Diagnostic{Severity: estate.Warning, Object: string(secKey), Err: err})
				}
			}
		}
	}
}

func looksLikeKubeconfig(sec *corev1.Secret) bool {
	if kubeconfigName.MatchString(sec.Name) {
		return true
	}
	for k := range sec.Data {
		if kubeconfigName.MatchString(k) || (k == "config" && strings.Contains(strings.ToLower(sec.Name), "kube")) {
			return true
		}
	}
	return false
}

// mentions returns where a Secret's metadata names a cluster as a whole
// word ("its name", "annotation description"), or "".
func mentions(sec *corev1.Secret, cluster string) string {
	word := regexp.MustCompile(`(?i)(^|[^a-z0-9])` + regexp.QuoteMeta(cluster) + `($|[^a-z0-9])`)
	if word.MatchString(sec.Name) {
		return "name"
	}
	for _, k := range sortedKeys(sec.Annotations) {
		if word.MatchString(sec.Annotations[k]) {
			return "annotation " + k
		}
	}
	for _, k := range sortedKeys(sec.Labels) {
		if word.MatchString(sec.Labels[k]) {
			return "label " + k
		}
	}
	return ""
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
