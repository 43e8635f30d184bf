package privilege

import (
	"fmt"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"

	"github.com/trustpath/trustpath/collectors/estate"
	"github.com/trustpath/trustpath/collectors/rbac"
	"github.com/trustpath/trustpath/collectors/workload"
	"github.com/trustpath/trustpath/graph"
)

// Options tune the privilege builder.
type Options struct {
	// DefaultPSA is the Pod Security Admission level of namespaces without
	// an enforce label: "privileged" (the Kubernetes default), "baseline"
	// or "restricted".
	DefaultPSA string
	// Nodes are the node vertices a privileged pod may land on; empty
	// means none is known and no node edge is drawn.
	Nodes []graph.Key
}

// builder holds one cluster's build.
type builder struct {
	g      *graph.Builder
	s      *estate.Snapshot
	az     *rbac.Authorizer
	prefix string
	opts   Options

	namespaces []string
	secrets    map[string][]*corev1.Secret // by namespace
	accounts   map[string][]string         // service account names by namespace
	groups     map[string][]*workload.Group
	allGroups  []*workload.Group
	psa        map[string]string    // enforce level by namespace
	bound      map[rbac.Bound]*caps // what each binding gives: see granted
	matched    map[*rbacv1.PolicyRule]*[numCapabilities]bool
	details    map[detailKey]string // grantEvidence, formatted once per rule
}

// Build adds the edges the cluster's RBAC grants to g. Topology must have
// added the identities, secrets and containers first.
func Build(g *graph.Builder, s *estate.Snapshot, prefix string, groups []*workload.Group, az *rbac.Authorizer, opts Options) {
	if opts.DefaultPSA == "" {
		opts.DefaultPSA = "privileged"
	}
	b := &builder{g: g, s: s, az: az, prefix: prefix, opts: opts,
		secrets: map[string][]*corev1.Secret{}, accounts: map[string][]string{},
		groups: map[string][]*workload.Group{}, allGroups: groups, psa: map[string]string{},
		bound: map[rbac.Bound]*caps{}, matched: map[*rbacv1.PolicyRule]*[numCapabilities]bool{},
		details: map[detailKey]string{}}
	b.index()
	b.tokenSecrets()
	for _, id := range b.identities() {
		b.identity(id)
	}
}

func (b *builder) key(k graph.Kind, parts ...string) graph.Key {
	return graph.NewKey(b.prefix, k, parts...)
}

func (b *builder) index() {
	seen := map[string]bool{}
	addNS := func(ns string) {
		if ns != "" && !seen[ns] {
			seen[ns] = true
			b.namespaces = append(b.namespaces, ns)
		}
	}
	for ref := range b.s.Sources {
		addNS(ref.Namespace)
		if ref.Kind == "Namespace" {
			addNS(ref.Name)
		}
	}
	slices.Sort(b.namespaces)
	for _, ns := range b.s.Namespaces {
		b.psa[ns.Name] = ns.Labels["pod-security.kubernetes.io/enforce"]
	}
	for _, sec := range b.s.Secrets {
		b.secrets[sec.Namespace] = append(b.secrets[sec.Namespace], sec)
	}
	for _, ns := range b.namespaces {
		names := []string{"default"}
		for _, sa := range b.s.ServiceAccounts {
			if sa.Namespace == ns && sa.Name != "default" {
				names = append(names, sa.Name)
			}
		}
		slices.Sort(names)
		b.accounts[ns] = names
	}
	for _, g := range b.allGroups {
		b.groups[g.Namespace()] = append(b.groups[g.Namespace()], g)
	}
}

// tokenSecrets adds the step from a legacy token Secret to the account it
// authenticates as: whoever reads the Secret holds the account.
func (b *builder) tokenSecrets() {
	for _, sec := range b.s.Secrets {
		sa := sec.Annotations[corev1.ServiceAccountNameKey]
		if sec.Type != corev1.SecretTypeServiceAccountToken || sa == "" {
			continue
		}
		from, to := b.key(graph.KindSecret, sec.Namespace, sec.Name), b.key(graph.KindServiceAccount, sec.Namespace, sa)
		if b.g.Vertex(to) == nil {
			continue
		}
		b.edge(from, to, graph.Edge{Technique: graph.TechReadTokenSecret,
			Evidence: []graph.Evidence{{Object: from, Detail: "type " + string(sec.Type) + ", annotation " + corev1.ServiceAccountNameKey + ": " + sa}},
			Missing:  []string{"no long-lived token Secret for serviceaccount " + sec.Namespace + "/" + sa}})
	}
}

// identity is a vertex that acts with RBAC permissions.
type identity struct {
	key     graph.Key
	subject rbac.Subject
}

// identities are every service account of the cluster (they hold the
// implicit groups' rights too), and every user and group a binding names.
func (b *builder) identities() []identity {
	var out []identity
	for _, ns := range b.namespaces {
		for _, name := range b.accounts[ns] {
			out = append(out, identity{b.key(graph.KindServiceAccount, ns, name),
				rbac.Subject{Kind: rbacv1.ServiceAccountKind, Namespace: ns, Name: name}})
		}
	}
	for _, s := range b.az.Subjects() {
		switch s.Kind {
		case rbacv1.UserKind:
			out = append(out, identity{b.key(graph.KindUser, s.Name), s})
		case rbacv1.GroupKind:
			out = append(out, identity{b.key(graph.KindGroup, s.Name), s})
		}
	}
	return out
}

func (b *builder) edge(from, to graph.Key, e graph.Edge) {
	if err := b.g.AddEdge(from, to, e); err != nil {
		b.s.Report(&estate.Diagnostic{Severity: estate.Warning, Object: string(from),
			Err: fmt.Errorf("cluster %s: %w", b.s.Cluster, err)})
	}
}

// grantEvidence names the binding, role and rule behind an edge. rule is
// where gr's rule is kept: the rule's text is made once for the many
// bindings of one role.
func (b *builder) grantEvidence(gr *rbac.Grant, rule *rbacv1.PolicyRule) graph.Evidence {
	k := detailKey{rule, gr.Default}
	detail, ok := b.details[k]
	if !ok {
		detail = fmt.Sprintf("%s rules[%d]: %s", refName(gr.RuleFrom), gr.RuleIndex, rbac.FormatRule(gr.Rule))
		if gr.Default {
			detail += " (Kubernetes default)"
		}
		b.details[k] = detail
	}
	return graph.Evidence{Object: b.refKey(gr.Binding), Detail: detail}
}

// detailKey names the text of a rule in evidence: the rule, which says
// where it is written, and whether the grant is a Kubernetes default.
type detailKey struct {
	rule *rbacv1.PolicyRule
	def  bool
}

// refKey is the key an RBAC object is named by in evidence:
// clusterrolebinding/NAME, rolebinding/NS/NAME.
func (b *builder) refKey(r estate.Ref) graph.Key {
	k := strings.ToLower(r.Kind) + "/" + r.Name
	if r.Namespace != "" {
		k = strings.ToLower(r.Kind) + "/" + r.Namespace + "/" + r.Name
	}
	if b.prefix != "" {
		k = b.prefix + ":" + k
	}
	return graph.Key(k)
}

func refName(r estate.Ref) string {
	if r.Namespace == "" {
		return strings.ToLower(r.Kind) + "/" + r.Name
	}
	return strings.ToLower(r.Kind) + "/" + r.Namespace + "/" + r.Name
}

// tooMuch is the missing control of an RBAC edge: the binding grants more
// than its subjects should hold. Every edge one binding grants shares it,
// whatever capability or namespace, since narrowing that role (or removing
// the binding) is the one fix; what exactly it grants is in the evidence.
func tooMuch(gr *rbac.Grant) string {
	return fmt.Sprintf("least-privilege RBAC: %s (role %s)", refName(gr.Binding), refName(gr.Role))
}
