package main

import (
	"fmt"
	"io"
	"os"

	"golang.org/x/term"

	"github.com/trustpath/trustpath/analysis"
	"github.com/trustpath/trustpath/internal/table"
)

// defaultWidth is the width tables fit when stdout is not a terminal (a
// pipe, a file, a CI log) or its width is unknown: output that leaves the
// terminal is the same bytes on every machine. --wide lifts the limit for
// grep and cut; -o json is the format for programs.
const defaultWidth = 100

// minWidth keeps a tiny terminal from squeezing columns to a letter each.
const minWidth = 40

// display is how a command lays text out for where it goes.
type display struct {
	width int  // columns tables fit in; 0: no limit (--wide)
	color bool // colour severities: a terminal, and neither --no-color nor NO_COLOR
}

// display returns the layout of text written to stdout, or to file when
// it is not "".
func (g *globalOptions) display(s IOStreams, file string) display {
	toTerminal := file == "" && isTerminal(s.Out)
	d := display{width: defaultWidth, color: colorWanted(g.NoColor, os.Getenv, toTerminal)}
	if g.Wide {
		d.width = 0
	} else if w, ok := terminalWidth(s.Out); ok && toTerminal {
		d.width = max(w, minWidth)
	}
	return d
}

// terminalWidth returns the width of the terminal w writes to.
func terminalWidth(w io.Writer) (int, bool) {
	f, ok := w.(*os.File)
	if !ok {
		return 0, false
	}
	width, _, err := term.GetSize(int(f.Fd()))
	return width, err == nil && width > 0
}

// colorWanted says whether to colour output: only on a terminal, and never
// with --no-color, with NO_COLOR set to anything (https://no-color.org) or
// on a terminal that declares itself dumb.
func colorWanted(noColor bool, getenv func(string) string, terminal bool) bool {
	return terminal && !noColor && getenv("NO_COLOR") == "" && getenv("TERM") != "dumb"
}

// render writes t fitted to the display's width.
func (d display) render(w io.Writer, t *table.Table) error {
	return t.Render(w, d.width)
}

// println writes one line of prose around a table (a heading, an answer,
// a reason), wrapped to the display's width with continuation lines
// indented by hang.
func (d display) println(w io.Writer, hang int, text string) {
	for _, l := range table.WrapHanging(text, d.width, hang) {
		fmt.Fprintln(w, l)
	}
}

// heading writes a blank line, then the title of the table that follows.
func (d display) heading(w io.Writer, title string) {
	fmt.Fprintln(w)
	d.println(w, 2, title)
}

// SGR sequences for the few words trustpath colours.
const (
	sgrReset   = "\x1b[0m"
	sgrBoldRed = "\x1b[1;31m"
	sgrRed     = "\x1b[31m"
	sgrYellow  = "\x1b[33m"
)

// severityStyle colours a severity word: critical bold red, high red,
// medium yellow, low as it is. Without colour it returns nil, which
// leaves the column plain.
func (d display) severityStyle() func(string) string {
	if !d.color {
		return nil
	}
	return func(s string) string {
		sev, ok := analysis.ParseSeverity(s)
		if !ok {
			return s
		}
		switch sev {
		case analysis.Critical:
			return sgrBoldRed + s + sgrReset
		case analysis.High:
			return sgrRed + s + sgrReset
		case analysis.Medium:
			return sgrYellow + s + sgrReset
		}
		return s
	}
}
