package cluster

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	authorizationv1 "k8s.io/api/authorization/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// Permission is one request a full read makes, as RBAC grants it.
type Permission struct {
	Verb     string
	Group    string // "" for the core group
	Resource string
}

func (p Permission) String() string {
	if p.Group == "" {
		return p.Verb + " " + p.Resource
	}
	return p.Verb + " " + p.Resource + "." + p.Group
}

// Required returns the permissions a full read needs, cluster-wide: list on
// every resource read, in the order of the read. Secrets and ConfigMaps are
// listed through the metadata API, but RBAC has no metadata-only verb: the
// same "list secrets" lets its holder read every Secret's data with an
// ordinary list.
func Required() []Permission {
	out := make([]Permission, 0, len(resources))
	for _, rs := range resources {
		out = append(out, Permission{Verb: "list", Group: rs.gvr.Group, Resource: rs.gvr.Resource})
	}
	return out
}

// CheckAccess asks the API server, with one SelfSubjectAccessReview per
// permission (which every authenticated identity may create), which of the
// Required permissions the client's identity lacks cluster-wide. A
// permission held only in some namespaces counts as missing: the read then
// falls back to those namespaces and reports the rest as gaps.
func CheckAccess(ctx context.Context, c kubernetes.Interface) ([]Permission, error) {
	var missing []Permission
	for _, p := range Required() {
		review := &authorizationv1.SelfSubjectAccessReview{Spec: authorizationv1.SelfSubjectAccessReviewSpec{
			ResourceAttributes: &authorizationv1.ResourceAttributes{Verb: p.Verb, Group: p.Group, Resource: p.Resource},
		}}
		got, err := c.AuthorizationV1().SelfSubjectAccessReviews().Create(ctx, review, metav1.CreateOptions{})
		if err != nil {
			return nil, fmt.Errorf("asking whether this identity may %s: %w", p, err)
		}
		if !got.Status.Allowed {
			missing = append(missing, p)
		}
	}
	return missing, nil
}

// ClusterRole returns the least-privilege ClusterRole for running
// trustpath: get and list on every kind it reads, one rule per API group.
// Secrets and ConfigMaps get list alone, since trustpath never gets one by
// name; see Required for what list secrets still allows.
func ClusterRole(name string) *rbacv1.ClusterRole {
	byGroup := map[string]*rbacv1.PolicyRule{}
	var groups []string
	for _, rs := range resources {
		if rs.typed == nil {
			continue
		}
		r := byGroup[rs.gvr.Group]
		if r == nil {
			r = &rbacv1.PolicyRule{APIGroups: []string{rs.gvr.Group}, Verbs: []string{"get", "list"}}
			byGroup[rs.gvr.Group] = r
			groups = append(groups, rs.gvr.Group)
		}
		r.Resources = append(r.Resources, rs.gvr.Resource)
	}
	slices.Sort(groups)
	role := &rbacv1.ClusterRole{
		TypeMeta:   metav1.TypeMeta{APIVersion: "rbac.authorization.k8s.io/v1", Kind: "ClusterRole"},
		ObjectMeta: metav1.ObjectMeta{Name: name},
	}
	for _, g := range groups {
		r := byGroup[g]
		slices.Sort(r.Resources)
		role.Rules = append(role.Rules, *r)
	}
	var metadataOnly []string
	for _, rs := range resources {
		if rs.typed == nil {
			metadataOnly = append(metadataOnly, rs.gvr.Resource)
		}
	}
	slices.SortFunc(metadataOnly, cmp.Compare)
	role.Rules = append(role.Rules, rbacv1.PolicyRule{APIGroups: []string{""}, Resources: metadataOnly, Verbs: []string{"list"}})
	return role
}
