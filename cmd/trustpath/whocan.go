package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/trustpath/trustpath/collectors/rbac"
	"github.com/trustpath/trustpath/internal/table"
)

// whoCanOptions is all `trustpath who-can` needs; flags bind only to its fields.
type whoCanOptions struct {
	input   inputOptions
	request requestOptions
}

func newWhoCanCommand(streams IOStreams, g *globalOptions) *cobra.Command {
	o := &whoCanOptions{}
	cmd := &cobra.Command{
		Use:   "who-can VERB RESOURCE[/NAME] -f PATH... [--subresource S] [-n NS | -A]",
		Short: "List the subjects that may do something, and the bindings that allow it",
		Long: `who-can lists every subject a binding allows the request, with the binding
and role that allow it, sorted by cluster, kind, namespace and name; the
built-in roles and bindings (cluster-admin, system:*) are included and
marked. A group stands for all its members: system:authenticated is every
user and service account.

RESOURCE is as for trustpath can. Exit status: 0 when some subject may,
1 when none may, 2 on error.`,
		Example: `  trustpath who-can -f testdata/rbac get secrets -n team-a
  trustpath who-can -f testdata/rbac create pods --subresource exec -A
  trustpath who-can -f prod=testdata/demo/prod -f staging=testdata/demo/staging \
    get secrets -n payments`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 2 {
				return withHint(fmt.Errorf("want VERB RESOURCE[/NAME], got %d arguments", len(args)),
					"e.g. trustpath who-can get secrets -n shop -f DIR")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			o.request.Verb, o.request.Resource = args[0], args[1]
			if err := o.validate(); err != nil {
				return err
			}
			return o.run(cmd.Context(), streams, g.logger(streams), g.display(streams, ""))
		},
	}
	f := cmd.Flags()
	o.input.addFlags(f)
	o.request.addFlags(f)
	return cmd
}

func (o *whoCanOptions) validate() error {
	if err := o.input.validate(); err != nil {
		return err
	}
	_, err := o.request.parse(o.input.Namespace)
	return err
}

func (o *whoCanOptions) run(ctx context.Context, s IOStreams, log logger, d display) error {
	res, err := o.input.load(ctx, s, log, nil)
	if err != nil {
		return err
	}
	req, err := o.request.resolve(o.input.Namespace, log)
	if err != nil {
		return err
	}
	t := table.New("SUBJECT", "BINDING", "ROLE", "BINDING SOURCE")
	t.Below(3, "source")
	for _, snap := range res.Snapshots { // sorted by cluster
		a := authorizer(res, snap)
		for _, sg := range a.WhoCan(req) {
			role := sg.Grant.Role.String()
			if _, ok := snap.Sources[sg.Grant.Role]; !ok {
				role += " (default)"
			}
			source := "Kubernetes default"
			if src, ok := snap.Sources[sg.Grant.Binding]; ok {
				source = src.String()
			}
			t.Row(string(subjectKey(sg.Subject, keyPrefix(res, snap))), sg.Grant.Binding.String(), role, source)
		}
	}
	if t.Len() > 0 {
		if err := d.render(s.Out, t); err != nil {
			return err
		}
	}
	if t.Len() == 0 {
		log.Printf(0, "no subject may %s", describeRequest(req))
		return errNo
	}
	return nil
}

// describeRequest writes a request as a sentence: "get pods/exec named web in
// namespace shop".
func describeRequest(r rbac.Request) string {
	if r.Path != "" {
		return r.Verb + " " + r.Path
	}
	var b strings.Builder
	b.WriteString(r.Verb + " " + r.Resource)
	if r.APIGroup != "" {
		b.WriteString("." + r.APIGroup)
	}
	if r.Subresource != "" {
		b.WriteString("/" + r.Subresource)
	}
	if r.Name != "" {
		fmt.Fprintf(&b, " named %s", r.Name)
	}
	if r.Namespace == "" {
		b.WriteString(" cluster-wide")
	} else {
		b.WriteString(" in namespace " + r.Namespace)
	}
	return b.String()
}
