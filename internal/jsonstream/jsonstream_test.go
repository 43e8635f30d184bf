package jsonstream

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
)

type item struct {
	Name string         `json:"name"`
	Tags []string       `json:"tags,omitempty"`
	Sub  map[string]int `json:"sub,omitempty"`
}

// upper has a MarshalJSON with a pointer receiver, which encoding/json uses
// for slice elements because they are addressable.
type upper string

func (u *upper) MarshalJSON() ([]byte, error) { return json.Marshal(strings.ToUpper(string(*u))) }

type failing struct{}

func (failing) MarshalJSON() ([]byte, error) { return nil, errors.New("cannot encode") }

// items returns n items, some with nested lists and maps and some with
// characters encoding/json escapes.
func items(n int) []item {
	out := make([]item, n)
	for i := range out {
		out[i] = item{Name: strings.Repeat("x", i%3) + "<a&b>"}
		if i%2 == 1 {
			out[i].Tags = []string{"t", "u\n"}
			out[i].Sub = map[string]int{"b": i, "a": -i}
		}
	}
	return out
}

// doc holds arrays at depths 1, 2 and 3: as slices for json.Encoder (want)
// and as Arrays for Encode (got), with the same field names.
type (
	docWant struct {
		Schema string     `json:"schema"`
		Top    []item     `json:"top"`
		Nested nestedWant `json:"nested"`
		Tail   []int      `json:"tail"`
	}
	nestedWant struct {
		Inner []item        `json:"inner"`
		Deep  []deepWant    `json:"deep"`
		Names []upper       `json:"names"`
		Empty []item        `json:"empty"`
		Plain []interface{} `json:"plain"`
	}
	deepWant struct {
		Items []item `json:"items"`
	}
	docGot struct {
		Schema string    `json:"schema"`
		Top    *Array    `json:"top"`
		Nested nestedGot `json:"nested"`
		Tail   []int     `json:"tail"`
	}
	nestedGot struct {
		Inner *Array        `json:"inner"`
		Deep  []deepGot     `json:"deep"`
		Names *Array        `json:"names"`
		Empty *Array        `json:"empty"`
		Plain []interface{} `json:"plain"`
	}
	deepGot struct {
		Items *Array `json:"items"`
	}
)

func TestEncode(t *testing.T) {
	tests := []struct {
		name             string
		top, inner, deep int
		prefix, indent   string
	}{
		{"empty", 0, 0, 0, "", "  "},
		{"one", 1, 1, 1, "", "  "},
		{"many", 50, 7, 3, "", "  "},
		{"mixed", 0, 1, 20, "", "  "},
		{"tabs", 5, 0, 2, "", "\t"},
		{"prefix", 3, 2, 0, "  ", "\t"},
		{"prefix-only", 3, 0, 2, " ", ""},
		{"compact", 4, 1, 0, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			names := []upper{"a", "b<"}
			want := docWant{Schema: "s", Top: items(tt.top), Tail: []int{1, 2},
				Nested: nestedWant{Inner: items(tt.inner), Deep: []deepWant{{items(tt.deep)}, {items(0)}},
					Names: names, Empty: []item{}, Plain: []interface{}{}}}
			got := docGot{Schema: "s", Top: Of(slices.Values(want.Top)), Tail: want.Tail,
				Nested: nestedGot{Inner: Of(slices.Values(want.Nested.Inner)),
					Deep:  []deepGot{{Of(slices.Values(want.Nested.Deep[0].Items))}, {Of(slices.Values([]item(nil)))}},
					Names: Of(slices.Values(names)), Empty: Of(slices.Values([]item{})), Plain: []interface{}{}}}
			var wantBuf, gotBuf bytes.Buffer
			enc := json.NewEncoder(&wantBuf)
			enc.SetIndent(tt.prefix, tt.indent)
			if err := enc.Encode(want); err != nil {
				t.Fatal(err)
			}
			if err := Encode(&gotBuf, got, tt.prefix, tt.indent,
				got.Top, got.Nested.Inner, got.Nested.Deep[0].Items, got.Nested.Deep[1].Items,
				got.Nested.Names, got.Nested.Empty); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(gotBuf.Bytes(), wantBuf.Bytes()) {
				t.Errorf("got\n%s\nwant\n%s", gotBuf.Bytes(), wantBuf.Bytes())
			}
		})
	}
}

func TestEncodeTopLevel(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 1, 4} {
		var want, got bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetIndent("", "  ")
		if err := enc.Encode(items(n)); err != nil {
			t.Fatal(err)
		}
		a := Of(slices.Values(items(n)))
		if err := Encode(&got, a, "", "  ", a); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Errorf("%d items: got\n%s\nwant\n%s", n, got.Bytes(), want.Bytes())
		}
	}
}

func TestEncodeErrors(t *testing.T) {
	t.Parallel()
	a := Of(slices.Values([]int{1}))
	tests := []struct {
		name   string
		v      any
		arrays []*Array
		indent string
	}{
		{"missing", struct{ X int }{1}, []*Array{a}, "  "},
		{"twice", struct{ X, Y *Array }{a, a}, []*Array{a}, "  "},
		{"element", struct{ X *Array }{Of(slices.Values([]failing{{}}))}, nil, "  "},
		{"indent", struct{ X int }{1}, nil, "->"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			arrays := tt.arrays
			if tt.name == "element" {
				arrays = []*Array{tt.v.(struct{ X *Array }).X}
			}
			var buf bytes.Buffer
			if err := Encode(&buf, tt.v, "", tt.indent, arrays...); err == nil {
				t.Errorf("got no error, want one; wrote\n%s", buf.Bytes())
			}
		})
	}
}

// TestEncodeWriteError checks that the first error writing stops Encode.
func TestEncodeWriteError(t *testing.T) {
	t.Parallel()
	a := Of(slices.Values(items(1000)))
	w := &limitWriter{n: 100}
	if err := Encode(w, struct{ X *Array }{a}, "", "  ", a); !errors.Is(err, errFull) {
		t.Errorf("got %v, want %v", err, errFull)
	}
}

var errFull = errors.New("full")

type limitWriter struct{ n int }

func (l *limitWriter) Write(b []byte) (int, error) {
	if len(b) > l.n {
		n := l.n
		l.n = 0
		return n, errFull
	}
	l.n -= len(b)
	return len(b), nil
}

func BenchmarkEncode(b *testing.B) {
	xs := items(10000)
	b.ReportAllocs()
	for b.Loop() {
		a := Of(slices.Values(xs))
		if err := Encode(&discard{}, struct{ X *Array }{a}, "", "  ", a); err != nil {
			b.Fatal(err)
		}
	}
}

type discard struct{}

func (discard) Write(b []byte) (int, error) { return len(b), nil }
