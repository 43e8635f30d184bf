// Package escape adds the steps that cross the node boundary: a container
// leaving for the node it runs on (or entering a sibling container), and a
// node reaching what runs on it.
//
// # Container to node
//
// Each escape primitive of a container's effective securityContext (the
// container's fields win over the pod's) is one edge to each node the
// container's group is pinned to or, when it is not pinned, one edge to
// the cluster's any-node vertex (AnyNode: whichever node runs it, with a
// step to each node and one to the schedulable vertex), so an escape is
// one finding, not one per node. Its technique is from graph/technique.go:
// privileged (and Windows HostProcess), privileged with hostPID, hostPID
// with SYS_PTRACE, the capabilities SYS_MODULE, SYS_ADMIN and
// DAC_READ_SEARCH, hostPath mounts by sensitivity and writability (see
// hostPathRules), and hostNetwork. Every edge names the spec fields in its
// evidence, the settings that would remove it and the hardening controls
// that bear on it in Missing, those in place in Present, and the Pod
// Security level of the namespace (baseline forbids every primitive here).
//
// trustpath sees the spec, not the node: a control counts only when the
// spec asks for it. A node's own default AppArmor profile, SELinux policy
// or seccomp default is not assumed.
//
// # Decisions
//
//   - Root. Host files, devices and runtime sockets belong to root, and an
//     added capability is usable only by root (a non-root process loses it
//     on exec). An escape that needs root costs 2 more when the container
//     runs as a known non-root user (runAsUser other than 0, runAsNonRoot,
//     or hostUsers: false); it is not removed, since any local privilege
//     escalation gives root back. Without runAsUser the image decides, and
//     most images run as root.
//   - hostPID alone gives no edge. Reading a host process's
//     /proc/PID/environ or /proc/PID/root passes the kernel's ptrace access
//     check, which needs CAP_SYS_PTRACE against host processes that hold
//     capabilities the container lacks; without it, hostPID shows command
//     lines and lets the container signal host processes, which is not a
//     path to the node's credentials. hostPID with SYS_ADMIN gives SYS_ADMIN's
//     own escape only, for the same reason.
//   - hostIPC alone gives no edge: it shares SysV IPC and POSIX shared memory.
//   - Read-only hostPaths. readOnly: true is not recursive (only
//     recursiveReadOnly: Enabled is) and connect(2) on a socket needs no
//     write access, so a read-only / still reaches the runtime socket under
//     /run: an escape, not only a read. A read-only mount of the kubelet's
//     directory, /etc, /root or /home reads node credentials (the kubelet's
//     key, pod tokens and Secret volumes, kubeconfigs), modelled as an edge
//     to the node with a higher cost. A read-only mount of a harmless
//     directory gives nothing.
//   - /var/log counts only writable, and only with get on pods/log for the
//     pod, which this builder does not check: the edge costs 4 and its note
//     says so.
//   - Every edge into a node stands for root on it. A read-only credential
//     edge (read node credentials, open_by_handle_at) or hostNetwork
//     overstates that; their costs are higher for it.
//   - A PSA label that forbids the primitive keeps the edge (the pods may
//     predate the label or be exempt), adds 2 to its cost unless the input
//     holds a running pod of the group, and says so in the note.
//
// # Node to what runs on it
//
// A pod group runs on the nodes its pods are bound to or its template pins
// it to (workload.Group.Nodes; for a DaemonSet only a template that names
// its node pins it). A pinned group's containers, tokens and Secrets have
// edges from each of its nodes. Every other group, and every DaemonSet, is
// reached through one transit vertex per cluster (graph.KindSchedulable,
// key "schedulable"): each node has one edge to it, and it one to each such
// container, token and Secret, so a cluster costs O(nodes + pod groups)
// edges. That path is one step longer than a pinned group's: the group may,
// not must, run there.
//
// A node holds its pods' automounted and projected tokens (not those of
// pods that opt out), their Secret volumes (mounted or not) and Secrets in
// their environment, and fetches their image pull secrets with the
// kubelet's credential. Each node also reaches its kubelet's identity,
// user/system:node:NAME in group system:nodes, whose rights the privilege
// builder gives; the Node authorizer and NodeRestriction limit them.
//
// # Nodes the input does not list
//
// Pods bound to a node that is not in the input make it an implicit node
// vertex. When the input lists no Node object, one placeholder,
// node/unknown (implicit, placeholder), stands for the nodes it does not
// name: pods that are not pinned escape to any-node, which leads to it and
// to every named node. The
// placeholder has no kubelet identity, since its name is unknown.
package escape
