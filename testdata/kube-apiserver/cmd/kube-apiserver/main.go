// Command kube-apiserver is the upstream Kubernetes API server, built from the
// Go module proxy so that trustpath's integration tests run against a real
// server without Docker or downloaded binaries.
package main

import (
	"os"

	"k8s.io/component-base/cli"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
)

func main() {
	os.Exit(cli.Run(app.NewAPIServerCommand()))
}
