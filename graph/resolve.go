package graph

import (
	"errors"
	"fmt"
	"strings"
)

// ErrNotFound is returned by Resolve when no vertex has the key.
var ErrNotFound = errors.New("no such vertex")

// Resolve finds the vertex a user named. It accepts the kubectl short kind
// names and an optional cluster prefix when the graph holds one cluster;
// with several, an unprefixed key that exists in exactly one cluster is
// accepted too. Errors suggest the keys the user may have meant.
func (g *Graph) Resolve(input string) (*Vertex, error) {
	k, err := ParseKey(input)
	if err != nil {
		return nil, err
	}
	cluster := k.Cluster()
	bare := Key(strings.TrimPrefix(string(k), cluster+":"))
	if cluster == "" {
		bare = k
	}
	var candidates []*Vertex
	switch {
	case len(g.clusters) <= 1 && (cluster == "" || len(g.clusters) == 1 && g.clusters[0] == cluster):
		if v := g.byKey[bare]; v != nil {
			return v, nil
		}
	case cluster != "":
		if v := g.byKey[k]; v != nil {
			return v, nil
		}
	default:
		if v := g.byKey[k]; v != nil { // the internet has no prefix
			return v, nil
		}
		for _, c := range g.clusters {
			if v := g.byKey[Key(c+":"+string(k))]; v != nil {
				candidates = append(candidates, v)
			}
		}
		if len(candidates) == 1 {
			return candidates[0], nil
		}
	}
	if len(candidates) == 0 {
		candidates = g.similar(bare)
	}
	err = fmt.Errorf("%w: %s", ErrNotFound, input)
	if len(candidates) > 0 {
		var keys []string
		for _, c := range candidates {
			keys = append(keys, string(c.Key))
		}
		err = fmt.Errorf("%w: %s; did you mean %s?", ErrNotFound, input, strings.Join(keys, " or "))
	}
	return nil, err
}

// similar returns up to five vertices, sorted, with the same name as the
// last segment of k: the same object under another kind, namespace or cluster.
func (g *Graph) similar(k Key) []*Vertex {
	name := lastSegment(k)
	var out []*Vertex
	for _, v := range g.vertices {
		if v.Name == name {
			out = append(out, v)
			if len(out) == 5 {
				break
			}
		}
	}
	return out
}
