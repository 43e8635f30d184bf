package manifest

import "fmt"

// The limits below keep hostile or runaway input from exhausting memory;
// the error that reports one names it. A kubectl JSON dump of a
// 50,000-pod cluster fits within them all.

// MaxInputBytes caps one input file or stream. It fits a kubectl dump of a
// 50,000-pod cluster and stops a runaway input before it exhausts memory.
const MaxInputBytes = 512 << 20

// ErrTooLarge is returned for an input over MaxInputBytes.
var ErrTooLarge = fmt.Errorf("input is larger than the %d MiB limit", MaxInputBytes>>20)

// MaxDepth caps how deeply the arrays and objects of a JSON value nest; it
// is the limit encoding/json and sigs.k8s.io/json, which the API server
// uses, enforce themselves.
const MaxDepth = 10000

// MaxObjectKeys caps the keys of one object, counted at every depth: each
// item of a List counts separately, so a dump of any size stays within it.
// The API server stores no object over 1.5 MiB, and no such object holds a
// quarter of a million keys; an input that does is hostile, and decoding it
// would only exhaust memory.
const MaxObjectKeys = 250_000

// ErrTooDeep is reported for a JSON value nested deeper than MaxDepth.
var ErrTooDeep = fmt.Errorf("nesting is deeper than the %d-level limit", MaxDepth)

// ErrTooManyKeys is reported for an object with more keys than MaxObjectKeys.
var ErrTooManyKeys = fmt.Errorf("object has more keys than the %d-key limit", MaxObjectKeys)

// MaxYAMLKeys caps the keys of one YAML document, or of one item of a
// YAML List, estimated before it is parsed as its colons and commas.
// go-yaml holds a document's whole tree while converting it, at several
// hundred bytes a key, so a document over this would take gigabytes. A
// List, as kubectl get -o yaml prints it, is one document of any size: it
// is cut into its items before it is parsed, and the limit applies to each
// item (see splitList).
const MaxYAMLKeys = 1 << 19

// ErrYAMLTooManyKeys is reported for a YAML document or List item over
// MaxYAMLKeys.
var ErrYAMLTooManyKeys = fmt.Errorf("YAML document or List item has more keys than the %d-key limit", MaxYAMLKeys)
