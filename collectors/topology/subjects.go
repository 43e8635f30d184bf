package topology

import (
	"fmt"

	rbacv1 "k8s.io/api/rbac/v1"

	"github.com/trustpath/trustpath/collectors/estate"
	"github.com/trustpath/trustpath/graph"
)

// subjects adds a vertex for every User and Group that a binding names, and
// makes sure every ServiceAccount a binding names exists. What the
// bindings grant is the privilege builder's work.
func (b *builder) subjects() {
	for _, rb := range b.s.RoleBindings {
		b.bindingSubjects(rb.Subjects, rb.Namespace, estate.Ref{Kind: "RoleBinding", Namespace: rb.Namespace, Name: rb.Name})
	}
	for _, crb := range b.s.ClusterRoleBindings {
		b.bindingSubjects(crb.Subjects, "", estate.Ref{Kind: "ClusterRoleBinding", Name: crb.Name})
	}
}

func (b *builder) bindingSubjects(subjects []rbacv1.Subject, bindingNS string, binding estate.Ref) {
	for _, s := range subjects {
		switch s.Kind {
		case rbacv1.UserKind, rbacv1.GroupKind:
			kind := graph.KindUser
			if s.Kind == rbacv1.GroupKind {
				kind = graph.KindGroup
			}
			k := b.key(kind, s.Name)
			if b.g.Vertex(k) == nil {
				b.add(&graph.Vertex{Key: k, Kind: kind, Name: s.Name, Loc: b.loc("")})
			}
		case rbacv1.ServiceAccountKind:
			ns := s.Namespace
			if ns == "" {
				ns = bindingNS // RBAC defaults it to the binding's namespace
			}
			if ns == "" {
				continue // invalid in a ClusterRoleBinding; the RBAC index reports it
			}
			b.serviceAccount(ns, s.Name)
		}
	}
}

// diagnosticf is a warning about an object, located where it was read.
func diagnosticf(src estate.Source, object, format string, args ...any) *estate.Diagnostic {
	return &estate.Diagnostic{Severity: estate.Warning, Source: src, Object: object, Err: fmt.Errorf(format, args...)}
}
