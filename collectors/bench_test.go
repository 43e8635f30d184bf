package collectors_test

import (
	"bytes"
	"fmt"
	"sync"
	"testing"

	"github.com/trustpath/trustpath/collectors"
)

// synthetic writes an estate of n pod groups as one multi-document YAML
// stream: 20 pod groups per namespace, each a Deployment with a Service, a
// ServiceAccount and a Secret it mounts. It stands for a GitOps repository;
// the full synthetic cluster with RBAC and policies is a separate generator.
func synthetic(n int) []byte {
	var b bytes.Buffer
	for i := range n {
		ns := fmt.Sprintf("team-%d", i/20)
		fmt.Fprintf(&b, `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: app-%[1]d, namespace: %[2]s}
spec:
  replicas: 3
  selector: {matchLabels: {app: app-%[1]d}}
  template:
    metadata: {labels: {app: app-%[1]d, tier: web}}
    spec:
      serviceAccountName: app-%[1]d
      volumes: [{name: creds, secret: {secretName: app-%[1]d}}]
      containers:
      - name: app
        image: registry.example.com/app:%[1]d
        ports: [{name: http, containerPort: 8080}]
        volumeMounts: [{name: creds, mountPath: /creds}]
        envFrom: [{secretRef: {name: app-%[1]d}}]
---
apiVersion: v1
kind: Service
metadata: {name: app-%[1]d, namespace: %[2]s}
spec:
  selector: {app: app-%[1]d}
  ports: [{port: 80, targetPort: http}]
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: app-%[1]d, namespace: %[2]s}
---
apiVersion: v1
kind: Secret
metadata: {name: app-%[1]d, namespace: %[2]s}
data: {password: cGFzc3dvcmQ=}
`, i, ns)
	}
	return b.Bytes()
}

var (
	syntheticOnce  sync.Once
	syntheticCache = map[int][]byte{}
)

// BenchmarkLoad measures decoding and building the graph, which grows with
// pod groups (templates), not pods.
func BenchmarkLoad(b *testing.B) {
	sizes := []int{100, 1000, 10000}
	syntheticOnce.Do(func() {
		for _, n := range sizes {
			syntheticCache[n] = synthetic(n)
		}
	})
	for _, n := range sizes {
		b.Run(fmt.Sprintf("groups=%d", n), func(b *testing.B) {
			data := syntheticCache[n]
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				res, err := collectors.Load(b.Context(), collectors.Options{
					Sources: []collectors.Source{{Cluster: "bench", Path: "-"}},
					Stdin:   bytes.NewReader(data), DefaultNamespace: "default",
				})
				if err != nil {
					b.Fatal(err)
				}
				if len(res.Graph.Edges()) < n {
					b.Fatalf("got %d edges for %d groups", len(res.Graph.Edges()), n)
				}
			}
		})
	}
}
