package escape

import (
	"fmt"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
)

// root says whether a container's processes run as uid 0 on the host.
type root int

const (
	rootUnknown root = iota // no runAsUser: the image decides, and most images run as root
	rootYes                 // runAsUser: 0
	rootNo                  // a non-zero runAsUser, runAsNonRoot, or a user namespace
)

// posture is a container's effective security settings. For the fields the
// pod and the container both have, the container's value wins, as the
// kubelet applies them.
type posture struct {
	privileged  bool
	hostProcess bool // Windows HostProcess: the container is a host process
	root        root
	rootWhy     string // the control that makes it non-root, for Present
	seccomp     string // "RuntimeDefault", "Localhost", "Unconfined" or "" (unset: Unconfined)
	appArmor    string // the same values; the deprecated annotation counts too
	seLinux     string // the SELinux type, "set" when only user/role/level are, or ""
	roRoot      bool   // readOnlyRootFilesystem: true
	noEscalate  bool   // allowPrivilegeEscalation: false
	dropAll     bool   // capabilities drop ALL
	added       []capability
}

// capability is one entry of capabilities.add, normalised (CAP_ and case
// stripped), with the field that adds it.
type capability struct {
	name  string
	field string
}

// postureOf resolves the container's settings. annotations are the pod
// template's, which may carry the deprecated AppArmor annotation.
func postureOf(spec *corev1.PodSpec, annotations map[string]string, c *corev1.Container, path string) posture {
	var p posture
	psc, csc := spec.SecurityContext, c.SecurityContext
	if psc == nil {
		psc = &corev1.PodSecurityContext{}
	}
	if csc == nil {
		csc = &corev1.SecurityContext{}
	}
	p.privileged = isTrue(csc.Privileged)
	if w := csc.WindowsOptions; w != nil && w.HostProcess != nil {
		p.hostProcess = *w.HostProcess
	} else if w := psc.WindowsOptions; w != nil {
		p.hostProcess = isTrue(w.HostProcess)
	}

	uid := csc.RunAsUser
	if uid == nil {
		uid = psc.RunAsUser
	}
	nonRoot := csc.RunAsNonRoot
	if nonRoot == nil {
		nonRoot = psc.RunAsNonRoot
	}
	switch {
	case spec.HostUsers != nil && !*spec.HostUsers:
		// Root in a user namespace maps to an unprivileged host uid, and its
		// capabilities hold only inside the namespace.
		p.root, p.rootWhy = rootNo, "hostUsers: false"
	case uid != nil && *uid != 0:
		p.root, p.rootWhy = rootNo, fmt.Sprintf("runAsUser: %d", *uid)
	case isTrue(nonRoot):
		// With runAsUser 0 as well the kubelet refuses to start it.
		p.root, p.rootWhy = rootNo, "runAsNonRoot: true"
	case uid != nil:
		p.root = rootYes
	}

	if sp := csc.SeccompProfile; sp != nil {
		p.seccomp = string(sp.Type)
	} else if sp := psc.SeccompProfile; sp != nil {
		p.seccomp = string(sp.Type)
	}

	switch {
	case csc.AppArmorProfile != nil:
		p.appArmor = string(csc.AppArmorProfile.Type)
	case annotations[corev1.DeprecatedAppArmorBetaContainerAnnotationKeyPrefix+c.Name] != "":
		p.appArmor = appArmorAnnotation(annotations[corev1.DeprecatedAppArmorBetaContainerAnnotationKeyPrefix+c.Name])
	case psc.AppArmorProfile != nil:
		p.appArmor = string(psc.AppArmorProfile.Type)
	}

	se := csc.SELinuxOptions
	if se == nil {
		se = psc.SELinuxOptions
	}
	if se != nil && *se != (corev1.SELinuxOptions{}) {
		p.seLinux = se.Type
		if p.seLinux == "" {
			p.seLinux = "set"
		}
	}

	p.roRoot = isTrue(csc.ReadOnlyRootFilesystem)
	p.noEscalate = csc.AllowPrivilegeEscalation != nil && !*csc.AllowPrivilegeEscalation
	if caps := csc.Capabilities; caps != nil {
		for _, d := range caps.Drop {
			if capName(string(d)) == "ALL" {
				p.dropAll = true
			}
		}
		for i, a := range caps.Add {
			p.added = append(p.added, capability{capName(string(a)),
				fmt.Sprintf("%s.securityContext.capabilities.add[%d]: %s", path, i, a)})
		}
	}
	return p
}

// capName normalises a capability as the runtimes accept it: SYS_ADMIN,
// sys_admin and CAP_SYS_ADMIN are one capability.
func capName(s string) string {
	return strings.TrimPrefix(strings.ToUpper(s), "CAP_")
}

func appArmorAnnotation(v string) string {
	switch {
	case v == corev1.DeprecatedAppArmorBetaProfileRuntimeDefault:
		return string(corev1.AppArmorProfileTypeRuntimeDefault)
	case strings.HasPrefix(v, corev1.DeprecatedAppArmorBetaProfileNamePrefix):
		return string(corev1.AppArmorProfileTypeLocalhost)
	}
	return string(corev1.AppArmorProfileTypeUnconfined)
}

// adds returns the capabilities.add entries that grant name (ALL grants
// every one).
func (p *posture) adds(name string) []capability {
	var out []capability
	for _, c := range p.added {
		if c.name == name || c.name == "ALL" {
			out = append(out, c)
		}
	}
	return out
}

// Controls a container can carry, as edges name them. Each names the
// setting that would have been there, so Present and Missing read alike.
const (
	controlSeccomp    = "seccompProfile: RuntimeDefault"
	controlAppArmor   = "appArmorProfile: RuntimeDefault"
	controlSELinux    = "seLinuxOptions"
	controlNonRoot    = "runAsNonRoot: true"
	controlRORoot     = "readOnlyRootFilesystem: true"
	controlNoEscalate = "allowPrivilegeEscalation: false"
	controlDropAll    = "capabilities drop: ALL"
)

// control is one hardening control of a container: set or not, and how it
// is written when set (a Localhost profile, the uid it runs as).
type control struct {
	name    string
	present bool
	as      string // the Present text; name when empty
}

func (c control) text() string {
	if c.as != "" {
		return c.as
	}
	return c.name
}

// controls returns the container hardening controls named in names, each
// present or missing. A privileged container has no seccomp, AppArmor or
// capability bounds whatever the spec says, so those never count as
// present on one.
func (p *posture) controls(names ...string) []control {
	var out []control
	for _, n := range names {
		c := control{name: n}
		switch n {
		case controlSeccomp:
			c.present = !p.privileged && (p.seccomp == "RuntimeDefault" || p.seccomp == "Localhost")
			if p.seccomp == "Localhost" {
				c.as = "seccompProfile: Localhost"
			}
		case controlAppArmor:
			c.present = !p.privileged && (p.appArmor == "RuntimeDefault" || p.appArmor == "Localhost")
			if p.appArmor == "Localhost" {
				c.as = "appArmorProfile: Localhost"
			}
		case controlSELinux:
			c.present = p.seLinuxConfined()
			if c.present && p.seLinux != "set" {
				c.as = "seLinuxOptions.type: " + p.seLinux
			}
		case controlNonRoot:
			c.present = p.root == rootNo
			c.as = p.rootWhy
		case controlRORoot:
			c.present = p.roRoot
		case controlNoEscalate:
			c.present = p.noEscalate
		case controlDropAll:
			c.present = p.dropAll && !p.privileged
		}
		out = append(out, c)
	}
	return out
}

// seLinuxConfined reports whether the spec sets an SELinux context that
// confines the container: any but the unconfined types.
func (p *posture) seLinuxConfined() bool {
	return p.seLinux != "" && !p.privileged && !slices.Contains([]string{"spc_t", "unconfined_t"}, p.seLinux)
}

// macConfined reports whether the spec asks for AppArmor or SELinux
// confinement, the mandatory access control that mediates mount and ptrace.
func (p *posture) macConfined() bool {
	return !p.privileged && (p.appArmor == "RuntimeDefault" || p.appArmor == "Localhost" || p.seLinuxConfined())
}

func isTrue(b *bool) bool { return b != nil && *b }
