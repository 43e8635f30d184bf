package report

import (
	"strings"

	"github.com/trustpath/trustpath/graph"
)

// Rule is one type of finding: the kind of control that is missing. SARIF
// writes one rule per type; the review groups its boundary table by them.
type Rule struct {
	ID    string // stable, e.g. "network-ingress"
	Name  string // PascalCase, as SARIF's reportingDescriptor.name
	Label string // a few words for tables: "no ingress NetworkPolicy"
	Short string // one line
	Help  string // what it means and how to fix it, for code-scanning UIs
	// Fix is what to do, for controls the analysis has no remedy template
	// for; empty when every phrase of the type has one.
	Fix     string
	HelpURI string // the Kubernetes documentation of the control
	prefix  string // the start of the missing-control phrases of this type
}

// rules are matched in order against the missing-control phrases the
// collectors write ("ingress NetworkPolicy for prod:deployment/shop/api"); the
// last one matches anything.
var rules = []Rule{
	{ID: "network-ingress", Name: "PodOpenForIngress", Label: "no ingress NetworkPolicy", prefix: "ingress NetworkPolicy for ",
		Short:   "A pod group accepts connections from every pod: no NetworkPolicy isolates it for ingress",
		Help:    "No NetworkPolicy selects the pod group with policyTypes Ingress, so any pod of the cluster, in any namespace, may connect to it. Add a default-deny ingress policy to its namespace, then allow only its real clients.",
		HelpURI: "https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-deny-all-ingress-traffic"},
	{ID: "network-egress", Name: "PodOpenForEgress", Label: "no egress NetworkPolicy", prefix: "egress NetworkPolicy for ",
		Short:   "A pod group may connect anywhere: no NetworkPolicy isolates it for egress",
		Help:    "No NetworkPolicy selects the pod group with policyTypes Egress, so a compromised container may connect to every pod and address. Add a default-deny egress policy to its namespace and allow DNS and the destinations it needs.",
		HelpURI: "https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-deny-all-egress-traffic"},
	{ID: "lb-source-ranges", Name: "LoadBalancerOpenToInternet", Label: "LoadBalancer open to all", prefix: "loadBalancerSourceRanges on ",
		Short:   "A LoadBalancer Service admits every internet address",
		Help:    "The Service's load balancer has no loadBalancerSourceRanges, so the whole internet reaches the pods behind it. Restrict it to known client ranges, or put it behind an authenticating proxy.",
		HelpURI: "https://kubernetes.io/docs/tasks/access-application-cluster/create-external-load-balancer/#preserving-the-client-source-ip"},
	{ID: "host-network", Name: "HostNetwork", Label: "hostNetwork", prefix: "hostNetwork: false on ",
		Short:   "A pod runs in the node's network namespace, where NetworkPolicy does not apply",
		Help:    "hostNetwork: true puts the pod on the node's network: its ports are the node's, its traffic is the node's and no NetworkPolicy isolates it. Run it in the pod network unless it must own host interfaces.",
		HelpURI: "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline"},
	{ID: "token-automount", Name: "ServiceAccountTokenMounted", Label: "token mounted", prefix: "automountServiceAccountToken: false on ",
		Short:   "A container holds a service-account token it may not need",
		Help:    "The pod mounts its service account's token, so code running in the container acts as that account against the API server. Set automountServiceAccountToken: false on the pod (or the ServiceAccount) when it does not call the API.",
		HelpURI: "https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting"},
	{ID: "rbac-excess", Name: "ExcessiveRBAC", Label: "RBAC beyond least privilege", prefix: "least-privilege RBAC: ",
		Short:   "A binding grants more than least privilege",
		Help:    "A RoleBinding or ClusterRoleBinding grants rights that let its subjects take the step (read Secrets, create pods, exec, bind roles, …). Narrow the role to what the subjects need, scope it to a namespace, or delete the binding.",
		HelpURI: "https://kubernetes.io/docs/concepts/security/rbac-good-practices/"},
	{ID: "token-secret", Name: "LongLivedTokenSecret", Label: "long-lived token Secret", prefix: "no long-lived token Secret for ",
		Short:   "A long-lived service-account token is stored in a Secret",
		Help:    "A Secret of type kubernetes.io/service-account-token holds a token that never expires; whoever reads the Secret acts as the account. Delete it; pods receive short-lived projected tokens.",
		HelpURI: "https://kubernetes.io/docs/concepts/security/service-accounts/#get-a-token"},
	{ID: "pod-security", Name: "PodSecurityNotEnforced", Label: "no Pod Security level", prefix: "Pod Security Admission enforce: ",
		Short:   "A namespace admits privileged pods: no Pod Security level is enforced",
		Help:    "The namespace has no pod-security.kubernetes.io/enforce label of baseline or restricted, so anyone who may create pods there may create a privileged pod and take the node. Label it with the strictest level its workloads pass.",
		HelpURI: "https://kubernetes.io/docs/concepts/security/pod-security-admission/"},
	{ID: "privileged", Name: "PrivilegedContainer", Label: "privileged container", Fix: "drop privileged: true, or grant only the capability the workload needs",
		prefix:  "privileged: false on ",
		Short:   "A container runs privileged, a one-step escape to its node",
		Help:    "privileged: true gives the container every capability and every host device, with no seccomp or AppArmor: escaping to the node is scripted. Drop it, or grant the one capability the workload needs.",
		HelpURI: "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline"},
	{ID: "host-process", Name: "WindowsHostProcess", Label: "hostProcess container", Fix: "drop windowsOptions.hostProcess unless the workload manages the node",
		prefix:  "windowsOptions.hostProcess: false on ",
		Short:   "A Windows container runs as a host process",
		Help:    "A hostProcess container runs directly on the Windows node. Drop it unless the workload manages the node.",
		HelpURI: "https://kubernetes.io/docs/tasks/configure-pod-container/create-hostprocess-pod/"},
	{ID: "host-pid", Name: "HostPID", Label: "hostPID", Fix: "drop hostPID: true",
		prefix:  "hostPID: false on ",
		Short:   "A pod shares the node's process namespace",
		Help:    "hostPID: true shows the container every process of the node; with privilege or CAP_SYS_PTRACE it enters them. Drop hostPID.",
		HelpURI: "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline"},
	{ID: "host-path", Name: "SensitiveHostPath", Label: "sensitive hostPath", Fix: "remove the hostPath volume, or mount a narrower path read-only (a runtime socket is never safe to mount)",
		prefix:  "no hostPath ",
		Short:   "A pod mounts a sensitive path of its node",
		Help:    "A hostPath volume exposes the node's files (its root, /etc, the kubelet's directory, a container runtime socket) to the container. Remove the volume, or mount a narrower path read-only.",
		HelpURI: "https://kubernetes.io/docs/concepts/storage/volumes/#hostpath"},
	{ID: "host-path", Name: "SensitiveHostPath", Label: "sensitive hostPath", prefix: "readOnly: true on hostPath ",
		HelpURI: "https://kubernetes.io/docs/concepts/storage/volumes/#hostpath"},
	{ID: "capability", Name: "DangerousCapability", Label: "dangerous capability", Fix: "drop the added capability; add back only what the workload needs",
		prefix:  "no added capability ",
		Short:   "A container adds a capability that escapes to the node",
		Help:    "capabilities.add grants a capability (SYS_ADMIN, SYS_MODULE, SYS_PTRACE, DAC_READ_SEARCH, …) that reaches the node's kernel or files. Drop it.",
		HelpURI: "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#set-capabilities-for-a-container"},
	{ID: "cross-cluster-credentials", Name: "CrossClusterCredentials", Label: "credentials of another cluster", Fix: "move the credential out of this cluster: deploy from a pipeline identity outside it, or use short-lived federated credentials",
		prefix:  "no credentials of cluster ",
		Short:   "Credentials of one cluster are stored in another",
		Help:    "A Secret in one cluster holds credentials for another, so compromising the first reaches the second and stage separation breaks. Deploy from a pipeline identity outside the cluster, or use short-lived federated credentials.",
		HelpURI: "https://kubernetes.io/docs/concepts/security/secrets-good-practices/"},
	{ID: "missing-control", Name: "MissingControl", Label: "other control", prefix: "",
		Short:   "A trust boundary is crossed without a control",
		Help:    "An attack step crosses a trust boundary that no control guards. The finding names the missing control.",
		HelpURI: "https://kubernetes.io/docs/concepts/security/"},
}

// Rules returns every rule, each once, in a fixed order.
func Rules() []Rule {
	var out []Rule
	seen := map[string]bool{}
	for _, r := range rules {
		if !seen[r.ID] {
			seen[r.ID] = true
			out = append(out, r)
		}
	}
	return out
}

// RuleOf returns the type of a missing control.
func RuleOf(control string) Rule {
	for _, r := range rules {
		if strings.HasPrefix(control, r.prefix) {
			if r.Short == "" { // an alias of the rule before it
				return ruleByID(r.ID)
			}
			return r
		}
	}
	return rules[len(rules)-1]
}

func ruleByID(id string) Rule {
	for _, r := range rules {
		if r.ID == id {
			return r
		}
	}
	return rules[len(rules)-1]
}

// FaultObject returns the key of the object at fault for a missing control
// on edge at: the one to change to add the control (the pod group without
// a NetworkPolicy, the binding that grants too much, the namespace without
// a Pod Security label). The key carries the cluster prefix of at's
// endpoints; it names a Kubernetes object, which need not be a vertex
// (clusterrolebinding/ci-deployer). Without an object in the phrase it
// falls back to the edge's first evidence, then to its destination.
func FaultObject(control string, at *graph.Edge) string {
	obj := ""
	switch rest, ok := strings.CutPrefix(control, "least-privilege RBAC: "); {
	case ok:
		obj, _, _ = strings.Cut(rest, " ")
	case strings.Contains(control, " on namespace "):
		obj = "namespace/" + control[strings.LastIndex(control, " on namespace ")+len(" on namespace "):]
	case strings.Contains(control, " on "):
		obj = control[strings.LastIndex(control, " on ")+len(" on "):]
	case RuleOf(control).ID == "token-secret":
		// The phrase names the account; the Secret that holds its token,
		// the edge's source, is what to delete.
	case strings.Contains(control, " for "):
		obj = control[strings.LastIndex(control, " for ")+len(" for "):]
	}
	if obj == "" || strings.Contains(obj, " ") || !strings.Contains(obj, "/") {
		if at == nil {
			return ""
		}
		if len(at.Evidence) > 0 {
			return string(at.Evidence[0].Object)
		}
		return string(at.T.Key)
	}
	if at != nil && graph.Key(obj).Cluster() == "" {
		prefix := at.T.Key.Cluster()
		if prefix == "" {
			prefix = at.F.Key.Cluster()
		}
		if prefix != "" {
			obj = prefix + ":" + obj
		}
	}
	return obj
}
