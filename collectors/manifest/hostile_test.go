package manifest_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/trustpath/trustpath/collectors/estate"
	"github.com/trustpath/trustpath/collectors/manifest"
)

// configMapJSON is a ConfigMap named name whose keys, at every depth, number
// keys: apiVersion, kind, metadata, name and data are five of them.
func configMapJSON(name string, keys int) string {
	var b strings.Builder
	fmt.Fprintf(&b, `{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": %q}, "data": {`, name)
	for i := range keys - 5 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"k%d":""`, i)
	}
	b.WriteString("}}")
	return b.String()
}

const saJSON = `{"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "after"}}`

// TestReadObjectLimits: an object over a limit is reported, naming the
// limit, and the rest of the input loads; the items of a List count
// separately, so a large dump stays within the limits.
func TestReadObjectLimits(t *testing.T) {
	t.Parallel()
	deep := `{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "deep"}, "x": ` +
		strings.Repeat("[", manifest.MaxDepth) + strings.Repeat("]", manifest.MaxDepth) + "}\n"
	tests := []struct {
		name        string
		in          string
		wantSources []estate.Ref
		wantErr     error  // of the one diagnostic, if any
		wantMsg     string // in the diagnostic
		wantSource  estate.Source
	}{
		{
			name:        "at the key limit",
			in:          configMapJSON("full", manifest.MaxObjectKeys) + "\n" + saJSON,
			wantSources: []estate.Ref{ref("ConfigMap", "default", "full"), ref("ServiceAccount", "default", "after")},
		},
		{
			name:        "one key over the limit",
			in:          configMapJSON("over", manifest.MaxObjectKeys+1) + "\n" + saJSON,
			wantSources: []estate.Ref{ref("ServiceAccount", "default", "after")},
			wantErr:     manifest.ErrTooManyKeys, wantMsg: "250000-key limit", wantSource: at(1, 1, 0),
		},
		{
			name:        "a million keys",
			in:          saJSON + "\n" + configMapJSON("million", 1_000_000),
			wantSources: []estate.Ref{ref("ServiceAccount", "default", "after")},
			wantErr:     manifest.ErrTooManyKeys, wantMsg: "250000-key limit", wantSource: at(2, 2, 0),
		},
		{
			name: "a List's items count separately",
			in: `{"apiVersion": "v1", "kind": "List", "items": [` + configMapJSON("a", manifest.MaxObjectKeys) + ",\n" +
				configMapJSON("b", manifest.MaxObjectKeys) + "]}",
			wantSources: []estate.Ref{ref("ConfigMap", "default", "a"), ref("ConfigMap", "default", "b")},
		},
		{
			name: "one List item over the limit",
			in: `{"apiVersion": "v1", "kind": "List", "items": [` + configMapJSON("over", manifest.MaxObjectKeys+1) + ",\n" +
				saJSON + "]}",
			wantSources: []estate.Ref{ref("ServiceAccount", "default", "after")},
			wantErr:     manifest.ErrTooManyKeys, wantMsg: "250000-key limit", wantSource: at(1, 1, 1),
		},
		{
			name: "YAML document over the limit after conversion",
			in: "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: after}\n---\n" +
				configMapJSON("over", manifest.MaxObjectKeys+1) + "\n",
			wantSources: []estate.Ref{ref("ServiceAccount", "default", "after")},
			wantErr:     manifest.ErrTooManyKeys, wantMsg: "250000-key limit", wantSource: at(5, 2, 0),
		},
		{
			name:        "at the depth limit",
			in:          saJSON + "\n" + strings.Replace(strings.Replace(deep, "[", "", 2), "]", "", 2),
			wantSources: []estate.Ref{ref("ServiceAccount", "default", "after"), ref("ConfigMap", "default", "deep")},
		},
		{
			// The object is the first level, so the MaxDepth-th
			// bracket is one too deep. The stream cannot be read on.
			name:        "one level too deep ends the stream",
			in:          saJSON + "\n" + deep + configMapJSON("lost", 6),
			wantSources: []estate.Ref{ref("ServiceAccount", "default", "after")},
			wantErr:     manifest.ErrTooDeep, wantMsg: "10000-level limit", wantSource: at(2, 2, 0),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := read(t, tt.in, defaultNS)
			var got []estate.Ref
			for _, o := range objects(s) {
				got = append(got, ref(kindOf(s, o.GetName()), o.GetNamespace(), o.GetName()))
			}
			byKey := cmpopts.SortSlices(func(a, b estate.Ref) bool { return a.String() < b.String() })
			if diff := cmp.Diff(tt.wantSources, got, byKey); diff != "" {
				t.Errorf("objects (-want +got):\n%s", diff)
			}
			if tt.wantErr == nil {
				if len(s.Diagnostics) > 0 {
					t.Errorf("diagnostics: got %v, want none", s.Diagnostics)
				}
				return
			}
			if len(s.Diagnostics) != 1 {
				t.Fatalf("diagnostics: got %v, want one", s.Diagnostics)
			}
			d := s.Diagnostics[0]
			if !errors.Is(d, tt.wantErr) || !strings.Contains(d.Error(), tt.wantMsg) || d.Severity != estate.Error {
				t.Errorf("diagnostic: got %v %q, want an error wrapping %v, naming %q", d.Severity, d, tt.wantErr, tt.wantMsg)
			}
			if diff := cmp.Diff(tt.wantSource, d.Source); diff != "" {
				t.Errorf("diagnostic source (-want +got):\n%s", diff)
			}
		})
	}
}

// TestReadYAMLKeyLimit: a YAML document with a million keys is refused
// before it is parsed, naming the limit, and the next document loads.
func TestReadYAMLKeyLimit(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: million\ndata:\n")
	for i := range 1_000_000 {
		fmt.Fprintf(&b, "  k%d: v\n", i)
	}
	b.WriteString("---\n" + "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: after}\n")
	s := read(t, b.String(), defaultNS)
	if _, ok := s.Sources[ref("ServiceAccount", "default", "after")]; !ok || s.Objects() != 1 {
		t.Errorf("sources: got %v, want ServiceAccount/default/after alone", s.Sources)
	}
	if len(s.Diagnostics) != 1 {
		t.Fatalf("diagnostics: got %v, want one", s.Diagnostics)
	}
	d := s.Diagnostics[0]
	if !errors.Is(d, manifest.ErrYAMLTooManyKeys) || !strings.Contains(d.Error(), "524288-key limit") || d.Source != at(1, 1, 0) {
		t.Errorf("diagnostic: got %q, want one at in.yaml:1 (document 1) wrapping %v", d, manifest.ErrYAMLTooManyKeys)
	}
}

// kindOf returns the kind under which s holds the object named name.
func kindOf(s *estate.Snapshot, name string) string {
	for r := range s.Sources {
		if r.Name == name {
			return r.Kind
		}
	}
	return ""
}

// TestReadErrorsQuoteNoValue: a Secret whose apiVersion names no version is
// reported without its content; apimachinery's own error for it quotes the
// whole object.
func TestReadErrorsQuoteNoValue(t *testing.T) {
	t.Parallel()
	for _, apiVersion := range []string{"/", "apps/"} {
		t.Run(apiVersion, func(t *testing.T) {
			t.Parallel()
			in := "apiVersion: " + apiVersion + "\nkind: Secret\nmetadata: {name: s}\nstringData: {token: " + canary + "}\n"
			s := read(t, in, defaultNS)
			want := []diag{{estate.Error, at(1, 1, 0), "", "decoding " + apiVersion + " Secret: apiVersion names no version"}}
			if diff := cmp.Diff(want, gotDiags(s.Diagnostics, want)); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s", diff)
			}
			assertNoCanary(t, s)
		})
	}
}
