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
//
// # Speed
//
// Each JSON value is scanned once, without allocating, to find its objects
// and their apiVersion and kind; each object is then decoded straight into
// the type the client-go scheme registers for it, with sigs.k8s.io/json as
// apimachinery's own JSON serializer does. A YAML List (kubectl get -o
// yaml) is cut into its items by their lines before it is parsed, and each
// item is parsed and decoded on its own, named by its own line. Files, the
// items of a long List and the documents of a long YAML stream are decoded
// concurrently and added to the snapshot in input order, so which of two
// duplicates is kept, and the order of diagnostics, do not depend on
// timing.
//
// Decoding is most of the time, so what would be dropped once decoded is
// not decoded: kubectl's last-applied annotation is cut from each object
// first. With Options.Deferred (as collectors.Load reads), a Pod,
// ReplicaSet or Job that names a controller is read in part: its name,
// namespace, owners and node, all the graph reads of an object its
// controller describes. In a cluster dump those are most of the bytes.
// Their metadata and specs wait, compact, until every input is read, and
// are decoded for the objects whose controller is not in the input.
//
// # Limits
//
// Hostile sizes fail with an error naming the limit rather than exhausting
// memory: an input over [MaxInputBytes] is an error (a file is refused from
// its size, unread); an object with more than [MaxObjectKeys] keys or
// nested deeper than [MaxDepth], and a YAML document or an item of a YAML
// List with more than about [MaxYAMLKeys] keys, are diagnostics, and the
// rest of the input loads. A YAML List whose items are a block sequence,
// as kubectl prints them, is limited item by item, so a dump of any size
// within [MaxInputBytes] loads.
package manifest
