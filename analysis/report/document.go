package report

import (
	"strings"
	"unicode"
)

// document is the review as blocks, rendered to Markdown and to HTML from
// one source so the two never say different things. Text in blocks uses a
// small inline markup that is Markdown: `code`, **strong**, [text](#anchor)
// and backslash escapes; plain text passes through esc.
type document struct {
	title  string
	blocks []block
}

type block interface{ isBlock() }

type (
	heading struct {
		level int // 2 for a section, 3 for a subsection
		text  string
	}
	para    struct{ text string }
	bullets struct{ items []string }
	table   struct {
		head  []string
		rows  [][]string
		right []bool // columns aligned right (numbers)
	}
	codeBlock struct{ lang, text string }
	figure    struct{ name, title string }
)

func (heading) isBlock()   {}
func (para) isBlock()      {}
func (bullets) isBlock()   {}
func (table) isBlock()     {}
func (codeBlock) isBlock() {}
func (figure) isBlock()    {}

func (d *document) h2(text string)         { d.blocks = append(d.blocks, heading{2, text}) }
func (d *document) h3(text string)         { d.blocks = append(d.blocks, heading{3, text}) }
func (d *document) p(text string)          { d.blocks = append(d.blocks, para{text}) }
func (d *document) list(items ...string)   { d.blocks = append(d.blocks, bullets{items}) }
func (d *document) code(lang, text string) { d.blocks = append(d.blocks, codeBlock{lang, text}) }
func (d *document) fig(name, title string) { d.blocks = append(d.blocks, figure{name, title}) }
func (d *document) tab(t table)            { d.blocks = append(d.blocks, t) }
func newTable(head ...string) table        { return table{head: head, right: make([]bool, len(head))} }
func (t *table) row(cells ...string)       { t.rows = append(t.rows, cells) }
func (t *table) alignRight(cols ...int) table {
	for _, c := range cols {
		t.right[c] = true
	}
	return *t
}

// esc makes s plain text in the inline markup: characters that would start
// markup are escaped with a backslash.
func esc(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\', '`', '*', '<', '|':
			b.WriteByte('\\')
		case '\n':
			r = ' '
		}
		b.WriteRune(r)
	}
	return b.String()
}

// code formats s as inline code, whatever it holds.
func code(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		return fence + " " + s + " " + fence
	}
	return fence + s + fence
}

func strong(s string) string { return "**" + s + "**" }

func link(text, anchor string) string { return "[" + text + "](#" + anchor + ")" }

// slug is the anchor GitHub gives a heading: lower case, punctuation
// dropped, spaces as hyphens. The HTML uses the same, so links agree.
func slug(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(stripMarkup(heading)) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_':
			b.WriteRune(r)
		case r == ' ':
			b.WriteByte('-')
		}
	}
	return b.String()
}

// stripMarkup returns the text of inline markup without its markers.
func stripMarkup(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && i+1 < len(s):
			i++
			b.WriteByte(s[i])
		case c == '`' || c == '*':
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
