package topology

import (
	"fmt"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/trustpath/trustpath/collectors/workload"
	"github.com/trustpath/trustpath/graph"
)

// Controls named on token and secret steps.
const (
	ControlNoAutomount = "automountServiceAccountToken: false"
)

// podContainer is a container of a pod spec with where it sits in the spec.
type podContainer struct {
	c    *corev1.Container
	path string // "containers[0]", "initContainers[1]"
	init bool
}

func allContainers(spec *corev1.PodSpec) []podContainer {
	var out []podContainer
	for i := range spec.InitContainers {
		out = append(out, podContainer{&spec.InitContainers[i], fmt.Sprintf("initContainers[%d]", i), true})
	}
	for i := range spec.Containers {
		out = append(out, podContainer{&spec.Containers[i], fmt.Sprintf("containers[%d]", i), false})
	}
	return out
}

// podToken is the service account a pod runs as and whether the API server
// mounts its token into every container.
type podToken struct {
	sa        graph.Key
	automount bool
	why       string // the setting that decided automount
}

// podServiceAccount resolves the pod's service account and whether its
// token is automounted.
func (b *builder) podServiceAccount(pg *workload.Group) podToken {
	name, ns := pg.ServiceAccount(), pg.Namespace()
	t := podToken{sa: b.serviceAccount(ns, name)}
	if b.g.Vertex(t.sa).Prop(graph.PropImplicit) == "true" && name != "default" {
		b.s.Report(diagnosticf(b.source(pg.Ref()), string(pg.Key),
			"uses service account %s/%s, which is not in the input", ns, name))
	}
	t.automount, t.why = pg.Automount(b.accountAutomount(ns, name))
	return t
}

// accountAutomount returns a service account's automountServiceAccountToken
// setting, read from its vertex; nil when it has none.
func (b *builder) accountAutomount(ns, name string) *bool {
	return parseBool(b.g.Vertex(b.key(graph.KindServiceAccount, ns, name)).Prop(PropAutomountToken))
}

// parseBool reads "true" or "false"; anything else is unset.
func parseBool(s string) *bool {
	switch s {
	case "true", "false":
		v := s == "true"
		return &v
	}
	return nil
}

// container adds one container and the steps from it to what it holds.
func (b *builder) container(pg *workload.Group, spec *corev1.PodSpec, pc podContainer, tok podToken) {
	ns := pg.Meta.Namespace
	c := pc.c
	key := b.key(graph.KindContainer, ns, pg.Meta.Name, c.Name)
	v := &graph.Vertex{Key: key, Kind: graph.KindContainer, Name: c.Name,
		Loc: graph.Location{Cluster: b.s.Cluster, Namespace: ns, Pod: pg.Key, Container: c.Name}}
	v.SetProp(graph.PropImage, c.Image)
	if pc.init {
		v.SetProp("init", "true")
	}
	v.SetProp("ports", containerPorts(c))
	b.add(v)

	where := func(field string) graph.Evidence {
		return graph.Evidence{Object: pg.Key, Detail: fmt.Sprintf("container %s: %s", c.Name, field)}
	}

	// The token: mounted by the API server into every container when
	// automount is on, or explicitly through a projected volume.
	if tok.automount {
		b.edge(key, tok.sa, graph.Edge{Technique: graph.TechMountToken,
			Missing:  []string{ControlNoAutomount + " on " + string(pg.Key)},
			Evidence: []graph.Evidence{where(tok.why)}})
	}
	volumes := map[string]*corev1.Volume{}
	for i := range spec.Volumes {
		volumes[spec.Volumes[i].Name] = &spec.Volumes[i]
	}
	for _, m := range c.VolumeMounts {
		vol := volumes[m.Name]
		if vol == nil {
			continue
		}
		field := fmt.Sprintf("volumeMounts %s at %s", m.Name, m.MountPath)
		switch {
		case vol.Secret != nil:
			b.secretStep(key, ns, vol.Secret.SecretName, isTrue(vol.Secret.Optional), graph.TechMountSecret, where(field))
		case vol.Projected != nil:
			for _, src := range vol.Projected.Sources {
				switch {
				case src.Secret != nil:
					b.secretStep(key, ns, src.Secret.Name, isTrue(src.Secret.Optional), graph.TechMountSecret, where(field))
				case src.ServiceAccountToken != nil:
					b.edge(key, tok.sa, graph.Edge{Technique: graph.TechMountToken,
						Evidence: []graph.Evidence{where(field + " (projected serviceAccountToken)")}})
				}
			}
		}
	}
	for i, e := range c.Env {
		if e.ValueFrom != nil && e.ValueFrom.SecretKeyRef != nil {
			ref := e.ValueFrom.SecretKeyRef
			b.secretStep(key, ns, ref.Name, isTrue(ref.Optional), graph.TechEnvSecret,
				where(fmt.Sprintf("env[%d] %s from secretKeyRef %s/%s", i, e.Name, ref.Name, ref.Key)))
		}
	}
	for i, e := range c.EnvFrom {
		if e.SecretRef != nil {
			b.secretStep(key, ns, e.SecretRef.Name, isTrue(e.SecretRef.Optional), graph.TechEnvSecret,
				where(fmt.Sprintf("envFrom[%d] secretRef %s", i, e.SecretRef.Name)))
		}
	}
}

// secretStep adds the step from a container to a Secret of its namespace. A
// Secret the input lacks is added as implicit, unless the reference is
// optional: then the pod starts without it and there is nothing to read.
func (b *builder) secretStep(from graph.Key, ns, name string, optional bool, tech graph.Technique, ev graph.Evidence) {
	if name == "" {
		return
	}
	k := b.key(graph.KindSecret, ns, name)
	if optional && b.g.Vertex(k) == nil {
		return
	}
	b.edge(from, b.secret(ns, name), graph.Edge{Technique: tech, Evidence: []graph.Evidence{ev}})
}

func containerPorts(c *corev1.Container) string {
	var ports []string
	for _, p := range c.Ports {
		proto := strings.ToLower(string(p.Protocol))
		if proto == "" {
			proto = "tcp"
		}
		s := fmt.Sprintf("%s/%d", proto, p.ContainerPort)
		if p.Name != "" {
			s = p.Name + "=" + s
		}
		if p.HostPort != 0 {
			s += fmt.Sprintf(" (hostPort %d)", p.HostPort)
		}
		ports = append(ports, s)
	}
	return strings.Join(ports, ", ")
}

func isTrue(b *bool) bool { return b != nil && *b }

func joinSorted(s []string) string {
	s = slices.Clone(s)
	slices.Sort(s)
	return strings.Join(slices.Compact(s), ",")
}
