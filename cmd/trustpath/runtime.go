package main

// How the Go runtime is set up for trustpath: the collector and profiling.

import (
	"fmt"
	"os"
	"runtime/debug"
	"runtime/pprof"
)

// Memory the collector aims to stay under, and how much garbage it lets
// pile up below that, unless GOMEMLIMIT or GOGC say otherwise.
//
// trustpath builds one large graph and keeps it: the live heap only grows
// while an estate loads, so the default collector (a cycle each time the
// heap doubles) spends much of a large run rescanning what stays live. A
// higher GOGC scans less often; the soft limit makes the collector work
// harder only as the heap nears it: a 50,000-pod estate is reported in
// 1.8 GiB (against 2.3 GiB with Go's defaults, and 6 s sooner than under a
// tighter limit). It is soft: a larger estate still runs, with more
// collection.
const (
	defaultGCPercent   = 300
	defaultMemoryLimit = 1792 << 20
)

func tuneGC() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(defaultGCPercent)
	}
	if _, set := os.LookupEnv("GOMEMLIMIT"); !set {
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
}

// profileCPU writes a CPU profile of the run to the file named by
// TRUSTPATH_CPUPROFILE, for go tool pprof (BENCHMARKS.md), until stop.
func profileCPU() (stop func()) {
	path := os.Getenv("TRUSTPATH_CPUPROFILE")
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err != nil {
		fmt.Fprintf(os.Stderr, "trustpath: TRUSTPATH_CPUPROFILE: %v\n", err)
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		fmt.Fprintf(os.Stderr, "trustpath: TRUSTPATH_CPUPROFILE: %v\n", err)
		f.Close()
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}
