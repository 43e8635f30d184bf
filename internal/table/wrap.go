package table

import (
	"strings"
	"unicode/utf8"
)

// Wrap breaks s into lines of at most width runes (width < 1: no limit).
// It breaks at the last space that leaves a line at least half full, else
// after the last separator ('/', ',', ';', ':', '=', '>', ')', then '-',
// '.', '_') that does, else at the longest such break there is, and only
// when there is none inside a word. Spaces at a break are dropped; no
// other character is. A newline in s always breaks.
func Wrap(s string, width int) []string { return wrap(s, width, width) }

// wrap is [Wrap] with the first line first runes wide and the others next.
func wrap(s string, first, next int) []string {
	if !strings.ContainsRune(s, '\n') && !strings.HasSuffix(s, " ") && (first <= 0 || utf8.RuneCountInString(s) <= first) {
		return []string{s} // most cells fit: no copy into runes and back
	}
	var lines []string
	width := first
	for _, para := range strings.Split(s, "\n") {
		r := []rune(strings.TrimRight(para, " "))
		for width > 0 && len(r) > width {
			cut, skip := breakAt(r, width)
			lines = append(lines, strings.TrimRight(string(r[:cut]), " "))
			width = next
			r = r[cut+skip:]
			for len(r) > 0 && r[0] == ' ' {
				r = r[1:]
			}
		}
		lines = append(lines, string(r))
		width = next
	}
	return lines
}

// breakTiers are the characters a line may break after, best first; a
// space is dropped at the break.
var breakTiers = []string{" ", "/,;:=>)", "-._"}

// breakAt returns where to cut r, longer than width, and how many
// characters to drop there.
func breakAt(r []rune, width int) (cut, skip int) {
	best, bestSkip := 0, 0
	for _, tier := range breakTiers {
		for i := min(width, len(r)-1); i > 0; i-- {
			if !strings.ContainsRune(tier, r[i]) {
				continue
			}
			n, s := i+1, 0 // keep the separator on this line
			if r[i] == ' ' {
				n, s = i, 1
			}
			if n > width {
				continue
			}
			if n*2 >= width {
				return n, s
			}
			if n > best {
				best, bestSkip = n, s
			}
			break
		}
	}
	if best > 0 {
		return best, bestSkip
	}
	return width, 0
}

// countLines returns how many lines wrap makes of r, without making them.
func countLines(r []rune, first, next int) int {
	n, width := 0, first
	start := 0
	for i := 0; i <= len(r); i++ {
		if i < len(r) && r[i] != '\n' {
			continue
		}
		para := r[start:i]
		start = i + 1
		for len(para) > 0 && para[len(para)-1] == ' ' {
			para = para[:len(para)-1]
		}
		for width > 0 && len(para) > width {
			cut, skip := breakAt(para, width)
			n++
			width = next
			para = para[cut+skip:]
			for len(para) > 0 && para[0] == ' ' {
				para = para[1:]
			}
		}
		n++
		width = next
	}
	return n
}

// WrapHanging is [Wrap] for a paragraph whose lines after the first are
// indented by indent spaces, which the width includes.
func WrapHanging(s string, width, indent int) []string {
	if width <= 0 {
		return []string{s}
	}
	lines := wrap(s, width, max(1, width-indent))
	for i := 1; i < len(lines); i++ {
		lines[i] = strings.Repeat(" ", indent) + lines[i]
	}
	return lines
}
