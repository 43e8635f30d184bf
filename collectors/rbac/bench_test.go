package rbac_test

import (
	"fmt"
	"sync"
	"testing"

	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/trustpath/trustpath/collectors/estate"
	"github.com/trustpath/trustpath/collectors/rbac"
)

// estateOf returns a snapshot of n namespaces, each with a Role, a
// RoleBinding of it and a RoleBinding of the built-in edit role, as a large
// multi-tenant cluster has them.
func estateOf(n int) *estate.Snapshot {
	s := estate.New("bench")
	for i := range n {
		ns := fmt.Sprintf("team-%05d", i)
		s.Add(&rbacv1.Role{ObjectMeta: metav1.ObjectMeta{Name: "app", Namespace: ns},
			Rules: []rbacv1.PolicyRule{{APIGroups: []string{""}, Resources: []string{"configmaps"}, Verbs: []string{"get"}}}},
			estate.Source{File: "bench.yaml"}, ns)
		s.Add(&rbacv1.RoleBinding{ObjectMeta: metav1.ObjectMeta{Name: "app", Namespace: ns},
			RoleRef:  rbacv1.RoleRef{Kind: "Role", Name: "app"},
			Subjects: []rbacv1.Subject{{Kind: rbacv1.ServiceAccountKind, Name: "app"}}},
			estate.Source{File: "bench.yaml"}, ns)
		s.Add(&rbacv1.RoleBinding{ObjectMeta: metav1.ObjectMeta{Name: "developers", Namespace: ns},
			RoleRef:  rbacv1.RoleRef{Kind: "ClusterRole", Name: "edit"},
			Subjects: []rbacv1.Subject{{Kind: rbacv1.GroupKind, Name: "developers-" + ns}}},
			estate.Source{File: "bench.yaml"}, ns)
	}
	return s
}

var benchEstates = sync.OnceValue(func() map[int]*estate.Snapshot {
	out := map[int]*estate.Snapshot{}
	for _, n := range []int{100, 1000, 10000} {
		out[n] = estateOf(n)
	}
	return out
})

func BenchmarkNew(b *testing.B) {
	for _, n := range []int{100, 1000, 10000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			s := benchEstates()[n]
			b.ReportAllocs()
			for b.Loop() {
				if a := rbac.New(s); len(a.Subjects()) == 0 {
					b.Fatal("no subjects")
				}
			}
		})
	}
}

func BenchmarkAllowed(b *testing.B) {
	for _, n := range []int{100, 1000, 10000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			a := rbac.New(benchEstates()[n])
			ns := fmt.Sprintf("team-%05d", n/2)
			req := res("create", "", "pods", "exec", "web", ns)
			b.ReportAllocs()
			for b.Loop() {
				if _, ok := a.Allowed(group("developers-"+ns), req); !ok {
					b.Fatal("not allowed")
				}
			}
		})
	}
}
