package graph

// Kind is the kind of a vertex, written as the first segment of its [Key].
type Kind string

// Vertex kinds. Workload kinds name the controller that owns a pod group.
const (
	KindInternet  Kind = "internet" // the external attacker
	KindUser      Kind = "user"
	KindGroup     Kind = "group"
	KindCluster   Kind = "cluster"
	KindNode      Kind = "node"
	KindNamespace Kind = "namespace"

	KindDeployment            Kind = "deployment"
	KindStatefulSet           Kind = "statefulset"
	KindDaemonSet             Kind = "daemonset"
	KindReplicaSet            Kind = "replicaset"
	KindReplicationController Kind = "replicationcontroller"
	KindJob                   Kind = "job"
	KindCronJob               Kind = "cronjob"
	KindPod                   Kind = "pod"

	KindContainer      Kind = "container"
	KindServiceAccount Kind = "serviceaccount"
	KindSecret         Kind = "secret"
	KindService        Kind = "service"
	KindIngress        Kind = "ingress"

	// PodNetwork is a cluster's pod network seen as one transit vertex: "any
	// pod whose egress is open". It keeps a cluster without policies from
	// needing an edge per pod pair. Paths pass through it; analyses take the
	// boundaries of such a path between the vertices on either side.
	KindPodNetwork Kind = "pod-network"

	// Schedulable is what any node of a cluster may run, seen as one transit
	// vertex: the pod groups not pinned to a node, and every DaemonSet. Each
	// node has one edge to it and it has one edge to each such container,
	// token and Secret, so a cluster costs O(nodes + pod groups) edges for
	// "an attacker on a node controls what runs there", not O(nodes × pod
	// groups). Pod groups pinned to a node have direct edges from it.
	KindSchedulable Kind = "schedulable"

	// AnyNode is a cluster's nodes seen as one vertex: the node a pod lands
	// on when nothing pins it to one. That is the attacker's pick for a pod
	// it creates (nodeName is a field of the pod) and the scheduler's for a
	// running pod that escapes. It has one edge to every node, so an escape
	// or a privileged pod costs one edge, not one per node. Unlike a
	// transit vertex it is an outcome of its own (root on a node, whichever
	// it is): its location is host-level (Location.Node is AnyNode) and the
	// analysis takes it as a node.
	KindAnyNode Kind = "any-node"

	// PodCreation and PodControl are what holding a right in one namespace
	// gives, as one vertex per namespace: create pods there (run as any of
	// its accounts, mount any of its Secrets, and, where Pod Security admits
	// it, a privileged pod on any node), and run code in its pods (exec,
	// attach, patching workloads). Identities have one edge to them instead
	// of one per object.
	KindPodCreation Kind = "create-pods"
	KindPodControl  Kind = "control-pods"

	// Privilege targets: what an identity becomes when it holds these rights.
	KindClusterAdmin   Kind = "cluster-admin"
	KindNamespaceAdmin Kind = "namespace-admin"
)

// kindAliases are the short names accepted on input, as kubectl accepts them.
var kindAliases = map[string]Kind{
	"sa": KindServiceAccount, "deploy": KindDeployment, "ds": KindDaemonSet,
	"sts": KindStatefulSet, "rs": KindReplicaSet, "rc": KindReplicationController,
	"cj": KindCronJob, "po": KindPod, "svc": KindService, "ing": KindIngress,
	"ns": KindNamespace, "no": KindNode,
}

// IsWorkload reports whether vertices of kind k are pod groups.
func (k Kind) IsWorkload() bool {
	switch k {
	case KindDeployment, KindStatefulSet, KindDaemonSet, KindReplicaSet,
		KindReplicationController, KindJob, KindCronJob, KindPod:
		return true
	}
	return false
}

// IsTransit reports whether vertices of kind k are crossed on the way to
// others rather than reached for their own sake (the pod network hub, what
// any node may run): paths pass through them and the boundary of such a
// step is taken between the vertices on either side.
func (k Kind) IsTransit() bool {
	return k == KindPodNetwork || k == KindSchedulable
}

// IsSet reports whether vertices of kind k stand for a set of others: the
// transit vertices and any-node. Lists of what an attacker reaches, and
// choke points, name the members, not the set.
func (k Kind) IsSet() bool {
	return k.IsTransit() || k == KindAnyNode
}

// IsActor reports whether vertices of kind k are threat actors by nature.
func (k Kind) IsActor() bool {
	return k == KindInternet || k == KindUser || k == KindGroup
}

// namespaced reports whether keys of kind k carry a namespace segment.
func (k Kind) namespaced() bool {
	switch k {
	case KindInternet, KindUser, KindGroup, KindCluster, KindNode, KindNamespace,
		KindClusterAdmin, KindNamespaceAdmin, KindPodNetwork, KindSchedulable, KindAnyNode,
		KindPodCreation, KindPodControl:
		return false
	}
	return true
}

// segments is the number of name segments after the kind in a key of kind k.
func (k Kind) segments() int {
	switch k {
	case KindInternet, KindClusterAdmin, KindPodNetwork, KindSchedulable, KindAnyNode:
		return 0
	case KindContainer:
		return 3 // namespace, workload, container
	}
	if k.namespaced() {
		return 2
	}
	return 1
}

func knownKind(k Kind) bool {
	switch k {
	case KindInternet, KindUser, KindGroup, KindCluster, KindNode, KindNamespace,
		KindContainer, KindServiceAccount, KindSecret, KindService, KindIngress,
		KindClusterAdmin, KindNamespaceAdmin, KindPodNetwork, KindSchedulable, KindAnyNode,
		KindPodCreation, KindPodControl:
		return true
	}
	return k.IsWorkload()
}
