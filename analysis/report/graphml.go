package report

import (
	"encoding/xml"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/trustpath/trustpath/graph"
)

// GraphMLNamespace is the XML namespace of GraphML.
const GraphMLNamespace = "http://graphml.graphdrawing.org/xmlns"

type (
	gmlFile struct {
		XMLName xml.Name `xml:"graphml"`
		XMLNS   string   `xml:"xmlns,attr"`
		Keys    []gmlKey `xml:"key"`
		Graph   gmlGraph `xml:"graph"`
	}
	gmlKey struct {
		ID   string `xml:"id,attr"`
		For  string `xml:"for,attr"`
		Name string `xml:"attr.name,attr"`
		Type string `xml:"attr.type,attr"`
	}
	gmlGraph struct {
		ID          string    `xml:"id,attr"`
		EdgeDefault string    `xml:"edgedefault,attr"`
		Nodes       []gmlNode `xml:"node"`
		Edges       []gmlEdge `xml:"edge"`
	}
	gmlNode struct {
		ID   string    `xml:"id,attr"`
		Data []gmlData `xml:"data"`
	}
	gmlEdge struct {
		ID     string    `xml:"id,attr"`
		Source string    `xml:"source,attr"`
		Target string    `xml:"target,attr"`
		Data   []gmlData `xml:"data"`
	}
	gmlData struct {
		Key   string `xml:"key,attr"`
		Value string `xml:",chardata"`
	}
)

// WriteGraphML writes v as GraphML for graph tools (Gephi, yEd, Cytoscape,
// NetworkX): node ids are vertex keys; vertex fields, locations and
// properties, and edge techniques, boundaries, controls, evidence and costs
// are data keys declared up front. Lists are joined with "; ". Parallel
// edges (several techniques between two vertices) are kept.
func WriteGraphML(w io.Writer, v graph.View) error {
	out := gmlFile{XMLNS: GraphMLNamespace, Graph: gmlGraph{ID: "trustpath", EdgeDefault: "directed"}}
	nodeKeys := []string{"label", "kind", "name", "cluster", "node", "namespace", "pod", "container"}
	var props []string
	for _, x := range v.Vertices {
		for p := range x.Props {
			if !slices.Contains(props, p) {
				props = append(props, p)
			}
		}
	}
	slices.Sort(props)
	for _, k := range nodeKeys {
		out.Keys = append(out.Keys, gmlKey{ID: "v_" + k, For: "node", Name: k, Type: "string"})
	}
	for _, p := range props {
		out.Keys = append(out.Keys, gmlKey{ID: "p_" + propertyName(p), For: "node", Name: p, Type: "string"})
	}
	edgeKeys := []string{"label", "technique", "ports", "boundary", "present", "missing", "evidence", "note"}
	for _, k := range edgeKeys {
		out.Keys = append(out.Keys, gmlKey{ID: "e_" + k, For: "edge", Name: k, Type: "string"})
	}
	out.Keys = append(out.Keys,
		gmlKey{ID: "e_cost", For: "edge", Name: "cost", Type: "double"},
		gmlKey{ID: "e_persistence", For: "edge", Name: "persistence", Type: "boolean"})

	for _, x := range v.Vertices {
		n := gmlNode{ID: string(x.Key)}
		for i, val := range []string{string(x.Key), string(x.Kind), x.Name, x.Loc.Cluster, x.Loc.Node, x.Loc.Namespace,
			string(x.Loc.Pod), x.Loc.Container} {
			if val != "" {
				n.Data = append(n.Data, gmlData{"v_" + nodeKeys[i], val})
			}
		}
		for _, p := range props {
			if val := x.Prop(p); val != "" {
				n.Data = append(n.Data, gmlData{"p_" + propertyName(p), val})
			}
		}
		out.Graph.Nodes = append(out.Graph.Nodes, n)
	}
	for i, e := range v.Edges {
		var ev []string
		for _, x := range e.Evidence {
			ev = append(ev, strings.TrimSpace(string(x.Object)+" "+x.Detail))
		}
		ge := gmlEdge{ID: "e" + strconv.Itoa(i), Source: string(e.F.Key), Target: string(e.T.Key)}
		for j, val := range []string{e.Label(), string(e.Technique), strings.Join(e.Ports, "; "), e.Boundary.String(),
			strings.Join(e.Present, "; "), strings.Join(e.Missing, "; "), strings.Join(ev, "; "), e.Note} {
			if val != "" {
				ge.Data = append(ge.Data, gmlData{"e_" + edgeKeys[j], val})
			}
		}
		ge.Data = append(ge.Data, gmlData{"e_cost", strconv.FormatFloat(e.Cost, 'g', -1, 64)},
			gmlData{"e_persistence", strconv.FormatBool(e.Technique.Persistence())})
		out.Graph.Edges = append(out.Graph.Edges, ge)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
