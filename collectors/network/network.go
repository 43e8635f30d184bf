// Package network turns NetworkPolicy verdicts into attack-graph edges:
// which pod groups may connect to which, on what ports, what the internet
// reaches through Services, Ingresses, hostPorts and hostNetwork pods, and
// which pods may reach the internet (and through it, other clusters).
//
// Traffic that no policy restricts goes through one hub vertex per cluster
// (graph.KindPodNetwork): every pod group with open egress has an edge to
// it, and it has an edge to every pod group port that admits any pod. A
// cluster without policies thus costs O(pod groups) edges, not O(pod groups²).
package network

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/trustpath/trustpath/collectors/estate"
	"github.com/trustpath/trustpath/collectors/netpol"
	"github.com/trustpath/trustpath/collectors/workload"
	"github.com/trustpath/trustpath/graph"
)

// builder holds one cluster's build.
type builder struct {
	g      *graph.Builder
	s      *estate.Snapshot
	e      *netpol.Engine
	prefix string
	groups []*workload.Group
	hub    graph.Key
	nodes  nodeReach

	// Built once and reused by the many edges that share them.
	members  map[*workload.Group]*member
	rules    map[ruleRef]graph.Evidence
	portText map[portRange]string
	portList map[portSlice][]string // portStrings of a port list shared by many flows

	// Scratch lists for one edge, copied into the edge: AddEdge keeps the
	// lists it is given.
	ports    []string
	evidence []graph.Evidence
	missing  []string
}

// member is what the edges of one pod group share.
type member struct {
	containers []graph.Key // its init containers and containers
	// vertices are the containers' vertices, and vertex the group's, nil
	// where topology added none: looked up once, not once per edge.
	vertices []*graph.Vertex
	vertex   *graph.Vertex
	missing  [2]string // the NetworkPolicy it lacks, by netpol.Direction
	host     string    // the hostNetwork setting to drop
}

// ruleRef names one rule of a policy.
type ruleRef struct {
	policy    estate.Ref
	direction netpol.Direction
	rule      int
}

// portSlice identifies a list of ports by its memory: flows share their
// destination's list, or a part of it.
type portSlice struct {
	first *netpol.Port
	n     int
}

// portRange is a protocol's ports from … to.
type portRange struct {
	protocol corev1.Protocol
	from, to int32
}

// Build adds the cluster's network vertices and edges to g. The topology
// builder must have added the pod groups, containers and services first.
func Build(g *graph.Builder, s *estate.Snapshot, prefix string, groups []*workload.Group, e *netpol.Engine) {
	b := &builder{g: g, s: s, e: e, prefix: prefix, groups: groups,
		hub: graph.NewKey(prefix, graph.KindPodNetwork), nodes: reachOfNodes(s.Nodes),
		members: map[*workload.Group]*member{}, rules: map[ruleRef]graph.Evidence{}, portText: map[portRange]string{},
		portList: map[portSlice][]string{}}
	b.podNetwork()
	b.flows()
	b.internetEgress()
	b.services()
	b.ingresses()
	b.hostPorts()
}

func (b *builder) edge(from, to graph.Key, e graph.Edge) {
	if err := b.g.AddEdge(from, to, e); err != nil {
		b.s.Report(&estate.Diagnostic{Severity: estate.Warning, Object: string(from),
			Err: fmt.Errorf("cluster %s: %w", b.s.Cluster, err)})
	}
}

// podNetwork adds the step from each pod group to the containers that
// listen on a port: traffic that reaches a pod reaches its listening
// containers, which an exploit turns into code execution.
func (b *builder) podNetwork() {
	for _, pg := range b.groups {
		for _, c := range pg.Template.Spec.Containers {
			if len(c.Ports) == 0 {
				continue
			}
			var ports []string
			for _, p := range c.Ports {
				ports = append(ports, portString(p.Protocol, p.ContainerPort))
			}
			b.edge(pg.Key, b.container(pg, c.Name), graph.Edge{Technique: graph.TechExploit, Ports: ports,
				Evidence: []graph.Evidence{{Object: pg.Key, Detail: "container " + c.Name + " listens"}}})
		}
	}
}

// container returns the key of a container of a pod group.
func (b *builder) container(pg *workload.Group, name string) graph.Key {
	return graph.NewKey(b.prefix, graph.KindContainer, pg.Namespace(), pg.Meta.Name, name)
}

// member returns what the edges of a pod group share, built on first use.
func (b *builder) member(pg *workload.Group) *member {
	m := b.members[pg]
	if m == nil {
		m = &member{}
		spec := &pg.Template.Spec
		for _, cs := range [][]corev1.Container{spec.InitContainers, spec.Containers} {
			for i := range cs {
				k := b.container(pg, cs[i].Name)
				m.containers = append(m.containers, k)
				m.vertices = append(m.vertices, b.g.Vertex(k))
			}
		}
		m.vertex = b.g.Vertex(pg.Key)
		b.members[pg] = m
	}
	return m
}

// send adds a connection from every container of a pod group to the
// vertex to, of key k: the pod's network is theirs, and only code running
// in one of them can use it. A vertex that is missing (nil) is reported.
func (b *builder) send(pg *workload.Group, k graph.Key, to *graph.Vertex, e graph.Edge) {
	m := b.member(pg)
	for i, c := range m.containers {
		if from := m.vertices[i]; from != nil && to != nil {
			b.g.AddEdgeBetween(from, to, e)
		} else {
			b.edge(c, k, e)
		}
	}
}

// flows adds an edge per allowed flow between pod groups, and the hub's
// edges for traffic no policy restricts.
func (b *builder) flows() {
	hub := false
	for f := range b.e.AllFlows() { // the graph sorts what it holds
		ports := b.flowPorts(f.Ports)
		if f.From == nil {
			for _, dst := range f.To.Groups {
				hub = true
				b.evidence = b.appendEvidence(b.evidence[:0], f.Ingress, dst.Key)
				b.missing = b.appendMissing(b.missing[:0], f.Ingress, dst)
				b.edge(b.ensureHub(), dst.Key, graph.Edge{Technique: graph.TechConnect, Ports: ports,
					Evidence: slices.Clone(nonEmpty(b.evidence)), Missing: slices.Clone(nonEmpty(b.missing))})
			}
			continue
		}
		for _, src := range f.From.Groups {
			for _, dst := range f.To.Groups {
				if src == dst {
					continue // replicas of one group: no boundary between them
				}
				b.evidence = b.appendEvidence(b.appendEvidence(b.evidence[:0], f.Egress, src.Key), f.Ingress, dst.Key)
				b.missing = b.appendMissing(b.appendMissing(b.missing[:0], f.Egress, src), f.Ingress, dst)
				// One copy of the lists, sorted, serves the edges from every
				// container: the graph would sort a copy for each.
				b.send(src, dst.Key, b.member(dst).vertex, graph.Edge{Technique: graph.TechConnect, Ports: ports,
					Evidence: sortedEvidence(b.evidence), Missing: sortedStrings(b.missing)})
			}
		}
	}
	if !hub {
		return
	}
	hubVertex := b.g.Vertex(b.hub)
	for _, ep := range b.e.Endpoints() {
		why := b.e.OpenEgress(ep)
		if why == nil {
			continue
		}
		for _, src := range ep.Groups {
			b.send(src, b.hub, hubVertex, graph.Edge{Technique: graph.TechConnect, Ports: []string{"any"},
				Evidence: b.appendEvidence(nil, why, src.Key), Missing: b.appendMissing(nil, why, src)})
		}
	}
}

// ensureHub adds the cluster's pod-network vertex on first use.
func (b *builder) ensureHub() graph.Key {
	if b.g.Vertex(b.hub) == nil {
		b.edgeless(&graph.Vertex{Key: b.hub, Kind: graph.KindPodNetwork, Name: "pod network",
			Loc: graph.Location{Cluster: b.s.Cluster}})
	}
	return b.hub
}

func (b *builder) edgeless(v *graph.Vertex) {
	if err := b.g.AddVertex(v); err != nil {
		b.s.Report(&estate.Diagnostic{Severity: estate.Warning, Object: string(v.Key), Err: err})
	}
}

// internetEgress adds an edge to the internet from each pod group whose
// egress admits an external address.
func (b *builder) internetEgress() {
	internet := b.g.Vertex(graph.Internet)
	for _, ep := range b.e.Endpoints() {
		ports, why := b.e.InternetEgress(ep)
		if ports == nil {
			continue
		}
		for _, src := range ep.Groups {
			b.send(src, graph.Internet, internet, graph.Edge{Technique: graph.TechEgressInternet, Ports: ports,
				Evidence: b.appendEvidence(nil, why, src.Key), Missing: b.appendMissing(nil, why, src)})
		}
	}
}

// appendEvidence turns one side's reasons into edge evidence: the policy
// rule that allowed the traffic, or the pod group that no policy isolates.
func (b *builder) appendEvidence(out []graph.Evidence, rs []netpol.Reason, subject graph.Key) []graph.Evidence {
	for i := range rs {
		r := &rs[i]
		if r.Kind != netpol.ByRule {
			out = append(out, graph.Evidence{Object: subject, Detail: r.Text})
			continue
		}
		ref := ruleRef{r.Policy, r.Direction, r.Rule}
		ev, ok := b.rules[ref]
		if !ok {
			ev = graph.Evidence{Object: graph.NewKey(b.prefix, "networkpolicy", r.Policy.Namespace, r.Policy.Name),
				Detail: fmt.Sprintf("%s rule %d", r.Direction, r.Rule)}
			b.rules[ref] = ev
		}
		out = append(out, ev)
	}
	return out
}

// appendMissing names the control whose absence let one side allow the
// traffic: a NetworkPolicy isolating the pod group in that direction, or,
// for a hostNetwork pod, which no policy can isolate, dropping hostNetwork.
func (b *builder) appendMissing(out []string, rs []netpol.Reason, pg *workload.Group) []string {
	for _, r := range rs {
		switch r.Kind {
		case netpol.NotIsolated:
			m := b.member(pg)
			if m.missing[r.Direction] == "" {
				m.missing[r.Direction] = fmt.Sprintf("%s NetworkPolicy for %s", r.Direction, pg.Key)
			}
			out = append(out, m.missing[r.Direction])
		case netpol.HostNetwork:
			m := b.member(pg)
			if m.host == "" {
				m.host = fmt.Sprintf("hostNetwork: false on %s", pg.Key)
			}
			out = append(out, m.host)
		}
	}
	return out
}

func portString(proto corev1.Protocol, n int32) string {
	if proto == "" {
		proto = corev1.ProtocolTCP
	}
	return fmt.Sprintf("%s/%d", strings.ToLower(string(proto)), n)
}

// sortedEvidence returns a sorted copy of ev without repeats, nil when it
// is empty, as the graph keeps an edge's evidence.
func sortedEvidence(ev []graph.Evidence) []graph.Evidence {
	if len(ev) == 0 {
		return nil
	}
	out := slices.Clone(ev)
	slices.SortFunc(out, func(a, b graph.Evidence) int {
		return cmp.Or(cmp.Compare(a.Object, b.Object), cmp.Compare(a.Detail, b.Detail))
	})
	return slices.Compact(out)
}

// sortedStrings returns a sorted copy of s without repeats, nil when it
// is empty.
func sortedStrings(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	out := slices.Clone(s)
	slices.Sort(out)
	return slices.Compact(out)
}

// nonEmpty returns s, or nil when it is empty: a scratch list emptied for
// reuse must not give an edge an empty list where it would have none.
func nonEmpty[S ~[]E, E any](s S) S {
	if len(s) == 0 {
		return nil
	}
	return s
}

// flowPorts returns the portStrings of a flow's ports, made once per list
// shared by several flows. The result is shared by their edges.
func (b *builder) flowPorts(ps []netpol.Port) []string {
	if len(ps) == 0 {
		return nil
	}
	k := portSlice{&ps[0], len(ps)}
	out, ok := b.portList[k]
	if !ok {
		out = slices.Clone(b.portStrings(ps))
		b.portList[k] = out
	}
	return out
}

// portStrings writes ports as "tcp/8080", merging consecutive numbers of
// one protocol into ranges ("tcp/8000-8002"). The list is b's scratch,
// valid until the next call; the texts are made once.
func (b *builder) portStrings(ps []netpol.Port) []string {
	out := b.ports[:0]
	for i := 0; i < len(ps); {
		j := i
		for j+1 < len(ps) && ps[j+1].Protocol == ps[i].Protocol && ps[j+1].Number <= ps[j].Number+1 {
			j++
		}
		k := portRange{ps[i].Protocol, ps[i].Number, ps[j].Number}
		s, ok := b.portText[k]
		if !ok {
			s = portString(k.protocol, k.from)
			if k.to != k.from {
				s += fmt.Sprintf("-%d", k.to)
			}
			b.portText[k] = s
		}
		out = append(out, s)
		i = j + 1
	}
	b.ports = slices.Compact(out)
	return b.ports
}
