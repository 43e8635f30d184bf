package analysis

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/trustpath/trustpath/graph"
)

// Remedy is what to do about a missing control: a sentence, and where one
// exists a snippet to apply (YAML or a command).
type Remedy struct {
	Summary string
	Snippet string
}

// remedies match the missing-control phrases the builders write. Each
// gives a concrete fix; the snippets are checked by applying them
// (--assume) in the tests.
var remedies = []struct {
	pattern *regexp.Regexp
	remedy  func(m []string) Remedy
}{
	{regexp.MustCompile(`^ingress NetworkPolicy for (.+)$`), func(m []string) Remedy {
		ns := namespaceOf(m[1])
		return Remedy{
			Summary: fmt.Sprintf("isolate %s for ingress: deny by default in namespace %s, then allow only its real clients", m[1], ns),
			Snippet: fmt.Sprintf(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-ingress
  namespace: %s
spec:
  podSelector: {}
  policyTypes: [Ingress]
`, ns)}
	}},
	{regexp.MustCompile(`^egress NetworkPolicy for (.+)$`), func(m []string) Remedy {
		ns := namespaceOf(m[1])
		return Remedy{
			Summary: fmt.Sprintf("isolate %s for egress: deny by default in namespace %s, allow DNS and the destinations it needs", m[1], ns),
			Snippet: fmt.Sprintf(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-egress
  namespace: %s
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
  - to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}, podSelector: {matchLabels: {k8s-app: kube-dns}}}]
    ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]
`, ns)}
	}},
	{regexp.MustCompile(`^automountServiceAccountToken: false on (.+)$`), func(m []string) Remedy {
		return Remedy{
			Summary: fmt.Sprintf("stop mounting the service-account token into %s, which does not call the API", m[1]),
			Snippet: "spec:\n  template:\n    spec:\n      automountServiceAccountToken: false\n"}
	}},
	{regexp.MustCompile(`^least-privilege RBAC: (\S+) \(role (\S+)\)$`), func(m []string) Remedy {
		return Remedy{
			Summary: fmt.Sprintf("narrow %s to what the subjects of %s need (the findings' evidence names the rules), or delete the binding", m[2], m[1]),
			Snippet: deleteCommand(m[1]) + "  # or edit " + m[2]}
	}},
	{regexp.MustCompile(`^Pod Security Admission enforce: (\w+) on namespace (\S+)$`), func(m []string) Remedy {
		return Remedy{
			Summary: fmt.Sprintf("enforce the %s Pod Security level in namespace %s so it admits no privileged pod", m[1], m[2]),
			Snippet: fmt.Sprintf("kubectl label namespace %s pod-security.kubernetes.io/enforce=%s", m[2], m[1])}
	}},
	{regexp.MustCompile(`^loadBalancerSourceRanges on service/(\S+)/(\S+)$`), func(m []string) Remedy {
		return Remedy{
			Summary: fmt.Sprintf("admit only known client ranges to the load balancer of service %s/%s", m[1], m[2]),
			Snippet: "spec:\n  loadBalancerSourceRanges: [203.0.113.0/24]  # your clients\n"}
	}},
	{regexp.MustCompile(`^hostNetwork: false on (.+)$`), func(m []string) Remedy {
		return Remedy{
			Summary: fmt.Sprintf("run %s in the pod network, where NetworkPolicy applies", m[1]),
			Snippet: "spec:\n  template:\n    spec:\n      hostNetwork: false\n"}
	}},
	{regexp.MustCompile(`^privileged: false on (.+)$`), func(m []string) Remedy {
		return Remedy{
			Summary: fmt.Sprintf("run %s unprivileged: grant the one capability it needs instead of every one", m[1]),
			Snippet: "securityContext:\n  privileged: false\n  allowPrivilegeEscalation: false\n  capabilities: {drop: [ALL]}\n"}
	}},
	{regexp.MustCompile(`^no hostPath (\S+) on (.+)$`), func(m []string) Remedy {
		return Remedy{
			Summary: fmt.Sprintf("remove the hostPath volume %s from %s, or replace it with an emptyDir, a ConfigMap or a CSI volume", m[1], m[2])}
	}},
	{regexp.MustCompile(`^readOnly: true on hostPath (\S+) on (.+)$`), func(m []string) Remedy {
		return Remedy{
			Summary: fmt.Sprintf("mount %s read-only in %s", m[1], m[2]),
			Snippet: "volumeMounts:\n- {name: host, mountPath: /host, readOnly: true}\n"}
	}},
	{regexp.MustCompile(`^(hostPID|hostNetwork|hostIPC|shareProcessNamespace): false on (.+)$`), func(m []string) Remedy {
		return Remedy{
			Summary: fmt.Sprintf("stop sharing the host's (or the pod's) %s namespace in %s", strings.TrimSuffix(strings.TrimPrefix(m[1], "host"), "Namespace"), m[2]),
			Snippet: "spec:\n  template:\n    spec:\n      " + m[1] + ": false\n"}
	}},
	{regexp.MustCompile(`^no added capability (\S+) on (.+)$`), func(m []string) Remedy {
		return Remedy{
			Summary: fmt.Sprintf("drop %s from the capabilities %s adds", m[1], m[2]),
			Snippet: "securityContext:\n  capabilities: {drop: [ALL]}  # and no add: [" + m[1] + "]\n"}
	}},
	{regexp.MustCompile(`^no credentials of cluster (\S+) stored in cluster (\S+)$`), func(m []string) Remedy {
		return Remedy{Summary: fmt.Sprintf("keep %s's credentials out of %s: deploy to %s from its own pipeline, or use short-lived federated credentials", m[1], m[2], m[1])}
	}},
	{regexp.MustCompile(`^no long-lived token Secret for serviceaccount (\S+)$`), func(m []string) Remedy {
		return Remedy{Summary: "delete the legacy token Secret of " + m[1] + "; pods get short-lived projected tokens"}
	}},
}

// RemedyFor returns the fix for a missing control, or a plain instruction
// to add it when no template knows the phrase.
func RemedyFor(control string) Remedy {
	for _, r := range remedies {
		if m := r.pattern.FindStringSubmatch(control); m != nil {
			return r.remedy(m)
		}
	}
	return Remedy{Summary: "add the control: " + control}
}

// deleteCommand is the kubectl command that deletes an object named
// kind/name or kind/namespace/name.
func deleteCommand(ref string) string {
	parts := strings.Split(ref, "/")
	if len(parts) == 3 {
		return fmt.Sprintf("kubectl delete %s %s -n %s", parts[0], parts[2], parts[1])
	}
	return "kubectl delete " + strings.Join(parts, " ")
}

// namespaceOf returns the namespace segment of a namespaced key.
func namespaceOf(key string) string {
	k := graph.Key(key)
	rest := strings.TrimPrefix(key, k.Cluster()+":")
	parts := strings.Split(rest, "/")
	if len(parts) >= 3 {
		return parts[1]
	}
	return ""
}
