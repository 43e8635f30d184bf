// Package report turns an analysed estate into documents for people and
// files for tools. It works on package graph and package analysis only, like
// the rest of analysis, and knows no Kubernetes type: what the collectors
// read reaches it as a [Scope] of plain data, and manifest locations as a
// [Locator] function.
//
// # The review
//
// [Build] analyses a graph and assembles a [Review], the threat model of
// the estate in the order a reviewer writes one: scope and inventory, the
// trust-boundary table, threat actors and entry points, targets, the top
// attack paths with their diagrams, findings grouped by missing control with
// remediation, persistence risks, choke points and fixes — both verified by
// analysing the estate again. The review renders as Markdown
// ([Review.WriteMarkdown], diagrams as SVG files beside it), as one
// self-contained HTML page ([Review.WriteHTML], diagrams inline) and as JSON
// ([Review.WriteJSON]). Markdown and HTML come from one document model, so
// they never say different things.
//
// # Changes
//
// [Compare] diffs two analysed versions of an estate: attack paths, findings,
// steps and flows added and removed, for CI gates and pull-request comments.
//
// # Files for other tools
//
// [WriteSARIF] writes findings as SARIF 2.1.0, one rule per finding type
// ([Rules]), each result at the manifest line of the object to change
// ([FaultObject]). [WriteOpenGraph] writes the graph as BloodHound OpenGraph
// JSON and [WriteGraphML] as GraphML. Package reporttest checks the structure
// of all three.
//
// # JSON schema
//
// [Schema] is the JSON Schema of every JSON document trustpath writes
// (schema/trustpath.schema.json): graph, paths, findings, flows, review and
// diff, each named and versioned by its "schema" field.
//
// Every output is deterministic: sorted, with no timestamps, so golden files
// and reviews kept in Git diff cleanly.
package report
