package escape

import (
	"path"
	"strings"

	"github.com/trustpath/trustpath/graph"
)

// outcome is what one kind of access to a sensitive host path gives.
type outcome struct {
	tech  graph.Technique // empty: nothing
	extra float64         // added to the technique's cost: a less certain payoff
	why   string          // for the edge's note
}

// hostPathRule is one sensitive host path and what it gives writable and
// read-only. A mount of the path or of any directory above it counts (a
// mount of /var/run holds docker.sock); with children set, so does a mount
// of anything below it (/root/.ssh).
type hostPathRule struct {
	path     string
	children bool
	write    outcome
	read     outcome
}

var (
	runtimeSocket = outcome{tech: graph.TechEscapeRuntimeSocket,
		why: "the container runtime's API starts a privileged container with the host's / mounted; connect(2) on a socket needs no write access to the mount, so readOnly does not help"}
	kubeletFiles = outcome{tech: graph.TechEscapeReadNode,
		why: "the kubelet's directory holds every pod's service-account token and Secret volumes and the kubelet's client key"}
)

// hostPathRules are the sensitive host paths, most specific concern first
// where costs tie. /var/run is written /run, which it links to on every
// current distribution.
//
// Submounts matter: kubelet bind-mounts a hostPath recursively and
// readOnly: true is not recursive (only recursiveReadOnly: Enabled is), so
// a read-only / still holds a writable /run with the runtime socket in it,
// and sockets work read-only anyway.
var hostPathRules = []hostPathRule{
	{path: "/",
		write: outcome{tech: graph.TechEscapeWriteHost,
			why: "the host's root filesystem is writable: a cron job, systemd unit or static pod manifest runs as root on the node"},
		read: outcome{tech: graph.TechEscapeReadNode,
			why: "the host's root filesystem is readable: the kubelet's client key and every pod's token and Secret volume"}},
	{path: "/etc",
		write: outcome{tech: graph.TechEscapeWriteHost,
			why: "a writable host /etc: cron.d, systemd units, static pod manifests in /etc/kubernetes/manifests, passwd and shadow"},
		read: outcome{tech: graph.TechEscapeReadNode, extra: 1,
			why: "a readable host /etc: the kubelet kubeconfig under /etc/kubernetes, shadow, and the cluster PKI on control-plane nodes"}},
	{path: "/etc/kubernetes", children: true,
		write: outcome{tech: graph.TechEscapeWriteHost,
			why: "a writable /etc/kubernetes: a static pod manifest runs as the node wants it, privileged"},
		read: outcome{tech: graph.TechEscapeReadNode, extra: 1,
			why: "/etc/kubernetes holds the kubelet kubeconfig (kubeadm; managed nodes keep it elsewhere) and, on control-plane nodes, the cluster PKI"}},
	{path: "/root", children: true,
		write: outcome{tech: graph.TechEscapeWriteHost, extra: 1,
			why: "a writable /root: root's authorized_keys and shell startup files run the attacker's code at the next login"},
		read: outcome{tech: graph.TechEscapeReadNode, extra: 1,
			why: "a readable /root: root's kubeconfig and ssh keys, if any are kept there"}},
	{path: "/home", children: true,
		write: outcome{tech: graph.TechEscapeWriteHost, extra: 1,
			why: "a writable /home: users' authorized_keys and shell startup files"},
		read: outcome{tech: graph.TechEscapeReadNode, extra: 1,
			why: "a readable /home: users' kubeconfigs and ssh keys, if any are kept there"}},
	{path: "/proc/sys/kernel", children: true,
		write: outcome{tech: graph.TechEscapeKernelParams,
			why: "the host's kernel.core_pattern (or modprobe) names a program the kernel runs as root on the host"}},
	{path: "/var/log/pods", children: true,
		write: outcome{tech: graph.TechEscapeLogSymlink,
			why: "a symlink planted in /var/log/pods makes the kubelet, as root, serve any host file as the pod's log; needs get on pods/log for the pod, which this step does not check"}},
	{path: "/var/lib/kubelet/pods", children: true, write: kubeletFiles, read: kubeletFiles},
	{path: "/var/lib/kubelet/pki", children: true, write: kubeletFiles, read: kubeletFiles},
	{path: "/run/docker.sock", write: runtimeSocket, read: runtimeSocket},
	{path: "/run/containerd/containerd.sock", write: runtimeSocket, read: runtimeSocket},
	{path: "/run/k3s/containerd/containerd.sock", write: runtimeSocket, read: runtimeSocket},
	{path: "/run/crio/crio.sock", write: runtimeSocket, read: runtimeSocket},
	{path: "/run/cri-dockerd.sock", write: runtimeSocket, read: runtimeSocket},
	{path: "/run/dockershim.sock", write: runtimeSocket, read: runtimeSocket},
}

// hostPathAccess is the best step a mount of host path p gives, and the
// rule that gives it; ok is false when p is harmless.
type hostPathAccess struct {
	rule    *hostPathRule
	outcome outcome
	// readOnlyStops says that a read-only mount would not give this step.
	readOnlyStops bool
}

// cleanHostPath normalises a host path for matching: cleaned, absolute,
// with /var/run written /run.
func cleanHostPath(p string) string {
	p = path.Clean("/" + p)
	if p == "/var/run" || strings.HasPrefix(p, "/var/run/") {
		p = "/run" + strings.TrimPrefix(p, "/var/run")
	}
	return p
}

// within reports whether p is dir or lies below it.
func within(p, dir string) bool {
	return p == dir || dir == "/" || strings.HasPrefix(p, dir+"/")
}

// classifyHostPath returns the cheapest step a mount of host path p gives,
// writable or not; ties go to the earlier rule.
func classifyHostPath(p string, readOnly bool) (hostPathAccess, bool) {
	p = cleanHostPath(p)
	var best hostPathAccess
	found := false
	for i := range hostPathRules {
		r := &hostPathRules[i]
		if !within(r.path, p) && !(r.children && within(p, r.path)) {
			continue
		}
		o := r.write
		if readOnly {
			o = r.read
		}
		if o.tech == "" {
			continue
		}
		if found && cost(o) >= cost(best.outcome) {
			continue
		}
		best = hostPathAccess{rule: r, outcome: o, readOnlyStops: !readOnly && r.read.tech != o.tech}
		found = true
	}
	return best, found
}

func cost(o outcome) float64 { return o.tech.DefaultCost() + o.extra }
