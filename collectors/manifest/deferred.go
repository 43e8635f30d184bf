package manifest

import (
	"bytes"
	"fmt"
	"slices"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	kjson "sigs.k8s.io/json"

	"github.com/trustpath/trustpath/collectors/estate"
)

// Deferred holds the specs of the Pods read in part (see
// Options.Deferred) until every input is read, when Complete decodes the
// ones no controller describes.
type Deferred struct {
	specs map[*corev1.Pod]deferredSpec
}

// deferredSpec is the spec of a Pod read in part, as compact JSON, and
// where the Pod was read.
type deferredSpec struct {
	raw []byte
	src estate.Source
}

// NewDeferred returns an empty Deferred.
func NewDeferred() *Deferred {
	return &Deferred{specs: map[*corev1.Pod]deferredSpec{}}
}

// Complete decodes the spec of each Pod of snap read in part that
// described does not report as described by its controller's template,
// then lets go of the specs it held. A spec that does not decode is
// reported as decoding the whole Pod would have reported it, and the Pod
// is dropped. Pods that are no longer in snap (replaced by an override)
// are passed over.
func (d *Deferred) Complete(snap *estate.Snapshot, described func(*corev1.Pod) bool) {
	if len(d.specs) == 0 {
		return
	}
	var buf []byte
	var broken []*corev1.Pod
	for _, p := range snap.Pods {
		spec, ok := d.specs[p]
		if !ok || described(p) {
			continue
		}
		// Decoded as the spec of a Pod, an error names its field as
		// decoding the whole Pod names it (Pod.spec.containers).
		buf = append(append(append(buf[:0], `{"spec":`...), spec.raw...), '}')
		var whole corev1.Pod
		if err := kjson.UnmarshalCaseSensitivePreserveInts(buf, &whole); err != nil {
			snap.Report(&estate.Diagnostic{Severity: estate.Error, Source: spec.src, Err: fmt.Errorf("decoding v1 Pod: %w", err)})
			broken = append(broken, p)
			continue
		}
		p.Spec = whole.Spec
	}
	for _, p := range broken {
		snap.Pods = slices.DeleteFunc(snap.Pods, func(q *corev1.Pod) bool { return q == p })
		delete(snap.Sources, estate.Ref{Kind: "Pod", Namespace: p.Namespace, Name: p.Name})
	}
	d.specs = map[*corev1.Pod]deferredSpec{}
}

// isPod reports whether typed would decode an object taken to be of
// apiVersion and kind, which names ownAPIVersion and ownKind itself, as a
// v1 Pod. Only the spellings a Pod or an item of a PodList has qualify.
func isPod(apiVersion, kind, ownAPIVersion, ownKind string) bool {
	return apiVersion == "v1" && kind == "Pod" && (ownAPIVersion == "v1" || ownAPIVersion == "") &&
		(ownKind == "Pod" || ownKind == "")
}

// describedPod reads the Pod h of data in part when it names a
// controller: its metadata and spec.nodeName, which is all that grouping
// pods by template reads of a pod whose controller's template describes it
// (see workload.Groups). In a cluster dump such pods are most of the
// bytes, and decoding their specs and statuses most of the time. The rest
// of the spec is kept aside, compact, with the event, for Deferred.Complete
// to decode if the controller turns out not to be in the input. It returns
// false, having done nothing, when the Pod names no controller or the scan
// cannot be sure sigs.k8s.io/json would read the parts as it does: the Pod
// is then decoded whole.
//
// The parts not read are not checked: a Pod a controller describes is read
// for its name, labels, owner and node, whatever the rest of it holds.
func (d *decoder) describedPod(data []byte, h *head, ownAPIVersion, ownKind string, src estate.Source) bool {
	if h.loose || !h.metadata.found() || data[h.metadata.start] != '{' {
		return false
	}
	pod := &corev1.Pod{TypeMeta: metav1.TypeMeta{APIVersion: ownAPIVersion, Kind: ownKind}}
	d.buf = compactWithout(d.buf[:0], data[h.metadata.start:h.metadata.end], within(lastApplied(data, h), h.metadata))
	if kjson.UnmarshalCaseSensitivePreserveInts(d.buf, &pod.ObjectMeta) != nil {
		return false
	}
	if metav1.GetControllerOfNoCopy(&pod.ObjectMeta) == nil {
		return false
	}
	var spec []byte
	if h.spec.found() && data[h.spec.start] != 'n' { // a spec that is null is none
		if data[h.spec.start] != '{' {
			return false
		}
		d.buf = compact(d.buf[:0], data[h.spec.start:h.spec.end])
		node, ok := nodeName(d.buf)
		if !ok {
			return false
		}
		pod.Spec.NodeName = node
		spec = bytes.Clone(d.buf)
	}
	d.events = append(d.events, event{what: addObject, obj: pod, spec: spec, src: src, apiVersion: "v1", kind: "Pod"})
	return true
}

// nodeName returns the nodeName field of spec, a valid JSON object, and
// false when sigs.k8s.io/json might read it otherwise than plainly: a key
// that is escaped or names nodeName in another case or twice, or a value
// that is neither a plain string nor null.
func nodeName(spec []byte) (string, bool) {
	var name string
	seen, plainly := false, true
	members(spec, 0, func(m member) bool {
		key := m.name(spec)
		switch {
		case bytes.IndexByte(key, '\\') >= 0:
			plainly = false
		case foldEqual(key, "nodeName"):
			if seen || string(key) != "nodeName" {
				plainly = false
				break
			}
			seen = true
			if spec[m.value.start] != 'n' { // null leaves it empty
				name, plainly = plainString(spec, m.value)
			}
		}
		return plainly
	})
	return name, plainly
}
