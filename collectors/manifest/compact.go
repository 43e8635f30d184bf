package manifest

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
