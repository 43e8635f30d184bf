package manifest

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/kubernetes/scheme"

	"github.com/trustpath/trustpath/collectors/estate"
)

// fastPathSeeds are JSON streams whose objects take each branch of the
// scanned path and of the slow path it hands over to.
var fastPathSeeds = []string{
	`{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"a"}} {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"i","resources":{"limits":{"cpu":"1"}}}]}}`,
	`[{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"k":"v"}}, null, 1, "x", [], {}]`,
	`{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},"spec":{"replicas":2}}],"trustpathGaps":[{"resource":"secrets","verb":"list","kind":"Secret"}]}`,
	`{"apiVersion":"v1","kind":"PodList","items":[{"metadata":{"name":"p"}},{"apiVersion":"apps/v1","metadata":{"name":"q"}},{"kind":"Secret","metadata":{"name":"s"}}]}`,
	`{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"},"data":{"k":"dg=="}}]}]}`,
	`{"apiVersion":"v1","kind":"List","items":{"a":1}} {"apiVersion":"v1","kind":"List","items":null} {"apiVersion":"v1","kind":"List"}`,
	`{"APIVERSION":"v1","Kind":"ServiceAccount","metadata":{"name":"folded"}}`,
	`{"apiVersion":"v1","kind":"Pod","kind":"ServiceAccount","metadata":{"name":"last"}}`,
	`{"\u0061piVersion":"v1","kind":"ServiceAccount","metadata":{"name":"escaped"}}`,
	`{"apiVersion":"v\u0031","kind":"ServiceAccount","metadata":{"name":"escaped-value"}}`,
	`{"apiVersion":"v1","kind":null,"metadata":{"name":"null-kind"}}`,
	`{"apiVersion":1,"kind":"Pod"}`,
	`{"apiVersion":"v1","kind":"Pod","trustpathGaps":5}`,
	`{"apiVersion":"v1/v2/v3","kind":"Pod"} {"apiVersion":"example.com/v1","kind":"Widget"} {"apiVersion":"extensions/v1beta1","kind":"Ingress"}`,
	`{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"},"data":{"k":"not base64"}}`,
	`{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"},"data":[1]}`,
	`{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{}"}},"spec":{"priority":1e3}}`,
	`{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"a"}} {"apiVersion": "v1", "kind": }`,
	`{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"a"}} 12 {"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"b"}}`,
	"{\"apiVersion\":\"v1\",\n\t\"kind\" : \"ServiceAccount\" ,\r\n \"metadata\":{ \"name\" : \"spaced \\\" \\\\ out\" } }",
	lastAppliedSeed(`"kubectl.kubernetes.io/last-applied-configuration":"{\"kind\":\"Secret\"}"`),
	lastAppliedSeed(`"a":"1", "kubectl.kubernetes.io/last-applied-configuration" : "{}" ,"b":"2"`),
	lastAppliedSeed(`"a":"1","kubectl.kubernetes.io/last-applied-configuration":"{}"`),
	lastAppliedSeed(`"kubectl.kubernetes.io/last-applied-configuration":"{}","kubectl.kubernetes.io/last-applied-configuration":"x"`),
	lastAppliedSeed(`"kubectl.kubernetes.io/last-applied-configuration":7`),
	lastAppliedSeed(`"kubectl.kubernetes.io/last-applied-configuration":7,"kubectl.kubernetes.io/last-applied-configuration":"{}"`),
	lastAppliedSeed(`"kubectl.kubernetes.io\/last-applied-configuration":"{}"`),
	`{"apiVersion":"v1","kind":"ConfigMap","metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{}"}},"Metadata":{"name":"m"}}`,
	`{"apiVersion":"v1","kind":"ConfigMap","metadata":{"annotations":null,"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{}"}}}`,
}

// lastAppliedSeed is a Secret with annotations spliced in.
func lastAppliedSeed(annotations string) string {
	return `{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s","annotations":{` + annotations + `},"labels":{"a":"b"}},"data":{"k":"dg=="}}`
}

// FuzzFastPath checks the scanned path against the slow path, which is the
// decoder as it was before the scan, reading each value with encoding/json
// several times: both must turn a JSON stream into the same events.
func FuzzFastPath(f *testing.F) {
	for _, s := range fastPathSeeds {
		f.Add([]byte(s))
	}
	if files, err := filepath.Glob(filepath.Join("..", "..", "testdata", "*", "*.json")); err == nil {
		for _, name := range files {
			if b, err := os.ReadFile(name); err == nil {
				f.Add(b)
			}
		}
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		i := skipWS(in, 0)
		if i == len(in) || in[i] != '{' && in[i] != '[' {
			return
		}
		fast := decoder{workers: 2}
		if !fast.jsonStream(t.Context(), in, "in.json") {
			return // not JSON: the stream is read by the rules for YAML
		}
		var slow decoder
		slow.slowJSON(in, 0, 1, "in.json", &lines{data: in})
		sameEvents(t, fast.events, slow.events)
	})
}

func TestFastPathSeeds(t *testing.T) {
	t.Parallel()
	for _, s := range fastPathSeeds {
		fast := decoder{workers: 2}
		if !fast.jsonStream(t.Context(), []byte(s), "in.json") {
			t.Errorf("%.60q: not read as JSON", s)
			continue
		}
		var slow decoder
		slow.slowJSON([]byte(s), 0, 1, "in.json", &lines{data: []byte(s)})
		sameEvents(t, fast.events, slow.events)
	}
}

// sameEvents fails unless got and want are the same events, with equal
// objects.
func sameEvents(t *testing.T, got, want []event) {
	t.Helper()
	if g, w := describe(got), describe(want); g != w {
		t.Fatalf("got events:\n%s\nwant:\n%s", g, w)
	}
	for i := range got {
		// The snapshot holds objects scrubbed (estate.Scrub), and the
		// scanned path leaves kubectl's last-applied annotation out
		// before decoding.
		for _, obj := range []runtime.Object{got[i].obj, want[i].obj} {
			if obj != nil {
				estate.Scrub(obj)
			}
		}
		if !reflect.DeepEqual(got[i].obj, want[i].obj) {
			t.Errorf("event %d: got object %#v, want %#v", i, got[i].obj, want[i].obj)
		}
	}
}

// describe writes events down for comparison, objects by type.
func describe(events []event) string {
	var b strings.Builder
	for _, e := range events {
		fmt.Fprintf(&b, "%d %v %s %s", e.what, e.src, e.apiVersion, e.kind)
		if e.diag != nil {
			fmt.Fprintf(&b, " %v: %v", e.diag.Severity, e.diag)
		}
		if e.obj != nil {
			fmt.Fprintf(&b, " %T", e.obj)
		}
		if e.gaps != nil {
			fmt.Fprintf(&b, " %+v", e.gaps)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// FuzzTyped checks typed against apimachinery's universal deserializer,
// which the decoder called before: the same object, or the same error,
// for any object named by any apiVersion and kind.
func FuzzTyped(f *testing.F) {
	for _, s := range fastPathSeeds {
		f.Add([]byte(s), "v1", "Pod")
	}
	f.Add([]byte(`{"metadata":{"name":"p"},"spec":{"replicas":3}}`), "apps/v1", "Deployment")
	f.Add([]byte(`{"apiVersion":"apps/v1","metadata":{"name":"p"}}`), "v1", "Pod")
	f.Add([]byte(`{"apiVersion":"batch/v1beta1","kind":"CronJob"}`), "batch/v1beta1", "CronJob")
	f.Fuzz(func(t *testing.T, raw []byte, apiVersion, kind string) {
		i := skipWS(raw, 0)
		if kind == "" || apiVersion == "" || i == len(raw) || raw[i] != '{' {
			return
		}
		var h scanned
		s := scanner{data: raw}
		end := s.document(i, &h)
		if end < 0 || skipWS(raw, end) != len(raw) || h.odd {
			return
		}
		own, ok1 := plainString(raw, h.apiVersion)
		ownKind, ok2 := plainString(raw, h.kind)
		if !ok1 || !ok2 {
			return
		}
		var d decoder
		d.typed(raw[i:end], h.keys, span{}, apiVersion, kind, own, ownKind, sourceForTest)

		var old decoder
		gvk := schema.FromAPIVersionAndKind(apiVersion, kind)
		obj, _, err := scheme.Codecs.UniversalDeserializer().Decode(raw, &gvk, nil)
		switch {
		case runtime.IsNotRegisteredError(err):
			old.skip(apiVersion, kind, sourceForTest)
		case err != nil && strings.Contains(err.Error(), "' is missing in '"):
			return // apimachinery quotes the object; typed does not, on purpose
		case err != nil:
			old.fail(sourceForTest, fmt.Errorf("decoding %s %s: %w", apiVersion, kind, err))
		default:
			old.events = append(old.events, event{what: addObject, obj: obj, src: sourceForTest, apiVersion: apiVersion, kind: kind})
		}
		sameEvents(t, d.events, old.events)
	})
}

var sourceForTest = estate.Source{File: "in.json", Line: 1, Document: 1}
