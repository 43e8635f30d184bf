package report

import (
	"bytes"
	"context"
	"regexp"

	"github.com/trustpath/trustpath/graph"
)

func renderSVG(ctx context.Context, v graph.View) ([]byte, error) {
	var dot bytes.Buffer
	if err := graph.WriteDOT(&dot, v); err != nil {
		return nil, err
	}
	var svg bytes.Buffer
	if err := graph.RenderSVG(ctx, dot.Bytes(), &svg); err != nil {
		return nil, err
	}
	return svg.Bytes(), nil
}

var (
	svgProlog = regexp.MustCompile(`(?s)^.*?(<svg[\s>])`)
	svgIDs    = regexp.MustCompile(`\b(id|href|xlink:href)="(#?)([^"]*)"`)
)

// inlineSVG makes an SVG document fit inside HTML: the XML prolog and
// DOCTYPE go, and element IDs get a prefix so that several diagrams on one
// page do not collide.
func inlineSVG(svg []byte, prefix string) []byte {
	out := svgProlog.ReplaceAll(svg, []byte("$1"))
	return svgIDs.ReplaceAllFunc(out, func(m []byte) []byte {
		sub := svgIDs.FindSubmatch(m)
		attr, hash, id := string(sub[1]), string(sub[2]), string(sub[3])
		if attr != "id" && hash == "" {
			return m // an external link, not an ID reference
		}
		return []byte(attr + `="` + hash + prefix + id + `"`)
	})
}
