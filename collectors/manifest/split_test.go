package manifest

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
)

// doc is a document as the tests write it down.
type doc struct {
	Data         string
	Start, Index int
	BadSeparator int
}

// splitCases are written from apimachinery's YAMLReader (pkg/util/yaml,
// decoder.go): a line that begins with "---" separates documents when the
// rest of the line, trimmed, is empty or a comment. A line that begins with
// "---" followed by anything else is not a separator: YAMLReader rejects it
// as "invalid Yaml document separator", and splitYAML records the first such
// line of each document so the decoder can report it. splitYAML also drops
// documents that hold only blanks and comments and numbers the rest from 1.
var splitCases = []struct {
	name string
	in   string
	want []doc
	// readerRejects is set when YAMLReader refuses the stream.
	readerRejects bool
}{
	{name: "empty input", in: "", want: nil},
	{name: "blank lines only", in: "\n\n  \n", want: nil},
	{name: "separators only", in: "---\n---\n", want: nil},
	{name: "comments only", in: "# a\n---\n# b\n", want: nil},
	{
		name: "single document",
		in:   "a: 1\nb: 2\n",
		want: []doc{{"a: 1\nb: 2\n", 1, 1, 0}},
	},
	{
		name: "two documents",
		in:   "a: 1\n---\nb: 2\n",
		want: []doc{{"a: 1\n", 1, 1, 0}, {"b: 2\n", 3, 2, 0}},
	},
	{
		name: "separator with comment",
		in:   "a: 1\n--- # second\nb: 2\n",
		want: []doc{{"a: 1\n", 1, 1, 0}, {"b: 2\n", 3, 2, 0}},
	},
	{
		name: "separator with comment and no space",
		in:   "a: 1\n---# second\nb: 2\n",
		want: []doc{{"a: 1\n", 1, 1, 0}, {"b: 2\n", 3, 2, 0}},
	},
	{
		name: "separator with trailing blanks",
		in:   "a: 1\n--- \t \nb: 2\n",
		want: []doc{{"a: 1\n", 1, 1, 0}, {"b: 2\n", 3, 2, 0}},
	},
	{
		name:          "---foo is not a separator",
		in:            "a: 1\n---foo\nb: 2\n",
		want:          []doc{{"a: 1\n---foo\nb: 2\n", 1, 1, 2}},
		readerRejects: true,
	},
	{
		name:          "--- followed by content is not a separator",
		in:            "a: 1\n--- b: 2\n",
		want:          []doc{{"a: 1\n--- b: 2\n", 1, 1, 2}},
		readerRejects: true,
	},
	{
		name:          "---- is not a separator",
		in:            "a: 1\n----\nb: 2\n",
		want:          []doc{{"a: 1\n----\nb: 2\n", 1, 1, 2}},
		readerRejects: true,
	},
	{
		name:          "the first bad separator of a document is kept",
		in:            "# c\na: 1\n--- x\n--- y\n---\n--- z\nb: 2\n",
		want:          []doc{{"# c\na: 1\n--- x\n--- y\n", 1, 1, 3}, {"--- z\nb: 2\n", 6, 2, 6}},
		readerRejects: true,
	},
	{
		name: "indented --- is not a separator",
		in:   "a: |\n  ---\n  text\n",
		want: []doc{{"a: |\n  ---\n  text\n", 1, 1, 0}},
	},
	{
		name: "leading separator",
		in:   "---\na: 1\n",
		want: []doc{{"a: 1\n", 2, 1, 0}},
	},
	{
		name: "header comment then separator",
		in:   "# generated\n---\na: 1\n",
		want: []doc{{"a: 1\n", 3, 1, 0}},
	},
	{
		name: "comment-only document dropped and not counted",
		in:   "a: 1\n---\n# nothing here\n\n---\nb: 2\n",
		want: []doc{{"a: 1\n", 1, 1, 0}, {"b: 2\n", 6, 2, 0}},
	},
	{
		name: "empty document between separators dropped",
		in:   "a: 1\n---\n---\nb: 2\n",
		want: []doc{{"a: 1\n", 1, 1, 0}, {"b: 2\n", 4, 2, 0}},
	},
	{
		name: "trailing separator",
		in:   "a: 1\n---\n",
		want: []doc{{"a: 1\n", 1, 1, 0}},
	},
	{
		name: "start is the line after the separator, blank lines included",
		in:   "---\n\n\na: 1\n",
		want: []doc{{"\n\na: 1\n", 2, 1, 0}},
	},
	{
		name: "comment before content stays in the document",
		in:   "a: 1\n---\n# the second\nb: 2\n",
		want: []doc{{"a: 1\n", 1, 1, 0}, {"# the second\nb: 2\n", 3, 2, 0}},
	},
	{
		name: "CRLF line endings",
		in:   "a: 1\r\n---\r\nb: 2\r\n",
		want: []doc{{"a: 1\r\n", 1, 1, 0}, {"b: 2\r\n", 3, 2, 0}},
	},
	{
		name: "CRLF separator with comment",
		in:   "--- # x\r\na: 1\r\n--- \r\nb: 2\r\n",
		want: []doc{{"a: 1\r\n", 2, 1, 0}, {"b: 2\r\n", 4, 2, 0}},
	},
	{
		name: "no trailing newline",
		in:   "a: 1\n---\nb: 2",
		want: []doc{{"a: 1\n", 1, 1, 0}, {"b: 2", 3, 2, 0}},
	},
	{
		name: "separator on the last line without newline",
		in:   "a: 1\n---",
		want: []doc{{"a: 1\n", 1, 1, 0}},
	},
	{
		name: "three documents with a header",
		in:   "# header\na: 1\n---\nb: 2\nc: 3\n---\nd: 4\n",
		want: []doc{{"# header\na: 1\n", 1, 1, 0}, {"b: 2\nc: 3\n", 4, 2, 0}, {"d: 4\n", 7, 3, 0}},
	},
}

func TestSplitYAML(t *testing.T) {
	t.Parallel()
	for _, tt := range splitCases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got []doc
			for _, d := range splitYAML([]byte(tt.in)) {
				got = append(got, doc{string(d.data), d.start, d.index, d.badSeparator})
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("splitYAML(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

// TestSplitYAMLMatchesYAMLReader checks that the documents splitYAML finds
// are the ones apimachinery's YAMLReader returns. YAMLReader ends every line
// with "\n", keeps comment-only documents, and keeps a separator that comes
// before any content as the first line of the next document (the YAML parser
// reads it as a document start marker), so its output is normalised before
// comparing.
func TestSplitYAMLMatchesYAMLReader(t *testing.T) {
	t.Parallel()
	for _, tt := range splitCases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			want, err := readerDocs(tt.in)
			if tt.readerRejects {
				if err == nil {
					t.Fatalf("YAMLReader accepted %q, want it to reject the separator", tt.in)
				}
				return
			}
			if err != nil {
				t.Fatalf("YAMLReader: %v", err)
			}
			var got []string
			for _, d := range splitYAML([]byte(tt.in)) {
				got = append(got, normalise(string(d.data)))
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("splitYAML(%q) differs from YAMLReader (-reader +split):\n%s", tt.in, diff)
			}
		})
	}
}

func readerDocs(in string) ([]string, error) {
	r := utilyaml.NewYAMLReader(bufio.NewReader(strings.NewReader(in)))
	var docs []string
	for {
		d, err := r.Read()
		if errors.Is(err, io.EOF) {
			return docs, nil
		}
		if err != nil {
			return nil, err
		}
		for {
			first, rest, _ := bytes.Cut(d, []byte("\n"))
			if !isSeparator(first) {
				break
			}
			d = rest
		}
		if contentLine(d) > 0 {
			docs = append(docs, normalise(string(d)))
		}
	}
}

// normalise writes every line ending as "\n", as YAMLReader's LineReader does.
func normalise(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	if !strings.HasSuffix(s, "\n") {
		s += "\n"
	}
	return s
}

func TestIsSeparator(t *testing.T) {
	t.Parallel()
	tests := []struct {
		line string
		want bool
	}{
		{"---", true},
		{"---\n", true},
		{"---\r\n", true},
		{"---   \n", true},
		{"--- # comment\n", true},
		{"---#comment\n", true},
		{"---\t# tab then comment\n", true},
		{"---foo\n", false},
		{"--- foo\n", false},
		{"--- !!map\n", false},
		{"----\n", false},
		{" ---\n", false},
		{"--\n", false},
		{"...\n", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := isSeparator([]byte(tt.line)); got != tt.want {
			t.Errorf("isSeparator(%q): got %v, want %v", tt.line, got, tt.want)
		}
	}
}

func TestContentLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		chunk string
		want  int
	}{
		{"", 0},
		{"\n\n", 0},
		{"# only\n  # comments\n", 0},
		{"a: 1\n", 1},
		{"a: 1", 1},
		{"# c\n\nkind: Pod\n", 3},
		{"  # indented comment\n  a: 1\n", 2},
		{"\r\n\r\nx\r\n", 3},
		{"\t\n#\nx", 3},
	}
	for _, tt := range tests {
		if got := contentLine([]byte(tt.chunk)); got != tt.want {
			t.Errorf("contentLine(%q): got %d, want %d", tt.chunk, got, tt.want)
		}
	}
}

// TestSplitYAMLKeepsBytes checks that the documents are slices of the input
// in order and, with the separators, cover all of it.
func TestSplitYAMLKeepsBytes(t *testing.T) {
	t.Parallel()
	in := []byte("a: 1\n---\nb: 2\n--- # c\nc: 3")
	var joined [][]byte
	for _, d := range splitYAML(in) {
		joined = append(joined, d.data)
	}
	if got, want := string(bytes.Join(joined, []byte("|"))), "a: 1\n|b: 2\n|c: 3"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
