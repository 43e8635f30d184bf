package cluster

import (
	"fmt"
	"net/http"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/metadata"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/util/flowcontrol"
)

// Defaults for client-side rate limits: what a large cluster's API server
// tolerates from one reader (client-go's own default is 5 and 10).
const (
	DefaultQPS   = 20
	DefaultBurst = 40
)

// NewClients returns the clients of a read of the cluster cfg reaches,
// sharing one rate limit of qps requests a second with bursts of burst.
// The typed client asks for protobuf, as kubectl does, which a large list
// needs far less time to decode.
func NewClients(cfg *rest.Config, qps float32, burst int) (Clients, error) {
	cfg = rest.CopyConfig(cfg)
	cfg.QPS, cfg.Burst = qps, burst
	cfg.UserAgent = "trustpath"
	// Server warnings (deprecated versions, odd objects) concern whoever
	// wrote the objects, not a reader; client-go would print them on stderr.
	cfg.WarningHandler = rest.NoWarnings{}
	if cfg.RateLimiter == nil && qps > 0 {
		// One limiter for both clients, so the two together stay within qps.
		cfg.RateLimiter = flowcontrol.NewTokenBucketRateLimiter(qps, burst)
	}
	httpClient, err := rest.HTTPClientFor(cfg)
	if err != nil {
		return Clients{}, fmt.Errorf("configuring the client: %w", err)
	}
	return newClients(cfg, httpClient)
}

func newClients(cfg *rest.Config, h *http.Client) (Clients, error) {
	md, err := metadata.NewForConfigAndClient(cfg, h)
	if err != nil {
		return Clients{}, err
	}
	typed := rest.CopyConfig(cfg)
	typed.ContentType = "application/vnd.kubernetes.protobuf"
	typed.AcceptContentTypes = "application/vnd.kubernetes.protobuf,application/json"
	kube, err := kubernetes.NewForConfigAndClient(typed, h)
	if err != nil {
		return Clients{}, err
	}
	return Clients{Kube: kube, Metadata: md}, nil
}
