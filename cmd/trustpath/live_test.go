package main

import (
	"encoding/base64"
	"path/filepath"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/dynamic"
	"sigs.k8s.io/yaml"

	"github.com/trustpath/trustpath/collectors"
	"github.com/trustpath/trustpath/collectors/cluster"
	"github.com/trustpath/trustpath/collectors/cluster/kubetest"
	"github.com/trustpath/trustpath/collectors/estate"
)

// TestNoInput: with neither -f nor a kubeconfig (TestMain hides the
// machine's), the error names both ways to give an input.
func TestNoInput(t *testing.T) {
	t.Parallel()
	for _, cmd := range []string{"graph", "snapshot", "can user/a get pods", "access-check"} {
		_, stderr, code := run(t, "", strings.Fields(cmd)...)
		if code != ExitError {
			t.Errorf("%s: exit %d, want %d", cmd, code, ExitError)
		}
		for _, want := range []string{"-f", "--kubeconfig"} {
			if !strings.Contains(stderr, want) {
				t.Errorf("%s: stderr does not name %s:\n%s", cmd, want, stderr)
			}
		}
	}
}

func TestUnreachableCluster(t *testing.T) {
	t.Parallel()
	kubeconfig := filepath.Join(t.TempDir(), "kubeconfig")
	cfg := `apiVersion: v1
kind: Config
clusters: [{name: gone, cluster: {server: "https://127.0.0.1:1"}}]
users: [{name: u, user: {token: x}}]
contexts: [{name: gone, context: {cluster: gone, user: u}}]
current-context: gone
`
	if err := writeFile(kubeconfig, cfg); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := run(t, "", "graph", "--kubeconfig", kubeconfig)
	if code != ExitError || !strings.Contains(stderr, "kubectl cluster-info") {
		t.Errorf("exit %d, want %d with a hint to check the cluster:\n%s", code, ExitError, stderr)
	}
	_, stderr, code = run(t, "", "graph", "--kubeconfig", kubeconfig, "--context", "nope")
	if code != ExitError || !strings.Contains(stderr, `context "nope" not found`) || !strings.Contains(stderr, "gone") {
		t.Errorf("unknown context: exit %d:\n%s", code, stderr)
	}
}

// TestLiveCluster runs the commands against a real API server seeded with
// the demo's prod cluster and a canary Secret: the live cluster is the
// default source, a snapshot reads back as the same graph, a limited
// identity gets coverage gaps and access-check's ClusterRole, and no output
// holds the Secret's value.
func TestLiveCluster(t *testing.T) {
	srv := kubetest.StartT(t)
	kubeconfig, err := srv.WriteKubeconfig(filepath.Join(t.TempDir(), "kubeconfig"))
	if err != nil {
		t.Fatal(err)
	}
	dyn, err := dynamic.NewForConfig(srv.Config(kubetest.Admin))
	if err != nil {
		t.Fatal(err)
	}
	files, err := collectors.Load(t.Context(), collectors.Options{DefaultNamespace: "default", KeepObjects: true,
		Sources: []collectors.Source{{Cluster: "prod", Path: testdata("demo", "prod")}}})
	if err != nil {
		t.Fatal(err)
	}
	if rejected, err := kubetest.Seed(t.Context(), dyn, files.Snapshots[0]); err != nil || len(rejected) > 0 {
		t.Fatalf("seeding the demo's prod cluster: %v; refused: %v", err, rejected)
	}
	const canary = "CANARY-0e7d5a92-live-secret"
	b64 := base64.StdEncoding.EncodeToString([]byte(canary))
	secret := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: "shop", Name: "canary-creds",
		Annotations: map[string]string{estate.LastApplied: `{"data":{"password":"` + b64 + `"}}`}},
		Data: map[string][]byte{"password": []byte(canary)}}
	if err := kubetest.Apply(t.Context(), dyn, secret); err != nil {
		t.Fatal(err)
	}
	if err := kubetest.GrantLimited(t.Context(), dyn, cluster.ClusterRole("limited-reader"), ""); err != nil {
		t.Fatal(err)
	}
	kc := []string{"--kubeconfig", kubeconfig}
	var outputs []string // every stdout and stderr, for the canary

	t.Run("default source is the current context", func(t *testing.T) {
		t.Setenv("KUBECONFIG", kubeconfig)
		stdout, stderr, code := run(t, "", "graph")
		outputs = append(outputs, stdout, stderr)
		if code != ExitOK || !strings.Contains(stdout, "deployment/shop/api") {
			t.Errorf("exit %d; stdout lacks deployment/shop/api:\n%s", code, stderr)
		}
		if strings.Contains(stderr, "\r") {
			t.Error("a progress line went to stderr that is not a terminal")
		}
	})
	t.Run("snapshot reads back as the same graph", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "estate.json")
		stdout, stderr, code := run(t, "", append([]string{"snapshot", "-q", "--context", "prod=admin", "-o", file}, kc...)...)
		outputs = append(outputs, stdout, stderr, readFile(t, file))
		if code != ExitOK {
			t.Fatalf("snapshot: exit %d: %s", code, stderr)
		}
		live, stderr, code := run(t, "", append([]string{"graph", "-q", "--format", "json", "--context", "prod=admin", "--chunk-size", "3"}, kc...)...)
		if code != ExitOK {
			t.Fatalf("graph live: exit %d: %s", code, stderr)
		}
		offline, stderr, code := run(t, "", "graph", "-q", "--format", "json", "-f", "prod="+file)
		if code != ExitOK {
			t.Fatalf("graph of the snapshot: exit %d: %s", code, stderr)
		}
		outputs = append(outputs, live, offline)
		if live != offline {
			t.Errorf("the snapshot's graph differs from the live one:\n%s", firstDifference(live, offline))
		}
		if !strings.Contains(readFile(t, file), `"canary-creds"`) {
			t.Error("the snapshot lacks the canary Secret's metadata")
		}
	})
	t.Run("analyze", func(t *testing.T) {
		stdout, stderr, code := run(t, "", append([]string{"analyze", "--context", "admin", "-vv"}, kc...)...)
		outputs = append(outputs, stdout, stderr)
		if code == ExitError {
			t.Errorf("analyze on a live cluster: exit %d: %s", code, stderr)
		}
	})
	t.Run("limited identity", func(t *testing.T) {
		stdout, stderr, code := run(t, "", append([]string{"graph", "--format", "json", "--context", "limited"}, kc...)...)
		outputs = append(outputs, stdout, stderr)
		if code != ExitOK {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		for _, want := range []string{"warning: cluster limited: no permission to list secrets cluster-wide", "coverage gaps", "access-check"} {
			if !strings.Contains(stderr, want) {
				t.Errorf("stderr lacks %q:\n%s", want, stderr)
			}
		}
		if !strings.Contains(stdout, `"coverage-gaps": "list clusterrolebindings.rbac.authorization.k8s.io; list clusterroles.rbac.authorization.k8s.io; list rolebindings.rbac.authorization.k8s.io; list roles.rbac.authorization.k8s.io; list secrets"`) {
			t.Error("the JSON's cluster vertex does not carry the coverage gaps")
		}
		_, stderr, code = run(t, "", append([]string{"graph", "--strict", "--context", "limited"}, kc...)...)
		if code != ExitError {
			t.Errorf("--strict with coverage gaps: exit %d, want %d: %s", code, ExitError, stderr)
		}
	})
	t.Run("access-check", func(t *testing.T) {
		stdout, stderr, code := run(t, "", append([]string{"access-check", "--context", "admin"}, kc...)...)
		if code != ExitOK || !strings.Contains(stdout, "nothing missing") {
			t.Errorf("admin: exit %d:\n%s%s", code, stdout, stderr)
		}
		stdout, stderr, code = run(t, "", append([]string{"access-check", "--context", "limited"}, kc...)...)
		if code != ExitNo {
			t.Errorf("limited: exit %d, want %d: %s", code, ExitNo, stderr)
		}
		for _, want := range []string{"#   list secrets\n", "#   list rolebindings.rbac.authorization.k8s.io\n", "list secrets\" also lets"} {
			if !strings.Contains(stdout, want) {
				t.Errorf("stdout lacks %q:\n%s", want, stdout)
			}
		}
		var role rbacv1.ClusterRole
		if err := yaml.Unmarshal([]byte(stdout), &role); err != nil || role.Kind != "ClusterRole" || len(role.Rules) == 0 {
			t.Errorf("stdout is not a ClusterRole for kubectl apply: %v\n%s", err, stdout)
		}
	})
	for _, o := range outputs {
		for _, leak := range []string{canary, b64} {
			if strings.Contains(o, leak) {
				t.Errorf("an output holds the Secret's value (%q)", leak)
			}
		}
	}
}
