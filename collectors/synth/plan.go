package synth

import (
	"cmp"
	"fmt"
	"slices"

	corev1 "k8s.io/api/core/v1"
)

// tier is what a workload does; it decides its kind, ports and labels.
type tier string

const (
	tierWeb    tier = "web"
	tierAPI    tier = "api"
	tierWorker tier = "worker"
	tierDB     tier = "db"
	tierCache  tier = "cache"
	tierBatch  tier = "batch"
)

// workloadKind is the controller that runs a pod template.
type workloadKind string

const (
	kindDeployment  workloadKind = "Deployment"
	kindStatefulSet workloadKind = "StatefulSet"
	kindDaemonSet   workloadKind = "DaemonSet"
	kindCronJob     workloadKind = "CronJob"
	kindJob         workloadKind = "Job"
	kindPod         workloadKind = "Pod"
)

// risk is the one risky setting a workload carries, if any.
type risk int

const (
	riskNone risk = iota
	riskPrivileged
	riskHostPath
	riskHostNetwork
	riskHostPID
	riskCapability
	riskRoot
	numRisks
)

// plan is the shape of the estate, decided before any object is written:
// every count the options fix, and every name other namespaces refer to.
type plan struct {
	o        Options
	clusters []*clusterPlan
}

type clusterPlan struct {
	name       string
	index      int
	nodes      []*nodePlan
	namespaces []*nsPlan // sorted by name
	// extraCRBs are the ClusterRoleBindings beyond the system ones.
	extraCRBs    int
	clusterRoles int // custom ClusterRoles
	peers        []string
}

type nodePlan struct {
	name, zone, instanceType string
	index                    int
	public                   bool // has an ExternalIP
}

type nsPlan struct {
	cluster   *clusterPlan
	name      string
	index     int // in plan order, for its random source
	system    bool
	team, env string
	psa       string // enforce level, "" for none
	workloads []*workloadPlan
	policies  int
	bindings  int // RoleBindings
	ingresses int
	// tlsSecrets are the Ingresses with a certificate Secret; with the
	// image pull Secret, the workloads' and extraSecrets they make up the
	// namespace's share of the Secrets.
	tlsSecrets   int
	extraSecrets int
}

type workloadPlan struct {
	name        string
	kind        workloadKind
	tier        tier
	replicas    int // pods; per node for a DaemonSet
	containers  int
	service     corev1.ServiceType // "" for none
	account     string             // dedicated ServiceAccount, "" for the namespace's default
	labels      map[string]string
	ports       []corev1.ContainerPort // of the main container
	image       string
	host        hostAccess
	system      bool
	secret      string // the Secret it reads, "" for none
	config      string // the ConfigMap it reads, "" for none
	noToken     bool   // automountServiceAccountToken: false
	createsJobs bool   // its Role may create Jobs: a scheduler or dispatcher
	hardened    bool   // non-root, read-only root filesystem, no capabilities
}

// hostAccess is what a pod may touch of its node.
type hostAccess struct {
	network, pid, privileged bool
	root                     bool  // runs as UID 0 with privilege escalation
	hostPort                 int32 // 0 for none
	paths                    []hostMount
	capabilities             []corev1.Capability
}

type hostMount struct {
	name, path, mountPath string
	readOnly              bool
	kind                  corev1.HostPathType
}

// newPlan decides the estate's shape. Options must be valid.
func newPlan(o Options) *plan {
	p := &plan{o: o}
	r := newSource(o.Seed, 0)
	equal := func(n int) []float64 {
		w := make([]float64, n)
		for i := range w {
			w[i] = 1
		}
		return w
	}
	nodes := spread(o.Nodes, equal(o.Clusters), 1)
	namespaces := spread(o.Namespaces, equal(o.Clusters), systemNamespaces+1)
	appNS := make([]int, o.Clusters)
	for i := range appNS {
		appNS[i] = namespaces[i] - systemNamespaces
	}
	workloads := spread(o.Workloads, toFloats(appNS), 0)
	fixed := make([]int, o.Clusters) // pods a cluster's system runs
	for i := range fixed {
		fixed[i] = nodes[i]*daemonSets + systemPods
	}
	appPods := spread(o.Pods-sum(fixed), toFloats(workloads), 0)
	bindings := spread(o.Bindings, equal(o.Clusters), 0)
	secrets := spread(o.Secrets, equal(o.Clusters), 0)
	services := spread(o.Services, toFloats(workloads), 0)
	ingresses := spread(o.Ingresses, equal(o.Clusters), 0)
	var names []string
	for i := range o.Clusters {
		names = append(names, clusterName(i, o.Clusters))
	}
	for i := range o.Clusters {
		c := &clusterPlan{name: names[i], index: i}
		for _, n := range names {
			if n != c.name {
				c.peers = append(c.peers, n)
			}
		}
		c.planNodes(r, nodes[i])
		c.planNamespaces(r, o, namespaces[i], workloads[i], appPods[i])
		c.planServices(r, services[i])
		c.planRBAC(r, bindings[i])
		c.planSecrets(r, secrets[i], ingresses[i])
		p.clusters = append(p.clusters, c)
	}
	return p
}

func clusterName(i, n int) string {
	if n == 1 {
		return "synthetic"
	}
	return fmt.Sprintf("cluster-%d", i+1)
}

func (c *clusterPlan) planNodes(r source, n int) {
	zones := []string{"a", "b", "c"}
	types := []string{"m6i.xlarge", "m6i.2xlarge", "c6i.2xlarge", "r6i.xlarge"}
	for i := range n {
		c.nodes = append(c.nodes, &nodePlan{
			name:         fmt.Sprintf("ip-%s.eu-west-1.compute.internal", dashed(nodeIP(i))),
			zone:         "eu-west-1" + pick(r, zones),
			instanceType: pick(r, types),
			index:        i,
			public:       r.chance(0.1),
		})
	}
}

// planNamespaces makes the system namespaces and n-4 application
// namespaces holding the workloads, whose replicas sum to pods.
func (c *clusterPlan) planNamespaces(r source, o Options, n, workloads, pods int) {
	seen := map[string]bool{}
	for _, ns := range c.systemNamespaces() {
		seen[ns.name] = true
		c.namespaces = append(c.namespaces, ns)
	}
	var apps []*nsPlan
	weights := make([]float64, n-systemNamespaces)
	for i := range weights {
		team, env := pick(r, teams), pick(r, envs)
		ns := &nsPlan{cluster: c, name: unique(seen, team+"-"+env), team: team, env: env}
		switch x := r.Float64(); {
		case x < 0.3:
			ns.psa = "restricted"
		case x < 0.6:
			ns.psa = "baseline"
		}
		apps = append(apps, ns)
		weights[i] = r.skew(0.6)
	}
	perNS := spread(workloads, weights, 1)
	var all []*workloadPlan
	for i, ns := range apps {
		names := map[string]bool{}
		for k := range perNS[i] {
			w := &workloadPlan{containers: 1}
			w.kind, w.tier = pickKind(r, k)
			w.name = unique(names, pick(r, nouns)+"-"+pick(r, roles[w.tier]))
			w.labels = map[string]string{
				"app": w.name, "app.kubernetes.io/name": w.name, "app.kubernetes.io/part-of": ns.team,
				"tier": string(w.tier), "component": fmt.Sprintf("c%d", r.IntN(o.LabelValues)),
				"track": []string{"stable", "canary", "beta"}[r.IntN(min(3, o.LabelValues))],
			}
			w.image = fmt.Sprintf("registry.example.com/%s/%s:1.%d.%d", ns.team, w.name, r.IntN(30), r.IntN(10))
			w.ports = tierPorts(r, w.tier)
			if x := r.Float64(); x < 0.1 {
				w.containers = min(3, o.Containers)
			} else if x < 0.3 {
				w.containers = min(2, o.Containers)
			}
			if r.chance(0.6) {
				w.account = w.name
				w.createsJobs = (w.tier == tierWorker || w.tier == tierBatch) && r.chance(0.15)
			} else {
				w.noToken = r.chance(0.3)
			}
			w.hardened = ns.psa == "restricted" || r.chance(0.5)
			if ns.psa != "restricted" && r.chance(o.RiskRate) {
				w.host = riskyAccess(r, risk(1+r.IntN(int(numRisks)-1)))
				w.hardened = false
			}
			ns.workloads = append(ns.workloads, w)
			all = append(all, w)
		}
	}
	// Replicas: a batch pod runs one pod; the rest share what remains,
	// skewed so most run a few and some run many.
	rw := make([]float64, len(all))
	for i, w := range all {
		if w.kind == kindDeployment || w.kind == kindStatefulSet {
			rw[i] = r.skew(1)
		}
	}

	for i, n := range spread(pods, rw, 1) {
		all[i].replicas = n
	}
	c.namespaces = append(c.namespaces, apps...)
	slices.SortFunc(c.namespaces, func(a, b *nsPlan) int { return cmp.Compare(a.name, b.name) })
	// Policies: about one namespace in seven has none, the classic gap.
	pw := make([]float64, len(c.namespaces))
	for i, ns := range c.namespaces {
		ns.index = i
		if ns.system || !r.chance(1.0/7) {
			pw[i] = 0.5 + r.Float64()
		}
	}
	if sum(pw) == 0 {
		pw[len(pw)-1] = 1
	}
	for i, k := range spread(o.Policies*n, pw, 0) {
		c.namespaces[i].policies = k
	}
}

// pickKind chooses a workload's controller and tier; the first workload of
// a namespace is always a web Deployment, so every namespace serves.
func pickKind(r source, k int) (workloadKind, tier) {
	if k == 0 {
		return kindDeployment, tierWeb
	}
	switch x := r.Float64(); {
	case x < 0.25:
		return kindDeployment, tierWeb
	case x < 0.55:
		return kindDeployment, tierAPI
	case x < 0.77:
		return kindDeployment, tierWorker
	case x < 0.84:
		return kindStatefulSet, tierDB
	case x < 0.89:
		return kindStatefulSet, tierCache
	case x < 0.94:
		return kindCronJob, tierBatch
	case x < 0.97:
		return kindJob, tierBatch
	}
	return kindPod, tierWorker
}

// planServices gives n serving workloads a Service: most ClusterIP, a few
// NodePort or LoadBalancer, web tiers more often.
func (c *clusterPlan) planServices(r source, n int) {
	var serving []*workloadPlan
	for _, ns := range c.namespaces {
		for _, w := range ns.workloads {
			if !w.system && len(w.ports) > 0 && (w.kind == kindDeployment || w.kind == kindStatefulSet) {
				serving = append(serving, w)
			}
		}
	}
	for _, i := range r.Perm(len(serving))[:min(n, len(serving))] {
		w := serving[i]
		w.service = corev1.ServiceTypeClusterIP
		x := r.Float64()
		if w.tier == tierWeb {
			x /= 3
		}
		switch {
		case x < 0.03:
			w.service = corev1.ServiceTypeLoadBalancer
		case x < 0.05:
			w.service = corev1.ServiceTypeNodePort
		}
	}
}

// planRBAC splits a cluster's bindings: the system's ClusterRoleBindings,
// one in fifty of the rest cluster-wide, and RoleBindings spread over the
// namespaces by size.
func (c *clusterPlan) planRBAC(r source, bindings int) {
	rest := max(0, bindings-len(systemClusterRoleBindings))
	c.extraCRBs = rest / 50
	c.clusterRoles = max(8, (rest+len(c.namespaces))/100)
	w := make([]float64, len(c.namespaces))
	for i, ns := range c.namespaces {
		w[i] = float64(len(ns.workloads)+2) * (0.5 + r.Float64())
	}
	for i, k := range spread(rest-c.extraCRBs, w, 0) {
		c.namespaces[i].bindings = k
	}
}

// planSecrets gives every namespace an image pull Secret and spreads the
// rest by size; ingresses go to application namespaces.
func (c *clusterPlan) planSecrets(r source, secrets, ingresses int) {
	w := make([]float64, len(c.namespaces))
	iw := make([]float64, len(c.namespaces))
	for i, ns := range c.namespaces {
		w[i] = float64(len(ns.workloads)) + 0.1
		if !ns.system {
			iw[i] = 0.5 + r.Float64()
		}
	}
	for i, k := range spread(ingresses, iw, 0) {
		c.namespaces[i].ingresses = k
	}
	for i, k := range spread(max(secrets, len(c.namespaces)), w, 1) {
		ns := c.namespaces[i]
		// An image pull Secret first, then each Ingress's certificate, then
		// the workloads' credentials; what is left is extras.
		rest := k - 1
		for _, w := range ns.workloads {
			if w.secret != "" { // a system workload's own
				rest--
			}
		}
		rest = max(rest, 0)
		ns.tlsSecrets = min(ns.ingresses, rest)
		rest -= ns.tlsSecrets
		for _, w := range ns.workloads {
			if rest > 0 && !w.system && r.chance(0.85) {
				w.secret = w.name + "-credentials"
				rest--
			}
			if !w.system && r.chance(0.4) {
				w.config = w.name + "-config"
			}
		}
		ns.extraSecrets = rest
	}
}
