package manifest

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// scanCases are values starting with '{' or '[', as a JSON stream's values
// do, with whether encoding/json accepts them (json.Valid).
var scanCases = []struct {
	in    string
	valid bool
}{
	{`{}`, true},
	{`[]`, true},
	{` { "a" : [ 1 , -0.5e+3 , true , false , null , "x" ] } `, true},
	{"[\n\t{\r\n \"a b\" :\t\"c \\\" d\\\\\" } ]", true},
	{`{"a":"\"\\\/\b\f\n\r\t\u00e9\uD83D"}`, true},
	{`{"a":"` + "\xff\xfe" + `"}`, true}, // invalid UTF-8 is accepted
	{`{"a":1,}`, false},
	{`{,}`, false},
	{`[1,]`, false},
	{`[1 2]`, false},
	{`{"a" 1}`, false},
	{`{a:1}`, false},
	{`{"a":01}`, false},
	{`{"a":-}`, false},
	{`{"a":1.}`, false},
	{`{"a":1e}`, false},
	{`{"a":.5}`, false},
	{`{"a":+1}`, false},
	{`{"a":tru}`, false},
	{`{"a":"\x"}`, false},
	{`{"a":"\u12"}`, false},
	{"{\"a\":\"\t\"}", false}, // a raw control character
	{`{"a":"`, false},
	{`{"a":`, false},
	{`{"a"`, false},
	{`{`, false},
	{`[`, false},
	{`{"a":{}`, false},
	{`{"a":'x'}`, false},
	{`{"a":NaN}`, false},
	{"{\"a\":1}\u00a0", true}, // what follows the value is not the value's
	{strings.Repeat("[", MaxDepth) + strings.Repeat("]", MaxDepth), true},
	{strings.Repeat("[", MaxDepth+1) + strings.Repeat("]", MaxDepth+1), false},
}

// checkScan fails when the scanner and encoding/json disagree on whether the
// first value of in is JSON, or when the scanner records a field or element
// encoding/json reads differently.
func checkScan(t *testing.T, in string) {
	t.Helper()
	data := []byte(in)
	i := skipWS(data, 0)
	if i == len(data) || data[i] != '{' && data[i] != '[' {
		return
	}
	s := scanner{data: data}
	var doc scanned
	end := s.document(i, &doc)
	want := json.Valid(firstValue(data[i:]))
	if got := end >= 0; got != want {
		t.Fatalf("%q: scanner says valid %v (err %v at %d), encoding/json %v", in, got, s.err, s.at, want)
	}
	if end < 0 {
		return
	}
	if got, want := in[i:end], string(firstValue(data[i:])); got != want {
		t.Fatalf("%q: scanned value %q, encoding/json's %q", in, got, want)
	}
	var compacted bytes.Buffer
	if err := json.Compact(&compacted, data[i:end]); err != nil {
		t.Fatalf("%q: %v", in, err)
	}
	if got, want := string(compact([]byte("x"), data[i:end])), "x"+compacted.String(); got != want {
		t.Errorf("%q: compacted to %q, want %q", in, got, want)
	}
	var whole any
	if err := json.Unmarshal(data[i:end], &whole); err != nil {
		t.Fatalf("%q: %v", in, err)
	}
	// Duplicate keys count for the scanner, not for the decoded value.
	if got, want := doc.keys+sumKeys(doc.elems), countAll(whole); got < want {
		t.Errorf("%q: got %d keys, want at least %d", in, got, want)
	}
	if doc.object && !doc.odd {
		checkHead(t, data, &doc.head)
	}
	for k := range doc.elems {
		if e := &doc.elems[k]; e.object && !e.odd {
			checkHead(t, data, e)
		}
	}
}

// checkHead compares the fields the scan found with encoding/json's reading.
func checkHead(t *testing.T, data []byte, h *head) {
	t.Helper()
	var want struct {
		APIVersion json.RawMessage `json:"apiVersion"`
		Kind       json.RawMessage `json:"kind"`
		Items      json.RawMessage `json:"items"`
		Gaps       json.RawMessage `json:"trustpathGaps"`
	}
	raw := data[h.value.start:h.value.end]
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatalf("%q: %v", raw, err)
	}
	for _, f := range []struct {
		name string
		sp   span
		want json.RawMessage
	}{{"apiVersion", h.apiVersion, want.APIVersion}, {"kind", h.kind, want.Kind}, {"items", h.items, want.Items}, {"trustpathGaps", h.gaps, want.Gaps}} {
		if got := string(data[f.sp.start:f.sp.end]); got != string(f.want) {
			t.Errorf("%q field %s: got %q, want %q", raw, f.name, got, f.want)
		}
	}
}

func sumKeys(hs []head) int {
	n := 0
	for _, h := range hs {
		n += h.keys
	}
	return n
}

// countAll counts the keys of v at every depth.
func countAll(v any) int {
	switch v := v.(type) {
	case map[string]any:
		n := len(v)
		for _, e := range v {
			n += countAll(e)
		}
		return n
	case []any:
		n := 0
		for _, e := range v {
			n += countAll(e)
		}
		return n
	}
	return 0
}

func TestScanner(t *testing.T) {
	t.Parallel()
	for _, tt := range scanCases {
		data := []byte(tt.in)
		s := scanner{data: data}
		var doc scanned
		if got := s.document(skipWS(data, 0), &doc) >= 0; got != tt.valid {
			t.Errorf("%.40q: got valid %v (%v at %d), want %v", tt.in, got, s.err, s.at, tt.valid)
		}
		checkScan(t, tt.in)
	}
}

func TestScannerFields(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		// want: apiVersion, kind, items and trustpathGaps as found, and
		// the element count and odd.
		apiVersion, kind, items, gaps string
		elems                         int
		odd                           bool
	}{
		{name: "plain", in: `{"apiVersion":"v1","kind":"Pod","metadata":{"kind":"x"}}`, apiVersion: `"v1"`, kind: `"Pod"`},
		{name: "case ignored, last wins", in: `{"KIND":"A","apiversion":"v1","Kind":"B"}`, apiVersion: `"v1"`, kind: `"B"`},
		{name: "list", in: `{"kind":"List","items":[{"kind":"Pod"},1,null],"trustpathGaps":[]}`, kind: `"List"`, items: `[{"kind":"Pod"},1,null]`, gaps: `[]`, elems: 3},
		{name: "last items wins", in: `{"items":[1,2],"items":{}}`, items: `{}`},
		{name: "escaped key", in: `{"\u006bind":"Pod"}`, odd: true},
		{name: "Kelvin sign", in: `{"` + "\u212a" + `ind":"Pod"}`, odd: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			data := []byte(tt.in)
			s := scanner{data: data}
			var doc scanned
			if s.document(0, &doc) < 0 {
				t.Fatalf("got error %v at %d", s.err, s.at)
			}
			str := func(sp span) string { return string(data[sp.start:sp.end]) }
			got := []any{str(doc.apiVersion), str(doc.kind), str(doc.items), str(doc.gaps), len(doc.elems), doc.odd}
			want := []any{tt.apiVersion, tt.kind, tt.items, tt.gaps, tt.elems, tt.odd}
			for i := range got {
				if got[i] != want[i] {
					t.Errorf("got %v, want %v", got, want)
					break
				}
			}
		})
	}
}

// FuzzScanner checks that the scanner accepts exactly what encoding/json
// does and finds the fields encoding/json would read.
func FuzzScanner(f *testing.F) {
	for _, tt := range scanCases {
		if len(tt.in) < 1000 {
			f.Add([]byte(tt.in))
		}
	}
	f.Add([]byte(`{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"}}]}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		checkScan(t, string(in))
	})
}

// TestLastAppliedCut: kubectl's last-applied annotation is left out of an
// object before it is decoded, with the comma next to it, wherever it
// stands among the annotations; when spelled otherwise than plainly, or
// not a string, it is left for Scrub.
func TestLastAppliedCut(t *testing.T) {
	t.Parallel()
	const la = `"kubectl.kubernetes.io/last-applied-configuration"`
	for _, c := range []struct{ in, want string }{
		{`{"metadata":{"annotations":{` + la + `:"{\"a\":1}"}}}`, `{"metadata":{"annotations":{}}}`},
		{"{\"metadata\": {\n  \"annotations\": {\n    \"a\": \"1\",\n    " + la + " : \"{}\" ,\n    \"b\": \"2\"\n  }\n}}", `{"metadata":{"annotations":{"a":"1","b":"2"}}}`},
		{`{"metadata":{"annotations":{"a":"1",` + la + `:"{}"},"name":"n"}}`, `{"metadata":{"annotations":{"a":"1"},"name":"n"}}`},
		{`{"metadata":{"annotations":{` + la + `:"{}","a":"1"}}}`, `{"metadata":{"annotations":{"a":"1"}}}`},
		{`{"metadata":{"annotations":{"kubectl.kubernetes.io\/last-applied-configuration":"{}"}}}`, `{"metadata":{"annotations":{"kubectl.kubernetes.io\/last-applied-configuration":"{}"}}}`},
		{`{"metadata":{"annotations":{` + la + `:7}}}`, `{"metadata":{"annotations":{` + la + `:7}}}`},
		{`{"metadata":{"Annotations":{` + la + `:"{}"}}}`, `{"metadata":{"Annotations":{` + la + `:"{}"}}}`},
		{`{"metadata":{"annotations":{` + la + `:"{}"}},"Metadata":{}}`, `{"metadata":{"annotations":{` + la + `:"{}"}},"Metadata":{}}`},
		{`{"spec":{"annotations":{` + la + `:"{}"}}}`, `{"spec":{"annotations":{` + la + `:"{}"}}}`},
	} {
		var doc scanned
		s := scanner{data: []byte(c.in)}
		if s.document(0, &doc) < 0 {
			t.Fatalf("%s: %v", c.in, s.err)
		}
		if got := string(compactWithout(nil, []byte(c.in), lastApplied([]byte(c.in), &doc.head))); got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.in, got, c.want)
		}
	}
}

// TestSkipValue: skipValue ends every valid value where the scan does.
func TestSkipValue(t *testing.T) {
	t.Parallel()
	for _, v := range []string{`"a\"}"`, `{"a":[1,{"b":"]"}],"c":-1.5e3}`, `[]`, `{}`, `12`, `-0.5`, `true`, `null`, `[[["x"]]]`} {
		for _, in := range []string{v, v + `,"next":1`, v + `}`, v + ` ]`} {
			var keys int
			s := scanner{data: []byte(in), keys: &keys}
			if got, want := skipValue([]byte(in), 0), s.value(0, 0); got != want {
				t.Errorf("%s: skipValue ends at %d, the scan at %d", in, got, want)
			}
		}
	}
}
