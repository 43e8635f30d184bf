// Package collectors turns Kubernetes sources into one trustpath graph.
//
// Sources are read into an [estate.Snapshot] per cluster (package manifest
// reads files and streams, package cluster a live API server), and builders (package topology, later network,
// identity and escape) add typed vertices and edges for each snapshot to one
// [graph.Builder]. This is the only part of trustpath that knows Kubernetes
// semantics.
package collectors
