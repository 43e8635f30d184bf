package manifest

import "bytes"

// yamlTokens follows YAML text line by line far enough to tell whether a
// line starts in block context, where its indentation says what it belongs
// to, or inside a quoted scalar or flow collection begun on an earlier
// line, which may run on at any indentation: go-yaml reads
//
//	items:
//	- a: "x
//	- b: y"
//
// as one item. It is no parser: it only has to find where such constructs
// open and close, and it skips the lines of block scalars (| and >), whose
// quotes and brackets are text. When it meets what it does not follow, it
// says so (bad), and the caller does not rely on it.
type yamlTokens struct {
	quote   byte // '"' or '\'' inside a quoted scalar, else 0
	flow    int  // depth of the flow collections ([ and {) open
	inBlock bool // inside a block scalar
	// block is the indentation the lines of the block scalar must exceed.
	block int
	bad   bool
}

// cleanYAML reports whether text, read from a line start in block context,
// ends in block context too, outside any quoted scalar and flow collection,
// and holds nothing yamlTokens does not follow.
func cleanYAML(text []byte) bool {
	var t yamlTokens
	for len(text) > 0 && !t.bad {
		line := text
		if i := bytes.IndexByte(text, '\n'); i >= 0 {
			line, text = text[:i], text[i+1:]
		} else {
			text = nil
		}
		t.line(line)
	}
	// A block scalar at the top (parent -1) would take in lines at
	// column 0 too.
	return !t.bad && t.quote == 0 && t.flow == 0 && !(t.inBlock && t.block < 0)
}

// line follows one line, without its '\n'.
func (t *yamlTokens) line(l []byte) {
	l = bytes.TrimSuffix(l, []byte("\r"))
	ind := indentation(l)
	if t.inBlock {
		if blankLine(l) || ind > t.block {
			return // text of the block scalar
		}
		t.inBlock = false
	}
	i, expectNode := ind, true
	// parent is the column of what a block scalar on this line would
	// belong to, which its lines must be indented past; node is the
	// column of the node being read, which becomes the parent when it
	// turns out to be a key.
	parent, node := ind-1, -1
	switch {
	case t.quote != 0:
		if i = t.quoted(l, 0); i < 0 {
			return
		}
		expectNode = false
	case blankLine(l) || l[ind] == '#':
		return
	case ind == 0 && (documentMarker(l, "...") || documentMarker(l, "---") || l[0] == '%'):
		t.bad = true // a document ends or a directive starts: not for a List
		return
	}
	for !t.bad {
		i = skipBlank(l, i)
		if i >= len(l) {
			return
		}
		c := l[i]
		if c == '#' && (i == 0 || l[i-1] == ' ' || l[i-1] == '\t') {
			return // a comment
		}
		if !expectNode {
			switch {
			case c == ':' && (t.flow > 0 || separated(l, i+1)):
				if t.flow == 0 {
					parent = node
				}
				expectNode, node = true, -1
				i++
			case c == ',' && t.flow > 0:
				expectNode = true
				i++
			case (c == ']' || c == '}') && t.flow > 0:
				t.flow--
				i++
			default:
				t.bad = true // two nodes in a row: not YAML
				return
			}
			continue
		}
		if node < 0 {
			node = i
		}
		switch {
		case (c == '-' || c == '?') && separated(l, i+1) && (t.flow == 0 || c == '?'):
			parent, node = i, -1
			i++
		case c == ':' && separated(l, i+1):
			i++ // a value with an empty key
		case c == '&':
			i = t.anchorEnd(l, i) // the node follows
		case c == '!':
			i = t.tagEnd(l, i) // the node follows
		case c == '*':
			i, expectNode = t.anchorEnd(l, i), false
		case c == '"' || c == '\'':
			t.quote = c
			if i = t.quoted(l, i+1); i < 0 {
				return
			}
			expectNode = false
		case c == '[' || c == '{':
			t.flow++
			i++
		case (c == ']' || c == '}') && t.flow > 0:
			t.flow--
			i, expectNode = i+1, false
		case c == ',' && t.flow > 0:
			i++
		case (c == '|' || c == '>') && t.flow == 0:
			t.inBlock, t.block = true, parent // the rest of the line is indicators and a comment
			return
		case c == ',' || c == ']' || c == '}' || c == '#' || c == '|' || c == '>' || c == '%' || c == '@' || c == '`':
			t.bad = true // cannot start a plain scalar here
			return
		default:
			i, expectNode = t.plainEnd(l, i), false
		}
	}
}

// quoted returns the offset after the quote that closes the scalar t.quote
// opened, read from l[i], or -1 when the scalar goes on past the line.
func (t *yamlTokens) quoted(l []byte, i int) int {
	for i < len(l) {
		j := bytes.IndexByte(l[i:], t.quote)
		if t.quote == '"' {
			if k := bytes.IndexByte(l[i:], '\\'); k >= 0 && (j < 0 || k < j) {
				i += k + 2 // an escape; at the line's end, an escaped line break
				continue
			}
		}
		if j < 0 {
			return -1
		}
		i += j + 1
		if t.quote == '\'' && i < len(l) && l[i] == '\'' {
			i++ // '' is a quote in a single-quoted scalar
			continue
		}
		t.quote = 0
		return i
	}
	return -1
}

// anchorEnd returns the offset after the anchor or alias at l[i], as
// go-yaml scans one (yaml_parser_scan_anchor).
func (t *yamlTokens) anchorEnd(l []byte, i int) int {
	j := i + 1
	for j < len(l) && anchorChar[l[j]] {
		j++
	}
	if j == i+1 || !separated(l, j) && bytes.IndexByte([]byte("?:,]}%@`"), l[j]) < 0 {
		t.bad = true
	}
	return j
}

// tagEnd returns the offset after the tag at l[i], as go-yaml scans one
// (yaml_parser_scan_tag): a whitespace must follow it.
func (t *yamlTokens) tagEnd(l []byte, i int) int {
	j := i + 1
	verbatim := j < len(l) && l[j] == '<'
	if verbatim {
		j++
	}
	for j < len(l) && (anchorChar[l[j]] || bytes.IndexByte([]byte(";/?:@&=+$,.!~*'()[]%"), l[j]) >= 0) {
		j++
	}
	if verbatim {
		if j >= len(l) || l[j] != '>' {
			t.bad = true
			return j
		}
		j++
	}
	if !separated(l, j) {
		t.bad = true
	}
	return j
}

// anchorChar marks the bytes of anchor names: ASCII letters, digits, '_'
// and '-' (go-yaml's is_alpha).
var anchorChar = func() (a [256]bool) {
	for c := range 256 {
		a[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-'
	}
	return a
}()

// plainEnd returns where the plain scalar at l[i] ends on its line: at a
// ": " that makes it a key, a comment, the line's end, or in a flow
// collection a ',' or bracket.
func (t *yamlTokens) plainEnd(l []byte, i int) int {
	for ; i < len(l); i++ {
		switch c := l[i]; c {
		case ':':
			if separated(l, i+1) || t.flow > 0 && i+1 < len(l) && bytes.IndexByte([]byte(",[]{}"), l[i+1]) >= 0 {
				return i
			}
		case '#':
			if l[i-1] == ' ' || l[i-1] == '\t' {
				return i
			}
		case ',', '[', ']', '{', '}':
			if t.flow > 0 {
				return i
			}
		}
	}
	return i
}

// indentation returns the spaces a line starts with.
func indentation(l []byte) int {
	n := 0
	for n < len(l) && l[n] == ' ' {
		n++
	}
	return n
}

// blankLine reports whether l holds nothing but spaces and tabs.
func blankLine(l []byte) bool {
	return skipBlank(l, 0) == len(l)
}

func skipBlank(l []byte, i int) int {
	for i < len(l) && (l[i] == ' ' || l[i] == '\t') {
		i++
	}
	return i
}

// separated reports whether l[i] is a space, a tab or the end of the line,
// as must follow an indicator such as "- " or ": ".
func separated(l []byte, i int) bool {
	return i >= len(l) || l[i] == ' ' || l[i] == '\t'
}

// documentMarker reports whether the line l is the marker m ("---" or
// "...") alone or followed by a separator.
func documentMarker(l []byte, m string) bool {
	return bytes.HasPrefix(l, []byte(m)) && separated(l, len(m))
}
