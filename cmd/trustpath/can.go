package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	rbacv1 "k8s.io/api/rbac/v1"

	"github.com/trustpath/trustpath/collectors"
	"github.com/trustpath/trustpath/collectors/estate"
	"github.com/trustpath/trustpath/collectors/rbac"
	"github.com/trustpath/trustpath/graph"
)

const subjectHint = "a subject is user/NAME, group/NAME or serviceaccount/NAMESPACE/NAME (or sa/NAMESPACE/NAME), " +
	"prefixed by its cluster when several are loaded: prod:sa/ci/runner"

// canOptions is all `trustpath can` needs; flags bind only to its fields.
type canOptions struct {
	input   inputOptions
	request requestOptions
	Subject string
	Groups  []string
	subject subjectArg // Subject, parsed by validate
}

func newCanCommand(streams IOStreams, g *globalOptions) *cobra.Command {
	o := &canOptions{}
	cmd := &cobra.Command{
		Use:   "can SUBJECT VERB RESOURCE[/NAME] -f PATH... [--subresource S] [-n NS | -A]",
		Short: "Say whether a subject may do something, and which binding allows it",
		Long: `can answers as kubectl auth can-i would, from manifests: it evaluates the
Roles, ClusterRoles and bindings of the input with the Kubernetes RBAC
authorizer's rules, adding the built-in roles and bindings (cluster-admin,
admin, edit, view, system:*) the input does not define. It prints yes and the
binding, role and rule that allow the request, or no.

SUBJECT is user/NAME, group/NAME or serviceaccount/NAMESPACE/NAME (sa/…),
prefixed by its cluster when several are loaded (prod:sa/ci/runner).
RESOURCE is a resource, short name or RESOURCE.GROUP (pods, deploy,
deployments.apps), optionally /NAME; give a subresource with --subresource.
A RESOURCE starting with / is a non-resource URL (/healthz).

Exit status: 0 yes, 1 no, 2 error.`,
		Example: `  trustpath can -f testdata/rbac user/alice create rolebindings -n team-a
  trustpath can -f testdata/rbac user/bob create pods --subresource exec -n team-a
  trustpath can -f testdata/rbac sa/ci/runner get secrets/registry -n team-b
  trustpath can -f testdata/rbac group/oncall get nodes
  trustpath can -f testdata/rbac sa/monitoring/prometheus get /metrics/cadvisor
  trustpath can -f prod=testdata/demo/prod -f staging=testdata/demo/staging \
    prod:sa/ci/runner get secrets -A`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 3 {
				return withHint(fmt.Errorf("want SUBJECT VERB RESOURCE[/NAME], got %d arguments", len(args)),
					"e.g. trustpath can user/alice get pods -n shop -f DIR")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Subject = args[0]
			o.request.Verb, o.request.Resource = args[1], args[2]
			if err := o.validate(); err != nil {
				return err
			}
			return o.run(cmd.Context(), streams, g.logger(streams), g.display(streams, ""))
		},
	}
	f := cmd.Flags()
	o.input.addFlags(f)
	o.request.addFlags(f)
	f.StringArrayVar(&o.Groups, "as-group", nil, "a group the subject is in besides the implicit ones (repeatable), e.g. --as-group ops")
	return cmd
}

func (o *canOptions) validate() error {
	if err := o.input.validate(); err != nil {
		return err
	}
	var err error
	if o.subject, err = parseSubject(o.Subject); err != nil {
		return err
	}
	_, err = o.request.parse(o.input.Namespace)
	return err
}

func (o *canOptions) run(ctx context.Context, s IOStreams, log logger, d display) error {
	sub := o.subject
	res, err := o.input.load(ctx, s, log, nil)
	if err != nil {
		return err
	}
	snap, err := subjectCluster(res, sub)
	if err != nil {
		return err
	}
	a := authorizer(res, snap)
	req, err := o.request.resolve(o.input.Namespace, log)
	if err != nil {
		return err
	}
	id := sub.subject.Identity()
	id.Groups = append(id.Groups, o.Groups...)
	g, ok := a.Authorize(id, req)
	if !ok {
		fmt.Fprintln(s.Out, "no")
		if len(o.Groups) == 0 && !slices.Contains(a.Subjects(), sub.subject) && sub.subject.Kind != rbacv1.GroupKind {
			log.Printf(0, "note: %s is named by no binding in cluster %s; it holds only what every authenticated user holds",
				subjectKey(sub.subject, keyPrefix(res, snap)), snap.Cluster)
		}
		return errNo
	}
	fmt.Fprintln(s.Out, "yes")
	writeGrant(s.Out, d, snap, g)
	return nil
}

// writeGrant writes the binding, role and rule of g, each where it was read.
func writeGrant(w io.Writer, d display, snap *estate.Snapshot, g rbac.Grant) {
	d.println(w, 4, fmt.Sprintf("binding: %s%s", g.Binding, grantSource(snap, g.Binding)))
	d.println(w, 4, fmt.Sprintf("role: %s%s", g.Role, grantSource(snap, g.Role)))
	if g.RuleFrom == g.Role {
		d.println(w, 4, fmt.Sprintf("rule: rules[%d] of %s: %s", g.RuleIndex, g.RuleFrom, rbac.FormatRule(g.Rule)))
		return
	}
	d.println(w, 4, fmt.Sprintf("rule: rules[%d] of %s%s, aggregated into %s: %s",
		g.RuleIndex, g.RuleFrom, grantSource(snap, g.RuleFrom), g.Role, rbac.FormatRule(g.Rule)))
}

// grantSource says where ref was read: a file and line, or the built-in defaults.
func grantSource(snap *estate.Snapshot, ref estate.Ref) string {
	if src, ok := snap.Sources[ref]; ok {
		return " at " + src.String()
	}
	return " (Kubernetes default)"
}

// subjectArg is a subject as the user typed it, with its cluster, if any.
type subjectArg struct {
	cluster string
	subject rbac.Subject
}

// parseSubject reads a subject key (DESIGN.md, "Keys and command
// contracts"). User and group names may hold ':' (system:masters), so a
// cluster prefix is the text before the first ':' only when it holds no '/'.
func parseSubject(arg string) (subjectArg, error) {
	var out subjectArg
	rest := arg
	if c, r, ok := strings.Cut(arg, ":"); ok && !strings.Contains(c, "/") {
		if c == "" {
			return out, withHint(fmt.Errorf("invalid subject %q: empty cluster before ':'", arg), subjectHint)
		}
		out.cluster, rest = c, r
	}
	kind, name, _ := strings.Cut(rest, "/")
	switch strings.ToLower(kind) {
	case "user":
		out.subject = rbac.Subject{Kind: rbacv1.UserKind, Name: name}
	case "group":
		out.subject = rbac.Subject{Kind: rbacv1.GroupKind, Name: name}
	case "serviceaccount", "sa":
		ns, n, ok := strings.Cut(name, "/")
		if !ok || ns == "" || n == "" || strings.Contains(n, "/") {
			return out, withHint(fmt.Errorf("invalid subject %q: a service account is serviceaccount/NAMESPACE/NAME", arg), subjectHint)
		}
		out.subject = rbac.Subject{Kind: rbacv1.ServiceAccountKind, Namespace: ns, Name: n}
		return out, nil
	default:
		return out, withHint(fmt.Errorf("invalid subject %q: unknown kind %q", arg, kind), subjectHint)
	}
	if name == "" {
		return out, withHint(fmt.Errorf("invalid subject %q: empty name", arg), subjectHint)
	}
	return out, nil
}

// subjectCluster returns the snapshot of the subject's cluster: with one cluster
// loaded the prefix is optional; with several it is required.
func subjectCluster(res *collectors.Result, sub subjectArg) (*estate.Snapshot, error) {
	var names []string
	for _, s := range res.Snapshots {
		if s.Cluster == sub.cluster || sub.cluster == "" && len(res.Snapshots) == 1 {
			return s, nil
		}
		names = append(names, s.Cluster)
	}
	var examples []string
	for _, n := range names {
		examples = append(examples, string(subjectKey(sub.subject, n)))
	}
	if sub.cluster == "" {
		return nil, withHint(fmt.Errorf("%d clusters are loaded (%s) and the subject names none", len(names), strings.Join(names, ", ")),
			"prefix the subject with its cluster: "+strings.Join(examples, " or "))
	}
	return nil, withHint(fmt.Errorf("no cluster %q is loaded (loaded: %s)", sub.cluster, strings.Join(names, ", ")),
		"name the cluster of a source with -f CLUSTER=PATH, or use one of: "+strings.Join(examples, ", "))
}

// keyPrefix returns the cluster prefix keys of snap carry: its name when
// several clusters are loaded, else none.
func keyPrefix(res *collectors.Result, snap *estate.Snapshot) string {
	if len(res.Snapshots) > 1 {
		return snap.Cluster
	}
	return ""
}

// subjectKey returns the vertex key of s in the cluster named by prefix.
func subjectKey(s rbac.Subject, prefix string) graph.Key {
	switch s.Kind {
	case rbacv1.ServiceAccountKind:
		return graph.NewKey(prefix, graph.KindServiceAccount, s.Namespace, s.Name)
	case rbacv1.GroupKind:
		return graph.NewKey(prefix, graph.KindGroup, s.Name)
	}
	return graph.NewKey(prefix, graph.KindUser, s.Name)
}

// authorizer returns the RBAC index the load built for snap; its problems
// were reported, and --strict applied, when the estate was loaded.
func authorizer(res *collectors.Result, snap *estate.Snapshot) *rbac.Authorizer {
	for _, c := range res.Clusters {
		if c.Snapshot == snap {
			return c.RBAC
		}
	}
	panic("trustpath: snapshot without a cluster") // Load builds one per snapshot
}

// requestOptions are the request arguments and flags `can` and `who-can`
// share, after kubectl auth can-i.
type requestOptions struct {
	Verb          string
	Resource      string // RESOURCE[/NAME] or /URL
	Subresource   string
	AllNamespaces bool
}

func (o *requestOptions) addFlags(f *pflag.FlagSet) {
	f.StringVar(&o.Subresource, "subresource", "", "subresource of the resource, e.g. exec, log, scale")
	f.BoolVarP(&o.AllNamespaces, "all-namespaces", "A", false, "ask cluster-wide instead of in one namespace")
	// NOTE: -n belongs to inputOptions; for these commands it is the
	// request's namespace too, as in kubectl auth can-i.
	if n := f.Lookup("namespace"); n != nil {
		n.Usage = "namespace of the request, and of objects that name none, e.g. shop"
	}
}

// parse checks the request's syntax and returns it in namespace, or
// cluster-wide for -A.
func (o *requestOptions) parse(namespace string) (rbac.Request, error) {
	r := rbac.Request{Verb: o.Verb, Subresource: o.Subresource}
	if r.Verb == "" {
		return r, withHint(errors.New("empty verb"), "give a verb such as get, list, create, delete, impersonate or *")
	}
	if strings.HasPrefix(o.Resource, "/") {
		if o.Subresource != "" {
			return r, withHint(errors.New("--subresource cannot be given with a non-resource URL"),
				"a RESOURCE that starts with / is a URL such as /healthz; drop --subresource")
		}
		r.Path = o.Resource
		return r, nil
	}
	res, name, _ := strings.Cut(o.Resource, "/")
	if res == "" {
		return r, withHint(fmt.Errorf("invalid resource %q", o.Resource),
			"give RESOURCE[/NAME], e.g. pods, secrets/db, deployments.apps, or a URL such as /healthz")
	}
	r.Name = name
	if !o.AllNamespaces {
		r.Namespace = namespace
	}
	return r, nil
}

// resolve returns the request as the API server presents it: the resource
// resolved to its group, and cluster-scoped resources asked cluster-wide.
// It says on stderr where it took the user's words differently.
func (o *requestOptions) resolve(namespace string, log logger) (rbac.Request, error) {
	r, err := o.parse(namespace)
	if err != nil || r.Path != "" {
		return r, err
	}
	arg, _, _ := strings.Cut(o.Resource, "/")
	gr, known := rbac.LookupResource(arg)
	if !known {
		log.Printf(0, "warning: %s is not a built-in resource; taking it as resource %q in API group %q (write RESOURCE.GROUP to name another group)",
			arg, gr.Name, gr.Group)
	}
	r.APIGroup, r.Resource = gr.Group, gr.Name
	if r.Name != "" && r.Subresource == "" && knownSubresources[r.Name] {
		log.Printf(0, "note: %s names the object %q; for the %s subresource use --subresource %s", o.Resource, r.Name, r.Name, r.Name)
	}
	n := rbac.Normalize(r)
	if r.Namespace != "" && n.Namespace == "" {
		log.Printf(0, "note: %s are cluster-scoped; asking cluster-wide", r.Resource)
	}
	return n, nil
}

// knownSubresources are subresource names users may type as RESOURCE/NAME.
var knownSubresources = map[string]bool{
	"exec": true, "attach": true, "portforward": true, "proxy": true, "log": true, "status": true,
	"scale": true, "eviction": true, "token": true, "binding": true, "ephemeralcontainers": true, "resize": true,
}
