package graph

import (
	"context"
	"fmt"
	"io"
	"sync"

	"github.com/goccy/go-graphviz"
)

// renderMu serialises rendering: go-graphviz shares WebAssembly state
// between instances, and concurrent layouts corrupt its memory ("out of
// bounds memory access"), so at most one render runs at a time.
var renderMu sync.Mutex

// RenderSVG lays out DOT source with Graphviz (compiled to WebAssembly inside
// go-graphviz, so no system Graphviz is needed) and writes SVG to w. It is
// safe for concurrent use; renders run one at a time.
func RenderSVG(ctx context.Context, dotSrc []byte, w io.Writer) error {
	renderMu.Lock()
	defer renderMu.Unlock()
	gv, err := graphviz.New(ctx)
	if err != nil {
		return fmt.Errorf("starting graphviz: %w", err)
	}
	defer gv.Close()
	g, err := graphviz.ParseBytes(dotSrc)
	if err != nil {
		return fmt.Errorf("parsing DOT for rendering: %w", err)
	}
	defer g.Close()
	if err := gv.Render(ctx, g, graphviz.SVG, w); err != nil {
		return fmt.Errorf("rendering SVG: %w", err)
	}
	return nil
}
