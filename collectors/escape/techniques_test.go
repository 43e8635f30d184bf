package escape_test

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trustpath/trustpath/collectors"
	"github.com/trustpath/trustpath/graph"
)

// TestTechniques loads each file of testdata/escape/techniques with its
// nodes.yaml and checks that its escape edges are exactly the ones its
// README lists, at those costs. Near misses want none.
func TestTechniques(t *testing.T) {
	t.Parallel()
	const n = "any-node" // the pods are not pinned to n1
	to := func(tech graph.Technique, cost string) string {
		return "-[" + string(tech) + "]-> " + n + " (cost " + cost + ")"
	}
	tests := []struct {
		file string
		want []string // "-[technique]-> any-node (cost N)" from container/esc/FILE/c, or whole lines
	}{
		{"privileged", []string{to(graph.TechEscapePrivileged, "1")}},
		{"privileged-hostpid", []string{to(graph.TechEscapePrivileged, "1"), to(graph.TechEscapeNsenter, "1")}},
		{"privileged-nonroot", []string{to(graph.TechEscapePrivileged, "3")}},
		{"hostprocess", []string{to(graph.TechEscapePrivileged, "1"), to(graph.TechEscapeHostNetwork, "3")}},
		{"hostpid-ptrace", []string{to(graph.TechEscapeHostProcess, "2")}},
		{"hostpid-ptrace-apparmor", []string{to(graph.TechEscapeHostProcess, "3")}},
		{"hostpid-sysadmin", []string{to(graph.TechEscapeSysAdmin, "2")}},
		{"sys-module", []string{to(graph.TechEscapeKernelModule, "2")}},
		{"sys-admin", []string{to(graph.TechEscapeSysAdmin, "2")}},
		{"sys-admin-confined", []string{to(graph.TechEscapeSysAdmin, "3")}},
		{"dac-read-search", []string{to(graph.TechEscapeOpenByHandle, "3")}},
		{"caps-all", []string{to(graph.TechEscapeSysAdmin, "2"), to(graph.TechEscapeKernelModule, "2"), to(graph.TechEscapeOpenByHandle, "3")}},
		{"hostpath-root", []string{to(graph.TechEscapeWriteHost, "1")}},
		{"hostpath-root-ro", []string{to(graph.TechEscapeRuntimeSocket, "1")}},
		{"hostpath-etc", []string{to(graph.TechEscapeWriteHost, "1")}},
		{"hostpath-etc-ro", []string{to(graph.TechEscapeReadNode, "3")}},
		{"hostpath-roothome", []string{to(graph.TechEscapeWriteHost, "2")}},
		{"hostpath-home-ro", []string{to(graph.TechEscapeReadNode, "3")}},
		{"hostpath-proc", []string{to(graph.TechEscapeKernelParams, "2")}},
		{"hostpath-proc-sys-kernel", []string{to(graph.TechEscapeKernelParams, "2")}},
		{"hostpath-var-log", []string{to(graph.TechEscapeLogSymlink, "4")}},
		{"hostpath-kubelet", []string{to(graph.TechEscapeReadNode, "2")}},
		{"hostpath-kubelet-pods", []string{to(graph.TechEscapeReadNode, "2")}},
		{"socket-docker", []string{to(graph.TechEscapeRuntimeSocket, "1")}},
		{"socket-docker-ro", []string{to(graph.TechEscapeRuntimeSocket, "1")}},
		{"socket-containerd", []string{to(graph.TechEscapeRuntimeSocket, "1")}},
		{"socket-containerd-dir", []string{to(graph.TechEscapeRuntimeSocket, "1")}},
		{"socket-crio", []string{to(graph.TechEscapeRuntimeSocket, "1")}},
		{"socket-cri-dockerd", []string{to(graph.TechEscapeRuntimeSocket, "1")}},
		{"socket-var-run", []string{to(graph.TechEscapeRuntimeSocket, "1")}},
		{"socket-subpath", []string{to(graph.TechEscapeRuntimeSocket, "1")}},
		{"hostnetwork", []string{to(graph.TechEscapeHostNetwork, "3")}},
		{"shared-pid", []string{
			"container/esc/shared-pid/a -[enter sibling container]-> container/esc/shared-pid/b (cost 2)",
			"container/esc/shared-pid/b -[enter sibling container]-> container/esc/shared-pid/a (cost 2)"}},
		{"psa-template", []string{"container/strict/psa-template/c " + to(graph.TechEscapePrivileged, "3")}},
		{"psa-pod", []string{"container/strict/psa-pod/c " + to(graph.TechEscapePrivileged, "1")}},

		{"miss-restricted", nil},
		{"miss-hostpath-harmless", nil},
		{"miss-hostipc", nil},
		{"miss-hostpid", nil},
		{"miss-hostpid-netadmin", nil},
		{"miss-hostpath-proc-ro", nil},
		{"miss-hostpath-var-log-ro", nil},
		{"miss-hostpath-unmounted", nil},
		{"miss-ptrace", nil},
		{"miss-shared-pid-single", nil},
		{"miss-privileged-false", nil},
	}
	seen := map[string]bool{"nodes.yaml": true, "README.md": true}
	for _, tt := range tests {
		seen[tt.file+".yaml"] = true
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			res := load(t,
				collectors.Source{Cluster: "test", Path: testdata("escape", "techniques", "nodes.yaml")},
				collectors.Source{Cluster: "test", Path: testdata("escape", "techniques", tt.file+".yaml")})
			if d := res.Diagnostics(); len(d) != 0 {
				t.Errorf("diagnostics: %v", d)
			}
			var want []string
			for _, w := range tt.want {
				if strings.HasPrefix(w, "-[") {
					w = "container/esc/" + tt.file + "/c " + w
				}
				want = append(want, w)
			}
			if d := cmp.Diff(sorted(want), edgeList(res.Graph, escapeTechniques, true)); d != "" {
				t.Errorf("escape edges (-want +got):\n%s", d)
			}
		})
	}
	// Every fixture in the directory is in the table.
	entries, err := os.ReadDir(testdata("escape", "techniques"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !seen[e.Name()] {
			t.Errorf("testdata/escape/techniques/%s has no test case", e.Name())
		}
	}
}

// TestEdgeControls checks what one edge of each kind says: the evidence
// names the object and the field, Present and Missing name the controls.
func TestEdgeControls(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file     string
		from     graph.Key
		tech     graph.Technique
		evidence []string // "object: detail"
		present  []string
		missing  []string
		note     string // a substring of the note, if any
	}{
		{
			file: "privileged", from: "container/esc/privileged/c", tech: graph.TechEscapePrivileged,
			evidence: []string{"pod/esc/privileged: containers[0].securityContext.privileged: true"},
			missing:  []string{"Pod Security Admission enforce: baseline on namespace esc", "privileged: false on pod/esc/privileged"},
		},
		{
			file: "privileged-nonroot", from: "container/esc/privileged-nonroot/c", tech: graph.TechEscapePrivileged,
			evidence: []string{"pod/esc/privileged-nonroot: containers[0].securityContext.privileged: true"},
			present:  []string{"runAsUser: 1000"},
			missing:  []string{"Pod Security Admission enforce: baseline on namespace esc", "privileged: false on pod/esc/privileged-nonroot"},
			note:     "non-root",
		},
		{
			file: "privileged-hostpid", from: "container/esc/privileged-hostpid/c", tech: graph.TechEscapeNsenter,
			evidence: []string{"pod/esc/privileged-hostpid: containers[0].securityContext.privileged: true", "pod/esc/privileged-hostpid: hostPID: true"},
			missing:  []string{"Pod Security Admission enforce: baseline on namespace esc", "hostPID: false on pod/esc/privileged-hostpid", "privileged: false on pod/esc/privileged-hostpid"},
		},
		{
			file: "hostpid-ptrace-apparmor", from: "container/esc/hostpid-ptrace-apparmor/c", tech: graph.TechEscapeHostProcess,
			evidence: []string{"pod/esc/hostpid-ptrace-apparmor: containers[0].securityContext.capabilities.add[0]: SYS_PTRACE", "pod/esc/hostpid-ptrace-apparmor: hostPID: true"},
			present:  []string{"appArmorProfile: RuntimeDefault"},
			missing:  []string{"Pod Security Admission enforce: baseline on namespace esc", "hostPID: false on pod/esc/hostpid-ptrace-apparmor", "no added capability SYS_PTRACE on pod/esc/hostpid-ptrace-apparmor"},
			note:     "AppArmor",
		},
		{
			file: "sys-admin", from: "container/esc/sys-admin/c", tech: graph.TechEscapeSysAdmin,
			evidence: []string{"pod/esc/sys-admin: containers[0].securityContext.capabilities.add[0]: CAP_SYS_ADMIN"},
			missing:  []string{"Pod Security Admission enforce: baseline on namespace esc", "no added capability SYS_ADMIN on pod/esc/sys-admin"},
			note:     "unconfined",
		},
		{
			file: "sys-admin-confined", from: "container/esc/sys-admin-confined/c", tech: graph.TechEscapeSysAdmin,
			evidence: []string{"pod/esc/sys-admin-confined: containers[0].securityContext.capabilities.add[0]: SYS_ADMIN"},
			present:  []string{"appArmorProfile: RuntimeDefault"},
			missing:  []string{"Pod Security Admission enforce: baseline on namespace esc", "no added capability SYS_ADMIN on pod/esc/sys-admin-confined"},
		},
		{
			file: "hostpath-root-ro", from: "container/esc/hostpath-root-ro/c", tech: graph.TechEscapeRuntimeSocket,
			evidence: []string{"pod/esc/hostpath-root-ro: volumes[0].hostPath.path: / (containers[0].volumeMounts[0] at /host, readOnly)"},
			missing:  []string{"Pod Security Admission enforce: baseline on namespace esc", "no hostPath / on pod/esc/hostpath-root-ro"},
			note:     "not recursive",
		},
		{
			file: "socket-subpath", from: "container/esc/socket-subpath/c", tech: graph.TechEscapeRuntimeSocket,
			evidence: []string{"pod/esc/socket-subpath: volumes[0].hostPath.path: /run subPath containerd/containerd.sock (containers[0].volumeMounts[0] at /run/containerd/containerd.sock)"},
			missing:  []string{"Pod Security Admission enforce: baseline on namespace esc", "no hostPath /run/containerd/containerd.sock on pod/esc/socket-subpath"},
		},
		{
			file: "hostpath-var-log", from: "container/esc/hostpath-var-log/c", tech: graph.TechEscapeLogSymlink,
			evidence: []string{"pod/esc/hostpath-var-log: volumes[0].hostPath.path: /var/log (containers[0].volumeMounts[0] at /host)"},
			missing:  []string{"Pod Security Admission enforce: baseline on namespace esc", "no hostPath /var/log on pod/esc/hostpath-var-log", "readOnly: true on hostPath /var/log on pod/esc/hostpath-var-log"},
			note:     "pods/log",
		},
		{
			file: "hostnetwork", from: "container/esc/hostnetwork/c", tech: graph.TechEscapeHostNetwork,
			evidence: []string{"pod/esc/hostnetwork: hostNetwork: true"},
			missing:  []string{"Pod Security Admission enforce: baseline on namespace esc", "hostNetwork: false on pod/esc/hostnetwork"},
			note:     "NetworkPolicy",
		},
		{
			file: "psa-template", from: "container/strict/psa-template/c", tech: graph.TechEscapePrivileged,
			evidence: []string{"deployment/strict/psa-template: containers[0].securityContext.privileged: true"},
			present:  []string{"Pod Security baseline on namespace strict"},
			missing:  []string{"privileged: false on deployment/strict/psa-template"},
			note:     "rejects",
		},
	}
	for _, tt := range tests {
		t.Run(tt.file+"/"+string(tt.tech), func(t *testing.T) {
			t.Parallel()
			res := load(t,
				collectors.Source{Cluster: "test", Path: testdata("escape", "techniques", "nodes.yaml")},
				collectors.Source{Cluster: "test", Path: testdata("escape", "techniques", tt.file+".yaml")})
			e := edge(res.Graph, tt.from, "any-node", tt.tech)
			if e == nil {
				t.Fatalf("no edge %s -[%s]-> any-node", tt.from, tt.tech)
			}
			var ev []string
			for _, x := range e.Evidence {
				ev = append(ev, string(x.Object)+": "+x.Detail)
			}
			if d := cmp.Diff(tt.evidence, ev); d != "" {
				t.Errorf("evidence (-want +got):\n%s", d)
			}
			if d := cmp.Diff(tt.present, e.Present); d != "" {
				t.Errorf("present (-want +got):\n%s", d)
			}
			if d := cmp.Diff(tt.missing, e.Missing); d != "" {
				t.Errorf("missing (-want +got):\n%s", d)
			}
			if tt.note != "" && !strings.Contains(e.Note, tt.note) {
				t.Errorf("note = %q, want it to mention %q", e.Note, tt.note)
			}
			if e.Boundary != graph.BoundaryNode {
				t.Errorf("boundary = %s, want node", e.Boundary)
			}
		})
	}
}

// TestSiblingBoundary: a shared PID namespace crosses the container
// boundary, not the node's.
func TestSiblingBoundary(t *testing.T) {
	t.Parallel()
	res := load(t,
		collectors.Source{Cluster: "test", Path: testdata("escape", "techniques", "nodes.yaml")},
		collectors.Source{Cluster: "test", Path: testdata("escape", "techniques", "shared-pid.yaml")})
	e := edge(res.Graph, "container/esc/shared-pid/a", "container/esc/shared-pid/b", graph.TechSiblingContainer)
	if e == nil {
		t.Fatal("no sibling edge a -> b")
	}
	if e.Boundary != graph.BoundaryContainer {
		t.Errorf("boundary = %s, want container", e.Boundary)
	}
	if !slices.Contains(e.Missing, "shareProcessNamespace: false on pod/esc/shared-pid") {
		t.Errorf("missing = %q, want shareProcessNamespace: false on pod/esc/shared-pid", e.Missing)
	}
}
