package report

import _ "embed"

// Schema is the JSON Schema (draft 2020-12) of every JSON document
// trustpath writes: graph, paths, findings, flows, review and diff, told
// apart by their "schema" field. It is the documentation of those formats
// and what the tests validate every output against.
//
//go:embed schema/trustpath.schema.json
var Schema []byte
