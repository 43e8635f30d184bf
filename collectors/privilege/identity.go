package privilege

import (
	"slices"

	rbacv1 "k8s.io/api/rbac/v1"

	"github.com/trustpath/trustpath/collectors/escape"
	"github.com/trustpath/trustpath/collectors/estate"
	"github.com/trustpath/trustpath/collectors/rbac"
	"github.com/trustpath/trustpath/collectors/workload"
	"github.com/trustpath/trustpath/graph"
)

// grant is a rule of a binding that gives some capability, with what the
// edges it gives show, made once per binding.
type grant struct {
	rbac.Grant
	evidence graph.Evidence // the binding, role and rule
	missing  string         // the binding grants too much: see tooMuch
}

// holding is one capability an identity holds in one scope: the grants
// behind it and the names it is limited to (nil when unlimited).
type holding struct {
	grants []*grant
	all    bool     // some grant has no resourceNames
	names  []string // union of the limited grants' names
}

func (h *holding) held() bool { return h != nil && len(h.grants) > 0 }

// allows reports whether the holding covers an object named name.
func (h *holding) allows(name string) bool {
	return h.held() && (h.all || slices.Contains(h.names, name))
}

// add joins x's grants and names to h's.
func (h *holding) add(x *holding) {
	h.grants = append(h.grants, x.grants...)
	h.all = h.all || x.all
	h.names = append(h.names, x.names...)
}

// caps are the capabilities held in one scope.
type caps [numCapabilities]*holding

// unlimitedOnly are capabilities whose requests carry no object name
// (creating in a collection) or that make no sense for one object: a rule
// limited by resourceNames does not grant them.
var unlimitedOnly = []capability{capCreatePods, capCreateCronJobs, capCreateDaemonSets,
	capCreateSecrets, capBindRoles, capBindClusterRoles, capCSRCreate, capWebhook, capWildcard}

// scopes collects an identity's capabilities by namespace, "" being
// cluster-wide, from the bindings naming it in the order given. A
// namespace where they give no capability has no entry.
func (b *builder) scopes(bound []rbac.Bound) map[string]*caps {
	out := map[string]*caps{}
	for _, bd := range bound {
		gave := b.granted(bd)
		if gave == nil {
			continue
		}
		c := out[bd.Namespace()]
		if c == nil {
			c = &caps{}
			out[bd.Namespace()] = c
		}
		for cp, x := range gave {
			if x == nil {
				continue
			}
			if c[cp] == nil {
				c[cp] = &holding{}
			}
			c[cp].add(x)
		}
	}
	return out
}

// granted returns the capabilities one binding gives, nil when none,
// worked out once per binding: a group bound in every namespace, and the
// default bindings every identity holds, come up again and again.
func (b *builder) granted(bd rbac.Bound) *caps {
	if c, ok := b.bound[bd]; ok {
		return c
	}
	var c *caps
	var missing string
	for i := range bd.Rules() {
		rule := bd.Rule(i)
		names := named(rule)
		var g *grant
		for cp, ok := range b.match(rule) {
			if !ok || (names != nil && slices.Contains(unlimitedOnly, capability(cp))) {
				continue
			}
			if g == nil {
				g = &grant{Grant: bd.Grant(i)}
				if missing == "" {
					missing = tooMuch(&g.Grant)
				}
				g.evidence, g.missing = b.grantEvidence(&g.Grant, rule), missing
			}
			if c == nil {
				c = &caps{}
			}
			h := c[cp]
			if h == nil {
				h = &holding{}
				c[cp] = h
			}
			h.grants = append(h.grants, g)
			if names == nil {
				h.all = true
			} else {
				h.names = append(h.names, names...)
			}
		}
	}
	b.bound[bd] = c
	return c
}

// match returns the capabilities a rule grants, worked out once per rule:
// the bindings of one role share its rules.
func (b *builder) match(rule *rbacv1.PolicyRule) *[numCapabilities]bool {
	if m, ok := b.matched[rule]; ok {
		return m
	}
	m := new([numCapabilities]bool)
	*m = match(rule)
	b.matched[rule] = m
	return m
}

// none is the holding of a capability nobody holds; it must not be modified.
var none = &holding{}

// in returns the holding of a capability in a namespace from the
// cluster-wide grants and the namespace's own, joined. The result may be
// one of theirs and must not be modified.
func in(cluster, local *caps, c capability) *holding {
	var x, y *holding
	if cluster != nil {
		x = cluster[c]
	}
	if local != nil {
		y = local[c]
	}
	switch {
	case !y.held() && x.held():
		return x
	case !x.held() && y.held():
		return y
	case !x.held():
		return none
	}
	h := &holding{}
	h.add(x)
	h.add(y)
	return h
}

// identity adds the edges one identity's permissions give.
func (b *builder) identity(id identity) {
	if b.g.Vertex(id.key) == nil {
		return
	}
	sc := b.scopes(b.az.BindingsFor(id.subject.Identity()))
	if len(sc) == 0 {
		return
	}
	// Every permission cluster-wide is cluster-admin, and the cluster-admin
	// vertex reaches the rest: one edge instead of one per object.
	if h := sc[""]; h != nil && h[capWildcard].held() {
		b.step(id.key, b.clusterAdmin(), graph.TechAdmin, h[capWildcard], "every permission")
		return
	}
	// Most identities hold namespaced rights in a few namespaces and
	// cluster-wide only the defaults every user has (discovery, self-review):
	// visit every namespace only for a cluster-wide namespaced right.
	namespaces := b.namespaces
	if !namespacedAnywhere(sc[""]) {
		namespaces = nil
		for ns := range sc {
			if ns != "" {
				namespaces = append(namespaces, ns)
			}
		}
		slices.Sort(namespaces)
	}
	for _, ns := range namespaces {
		b.namespaced(id, sc, ns)
	}
	b.clusterWide(id, sc)
}

// clusterOnly are the capabilities only cluster-scoped resources give.
var clusterOnly = []capability{capKubeletProxy, capImpersonateUsers, capImpersonateGroups,
	capBindClusterRoles, capCSRCreate, capCSRApprove, capSignerApprove, capWebhook}

// namespacedAnywhere reports whether cluster-wide grants hold a capability
// that acts in namespaces.
func namespacedAnywhere(c *caps) bool {
	if c == nil {
		return false
	}
	for cp, h := range c {
		if h.held() && !slices.Contains(clusterOnly, capability(cp)) {
			return true
		}
	}
	return false
}

// step is an edge with its grants as evidence and missing control.
func (b *builder) step(from, to graph.Key, tech graph.Technique, h *holding, what string, extra ...graph.Evidence) {
	t := b.g.Vertex(to)
	if from == to || t == nil {
		return
	}
	e := graph.Edge{Technique: tech, Evidence: make([]graph.Evidence, 0, len(extra)+len(h.grants)),
		Missing: make([]string, 0, len(h.grants))}
	e.Evidence = append(e.Evidence, extra...)
	for _, g := range h.grants {
		e.Evidence = append(e.Evidence, g.evidence)
		e.Missing = append(e.Missing, g.missing)
	}
	if f := b.g.Vertex(from); f != nil {
		b.g.AddEdgeBetween(f, t, e) // to is looked up already
		return
	}
	b.edge(from, to, e) // reports the missing vertex
}

// namespaced adds the edges of the capabilities an identity holds in ns.
func (b *builder) namespaced(id identity, sc map[string]*caps, ns string) {
	cluster, local := sc[""], sc[ns]
	// Admin of the namespace: the namespace-admin vertex reaches the rest.
	if sc[ns] != nil && sc[ns][capWildcard].held() {
		b.step(id.key, b.namespaceAdmin(ns), graph.TechAdmin, sc[ns][capWildcard], "every permission")
		return
	}
	if h := adminBinding(sc, ns); h.held() {
		b.step(id.key, b.namespaceAdmin(ns), graph.TechAdmin, h, "the admin role")
		return
	}
	if h := in(cluster, local, capReadSecrets); h.held() {
		for _, sec := range b.secrets[ns] {
			if h.allows(sec.Name) {
				b.step(id.key, b.key(graph.KindSecret, ns, sec.Name), graph.TechReadSecret, h, "read secrets")
			}
		}
	}
	if h := in(cluster, local, capCreatePods); h.held() {
		b.step(id.key, b.podCreation(ns), graph.TechCreatePods, h, "create pods")
	}
	if h := in(cluster, local, capCreateCronJobs); h.held() {
		b.step(id.key, b.podCreation(ns), graph.TechCronJob, h, "create cronjobs")
	}
	if h := in(cluster, local, capCreateDaemonSets); h.held() {
		b.step(id.key, b.podCreation(ns), graph.TechDaemonSet, h, "create daemonsets")
	}
	if h := in(cluster, local, capModifyPods); h.held() {
		b.toPods(id.key, ns, h, graph.TechModifyWorkload)
	}
	if h := in(cluster, local, capExec); h.held() {
		b.toPods(id.key, ns, h, graph.TechExec)
	}
	if h := in(cluster, local, capPortForward); h.held() {
		for _, g := range b.groups[ns] {
			if h.all || podNamed(g, h.names) {
				b.step(id.key, g.Key, graph.TechPortForward, h, "port-forward")
			}
		}
	}
	if h := in(cluster, local, capTokenRequest); h.held() {
		for _, sa := range b.accounts[ns] {
			if h.allows(sa) {
				b.step(id.key, b.key(graph.KindServiceAccount, ns, sa), graph.TechTokenRequest, h, "create serviceaccounts/token")
			}
		}
	}
	if h, read := in(cluster, local, capCreateSecrets), in(cluster, local, capReadSecrets); h.held() && read.all {
		for _, sa := range b.accounts[ns] {
			b.step(id.key, b.key(graph.KindServiceAccount, ns, sa), graph.TechTokenSecret, h, "create and read secrets")
		}
	}
	if h := in(cluster, local, capImpersonateSAs); h.held() {
		for _, sa := range b.accounts[ns] {
			if h.allows(sa) {
				b.step(id.key, b.key(graph.KindServiceAccount, ns, sa), graph.TechImpersonate, h, "impersonate serviceaccounts")
			}
		}
	}
	if bind, verb := in(cluster, local, capBindRoles), in(cluster, local, capBindVerb); bind.held() && verb.held() {
		b.step(id.key, b.namespaceAdmin(ns), graph.TechBindRole, join(bind, verb), "create rolebindings with bind")
	}
	if esc, bind := in(cluster, local, capEscalate), in(cluster, local, capBindRoles); esc.held() && bind.held() {
		b.step(id.key, b.namespaceAdmin(ns), graph.TechBindRole, join(esc, bind), "escalate roles")
	}
}

// clusterWide adds the edges of capabilities that only a ClusterRoleBinding
// can give: on cluster-scoped resources, or cluster-admin itself.
func (b *builder) clusterWide(id identity, sc map[string]*caps) {
	c := sc[""]
	if c == nil {
		return
	}
	if h := c[capKubeletProxy]; h.held() {
		for _, ns := range b.namespaces {
			b.step(id.key, b.podControl(ns), graph.TechKubeletProxy, h, "nodes/proxy")
		}
	}
	if h := c[capImpersonateUsers]; h.held() {
		for _, u := range b.usersAndGroups(graph.KindUser) {
			if h.allows(u) {
				b.step(id.key, b.key(graph.KindUser, u), graph.TechImpersonate, h, "impersonate users")
			}
		}
	}
	if h := c[capImpersonateGroups]; h.held() {
		for _, gname := range b.usersAndGroups(graph.KindGroup) {
			if h.allows(gname) {
				b.step(id.key, b.key(graph.KindGroup, gname), graph.TechImpersonate, h, "impersonate groups")
			}
		}
		if h.allows("system:masters") {
			b.step(id.key, b.clusterAdmin(), graph.TechImpersonate, h, "impersonate group system:masters")
		}
	}
	if bind, verb := c[capBindClusterRoles], c[capBindVerb]; bind.held() && verb.held() {
		b.step(id.key, b.clusterAdmin(), graph.TechBindRole, join(bind, verb), "create clusterrolebindings with bind")
	}
	if esc, bind := c[capEscalate], c[capBindClusterRoles]; esc.held() && bind.held() {
		b.step(id.key, b.clusterAdmin(), graph.TechBindRole, join(esc, bind), "escalate clusterroles")
	}
	if cr, ap, sg := c[capCSRCreate], c[capCSRApprove], c[capSignerApprove]; cr.held() && ap.held() && sg.held() {
		b.step(id.key, b.clusterAdmin(), graph.TechSignCertificate, join(cr, join(ap, sg)), "create and approve certificate signing requests")
	}
	if h := c[capWebhook]; h.held() {
		b.step(id.key, b.clusterAdmin(), graph.TechWebhook, h, "register mutating admission webhooks")
	}
}

// toPods adds the step to the namespace's pod-control vertex when the
// holding covers every pod, or to the containers of the pod groups it
// names (by the group's or a bare pod's name).
func (b *builder) toPods(from graph.Key, ns string, h *holding, tech graph.Technique) {
	if h.all {
		b.step(from, b.podControl(ns), tech, h, string(tech))
		return
	}
	for _, g := range b.groups[ns] {
		if podNamed(g, h.names) || slices.Contains(h.names, g.Meta.Name) {
			spec := &g.Template.Spec
			for _, c := range slices.Concat(spec.InitContainers, spec.Containers) {
				b.step(from, b.key(graph.KindContainer, ns, g.Meta.Name, c.Name), tech, h, string(tech))
			}
		}
	}
}

// podNamed reports whether a bare pod group is one of names; pods of
// controllers have generated names the manifests do not know.
func podNamed(g *workload.Group, names []string) bool {
	return g.Kind == graph.KindPod && slices.Contains(names, g.Meta.Name)
}

// adminBinding returns the grants binding the admin or cluster-admin
// ClusterRole in namespace ns: their holder is that namespace's admin.
func adminBinding(sc map[string]*caps, ns string) *holding {
	h := &holding{all: true}
	if sc[ns] == nil {
		return h
	}
	for _, c := range sc[ns] {
		if c == nil {
			continue
		}
		for _, gr := range c.grants {
			if gr.Role.Kind == "ClusterRole" && (gr.Role.Name == "admin" || gr.Role.Name == "cluster-admin") &&
				!slices.ContainsFunc(h.grants, func(x *grant) bool { return x.Binding == gr.Binding }) {
				h.grants = append(h.grants, gr)
			}
		}
	}
	return h
}

func join(a, b *holding) *holding {
	return &holding{grants: slices.Concat(a.grants, b.grants), all: true}
}

// usersAndGroups lists the users or groups of the cluster that have a vertex.
func (b *builder) usersAndGroups(kind graph.Kind) []string {
	var out []string
	for _, s := range b.az.Subjects() {
		if (kind == graph.KindUser && s.Kind == "User") || (kind == graph.KindGroup && s.Kind == "Group") {
			out = append(out, s.Name)
		}
	}
	return out
}

// clusterAdmin returns the cluster's cluster-admin vertex, added on first
// use with what it reaches: every namespace's admin, and any node through a
// privileged pod (it can relabel any namespace's Pod Security).
func (b *builder) clusterAdmin() graph.Key {
	k := b.key(graph.KindClusterAdmin)
	if b.g.Vertex(k) != nil {
		return k
	}
	b.vertex(&graph.Vertex{Key: k, Kind: graph.KindClusterAdmin, Name: "cluster-admin",
		Loc: graph.Location{Cluster: b.s.Cluster}})
	ev := []graph.Evidence{{Object: k, Detail: "cluster-admin may do anything"}}
	for _, ns := range b.namespaces {
		b.edge(k, b.namespaceAdmin(ns), graph.Edge{Technique: graph.TechAdmin, Evidence: ev})
	}
	if n := b.anyNode(); n != "" {
		b.edge(k, n, graph.Edge{Technique: graph.TechPrivilegedPod, Evidence: ev})
	}
	return k
}

// namespaceAdmin returns the admin vertex of a namespace, added on first
// use with the steps its holder can take in the namespace.
func (b *builder) namespaceAdmin(ns string) graph.Key {
	k := b.key(graph.KindNamespaceAdmin, ns)
	if b.g.Vertex(k) != nil {
		return k
	}
	b.vertex(&graph.Vertex{Key: k, Kind: graph.KindNamespaceAdmin, Name: ns,
		Loc: graph.Location{Cluster: b.s.Cluster, Namespace: ns}})
	ev := []graph.Evidence{{Object: k, Detail: "an admin of namespace " + ns + " may do all of these"}}
	b.edge(k, b.podCreation(ns), graph.Edge{Technique: graph.TechCreatePods, Evidence: ev})
	b.edge(k, b.podControl(ns), graph.Edge{Technique: graph.TechExec, Evidence: ev})
	for _, sec := range b.secrets[ns] {
		b.edge(k, b.key(graph.KindSecret, ns, sec.Name), graph.Edge{Technique: graph.TechReadSecret, Evidence: ev})
	}
	return k
}

// podCreation returns the vertex of creating pods in a namespace, added on
// first use with what that gives: running as any of its service accounts,
// mounting any of its Secrets, and any node through a privileged pod when
// the namespace's Pod Security level admits one.
func (b *builder) podCreation(ns string) graph.Key {
	k := b.key(graph.KindPodCreation, ns)
	if b.g.Vertex(k) != nil {
		return k
	}
	b.vertex(&graph.Vertex{Key: k, Kind: graph.KindPodCreation, Name: ns,
		Loc: graph.Location{Cluster: b.s.Cluster, Namespace: ns}})
	ev := []graph.Evidence{{Object: k, Detail: "a pod created in namespace " + ns + " may name any of its accounts and Secrets"}}
	for _, sa := range b.accounts[ns] {
		b.edge(k, b.key(graph.KindServiceAccount, ns, sa), graph.Edge{Technique: graph.TechRunAsAccount, Cost: 0.5, Evidence: ev})
	}
	for _, sec := range b.secrets[ns] {
		b.edge(k, b.key(graph.KindSecret, ns, sec.Name), graph.Edge{Technique: graph.TechMountInNewPod, Cost: 0.5, Evidence: ev})
	}
	level, detail := b.psa[ns], "pod-security.kubernetes.io/enforce: "+b.psa[ns]
	if level == "" {
		level = b.opts.DefaultPSA
		detail = "no pod-security.kubernetes.io/enforce label (cluster default: " + level + ")"
	}
	if n := b.anyNode(); level == "privileged" && n != "" {
		b.edge(k, n, graph.Edge{Technique: graph.TechPrivilegedPod, Cost: 1,
			Evidence: []graph.Evidence{{Object: b.key(graph.KindNamespace, ns), Detail: detail}},
			Missing:  []string{"Pod Security Admission enforce: baseline on namespace " + ns}})
	}
	return k
}

// podControl returns the vertex of running code in a namespace's pods,
// added on first use with a step to each of their containers.
func (b *builder) podControl(ns string) graph.Key {
	k := b.key(graph.KindPodControl, ns)
	if b.g.Vertex(k) != nil {
		return k
	}
	b.vertex(&graph.Vertex{Key: k, Kind: graph.KindPodControl, Name: ns,
		Loc: graph.Location{Cluster: b.s.Cluster, Namespace: ns}})
	ev := []graph.Evidence{{Object: k, Detail: "exec, attach or a patched workload runs code in any pod of namespace " + ns}}
	for _, g := range b.groups[ns] {
		spec := &g.Template.Spec
		for _, c := range slices.Concat(spec.InitContainers, spec.Containers) {
			b.edge(k, b.key(graph.KindContainer, ns, g.Meta.Name, c.Name), graph.Edge{Technique: graph.TechRunInPod, Evidence: ev})
		}
	}
	return k
}

// anyNode returns the cluster's any-node vertex, or "" when it has no node.
func (b *builder) anyNode() graph.Key {
	return escape.AnyNode(b.g, b.prefix, b.s.Cluster, b.opts.Nodes)
}

func (b *builder) vertex(v *graph.Vertex) {
	if err := b.g.AddVertex(v); err != nil {
		b.s.Report(&estate.Diagnostic{Severity: estate.Warning, Object: string(v.Key), Err: err})
	}
}
