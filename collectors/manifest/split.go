package manifest

import "bytes"

// document is one YAML document of a stream and where it starts.
type document struct {
	data  []byte
	start int // 1-based line the document's text starts on
	index int // 1-based among the documents that have content
	// badSeparator is the 1-based line of the first line in the document
	// that starts with "---" but is not a separator, or 0. YAMLReader
	// rejects such a line, and the YAML parser would read "--- x" as the
	// start of a second document and silently drop it.
	badSeparator int
}

// splitYAML cuts a multi-document YAML stream at "---" separator lines, the
// rule apimachinery's YAMLReader applies (a line starting with "---" and
// nothing after it but a comment), while keeping each document's first line
// number, which YAMLReader does not report. Documents with no content (blank
// or comments only) are dropped.
func splitYAML(data []byte) []document {
	var docs []document
	start, line := 0, 1
	docLine, bad := 1, 0
	flush := func(end int) {
		chunk := data[start:end]
		if contentLine(chunk) > 0 {
			docs = append(docs, document{data: chunk, start: docLine, index: len(docs) + 1, badSeparator: bad})
		}
	}
	for pos := 0; pos < len(data); {
		end := bytes.IndexByte(data[pos:], '\n')
		next := len(data)
		if end >= 0 {
			next = pos + end + 1
		}
		switch {
		case isSeparator(data[pos:next]):
			flush(pos)
			start, docLine, bad = next, line+1, 0
		case bad == 0 && bytes.HasPrefix(data[pos:next], []byte("---")):
			bad = line
		}
		pos = next
		line++
	}
	flush(len(data))
	return docs
}

func isSeparator(line []byte) bool {
	if !bytes.HasPrefix(line, []byte("---")) {
		return false
	}
	rest := bytes.TrimSpace(line[3:])
	return len(rest) == 0 || rest[0] == '#'
}

// contentLine returns the 1-based line, counted from the chunk's start, of
// its first line that is neither blank nor a comment, or 0 if it has none.
func contentLine(chunk []byte) int {
	for n := 1; len(chunk) > 0; n++ {
		line := chunk
		if i := bytes.IndexByte(chunk, '\n'); i >= 0 {
			line, chunk = chunk[:i], chunk[i+1:]
		} else {
			chunk = nil
		}
		line = bytes.TrimSpace(line)
		if len(line) > 0 && line[0] != '#' {
			return n
		}
	}
	return 0
}
