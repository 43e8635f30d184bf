package main

import (
	"bytes"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	tpreport "github.com/trustpath/trustpath/analysis/report" // main has a func report
)

// compileSchema compiles the documented schema of trustpath's JSON,
// checking it against the JSON Schema 2020-12 meta-schema on the way.
func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(tpreport.Schema))
	if err != nil {
		t.Fatalf("the schema is not JSON: %v", err)
	}
	c := jsonschema.NewCompiler()
	const url = "https://trustpath.io/schema/trustpath.schema.json"
	if err := c.AddResource(url, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(url)
	if err != nil {
		t.Fatalf("compiling the schema: %v", err)
	}
	return s
}

// validateJSON checks one output against the schema.
func validateJSON(t *testing.T, s *jsonschema.Schema, name string, out []byte) {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("%s: output is not JSON: %v", name, err)
	}
	if err := s.Validate(v); err != nil {
		t.Errorf("%s: output does not match analysis/report/schema/trustpath.schema.json:\n%v", name, err)
	}
}

// TestJSONOutputsMatchSchema runs every command that writes JSON on the demo
// and the diff fixture and validates what it writes against the one
// documented schema. The schema is strict, so a field added without being
// documented fails here.
func TestJSONOutputsMatchSchema(t *testing.T) {
	t.Parallel()
	s := compileSchema(t)
	demo := demoFiles()
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"graph", []string{"graph", "--format", "json"}, ExitOK},
		{"export", []string{"export", "--format", "json"}, ExitOK},
		{"flows", []string{"flows", "-o", "json"}, ExitOK},
		{"flows --from", []string{"flows", "--from", "prod:deploy/shop/frontend", "--explain", "-o", "json"}, ExitOK},
		{"analyze", []string{"analyze", "-o", "json"}, ExitOK},
		{"reach", []string{"reach", "internet", "prod:secret/shop/db-credentials", "-o", "json"}, ExitOK},
		{"reach, no", []string{"reach", "prod:user/alice@example.com", "prod:secret/payments/stripe-key", "-o", "json"}, ExitNo},
		{"paths", []string{"paths", "--from", "internet", "--to", "prod:secret/payments/stripe-key", "-o", "json"}, ExitOK},
		{"blast", []string{"blast", "prod:container/shop/frontend/frontend", "-o", "json"}, ExitOK},
		{"exposure", []string{"exposure", "prod:secret/payments/stripe-key", "-o", "json"}, ExitOK},
		{"report", []string{"report", "-o", "json"}, ExitOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			args := append(append([]string{}, tt.args...), append([]string{"-q"}, demo...)...)
			stdout, stderr, code := run(t, "", args...)
			if code != tt.code {
				t.Fatalf("trustpath %v: exit %d, want %d\n%s", tt.args, code, tt.code, stderr)
			}
			validateJSON(t, s, tt.name, []byte(stdout))
		})
	}
	t.Run("diff", func(t *testing.T) {
		t.Parallel()
		stdout, stderr, code := run(t, "", "diff", "-q", "-o", "json", "--base", testdata("diff", "base"), "--head", testdata("diff", "head"))
		if code != ExitOK {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		validateJSON(t, s, "diff", []byte(stdout))
	})
}

// TestSchemaRejects makes sure the schema is not vacuous: documents that
// break it in the usual ways fail.
func TestSchemaRejects(t *testing.T) {
	t.Parallel()
	s := compileSchema(t)
	for name, doc := range map[string]string{
		"unknown schema": `{"schema": "trustpath.io/nope/v1"}`,
		"unknown field":  `{"schema": "trustpath.io/flows/v1", "flows": [], "extra": 1}`,
		"bad boundary":   `{"schema": "trustpath.io/graph/v1", "clusters": [], "vertices": [], "edges": [{"from": "a", "to": "b", "technique": "t", "boundary": "planet", "cost": 1}]}`,
		"empty path":     `{"schema": "trustpath.io/paths/v1", "paths": [{"from": "a", "to": "b", "cost": 1, "steps": []}]}`,
		"both answers":   `{"schema": "trustpath.io/paths/v1", "paths": [], "reachable": false, "from": "a", "to": "b"}`,
		"bad severity":   `{"schema": "trustpath.io/diff/v1", "base": {"findings": 0}, "head": {"findings": 0}, "findings": {"opened": [{"severity": "dire"}], "closed": [], "unchanged": 0}, "paths": {"added": [], "removed": []}, "steps": {"added": [], "removed": [], "changed": []}, "flows": {"added": [], "removed": [], "changed": []}}`,
	} {
		v, err := jsonschema.UnmarshalJSON(bytes.NewReader([]byte(doc)))
		if err != nil {
			t.Fatal(err)
		}
		if s.Validate(v) == nil {
			t.Errorf("%s: the schema accepts %s", name, doc)
		}
	}
}
