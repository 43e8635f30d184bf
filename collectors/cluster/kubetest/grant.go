package kubetest

import (
	"context"
	"slices"

	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/dynamic"
)

// GrantLimited binds Limited to role less its RBAC and Secret rules, so it
// may read workloads but not who may do what, nor Secrets; and lets it list
// Secrets in namespace secretsIn alone ("" for none).
func GrantLimited(ctx context.Context, c dynamic.Interface, role *rbacv1.ClusterRole, secretsIn string) error {
	role = role.DeepCopy()
	var rules []rbacv1.PolicyRule
	for _, r := range role.Rules {
		if slices.Contains(r.APIGroups, rbacv1.GroupName) {
			continue
		}
		r.Resources = slices.DeleteFunc(r.Resources, func(res string) bool { return res == "secrets" })
		if len(r.Resources) > 0 {
			rules = append(rules, r)
		}
	}
	role.Rules = rules
	subject := []rbacv1.Subject{{Kind: rbacv1.UserKind, APIGroup: rbacv1.GroupName, Name: Limited}}
	objs := []runtime.Object{
		role,
		&rbacv1.ClusterRoleBinding{ObjectMeta: metav1.ObjectMeta{Name: role.Name}, Subjects: subject,
			RoleRef: rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: role.Name}},
	}
	if secretsIn != "" {
		objs = append(objs,
			&rbacv1.Role{ObjectMeta: metav1.ObjectMeta{Namespace: secretsIn, Name: "list-secrets"},
				Rules: []rbacv1.PolicyRule{{APIGroups: []string{""}, Resources: []string{"secrets"}, Verbs: []string{"list"}}}},
			&rbacv1.RoleBinding{ObjectMeta: metav1.ObjectMeta{Namespace: secretsIn, Name: "list-secrets"}, Subjects: subject,
				RoleRef: rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "Role", Name: "list-secrets"}})
	}
	for _, o := range objs {
		if err := Apply(ctx, c, o); err != nil {
			return err
		}
	}
	return nil
}
