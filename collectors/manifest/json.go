package manifest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/trustpath/trustpath/collectors/estate"
)

// jsonStream decodes concatenated JSON values; a top-level array is read as
// a list of objects. Each value is scanned once (see scanner), then each
// object in it is decoded straight into its type. It returns false, having
// decoded nothing, when the first value is not JSON.
func (d *decoder) jsonStream(ctx context.Context, data []byte, file string) bool {
	at := lines{data: data}
	s := scanner{data: data}
	for index, i := 1, skipWS(data, 0); i < len(data) && ctx.Err() == nil; index, i = index+1, skipWS(data, i) {
		if c := data[i]; c != '{' && c != '[' {
			// A scalar, or no JSON at all: encoding/json reads or reports it.
			d.slowJSON(data, i, index, file, &at)
			return true
		}
		end := s.document(i, &d.scan)
		switch {
		case errors.Is(s.err, ErrTooDeep):
			d.fail(estate.Source{File: file, Line: at.line(s.at), Document: index}, fmt.Errorf("invalid JSON: %w", ErrTooDeep))
			return true
		case end < 0 && index == 1:
			return false
		case end < 0:
			// encoding/json says what is wrong, in its own words.
			d.slowJSON(data, i, index, file, &at)
			return true
		}
		src := estate.Source{File: file, Line: at.line(i), Document: index}
		if d.scan.object {
			d.scannedObject(ctx, data, &d.scan.head, d.scan.elems, src, nil)
		} else {
			d.elements(ctx, data, d.scan.elems, src, nil)
		}
		i = end
	}
	return true
}

// slowJSON decodes the values of data from offset from on, the first being
// the index-th of the stream, with encoding/json: for scalars, which are
// not manifests, and to report a syntax error as encoding/json words it.
func (d *decoder) slowJSON(data []byte, from, index int, file string, at *lines) {
	dec := json.NewDecoder(bytes.NewReader(data[from:]))
	for ; ; index++ {
		offset := from + int(dec.InputOffset())
		var raw json.RawMessage
		err := dec.Decode(&raw)
		if errors.Is(err, io.EOF) {
			return
		}
		src := estate.Source{File: file, Line: at.line(skipWS(data, offset)), Document: index}
		if err != nil {
			var se *json.SyntaxError
			if errors.As(err, &se) {
				src.Line = at.line(from + int(se.Offset))
			}
			d.fail(src, fmt.Errorf("invalid JSON: %w", err))
			return // a JSON stream cannot be resynchronised after a syntax error
		}
		if len(raw) > 0 && raw[0] == '[' {
			d.items(raw, src, nil)
			continue
		}
		d.object(raw, src, nil)
	}
}

// jsonDocument decodes raw, the JSON of one YAML document.
func (d *decoder) jsonDocument(ctx context.Context, raw []byte, src estate.Source) {
	i := skipWS(raw, 0)
	if i == len(raw) || raw[i] != '{' {
		d.object(raw, src, nil) // null, or not an object: reported as such
		return
	}
	s := scanner{data: raw}
	switch end := s.document(i, &d.scan); {
	case errors.Is(s.err, ErrTooDeep):
		d.fail(src, ErrTooDeep)
	case end < 0:
		d.object(raw, src, nil)
	default:
		d.scannedObject(ctx, raw, &d.scan.head, d.scan.elems, src, nil)
	}
}

// scannedObject decodes the scanned value h of data. elems are the heads
// of the elements of its items field, when they were scanned; def is as
// for object. Whatever the scan cannot be sure encoding/json would read the
// same way takes the slow path.
func (d *decoder) scannedObject(ctx context.Context, data []byte, h *head, elems []head, src estate.Source, def *schema.GroupVersionKind) {
	raw := data[h.value.start:h.value.end]
	if !h.object || h.odd {
		d.object(raw, src, def)
		return
	}
	ownAPIVersion, ok1 := plainString(data, h.apiVersion)
	ownKind, ok2 := plainString(data, h.kind)
	if !ok1 || !ok2 {
		d.object(raw, src, def)
		return
	}
	var gaps []estate.Gap
	if h.gaps.found() {
		if err := json.Unmarshal(data[h.gaps.start:h.gaps.end], &gaps); err != nil {
			d.object(raw, src, def) // to report it as the slow path does
			return
		}
	}
	apiVersion, kind := ownAPIVersion, ownKind
	if kind == "" && def != nil {
		apiVersion, kind = def.GroupVersion().String(), def.Kind
	}
	if kind == "" || apiVersion == "" {
		d.fail(src, errNoKind)
		return
	}
	if strings.HasSuffix(kind, "List") && h.items.found() {
		if elems == nil || data[h.items.start] != '[' {
			d.object(raw, src, def) // a List in a List, or items that are no array
			return
		}
		d.addGaps(gaps)
		d.elements(ctx, data, elems, src, itemKind(apiVersion, kind))
		return
	}
	cut := lastApplied(data, h)
	if d.inPart && h.keys <= MaxObjectKeys {
		if obj := readInPart(apiVersion, kind, ownAPIVersion, ownKind); obj != nil && d.described(data, h, cut, obj, apiVersion, kind, ownAPIVersion, ownKind, src) {
			return
		}
	}
	d.typed(raw, h.keys, within(cut, h.value), apiVersion, kind, ownAPIVersion, ownKind, src)
}

// minShare is the fewest items of a List worth a goroutine of their own.
const minShare = 256

// elements decodes the scanned elements of a List or top-level array. A
// long List is cut into runs of items decoded concurrently, their events
// then kept in the items' order.
func (d *decoder) elements(ctx context.Context, data []byte, elems []head, src estate.Source, def *schema.GroupVersionKind) {
	decode := func(d *decoder, from, to int) {
		for i := from; i < to && ctx.Err() == nil; i++ {
			s := src
			s.Item = i + 1
			d.scannedObject(ctx, data, &elems[i], nil, s, def)
		}
	}
	d.inShares(len(elems), minShare, decode)
}

// inShares has decode decode n things in runs [from, to): one run per
// worker, run concurrently when each would hold at least least things,
// each into a decoder of its own, whose events are then appended in order.
func (d *decoder) inShares(n, least int, decode func(d *decoder, from, to int)) {
	shares := min(d.workers, n/least)
	if shares <= 1 {
		decode(d, 0, n)
		return
	}
	parts := make([]decoder, shares)
	for p := range parts {
		parts[p] = d.fork()
	}
	var wg sync.WaitGroup
	for p := range parts {
		wg.Go(func() { decode(&parts[p], p*n/shares, (p+1)*n/shares) })
	}
	wg.Wait()
	for _, p := range parts {
		d.events = append(d.events, p.events...)
	}
}

// plainString returns the string at sp, "" when there is none, and false
// when it is anything but a string of printable ASCII without escapes:
// the slow path decodes those.
func plainString(data []byte, sp span) (string, bool) {
	if !sp.found() {
		return "", true
	}
	if data[sp.start] != '"' {
		return "", false
	}
	b := data[sp.start+1 : sp.end-1]
	for _, c := range b {
		if c == '\\' || c >= 0x80 {
			return "", false
		}
	}
	return intern(b), true
}

// common are the apiVersions and kinds most objects name: interned, so
// that reading one allocates nothing.
var common = func() map[string]string {
	m := map[string]string{}
	for _, s := range []string{"v1", "apps/v1", "batch/v1", "networking.k8s.io/v1", "rbac.authorization.k8s.io/v1", "List",
		"Namespace", "Node", "Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController",
		"Job", "CronJob", "ServiceAccount", "Secret", "ConfigMap", "Service", "Ingress", "NetworkPolicy",
		"Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"} {
		m[s] = s
	}
	return m
}()

func intern(b []byte) string {
	if s, ok := common[string(b)]; ok {
		return s
	}
	return string(b)
}

// lines finds the line of an offset in data, counting from where it was
// last asked, since offsets are mostly asked in increasing order.
type lines struct {
	data []byte
	off  int // offset of the last answer
	n    int // 0-based line of off
}

// line returns the 1-based line of byte offset off in data.
func (l *lines) line(off int) int {
	off = min(max(off, 0), len(l.data))
	if off < l.off {
		l.off, l.n = 0, 0
	}
	l.n += bytes.Count(l.data[l.off:off], []byte("\n"))
	l.off = off
	return l.n + 1
}
