package graph

import (
	"errors"
	"testing"
)

func TestNewKey(t *testing.T) {
	t.Parallel()
	tests := []struct {
		cluster string
		kind    Kind
		parts   []string
		want    Key
	}{
		{"", KindDeployment, []string{"shop", "web"}, "deployment/shop/web"},
		{"prod", KindDeployment, []string{"shop", "web"}, "prod:deployment/shop/web"},
		{"prod", KindNode, []string{"node-a"}, "prod:node/node-a"},
		{"prod", KindInternet, nil, "internet"}, // one internet for all clusters
		{"prod", KindClusterAdmin, nil, "prod:cluster-admin"},
		{"", KindNamespaceAdmin, []string{"shop"}, "namespace-admin/shop"},
		{"", KindContainer, []string{"shop", "web", "nginx"}, "container/shop/web/nginx"},
	}
	for _, tt := range tests {
		if got := NewKey(tt.cluster, tt.kind, tt.parts...); got != tt.want {
			t.Errorf("NewKey(%q, %s, %q) = %s, want %s", tt.cluster, tt.kind, tt.parts, got, tt.want)
		}
	}
}

func TestNewKeyPanicsOnWrongParts(t *testing.T) {
	t.Parallel()
	defer func() {
		if recover() == nil {
			t.Error("NewKey(secret with one part) did not panic")
		}
	}()
	NewKey("", KindSecret, "only-a-name")
}

func TestParseKey(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    Key
		wantErr bool
	}{
		{in: "deploy/shop/web", want: "deployment/shop/web"},
		{in: "sa/shop/api", want: "serviceaccount/shop/api"},
		{in: "svc/shop/web", want: "service/shop/web"},
		{in: "po/shop/web-1", want: "pod/shop/web-1"},
		{in: "ds/monitoring/exporter", want: "daemonset/monitoring/exporter"},
		{in: "sts/shop/db", want: "statefulset/shop/db"},
		{in: "ns/shop", want: "namespace/shop"},
		{in: "no/node-a", want: "node/node-a"},
		{in: "ing/shop/web", want: "ingress/shop/web"},
		{in: "prod:deploy/shop/web", want: "prod:deployment/shop/web"},
		{in: "Deployment/shop/web", want: "deployment/shop/web"},
		{in: "internet", want: "internet"},
		{in: "cluster-admin", want: "cluster-admin"},
		{in: "prod:cluster-admin", want: "prod:cluster-admin"},
		{in: "user/alice@example.com", want: "user/alice@example.com"},
		{in: "container/shop/web/nginx", want: "container/shop/web/nginx"},
		{in: "user/system:anonymous", want: "user/system:anonymous"},
		{in: "prod:group/system:masters", want: "prod:group/system:masters"},
		{in: "deploy/web", wantErr: true},        // namespace missing
		{in: "secret/shop/a/b", wantErr: true},   // too many segments
		{in: "widget/shop/x", wantErr: true},     // unknown kind
		{in: "deploy/shop/", wantErr: true},      // empty name
		{in: ":deploy/shop/web", wantErr: true},  // empty cluster
		{in: "node", wantErr: true},              // name missing
		{in: "internet/anything", wantErr: true}, // internet takes no name
	}
	for _, tt := range tests {
		got, err := ParseKey(tt.in)
		if tt.wantErr {
			var ke *KeyError
			if !errors.As(err, &ke) {
				t.Errorf("ParseKey(%q) = %s, %v; want a *KeyError", tt.in, got, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseKey(%q) = %s, %v; want %s", tt.in, got, err, tt.want)
		}
	}
}

func TestKeyParts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		k       Key
		cluster string
		kind    Kind
	}{
		{"prod:deployment/shop/web", "prod", KindDeployment},
		{"deployment/shop/web", "", KindDeployment},
		{"internet", "", KindInternet},
		{"staging:cluster-admin", "staging", KindClusterAdmin},
		{"group/system:masters", "", KindGroup},
		{"prod:user/system:serviceaccount:ci:runner", "prod", KindUser},
	}
	for _, tt := range tests {
		if got := tt.k.Cluster(); got != tt.cluster {
			t.Errorf("%s.Cluster() = %q, want %q", tt.k, got, tt.cluster)
		}
		if got := tt.k.Kind(); got != tt.kind {
			t.Errorf("%s.Kind() = %q, want %q", tt.k, got, tt.kind)
		}
	}
}
