// Package reporttest checks the structure of the files package report
// writes for other tools (SARIF, BloodHound OpenGraph, GraphML), as their
// consumers read them. Like graphtest, it is shared by the tests of the
// packages that write them and of the commands that call those.
package reporttest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"testing"
)

type object = map[string]any

// checker collects structure errors with the JSON path where each is.
type checker struct {
	t testing.TB
}

func (c checker) errorf(path, format string, args ...any) {
	c.t.Helper()
	c.t.Errorf("%s: %s", path, fmt.Sprintf(format, args...))
}

// obj returns v as an object whose keys are all in allowed (SARIF's schema
// admits no other property), and reports missing required keys.
func (c checker) obj(path string, v any, required []string, allowed ...string) object {
	c.t.Helper()
	o, ok := v.(object)
	if !ok {
		c.errorf(path, "want an object, got %T", v)
		return object{}
	}
	for _, k := range required {
		if _, ok := o[k]; !ok {
			c.errorf(path, "required property %q is missing", k)
		}
	}
	allowed = append(allowed, required...)
	for k := range o {
		if !slices.Contains(allowed, k) {
			c.errorf(path, "unexpected property %q", k)
		}
	}
	return o
}

func (c checker) arr(path string, v any, min int) []any {
	c.t.Helper()
	a, ok := v.([]any)
	if !ok {
		c.errorf(path, "want an array, got %T", v)
		return nil
	}
	if len(a) < min {
		c.errorf(path, "want at least %d items, got %d", min, len(a))
	}
	return a
}

func (c checker) str(path string, v any) string {
	c.t.Helper()
	s, ok := v.(string)
	if !ok || s == "" {
		c.errorf(path, "want a non-empty string, got %#v", v)
	}
	return s
}

func (c checker) message(path string, v any) {
	c.t.Helper()
	m := c.obj(path, v, []string{"text"}, "markdown", "id", "arguments")
	c.str(path+".text", m["text"])
}

func decode(t testing.TB, data []byte) any {
	t.Helper()
	var v any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	return v
}
