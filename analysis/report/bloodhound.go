package report

import (
	"io"
	"strings"
	"unicode"

	"github.com/trustpath/trustpath/graph"
	"github.com/trustpath/trustpath/internal/jsonstream"
)

// OpenGraphSourceKind is the source kind of a BloodHound OpenGraph export:
// BloodHound adds it to every node, so trustpath's nodes can be told apart
// from those of other collectors.
const OpenGraphSourceKind = "TrustpathBase"

type (
	ogFile struct {
		Metadata ogMetadata `json:"metadata"`
		Graph    ogGraph    `json:"graph"`
	}
	ogMetadata struct {
		SourceKind string `json:"source_kind"`
	}
	// ogGraph's lists are streamed: a large estate has over a million
	// edges.
	ogGraph struct {
		Nodes *jsonstream.Array `json:"nodes"` // of ogNode
		Edges *jsonstream.Array `json:"edges"` // of ogEdge
	}
	ogNode struct {
		ID         string         `json:"id"`
		Kinds      []string       `json:"kinds"`
		Properties map[string]any `json:"properties"`
	}
	ogEdge struct {
		Start      ogRef          `json:"start"`
		End        ogRef          `json:"end"`
		Kind       string         `json:"kind"`
		Properties map[string]any `json:"properties"`
	}
	ogRef struct {
		Value   string `json:"value"`
		MatchBy string `json:"match_by"`
	}
)

// WriteOpenGraph writes v as BloodHound OpenGraph JSON: each vertex a node
// whose id is its key, with kinds such as TPDeployment and TPWorkload;
// each edge one of kind TP plus its technique in PascalCase
// (TPUseMountedToken). Property values are flat, as OpenGraph requires:
// strings, numbers, booleans and arrays of strings.
func WriteOpenGraph(w io.Writer, v graph.View) error {
	nodes := jsonstream.Map(v.Vertices, func(x *graph.Vertex) ogNode {
		kinds := []string{openGraphKind(string(x.Kind))}
		switch {
		case x.Kind.IsWorkload():
			kinds = append(kinds, "TPWorkload")
		case x.Kind.IsActor():
			kinds = append(kinds, "TPActor")
		case x.Kind.IsTransit():
			kinds = append(kinds, "TPTransit")
		}
		props := map[string]any{"name": x.Name, "displayname": string(x.Key), "objectid": string(x.Key), "kind": string(x.Kind)}
		if x.Name == "" {
			props["name"] = string(x.Key)
		}
		for k, val := range map[string]string{"cluster": x.Loc.Cluster, "node": x.Loc.Node, "namespace": x.Loc.Namespace,
			"pod": string(x.Loc.Pod), "container": x.Loc.Container} {
			if val != "" {
				props[k] = val
			}
		}
		for k, val := range x.Props {
			name := propertyName(k)
			if _, taken := props[name]; taken {
				name = "prop_" + name
			}
			props[name] = val
		}
		return ogNode{ID: string(x.Key), Kinds: kinds, Properties: props}
	})
	edges := jsonstream.Map(v.Edges, func(e *graph.Edge) ogEdge {
		props := map[string]any{"technique": string(e.Technique), "boundary": e.Boundary.String(), "cost": e.Cost,
			"uncontrolled": len(e.Missing) > 0, "persistence": e.Technique.Persistence()}
		if len(e.Ports) > 0 {
			props["ports"] = e.Ports
		}
		if len(e.Present) > 0 {
			props["controls_present"] = e.Present
		}
		if len(e.Missing) > 0 {
			props["controls_missing"] = e.Missing
		}
		if len(e.Evidence) > 0 {
			var ev []string
			for _, x := range e.Evidence {
				ev = append(ev, strings.TrimSpace(string(x.Object)+" "+x.Detail))
			}
			props["evidence"] = ev
		}
		if e.Note != "" {
			props["note"] = e.Note
		}
		return ogEdge{Start: ogRef{string(e.F.Key), "id"}, End: ogRef{string(e.T.Key), "id"},
			Kind: openGraphKind(string(e.Technique)), Properties: props}
	})
	out := ogFile{Metadata: ogMetadata{SourceKind: OpenGraphSourceKind}, Graph: ogGraph{Nodes: nodes, Edges: edges}}
	return jsonstream.Encode(w, out, "", "  ", nodes, edges)
}

// openGraphKind turns a kind or technique into a BloodHound kind: "TP" and
// the words in PascalCase, anything outside [A-Za-z0-9_] dropped
// ("use mounted token" → TPUseMountedToken, "pod-network" → TPPodNetwork).
func openGraphKind(s string) string {
	var b strings.Builder
	b.WriteString("TP")
	upper := true
	for _, r := range s {
		switch {
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_'):
			if upper {
				r = unicode.ToUpper(r)
			}
			b.WriteRune(r)
			upper = false
		default:
			upper = true
		}
	}
	return b.String()
}

// propertyName writes a vertex property as BloodHound names them: lower
// case, words joined by underscores.
func propertyName(s string) string {
	return strings.Map(func(r rune) rune {
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return unicode.ToLower(r)
		}
		return '_'
	}, s)
}
