package analysis

// Change is how findings differ between two analyses: after a proposed
// fix, or between two versions of an estate.
type Change struct {
	Closed []*Finding // in before only
	Remain []*Finding // in both (as in after)
	Opened []*Finding // in after only
}

// Compare matches findings by ID. Both lists keep their order.
func Compare(before, after *Result) Change {
	inAfter := map[string]bool{}
	for _, f := range after.Findings {
		inAfter[f.ID()] = true
	}
	inBefore := map[string]bool{}
	var c Change
	for _, f := range before.Findings {
		inBefore[f.ID()] = true
		if !inAfter[f.ID()] {
			c.Closed = append(c.Closed, f)
		}
	}
	for _, f := range after.Findings {
		if inBefore[f.ID()] {
			c.Remain = append(c.Remain, f)
		} else {
			c.Opened = append(c.Opened, f)
		}
	}
	return c
}
