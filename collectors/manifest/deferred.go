package manifest

import (
	"bytes"
	"fmt"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	kjson "sigs.k8s.io/json"

	"github.com/trustpath/trustpath/collectors/estate"
)

// Deferred holds what was not decoded of the objects read in part (see
// Options.Deferred) until every input is read, when Complete decodes it
// for the objects no controller describes.
type Deferred struct {
	parts map[runtime.Object]deferredPart
}

// deferredPart is the metadata and spec of an object read in part, as
// compact JSON, and where the object was read.
type deferredPart struct {
	raw []byte
	src estate.Source
}

// NewDeferred returns an empty Deferred.
func NewDeferred() *Deferred {
	return &Deferred{parts: map[runtime.Object]deferredPart{}}
}

// Complete decodes the metadata and spec of each object of snap read in
// part that described does not report as described by its controller,
// then lets go of what it held. A spec that does not decode is reported as
// decoding the whole object would have reported it, and the object is
// dropped. Objects no longer in snap (replaced by an override) are passed
// over.
func (d *Deferred) Complete(snap *estate.Snapshot, described func(runtime.Object) bool) {
	if len(d.parts) == 0 {
		return
	}
	var broken []estate.Ref
	complete := func(obj runtime.Object, apiVersion, kind string) {
		part, ok := d.parts[obj]
		if !ok || described(obj) {
			return
		}
		// Decoded into the object, whose name and owners are read from
		// the same bytes already, an error names its field as decoding
		// the whole object names it. The snapshot gave the namespace,
		// and scrubs what it holds.
		m := obj.(metav1.Object)
		namespace := m.GetNamespace()
		err := kjson.UnmarshalCaseSensitivePreserveInts(part.raw, obj)
		m.SetNamespace(namespace)
		estate.Scrub(obj)
		if err != nil {
			snap.Report(&estate.Diagnostic{Severity: estate.Error, Source: part.src, Err: fmt.Errorf("decoding %s %s: %w", apiVersion, kind, err)})
			broken = append(broken, estate.Ref{Kind: kind, Namespace: namespace, Name: m.GetName()})
		}
	}
	for _, rs := range snap.ReplicaSets {
		complete(rs, "apps/v1", "ReplicaSet")
	}
	for _, j := range snap.Jobs {
		complete(j, "batch/v1", "Job")
	}
	for _, p := range snap.Pods {
		complete(p, "v1", "Pod")
	}
	for _, ref := range broken {
		snap.Remove(ref)
	}
	d.parts = map[runtime.Object]deferredPart{}
}

// readInPart returns a new object to read in part the object typed would
// decode as apiVersion and kind, which names ownAPIVersion and ownKind
// itself, or nil when it is not of a kind a controller may describe: a
// Pod, a ReplicaSet, a Job. Only the spellings such an object, or an item
// of a List of them, has qualify.
func readInPart(apiVersion, kind, ownAPIVersion, ownKind string) runtime.Object {
	if ownAPIVersion != apiVersion && ownAPIVersion != "" || ownKind != kind && ownKind != "" {
		return nil
	}
	switch {
	case apiVersion == "v1" && kind == "Pod":
		return &corev1.Pod{}
	case apiVersion == "apps/v1" && kind == "ReplicaSet":
		return &appsv1.ReplicaSet{}
	case apiVersion == "batch/v1" && kind == "Job":
		return &batchv1.Job{}
	}
	return nil
}

// described reads obj, the object h of data less cut (see lastApplied), in
// part when it names a controller: its name, namespace and owners and, of a
// Pod, spec.nodeName, which is all that grouping pods by template reads of
// an object its controller describes (see workload.Groups): a Pod of a
// ReplicaSet, a ReplicaSet of a Deployment, a Job of a CronJob. In a cluster
// dump such objects are most of the bytes, and decoding them most of the
// time. The metadata and spec are kept aside, compact, with the event, for
// Deferred.Complete to decode if the controller turns out not to be in the
// input. It returns false, having done nothing, when the object names no
// controller or the scan cannot be sure sigs.k8s.io/json would read the
// parts as it does: the object is then decoded whole.
//
// The parts not read are not checked: an object a controller describes is
// read for its name, owner and node, whatever the rest of it holds.
func (d *decoder) described(data []byte, h *head, cut span, obj runtime.Object, apiVersion, kind, ownAPIVersion, ownKind string, src estate.Source) bool {
	if h.loose || !h.metadata.found() || data[h.metadata.start] != '{' {
		return false
	}
	// What Complete decodes: {"metadata":…,"spec":…}, without the
	// last-applied annotation, as decoding the whole object reads them.
	d.buf = append(d.buf[:0], `{"metadata":`...)
	meta := span{start: len(d.buf)}
	d.buf = compactWithout(d.buf, data[h.metadata.start:h.metadata.end], within(cut, h.metadata))
	meta.end = len(d.buf)
	var spec span
	if h.spec.found() && data[h.spec.start] != 'n' { // a spec that is null is none
		if data[h.spec.start] != '{' {
			return false
		}
		d.buf = append(d.buf, `,"spec":`...)
		spec.start = len(d.buf)
		d.buf = compact(d.buf, data[h.spec.start:h.spec.end])
		spec.end = len(d.buf)
	}
	d.buf = append(d.buf, '}')

	var m owners
	if kjson.UnmarshalCaseSensitivePreserveInts(d.buf[meta.start:meta.end], &m) != nil {
		return false
	}
	o := obj.(metav1.Object)
	o.SetName(m.Name)
	o.SetNamespace(m.Namespace)
	o.SetOwnerReferences(m.OwnerReferences)
	if metav1.GetControllerOfNoCopy(o) == nil {
		return false
	}
	if pod, ok := obj.(*corev1.Pod); ok && spec.found() {
		node, plainly := nodeName(d.buf[spec.start:spec.end])
		if !plainly {
			return false
		}
		pod.Spec.NodeName = node
	}
	obj.GetObjectKind().SetGroupVersionKind(schema.FromAPIVersionAndKind(ownAPIVersion, ownKind))
	d.events = append(d.events, event{what: addObject, obj: obj, part: bytes.Clone(d.buf), src: src, apiVersion: apiVersion, kind: kind})
	return true
}

// owners is what is read of the metadata of an object read in part, under
// the names and tags metav1.ObjectMeta gives it: sigs.k8s.io/json passes
// over the rest, labels and annotations, without building them.
type owners struct {
	Name            string                  `json:"name,omitempty"`
	Namespace       string                  `json:"namespace,omitempty"`
	OwnerReferences []metav1.OwnerReference `json:"ownerReferences,omitempty"`
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
