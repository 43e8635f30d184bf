package rbac

import (
	"bytes"
	"context"
	_ "embed" // defaults.yaml
	"fmt"
	"sync"

	"github.com/trustpath/trustpath/collectors/estate"
	"github.com/trustpath/trustpath/collectors/manifest"
)

// defaultsFile names the embedded bootstrap policy in sources and messages.
const defaultsFile = "rbac/defaults.yaml"

//go:embed defaults.yaml
var defaultsYAML []byte

// Defaults returns the ClusterRoles and ClusterRoleBindings that every
// Kubernetes API server creates at start-up (its RBAC bootstrap policy),
// read once from the embedded defaults.yaml. The snapshot is shared and must
// not be modified. It panics if the embedded file does not decode, which a
// test rules out.
func Defaults() *estate.Snapshot { return defaults() }

var defaults = sync.OnceValue(func() *estate.Snapshot {
	s := estate.New("defaults")
	// NOTE: the embedded input needs no cancellation; Read only checks ctx.
	if err := manifest.Read(context.Background(), bytes.NewReader(defaultsYAML), defaultsFile, s, manifest.Options{}); err != nil {
		panic(fmt.Sprintf("rbac: reading %s: %v", defaultsFile, err))
	}
	if len(s.Diagnostics) > 0 {
		panic(fmt.Sprintf("rbac: %s: %v", defaultsFile, s.Diagnostics[0]))
	}
	return s
})
