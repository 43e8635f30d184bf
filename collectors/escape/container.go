package escape

import (
	"fmt"
	"path"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/trustpath/trustpath/collectors/workload"
	"github.com/trustpath/trustpath/graph"
)

// step is one escape a container has, before it is placed on nodes.
type step struct {
	tech     graph.Technique
	fields   []string // evidence: the spec fields that give the primitive
	missing  []string // settings whose absence allows it: "privileged: false"
	controls []string // the container controls that bear on it (posture.controls)
	// needsRoot says that the step needs uid 0 in the container: the host
	// files, devices and sockets it uses are root's, and added capabilities
	// reach only root's processes.
	needsRoot bool
	extra     float64 // added to the technique's cost
	notes     []string
}

// Hardening controls that bear on each family of escape. Privileged and
// socket escapes ignore seccomp and AppArmor (privileged disables them; a
// socket is a plain connect); the capability escapes list the confinement
// that mediates their syscalls.
var (
	rootControls    = []string{controlNonRoot}
	fileControls    = []string{controlNonRoot, controlSELinux}
	capControls     = []string{controlNonRoot, controlNoEscalate, controlSELinux}
	ptraceControls  = []string{controlNonRoot, controlNoEscalate, controlAppArmor, controlSELinux}
	adminControls   = []string{controlNonRoot, controlAppArmor, controlSELinux, controlSeccomp, controlRORoot}
	networkControls = []string{controlDropAll}
	siblingControls = []string{controlNonRoot, controlDropAll}
)

// containerEscapes adds each container's escapes onto nodes (keys, and
// their vertices, nil where absent), and the steps between containers of a
// pod that shares one PID namespace.
func (b *builder) containerEscapes(pg *workload.Group, nodes []graph.Key, vertices []*graph.Vertex) {
	spec := &pg.Template.Spec
	all := containers(spec)
	for _, pc := range all {
		p := postureOf(spec, pg.Template.Annotations, pc.c, pc.path)
		from := b.containerKey(pg, pc.c)
		steps := escapes(spec, pc, &p)
		if len(steps) == 0 {
			continue
		}
		f := b.g.Vertex(from)
		for _, st := range steps {
			e := b.escapeEdge(pg, &p, st)
			for i, n := range nodes {
				if f != nil && vertices[i] != nil {
					b.g.AddEdgeBetween(f, vertices[i], e)
				} else {
					b.edge(from, n, e) // reports the missing vertex
				}
			}
		}
	}
	if !isTrue(spec.ShareProcessNamespace) {
		return
	}
	for _, a := range all {
		if !a.running {
			continue
		}
		p := postureOf(spec, pg.Template.Annotations, a.c, a.path)
		present, absent := split(p.controls(siblingControls...))
		missing := []string{"shareProcessNamespace: false on " + string(pg.Key)}
		for _, o := range all {
			if !o.running || o.c == a.c {
				continue
			}
			b.edge(b.containerKey(pg, a.c), b.containerKey(pg, o.c), graph.Edge{
				Technique: graph.TechSiblingContainer,
				Present:   present,
				Missing:   missing,
				Evidence:  []graph.Evidence{{Object: pg.Key, Detail: "shareProcessNamespace: true"}},
				Note: joinNotes([]string{fmt.Sprintf("the pod's containers share one PID namespace: /proc/PID/root of %s shows its filesystem, "+
					"mounted tokens and secrets included, to a process of the same uid holding at least its capabilities", o.c.Name),
					hardening(absent)}),
			})
		}
	}
}

// escapes lists the container's escapes onto its node.
func escapes(spec *corev1.PodSpec, pc podContainer, p *posture) []step {
	var out []step
	privField := pc.path + ".securityContext.privileged: true"
	switch {
	case p.privileged:
		out = append(out, step{tech: graph.TechEscapePrivileged, fields: []string{privField},
			missing: []string{"privileged: false"}, controls: rootControls, needsRoot: true})
	case p.hostProcess:
		out = append(out, step{tech: graph.TechEscapePrivileged, fields: []string{hostProcessField(spec, pc)},
			missing: []string{"windowsOptions.hostProcess: false"},
			notes:   []string{"a Windows HostProcess container runs as a process of the host"}})
	}
	if p.privileged && spec.HostPID {
		out = append(out, step{tech: graph.TechEscapeNsenter, fields: []string{privField, "hostPID: true"},
			missing: []string{"privileged: false", "hostPID: false"}, controls: rootControls, needsRoot: true,
			notes: []string{"nsenter -t 1 -a enters the host's namespaces as root"}})
	}
	if caps := p.adds("SYS_PTRACE"); spec.HostPID && len(caps) > 0 {
		st := capStep(graph.TechEscapeHostProcess, caps, ptraceControls)
		st.fields = append(st.fields, "hostPID: true")
		st.missing = append(st.missing, "hostPID: false")
		if p.macConfined() {
			st.extra = 1
			st.notes = append(st.notes, "AppArmor or SELinux in the spec: their default policies deny ptrace of unconfined host processes, so a bypass is needed")
		} else {
			st.notes = append(st.notes, "unconfined: ptrace or /proc/PID/root of any host process")
		}
		out = append(out, st)
	}
	if caps := p.adds("SYS_MODULE"); len(caps) > 0 {
		st := capStep(graph.TechEscapeKernelModule, caps, capControls)
		st.notes = append(st.notes, "a module built for the host's kernel runs in it")
		out = append(out, st)
	}
	if caps := p.adds("SYS_ADMIN"); len(caps) > 0 {
		st := capStep(graph.TechEscapeSysAdmin, caps, adminControls)
		if p.macConfined() || p.seccomp == "RuntimeDefault" || p.seccomp == "Localhost" {
			st.extra = 1
			st.notes = append(st.notes, "confined by AppArmor, SELinux or seccomp in the spec: mount(2) or the cgroup release_agent needs a bypass")
		} else {
			st.notes = append(st.notes, "unconfined: no AppArmor, SELinux or seccomp profile in the spec stops mount(2) and the cgroup release_agent "+
				"(a node's own default AppArmor profile would, where one applies)")
		}
		out = append(out, st)
	}
	if caps := p.adds("DAC_READ_SEARCH"); len(caps) > 0 {
		st := capStep(graph.TechEscapeOpenByHandle, caps, capControls)
		st.notes = append(st.notes, "open_by_handle_at from any bind-mounted host file (/etc/hosts) reads the host's files: the kubelet key, pod tokens")
		out = append(out, st)
	}
	out = append(out, hostPathSteps(spec, pc)...)
	if spec.HostNetwork {
		out = append(out, step{tech: graph.TechEscapeHostNetwork, fields: []string{"hostNetwork: true"},
			missing: []string{"hostNetwork: false"}, controls: networkControls,
			notes: []string{"the node's network namespace: services bound to its localhost (node agents; etcd on control-plane nodes), " +
				"the kubelet's ports and the cloud metadata endpoint as the node, and host traffic to sniff with NET_RAW; " +
				"NetworkPolicy does not apply to it"}})
	}
	return out
}

func hostProcessField(spec *corev1.PodSpec, pc podContainer) string {
	if sc := pc.c.SecurityContext; sc != nil && sc.WindowsOptions != nil && sc.WindowsOptions.HostProcess != nil {
		return pc.path + ".securityContext.windowsOptions.hostProcess: true"
	}
	return "securityContext.windowsOptions.hostProcess: true"
}

// capStep is the step an added capability gives.
func capStep(tech graph.Technique, caps []capability, controls []string) step {
	st := step{tech: tech, controls: controls, needsRoot: true}
	for _, c := range caps {
		st.fields = append(st.fields, c.field)
		st.missing = append(st.missing, "no added capability "+c.name)
	}
	return st
}

// hostPathSteps returns a step for each of the container's mounts of a
// sensitive host path: the best one that mount gives.
func hostPathSteps(spec *corev1.PodSpec, pc podContainer) []step {
	vols := map[string]int{}
	for i, v := range spec.Volumes {
		if v.HostPath != nil {
			vols[v.Name] = i
		}
	}
	var out []step
	for j, m := range pc.c.VolumeMounts {
		i, ok := vols[m.Name]
		if !ok {
			continue
		}
		hp := spec.Volumes[i].HostPath.Path
		field := fmt.Sprintf("volumes[%d].hostPath.path: %s", i, hp)
		host := hp
		switch {
		case m.SubPath != "":
			host = path.Join(hp, m.SubPath)
			field += " subPath " + m.SubPath
		case m.SubPathExpr != "":
			// Expanded per pod from its environment: the mount is somewhere
			// below hp, and hp is the most it can be.
			field += " subPathExpr " + m.SubPathExpr
		}
		access, ok := classifyHostPath(host, m.ReadOnly)
		if !ok {
			continue
		}
		at := fmt.Sprintf("%s.volumeMounts[%d] at %s", pc.path, j, m.MountPath)
		if m.ReadOnly {
			at += ", readOnly"
		}
		host = path.Clean(host)
		st := step{tech: access.outcome.tech, extra: access.outcome.extra, controls: fileControls, needsRoot: true,
			fields:  []string{field + " (" + at + ")"},
			missing: []string{"no hostPath " + host},
			notes:   []string{access.outcome.why}}
		if access.readOnlyStops {
			st.missing = append(st.missing, "readOnly: true on hostPath "+host)
		}
		if m.ReadOnly && access.rule.read.tech == graph.TechEscapeRuntimeSocket && !within(cleanHostPath(host), "/run") {
			// /run is a tmpfs of its own on every systemd host: a submount.
			st.notes = append(st.notes, "readOnly: true is not recursive: /run, a submount, holds the runtime's socket as the host has it")
		}
		out = append(out, st)
	}
	return out
}

// escapeEdge turns a step into the edge from the container to each of its
// nodes: cost, controls and note for this container and namespace.
func (b *builder) escapeEdge(pg *workload.Group, p *posture, st step) graph.Edge {
	// Missing names the settings that would stop the step, each for this
	// pod group, so findings group by the one fix. Hardening that only makes
	// the step harder (seccomp, non-root, …) is no such setting: it shows as
	// Present when set, and in the note when not.
	e := graph.Edge{Technique: st.tech, Cost: st.tech.DefaultCost() + st.extra}
	for _, m := range st.missing {
		e.Missing = append(e.Missing, m+" on "+string(pg.Key))
	}
	for _, f := range st.fields {
		e.Evidence = append(e.Evidence, graph.Evidence{Object: pg.Key, Detail: f})
	}
	present, absent := split(p.controls(st.controls...))
	e.Present = present
	notes := st.notes
	if h := hardening(absent); h != "" {
		notes = append(notes, h)
	}
	if st.needsRoot && p.root == rootNo {
		e.Cost += 2
		notes = append(notes, fmt.Sprintf("runs as non-root (%s): the step needs root in the container first", p.rootWhy))
	}
	ns := pg.Namespace()
	level := b.psa[ns]
	if level == "" {
		level = b.defaultPSA
	}
	switch level {
	case "baseline", "restricted":
		e.Present = append(e.Present, fmt.Sprintf("Pod Security %s on namespace %s", level, ns))
		if pg.Pods == 0 {
			e.Cost += 2
			notes = append(notes, fmt.Sprintf("namespace %s enforces Pod Security %s, which rejects this pod: "+
				"the step exists only for pods admitted before the label or exempted", ns, level))
		} else {
			notes = append(notes, fmt.Sprintf("namespace %s enforces Pod Security %s, yet the input holds a running pod "+
				"(admitted before the label, or exempted)", ns, level))
		}
	default:
		e.Missing = append(e.Missing, "Pod Security Admission enforce: baseline on namespace "+ns)
	}
	e.Note = joinNotes(notes)
	return e
}

// hardening says which hardening controls are absent, or "".
func hardening(absent []string) string {
	if len(absent) == 0 {
		return ""
	}
	return "hardening absent: " + strings.Join(absent, ", ")
}

// split sorts controls into the Present and Missing texts of an edge.
func split(cs []control) (present, missing []string) {
	for _, c := range cs {
		if c.present {
			present = append(present, c.text())
		} else {
			missing = append(missing, c.name)
		}
	}
	return present, missing
}
