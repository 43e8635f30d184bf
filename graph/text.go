package graph

import (
	"io"
	"strings"

	"github.com/trustpath/trustpath/internal/table"
)

// WriteText writes v as two tables a terminal user reads without a legend:
// the vertices, then the edges with the boundary each crosses; one row per
// line, however wide.
func WriteText(w io.Writer, v View) error { return WriteTextWidth(w, v, 0) }

// WriteTextWidth writes v as [WriteText] does, fitted to width columns
// (0: no limit): long cells wrap and missing controls move under their
// edge, so nothing is cut.
func WriteTextWidth(w io.Writer, v View, width int) error {
	vt := table.New("VERTEX", "KIND", "DETAIL")
	vt.Below(2, "")
	for _, x := range v.Vertices {
		vt.Row(string(x.Key), string(x.Kind), detail(x))
	}
	if err := vt.Render(w, width); err != nil {
		return err
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return err
	}
	et := table.New("FROM", "TO", "TECHNIQUE", "CROSSES", "MISSING CONTROL")
	et.Below(4, "missing")
	for _, e := range v.Edges {
		et.Row(string(e.F.Key), string(e.T.Key), e.Label(), e.Boundary.String(), strings.Join(e.Missing, "; "))
	}
	return et.Render(w, width)
}

// detail summarises the properties a reader looks for first.
func detail(v *Vertex) string {
	var parts []string
	for _, p := range []string{PropReplicas, "nodes", PropImage, "type", "ports", PropImplicit} {
		if val := v.Prop(p); val != "" {
			parts = append(parts, p+"="+val)
		}
	}
	return strings.Join(parts, " ")
}
