// Package jsonstream writes JSON documents whose large arrays are encoded
// one element at a time, so that writing a document takes memory for one
// element rather than for the whole array.
//
// The document is a Go value as for encoding/json, with each large array
// replaced by an [Array] that yields the elements. [Encode] encodes the
// document with every Array as a placeholder, then writes the encoding with
// each placeholder replaced by its elements, indented as the enclosing
// encoder indents. The bytes are those json.Encoder writes for the same
// document with the arrays in place, trailing newline included.
package jsonstream

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"math/rand/v2"
	"slices"
	"strings"
)

// Array stands for a JSON array in a document that [Encode] writes: the
// elements are encoded only as Encode writes them.
type Array struct {
	token string
	each  func(yield func(any) bool)
}

// Of returns an Array of the elements seq yields. Encode ranges over seq
// once; an empty seq encodes as [], like an empty slice. The elements are
// encoded with encoding/json, as they would be in a slice.
func Of[T any](seq iter.Seq[T]) *Array {
	// The placeholder is random so that no string in the document, which
	// may come from the input, can be mistaken for it.
	return &Array{
		token: fmt.Sprintf(`"jsonstream-%016x%016x"`, rand.Uint64(), rand.Uint64()),
		// Each element is encoded through a pointer to it, addressable as an
		// element of a slice is, so a MarshalJSON with a pointer receiver
		// applies as it would in a slice.
		each: func(yield func(any) bool) {
			for x := range seq {
				if !yield(&x) {
					return
				}
			}
		},
	}
}

// Map returns an Array of fn of each of xs, called as Encode writes it: the
// encoded form of only one element is in memory at a time.
func Map[S ~[]E, E, T any](xs S, fn func(E) T) *Array {
	return Of(func(yield func(T) bool) {
		for _, x := range xs {
			if !yield(fn(x)) {
				return
			}
		}
	})
}

// MarshalJSON encodes a's placeholder; Encode replaces it.
func (a *Array) MarshalJSON() ([]byte, error) { return []byte(a.token), nil }

// Encode writes v to w as json.NewEncoder(w) with SetIndent(prefix, indent)
// would, each of arrays encoded as the array of its elements. v holds each
// of arrays once, and not among the elements of another. prefix and indent
// are spaces and tabs only.
//
// Encode writes as it goes: when it fails part of the document may have
// been written.
func Encode(w io.Writer, v any, prefix, indent string, arrays ...*Array) error {
	if strings.Trim(prefix+indent, " \t") != "" {
		return fmt.Errorf("jsonstream: prefix %q and indent %q must be spaces and tabs", prefix, indent)
	}
	var doc bytes.Buffer
	enc := json.NewEncoder(&doc)
	enc.SetIndent(prefix, indent)
	if err := enc.Encode(v); err != nil {
		return err
	}
	b := doc.Bytes()
	type site struct {
		at int
		a  *Array
	}
	sites := make([]site, 0, len(arrays))
	for _, a := range arrays {
		tok := []byte(a.token)
		if n := bytes.Count(b, tok); n != 1 {
			return fmt.Errorf("jsonstream: the document holds an array %d times, want once", n)
		}
		sites = append(sites, site{bytes.Index(b, tok), a})
	}
	slices.SortFunc(sites, func(x, y site) int { return x.at - y.at })
	ew := &errWriter{w: w}
	last := 0
	for _, s := range sites {
		ew.write(b[last:s.at])
		if ew.err != nil {
			return ew.err
		}
		if err := writeArray(ew, s.a, depthPrefix(b[:s.at], prefix), prefix, indent); err != nil {
			return err
		}
		last = s.at + len(s.a.token)
	}
	ew.write(b[last:])
	return ew.err
}

// depthPrefix returns the prefix and indents that start lines at the depth
// of the value head, the encoding before the value, ends with: the leading
// space of the value's line, or prefix on the first line, which json.Encoder
// does not prefix and where only the top-level value starts.
func depthPrefix(head []byte, prefix string) string {
	i := bytes.LastIndexByte(head, '\n')
	if i < 0 {
		return prefix
	}
	line := head[i+1:]
	return string(line[:len(line)-len(bytes.TrimLeft(line, " \t"))])
}

// writeArray writes a's elements as an array whose opening bracket is on a
// line starting with outer, as json.Encoder indents with prefix and indent.
func writeArray(w *errWriter, a *Array, outer, prefix, indent string) error {
	if prefix == "" && indent == "" { // json.Encoder does not indent at all
		return writeElements(w, a, []byte("["), []byte(","), []byte("]"), "", "")
	}
	inner := outer + indent
	return writeElements(w, a, []byte("[\n"+inner), []byte(",\n"+inner), []byte("\n"+outer+"]"), inner, indent)
}

// writeElements writes open, the elements separated by sep, then close,
// or [] for none. Each element is encoded as json.MarshalIndent(x, prefix,
// indent), through one encoder whose buffers are reused.
func writeElements(w *errWriter, a *Array, open, sep, close []byte, prefix, indent string) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent(prefix, indent)
	n := 0
	var err error
	for x := range a.each {
		buf.Reset()
		if err = enc.Encode(x); err != nil {
			break
		}
		if n == 0 {
			w.write(open)
		} else {
			w.write(sep)
		}
		w.write(bytes.TrimSuffix(buf.Bytes(), []byte("\n"))) // Encode ends each value with one
		if err = w.err; err != nil {
			break
		}
		n++
	}
	if err != nil {
		return err
	}
	if n == 0 {
		w.write([]byte("[]"))
	} else {
		w.write(close)
	}
	return w.err
}

// errWriter keeps the first error from w and writes nothing after it.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) write(b []byte) {
	if e.err != nil {
		return
	}
	n, err := e.w.Write(b)
	if err == nil && n < len(b) {
		err = io.ErrShortWrite
	}
	e.err = err
}
