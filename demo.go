// Package trustpath finds attack paths through Kubernetes. The command is
// cmd/trustpath; this package only carries the bundled demo estate.
package trustpath

import "embed"

// Demo is the bundled demo estate (testdata/demo): two clusters, prod and
// staging, whose README lists the attack paths a reviewer expects.
//
//go:embed testdata/demo
var Demo embed.FS

// DemoClusters maps each demo cluster to its directory in Demo.
var DemoClusters = map[string]string{
	"prod":    "testdata/demo/prod",
	"staging": "testdata/demo/staging",
}
