package graph

import "testing"

func TestCross(t *testing.T) {
	t.Parallel()
	web := Location{Cluster: "prod", Namespace: "shop", Pod: "deployment/shop/web", Container: "nginx"}
	sidecar := Location{Cluster: "prod", Namespace: "shop", Pod: "deployment/shop/web", Container: "envoy"}
	api := Location{Cluster: "prod", Namespace: "shop", Pod: "deployment/shop/api", Container: "api"}
	pay := Location{Cluster: "prod", Namespace: "payments", Pod: "deployment/payments/proc", Container: "proc"}
	shopSecret := Location{Cluster: "prod", Namespace: "shop"}
	paySecret := Location{Cluster: "prod", Namespace: "payments"}
	nodeA := Location{Cluster: "prod", Node: "node-a"}
	nodeB := Location{Cluster: "prod", Node: "node-b"}
	anyNode := Location{Cluster: "prod", Node: AnyNode}
	webOnA := web
	webOnA.Node = "node-a"
	apiOnB := api
	apiOnB.Node = "node-b"
	staging := Location{Cluster: "staging", Namespace: "shop"}
	prodCluster := Location{Cluster: "prod"}
	internet := Location{}

	tests := []struct {
		name string
		a, b Location
		want Boundary
	}{
		{"same container", web, web, BoundaryNone},
		{"sidecar in the same pod", web, sidecar, BoundaryContainer},
		{"another pod group, same namespace", web, api, BoundaryPod},
		{"another namespace", web, pay, BoundaryNamespace},
		{"own namespace's secret", web, shopSecret, BoundaryNone},
		{"another namespace's secret", web, paySecret, BoundaryNamespace},
		{"escape to the node", web, nodeA, BoundaryNode},
		{"node to a pod on it", nodeA, webOnA, BoundaryNode},
		{"node to node", nodeA, nodeB, BoundaryNode},
		{"escape to whichever node the pod runs on", web, anyNode, BoundaryNode},
		{"create-pods hub to any node", shopSecret, anyNode, BoundaryNode},
		{"any node becoming a known one", anyNode, nodeA, BoundaryNone},
		{"a known node to any node", nodeB, anyNode, BoundaryNone},
		{"network between pods on different nodes", webOnA, apiOnB, BoundaryPod},
		{"another cluster", shopSecret, staging, BoundaryCluster},
		{"internet into a cluster", internet, web, BoundaryCluster},
		{"cluster-scoped privilege in the same cluster", web, prodCluster, BoundaryNone},
	}
	for _, tt := range tests {
		if got := Cross(tt.a, tt.b); got != tt.want {
			t.Errorf("%s: Cross = %s, want %s", tt.name, got, tt.want)
		}
	}
}

func TestBoundaryText(t *testing.T) {
	t.Parallel()
	for b := BoundaryNone; b <= BoundaryCluster; b++ {
		text, err := b.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back Boundary
		if err := back.UnmarshalText(text); err != nil || back != b {
			t.Errorf("%s round-trips to %s, %v", b, back, err)
		}
	}
	var b Boundary
	if err := b.UnmarshalText([]byte("galaxy")); err == nil {
		t.Error("UnmarshalText(galaxy) succeeded, want an error")
	}
}
