package netpol

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/trustpath/trustpath/collectors/workload"
)

// Port is a port a pod's container declares.
type Port struct {
	Protocol corev1.Protocol
	Number   int32
	Name     string // empty when the port is not named
}

func (p Port) String() string {
	return fmt.Sprintf("%s/%d", strings.ToLower(string(p.Protocol)), p.Number)
}

func comparePorts(a, b Port) int {
	return cmp.Or(cmp.Compare(a.Protocol, b.Protocol), cmp.Compare(a.Number, b.Number), cmp.Compare(a.Name, b.Name))
}

// Endpoint is a class of pods that no NetworkPolicy can tell apart: one
// namespace, one label set, one set of ports, and host networking or not.
// Every pod of an endpoint is allowed exactly the same traffic.
type Endpoint struct {
	Namespace   string
	Labels      labels.Set
	Ports       []Port // sorted
	HostNetwork bool
	Groups      []*workload.Group // sorted by key

	id     int
	sig    string
	nsSet  labels.Set
	policy [2][]*policy // the policies selecting it, by Direction

	openEgress []Reason // why it may send to every pod on every port; nil when it may not
}

// Isolated reports whether some policy isolates the endpoint in direction d.
// hostNetwork pods are never isolated.
func (e *Endpoint) Isolated(d Direction) bool { return len(e.policy[d]) > 0 }

// signature identifies the class of a pod group.
func signature(ns string, l labels.Set, ports []Port, hostNetwork bool) string {
	var b strings.Builder
	b.WriteString(ns)
	b.WriteByte(0)
	b.WriteString(l.String()) // labels.Set.String sorts keys
	b.WriteByte(0)
	for _, p := range ports {
		fmt.Fprintf(&b, "%s/%d/%s,", p.Protocol, p.Number, p.Name)
	}
	if hostNetwork {
		b.WriteString("\x00host")
	}
	return b.String()
}

// groupPorts returns the ports a pod template listens on: those of its
// containers and of its sidecar init containers (restartPolicy Always),
// which keep running beside them. Other init containers exit first.
func groupPorts(spec *corev1.PodSpec) []Port {
	var ports []Port
	add := func(c *corev1.Container) {
		for _, p := range c.Ports {
			proto := p.Protocol
			if proto == "" {
				proto = corev1.ProtocolTCP
			}
			ports = append(ports, Port{Protocol: proto, Number: p.ContainerPort, Name: p.Name})
		}
	}
	for i := range spec.InitContainers {
		if c := &spec.InitContainers[i]; c.RestartPolicy != nil && *c.RestartPolicy == corev1.ContainerRestartPolicyAlways {
			add(c)
		}
	}
	for i := range spec.Containers {
		add(&spec.Containers[i])
	}
	slices.SortFunc(ports, comparePorts)
	return slices.Compact(ports)
}
