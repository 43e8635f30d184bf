package table

import "slices"

// wordCap bounds the narrowest a column is made for the sake of its longest
// word: a column of keys may wrap a key after a '/' rather than starve the
// others.
const wordCap = 16

// maxSample bounds the rows fit measures: a table of a million edges is
// laid out from an even sample of them.
const maxSample = 500

// fit returns widths for the shown columns that add up to width at most,
// given that they need natural to print unwrapped.
//
// Each column gets at least a floor: its header's longest word, and its
// content's longest word up to wordCap. What the floors leave is shared in
// proportion to each column's total content, no column getting more than
// it needs to print unwrapped; then width moves between columns while that lowers the number
// of lines the table takes. When the floors alone are too wide, the
// widest columns are narrowed.
func (t *Table) fit(shown, natural []int, width int) []int {
	avail := width - Gap*(len(shown)-1)
	widths := slices.Clone(natural)
	floor := make([]int, len(natural))
	weight := make([]int, len(natural))
	for _, c := range shown {
		word := 0
		for _, r := range t.rows {
			weight[c] += runeWidth(r[c])
			word = max(word, longestWord(r[c]))
		}
		floor[c] = min(natural[c], max(longestWord(t.header[c]), min(word, wordCap)), max(avail, 1))
	}
	sum := 0
	for _, c := range shown {
		widths[c] = floor[c]
		sum += floor[c]
	}
	if sum >= avail {
		for sum > avail {
			widest := shown[0]
			for _, c := range shown {
				if widths[c] > widths[widest] {
					widest = c
				}
			}
			if widths[widest] == 1 {
				break
			}
			widths[widest]--
			sum--
		}
		return widths
	}
	share(shown, widths, natural, weight, avail)
	t.balance(shown, widths, floor, natural)
	return widths
}

// share widens the shown columns from their floors (the widths they hold)
// to fill avail: what the floors leave is shared in proportion to weight,
// no column getting more than its natural width.
func share(shown, widths, natural, weight []int, avail int) {
	extra := avail
	for _, c := range shown {
		extra -= widths[c]
	}
	free := slices.DeleteFunc(slices.Clone(shown), func(c int) bool { return widths[c] >= natural[c] })
	for len(free) > 0 && extra > 0 {
		total := 0
		for _, c := range free {
			total += weight[c]
		}
		add := func(c int) int {
			if total == 0 {
				return extra / len(free)
			}
			return extra * weight[c] / total
		}
		// Columns the share would take past their natural width get
		// just that; the rest is shared again among the others.
		capped := slices.DeleteFunc(slices.Clone(free), func(c int) bool { return widths[c]+add(c) < natural[c] })
		if len(capped) > 0 {
			for _, c := range capped {
				extra -= natural[c] - widths[c]
				widths[c] = natural[c]
			}
			free = slices.DeleteFunc(free, func(c int) bool { return slices.Contains(capped, c) })
			continue
		}
		left := extra
		for _, c := range free {
			widths[c] += add(c)
			left -= add(c)
		}
		// Integer shares round down: hand out what is left, one column
		// each, to the columns short of the most.
		slices.SortStableFunc(free, func(a, b int) int { return (natural[b] - widths[b]) - (natural[a] - widths[a]) })
		for i := 0; left > 0 && i < len(free); i++ {
			widths[free[i]]++
			left--
		}
		return
	}
}

// balance moves width from one column to another, a few columns at a
// time, while that lowers the number of lines the table takes (measured on
// a sample of rows): a share by content is a good start but cannot see
// that two more columns would keep every key of a column on one line.
func (t *Table) balance(shown, widths, floor, natural []int) {
	rows := [][]string{t.header}
	step := max(1, len(t.rows)/maxSample)
	for i := 0; i < len(t.rows); i += step {
		rows = append(rows, t.rows[i])
	}
	runes := make([][][]rune, len(rows))
	for i, r := range rows {
		runes[i] = make([][]rune, len(r))
		for _, c := range shown {
			runes[i][c] = []rune(r[c])
		}
	}
	type key struct{ col, width int }
	cache := map[key][]int{}
	lines := func(c, w int) []int {
		if n, ok := cache[key{c, w}]; ok {
			return n
		}
		n := make([]int, len(rows))
		for i := range rows {
			if c == shown[0] {
				n[i] = countLines(runes[i][c], w, hangWidth(w))
			} else {
				n[i] = countLines(runes[i][c], w, w)
			}
		}
		cache[key{c, w}] = n
		return n
	}
	height := func() int {
		total := 0
		for i := range rows {
			h := 0
			for _, c := range shown {
				h = max(h, lines(c, widths[c])[i])
			}
			total += h
		}
		return total
	}
	const maxMove = 8
	best := height()
	for range 100 { // each pass lowers the height; bounded all the same
		from, to, by := -1, -1, 0
		for _, a := range shown {
			for _, b := range shown {
				for d := 1; a != b && d <= maxMove && widths[a]-d >= floor[a] && widths[b]+d <= natural[b]; d++ {
					widths[a] -= d
					widths[b] += d
					if h := height(); h < best {
						best, from, to, by = h, a, b, d
					}
					widths[a] += d
					widths[b] -= d
				}
			}
		}
		if from < 0 {
			return
		}
		widths[from] -= by
		widths[to] += by
	}
}
