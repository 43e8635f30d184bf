// Package manifest reads Kubernetes manifests (files, directories, streams;
// multi-document YAML, JSON, kubectl List dumps) into an estate.Snapshot.
//
// Bad input loses nothing else: a malformed document becomes a diagnostic
// naming its file, line and document index, and reading goes on with the
// next one. Kinds trustpath does not analyse (CRDs and the like) are counted,
// not rejected. Secret and ConfigMap values are dropped as each object is
// decoded; only names, types, key names and annotations are kept.
//
// WriteList writes a snapshot back as one kubectl-style List that Read reads
// as the same snapshot: how a live read is kept for offline analysis.
package manifest
