// Package analysis holds trustpath's graph algorithms: paths, reach, blast
// radius, findings and choke points. It works on package graph only and
// never imports Kubernetes types.
package analysis
