package rbac

import (
	"cmp"
	"fmt"
	"maps"
	"slices"

	rbacv1 "k8s.io/api/rbac/v1"

	"github.com/trustpath/trustpath/collectors/estate"
)

// Grant says why a request is allowed: which binding, which role, and which
// of its rules.
type Grant struct {
	Binding estate.Ref // the RoleBinding or ClusterRoleBinding
	Role    estate.Ref // the Role or ClusterRole it references
	// Rule is the rule that allows the request; it is shared with the
	// snapshot and must not be modified. RuleFrom is the role the rule is
	// written in: Role itself, or the ClusterRole Role aggregates it from
	// (view's rules are written in system:aggregate-to-view). RuleIndex is
	// the rule's 0-based index in RuleFrom's rules.
	Rule      rbacv1.PolicyRule
	RuleFrom  estate.Ref
	RuleIndex int
	// Default is true when the binding, the role or the rule's role comes
	// from the Kubernetes defaults rather than the input ([Defaults]).
	Default bool
}

// SubjectGrant is a subject and one grant it holds.
type SubjectGrant struct {
	Subject Subject
	Grant   Grant
}

// ScopedRule is a rule a subject holds and where it applies: Namespace ""
// is cluster-wide (a ClusterRoleBinding), anything else the namespace of a
// RoleBinding.
type ScopedRule struct {
	Namespace string
	Grant     Grant
}

// binding is a RoleBinding or ClusterRoleBinding with its role resolved and
// its subjects' namespaces defaulted.
type binding struct {
	ref       estate.Ref
	namespace string // "" for a ClusterRoleBinding
	role      *role  // nil when the role does not exist
	subjects  []Subject
	def       bool
}

// bindings are the bindings naming one user or group.
type bindings struct {
	cluster    []*binding            // ClusterRoleBindings, by name
	namespaced map[string][]*binding // RoleBindings by namespace, by name
}

// Authorizer answers RBAC questions about one snapshot, with the semantics
// of the Kubernetes RBAC authorizer. It is built once by [New] and is safe
// for concurrent use.
type Authorizer struct {
	users  map[string]*bindings // by user name; service accounts by theirs
	groups map[string]*bindings
	// cluster and namespaced hold every binding whose role exists.
	cluster    []*binding
	namespaced map[string][]*binding
	subjects   []Subject
}

// New indexes the RBAC objects of s, with the Kubernetes defaults (see
// [Defaults]) for the ClusterRoles and ClusterRoleBindings s does not define
// itself. It costs O(bindings + rules), plus the aggregation of the few
// ClusterRoles that aggregate; queries then read only the bindings of the
// subject or namespace they ask about.
//
// New reports what makes a binding grant less than it says as warnings on s
// (a missing role, a ClusterRoleBinding to a Role, a ServiceAccount subject
// without a namespace in a ClusterRoleBinding, an unknown subject kind, an
// aggregation selector that does not parse), so call it once per snapshot.
func New(s *estate.Snapshot) *Authorizer {
	b := &builder{s: s, a: &Authorizer{
		users: map[string]*bindings{}, groups: map[string]*bindings{}, namespaced: map[string][]*binding{},
	}}
	b.build()
	return b.a
}

// builder holds what New needs while it indexes.
type builder struct {
	s *estate.Snapshot
	a *Authorizer
}

func (b *builder) build() {
	clusterRoles := b.clusterRoles()
	roles := map[estate.Ref]*role{}
	for _, r := range b.s.Roles {
		ref := estate.Ref{Kind: "Role", Namespace: r.Namespace, Name: r.Name}
		ro := &role{ref: ref}
		for i, rule := range r.Rules {
			ro.rules = append(ro.rules, sourcedRule{rule: rule, from: ref, index: i})
		}
		roles[ref] = ro
	}

	crbs := map[string]*rbacv1.ClusterRoleBinding{}
	def := map[string]bool{}
	for _, crb := range Defaults().ClusterRoleBindings {
		crbs[crb.Name], def[crb.Name] = crb, true
	}
	for _, crb := range b.s.ClusterRoleBindings {
		crbs[crb.Name], def[crb.Name] = crb, false
	}
	for _, n := range slices.Sorted(maps.Keys(crbs)) {
		crb := crbs[n]
		bd := &binding{ref: estate.Ref{Kind: "ClusterRoleBinding", Name: n}, def: def[n]}
		switch crb.RoleRef.Kind {
		case "ClusterRole":
			bd.role = b.resolve(bd.ref, clusterRoles[crb.RoleRef.Name], crb.RoleRef)
		case "Role":
			b.warn(bd.ref, "roleRef names Role %s, but a ClusterRoleBinding can only reference a ClusterRole; it grants nothing", crb.RoleRef.Name)
		default:
			b.warn(bd.ref, "roleRef kind %q is neither Role nor ClusterRole; it grants nothing", crb.RoleRef.Kind)
		}
		b.add(bd, crb.Subjects)
	}

	rbs := slices.Clone(b.s.RoleBindings)
	slices.SortFunc(rbs, func(x, y *rbacv1.RoleBinding) int {
		return cmp.Or(cmp.Compare(x.Namespace, y.Namespace), cmp.Compare(x.Name, y.Name))
	})
	for _, rb := range rbs {
		bd := &binding{ref: estate.Ref{Kind: "RoleBinding", Namespace: rb.Namespace, Name: rb.Name}, namespace: rb.Namespace}
		switch rb.RoleRef.Kind {
		case "ClusterRole":
			bd.role = b.resolve(bd.ref, clusterRoles[rb.RoleRef.Name], rb.RoleRef)
		case "Role":
			bd.role = b.resolve(bd.ref, roles[estate.Ref{Kind: "Role", Namespace: rb.Namespace, Name: rb.RoleRef.Name}], rb.RoleRef)
		default:
			b.warn(bd.ref, "roleRef kind %q is neither Role nor ClusterRole; it grants nothing", rb.RoleRef.Kind)
		}
		b.add(bd, rb.Subjects)
	}
	slices.SortFunc(b.a.subjects, compareSubjects)
	b.a.subjects = slices.Compact(b.a.subjects)
}

// resolve returns r, or reports that the role bd references is missing.
func (b *builder) resolve(bd estate.Ref, r *role, ref rbacv1.RoleRef) *role {
	switch {
	case r != nil:
	case ref.Kind == "Role":
		b.warn(bd, "roleRef Role %s does not exist in namespace %s; the binding grants nothing", ref.Name, bd.Namespace)
	default:
		b.warn(bd, "roleRef ClusterRole %s is neither in the input nor a Kubernetes default; the binding grants nothing", ref.Name)
	}
	return r
}

// add indexes bd under each of its subjects.
func (b *builder) add(bd *binding, subjects []rbacv1.Subject) {
	for i, sub := range subjects {
		s := Subject{Kind: sub.Kind, Name: sub.Name}
		var index map[string]*bindings
		var key string
		switch sub.Kind {
		case rbacv1.UserKind:
			index, key = b.a.users, sub.Name
		case rbacv1.GroupKind:
			index, key = b.a.groups, sub.Name
		case rbacv1.ServiceAccountKind:
			// A RoleBinding's subjects default to its namespace; a
			// ClusterRoleBinding has none to give (the authorizer then
			// matches no one; the API rejects such bindings).
			s.Namespace = cmp.Or(sub.Namespace, bd.namespace)
			if s.Namespace == "" {
				b.warn(bd.ref, "subjects[%d]: ServiceAccount %s has no namespace; it matches no one", i, sub.Name)
				continue
			}
			index, key = b.a.users, ServiceAccountUser(s.Namespace, s.Name)
		default:
			b.warn(bd.ref, "subjects[%d]: unknown kind %q; it matches no one", i, sub.Kind)
			continue
		}
		b.a.subjects = append(b.a.subjects, s)
		bd.subjects = append(bd.subjects, s)
		if bd.role == nil {
			continue
		}
		set := index[key]
		if set == nil {
			set = &bindings{namespaced: map[string][]*binding{}}
			index[key] = set
		}
		if bd.namespace == "" {
			set.cluster = appendOnce(set.cluster, bd)
		} else {
			set.namespaced[bd.namespace] = appendOnce(set.namespaced[bd.namespace], bd)
		}
	}
	if bd.role == nil {
		return
	}
	if bd.namespace == "" {
		b.a.cluster = append(b.a.cluster, bd)
	} else {
		b.a.namespaced[bd.namespace] = append(b.a.namespaced[bd.namespace], bd)
	}
}

// appendOnce appends bd unless it is already last: bindings are added one at
// a time, so a binding naming a subject twice is caught here.
func appendOnce(list []*binding, bd *binding) []*binding {
	if len(list) > 0 && list[len(list)-1] == bd {
		return list
	}
	return append(list, bd)
}

func (b *builder) warn(ref estate.Ref, format string, args ...any) {
	b.report(estate.Warning, ref, fmt.Errorf(format, args...))
}

func (b *builder) report(sev estate.Severity, ref estate.Ref, err error) {
	b.s.Report(&estate.Diagnostic{Severity: sev, Source: b.s.Sources[ref], Object: ref.String(), Err: err})
}

// Allowed reports whether a request by s is allowed, and the first grant
// that allows it. It is Authorize with s's [Subject.Identity].
func (a *Authorizer) Allowed(s Subject, r Request) (Grant, bool) {
	return a.Authorize(s.Identity(), r)
}

// Authorize reports whether a request by id is allowed, as the RBAC
// authorizer decides it: ClusterRoleBindings first, then, for a request in
// a namespace, the RoleBindings of that namespace, each by name; the first
// rule that allows the request is the grant.
func (a *Authorizer) Authorize(id Identity, r Request) (Grant, bool) {
	for _, bd := range a.bindingsOf(id, r) {
		if sr := bd.role.match(r); sr != nil {
			return bd.grant(sr), true
		}
	}
	return Grant{}, false
}

// bindingsOf returns the bindings naming id that apply to r's namespace, in
// the order Authorize visits them.
func (a *Authorizer) bindingsOf(id Identity, r Request) []*binding {
	sets := a.setsOf(id)
	var cluster, local []*binding
	for _, set := range sets {
		cluster = append(cluster, set.cluster...)
		if r.Namespace != "" && !r.nonResource() {
			local = append(local, set.namespaced[r.Namespace]...)
		}
	}
	return append(sortBindings(cluster), sortBindings(local)...)
}

// setsOf returns the binding sets of id's user name and groups.
func (a *Authorizer) setsOf(id Identity) []*bindings {
	var sets []*bindings
	if set := a.users[id.User]; set != nil && id.User != "" {
		sets = append(sets, set)
	}
	for _, g := range id.Groups {
		if set := a.groups[g]; set != nil {
			sets = append(sets, set)
		}
	}
	return sets
}

// sortBindings sorts bindings by namespace and name and drops duplicates.
func sortBindings(list []*binding) []*binding {
	slices.SortFunc(list, func(x, y *binding) int { return compareRefs(x.ref, y.ref) })
	return slices.Compact(list)
}

func compareRefs(x, y estate.Ref) int {
	return cmp.Or(cmp.Compare(x.Kind, y.Kind), cmp.Compare(x.Namespace, y.Namespace), cmp.Compare(x.Name, y.Name))
}

// match returns the first rule of r that allows req, or nil.
func (r *role) match(req Request) *sourcedRule {
	for i := range r.rules {
		if Allows(&r.rules[i].rule, req) {
			return &r.rules[i]
		}
	}
	return nil
}

func (bd *binding) grant(sr *sourcedRule) Grant {
	return Grant{Binding: bd.ref, Role: bd.role.ref, Rule: sr.rule, RuleFrom: sr.from, RuleIndex: sr.index,
		Default: bd.def || bd.role.def || sr.def}
}

// WhoCan returns every subject a binding names that the binding's role
// allows r, one entry per subject and binding, sorted by subject kind,
// namespace and name, then by binding. Groups are listed as groups: a
// binding to system:authenticated shows as that group, not as every user.
func (a *Authorizer) WhoCan(r Request) []SubjectGrant {
	scope := a.cluster
	if r.Namespace != "" && !r.nonResource() {
		scope = append(slices.Clone(scope), a.namespaced[r.Namespace]...)
	}
	matched := map[*role]*sourcedRule{}
	var out []SubjectGrant
	for _, bd := range scope {
		sr, seen := matched[bd.role]
		if !seen {
			sr = bd.role.match(r)
			matched[bd.role] = sr
		}
		if sr == nil {
			continue
		}
		for _, s := range bd.subjects {
			out = append(out, SubjectGrant{Subject: s, Grant: bd.grant(sr)})
		}
	}
	slices.SortFunc(out, func(x, y SubjectGrant) int {
		return cmp.Or(compareSubjects(x.Subject, y.Subject), compareRefs(x.Grant.Binding, y.Grant.Binding))
	})
	return slices.CompactFunc(out, func(x, y SubjectGrant) bool {
		return x.Subject == y.Subject && x.Grant.Binding == y.Grant.Binding
	})
}

// Subjects returns every subject named by a binding of the input or of the
// Kubernetes defaults, whether or not its role exists, sorted by kind,
// namespace and name. The slice is shared and must not be modified.
func (a *Authorizer) Subjects() []Subject { return a.subjects }

// Rules returns the rules s holds; see RulesFor.
func (a *Authorizer) Rules(s Subject) []ScopedRule { return a.RulesFor(s.Identity()) }
