package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// WriteMarkdown writes the review as Markdown. images maps each diagram's
// name to the file the Markdown links to, relative to the Markdown file;
// a diagram without a file is named in a sentence instead.
func (r *Review) WriteMarkdown(w io.Writer, images map[string]string) error {
	return writeMarkdown(w, r.document(), images)
}

func writeMarkdown(w io.Writer, d *document, images map[string]string) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "# %s\n", d.title)
	for _, b := range d.blocks {
		bw.WriteByte('\n')
		switch b := b.(type) {
		case heading:
			fmt.Fprintf(bw, "%s %s\n", strings.Repeat("#", b.level), b.text)
		case para:
			fmt.Fprintln(bw, b.text)
		case bullets:
			for _, it := range b.items {
				fmt.Fprintf(bw, "- %s\n", it)
			}
		case codeBlock:
			fence := "```"
			for strings.Contains(b.text, fence) {
				fence += "`"
			}
			fmt.Fprintf(bw, "%s%s\n%s\n%s\n", fence, b.lang, strings.TrimRight(b.text, "\n"), fence)
		case figure:
			if f := images[b.name]; f != "" {
				fmt.Fprintf(bw, "![%s](%s)\n", esc(b.title), f)
			} else {
				fmt.Fprintf(bw, "*Diagram %s: write the review to a file (-o review.md) to get it beside the document.*\n", b.name)
			}
		case table:
			writeMarkdownTable(bw, b)
		}
	}
	return bw.Flush()
}

func writeMarkdownTable(w *bufio.Writer, t table) {
	cell := func(s string) string {
		s = strings.ReplaceAll(s, "\n", " ")
		if s == "" {
			return " "
		}
		// Pipes already escaped by esc stay escaped; any other (inside code
		// spans) must be escaped for GitHub's table syntax.
		return strings.ReplaceAll(strings.ReplaceAll(s, `\|`, "|"), "|", `\|`)
	}
	w.WriteString("|")
	for _, h := range t.head {
		fmt.Fprintf(w, " %s |", cell(h))
	}
	w.WriteString("\n|")
	for i := range t.head {
		if t.right[i] {
			w.WriteString("---:|")
		} else {
			w.WriteString("---|")
		}
	}
	w.WriteString("\n")
	for _, row := range t.rows {
		w.WriteString("|")
		for _, c := range row {
			fmt.Fprintf(w, " %s |", cell(c))
		}
		w.WriteString("\n")
	}
}
