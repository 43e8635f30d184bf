package escape

import (
	"testing"

	"github.com/trustpath/trustpath/graph"
)

// TestClassifyHostPath pins the sensitivity table: parents of a sensitive
// path count, children count where the rule says so, /var/run is /run, and
// read-only mounts give the read outcome.
func TestClassifyHostPath(t *testing.T) {
	t.Parallel()
	tests := []struct {
		path     string
		readOnly bool
		want     graph.Technique // "" for harmless
		cost     float64
	}{
		{"/", false, graph.TechEscapeWriteHost, 1},
		{"/", true, graph.TechEscapeRuntimeSocket, 1},
		{"//etc/", false, graph.TechEscapeWriteHost, 1},
		{"/etc", true, graph.TechEscapeReadNode, 3},
		{"/etc/kubernetes/manifests", false, graph.TechEscapeWriteHost, 1},
		{"/etc/ssl/certs", true, "", 0},
		{"/etc/ssl/certs", false, "", 0},
		{"/root/.ssh", false, graph.TechEscapeWriteHost, 2},
		{"/home/alice", true, graph.TechEscapeReadNode, 3},
		{"/proc", false, graph.TechEscapeKernelParams, 2},
		{"/proc/sys", false, graph.TechEscapeKernelParams, 2},
		{"/proc/sys/kernel/core_pattern", false, graph.TechEscapeKernelParams, 2},
		{"/proc", true, "", 0},
		{"/proc/sys/net", false, "", 0},
		{"/var/log", false, graph.TechEscapeLogSymlink, 4},
		{"/var/log/pods/ns_pod_uid", false, graph.TechEscapeLogSymlink, 4},
		{"/var/log", true, "", 0},
		{"/var/log/journal", false, "", 0},
		{"/var/lib/kubelet", true, graph.TechEscapeReadNode, 2},
		{"/var/lib/kubelet/pods", false, graph.TechEscapeReadNode, 2},
		{"/var/lib/kubelet/pki", true, graph.TechEscapeReadNode, 2},
		{"/var/lib/kubelet/plugins", true, "", 0},
		{"/var/lib", true, graph.TechEscapeReadNode, 2},
		{"/var", false, graph.TechEscapeReadNode, 2},
		{"/var/lib/app", true, "", 0},
		{"/var/run", true, graph.TechEscapeRuntimeSocket, 1},
		{"/var/run/docker.sock", true, graph.TechEscapeRuntimeSocket, 1},
		{"/run/containerd", false, graph.TechEscapeRuntimeSocket, 1},
		{"/run/k3s/containerd/containerd.sock", false, graph.TechEscapeRuntimeSocket, 1},
		{"/var/run/crio/crio.sock", false, graph.TechEscapeRuntimeSocket, 1},
		{"/var/run/cri-dockerd.sock", false, graph.TechEscapeRuntimeSocket, 1},
		{"/run/containerd/io.containerd.runtime.v2.task", false, "", 0},
		{"/var/runtime", false, "", 0},
		{"/sys", false, "", 0},
		{"/dev", false, "", 0},
		{"/data", false, "", 0},
	}
	for _, tt := range tests {
		got, ok := classifyHostPath(tt.path, tt.readOnly)
		if !ok {
			if tt.want != "" {
				t.Errorf("classifyHostPath(%q, readOnly %t) = nothing, want %s", tt.path, tt.readOnly, tt.want)
			}
			continue
		}
		if got.outcome.tech != tt.want || cost(got.outcome) != tt.cost {
			t.Errorf("classifyHostPath(%q, readOnly %t) = %s (cost %g), want %q (cost %g)",
				tt.path, tt.readOnly, got.outcome.tech, cost(got.outcome), tt.want, tt.cost)
		}
	}
}
