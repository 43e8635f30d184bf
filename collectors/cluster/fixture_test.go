package cluster_test

import (
	"cmp"
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/fake"
	metadatafake "k8s.io/client-go/metadata/fake"
	k8stesting "k8s.io/client-go/testing"

	"github.com/trustpath/trustpath/collectors"
	"github.com/trustpath/trustpath/collectors/cluster"
	"github.com/trustpath/trustpath/collectors/estate"
	"github.com/trustpath/trustpath/graph"
	"github.com/trustpath/trustpath/graph/graphtest"
)

// fixtures are the testdata/ estates read through both doors. Each loads
// into one cluster named "test".
var fixtures = []string{"topology", "privilege", "rbac", "demo/prod"}

func fixturePath(name string) string {
	return filepath.Join("..", "..", "testdata", filepath.FromSlash(name))
}

// loadFiles reads a fixture through the manifest door, its objects kept
// whole to be served or seeded as an API server holds them.
func loadFiles(t *testing.T, fixture string) *collectors.Result {
	t.Helper()
	res, err := collectors.Load(t.Context(), collectors.Options{DefaultNamespace: "default", KeepObjects: true,
		Sources: []collectors.Source{{Cluster: "test", Path: fixturePath(fixture)}}})
	if err != nil {
		t.Fatalf("loading %s: %v", fixture, err)
	}
	graphtest.Validate(t, res.Graph)
	return res
}

// fakeClients serves a snapshot's objects as an API server would: typed
// objects through the clientset, Secrets and ConfigMaps through the metadata
// client only, with the field selector type=… answered for Secrets.
func fakeClients(t *testing.T, s *estate.Snapshot) (cluster.Clients, *fake.Clientset, *metadatafake.FakeMetadataClient) {
	t.Helper()
	var typed, md []runtime.Object
	secretType := map[string]corev1.SecretType{}
	for _, objs := range [][]runtime.Object{
		objects(s.Namespaces), objects(s.Nodes), objects(s.Pods), objects(s.Deployments), objects(s.StatefulSets),
		objects(s.DaemonSets), objects(s.ReplicaSets), objects(s.ReplicationControllers), objects(s.Jobs),
		objects(s.CronJobs), objects(s.ServiceAccounts), objects(s.Services), objects(s.Ingresses),
		objects(s.NetworkPolicies), objects(s.Roles), objects(s.ClusterRoles), objects(s.RoleBindings),
		objects(s.ClusterRoleBindings),
	} {
		for _, o := range objs {
			typed = append(typed, o.DeepCopyObject())
		}
	}
	for _, sec := range s.Secrets {
		md = append(md, partial("Secret", &sec.ObjectMeta))
		secretType[sec.Namespace+"/"+sec.Name] = sec.Type
	}
	for _, cm := range s.ConfigMaps {
		md = append(md, partial("ConfigMap", &cm.ObjectMeta))
	}
	kube := fake.NewClientset(typed...)
	scheme := metadatafake.NewTestScheme()
	if err := metav1.AddMetaToScheme(scheme); err != nil {
		t.Fatal(err)
	}
	meta := metadatafake.NewSimpleMetadataClient(scheme, md...)
	meta.PrependReactor("list", "secrets", func(a k8stesting.Action) (bool, runtime.Object, error) {
		sel := a.(k8stesting.ListAction).GetListRestrictions().Fields
		if sel == nil || sel.Empty() {
			return false, nil, nil
		}
		out := &metav1.List{}
		for _, obj := range md {
			m := obj.(*metav1.PartialObjectMetadata)
			if m.Kind != "Secret" || (a.GetNamespace() != "" && m.Namespace != a.GetNamespace()) {
				continue
			}
			if sel.Matches(fields.Set{"type": string(secretType[m.Namespace+"/"+m.Name])}) {
				out.Items = append(out.Items, runtime.RawExtension{Object: m.DeepCopy()})
			}
		}
		return true, out, nil
	})
	return cluster.Clients{Kube: kube, Metadata: meta}, kube, meta
}

func partial(kind string, m *metav1.ObjectMeta) *metav1.PartialObjectMetadata {
	return &metav1.PartialObjectMetadata{TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: kind}, ObjectMeta: *m.DeepCopy()}
}

func objects[T runtime.Object](in []T) []runtime.Object {
	out := make([]runtime.Object, len(in))
	for i, o := range in {
		out[i] = o
	}
	return out
}

// differences says which facts of a graph a live read cannot match, as the
// README documents: key names of Secrets (never read), and what the API
// server fills in (serverDefaults): the Opaque type of a Secret whose
// manifest names none, and a Service's type (ClusterIP), port protocol
// (TCP), target port (the port) and allocated node ports.
type differences struct {
	secretKeys     bool
	serverDefaults bool
}

// servicePort is one entry of a Service vertex's ports property:
// "tcp/80→http (nodePort 30080)".
var servicePort = regexp.MustCompile(`^([a-z]*)/(\d+)→([^ ]+)( \(nodePort \d+\))?$`)

// withDefaults rewrites a ports property as the API server would have
// filled it in, without node ports.
func withDefaults(ports string) string {
	var out []string
	for _, p := range strings.Split(ports, ", ") {
		m := servicePort.FindStringSubmatch(p)
		if m == nil {
			out = append(out, p)
			continue
		}
		proto, port, target := cmp.Or(m[1], "tcp"), m[2], m[3]
		if target == "0" {
			target = port
		}
		out = append(out, proto+"/"+port+"→"+target)
	}
	return strings.Join(out, ", ")
}

// facts returns g as sorted lines, one per vertex and per edge, without
// the properties d excuses.
func facts(t *testing.T, g *graph.Graph, d differences) []string {
	t.Helper()
	var out []string
	for _, v := range g.Vertices() {
		props := map[string]string{}
		for k, val := range v.Props {
			if v.Kind == graph.KindSecret && (k == "keys" && d.secretKeys || k == "type" && d.serverDefaults && val == "Opaque") {
				continue
			}
			if v.Kind == graph.KindService && d.serverDefaults {
				switch {
				case k == "type" && val == "ClusterIP":
					continue
				case k == "ports":
					val = withDefaults(val)
				}
			}
			props[k] = val
		}
		p, err := json.Marshal(props) // sorts keys
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("vertex %s %s %+v %s", v.Key, v.Kind, v.Loc, p))
	}
	for _, e := range g.Edges() {
		ev, err := json.Marshal(e.Evidence)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("edge %s -> %s %s ports=%v boundary=%s present=%v missing=%v cost=%g note=%q evidence=%s",
			e.F.Key, e.T.Key, e.Technique, e.Ports, e.Boundary, e.Present, e.Missing, e.Cost, e.Note, ev))
	}
	slices.Sort(out)
	return out
}

// diffFacts reports the lines only one side has.
func diffFacts(t *testing.T, files, live []string) {
	t.Helper()
	only := func(a, b []string) []string {
		var out []string
		for _, x := range a {
			if _, found := slices.BinarySearch(b, x); !found {
				out = append(out, x)
			}
		}
		return out
	}
	if a, b := only(files, live), only(live, files); len(a)+len(b) > 0 {
		t.Errorf("the graphs differ\nonly from files (%d):\n  %s\nonly live (%d):\n  %s",
			len(a), strings.Join(a, "\n  "), len(b), strings.Join(b, "\n  "))
	}
}
