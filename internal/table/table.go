// Package table writes aligned text tables that fit a width.
//
// Columns are two spaces apart, as text/tabwriter lays them out. When a
// table is wider than the width it is given, it is fitted without losing a
// character: columns the caller marked [Table.Below] (long prose such as
// evidence or a fix) move under their row, indented, and cells still too
// long for their column wrap onto continuation lines, at spaces first, then
// after a separator such as '/' (so a key breaks between its parts), and
// mid-word only when nothing else fits. Nothing is elided: every cell is
// printed whole, so a table needs no "see also" to be complete.
//
// Width 0 means no limit: one row per line, every column in place, for
// grep and cut.
package table

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"
)

// hangWidth is the width of a first cell's continuation lines, indented
// by hang when the column is wide enough for that.
func hangWidth(w int) int {
	if w > 2*hang {
		return w - hang
	}
	return w
}

// Gap is the space between two columns.
const Gap = 2

// hang indents the continuation lines of a row's first cell.
const hang = 2

// Table is a header and rows of cells, written by [Table.Render].
type Table struct {
	header []string
	rows   [][]string
	below  map[int]string // column → label of its lines under the row
	styles map[int]func(string) string
}

// New returns an empty table with these column headers.
func New(header ...string) *Table {
	return &Table{header: header, below: map[int]string{}, styles: map[int]func(string) string{}}
}

// Row adds a row. It panics unless there is one cell per column: a short
// row is a programmer error that would misalign every column after it.
func (t *Table) Row(cells ...string) {
	if len(cells) != len(t.header) {
		panic(fmt.Sprintf("table: row has %d cells for %d columns", len(cells), len(t.header)))
	}
	t.rows = append(t.rows, cells)
}

// Len returns the number of rows added.
func (t *Table) Len() int { return len(t.rows) }

// Below marks column col as prose that, when the table is too wide for its
// width, is written under each row as "label: text" instead of as a column
// (without a label when label is ""). Empty cells then print nothing.
func (t *Table) Below(col int, label string) { t.below[col] = label }

// Style sets a function applied to each piece of text written in column
// col, such as a colour. It must not change the text's visible width:
// columns are aligned on the unstyled text.
func (t *Table) Style(col int, f func(string) string) { t.styles[col] = f }

// Render writes the table, fitted to width columns (0: no limit).
func (t *Table) Render(w io.Writer, width int) error {
	shown := make([]int, 0, len(t.header))
	for c := range t.header {
		shown = append(shown, c)
	}
	natural := t.naturalWidths()
	below := false
	if width > 0 && t.total(shown, natural) > width && len(t.below) > 0 {
		below = true
		shown = slices.DeleteFunc(shown, func(c int) bool { _, ok := t.below[c]; return ok })
	}
	widths := natural
	if width > 0 && t.total(shown, natural) > width {
		widths = t.fit(shown, natural, width)
	}
	indent := 4
	if len(shown) > 1 && width > 0 && widths[shown[0]]+Gap <= width/4 {
		indent = widths[shown[0]] + Gap
	}

	// Written as it is laid out: a table of a large estate's edges is
	// hundreds of megabytes of text, which need not be held at once.
	b := bufio.NewWriterSize(w, 64<<10)
	t.line(b, t.header, shown, widths, nil)
	for _, r := range t.rows {
		t.line(b, r, shown, widths, t.styles)
		if !below {
			continue
		}
		for c, cell := range r {
			label, ok := t.below[c]
			if !ok || cell == "" {
				continue
			}
			writeBelow(b, label, cell, indent, width)
		}
	}
	return b.Flush()
}

// line writes one row, wrapped into as many lines as its tallest cell.
func (t *Table) line(b *bufio.Writer, cells []string, shown, widths []int, styles map[int]func(string) string) {
	wrapped := make([][]string, len(shown))
	height := 0
	for i, c := range shown {
		if i == 0 {
			// The first column names the row: indent its continuation
			// lines, so that they cannot be read as the next row.
			wrapped[i] = wrap(cells[c], widths[c], hangWidth(widths[c]))
			for j := 1; j < len(wrapped[i]) && hangWidth(widths[c]) < widths[c]; j++ {
				wrapped[i][j] = strings.Repeat(" ", hang) + wrapped[i][j]
			}
		} else {
			wrapped[i] = Wrap(cells[c], widths[c])
		}
		height = max(height, len(wrapped[i]))
	}
	for l := range height {
		var s strings.Builder
		for i, c := range shown {
			piece := ""
			if l < len(wrapped[i]) {
				piece = wrapped[i][l]
			}
			pad := widths[c] - runeWidth(piece)
			if f := styles[c]; f != nil && piece != "" {
				piece = f(piece)
			}
			s.WriteString(piece)
			if i < len(shown)-1 {
				s.WriteString(strings.Repeat(" ", pad+Gap))
			}
		}
		b.WriteString(strings.TrimRight(s.String(), " "))
		b.WriteByte('\n')
	}
}

// writeBelow writes a column moved under its row: "label: text" at indent,
// continuation lines aligned with the text (indented by hang without a
// label).
func writeBelow(b *bufio.Writer, label, text string, indent, width int) {
	prefix := ""
	if label != "" {
		prefix = label + ": "
	}
	textAt := indent + runeWidth(prefix)
	if prefix == "" || width-textAt < wordCap {
		// Without a label, or with one too long to hang text from,
		// continuation lines are indented by hang.
		textAt = indent + hang
	}
	for i, l := range wrap(text, width-indent-runeWidth(prefix), width-textAt) {
		if i == 0 {
			b.WriteString(strings.Repeat(" ", indent) + prefix)
		} else {
			b.WriteString(strings.Repeat(" ", textAt))
		}
		b.WriteString(l)
		b.WriteByte('\n')
	}
}

// naturalWidths are the widths each column needs to print unwrapped.
func (t *Table) naturalWidths() []int {
	w := make([]int, len(t.header))
	for _, r := range append([][]string{t.header}, t.rows...) {
		for c, cell := range r {
			w[c] = max(w[c], runeWidth(cell))
		}
	}
	return w
}

// total returns the width of the shown columns and the gaps between them.
func (t *Table) total(shown, widths []int) int {
	n := Gap * (len(shown) - 1)
	for _, c := range shown {
		n += widths[c]
	}
	return n
}

// longestWord returns the width of the longest space-separated word of s.
func longestWord(s string) int {
	n := 0
	for _, f := range strings.Fields(s) {
		n = max(n, runeWidth(f))
	}
	return n
}

func runeWidth(s string) int { return utf8.RuneCountInString(s) }
