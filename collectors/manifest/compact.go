package manifest

import (
	"bytes"

	"github.com/trustpath/trustpath/collectors/estate"
)

var lastAppliedKey = []byte(`"` + estate.LastApplied + `"`)

// compact appends src, a valid JSON value, to dst without the whitespace
// between its tokens. A pretty-printed dump is two thirds indentation, which
// the decoder would otherwise step through byte by byte twice.
func compact(dst, src []byte) []byte {
	for i := skipWS(src, 0); i < len(src); {
		j := i
	run:
		for j < len(src) {
			switch src[j] {
			case ' ', '\t', '\r', '\n':
				break run
			case '"':
				j = stringEnd(src, j)
			default:
				j++
			}
		}
		dst = append(dst, src[i:j]...)
		i = skipWS(src, j)
	}
	return dst
}

// compactWithout is compact, leaving out cut (see member.cut).
func compactWithout(dst, src []byte, cut span) []byte {
	if !cut.found() {
		return compact(dst, src)
	}
	return compact(compact(dst, src[:cut.start]), src[cut.end:])
}

// stringEnd returns the offset after the valid JSON string at src[i].
func stringEnd(src []byte, i int) int {
	for i++; i < len(src); {
		for i < len(src) && plain[src[i]] {
			i++
		}
		if i >= len(src) || src[i] == '"' {
			return i + 1
		}
		i += 2 // a backslash and the byte it escapes
	}
	return len(src)
}

// lastApplied returns where the object h of data holds kubectl's
// last-applied annotation, as a member to cut (see member.cut): a copy of
// the whole object, often its larger half, which Scrub drops once decoded
// (estate.LastApplied), so it need not be decoded at all. It finds none
// when the metadata, its annotations or the annotation are not plainly
// spelled, or the value is no string; Scrub drops it then.
func lastApplied(data []byte, h *head) span {
	var cut span
	if h.loose || !h.metadata.found() || data[h.metadata.start] != '{' ||
		!bytes.Contains(data[h.metadata.start:h.metadata.end], lastAppliedKey) {
		return cut // most objects: searching is faster than walking
	}
	members(data, h.metadata.start, func(m member) bool {
		if string(m.name(data)) != "annotations" || data[m.value.start] != '{' {
			return true
		}
		members(data, m.value.start, func(a member) bool {
			if string(a.name(data)) == estate.LastApplied && data[a.value.start] == '"' {
				cut = a.cut
				return false
			}
			return true
		})
		return !cut.found()
	})
	return cut
}

// within returns sp, a span inside outer, as offsets into outer.
func within(sp, outer span) span {
	if !sp.found() {
		return sp
	}
	return span{sp.start - outer.start, sp.end - outer.start}
}
