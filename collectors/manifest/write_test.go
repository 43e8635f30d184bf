package manifest_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trustpath/trustpath/collectors/estate"
	"github.com/trustpath/trustpath/collectors/manifest"
)

// TestWriteListRoundTrip writes a snapshot and reads it back: the same
// objects, the same gaps, sorted output, and no Secret value.
func TestWriteListRoundTrip(t *testing.T) {
	t.Parallel()
	in := `apiVersion: v1
kind: Secret
metadata: {name: b, namespace: shop, resourceVersion: "42"}
data: {password: aHVudGVyMg==}
---
apiVersion: v1
kind: Secret
metadata: {name: a, namespace: shop}
type: kubernetes.io/tls
stringData: {tls.crt: hunter2, tls.key: hunter2}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec: {template: {spec: {containers: [{name: web, image: nginx}]}}}
---
apiVersion: v1
kind: Namespace
metadata: {name: shop}
`
	snap := estate.New("test")
	if err := manifest.Read(t.Context(), strings.NewReader(in), "in.yaml", snap, manifest.Options{}); err != nil {
		t.Fatal(err)
	}
	snap.Gaps = []estate.Gap{{Resource: "roles.rbac.authorization.k8s.io", Verb: "list", Namespace: "shop", Kind: "Role"}}
	var out bytes.Buffer
	if err := manifest.WriteList(&out, snap); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, leak := range []string{"hunter2", "aHVudGVyMg=="} {
		if strings.Contains(got, leak) {
			t.Errorf("the List holds a secret value (%q)", leak)
		}
	}
	if strings.Contains(got, "resourceVersion") {
		t.Error("the List keeps resourceVersions, which change on every write")
	}
	order := []string{`"name": "shop"`, `"name": "web"`, `"name": "a"`, `"name": "b"`}
	last := -1
	for _, o := range order {
		i := strings.Index(got, o)
		if i < last {
			t.Errorf("%s is out of order: want namespaces, deployments, then secrets sorted by name", o)
		}
		last = i
	}

	back := estate.New("test")
	if err := manifest.Read(t.Context(), &out, "estate.json", back, manifest.Options{}); err != nil {
		t.Fatal(err)
	}
	if len(back.Diagnostics) > 0 {
		t.Errorf("reading the List back: %v", back.Diagnostics)
	}
	if d := cmp.Diff(snap.Gaps, back.Gaps); d != "" {
		t.Errorf("gaps (-written +read):\n%s", d)
	}
	if back.Objects() != snap.Objects() {
		t.Errorf("read back %d objects, wrote %d", back.Objects(), snap.Objects())
	}
	keys := map[string]string{}
	for _, s := range back.Secrets {
		var names []string
		for k, v := range s.Data {
			if len(v) > 0 {
				t.Errorf("secret %s key %s has a value", s.Name, k)
			}
			names = append(names, k)
		}
		keys[s.Name] = strings.Join(names, ",")
	}
	if keys["b"] != "password" || back.Secrets[0].Type != "kubernetes.io/tls" {
		t.Errorf("key names or types lost: %v, %s", keys, back.Secrets[0].Type)
	}
}
