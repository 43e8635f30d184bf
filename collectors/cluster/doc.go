// Package cluster reads a live Kubernetes cluster into an estate.Snapshot,
// the same snapshot the manifest reader fills, so both go through one graph
// build.
//
// # What is read, and how
//
// Every kind the manifest reader analyses is listed across all namespaces,
// several kinds at a time, in pages of Options.PageSize (the API's
// limit/continue), within the client's QPS and burst. Objects are added to
// the snapshot in a fixed order once every list has finished, so two reads
// of an unchanged cluster give the same snapshot.
//
// # Secrets never leave the API server
//
// Secrets and ConfigMaps are listed through the metadata API
// (PartialObjectMetadata): the server sends names, labels, annotations and
// owners, never data. A Secret's type is not part of its metadata; it is
// recovered with one list per well-known type using the field selector
// type=… (still metadata only). Secrets of any other type keep an empty
// type, and key names are unknown for every Secret and ConfigMap read live.
// Snapshot.Add drops kubectl's last-applied annotation, which can repeat a
// Secret's data.
//
// # Limited permissions
//
// A kind the identity may not list (403) is not fatal: it becomes an
// estate.Gap and a warning diagnostic, and the rest is read. A namespaced
// kind refused cluster-wide is retried namespace by namespace, so an
// identity bound in a few namespaces still contributes what it may see.
// Required and ClusterRole say what a full read needs.
package cluster
