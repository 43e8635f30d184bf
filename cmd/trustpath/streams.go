package main

import (
	"fmt"
	"io"
)

// IOStreams are where a command reads and writes: stdout carries results
// only, stderr carries status and diagnostics.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
}

// logger prints status lines on stderr: level 0 unless quiet, higher levels
// only with -v.
type logger struct {
	w         io.Writer
	verbosity int
	quiet     bool
}

func (l logger) V(level int) bool { return !l.quiet && level <= l.verbosity }

func (l logger) Printf(level int, format string, args ...any) {
	if l.V(level) {
		fmt.Fprintf(l.w, "trustpath: "+format+"\n", args...)
	}
}
