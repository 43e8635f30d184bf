package graph

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/trustpath/trustpath/internal/jsonstream"
)

// SchemaVersion names the JSON encoding of a graph. It changes whenever a
// field changes meaning or goes away; new optional fields keep it.
const SchemaVersion = "trustpath.io/graph/v1"

type jsonGraph struct {
	Schema   string       `json:"schema"`
	Clusters []string     `json:"clusters"`
	Vertices []jsonVertex `json:"vertices"`
	Edges    []jsonEdge   `json:"edges"`
}

type jsonVertex struct {
	Key      Key               `json:"key"`
	Kind     Kind              `json:"kind"`
	Name     string            `json:"name,omitempty"`
	Location Location          `json:"location"`
	Props    map[string]string `json:"props,omitempty"` // encoding/json sorts map keys
}

type jsonEdge struct {
	From      Key        `json:"from"`
	To        Key        `json:"to"`
	Technique Technique  `json:"technique"`
	Ports     []string   `json:"ports,omitempty"`
	Boundary  Boundary   `json:"boundary"`
	Present   []string   `json:"present,omitempty"`
	Missing   []string   `json:"missing,omitempty"`
	Evidence  []Evidence `json:"evidence,omitempty"`
	Note      string     `json:"note,omitempty"`
	Cost      float64    `json:"cost"`
}

// WriteJSON writes v in the versioned JSON schema, indented, vertices and
// edges in sorted order. Each vertex and edge is encoded only as it is
// written: a 50,000-pod estate has over a million edges.
func WriteJSON(w io.Writer, v View) error {
	clusters := v.clusters()
	if clusters == nil {
		clusters = []string{}
	}
	vertices := jsonstream.Map(v.Vertices, func(x *Vertex) jsonVertex {
		return jsonVertex{x.Key, x.Kind, x.Name, x.Loc, x.Props}
	})
	edges := jsonstream.Map(v.Edges, func(e *Edge) jsonEdge {
		return jsonEdge{
			From: e.F.Key, To: e.T.Key, Technique: e.Technique, Ports: e.Ports, Boundary: e.Boundary,
			Present: e.Present, Missing: e.Missing, Evidence: e.Evidence, Note: e.Note, Cost: e.Cost,
		}
	})
	// The fields of jsonGraph, which ReadJSON decodes, in its order.
	out := struct {
		Schema   string            `json:"schema"`
		Clusters []string          `json:"clusters"`
		Vertices *jsonstream.Array `json:"vertices"`
		Edges    *jsonstream.Array `json:"edges"`
	}{SchemaVersion, clusters, vertices, edges}
	return jsonstream.Encode(w, out, "", "  ", vertices, edges)
}

// ReadJSON decodes a graph written by WriteJSON. Boundaries are derived
// again from the locations rather than trusted from the input.
func ReadJSON(r io.Reader) (*Graph, error) {
	var in jsonGraph
	if err := json.NewDecoder(r).Decode(&in); err != nil {
		return nil, fmt.Errorf("decoding graph JSON: %w", err)
	}
	if in.Schema != SchemaVersion {
		return nil, fmt.Errorf("graph JSON has schema %q; this trustpath reads %q", in.Schema, SchemaVersion)
	}
	b := NewBuilder()
	for _, x := range in.Vertices {
		if err := b.AddVertex(&Vertex{Key: x.Key, Kind: x.Kind, Name: x.Name, Loc: x.Location, Props: x.Props}); err != nil {
			return nil, err
		}
	}
	for _, e := range in.Edges {
		err := b.AddEdge(e.From, e.To, Edge{Technique: e.Technique, Ports: e.Ports, Present: e.Present,
			Missing: e.Missing, Evidence: e.Evidence, Note: e.Note, Cost: e.Cost})
		if err != nil {
			return nil, err
		}
	}
	return b.Build(), nil
}
