package cluster_test

import (
	"bytes"
	"encoding/base64"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/dynamic"

	"github.com/trustpath/trustpath/collectors"
	"github.com/trustpath/trustpath/collectors/cluster"
	"github.com/trustpath/trustpath/collectors/cluster/kubetest"
	"github.com/trustpath/trustpath/collectors/estate"
	"github.com/trustpath/trustpath/collectors/manifest"
	"github.com/trustpath/trustpath/graph"
	"github.com/trustpath/trustpath/graph/graphtest"
)

// Canaries: a Secret value, and a value kubectl apply's last-applied
// annotation repeats. Neither may appear in anything trustpath keeps or
// prints; the first may not even reach it.
const (
	canary        = "CANARY-9d1f7c3a-secret-value"
	appliedCanary = "CANARY-4b2e8f61-last-applied"
)

// recorder keeps every request URL and response body a client sees.
type recorder struct {
	mu     sync.Mutex
	urls   []string
	bodies bytes.Buffer
}

func (r *recorder) wrap(rt http.RoundTripper) http.RoundTripper {
	return roundTripper(func(req *http.Request) (*http.Response, error) {
		resp, err := rt.RoundTrip(req)
		if err != nil {
			return resp, err
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(body))
		r.mu.Lock()
		defer r.mu.Unlock()
		r.urls = append(r.urls, req.URL.String())
		r.bodies.Write(body)
		return resp, err
	})
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// readLive reads the server as user, recording what crosses the wire.
func readLive(t *testing.T, srv *kubetest.Server, user string, pageSize int64) (*estate.Snapshot, *recorder) {
	t.Helper()
	rec := &recorder{}
	cfg := srv.Config(user)
	cfg.WrapTransport = rec.wrap
	clients, err := cluster.NewClients(cfg, 100, 200)
	if err != nil {
		t.Fatal(err)
	}
	snap := estate.New("test")
	if err := cluster.Read(t.Context(), clients, snap, cluster.Options{PageSize: pageSize}); err != nil {
		t.Fatalf("reading as %s: %v", user, err)
	}
	return snap, rec
}

// only returns the objects of s that files also holds: the API server
// creates objects of its own (its namespaces, the kubernetes Service, the
// RBAC bootstrap policy), and the seeding adds namespaces and default
// ServiceAccounts a manifest leaves to the cluster.
func only(s, files *estate.Snapshot) *estate.Snapshot {
	return filter(s, func(r estate.Ref) bool { _, ok := files.Sources[r]; return ok })
}

// filter returns the objects of s that keep accepts, in a new snapshot.
func filter(s *estate.Snapshot, keep func(estate.Ref) bool) *estate.Snapshot {
	out := estate.New(s.Cluster)
	for _, list := range [][]runtime.Object{
		objects(s.Namespaces), objects(s.Nodes), objects(s.Deployments), objects(s.StatefulSets), objects(s.DaemonSets),
		objects(s.ReplicaSets), objects(s.ReplicationControllers), objects(s.CronJobs), objects(s.Jobs), objects(s.Pods),
		objects(s.ServiceAccounts), objects(s.Secrets), objects(s.ConfigMaps), objects(s.Services), objects(s.Ingresses),
		objects(s.NetworkPolicies), objects(s.ClusterRoles), objects(s.ClusterRoleBindings), objects(s.Roles), objects(s.RoleBindings),
	} {
		for _, o := range list {
			m := o.(metav1.Object)
			kind := o.GetObjectKind().GroupVersionKind().Kind
			ref := estate.Ref{Kind: kind, Namespace: m.GetNamespace(), Name: m.GetName()}
			if keep(ref) {
				out.Add(o.DeepCopyObject(), s.Sources[ref], "")
			}
		}
	}
	return out
}

// TestRealAPIServer seeds a real kube-apiserver with each fixture and reads
// it back: as an admin it must give the files' graph (but for the
// documented differences) through paginated lists, with no Secret value on
// the wire or in any output; as an identity without secrets and RBAC reads
// it must give coverage gaps and the rest.
func TestRealAPIServer(t *testing.T) {
	for _, fixture := range []string{"topology", "privilege", "demo/prod"} {
		t.Run(fixture, func(t *testing.T) {
			srv := kubetest.StartT(t)
			ctx := t.Context()
			dyn, err := dynamic.NewForConfig(srv.Config(kubetest.Admin))
			if err != nil {
				t.Fatal(err)
			}
			files := loadFiles(t, fixture)
			rejected, err := kubetest.Seed(ctx, dyn, loadFiles(t, fixture).Snapshots[0])
			if err != nil {
				t.Fatalf("seeding: %v", err)
			}
			if len(rejected) > 0 {
				// Admission refuses them, so they cannot be live: compare
				// with the files without them.
				drop := map[estate.Ref]bool{}
				for _, r := range rejected {
					t.Logf("the API server refuses %s: %s", r.Ref, r.Reason)
					drop[r.Ref] = true
				}
				s := filter(files.Snapshots[0], func(r estate.Ref) bool { return !drop[r] })
				files.Graph, _ = collectors.Build([]*estate.Snapshot{s})
				files.Snapshots[0] = s
			}
			seedCanary(t, dyn)

			live, rec := readLive(t, srv, kubetest.Admin, 2)
			t.Run("admin reads everything", func(t *testing.T) {
				if len(live.Gaps) > 0 {
					t.Errorf("admin has gaps: %v", live.Gaps)
				}
				paged := false
				for _, u := range rec.urls {
					if strings.Contains(u, "continue=") && strings.Contains(u, "limit=2") {
						paged = true
					}
				}
				if !paged {
					t.Errorf("no list request carried limit=2 and a continue token: %q", rec.urls)
				}
				if cluster := live.Namespaces; len(cluster) == 0 || len(live.ClusterRoles) < 50 {
					t.Errorf("read %d namespaces and %d ClusterRoles; the bootstrap policy alone has more", len(live.Namespaces), len(live.ClusterRoles))
				}
				g, _ := collectors.Build([]*estate.Snapshot{live})
				graphtest.Validate(t, g)
			})
			t.Run("parity with files", func(t *testing.T) {
				g, _ := collectors.Build([]*estate.Snapshot{only(live, files.Snapshots[0])})
				graphtest.Validate(t, g)
				d := differences{secretKeys: true, serverDefaults: true}
				diffFacts(t, facts(t, files.Graph, d), facts(t, g, d))
			})
			t.Run("no secret value", func(t *testing.T) {
				for _, leak := range []string{canary, base64.StdEncoding.EncodeToString([]byte(canary))} {
					if bytes.Contains(rec.bodies.Bytes(), []byte(leak)) {
						t.Errorf("a Secret value reached trustpath over the wire (%q)", leak)
					}
				}
				var out bytes.Buffer
				if err := manifest.WriteList(&out, live); err != nil {
					t.Fatal(err)
				}
				g, _ := collectors.Build([]*estate.Snapshot{live})
				for _, write := range []func(io.Writer, graph.View) error{graph.WriteJSON, graph.WriteDOT, graph.WriteText} {
					if err := write(&out, g.All()); err != nil {
						t.Fatal(err)
					}
				}
				for _, d := range live.Diagnostics {
					out.WriteString(d.Error())
				}
				if !strings.Contains(out.String(), "canary-creds") {
					t.Fatal("the canary Secret is not in the output at all; the test would prove nothing")
				}
				for _, leak := range []string{canary, appliedCanary, base64.StdEncoding.EncodeToString([]byte(canary))} {
					if strings.Contains(out.String(), leak) {
						t.Errorf("output holds a secret value (%q)", leak)
					}
				}
			})
			t.Run("limited identity gets gaps", func(t *testing.T) {
				ns := files.Snapshots[0].Secrets[0].Namespace // a namespace with Secrets
				grantLimited(t, dyn, ns)
				limited, _ := readLive(t, srv, kubetest.Limited, 0)
				want := map[string]bool{
					"clusterrolebindings.rbac.authorization.k8s.io": true, "clusterroles.rbac.authorization.k8s.io": true,
					"rolebindings.rbac.authorization.k8s.io": true, "roles.rbac.authorization.k8s.io": true,
				}
				secretsIn := map[string]bool{}
				for _, g := range limited.Gaps {
					switch {
					case g.Resource == "secrets" && g.Namespace != "":
						secretsIn[g.Namespace] = true
					case want[g.Resource] && g.Namespace == "":
						delete(want, g.Resource)
					default:
						t.Errorf("unexpected gap %+v", g)
					}
				}
				for r := range want {
					t.Errorf("no cluster-wide gap for %s", r)
				}
				if secretsIn[ns] || len(secretsIn) == 0 {
					t.Errorf("secrets gaps in %v: want every namespace but %s, which a RoleBinding opens", secretsIn, ns)
				}
				for _, s := range limited.Secrets {
					if s.Namespace != ns {
						t.Errorf("read secret %s/%s without permission", s.Namespace, s.Name)
					}
				}
				if len(limited.Secrets) == 0 {
					t.Errorf("read no secrets of namespace %s, where the RoleBinding allows it", ns)
				}
				if len(limited.Pods) != len(live.Pods) || len(limited.Deployments) != len(live.Deployments) || len(limited.Roles)+len(limited.ClusterRoles) != 0 {
					t.Errorf("limited read %d pods, %d deployments, %d roles; admin %d, %d",
						len(limited.Pods), len(limited.Deployments), len(limited.Roles)+len(limited.ClusterRoles), len(live.Pods), len(live.Deployments))
				}
				g, _ := collectors.Build([]*estate.Snapshot{limited})
				graphtest.Validate(t, g)
				if got := g.Lookup("cluster/test").Prop("coverage-gaps"); !strings.Contains(got, "list secrets in ") {
					t.Errorf("the cluster vertex's coverage-gaps = %q", got)
				}
				kube, err := srv.Client(kubetest.Limited)
				if err != nil {
					t.Fatal(err)
				}
				missing, err := cluster.CheckAccess(ctx, kube)
				if err != nil {
					t.Fatal(err)
				}
				if len(missing) != 5 {
					t.Errorf("access check found %v missing; want secrets and the four RBAC kinds", missing)
				}
			})
		})
	}
}

// seedCanary creates a Secret whose value, and whose last-applied
// annotation, are canaries.
func seedCanary(t *testing.T, dyn dynamic.Interface) {
	t.Helper()
	for _, obj := range []runtime.Object{
		&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "canary"}},
		&corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Namespace: "canary", Name: "default"}},
		&corev1.Secret{
			ObjectMeta: metav1.ObjectMeta{Namespace: "canary", Name: "canary-creds", Annotations: map[string]string{
				estate.LastApplied: `{"apiVersion":"v1","kind":"Secret","stringData":{"password":"` + appliedCanary + `"}}`,
			}},
			Data:       map[string][]byte{"password": []byte(canary)},
			StringData: map[string]string{"token": canary},
		},
	} {
		if err := kubetest.Apply(t.Context(), dyn, obj); err != nil {
			t.Fatal(err)
		}
	}
}

// grantLimited lets kubetest.Limited list everything but Secrets and RBAC
// cluster-wide, and list Secrets in namespace ns.
func grantLimited(t *testing.T, dyn dynamic.Interface, ns string) {
	t.Helper()
	if err := kubetest.GrantLimited(t.Context(), dyn, cluster.ClusterRole("limited-reader"), ns); err != nil {
		t.Fatal(err)
	}
}
