package reporttest

import (
	"encoding/json"
	"fmt"
	"regexp"
	"testing"
)

// kindPattern is what BloodHound accepts as a kind.
var kindPattern = regexp.MustCompile(`^[A-Za-z0-9_]+$`)

// OpenGraph checks a BloodHound OpenGraph file as BloodHound ingests it:
// graph.nodes with unique string ids, one to three kinds, and flat
// properties (strings, numbers, booleans, or arrays of one such type);
// graph.edges whose start and end match a node by id, whose kind matches
// ^[A-Za-z0-9_]+$, with flat properties. It returns the node and edge
// counts.
func OpenGraph(t testing.TB, data []byte) (nodes, edges int) {
	t.Helper()
	c := checker{t}
	file := c.obj("$", decode(t, data), []string{"graph"}, "metadata")
	if mv, ok := file["metadata"]; ok {
		md := c.obj("$.metadata", mv, nil, "source_kind")
		if sk, ok := md["source_kind"]; ok && !kindPattern.MatchString(c.str("$.metadata.source_kind", sk)) {
			c.errorf("$.metadata.source_kind", "%v does not match %s", sk, kindPattern)
		}
	}
	g := c.obj("$.graph", file["graph"], []string{"nodes", "edges"})
	ids := map[string]bool{}
	for i, nv := range c.arr("$.graph.nodes", g["nodes"], 1) {
		p := fmt.Sprintf("$.graph.nodes[%d]", i)
		n := c.obj(p, nv, []string{"id", "kinds"}, "properties")
		id := c.str(p+".id", n["id"])
		if ids[id] {
			c.errorf(p+".id", "id %q is not unique", id)
		}
		ids[id] = true
		kinds := c.arr(p+".kinds", n["kinds"], 1)
		if len(kinds) > 3 {
			c.errorf(p+".kinds", "%d kinds; OpenGraph allows at most 3", len(kinds))
		}
		for j, k := range kinds {
			if s := c.str(fmt.Sprintf("%s.kinds[%d]", p, j), k); !kindPattern.MatchString(s) {
				c.errorf(fmt.Sprintf("%s.kinds[%d]", p, j), "%q does not match %s", s, kindPattern)
			}
		}
		flat(c, p+".properties", n["properties"])
	}
	es := c.arr("$.graph.edges", g["edges"], 0)
	for i, ev := range es {
		p := fmt.Sprintf("$.graph.edges[%d]", i)
		e := c.obj(p, ev, []string{"start", "end", "kind"}, "properties")
		for _, end := range []string{"start", "end"} {
			ref := c.obj(p+"."+end, e[end], []string{"value"}, "match_by", "kind")
			if mb, ok := ref["match_by"]; ok && mb != "id" && mb != "name" {
				c.errorf(p+"."+end+".match_by", "got %v, want id or name", mb)
			}
			if v := c.str(p+"."+end+".value", ref["value"]); ref["match_by"] != "name" && !ids[v] {
				c.errorf(p+"."+end+".value", "%q matches no node id", v)
			}
		}
		if k := c.str(p+".kind", e["kind"]); !kindPattern.MatchString(k) {
			c.errorf(p+".kind", "%q does not match %s", k, kindPattern)
		}
		flat(c, p+".properties", e["properties"])
	}
	return len(ids), len(es)
}

// flat checks OpenGraph properties: no object values, arrays of one
// primitive type.
func flat(c checker, path string, v any) {
	c.t.Helper()
	if v == nil {
		return
	}
	props, ok := v.(object)
	if !ok {
		c.errorf(path, "want an object, got %T", v)
		return
	}
	for k, pv := range props {
		switch x := pv.(type) {
		case string, json.Number, bool:
		case []any:
			kind := ""
			for _, item := range x {
				ik := fmt.Sprintf("%T", item)
				switch item.(type) {
				case string, json.Number, bool:
				default:
					c.errorf(path+"."+k, "array holds %s; only strings, numbers and booleans are flat", ik)
				}
				if kind != "" && kind != ik {
					c.errorf(path+"."+k, "array mixes %s and %s", kind, ik)
				}
				kind = ik
			}
		default:
			c.errorf(path+"."+k, "value of type %T is not flat", pv)
		}
	}
}
