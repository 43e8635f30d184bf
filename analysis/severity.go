package analysis

// Severity grades a finding.
type Severity int

// Severities, lowest first.
const (
	Low Severity = iota + 1
	Medium
	High
	Critical
)

var severityNames = map[Severity]string{Low: "low", Medium: "medium", High: "high", Critical: "critical"}

func (s Severity) String() string { return severityNames[s] }

// ParseSeverity reads "low", "medium", "high" or "critical".
func ParseSeverity(s string) (Severity, bool) {
	for k, v := range severityNames {
		if v == s {
			return k, true
		}
	}
	return 0, false
}

// ease grades how cheap a path is, 1 to 3, from its cost (the technique
// table's effort): a few steps of using what Kubernetes hands over are
// easy; a path that needs exploits or many steps is harder.
//
//	cost ≤ 4   3 (easy)
//	cost ≤ 8   2
//	otherwise  1 (hard)
func ease(cost float64) int {
	switch {
	case cost <= 4:
		return 3
	case cost <= 8:
		return 2
	}
	return 1
}

// severityOf is impact × ease, graded:
//
//	score ≥ 12  critical   (e.g. cluster-admin or a crown jewel, easily)
//	score ≥ 8   high       (e.g. a node, easily; cluster-admin with effort)
//	score ≥ 4   medium     (e.g. a secret with some effort)
//	otherwise   low
func severityOf(impact Impact, cost float64) (Severity, int) {
	score := int(impact) * ease(cost)
	switch {
	case score >= 12:
		return Critical, score
	case score >= 8:
		return High, score
	case score >= 4:
		return Medium, score
	}
	return Low, score
}
