package cluster_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	k8stesting "k8s.io/client-go/testing"

	"github.com/trustpath/trustpath/collectors/cluster"
	"github.com/trustpath/trustpath/collectors/estate"
)

// forbid makes a fake refuse to list a resource, in every namespace or
// only cluster-wide (allowedIn names namespaces where listing works).
func forbid(f interface {
	PrependReactor(verb, resource string, reaction k8stesting.ReactionFunc)
}, group, resource string, allowedIn ...string) {
	f.PrependReactor("list", resource, func(a k8stesting.Action) (bool, runtime.Object, error) {
		if slices.Contains(allowedIn, a.GetNamespace()) {
			return false, nil, nil
		}
		return true, nil, apierrors.NewForbidden(schema.GroupResource{Group: group, Resource: resource}, "",
			errors.New(`User "limited" cannot list resource`))
	})
}

// TestForbiddenIsAGap refuses some lists and wants coverage gaps and
// warnings for those, everything else read, and a namespace fallback for a
// kind the identity may list in some namespaces only.
func TestForbiddenIsAGap(t *testing.T) {
	t.Parallel()
	files := loadFiles(t, "privilege").Snapshots[0]
	clients, kube, meta := fakeClients(t, files)
	forbid(meta, "", "secrets")
	forbid(kube, "rbac.authorization.k8s.io", "clusterrolebindings")
	forbid(kube, "rbac.authorization.k8s.io", "rolebindings")
	forbid(kube, "rbac.authorization.k8s.io", "roles", "app") // a RoleBinding in app only

	live := estate.New("test")
	if err := cluster.Read(t.Context(), clients, live, cluster.Options{}); err != nil {
		t.Fatalf("a 403 must not fail the read: %v", err)
	}
	want := []estate.Gap{
		{Resource: "clusterrolebindings.rbac.authorization.k8s.io", Verb: "list", Kind: "ClusterRoleBinding"},
		{Resource: "rolebindings.rbac.authorization.k8s.io", Verb: "list", Kind: "RoleBinding"},
		{Resource: "roles.rbac.authorization.k8s.io", Verb: "list", Namespace: "locked", Kind: "Role"},
		{Resource: "secrets", Verb: "list", Kind: "Secret"},
	}
	if d := cmp.Diff(want, live.Gaps); d != "" {
		t.Errorf("gaps (-want +got):\n%s", d)
	}
	var warnings []string
	for _, d := range live.Diagnostics {
		if d.Severity == estate.Warning {
			warnings = append(warnings, d.Error())
		}
	}
	for _, g := range want {
		if !slices.ContainsFunc(warnings, func(w string) bool { return strings.Contains(w, g.Resource) }) {
			t.Errorf("no warning names %s; warnings: %q", g.Resource, warnings)
		}
	}
	if len(live.Secrets) != 0 || len(live.RoleBindings) != 0 || len(live.ClusterRoleBindings) != 0 {
		t.Errorf("read %d secrets, %d rolebindings, %d clusterrolebindings through a 403",
			len(live.Secrets), len(live.RoleBindings), len(live.ClusterRoleBindings))
	}
	for _, r := range live.Roles {
		if r.Namespace != "app" {
			t.Errorf("role %s/%s read from a namespace that refuses it", r.Namespace, r.Name)
		}
	}
	if got, want := len(live.Roles), countIn(files, "app"); got != want || got == 0 {
		t.Errorf("read %d roles of namespace app, want %d", got, want)
	}
	if len(live.Pods)+len(live.Deployments) == 0 || len(live.ClusterRoles) != len(files.ClusterRoles) {
		t.Errorf("kinds that were allowed were not all read")
	}
}

func countIn(s *estate.Snapshot, ns string) int {
	n := 0
	for _, r := range s.Roles {
		if r.Namespace == ns {
			n++
		}
	}
	return n
}

// TestUnauthorizedFails: refused credentials are not a gap but the end of
// the read, since nothing at all can be read.
func TestUnauthorizedFails(t *testing.T) {
	t.Parallel()
	clients, kube, _ := fakeClients(t, loadFiles(t, "topology").Snapshots[0])
	kube.PrependReactor("list", "*", func(k8stesting.Action) (bool, runtime.Object, error) {
		return true, nil, apierrors.NewUnauthorized("token expired")
	})
	err := cluster.Read(t.Context(), clients, estate.New("test"), cluster.Options{})
	if !apierrors.IsUnauthorized(err) {
		t.Errorf("got %v, want an Unauthorized error", err)
	}
}
