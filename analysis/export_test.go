package analysis

import (
	"fmt"

	"github.com/trustpath/trustpath/graph"
)

// Tally is countFindings for the external tests: the number of
// findings and each cause as "severity findings control", in order.
func Tally(g *graph.Graph, o Options) (int, []string) {
	t := countFindings(g, o, nil)
	var causes []string
	for _, c := range t.causes {
		causes = append(causes, fmt.Sprintf("%s %d %s", c.severity, c.findings, c.control))
	}
	return t.findings, causes
}
