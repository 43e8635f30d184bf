package manifest

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/yaml"

	"github.com/trustpath/trustpath/collectors/estate"
)

// yamlListSeeds are YAML Lists, and documents that look like them, in every
// layout the cut must read as go-yaml does, or leave to the whole path.
var yamlListSeeds = []string{
	// As kubectl get -o yaml prints it: items at the key's column, kind after.
	"apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: ServiceAccount\n  metadata:\n    name: a\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: c, namespace: shop}\n  data: {k: v}\nkind: List\nmetadata:\n  resourceVersion: \"\"\n",
	// Items indented under the key, comments and blank lines between them.
	"apiVersion: v1\nkind: List\nitems:\n  # first\n  - apiVersion: v1\n    kind: ServiceAccount\n    metadata: {name: a}\n\n# at column 0\n  - apiVersion: v1\n    kind: ServiceAccount\n    metadata: {name: b}\n",
	// A typed List: items name no kind.
	"apiVersion: apps/v1\nkind: DeploymentList\nitems:\n- metadata: {name: web, namespace: shop}\n  spec: {replicas: 3, selector: {matchLabels: {app: web}}}\n- metadata: {name: api}\n",
	// Block scalars holding quotes, brackets and lines like entries.
	"apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: c\n    annotations:\n      kubectl.kubernetes.io/last-applied-configuration: |\n        {\"apiVersion\":\"v1\",\"data\":{\"k\":\"it's [\"}}\n      note: >-\n        \"open\n        - x\n  data:\n    script: |+\n      echo \"[\n\n- apiVersion: v1\n  kind: ServiceAccount\n  metadata: {name: after-keep}\n",
	// A double-quoted scalar running on at column 0: one item, not two.
	"apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: c}\n  data: {k: \"x\n- b: y\"}\n- apiVersion: v1\n  kind: ServiceAccount\n  metadata: {name: s}\n",
	// A single-quoted one, and a flow sequence, running on at column 0.
	"apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: c}\n  data: {k: 'it''s\nkind: x'}\n- apiVersion: v1\n  kind: ServiceAccount\n  metadata: {name: s}\n  secrets: [{name: a},\n{name: b}]\n",
	// The items key inside a flow mapping is no items key.
	"apiVersion: v1\nkind: List\nmetadata: {a: 1,\nitems:\n- x\n}\n\"items\": []\n",
	// An alias to an anchor in another item, and to one in the header.
	"apiVersion: v1\nkind: List\nmetadata: &m {name: list}\nitems:\n- apiVersion: v1\n  kind: ServiceAccount\n  metadata: &sa {name: a, labels: {x: y}}\n- apiVersion: v1\n  kind: ServiceAccount\n  metadata: *sa\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: *m\n",
	// Windows line ends, a comment after the key, "-" alone on its line.
	"apiVersion: v1\r\nkind: List\r\nitems: # all of them\r\n-\r\n  apiVersion: v1\r\n  kind: ServiceAccount\r\n  metadata: {name: crlf}\r\n- apiVersion: v1\r\n  kind: ServiceAccount\r\n  metadata: {name: crlf-2}\r\n",
	// A broken item among good ones.
	"apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ServiceAccount\n  metadata: {name: a}\n- apiVersion: v1\n  kind: ServiceAccount\n  metadata: {name: b\n- apiVersion: v1\n  kind: ServiceAccount\n  metadata: {name: c}\n",
	"apiVersion: v1\nkind: List\nitems:\n- a: 1\n b: 2\n- apiVersion: v1\n  kind: ServiceAccount\n  metadata: {name: c}\n",
	// Items that are no objects, a List in a List, and gaps.
	"apiVersion: v1\nkind: List\nitems:\n-\n- null\n- 1\n- [a]\n- |\n  text\n- apiVersion: v1\n  kind: List\n  items:\n  - apiVersion: v1\n    kind: Secret\n    metadata: {name: s}\n    data: {k: dg==}\ntrustpathGaps:\n- {resource: secrets, verb: list, kind: Secret}\n",
	// Not Lists, or Lists the cut leaves whole.
	"apiVersion: v1\nkind: Pod\nitems:\n- a\n",
	"kind: List\nitems:\n- apiVersion: v1\n  kind: ServiceAccount\n",
	"apiVersion: v1\nkind: List\nitems: []\n",
	"apiVersion: v1\nkind: List\nitems: [{apiVersion: v1, kind: ServiceAccount, metadata: {name: a}}]\n",
	"apiVersion: v1\nkind: List\nitems: !!seq\n- a\n",
	"apiVersion: v1\nkind: List\nitems:\nkind: PodList\n",
	"apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ServiceAccount\n  metadata: {name: a}\nitems:\n- apiVersion: v1\n  kind: ServiceAccount\n  metadata: {name: b}\n",
	"apiVersion: v1\nkind: List\nItems:\n- apiVersion: v1\n  kind: ServiceAccount\n  metadata: {name: upper}\nitems:\n- apiVersion: v1\n  kind: ServiceAccount\n  metadata: {name: lower}\n",
	"apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ServiceAccount\n    metadata: {name: a}\n - apiVersion: v1\n",
	"apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ServiceAccount\n  metadata: {name: a}\n\t- x\n",
	"apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ServiceAccount\n  metadata: {name: a}\n...\nkind: Pod\n",
	"apiVersion: v1\nkind: List\nitems:\n- &a\n  apiVersion: v1\n  kind: ServiceAccount\n  metadata: {name: a}\n- *a\n",
	"apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ServiceAccount\n  metadata: {name: a}\n  x: \"\\\n- b\"\n",
	"apiVersion: v1\nkind: SecretList\nitems:\n- metadata: {name: s}\n  stringData: {k: v}\n  data: {x: not-base64!}\n",
	// What could mislead yamlTokens: plain scalars running on with quotes,
	// JSON-like keys, indentation indicators, a block scalar at the top.
	"apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: c}\n  data:\n    k: some text\n      \"running on\n- x: y\"\n",
	"apiVersion: v1\nkind: List\nitems:\n- {\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\"},\n\"data\":{\"k\":\"[\"}}\n- [a\n\"b]\n",
	"apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: c}\n  data:\n    k: |2\n       \"x\n    l: >+\n\n      y\n\n- ? \"a\n  - b\"\n  : c\n",
	"|\nitems:\n- apiVersion: v1\n  kind: ServiceAccount\n",
	"apiVersion: v1\nkind: List\nmetadata:\n  annotations:\n    a: |\n      \"x\nitems:\n- apiVersion: v1\n  kind: ServiceAccount\n  metadata: {name: a}\n",
}

// FuzzYAMLList checks the cut path against the whole path, which parses a
// YAML document at once: for a document go-yaml parses whole, both must
// give the same events, except that the cut names each item by its own
// line; for one it does not, the cut path must report an error too.
func FuzzYAMLList(f *testing.F) {
	for _, s := range yamlListSeeds {
		f.Add([]byte(s))
	}
	if b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "kubectl-list", "list.yaml")); err == nil {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		for _, doc := range splitYAML(in) {
			checkCut(t, doc)
		}
	})
}

func TestYAMLListSeeds(t *testing.T) {
	t.Parallel()
	for _, s := range yamlListSeeds {
		for _, doc := range splitYAML([]byte(s)) {
			checkCut(t, doc)
		}
	}
}

// checkCut decodes doc by both paths and compares them (see FuzzYAMLList).
func checkCut(t *testing.T, doc document) {
	t.Helper()
	const file = "in.yaml"
	cut := decoder{workers: 2}
	cut.yamlDocument(t.Context(), doc, file)
	var whole decoder
	whole.yamlDocumentWhole(t.Context(), doc, file)

	// go-yaml puts an error at the end of the text on the line after it,
	// and counts a lone '\r' as a line break.
	docEnd := doc.start + bytes.Count(doc.data, []byte("\n")) + bytes.Count(doc.data, []byte("\r")) + 1
	for _, e := range cut.events {
		src := e.src
		if e.diag != nil {
			src = e.diag.Source
		}
		if src.Item > 0 && (src.Line < doc.start || src.Line > docEnd) {
			t.Errorf("%.80q: item %d at line %d, want a line of the document (%d to %d)", doc.data, src.Item, src.Line, doc.start, docEnd)
		}
	}
	if _, err := yaml.YAMLToJSON(doc.data); err != nil || doc.badSeparator > 0 {
		for _, e := range cut.events {
			if e.diag != nil && e.diag.Severity == estate.Error {
				return
			}
		}
		t.Fatalf("%.80q: go-yaml cannot parse it whole, but the cut reports no error:\n%s", doc.data, describe(cut.events))
	}
	sameEvents(t, itemLinesOmitted(cut.events), itemLinesOmitted(whole.events))
	checkItems(t, doc)
}

// checkItems checks the cut of doc, which go-yaml parses whole, without
// the net of yamlList, which parses a document whole when an item fails:
// when yamlTokens finds nothing amiss, each item must parse under its key
// to the item the whole document has there.
func checkItems(t *testing.T, doc document) {
	t.Helper()
	l, ok := splitList(doc.data)
	if !ok {
		return
	}
	if _, ok := l.head(); !ok {
		return
	}
	for _, it := range l.items {
		if !cleanYAML(doc.data[it.start:it.end]) {
			return // the whole path reads it
		}
	}
	type list struct{ Items []json.RawMessage }
	raw, _ := yaml.YAMLToJSON(doc.data)
	var whole list
	if err := json.Unmarshal(raw, &whole); err != nil || len(whole.Items) != len(l.items) {
		t.Fatalf("%.80q: cut into %d items, but the whole document has %d (%v)", doc.data, len(l.items), len(whole.Items), err)
	}
	for i, it := range l.items {
		text := append(append(bytes.Clone(l.itemsKey), '\n'), doc.data[it.start:it.end]...)
		raw, err := yaml.YAMLToJSON(text)
		if err != nil && strings.Contains(err.Error(), "anchor") {
			return // an alias to another item: the whole path reads it
		}
		var item list
		if err == nil {
			err = json.Unmarshal(raw, &item)
		}
		if err != nil || len(item.Items) != 1 || !bytes.Equal(item.Items[0], whole.Items[i]) {
			t.Fatalf("%.80q: item %d at line %d: got %s (%v), want %s", doc.data, i+1, it.line+1, raw, err, whole.Items[i])
		}
	}
}

// yamlDocumentWhole is yamlDocument without the cut: the whole path.
func (d *decoder) yamlDocumentWhole(ctx context.Context, doc document, file string) {
	src := estate.Source{File: file, Line: doc.start + contentLine(doc.data) - 1, Document: doc.index}
	if doc.badSeparator > 0 {
		d.yamlDocument(ctx, doc, file) // reports it, before any cut
		return
	}
	d.yamlWhole(ctx, doc, src)
}

// itemLinesOmitted returns events with the line of each List item's
// source cleared: the whole path names the List's line.
func itemLinesOmitted(events []event) []event {
	out := make([]event, len(events))
	for i, e := range events {
		if e.src.Item > 0 {
			e.src.Line = 0
		}
		if e.diag != nil && e.diag.Source.Item > 0 {
			d := *e.diag
			d.Source.Line = 0
			e.diag = &d
		}
		out[i] = e
	}
	return out
}

func TestSplitList(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		// want are the items' first lines, 0-based, and header the
		// document without them; no items: not cut.
		want   []int
		header string
	}{
		{
			name:   "kubectl",
			in:     "apiVersion: v1\nitems:\n- a: 1\n  b: 2\n- c: 3\nkind: List\n",
			want:   []int{2, 4},
			header: "apiVersion: v1\nitems: []\nkind: List\n",
		},
		{
			name:   "indented",
			in:     "kind: List\nitems: # c\n\n  - a: 1\n\n  - b: 2\n    c: |\n\n      x\n# c\nmetadata: {}\n",
			want:   []int{3, 5},
			header: "kind: List\nitems: []\n\nmetadata: {}\n",
		},
		{
			name:   "last item runs to the end",
			in:     "kind: List\nitems:\n- a\n- b",
			want:   []int{2, 3},
			header: "kind: List\nitems: []\n",
		},
		{name: "no items key", in: "kind: List\n"},
		{name: "items key not at the line start", in: "kind: List\n items:\n - a\n"},
		{name: "two items keys", in: "items:\n- a\nitems:\n- b\n"},
		{name: "flow items", in: "items: [a]\n"},
		{name: "anchored items", in: "items: &x\n- a\n"},
		{name: "no entries", in: "items:\nkind: List\n"},
		{name: "a mapping", in: "items:\n  a: 1\n"},
		{name: "an entry out of line", in: "items:\n  - a\n - b\n"},
		{name: "a key at the entries' column", in: "items:\n  - a\n  b: c\n"},
		{name: "a tab after the dash", in: "items:\n-\ta\n", want: []int{1}, header: "items: []\n"},
		{name: "items key inside a quote", in: "a: \"x\nitems:\n- b\n\"\n"},
		{name: "a lone carriage return", in: "items:\n- a\r- b\n"},
		{name: "a line separator", in: "items:\n- a\u2028- b\n"},
		{name: "a next line", in: "items:\n- a\u0085- b\n"},
		{name: "an en dash is no break", in: "items:\n- a\u2013\n", want: []int{1}, header: "items: []\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l, ok := splitList([]byte(tt.in))
			if !ok {
				if tt.want != nil {
					t.Fatalf("got no cut, want items at lines %v", tt.want)
				}
				return
			}
			var got []int
			for _, it := range l.items {
				got = append(got, it.line)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("item lines (-want +got):\n%s", diff)
			}
			if got := string(l.header); got != tt.header {
				t.Errorf("header: got %q, want %q", got, tt.header)
			}
		})
	}
}

func TestCleanYAML(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want bool
	}{
		{"a: b\n", true},
		{"- a: \"x\n", false},
		{"- a: \"x\\\"\"\n", true},
		{"- a: \"x\\\n  y\"\n", true},
		{"- a: 'it''s'\n", true},
		{"- a: 'it''s\n", false},
		{"- a: it's\n", true},
		{"- a: [1,\n  2]\n", true},
		{"- a: [1,\n", false},
		{"- a: {b: \"]\"}\n", true},
		{"- a: x # \"comment\n", true},
		{"- a: x#y\"\n", true},
		{"- a: |\n    \"open [\n  b: c\n", true},
		{"- a: |\n    text\n  b: \"x\n", false},
		{"- |\n  \"x\n- b\n", true},
		{"- a: >-\n\n    x\n\n  b: 'y'\n", true},
		{"- a: &x \"y\n", false},
		{"- a: !!str [\n", false},
		{"- a: *x\n", true},
		{"- *x : b\n", true},
		{"- a: !\"x\n", false},
		{"- a: !!str \"x\n", false},
		{"- a: !<tag:yaml.org,2002:str> 'x'\n", true},
		{"- a: &x\"y\"\n", false},
		{"- [&x a, *x]\n", true},
		{"- {a: b}\n", true},
		{"- \"a\": \"b\"\n", true},
		{"- {\"a\":\"b\"}\n", true},
		{"- a: \"b\" c\n", false},
		{"- a: @x\n", false},
		{"...\n", false},
		{"%YAML 1.1\n", false},
	}
	for _, tt := range tests {
		if got := cleanYAML([]byte(tt.in)); got != tt.want {
			t.Errorf("cleanYAML(%q): got %v, want %v", tt.in, got, tt.want)
		}
	}
}
