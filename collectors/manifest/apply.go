package manifest

import (
	"fmt"

	"k8s.io/apimachinery/pkg/runtime"

	"github.com/trustpath/trustpath/collectors/estate"
)

// eventKind is what an event does to the snapshot.
type eventKind uint8

const (
	addObject eventKind = iota // add obj, read at src as apiVersion and kind
	report                     // report diag
	skipKind                   // count a document of a kind not registered
	addGaps                    // add gaps, read from a List written by WriteList
)

// event is one change decoding makes to a snapshot, kept until the events
// of the inputs before it are applied.
type event struct {
	what             eventKind
	obj              runtime.Object
	diag             *estate.Diagnostic
	gaps             []estate.Gap
	src              estate.Source
	apiVersion, kind string
	part             []byte // what Deferred keeps of an object read in part
}

// apply makes the changes events describe to snap, in order: the order
// decides which of two duplicates is kept and in what order diagnostics
// are reported.
func apply(events []event, snap *estate.Snapshot, o Options) {
	for i := range events {
		e := &events[i]
		switch e.what {
		case addObject:
			if !snap.Add(e.obj, e.src, o.DefaultNamespace) { // Add scrubs Secret values
				skip(snap, e.apiVersion, e.kind, e.src)
			}
			if e.part != nil {
				o.Deferred.parts[e.obj] = deferredPart{raw: e.part, src: e.src}
			}
		case report:
			snap.Report(e.diag)
		case skipKind:
			skip(snap, e.apiVersion, e.kind, e.src)
		case addGaps:
			snap.Gaps = append(snap.Gaps, e.gaps...)
		}
		*e = event{} // the snapshot holds what it keeps; let go of the rest
	}
}

// skip counts a document of a kind trustpath does not read.
func skip(snap *estate.Snapshot, apiVersion, kind string, src estate.Source) {
	snap.Skipped[apiVersion+"/"+kind]++
	if estate.Analysed(kind) {
		// A kind trustpath reads, in an API version it does not (such as
		// extensions/v1beta1 Ingress or apps/v1beta2 Deployment, no longer
		// served): losing it silently would lose its paths.
		snap.Report(&estate.Diagnostic{Severity: estate.Warning, Source: src,
			Err: fmt.Errorf("%s %s is in an API version trustpath does not read (current Kubernetes does not serve it either); skipped it: convert it to the current version", apiVersion, kind)})
	}
}
