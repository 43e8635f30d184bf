package graph

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// WriteText writes v as two tables a terminal user reads without a legend:
// the vertices, then the edges with the boundary each crosses.
func WriteText(w io.Writer, v View) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "VERTEX\tKIND\tDETAIL")
	for _, x := range v.Vertices {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", x.Key, x.Kind, detail(x))
	}
	fmt.Fprintln(tw)
	fmt.Fprintln(tw, "FROM\tTO\tTECHNIQUE\tCROSSES\tMISSING CONTROL")
	for _, e := range v.Edges {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", e.F.Key, e.T.Key, e.Label(), e.Boundary, strings.Join(e.Missing, "; "))
	}
	return tw.Flush()
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
