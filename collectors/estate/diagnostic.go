package estate

import (
	"fmt"
	"strings"
)

// Severity grades a diagnostic.
type Severity int

// Severities, least severe first.
const (
	// Info is worth knowing and changes nothing (a skipped CRD).
	Info Severity = iota
	// Warning means the input is odd but nothing was lost (a duplicate).
	Warning
	// Error means part of the input could not be read; the rest was.
	Error
)

func (s Severity) String() string {
	switch s {
	case Info:
		return "info"
	case Warning:
		return "warning"
	}
	return "error"
}

// Source is where an object or document was read.
type Source struct {
	File     string // as the user named it; "-" for standard input
	Line     int    // 1-based line of the document's first line; 0 if unknown
	Document int    // 1-based index of the document in the file; 0 if unknown
	Item     int    // 1-based index inside a List document; 0 if not in one
}

func (s Source) String() string {
	var b strings.Builder
	b.WriteString(s.File)
	if s.Line > 0 {
		fmt.Fprintf(&b, ":%d", s.Line)
	}
	var in []string
	if s.Document > 0 {
		in = append(in, fmt.Sprintf("document %d", s.Document))
	}
	if s.Item > 0 {
		in = append(in, fmt.Sprintf("item %d", s.Item))
	}
	if len(in) > 0 {
		b.WriteString(" (" + strings.Join(in, ", ") + ")")
	}
	return b.String()
}

// Diagnostic is a problem that does not stop the run: it is collected,
// counted and shown, and the rest of the input still loads.
type Diagnostic struct {
	Severity Severity
	Source   Source
	Object   string // the object concerned, when known: "Pod/shop/web"
	Err      error
}

func (d *Diagnostic) Error() string {
	if d.Source.File == "" {
		return d.Err.Error()
	}
	return d.Source.String() + ": " + d.Err.Error()
}

func (d *Diagnostic) Unwrap() error { return d.Err }
