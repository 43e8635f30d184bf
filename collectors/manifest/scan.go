package manifest

import (
	"encoding/binary"
	"errors"
)

// errSyntax is what the scanner knows of a syntax error: where it is. The
// decoder asks encoding/json for the message, so the message does not
// depend on which of the two found the error.
var errSyntax = errors.New("invalid JSON")

// span is where a value sits in its input: data[start:end].
type span struct{ start, end int }

func (s span) found() bool { return s.end > s.start }

// head is what one scan learns about a JSON value without decoding it: for
// an object, where its fields that choose how it is decoded are. Fields are
// matched the way encoding/json matches struct fields, ignoring case, and
// the last of several wins.
type head struct {
	value                         span
	object                        bool // the value is an object
	apiVersion, kind, items, gaps span
	// metadata and spec are found for reading an object in part (see
	// decoder.described), which reads them, and the apiVersion and
	// kind, case-sensitively, as sigs.k8s.io/json does: loose is set when
	// one of these keys appears twice or in another case, and the object
	// is then decoded whole.
	metadata, spec span
	loose          bool
	keys           int // keys of the value's objects, at every depth
	// odd is set when a top-level key is escaped or not ASCII: encoding/json
	// may match it to a field in ways this scan does not.
	odd bool
}

// field returns where to record the value of the top-level key k.
func (h *head) field(k []byte) *span {
	for _, c := range k {
		if c == '\\' || c >= 0x80 {
			h.odd = true
			return nil
		}
	}
	switch {
	case foldEqual(k, "apiVersion"):
		return h.exact(k, "apiVersion", &h.apiVersion)
	case foldEqual(k, "kind"):
		return h.exact(k, "kind", &h.kind)
	case foldEqual(k, "items"):
		return &h.items
	case foldEqual(k, "trustpathGaps"):
		return &h.gaps
	case foldEqual(k, "metadata"):
		return h.exact(k, "metadata", &h.metadata)
	case foldEqual(k, "spec"):
		return h.exact(k, "spec", &h.spec)
	}
	return nil
}

// exact returns sp, where the key k, equal to name ignoring case, records
// its value, and sets h.loose unless k is name itself and the first such key.
func (h *head) exact(k []byte, name string, sp *span) *span {
	if string(k) != name || sp.found() {
		h.loose = true
	}
	return sp
}

// foldEqual reports whether the ASCII k equals s ignoring case.
func foldEqual(k []byte, s string) bool {
	if len(k) != len(s) {
		return false
	}
	for i := range k {
		a, b := k[i], s[i]
		if 'A' <= a && a <= 'Z' {
			a += 'a' - 'A'
		}
		if 'A' <= b && b <= 'Z' {
			b += 'a' - 'A'
		}
		if a != b {
			return false
		}
	}
	return true
}

// scanned is one top-level value of a JSON stream: its head, and the heads
// of its elements when it is an array or an object whose items field is.
type scanned struct {
	head
	elems []head
}

// scanner checks that values are JSON, by the grammar encoding/json
// accepts, and finds where they and their fields start and end, in one pass
// and without allocating. Decoding then reads each object once, straight
// into its type.
type scanner struct {
	data []byte
	keys *int // the counter of the object being scanned
	err  error
	at   int // offset of err
}

func (s *scanner) fail(at int, err error) int {
	s.err, s.at = err, at
	return -1
}

// document scans the value at data[i], which starts with '{' or '[', into
// doc and returns where it ends, or -1 with s.err set.
func (s *scanner) document(i int, doc *scanned) int {
	doc.head = head{value: span{start: i}}
	doc.elems = doc.elems[:0]
	s.keys = &doc.keys
	var end int
	if s.data[i] == '{' {
		doc.object = true
		end = s.object(i, 1, &doc.head, &doc.elems)
	} else {
		end = s.array(i, 1, &doc.elems)
	}
	doc.value.end = end
	return end
}

// countKeys returns the keys of the JSON value raw, at every depth.
func countKeys(raw []byte) int {
	var n int
	s := scanner{data: raw, keys: &n}
	s.value(skipWS(raw, 0), 0)
	return n
}

// value scans any value; depth is that of its container.
func (s *scanner) value(i, depth int) int {
	if i >= len(s.data) {
		return s.fail(i, errSyntax)
	}
	switch c := s.data[i]; {
	case c == '{':
		return s.object(i, depth+1, nil, nil)
	case c == '[':
		return s.array(i, depth+1, nil)
	case c == '"':
		return s.str(i)
	case c == '-' || '0' <= c && c <= '9':
		return s.number(i)
	case c == 't':
		return s.literal(i, "true")
	case c == 'f':
		return s.literal(i, "false")
	case c == 'n':
		return s.literal(i, "null")
	}
	return s.fail(i, errSyntax)
}

// object scans the object at data[i], at the given depth. When h is not
// nil, the spans of its top-level fields are recorded in h and, when elems
// is not nil too, the heads of the elements of its items array in elems.
func (s *scanner) object(i, depth int, h *head, elems *[]head) int {
	if depth > MaxDepth {
		return s.fail(i, ErrTooDeep)
	}
	data := s.data
	i = skipWS(data, i+1)
	if i < len(data) && data[i] == '}' {
		return i + 1
	}
	for {
		if i >= len(data) || data[i] != '"' {
			return s.fail(i, errSyntax)
		}
		k := i
		if i = s.str(i); i < 0 {
			return -1
		}
		*s.keys++
		var field *span
		if h != nil {
			field = h.field(data[k+1 : i-1])
		}
		i = skipWS(data, i)
		if i >= len(data) || data[i] != ':' {
			return s.fail(i, errSyntax)
		}
		i = skipWS(data, i+1)
		v := i
		if field != nil && field == &h.items && elems != nil {
			*elems = (*elems)[:0] // the last items field wins
			if i < len(data) && data[i] == '[' {
				i = s.array(i, depth+1, elems)
			} else {
				i = s.value(i, depth)
			}
		} else {
			i = s.value(i, depth)
		}
		if i < 0 {
			return -1
		}
		if field != nil {
			*field = span{v, i}
		}
		var end bool
		if i, end = s.separator(i, '}'); end || i < 0 {
			return i
		}
	}
}

// array scans the array at data[i], at the given depth. When elems is not
// nil, each element's head is appended to it, its keys counted in its head.
func (s *scanner) array(i, depth int, elems *[]head) int {
	if depth > MaxDepth {
		return s.fail(i, ErrTooDeep)
	}
	data := s.data
	i = skipWS(data, i+1)
	if i < len(data) && data[i] == ']' {
		return i + 1
	}
	for {
		if elems == nil {
			i = s.value(i, depth)
		} else {
			*elems = append(*elems, head{value: span{start: i}})
			e := &(*elems)[len(*elems)-1]
			outer := s.keys
			s.keys = &e.keys
			if i < len(data) && data[i] == '{' {
				e.object = true
				i = s.object(i, depth+1, e, nil)
			} else {
				i = s.value(i, depth)
			}
			s.keys = outer
			e.value.end = i
		}
		if i < 0 {
			return -1
		}
		var end bool
		if i, end = s.separator(i, ']'); end || i < 0 {
			return i
		}
	}
}

// separator reads what follows a member or element at data[i]: a comma
// (it returns the start of the next one) or closing (it returns the index
// past it, and end). Anything else fails the scan: -1.
func (s *scanner) separator(i int, closing byte) (next int, end bool) {
	i = skipWS(s.data, i)
	if i >= len(s.data) {
		return s.fail(i, errSyntax), false
	}
	switch s.data[i] {
	case ',':
		return skipWS(s.data, i+1), false
	case closing:
		return i + 1, true
	}
	return s.fail(i, errSyntax), false
}

// plain marks the bytes that may stand for themselves in a JSON string.
var plain = func() (t [256]bool) {
	for c := 0x20; c < 256; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// str scans the string at data[i]. Like encoding/json, it accepts any byte
// from 0x20 up, invalid UTF-8 included.
func (s *scanner) str(i int) int {
	data := s.data
	i++
	for {
		for i < len(data) && plain[data[i]] {
			i++
		}
		if i >= len(data) {
			return s.fail(i, errSyntax)
		}
		switch data[i] {
		case '"':
			return i + 1
		case '\\':
			i++
			if i >= len(data) {
				return s.fail(i, errSyntax)
			}
			switch data[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i++
			case 'u':
				for n := 1; n <= 4; n++ {
					if i+n >= len(data) || !isHex(data[i+n]) {
						return s.fail(i+n, errSyntax)
					}
				}
				i += 5
			default:
				return s.fail(i, errSyntax)
			}
		default: // a control character
			return s.fail(i, errSyntax)
		}
	}
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// number scans -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?.
func (s *scanner) number(i int) int {
	data := s.data
	if data[i] == '-' {
		i++
	}
	switch {
	case i < len(data) && data[i] == '0':
		i++
	case i < len(data) && '1' <= data[i] && data[i] <= '9':
		i = digits(data, i)
	default:
		return s.fail(i, errSyntax)
	}
	if i < len(data) && data[i] == '.' {
		if i++; i >= len(data) || !isDigit(data[i]) {
			return s.fail(i, errSyntax)
		}
		i = digits(data, i)
	}
	if i < len(data) && (data[i] == 'e' || data[i] == 'E') {
		if i++; i < len(data) && (data[i] == '+' || data[i] == '-') {
			i++
		}
		if i >= len(data) || !isDigit(data[i]) {
			return s.fail(i, errSyntax)
		}
		i = digits(data, i)
	}
	return i
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func digits(data []byte, i int) int {
	for i < len(data) && isDigit(data[i]) {
		i++
	}
	return i
}

func (s *scanner) literal(i int, lit string) int {
	if len(s.data)-i < len(lit) || string(s.data[i:i+len(lit)]) != lit {
		return s.fail(i, errSyntax)
	}
	return i + len(lit)
}

// skipWS returns the offset of the first byte from i on that is not JSON
// whitespace.
func skipWS(data []byte, i int) int {
	for i < len(data) {
		switch data[i] {
		case ' ', '\t', '\r', '\n':
			i++
			// Indentation, eight spaces at a time.
			for i+8 <= len(data) && binary.LittleEndian.Uint64(data[i:]) == 0x2020202020202020 {
				i += 8
			}
		default:
			return i
		}
	}
	return i
}

// member is one key and value of a JSON object, and what removing it
// takes: the member and the comma between it and the next member, or the
// previous one when it is the last.
type member struct {
	key, value, cut span
}

// name returns the member's key, unquoted only of its quotes: an escaped
// key does not equal the name it spells.
func (m member) name(data []byte) []byte { return data[m.key.start+1 : m.key.end-1] }

// members calls f with each member of the valid JSON object at data[at],
// in order, until f returns false.
func members(data []byte, at int, f func(member) bool) {
	comma := -1 // before the member
	for i := skipWS(data, at+1); i < len(data) && data[i] == '"'; {
		m := member{key: span{i, stringEnd(data, i)}}
		v := skipWS(data, skipWS(data, m.key.end)+1) // past the colon
		end := skipValue(data, v)
		m.value = span{v, end}
		next := skipWS(data, end)
		switch {
		case next < len(data) && data[next] == ',':
			m.cut = span{m.key.start, next + 1}
		case comma >= 0:
			m.cut = span{comma, end}
		default:
			m.cut = span{m.key.start, end}
		}
		if !f(m) || next >= len(data) || data[next] != ',' {
			return
		}
		comma, i = next, skipWS(data, next+1)
	}
}

// skipValue returns the offset after the valid JSON value at data[i],
// checking nothing: the scan has.
func skipValue(data []byte, i int) int {
	switch data[i] {
	case '"':
		return stringEnd(data, i)
	case '{', '[':
		for depth := 0; i < len(data); {
			switch data[i] {
			case '"':
				i = stringEnd(data, i)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return i
	}
	for i < len(data) { // a number or a literal
		switch data[i] {
		case ',', '}', ']', ' ', '\t', '\r', '\n':
			return i
		}
		i++
	}
	return i
}
