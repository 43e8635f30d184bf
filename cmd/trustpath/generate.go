package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/trustpath/trustpath/collectors/synth"
)

// generateOptions is all `trustpath generate` needs. Counts left at 0 are
// derived from Pods (synth.Defaults).
type generateOptions struct {
	Output string
	Format string
	synth.Options
}

func newGenerateCommand(streams IOStreams, g *globalOptions) *cobra.Command {
	o := &generateOptions{Format: string(synth.YAML)}
	o.Pods, o.Seed, o.Clusters, o.RiskRate = 1000, 1, 1, synth.Defaults(1000).RiskRate
	cmd := &cobra.Command{
		Use:   "generate --pods N [--seed S] -o DIR",
		Short: "Write a synthetic estate of any size, for benchmarks and trying trustpath at scale",
		Long: `generate writes a synthetic Kubernetes estate shaped as real clusters are:
nodes, namespaces of varying size, Deployments, StatefulSets, DaemonSets,
CronJobs and Jobs with skewed replica counts, Services (ClusterIP, NodePort,
LoadBalancer) and Ingresses, NetworkPolicies in every form the API has,
ServiceAccounts, Roles, ClusterRoles (aggregated and wildcard ones) and
bindings, Secrets with fake values, the system workloads every cluster runs
(kube-proxy, calico-node, coredns, Prometheus, ingress-nginx, Argo CD), and a
small rate of risky settings.

Every count not given is derived from --pods: 50,000 pods give 2,000 nodes,
1,000 namespaces, 5,000 NetworkPolicies and 20,000 bindings. The same flags
and seed write byte-identical files.

DIR receives one file per namespace and cluster.yaml (cluster.json) with the
Nodes, ClusterRoles and ClusterRoleBindings; with --clusters above 1, one
directory per cluster. --dump writes what kubectl get -A -o json returns
instead of manifests: ReplicaSets and Pods owned by their Deployments, pods
spread over the nodes, status and uids.`,
		Example: `  trustpath generate --pods 10000 -o /tmp/estate
  trustpath analyze -f /tmp/estate
  trustpath generate --pods 50000 --dump --format json -o /tmp/estate-50k
  trustpath generate --pods 5000 --clusters 2 --risk-rate 0.1 -o /tmp/two
  trustpath analyze -f cluster-1=/tmp/two/cluster-1 -f cluster-2=/tmp/two/cluster-2`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.validate(cmd.Flags()); err != nil {
				return err
			}
			return o.run(cmd.Context(), g.logger(streams))
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.Output, "output", "o", "", "directory to write the estate into; must not exist or be empty")
	f.StringVar(&o.Format, "format", o.Format, "yaml (multi-document) or json (kubectl-style Lists)")
	f.BoolVar(&o.Dump, "dump", false, "write a cluster dump (ReplicaSets, Pods on nodes, status) instead of manifests")
	f.BoolVar(&o.SingleFile, "single-file", false, "write each cluster as one file instead of one per namespace")
	f.IntVar(&o.Pods, "pods", o.Pods, "running pods, DaemonSet pods included")
	f.Uint64Var(&o.Seed, "seed", o.Seed, "random seed: the same seed and flags write the same files")
	f.IntVar(&o.Clusters, "clusters", o.Clusters, "clusters, each with its own directory when above 1")
	f.IntVar(&o.Nodes, "nodes", 0, "nodes (default: pods/25)")
	f.IntVar(&o.Namespaces, "namespaces", 0, "namespaces, 4 system ones per cluster included (default: pods/50)")
	f.IntVar(&o.Workloads, "workloads", 0, "application workloads: Deployments, StatefulSets, CronJobs, Jobs, bare Pods (default: about a quarter of the pods)")
	f.IntVar(&o.Containers, "containers", 0, "most containers in a pod; most pods run one (default: 3)")
	f.IntVar(&o.LabelValues, "label-values", 0, "distinct values of the labels policies select on (default: 8)")
	f.IntVar(&o.Policies, "policies", 0, "NetworkPolicies per namespace on average (default: 5)")
	f.IntVar(&o.Bindings, "bindings", 0, "RoleBindings and ClusterRoleBindings in total (default: pods×2/5)")
	f.IntVar(&o.Services, "services", 0, "Services in total (default: 4/5 of the workloads)")
	f.IntVar(&o.Ingresses, "ingresses", 0, "Ingresses in total (default: a third of the namespaces)")
	f.IntVar(&o.Secrets, "secrets", 0, "Secrets in total (default: pods/4)")
	f.Float64Var(&o.RiskRate, "risk-rate", o.RiskRate, "share of workloads and bindings with a risky setting, 0 to 1")
	return cmd
}

func (o *generateOptions) validate(f *pflag.FlagSet) error {
	if o.Output == "" {
		return withHint(errors.New("no output directory"), "name one with -o DIR")
	}
	if o.Format != string(synth.YAML) && o.Format != string(synth.JSON) {
		return withHint(fmt.Errorf("unknown --format %q", o.Format), "use yaml or json")
	}
	o.Options.Format = synth.Format(o.Format)
	if o.Pods < 1 {
		return fmt.Errorf("--pods must be at least 1, got %d", o.Pods)
	}
	d := synth.Defaults(o.Pods)
	for _, c := range []struct {
		flag     string
		dst      *int
		fallback int
	}{
		{"nodes", &o.Nodes, d.Nodes}, {"namespaces", &o.Namespaces, d.Namespaces}, {"workloads", &o.Workloads, d.Workloads},
		{"containers", &o.Containers, d.Containers}, {"label-values", &o.LabelValues, d.LabelValues},
		{"policies", &o.Policies, d.Policies}, {"bindings", &o.Bindings, d.Bindings}, {"services", &o.Services, d.Services},
		{"ingresses", &o.Ingresses, d.Ingresses}, {"secrets", &o.Secrets, d.Secrets},
	} {
		if !f.Changed(c.flag) {
			*c.dst = c.fallback
		}
	}
	if o.Clusters > 1 && !f.Changed("namespaces") {
		// every cluster needs its system namespaces and one more
		o.Namespaces = max(o.Namespaces, o.Clusters*5)
	}
	if err := o.Options.Validate(); err != nil {
		return withHint(err, "raise --pods, or set the counts named above with their flags (see trustpath generate --help)")
	}
	entries, err := os.ReadDir(o.Output)
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return err
	case len(entries) > 0:
		return withHint(fmt.Errorf("%s is not empty", o.Output),
			"files left from another estate would be read with this one; remove it or choose another directory")
	}
	return nil
}

func (o *generateOptions) run(ctx context.Context, log logger) error {
	sum, err := synth.Write(ctx, o.Output, o.Options)
	if err != nil {
		return err
	}
	kinds := make([]string, 0, len(sum.Objects))
	total := 0
	for k, n := range sum.Objects {
		kinds = append(kinds, fmt.Sprintf("%d %s", n, k))
		total += n
	}
	slices.Sort(kinds)
	log.Printf(0, "wrote %d objects in %d files (%.1f MiB) to %s: %s", total, sum.Files, float64(sum.Bytes)/(1<<20), o.Output, strings.Join(kinds, ", "))
	args := make([]string, 0, len(sum.Dirs))
	for _, d := range sum.Dirs {
		if o.Clusters > 1 {
			d = filepath.Base(d) + "=" + d
		}
		args = append(args, "-f "+d)
	}
	log.Printf(0, "analyse it with: trustpath analyze %s", strings.Join(args, " "))
	return nil
}
