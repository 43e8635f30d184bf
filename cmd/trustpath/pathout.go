package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/trustpath/trustpath/analysis"
	tpreport "github.com/trustpath/trustpath/analysis/report"
	"github.com/trustpath/trustpath/graph"
	"github.com/trustpath/trustpath/internal/table"
)

// pathFormats are the encodings of commands that answer with paths.
var pathFormats = []string{"table", "json", "dot", "svg"}

// pathsSchema names the JSON encoding of paths.
const pathsSchema = "trustpath.io/paths/v1"

// writePaths renders paths in format: a table for each, headed by its ends
// and cost, or one JSON document or diagram for all.
func writePaths(ctx context.Context, w io.Writer, format string, paths []analysis.Path, d display) error {
	switch format {
	case "json":
		return writePathsJSON(w, paths)
	case "dot", "svg":
		var edges []*graph.Edge
		for _, p := range paths {
			edges = append(edges, p.Steps...)
		}
		view := graph.ViewOf(edges)
		view.MarkMissing = true
		return render(ctx, w, view, format)
	}
	for i, p := range paths {
		if i > 0 {
			fmt.Fprintln(w)
		}
		if err := writePathTable(w, p, d); err != nil {
			return err
		}
	}
	return nil
}

// writePathTable writes one path step by step: what the attacker does,
// the boundary crossed, and the control that was missing or the evidence.
func writePathTable(w io.Writer, p analysis.Path, d display) error {
	d.println(w, 4, fmt.Sprintf("%s -> %s: %d steps, cost %s", p.From().Key, p.To().Key, len(p.Steps), costString(p.Cost)))
	crossed := map[int]analysis.Crossing{}
	for _, c := range p.Crossings() {
		crossed[c.Step] = c
	}
	t := table.New("#", "STEP", "TO", "CROSSES", "MISSING CONTROL / EVIDENCE")
	t.Below(4, "")
	for i, e := range p.Steps {
		crosses, why := "-", evidenceText(e)
		if c, ok := crossed[i]; ok {
			crosses = c.Boundary.String()
			if len(c.Missing) > 0 {
				why = "missing: " + strings.Join(c.Missing, "; ")
			}
		}
		t.Row(strconv.Itoa(i+1), e.Label(), string(e.T.Key), crosses, why)
	}
	return d.render(w, t)
}

func evidenceText(e *graph.Edge) string {
	var parts []string
	for _, ev := range e.Evidence {
		parts = append(parts, strings.TrimSpace(string(ev.Object)+" "+ev.Detail))
	}
	if e.Note != "" {
		parts = append(parts, e.Note)
	}
	return strings.Join(parts, "; ")
}

func costString(c float64) string { return strings.TrimSuffix(fmt.Sprintf("%.1f", c), ".0") }

func writePathsJSON(w io.Writer, paths []analysis.Path) error {
	out := struct {
		Schema string          `json:"schema"`
		Paths  []tpreport.Path `json:"paths"`
	}{Schema: pathsSchema, Paths: []tpreport.Path{}}
	for _, p := range paths {
		out.Paths = append(out.Paths, tpreport.PathJSON(p))
	}
	return encodeJSON(w, out)
}

func encodeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
