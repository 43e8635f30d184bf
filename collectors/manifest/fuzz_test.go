package manifest_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trustpath/trustpath/collectors/estate"
	"github.com/trustpath/trustpath/collectors/manifest"
)

// fuzzSeeds are edge cases the fixtures under testdata do not cover.
var fuzzSeeds = []string{
	"",
	"---",
	"---\n---\n",
	"null",
	"{",
	"[",
	"[]",
	"[null, 1, \"x\", []]",
	"{} {} []",
	"- a\n- b\n",
	"just text",
	"\xef\xbb\xbfapiVersion: v1\nkind: ServiceAccount\nmetadata: {name: bom}\n",
	"apiVersion: v1\r\nkind: ServiceAccount\r\nmetadata:\r\n  name: crlf\r\n",
	"a: 1\n---foo\nb: 2\n",
	"kind: ConfigMap: x\n",
	"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n namespace: shop\n",
	"apiVersion: v1\nkind: List\nitems: [null, 1, {}, {kind: Pod}]\n",
	"apiVersion: v1\nkind: List\nitems: {a: 1}\n",
	"apiVersion: v1\nkind: List\nitems: null\n",
	"apiVersion: v1\nkind: List\n",
	`{"kind":"PodList","apiVersion":"v1","items":[{}, {"metadata":{"name":"p"}}]}`,
	`{"kind":"List","apiVersion":"v1","items":[{"kind":"List","apiVersion":"v1","items":[{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"},"data":{"k":"dg=="}}]}]}`,
	`{"kind":"SecretList","apiVersion":"v1","items":[{"metadata":{"name":"s","annotations":{"kubectl.kubernetes.io/last-applied-configuration":"x"}},"stringData":{"k":"v"}}]}`,
	"apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {k: not-base64!}\n",
	"apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: [1]\n",
	"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {k: v}\nbinaryData: {b: dg==}\n",
	"apiVersion: 1\nkind: 2\n",
	"apiVersion: v1/v2/v3\nkind: Pod\n",
	"apiVersion: /\nkind: List\nitems: []\n",
	"a: &a [*a, *a]\nb: &b [*a, *a]\n",
	"a: !!binary AAAA\n",
	"? [a, b]\n: c\n",
	strings.Repeat("[", 200) + strings.Repeat("]", 200),
	strings.Repeat("- ", 200) + "x\n",
}

// FuzzDecode checks the properties every input must keep: Read never panics
// and returns no error for in-memory input under the limit, every diagnostic
// names the input and its problem, and nothing secret survives decoding.
func FuzzDecode(f *testing.F) {
	root := filepath.Join("..", "..", "testdata")
	err := filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		switch filepath.Ext(p) {
		case ".yaml", ".yml", ".json":
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			f.Add(b)
		}
		return nil
	})
	if err != nil {
		f.Fatalf("seeding from %s: %v", root, err)
	}
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		const name = "fuzz.yaml"
		s := estate.New("fuzz")
		if err := manifest.Read(t.Context(), strings.NewReader(string(in)), name, s, defaultNS); err != nil {
			t.Fatalf("Read: got error %v, want nil for %d bytes in memory", err, len(in))
		}
		for i, d := range s.Diagnostics {
			if d == nil || d.Err == nil {
				t.Fatalf("diagnostic %d: got %#v, want one with an error", i, d)
			}
			if got := d.Source.File; got != name {
				t.Errorf("diagnostic %q: got file %q, want %q", d, got, name)
			}
			if d.Source.Line < 1 || d.Source.Document < 1 {
				t.Errorf("diagnostic %q: got line %d, document %d, want both set", d, d.Source.Line, d.Source.Document)
			}
		}
		for r, src := range s.Sources {
			if src.File != name || src.Line < 1 || src.Document < 1 {
				t.Errorf("%s: got source %+v, want file, line and document set", r, src)
			}
		}
		if got, want := len(objects(s)), len(s.Sources); got != want {
			t.Errorf("objects held: got %d, want one per source (%d)", got, want)
		}
		assertScrubbed(t, s)
	})
}
