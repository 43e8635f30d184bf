package cluster

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// InCluster names the snapshot of the cluster trustpath runs in as a pod.
const InCluster = "in-cluster"

// Kubeconfig says which clusters to read, as kubectl's flags do: the
// standard loading rules ($KUBECONFIG, then ~/.kube/config) unless Path is
// set, and the current context unless Contexts or AllContexts say
// otherwise. Running in a pod with no kubeconfig, the pod's service account
// is used.
type Kubeconfig struct {
	Path string
	// Contexts are [CLUSTER=]CONTEXT: the snapshot is named CLUSTER, or after
	// the context.
	Contexts    []string
	AllContexts bool
}

// Target is one cluster to read: the name its snapshot gets, the context
// it comes from ("" in a pod) and how to reach it.
type Target struct {
	Cluster string
	Context string
	Config  *rest.Config
}

// ErrNoKubeconfig is returned when no kubeconfig is found and trustpath is
// not running in a pod.
var ErrNoKubeconfig = errors.New("no kubeconfig found ($KUBECONFIG, ~/.kube/config) and not running in a pod")

// Available reports whether k finds a cluster to read without contacting
// it: a kubeconfig with a context, or a pod's service account.
func (k Kubeconfig) Available() bool {
	if k.Path != "" || len(k.Contexts) > 0 || k.AllContexts {
		return true // asked for explicitly: failing later says why
	}
	raw, err := k.rules().Load()
	if err == nil && (raw.CurrentContext != "" || len(raw.Contexts) > 0) {
		return true
	}
	_, err = rest.InClusterConfig()
	return err == nil
}

func (k Kubeconfig) rules() *clientcmd.ClientConfigLoadingRules {
	rules := clientcmd.NewDefaultClientConfigLoadingRules()
	rules.ExplicitPath = k.Path
	return rules
}

// Targets resolves k to the clusters to read, in the order given (sorted
// by context with AllContexts). Two targets with one name are an error.
func (k Kubeconfig) Targets() ([]Target, error) {
	rules := k.rules()
	raw, err := rules.Load()
	if err != nil {
		return nil, fmt.Errorf("loading kubeconfig: %w", err)
	}
	var names []string // [CLUSTER=]CONTEXT
	switch {
	case k.AllContexts:
		for name := range raw.Contexts {
			names = append(names, name)
		}
		slices.Sort(names)
		if len(names) == 0 {
			return nil, fmt.Errorf("--all-contexts: the kubeconfig (%s) has no contexts", where(rules))
		}
	case len(k.Contexts) > 0:
		names = k.Contexts
	case raw.CurrentContext != "":
		names = []string{raw.CurrentContext}
	default:
		if cfg, err := rest.InClusterConfig(); err == nil {
			return []Target{{Cluster: InCluster, Config: cfg}}, nil
		}
		if len(raw.Contexts) > 0 {
			return nil, fmt.Errorf("the kubeconfig (%s) has no current context; name one with --context", where(rules))
		}
		return nil, ErrNoKubeconfig
	}
	var out []Target
	seen := map[string]string{}
	for _, arg := range names {
		cluster, context := splitContext(arg)
		if _, ok := raw.Contexts[context]; !ok {
			return nil, fmt.Errorf("context %q not found in the kubeconfig (%s); it has: %s", context, where(rules), contextNames(raw))
		}
		if prev, dup := seen[cluster]; dup {
			return nil, fmt.Errorf("contexts %q and %q both give cluster name %q; name one with --context NAME=CONTEXT", prev, context, cluster)
		}
		seen[cluster] = context
		cfg, err := clientcmd.NewNonInteractiveClientConfig(*raw, context, &clientcmd.ConfigOverrides{}, rules).ClientConfig()
		if err != nil {
			return nil, fmt.Errorf("context %q: %w", context, err)
		}
		out = append(out, Target{Cluster: cluster, Context: context, Config: cfg})
	}
	return out, nil
}

// clusterName is a valid snapshot name, the rule collectors.ParseSource
// applies to -f CLUSTER=PATH: graph keys use it as their prefix, before a
// colon, so it holds neither colons nor slashes.
var clusterName = regexp.MustCompile(`^[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$`)

var invalidRun = regexp.MustCompile(`[^-a-z0-9_.]+`)

// splitContext reads --context [CLUSTER=]CONTEXT. Without a valid CLUSTER
// prefix the cluster is named after the context, with characters keys
// cannot hold replaced: arn:aws:eks:…:cluster/prod becomes
// arn-aws-eks-…-cluster-prod.
func splitContext(arg string) (cluster, context string) {
	if name, ctx, ok := strings.Cut(arg, "="); ok && ctx != "" && clusterName.MatchString(name) {
		return name, ctx
	}
	return ClusterName(arg), arg
}

// ClusterName turns a context name into a valid cluster name.
func ClusterName(context string) string {
	s := invalidRun.ReplaceAllString(strings.ToLower(context), "-")
	s = strings.TrimFunc(s, func(r rune) bool { return !('a' <= r && r <= 'z' || '0' <= r && r <= '9') })
	if s == "" {
		return "cluster"
	}
	return s
}

func contextNames(raw *clientcmdapi.Config) string {
	var names []string
	for n := range raw.Contexts {
		names = append(names, n)
	}
	if len(names) == 0 {
		return "no contexts"
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}

// where names the kubeconfig files the rules read, for messages.
func where(rules *clientcmd.ClientConfigLoadingRules) string {
	if rules.ExplicitPath != "" {
		return rules.ExplicitPath
	}
	if len(rules.Precedence) > 0 {
		return strings.Join(rules.Precedence, ", ")
	}
	return "none"
}
