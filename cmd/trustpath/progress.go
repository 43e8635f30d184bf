package main

import (
	"fmt"
	"io"
	"os"

	"github.com/trustpath/trustpath/collectors/cluster"
)

// progress redraws one status line on stderr while clusters are read, only
// when stderr is a terminal and not silenced: a log or a pipe gets the
// summary alone.
type progress struct {
	w     io.Writer // nil: print nothing
	shown bool
}

func newProgress(w io.Writer, log logger) *progress {
	if !log.V(0) || !isTerminal(w) {
		return &progress{}
	}
	return &progress{w: w}
}

func (p *progress) update(c cluster.Progress) {
	if p.w == nil {
		return
	}
	p.shown = true
	fmt.Fprintf(p.w, "\r\033[Ktrustpath: reading cluster %s: %d/%d kinds, %d objects", c.Cluster, c.Done, c.Total, c.Objects)
}

// done clears the line, so the summary that follows starts clean.
func (p *progress) done() {
	if p.shown {
		fmt.Fprint(p.w, "\r\033[K")
	}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
