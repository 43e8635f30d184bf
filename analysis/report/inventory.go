package report

import (
	"cmp"
	"slices"
	"strings"

	"github.com/trustpath/trustpath/graph"
)

// Scope is what the collectors read, told as plain data: this package
// knows no Kubernetes, so the command fills it from the load.
type Scope struct {
	Sources  []string       // as the user named them: "prod=testdata/demo/prod"
	Clusters []ClusterScope // sorted by name
}

// ClusterScope is what was read of one cluster and what could not be.
type ClusterScope struct {
	Name    string
	Objects int
	Skipped []KindCount // kinds read but not analysed, sorted by kind
	// Gaps are what a live read was not allowed to list, as sentences.
	Gaps []string
	// Problems are the warnings and errors met reading, as printed.
	Problems []string
}

// KindCount is a kind and how many objects of it there are.
type KindCount struct {
	Kind  string `json:"kind"`
	Count int    `json:"count"`
}

// Inventory is what the estate holds, per cluster.
type Inventory struct {
	Clusters []ClusterInventory
}

// ClusterInventory counts one cluster's vertices by what they are.
type ClusterInventory struct {
	Name            string
	Nodes           []*graph.Vertex // sorted by key
	Namespaces      []NamespaceInventory
	Workloads       int // pod groups
	Containers      int
	ServiceAccounts int
	Users, Groups   int
	Secrets         int
	Services        int
	Ingresses       int
	// MountedTokens are the pod groups whose containers hold a
	// service-account token.
	MountedTokens int
	Agents        []Agent
}

// NamespaceInventory is one namespace and its isolation.
type NamespaceInventory struct {
	Name      string
	PSA       string // the enforced Pod Security level, "" when none
	Workloads int
	Secrets   int
	// OpenIngress and OpenEgress count the pod groups that no
	// NetworkPolicy isolates, as the network steps' missing controls say.
	OpenIngress, OpenEgress int
}

// Agent is a detection or monitoring agent recognised by its image: a
// control that detects and limits rather than prevents.
type Agent struct {
	Workload *graph.Vertex
	Image    string
	Role     string
	// Host is true for an agent that needs the node itself (its kernel,
	// processes, network or files) by design, so privilege there may be an
	// accepted risk rather than a fault.
	Host bool
}

// agentImages maps the last segment of an image name (without tag) to the
// role of the agent. Matching is by prefix of that segment.
var agentImages = []struct {
	name, role string
	host       bool
}{
	{"falco", "runtime security: Falco", true},
	{"tetragon", "runtime security: Tetragon", true},
	{"tracee", "runtime security: Tracee", true},
	{"sysdig", "runtime security: Sysdig", true},
	{"kubearmor", "runtime security: KubeArmor", true},
	{"node-exporter", "host metrics: Prometheus node exporter", true},
	{"prometheus", "monitoring: Prometheus", false},
	{"loki", "log aggregation: Loki", false},
	{"promtail", "log shipping: Promtail", true},
	{"fluent-bit", "log shipping: Fluent Bit", true},
	{"fluentd", "log shipping: Fluentd", true},
	{"vector", "log shipping: Vector", true},
	{"alloy", "telemetry: Grafana Alloy", true},
	{"opentelemetry-collector", "telemetry: OpenTelemetry Collector", false},
	{"datadog", "monitoring: Datadog agent", true},
}

// agentOf returns the agent an image is, if any.
func agentOf(image string) (role string, host, ok bool) {
	name := image[strings.LastIndexByte(image, '/')+1:]
	if i := strings.IndexAny(name, ":@"); i >= 0 {
		name = name[:i]
	}
	for _, a := range agentImages {
		if strings.HasPrefix(name, a.name) {
			return a.role, a.host, true
		}
	}
	return "", false, false
}

func inventory(g *graph.Graph) Inventory {
	byCluster := map[string]*ClusterInventory{}
	namespaces := map[string]map[string]*NamespaceInventory{}
	ci := func(c string) *ClusterInventory {
		if byCluster[c] == nil {
			byCluster[c] = &ClusterInventory{Name: c}
			namespaces[c] = map[string]*NamespaceInventory{}
		}
		return byCluster[c]
	}
	ns := func(l graph.Location) *NamespaceInventory {
		ci(l.Cluster)
		n := namespaces[l.Cluster][l.Namespace]
		if n == nil {
			n = &NamespaceInventory{Name: l.Namespace}
			namespaces[l.Cluster][l.Namespace] = n
		}
		return n
	}
	for _, v := range g.Vertices() {
		if v.Loc.Cluster == "" {
			continue // the internet
		}
		c := ci(v.Loc.Cluster)
		switch {
		case v.Kind == graph.KindNode:
			c.Nodes = append(c.Nodes, v)
		case v.Kind == graph.KindNamespace:
			ns(v.Loc).PSA = v.Prop("psa-enforce")
		case v.Kind.IsWorkload():
			c.Workloads++
			ns(v.Loc).Workloads++
		case v.Kind == graph.KindContainer:
			c.Containers++
			if role, host, ok := agentOf(v.Prop(graph.PropImage)); ok {
				if w := g.Lookup(v.Loc.Pod); w != nil && !slices.ContainsFunc(c.Agents, func(a Agent) bool { return a.Workload == w }) {
					c.Agents = append(c.Agents, Agent{Workload: w, Image: v.Prop(graph.PropImage), Role: role, Host: host})
				}
			}
		case v.Kind == graph.KindServiceAccount:
			c.ServiceAccounts++
		case v.Kind == graph.KindUser:
			c.Users++
		case v.Kind == graph.KindGroup:
			c.Groups++
		case v.Kind == graph.KindSecret:
			c.Secrets++
			ns(v.Loc).Secrets++
		case v.Kind == graph.KindService:
			c.Services++
		case v.Kind == graph.KindIngress:
			c.Ingresses++
		}
	}
	mounted := map[*graph.Vertex]bool{}
	open := map[string]bool{} // "ingress NetworkPolicy for KEY", once each
	for _, e := range g.Edges() {
		if e.Technique == graph.TechMountToken && e.F.Kind == graph.KindContainer {
			if w := g.Lookup(e.F.Loc.Pod); w != nil && !mounted[w] {
				mounted[w] = true
				ci(w.Loc.Cluster).MountedTokens++
			}
		}
		for _, m := range e.Missing {
			if open[m] {
				continue
			}
			open[m] = true
			dir, key, ok := strings.Cut(m, " NetworkPolicy for ")
			if !ok {
				continue
			}
			if w := g.Lookup(graph.Key(key)); w != nil && w.Kind.IsWorkload() {
				switch dir {
				case "ingress":
					ns(w.Loc).OpenIngress++
				case "egress":
					ns(w.Loc).OpenEgress++
				}
			}
		}
	}
	var inv Inventory
	for _, c := range byCluster {
		for _, n := range namespaces[c.Name] {
			if n.Name != "" {
				c.Namespaces = append(c.Namespaces, *n)
			}
		}
		slices.SortFunc(c.Namespaces, func(a, b NamespaceInventory) int { return cmp.Compare(a.Name, b.Name) })
		slices.SortFunc(c.Agents, func(a, b Agent) int { return cmp.Compare(a.Workload.Key, b.Workload.Key) })
		inv.Clusters = append(inv.Clusters, *c)
	}
	slices.SortFunc(inv.Clusters, func(a, b ClusterInventory) int { return cmp.Compare(a.Name, b.Name) })
	return inv
}
