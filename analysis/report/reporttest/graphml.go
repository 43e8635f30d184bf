package reporttest

import (
	"encoding/xml"
	"testing"
)

// GraphML checks a GraphML document as graph tools read it: the GraphML
// namespace, keys with unique ids declared for node or edge with a name and
// a type, one directed graph, unique node ids, edges between declared nodes,
// and data that names a key declared for its element. It returns the node
// and edge counts.
func GraphML(t testing.TB, data []byte) (nodes, edges int) {
	t.Helper()
	type datum struct {
		Key string `xml:"key,attr"`
	}
	var doc struct {
		XMLName xml.Name
		Keys    []struct {
			ID   string `xml:"id,attr"`
			For  string `xml:"for,attr"`
			Name string `xml:"attr.name,attr"`
			Type string `xml:"attr.type,attr"`
		} `xml:"key"`
		Graphs []struct {
			ID          string `xml:"id,attr"`
			EdgeDefault string `xml:"edgedefault,attr"`
			Nodes       []struct {
				ID   string  `xml:"id,attr"`
				Data []datum `xml:"data"`
			} `xml:"node"`
			Edges []struct {
				ID     string  `xml:"id,attr"`
				Source string  `xml:"source,attr"`
				Target string  `xml:"target,attr"`
				Data   []datum `xml:"data"`
			} `xml:"edge"`
		} `xml:"graph"`
	}
	if err := xml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("not well-formed XML: %v", err)
	}
	if doc.XMLName.Space != "http://graphml.graphdrawing.org/xmlns" || doc.XMLName.Local != "graphml" {
		t.Errorf("root element is {%s}%s, want {http://graphml.graphdrawing.org/xmlns}graphml", doc.XMLName.Space, doc.XMLName.Local)
	}
	keys := map[string]string{}
	for _, k := range doc.Keys {
		if k.ID == "" || keys[k.ID] != "" {
			t.Errorf("key id %q is empty or not unique", k.ID)
		}
		if k.For != "node" && k.For != "edge" && k.For != "graph" && k.For != "all" {
			t.Errorf("key %s is for %q", k.ID, k.For)
		}
		switch k.Type {
		case "boolean", "int", "long", "float", "double", "string":
		default:
			t.Errorf("key %s has attr.type %q", k.ID, k.Type)
		}
		if k.Name == "" {
			t.Errorf("key %s has no attr.name", k.ID)
		}
		keys[k.ID] = k.For
	}
	if len(doc.Graphs) != 1 {
		t.Fatalf("%d graphs, want 1", len(doc.Graphs))
	}
	g := doc.Graphs[0]
	if g.EdgeDefault != "directed" {
		t.Errorf("edgedefault %q, want directed", g.EdgeDefault)
	}
	checkData := func(where string, ds []datum, kind string) {
		for _, d := range ds {
			if f := keys[d.Key]; f != kind && f != "all" {
				t.Errorf("%s: data key %q is not declared for %ss", where, d.Key, kind)
			}
		}
	}
	ids := map[string]bool{}
	for _, n := range g.Nodes {
		if n.ID == "" || ids[n.ID] {
			t.Errorf("node id %q is empty or not unique", n.ID)
		}
		ids[n.ID] = true
		checkData("node "+n.ID, n.Data, "node")
	}
	edgeIDs := map[string]bool{}
	for _, e := range g.Edges {
		if !ids[e.Source] || !ids[e.Target] {
			t.Errorf("edge %s: %s -> %s names a node that is not declared", e.ID, e.Source, e.Target)
		}
		if e.ID != "" && edgeIDs[e.ID] {
			t.Errorf("edge id %q is not unique", e.ID)
		}
		edgeIDs[e.ID] = true
		checkData("edge "+e.ID, e.Data, "edge")
	}
	return len(g.Nodes), len(g.Edges)
}
