package graph

import (
	"fmt"
	"slices"
	"strings"
)

// Key identifies a vertex: KIND/NAMESPACE/NAME for namespaced objects,
// KIND/NAME for cluster-scoped ones, "internet" and "cluster-admin" alone, and
// container/NAMESPACE/WORKLOAD/NAME for containers. With several clusters
// loaded, every key but "internet" is prefixed by its cluster and a colon
// (prod:deployment/shop/web).
type Key string

// NewKey returns the key of a vertex of kind k in cluster (empty when only
// one cluster is loaded) named by parts. It panics when the number of parts
// does not fit the kind, since that is a programming error.
func NewKey(cluster string, k Kind, parts ...string) Key {
	if len(parts) != k.segments() {
		panic(fmt.Sprintf("graph: key of kind %s needs %d parts, got %q", k, k.segments(), parts))
	}
	// Sized first: builders add millions of keys, and growing one by its
	// parts costs an allocation per part.
	n := len(cluster) + 1 + len(k)
	for _, p := range parts {
		n += 1 + len(p)
	}
	var b strings.Builder
	b.Grow(n)
	if cluster != "" && k != KindInternet {
		b.WriteString(cluster)
		b.WriteByte(':')
	}
	b.WriteString(string(k))
	for _, p := range parts {
		b.WriteByte('/')
		b.WriteString(p)
	}
	return Key(b.String())
}

// Internet is the key of the external attacker.
const Internet Key = "internet"

// splitCluster cuts a key into its cluster prefix and the rest. The prefix
// ends at the first colon before any slash: names may hold colons of their
// own (user/system:anonymous, group/system:masters).
func splitCluster(s string) (cluster, rest string) {
	i := strings.IndexByte(s, ':')
	if i < 0 || strings.IndexByte(s[:i], '/') >= 0 {
		return "", s
	}
	return s[:i], s[i+1:]
}

// Cluster returns the cluster prefix of k, or "" when it has none.
func (k Key) Cluster() string {
	c, _ := splitCluster(string(k))
	return c
}

// Kind returns the kind segment of k.
func (k Key) Kind() Kind {
	_, rest := splitCluster(string(k))
	kind, _, _ := strings.Cut(rest, "/")
	return Kind(kind)
}

// KeyError reports a key that cannot be parsed.
type KeyError struct {
	Input  string
	Reason string
}

func (e *KeyError) Error() string {
	return fmt.Sprintf("invalid key %q: %s", e.Input, e.Reason)
}

// ParseKey normalises a key typed by a user: it accepts the kubectl short
// names (sa, deploy, svc, ns, …) and returns the canonical key.
func ParseKey(s string) (Key, error) {
	cluster, rest := splitCluster(s)
	if cluster == "" && strings.HasPrefix(s, ":") {
		return "", &KeyError{s, "empty cluster before ':'"}
	}
	parts := strings.Split(rest, "/")
	kind := Kind(strings.ToLower(parts[0]))
	if a, ok := kindAliases[string(kind)]; ok {
		kind = a
	}
	if !knownKind(kind) {
		return "", &KeyError{s, fmt.Sprintf("unknown kind %q; known kinds: %s", parts[0], strings.Join(KnownKinds(), ", "))}
	}
	if len(parts)-1 != kind.segments() {
		return "", &KeyError{s, fmt.Sprintf("a %s key has the form %s", kind, keyForm(kind))}
	}
	if slices.Contains(parts[1:], "") {
		return "", &KeyError{s, "empty name segment"}
	}
	return NewKey(cluster, kind, parts[1:]...), nil
}

// KnownKinds lists the kinds accepted in keys, sorted.
func KnownKinds() []string {
	kinds := []string{}
	for _, k := range []Kind{KindInternet, KindUser, KindGroup, KindCluster, KindNode,
		KindNamespace, KindDeployment, KindStatefulSet, KindDaemonSet, KindReplicaSet,
		KindReplicationController, KindJob, KindCronJob, KindPod, KindContainer,
		KindServiceAccount, KindSecret, KindService, KindIngress, KindClusterAdmin,
		KindNamespaceAdmin, KindPodNetwork, KindSchedulable, KindAnyNode, KindPodCreation, KindPodControl} {
		kinds = append(kinds, string(k))
	}
	slices.Sort(kinds)
	return kinds
}

func keyForm(k Kind) string {
	switch k.segments() {
	case 0:
		return string(k)
	case 1:
		return string(k) + "/NAME"
	case 3:
		return string(k) + "/NAMESPACE/WORKLOAD/NAME"
	}
	return string(k) + "/NAMESPACE/NAME"
}
