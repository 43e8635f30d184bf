package rbac

import (
	"cmp"
	"strings"

	rbacv1 "k8s.io/api/rbac/v1"
)

// Well-known user and group names the API server's authenticators assign
// (k8s.io/apiserver/pkg/authentication/user and .../serviceaccount).
const (
	// AllAuthenticated holds every authenticated user, service accounts included.
	AllAuthenticated = "system:authenticated"
	// AllUnauthenticated holds the anonymous user only.
	AllUnauthenticated = "system:unauthenticated"
	// Anonymous is the user name of unauthenticated requests.
	Anonymous = "system:anonymous"
	// AllServiceAccounts holds every service account of every namespace.
	AllServiceAccounts = "system:serviceaccounts"

	serviceAccountUserPrefix  = "system:serviceaccount:"
	serviceAccountGroupPrefix = "system:serviceaccounts:"
)

// Subject is a User, Group or ServiceAccount as a binding names it; Kind is
// rbacv1.UserKind, rbacv1.GroupKind or rbacv1.ServiceAccountKind. Only a
// ServiceAccount has a Namespace.
type Subject struct {
	Kind      string
	Name      string
	Namespace string
}

func (s Subject) String() string {
	if s.Kind == rbacv1.ServiceAccountKind {
		return s.Kind + "/" + s.Namespace + "/" + s.Name
	}
	return s.Kind + "/" + s.Name
}

// compareSubjects orders subjects by kind, namespace, then name.
func compareSubjects(a, b Subject) int {
	return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Namespace, b.Namespace), cmp.Compare(a.Name, b.Name))
}

// Identity is who a request runs as, as the authenticator hands it to the
// authorizer: a user name and the groups the user is in.
type Identity struct {
	User   string
	Groups []string
}

// ServiceAccountUser returns the user name a service account's token
// authenticates as: system:serviceaccount:NAMESPACE:NAME.
func ServiceAccountUser(namespace, name string) string {
	return serviceAccountUserPrefix + namespace + ":" + name
}

// Identity returns the identity a request by s carries, with the groups
// Kubernetes adds implicitly:
//   - a ServiceAccount ns/name is user system:serviceaccount:ns:name in
//     groups system:serviceaccounts, system:serviceaccounts:ns and
//     system:authenticated;
//   - a User is in system:authenticated, except system:anonymous, which is
//     in system:unauthenticated only; a User named like a service account
//     is that service account;
//   - a Group stands for an unnamed member of it: that group plus
//     system:authenticated (a member of system:serviceaccounts:ns is also in
//     system:serviceaccounts); system:unauthenticated stands for the
//     anonymous user.
//
// Groups given to a user by its authenticator beyond these (an OIDC groups
// claim, a certificate's O=) are the caller's to append.
func (s Subject) Identity() Identity {
	switch s.Kind {
	case rbacv1.ServiceAccountKind:
		return Identity{User: ServiceAccountUser(s.Namespace, s.Name), Groups: []string{
			AllServiceAccounts, serviceAccountGroupPrefix + s.Namespace, AllAuthenticated}}
	case rbacv1.GroupKind:
		switch {
		case s.Name == AllUnauthenticated:
			return Identity{User: Anonymous, Groups: []string{AllUnauthenticated}}
		case s.Name == AllAuthenticated:
			return Identity{Groups: []string{AllAuthenticated}}
		case strings.HasPrefix(s.Name, serviceAccountGroupPrefix):
			return Identity{Groups: []string{s.Name, AllServiceAccounts, AllAuthenticated}}
		}
		return Identity{Groups: []string{s.Name, AllAuthenticated}}
	}
	if s.Name == Anonymous {
		return Identity{User: Anonymous, Groups: []string{AllUnauthenticated}}
	}
	if ns, name, ok := strings.Cut(strings.TrimPrefix(s.Name, serviceAccountUserPrefix), ":"); ok &&
		strings.HasPrefix(s.Name, serviceAccountUserPrefix) && ns != "" && name != "" && !strings.Contains(name, ":") {
		return Subject{Kind: rbacv1.ServiceAccountKind, Namespace: ns, Name: name}.Identity()
	}
	return Identity{User: s.Name, Groups: []string{AllAuthenticated}}
}
