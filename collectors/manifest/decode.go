package manifest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/kubernetes/scheme"
	kjson "sigs.k8s.io/json"

	"github.com/trustpath/trustpath/collectors/estate"
)

// decoder reads the documents of one input into events. It does not touch
// the snapshot: apply adds the events to it in order, so inputs can be
// decoded concurrently and still be added as if read one after another.
type decoder struct {
	events []event
	scan   scanned // the value being decoded, reused between values
	buf    []byte  // an object without whitespace, reused between objects
	yaml   []byte  // an item of a YAML List under its key, reused between items
	// workers is how many goroutines may decode the items of one List
	// or the documents of one YAML stream.
	workers int
	// inPart reads a Pod, ReplicaSet or Job that names a controller in
	// part (see described), for Options.Deferred.
	inPart bool
}

// fork returns a decoder with d's settings and no events, for a share of
// d's work.
func (d *decoder) fork() decoder {
	return decoder{workers: d.workers, inPart: d.inPart}
}

// stream decodes a whole input: JSON values one after another, or
// multi-document YAML. It stops early, leaving the events incomplete, when
// ctx is done.
func (d *decoder) stream(ctx context.Context, data []byte, file string) {
	if i := skipWS(data, 0); i < len(data) && (data[i] == '{' || data[i] == '[') {
		if d.jsonStream(ctx, data, file) {
			return
		}
		// The first value is not JSON. It may be YAML's flow style
		// ({kind: Pod, …}); if it does not parse as YAML either, it is
		// broken JSON, reported as such.
		if json.Valid(firstValue(data[i:])) || !yamlStart(data) {
			d.slowJSON(data, 0, 1, file, &lines{data: data})
			return
		}
	}
	d.yamlStream(ctx, data, file)
}

// firstValue returns the first JSON value of data, or data when it holds
// none that parses, so a stream is read as JSON only when it starts as JSON.
func firstValue(data []byte) []byte {
	var raw json.RawMessage
	if err := json.NewDecoder(bytes.NewReader(data)).Decode(&raw); err != nil {
		return data
	}
	return raw
}

// typeHead is what encoding/json reads of an object before it is decoded in
// full, on the slow path (see object).
type typeHead struct {
	APIVersion string          `json:"apiVersion"`
	Kind       string          `json:"kind"`
	Items      json.RawMessage `json:"items"`
	Gaps       []estate.Gap    `json:"trustpathGaps"` // see GapsField
}

// errNoKind is reported for an object that names no apiVersion and kind.
var errNoKind = errors.New("document has no apiVersion and kind; is it a Kubernetes manifest?")

// object decodes one JSON value into events with encoding/json: the slow
// path, which reads the value several times, taken for what the scanned
// path (scannedObject) leaves to it: values that are not objects, and
// objects whose fields encoding/json might read otherwise than the scan.
// def, when not nil, is the apiVersion and kind to assume when the object
// names none (the items of a typed list from the API carry no kind of their
// own).
func (d *decoder) object(raw []byte, src estate.Source, def *schema.GroupVersionKind) {
	if bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		return
	}
	var head typeHead
	if err := json.Unmarshal(raw, &head); err != nil {
		d.fail(src, fmt.Errorf("document is not an object: %w", err))
		return
	}
	own := head
	if head.Kind == "" && def != nil {
		head.APIVersion, head.Kind = def.GroupVersion().String(), def.Kind
	}
	if head.Kind == "" || head.APIVersion == "" {
		d.fail(src, errNoKind)
		return
	}
	if strings.HasSuffix(head.Kind, "List") && head.Items != nil {
		d.addGaps(head.Gaps)
		d.items(head.Items, src, itemKind(head.APIVersion, head.Kind))
		return
	}
	d.typed(raw, -1, span{}, head.APIVersion, head.Kind, own.APIVersion, own.Kind, src)
}

// itemKind is the apiVersion and kind the items of a List of the given
// apiVersion and kind have when they name none: nil for a generic List,
// whose items each name their own.
func itemKind(apiVersion, kind string) *schema.GroupVersionKind {
	if kind == "List" {
		return nil
	}
	def := &schema.GroupVersionKind{Kind: strings.TrimSuffix(kind, "List")}
	if gv, err := schema.ParseGroupVersion(apiVersion); err == nil {
		def.Group, def.Version = gv.Group, gv.Version
	}
	return def
}

// items decodes the elements of a List (or a top-level JSON array) on the
// slow path.
func (d *decoder) items(raw []byte, src estate.Source, def *schema.GroupVersionKind) {
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		d.fail(src, fmt.Errorf("list items are not an array: %w", err))
		return
	}
	for i, item := range items {
		s := src
		s.Item = i + 1
		d.object(item, s, def)
	}
}

// typed decodes the object raw, which has keys keys (-1 if not counted
// yet), leaving out cut (see lastApplied), into the type the scheme
// registers for its kind. apiVersion and kind are what the object is taken
// to be; ownAPIVersion and ownKind what it names itself, if anything. This is what apimachinery's JSON serializer
// does (Interpret, then gvkWithDefaults, then
// UnmarshalCaseSensitivePreserveInts), without reading the object twice
// more to find its kind.
func (d *decoder) typed(raw []byte, keys int, cut span, apiVersion, kind, ownAPIVersion, ownKind string, src estate.Source) {
	if keys < 0 {
		keys = countKeys(raw)
	}
	if keys > MaxObjectKeys {
		d.fail(src, fmt.Errorf("%s %s: %w", apiVersion, kind, ErrTooManyKeys))
		return
	}
	gv, err := schema.ParseGroupVersion(ownAPIVersion)
	if err != nil {
		d.fail(src, fmt.Errorf("decoding %s %s: %w", apiVersion, kind, err))
		return
	}
	gvk := gvkWithDefaults(gv.WithKind(ownKind), schema.FromAPIVersionAndKind(apiVersion, kind))
	if gvk.Version == "" {
		// apimachinery's own error would quote the whole object, values
		// of a Secret included.
		d.fail(src, fmt.Errorf("decoding %s %s: apiVersion names no version", apiVersion, kind))
		return
	}
	obj, err := scheme.Scheme.New(gvk)
	switch {
	case runtime.IsNotRegisteredError(err):
		d.skip(apiVersion, kind, src)
		return
	case err != nil:
		d.fail(src, fmt.Errorf("decoding %s %s: %w", apiVersion, kind, err))
		return
	}
	// Decoders must copy what they keep of their input (json.Unmarshaler),
	// so the buffer can be reused.
	d.buf = compactWithout(d.buf[:0], raw, cut)
	if err := kjson.UnmarshalCaseSensitivePreserveInts(d.buf, obj); err != nil {
		d.fail(src, fmt.Errorf("decoding %s %s: %w", apiVersion, kind, err))
		return
	}
	d.events = append(d.events, event{what: addObject, obj: obj, src: src, apiVersion: apiVersion, kind: kind})
}

// gvkWithDefaults fills what the object does not name from what it is
// taken to be, as apimachinery's JSON serializer does (same name there).
func gvkWithDefaults(actual, def schema.GroupVersionKind) schema.GroupVersionKind {
	if actual.Kind == "" {
		actual.Kind = def.Kind
	}
	if actual.Version == "" && actual.Group == "" {
		actual.Group, actual.Version = def.Group, def.Version
	}
	if actual.Version == "" && actual.Group == def.Group {
		actual.Version = def.Version
	}
	return actual
}

func (d *decoder) fail(src estate.Source, err error) {
	d.events = append(d.events, event{what: report, diag: &estate.Diagnostic{Severity: estate.Error, Source: src, Err: err}})
}

func (d *decoder) skip(apiVersion, kind string, src estate.Source) {
	d.events = append(d.events, event{what: skipKind, src: src, apiVersion: apiVersion, kind: kind})
}

func (d *decoder) addGaps(gaps []estate.Gap) {
	if len(gaps) > 0 {
		d.events = append(d.events, event{what: addGaps, gaps: gaps})
	}
}
