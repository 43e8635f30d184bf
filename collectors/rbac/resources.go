package rbac

import (
	"strings"
)

// Resource is an API resource as RBAC rules name it.
type Resource struct {
	Group      string // "" for the core group
	Name       string // plural, lower case: "deployments"
	Namespaced bool
}

// builtin is a built-in resource with its singular and kubectl short names.
type builtin struct {
	Resource
	singular string
	short    []string
}

// builtins are the resources of a Kubernetes 1.31+ API server that RBAC
// questions usually concern, with the short names `kubectl api-resources`
// lists for them.
var builtins = []builtin{
	{Resource{"", "pods", true}, "pod", []string{"po"}},
	{Resource{"", "services", true}, "service", []string{"svc"}},
	{Resource{"", "secrets", true}, "secret", nil},
	{Resource{"", "configmaps", true}, "configmap", []string{"cm"}},
	{Resource{"", "serviceaccounts", true}, "serviceaccount", []string{"sa"}},
	{Resource{"", "endpoints", true}, "endpoints", []string{"ep"}},
	{Resource{"", "events", true}, "event", []string{"ev"}},
	{Resource{"", "persistentvolumeclaims", true}, "persistentvolumeclaim", []string{"pvc"}},
	{Resource{"", "replicationcontrollers", true}, "replicationcontroller", []string{"rc"}},
	{Resource{"", "limitranges", true}, "limitrange", []string{"limits"}},
	{Resource{"", "resourcequotas", true}, "resourcequota", []string{"quota"}},
	{Resource{"", "podtemplates", true}, "podtemplate", nil},
	{Resource{"", "bindings", true}, "binding", nil},
	{Resource{"", "namespaces", false}, "namespace", []string{"ns"}},
	{Resource{"", "nodes", false}, "node", []string{"no"}},
	{Resource{"", "persistentvolumes", false}, "persistentvolume", []string{"pv"}},
	{Resource{"", "componentstatuses", false}, "componentstatus", []string{"cs"}},
	{Resource{"apps", "deployments", true}, "deployment", []string{"deploy"}},
	{Resource{"apps", "daemonsets", true}, "daemonset", []string{"ds"}},
	{Resource{"apps", "statefulsets", true}, "statefulset", []string{"sts"}},
	{Resource{"apps", "replicasets", true}, "replicaset", []string{"rs"}},
	{Resource{"apps", "controllerrevisions", true}, "controllerrevision", nil},
	{Resource{"batch", "jobs", true}, "job", nil},
	{Resource{"batch", "cronjobs", true}, "cronjob", []string{"cj"}},
	{Resource{"autoscaling", "horizontalpodautoscalers", true}, "horizontalpodautoscaler", []string{"hpa"}},
	{Resource{"policy", "poddisruptionbudgets", true}, "poddisruptionbudget", []string{"pdb"}},
	{Resource{"networking.k8s.io", "ingresses", true}, "ingress", []string{"ing"}},
	{Resource{"networking.k8s.io", "networkpolicies", true}, "networkpolicy", []string{"netpol"}},
	{Resource{"networking.k8s.io", "ingressclasses", false}, "ingressclass", nil},
	{Resource{"discovery.k8s.io", "endpointslices", true}, "endpointslice", nil},
	{Resource{"coordination.k8s.io", "leases", true}, "lease", nil},
	{Resource{"rbac.authorization.k8s.io", "roles", true}, "role", nil},
	{Resource{"rbac.authorization.k8s.io", "rolebindings", true}, "rolebinding", nil},
	{Resource{"rbac.authorization.k8s.io", "clusterroles", false}, "clusterrole", nil},
	{Resource{"rbac.authorization.k8s.io", "clusterrolebindings", false}, "clusterrolebinding", nil},
	{Resource{"apiextensions.k8s.io", "customresourcedefinitions", false}, "customresourcedefinition", []string{"crd", "crds"}},
	{Resource{"admissionregistration.k8s.io", "mutatingwebhookconfigurations", false}, "mutatingwebhookconfiguration", nil},
	{Resource{"admissionregistration.k8s.io", "validatingwebhookconfigurations", false}, "validatingwebhookconfiguration", nil},
	{Resource{"admissionregistration.k8s.io", "validatingadmissionpolicies", false}, "validatingadmissionpolicy", nil},
	{Resource{"admissionregistration.k8s.io", "validatingadmissionpolicybindings", false}, "validatingadmissionpolicybinding", nil},
	{Resource{"certificates.k8s.io", "certificatesigningrequests", false}, "certificatesigningrequest", []string{"csr"}},
	{Resource{"storage.k8s.io", "storageclasses", false}, "storageclass", []string{"sc"}},
	{Resource{"storage.k8s.io", "csidrivers", false}, "csidriver", nil},
	{Resource{"storage.k8s.io", "csinodes", false}, "csinode", nil},
	{Resource{"storage.k8s.io", "volumeattachments", false}, "volumeattachment", nil},
	{Resource{"scheduling.k8s.io", "priorityclasses", false}, "priorityclass", []string{"pc"}},
	{Resource{"node.k8s.io", "runtimeclasses", false}, "runtimeclass", nil},
	{Resource{"apiregistration.k8s.io", "apiservices", false}, "apiservice", nil},
	{Resource{"authentication.k8s.io", "tokenreviews", false}, "tokenreview", nil},
	{Resource{"authorization.k8s.io", "subjectaccessreviews", false}, "subjectaccessreview", nil},
	{Resource{"authorization.k8s.io", "selfsubjectaccessreviews", false}, "selfsubjectaccessreview", nil},
	{Resource{"authorization.k8s.io", "localsubjectaccessreviews", true}, "localsubjectaccessreview", nil},
}

// LookupResource resolves a resource as kubectl accepts it: a plural,
// singular or short name (pods, pod, po), optionally followed by its group
// (deployments.apps, deploy.apps, ingresses.networking.k8s.io). It returns
// false, with the name and group as given (namespaced, since most custom
// resources are), for a resource it does not know, as kubectl takes them
// for resources its server does not list. "*" is every resource, in the
// group named, if any.
func LookupResource(arg string) (Resource, bool) {
	name, group, hasGroup := strings.Cut(strings.ToLower(arg), ".")
	if name == "*" {
		return Resource{Group: group, Name: name, Namespaced: true}, true
	}
	for _, b := range builtins {
		if hasGroup && b.Group != group {
			continue
		}
		if b.Name == name || b.singular == name {
			return b.Resource, true
		}
		for _, s := range b.short {
			if s == name {
				return b.Resource, true
			}
		}
	}
	return Resource{Group: group, Name: name, Namespaced: true}, false
}

// Normalize returns r as the API server hands it to the authorizer:
//   - a non-resource request has no namespace;
//   - a request for a built-in cluster-scoped resource (nodes, clusterroles,
//     …) has no namespace, whatever namespace the caller had in mind, so
//     only ClusterRoleBindings can allow it;
//   - a request for one namespace by name (get namespaces/shop) is made in
//     that namespace, which is how a RoleBinding to view lets its subjects
//     read their own namespace.
//
// Resources it does not know keep their namespace.
func Normalize(r Request) Request {
	switch {
	case r.nonResource():
		r.Namespace = ""
	case r.APIGroup == "" && r.Resource == "namespaces" && r.Name != "":
		r.Namespace = r.Name
	default:
		for _, b := range builtins {
			if b.Group == r.APIGroup && b.Name == r.Resource {
				if !b.Namespaced {
					r.Namespace = ""
				}
				break
			}
		}
	}
	return r
}
