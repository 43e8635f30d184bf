package main

import "errors"

// Exit codes, the same for every command (DESIGN.md, "Keys and command
// contracts").
const (
	// ExitOK is success, or "yes" for a question.
	ExitOK = 0
	// ExitNo is a clean "no": not reachable, not allowed, or findings at or
	// above --fail-on.
	ExitNo = 1
	// ExitError is a usage or input error.
	ExitError = 2
)

// errNo is returned by a command whose answer is "no"; the answer itself
// has been printed on stdout.
var errNo = errors.New("no")

// hintError carries a line telling the user what to do next.
type hintError struct {
	err  error
	hint string
}

func (e *hintError) Error() string { return e.err.Error() }
func (e *hintError) Unwrap() error { return e.err }

func withHint(err error, hint string) error { return &hintError{err, hint} }
