package estate

import (
	"fmt"
	"strings"
)

// Gap is a resource the reader was not allowed to read: a hole in the
// snapshot's coverage, not an error. The rest of the cluster still loads.
type Gap struct {
	Resource string `json:"resource"` // as RBAC names it: "secrets", "rolebindings.rbac.authorization.k8s.io"
	Verb     string `json:"verb"`     // the verb that was refused: "list"
	// Namespace is where it was refused; "" means in every namespace (or a
	// cluster-scoped resource).
	Namespace string `json:"namespace,omitempty"`
	Kind      string `json:"kind"` // the kind missing from the snapshot: "Secret"
}

// Permission names what the gap needs as a kubectl auth can-i question
// would: "list secrets", "list secrets -n shop".
func (g Gap) Permission() string {
	if g.Namespace == "" {
		return g.Verb + " " + g.Resource
	}
	return fmt.Sprintf("%s %s -n %s", g.Verb, g.Resource, g.Namespace)
}

func (g Gap) String() string {
	where := "cluster-wide"
	if g.Namespace != "" {
		where = "in namespace " + g.Namespace
	}
	return fmt.Sprintf("no permission to %s %s %s: %s objects are missing from the analysis", g.Verb, g.Resource, where, g.Kind)
}

// SummarizeGaps names the permissions behind gaps, one entry per resource
// and verb in the order first met: "list secrets" when refused
// cluster-wide, "list secrets in 3 namespaces (ci, default, legacy)" when
// refused namespace by namespace (at most five named).
func SummarizeGaps(gaps []Gap) []string {
	type key struct{ verb, resource string }
	var order []key
	namespaces := map[key][]string{}
	for _, g := range gaps {
		k := key{g.Verb, g.Resource}
		if _, seen := namespaces[k]; !seen {
			order = append(order, k)
			namespaces[k] = []string{}
		}
		if g.Namespace != "" {
			namespaces[k] = append(namespaces[k], g.Namespace)
		}
	}
	out := make([]string, 0, len(order))
	for _, k := range order {
		s := k.verb + " " + k.resource
		if ns := namespaces[k]; len(ns) > 0 {
			names := strings.Join(ns[:min(len(ns), 5)], ", ")
			if len(ns) > 5 {
				names += ", …"
			}
			s += fmt.Sprintf(" in %d namespaces (%s)", len(ns), names)
		}
		out = append(out, s)
	}
	return out
}
