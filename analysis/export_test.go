package analysis

import (
	"fmt"
	"slices"

	"github.com/trustpath/trustpath/graph"
)

// Tally is countFindings for the external tests: the number of
// findings and each cause as "severity findings control", in order.
func Tally(g *graph.Graph, o Options) (int, []string) {
	return tallied(countFindings(g, o, nil, nil, nil))
}

// TallyFrom is Tally reusing base, an analysis of g, as Fixes does; reused
// says whether the re-analysis could reuse it at all.
func TallyFrom(g *graph.Graph, base *Result, o Options) (n int, causes []string, reused bool) {
	reused = newAnalysis(g, o, base.base).reuse != nil
	n, causes = tallied(countFindings(g, o, nil, base.base, nil))
	return n, causes, reused
}

// TallyChained tallies next reusing a count of first, which reuses base:
// as the rounds of Fixes chain.
func TallyChained(g *graph.Graph, base *Result, first, next Options) (int, []string) {
	t := countFindings(g, first, nil, base.base, nil)
	return tallied(countFindings(g, next, nil, t.base, nil))
}

func tallied(t tally) (int, []string) {
	var causes []string
	for _, c := range t.causes {
		causes = append(causes, fmt.Sprintf("%s %d %s", c.severity, c.findings, c.control))
	}
	return t.findings, causes
}

// SortFindings sorts fs as Analyze does, and a copy as sortFindingsSlow
// does, for graphs too large to pack IDs.
func SortFindings(fs []*Finding) (packed, slow []*Finding) {
	packed, slow = slices.Clone(fs), slices.Clone(fs)
	sortFindings(packed)
	sortFindingsSlow(slow)
	return packed, slow
}
