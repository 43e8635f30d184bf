package main

import (
	"bytes"
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"
	"sigs.k8s.io/yaml"

	"github.com/trustpath/trustpath/collectors/cluster"
)

// accessCheckOptions is all `trustpath access-check` needs; flags bind only to its fields.
type accessCheckOptions struct {
	live liveOptions
	Role string
}

func newAccessCheckCommand(streams IOStreams, g *globalOptions) *cobra.Command {
	o := &accessCheckOptions{Role: "trustpath-reader"}
	cmd := &cobra.Command{
		Use:   "access-check [--context NAME]... [--role NAME]",
		Short: "Say which read permissions trustpath lacks, and print a least-privilege ClusterRole",
		Long: `access-check asks the API server (SelfSubjectAccessReview, which any
authenticated identity may do) whether the kubeconfig's identity may list,
cluster-wide, every kind trustpath reads. It prints, as YAML comments, the
permissions that are missing — each one a coverage gap in the analysis —
then a ClusterRole granting exactly what trustpath needs, ready for
kubectl apply -f -.

Secrets and ConfigMaps are read as metadata only, but RBAC has no
metadata-only verb: list secrets also lets its holder read every Secret's
data. Bind the role only to an identity you trust with that, or leave
secrets out and accept the gap.

Exit status: 0 when nothing is missing, 1 when something is, 2 on error.`,
		Example: `  trustpath access-check
  trustpath access-check --context prod | kubectl apply --context prod -f -
  trustpath access-check --all-contexts --role trustpath`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.live.validate(); err != nil {
				return err
			}
			return o.run(cmd.Context(), streams, g.logger(streams))
		},
	}
	o.live.addFlags(cmd.Flags())
	cmd.Flags().StringVar(&o.Role, "role", o.Role, "name of the ClusterRole printed, e.g. trustpath")
	return cmd
}

func (o *accessCheckOptions) run(ctx context.Context, s IOStreams, log logger) error {
	live, err := o.live.clients()
	if err != nil {
		return err
	}
	var out bytes.Buffer
	out.WriteString("# trustpath access-check: the read permissions trustpath needs, cluster-wide.\n")
	anyMissing := false
	for _, l := range live {
		missing, err := cluster.CheckAccess(ctx, l.Clients.Kube)
		if err != nil {
			return withHint(fmt.Errorf("cluster %s: %w", l.Cluster, err), "check that the cluster answers: kubectl cluster-info")
		}
		if len(missing) == 0 {
			fmt.Fprintf(&out, "# cluster %s: nothing missing; trustpath reads every kind it analyses.\n", l.Cluster)
			continue
		}
		anyMissing = true
		fmt.Fprintf(&out, "# cluster %s: missing %d of %d; each is a coverage gap in the analysis:\n", l.Cluster, len(missing), len(cluster.Required()))
		for _, p := range missing {
			fmt.Fprintf(&out, "#   %s\n", p)
		}
		log.Printf(0, "cluster %s: missing %d read permissions", l.Cluster, len(missing))
	}
	if err := writeClusterRole(&out, o.Role); err != nil {
		return err
	}
	if _, err := s.Out.Write(out.Bytes()); err != nil {
		return err
	}
	if anyMissing {
		return errNo
	}
	return nil
}

// writeClusterRole writes the least-privilege ClusterRole, with comments on
// how to bind it and what list secrets allows.
func writeClusterRole(w io.Writer, name string) error {
	data, err := yaml.Marshal(cluster.ClusterRole(name))
	if err != nil {
		return err
	}
	fmt.Fprintf(w, `#
# Least-privilege ClusterRole for running trustpath: get and list on the kinds
# it reads; list alone on Secrets and ConfigMaps, which trustpath reads through
# the metadata API (names, labels, annotations, owners; never data).
# NOTE: RBAC has no metadata-only verb. "list secrets" also lets its holder
# read every Secret's data with an ordinary list: bind this role only to an
# identity you trust with that, or delete "secrets" below and accept the gap.
# Bind it, e.g.:
#   kubectl create clusterrolebinding %[1]s --clusterrole=%[1]s --serviceaccount=NAMESPACE:NAME
`, name)
	_, err = w.Write(data)
	return err
}
