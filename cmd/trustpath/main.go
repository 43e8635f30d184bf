// Command trustpath finds attack paths through Kubernetes: it reads
// manifests into one typed graph of the estate and renders it.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"k8s.io/klog/v2"
)

func main() {
	// NOTE: client-go logs through klog straight to stderr (throttling
	// waits, retries); stderr carries trustpath's own lines only, which -q
	// can silence.
	klog.LogToStderr(false)
	klog.SetOutput(io.Discard)
	tuneGC()
	stopProfile := profileCPU()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// The first Ctrl-C stops live reads and output writes cleanly (no
	// half-written file); analyses do not poll, so a second one, with the
	// default handling back, ends the process at once.
	go func() {
		<-ctx.Done()
		stop()
	}()
	streams := IOStreams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr}
	err := newRootCommand(streams).ExecuteContext(ctx)
	stop()
	code := exitCode(streams.ErrOut, err)
	stopProfile()
	os.Exit(code)
}

// exitCode prints err once, the only place errors reach the user, and maps
// it to the documented exit code.
func exitCode(w io.Writer, err error) int {
	if err == nil {
		return ExitOK
	}
	if errors.Is(err, errNo) {
		return ExitNo // a clean "no" is an answer, already printed
	}
	printError(w, err)
	return ExitError
}

func printError(w io.Writer, err error) {
	fmt.Fprintf(w, "trustpath: error: %v\n", err)
	if h := (*hintError)(nil); errors.As(err, &h) {
		fmt.Fprintf(w, "trustpath: hint: %s\n", h.hint)
	}
}
