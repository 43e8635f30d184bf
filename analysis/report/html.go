package report

import (
	"bufio"
	"fmt"
	"html"
	"io"
	"strings"
)

// WriteHTML writes the review as one self-contained HTML page that works
// offline: the style is inline, and each diagram's SVG (by name, as
// RenderDiagrams returns them) is embedded where the Markdown links a file.
func (r *Review) WriteHTML(w io.Writer, svgs map[string][]byte) error {
	d := r.document()
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"+
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>%s</title>\n<style>\n%s</style>\n</head>\n<body>\n<main>\n",
		html.EscapeString(stripMarkup(d.title)), css)
	fmt.Fprintf(bw, "<h1>%s</h1>\n", inlineHTML(d.title))
	for _, b := range d.blocks {
		switch b := b.(type) {
		case heading:
			fmt.Fprintf(bw, "<h%d id=\"%s\">%s</h%d>\n", b.level, slug(b.text), inlineHTML(b.text), b.level)
		case para:
			fmt.Fprintf(bw, "<p>%s</p>\n", inlineHTML(b.text))
		case bullets:
			bw.WriteString("<ul>\n")
			for _, it := range b.items {
				fmt.Fprintf(bw, "<li>%s</li>\n", inlineHTML(it))
			}
			bw.WriteString("</ul>\n")
		case codeBlock:
			fmt.Fprintf(bw, "<pre><code>%s</code></pre>\n", html.EscapeString(strings.TrimRight(b.text, "\n")))
		case figure:
			fmt.Fprintf(bw, "<figure id=\"fig-%s\">\n", html.EscapeString(b.name))
			if svg := svgs[b.name]; len(svg) > 0 {
				bw.Write(inlineSVG(svg, b.name+"-"))
			} else {
				bw.WriteString("<p class=\"missing\">(diagram not rendered)</p>")
			}
			fmt.Fprintf(bw, "\n<figcaption>%s</figcaption>\n</figure>\n", inlineHTML(esc(b.title)))
		case table:
			writeHTMLTable(bw, b)
		}
	}
	bw.WriteString("</main>\n</body>\n</html>\n")
	return bw.Flush()
}

func writeHTMLTable(w *bufio.Writer, t table) {
	w.WriteString("<div class=\"table\"><table>\n<thead><tr>")
	for i, h := range t.head {
		fmt.Fprintf(w, "<th%s>%s</th>", alignAttr(t.right[i]), inlineHTML(h))
	}
	w.WriteString("</tr></thead>\n<tbody>\n")
	for _, row := range t.rows {
		w.WriteString("<tr>")
		for i, c := range row {
			class := ""
			switch c {
			case "critical", "high", "medium", "low":
				class = " class=\"sev sev-" + c + "\""
			}
			fmt.Fprintf(w, "<td%s%s>%s</td>", alignAttr(i < len(t.right) && t.right[i]), class, inlineHTML(c))
		}
		w.WriteString("</tr>\n")
	}
	w.WriteString("</tbody>\n</table></div>\n")
}

func alignAttr(right bool) string {
	if right {
		return ` style="text-align:right"`
	}
	return ""
}

// inlineHTML renders the inline markup of document text as HTML: code
// spans, strong emphasis, links, backslash escapes; everything else is
// escaped text.
func inlineHTML(s string) string {
	var b strings.Builder
	bold := false
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s):
			b.WriteString(html.EscapeString(s[i+1 : i+2]))
			i += 2
		case c == '`':
			n := 0
			for i+n < len(s) && s[i+n] == '`' {
				n++
			}
			fence := s[i : i+n]
			end := strings.Index(s[i+n:], fence)
			if end < 0 {
				b.WriteString(html.EscapeString(fence))
				i += n
				continue
			}
			content := s[i+n : i+n+end]
			if len(content) > 1 && content[0] == ' ' && content[len(content)-1] == ' ' {
				content = content[1 : len(content)-1]
			}
			fmt.Fprintf(&b, "<code>%s</code>", html.EscapeString(content))
			i += n + end + n
		case strings.HasPrefix(s[i:], "**"):
			if bold {
				b.WriteString("</strong>")
			} else {
				b.WriteString("<strong>")
			}
			bold = !bold
			i += 2
		case c == '[':
			// A link is [text](href) with no bracket inside text; any other
			// bracket is text (rules[0]).
			close := strings.IndexAny(s[i+1:], "[]") + i + 1
			end := -1
			if close > i && s[close] == ']' && strings.HasPrefix(s[close:], "](") {
				close -= i
				end = strings.IndexByte(s[i+close:], ')')
			}
			if end < 0 {
				b.WriteString("[")
				i++
				continue
			}
			text, href := s[i+1:i+close], s[i+close+2:i+close+end]
			fmt.Fprintf(&b, "<a href=\"%s\">%s</a>", html.EscapeString(href), inlineHTML(text))
			i += close + end + 1
		default:
			j := i + 1
			for j < len(s) && !strings.ContainsRune("\\`*[", rune(s[j])) {
				j++
			}
			b.WriteString(html.EscapeString(s[i:j]))
			i = j
		}
	}
	if bold {
		b.WriteString("</strong>")
	}
	return b.String()
}

// css is the page's whole style: readable on screen and in print, tables
// that scroll sideways rather than overflow, diagrams that fit the page.
const css = `:root { color-scheme: light; }
body { margin: 0; background: #f6f7f9; color: #1f2328; font: 15px/1.5 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 32px 64px; background: #fff; }
h1 { font-size: 28px; border-bottom: 3px solid #1f2328; padding-bottom: 8px; }
h2 { font-size: 22px; margin-top: 40px; border-bottom: 1px solid #d0d7de; padding-bottom: 4px; }
h3 { font-size: 17px; margin-top: 28px; }
code { font: 12.5px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #eff1f3; padding: 1px 4px; border-radius: 4px; word-break: break-word; }
pre { background: #f6f8fa; border: 1px solid #d0d7de; border-radius: 6px; padding: 10px 12px; overflow-x: auto; }
pre code { background: none; padding: 0; }
.table { overflow-x: auto; margin: 12px 0; }
table { border-collapse: collapse; font-size: 13.5px; }
th, td { border: 1px solid #d0d7de; padding: 5px 8px; vertical-align: top; text-align: left; }
th { background: #f6f8fa; }
tr:nth-child(even) td { background: #fbfcfd; }
td.sev { font-weight: 600; white-space: nowrap; }
td.sev-critical { color: #fff; background: #b42318 !important; }
td.sev-high { color: #fff; background: #e0681b !important; }
td.sev-medium { background: #fde68a !important; }
td.sev-low { background: #e0f2fe !important; }
figure { margin: 16px 0; padding: 12px; border: 1px solid #d0d7de; border-radius: 6px; overflow-x: auto; }
figure svg { max-width: 100%; height: auto; }
figcaption { font-size: 13px; color: #57606a; margin-top: 6px; }
a { color: #0969da; }
@media print { body { background: #fff; } main { padding: 0; } figure, table { break-inside: avoid; } }
`
