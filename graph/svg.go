package graph

import (
	"context"
	"fmt"
	"io"

	"github.com/goccy/go-graphviz"
)

// RenderSVG lays out DOT source with Graphviz (compiled to WebAssembly inside
// go-graphviz, so no system Graphviz is needed) and writes SVG to w.
func RenderSVG(ctx context.Context, dotSrc []byte, w io.Writer) error {
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
