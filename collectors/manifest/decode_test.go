package manifest_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/trustpath/trustpath/collectors/estate"
	"github.com/trustpath/trustpath/collectors/manifest"
)

// inputName is the name every in-memory test input is read under.
const inputName = "in.yaml"

// at is where an object or problem of the test input is.
func at(line, document, item int) estate.Source {
	return estate.Source{File: inputName, Line: line, Document: document, Item: item}
}

func ref(kind, namespace, name string) estate.Ref {
	return estate.Ref{Kind: kind, Namespace: namespace, Name: name}
}

// diag is the part of a diagnostic a test states: Message is a fragment the
// message must contain.
type diag struct {
	Severity estate.Severity
	Source   estate.Source
	Object   string
	Message  string
}

// gotDiags projects the diagnostics for comparison with want; a message that
// contains the wanted fragment is shown as that fragment.
func gotDiags(ds []*estate.Diagnostic, want []diag) []diag {
	var out []diag
	for i, d := range ds {
		msg := d.Err.Error()
		if i < len(want) && want[i].Message != "" && strings.Contains(msg, want[i].Message) {
			msg = want[i].Message
		}
		out = append(out, diag{d.Severity, d.Source, d.Object, msg})
	}
	return out
}

func read(t *testing.T, in string, o manifest.Options) *estate.Snapshot {
	t.Helper()
	snap := estate.New("test")
	if err := manifest.Read(t.Context(), strings.NewReader(in), inputName, snap, o); err != nil {
		t.Fatalf("Read: got error %v, want nil", err)
	}
	return snap
}

// objects returns every object the snapshot holds, from its typed slices.
func objects(s *estate.Snapshot) []metav1.Object {
	var out []metav1.Object
	v := reflect.ValueOf(s).Elem()
	for i := range v.NumField() {
		f := v.Field(i)
		if f.Kind() != reflect.Slice {
			continue
		}
		for j := range f.Len() {
			if o, ok := f.Index(j).Interface().(metav1.Object); ok {
				out = append(out, o)
			}
		}
	}
	return out
}

var defaultNS = manifest.Options{DefaultNamespace: "default"}

const multiDoc = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
# the web frontend
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - port: 80
`

func TestRead(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		in          string
		opts        manifest.Options
		wantSources map[estate.Ref]estate.Source
		wantSkipped map[string]int
		wantDiags   []diag
		check       func(t *testing.T, s *estate.Snapshot)
	}{
		{
			name: "empty input",
			in:   "",
			opts: defaultNS,
		},
		{
			name: "comments and separators only",
			in:   "# nothing yet\n---\n---\n# still nothing\n",
			opts: defaultNS,
		},
		{
			name: "null documents",
			in:   "null\n---\n~\n",
			opts: defaultNS,
		},
		{
			name: "multi-document YAML",
			in:   multiDoc,
			opts: defaultNS,
			wantSources: map[estate.Ref]estate.Source{
				ref("Namespace", "", "shop"):     at(1, 1, 0),
				ref("Deployment", "shop", "web"): at(7, 2, 0), // line 6 is a comment
				ref("Service", "default", "web"): at(23, 3, 0),
			},
			check: func(t *testing.T, s *estate.Snapshot) {
				if got, want := len(s.Deployments), 1; got != want {
					t.Fatalf("deployments: got %d, want %d", got, want)
				}
				if got, want := s.Services[0].Namespace, "default"; got != want {
					t.Errorf("service namespace: got %q, want %q", got, want)
				}
			},
		},
		{
			name: "namespace from options",
			in:   multiDoc,
			opts: manifest.Options{DefaultNamespace: "team"},
			wantSources: map[estate.Ref]estate.Source{
				ref("Namespace", "", "shop"):     at(1, 1, 0),
				ref("Deployment", "shop", "web"): at(7, 2, 0),
				ref("Service", "team", "web"):    at(23, 3, 0),
			},
		},
		{
			name: "cluster-scoped objects keep no namespace",
			in: `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  namespace: stray
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: reader
rules: []
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: reader
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: reader}
subjects: []
---
apiVersion: v1
kind: Node
metadata:
  name: node-1
`,
			opts: manifest.Options{DefaultNamespace: "team"},
			wantSources: map[estate.Ref]estate.Source{
				ref("Namespace", "", "shop"):            at(1, 1, 0),
				ref("ClusterRole", "", "reader"):        at(7, 2, 0),
				ref("ClusterRoleBinding", "", "reader"): at(13, 3, 0),
				ref("Node", "", "node-1"):               at(20, 4, 0),
			},
			check: func(t *testing.T, s *estate.Snapshot) {
				for _, o := range objects(s) {
					if o.GetNamespace() != "" {
						t.Errorf("%s: got namespace %q, want none", o.GetName(), o.GetNamespace())
					}
				}
			},
		},
		{
			name: "CRLF line endings",
			in:   "apiVersion: v1\r\nkind: ServiceAccount\r\nmetadata:\r\n  name: a\r\n---\r\n# b\r\napiVersion: v1\r\nkind: ServiceAccount\r\nmetadata:\r\n  name: b\r\n",
			opts: defaultNS,
			wantSources: map[estate.Ref]estate.Source{
				ref("ServiceAccount", "default", "a"): at(1, 1, 0),
				ref("ServiceAccount", "default", "b"): at(7, 2, 0),
			},
		},
		{
			name: "JSON object",
			in: `{
  "apiVersion": "v1",
  "kind": "Pod",
  "metadata": {"name": "p", "namespace": "shop"},
  "spec": {"containers": [{"name": "c", "image": "busybox"}]}
}
`,
			opts: defaultNS,
			wantSources: map[estate.Ref]estate.Source{
				ref("Pod", "shop", "p"): at(1, 1, 0),
			},
			check: func(t *testing.T, s *estate.Snapshot) {
				if got, want := s.Pods[0].Spec.Containers[0].Image, "busybox"; got != want {
					t.Errorf("image: got %q, want %q", got, want)
				}
			},
		},
		{
			name: "concatenated JSON objects",
			in: `
{"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "a", "namespace": "shop"}}
{"apiVersion": "v1", "kind": "ServiceAccount",
 "metadata": {"name": "b", "namespace": "shop"}}

  {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "c"}}
`,
			opts: defaultNS,
			wantSources: map[estate.Ref]estate.Source{
				ref("ServiceAccount", "shop", "a"):    at(2, 1, 0),
				ref("ServiceAccount", "shop", "b"):    at(3, 2, 0),
				ref("ServiceAccount", "default", "c"): at(6, 3, 0),
			},
		},
		{
			name: "JSON array",
			in: `[
  {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "a"}},
  {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "b"}, "data": {"k": "v"}}
]
`,
			opts: defaultNS,
			wantSources: map[estate.Ref]estate.Source{
				ref("ServiceAccount", "default", "a"): at(1, 1, 1),
				ref("ConfigMap", "default", "b"):      at(1, 1, 2),
			},
		},
		{
			name: "JSON after a comment is read as YAML",
			in: `# exported by hand
{"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "a"}}
`,
			opts: defaultNS,
			wantSources: map[estate.Ref]estate.Source{
				ref("ServiceAccount", "default", "a"): at(2, 1, 0),
			},
		},
		{
			name: "kind List as kubectl get -o yaml writes",
			in: `apiVersion: v1
items:
- apiVersion: v1
  kind: Service
  metadata:
    name: web
    namespace: shop
  spec:
    selector: {app: web}
    ports: [{port: 80}]
- apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: web
    namespace: shop
  spec:
    replicas: 2
    selector: {matchLabels: {app: web}}
    template:
      metadata: {labels: {app: web}}
      spec: {containers: [{name: web, image: nginx}]}
- apiVersion: v1
  kind: ServiceAccount
  metadata:
    name: web
kind: List
metadata:
  resourceVersion: ""
`,
			opts: defaultNS,
			wantSources: map[estate.Ref]estate.Source{
				// Each item at its own line: the List is read item by item.
				ref("Service", "shop", "web"):           at(3, 1, 1),
				ref("Deployment", "shop", "web"):        at(11, 1, 2),
				ref("ServiceAccount", "default", "web"): at(22, 1, 3),
			},
			check: func(t *testing.T, s *estate.Snapshot) {
				if got, want := *s.Deployments[0].Spec.Replicas, int32(2); got != want {
					t.Errorf("replicas: got %d, want %d", got, want)
				}
			},
		},
		{
			name: "List after another document",
			in: `apiVersion: v1
kind: ServiceAccount
metadata: {name: first}
---
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: ServiceAccount
  metadata: {name: second}
`,
			opts: defaultNS,
			wantSources: map[estate.Ref]estate.Source{
				ref("ServiceAccount", "default", "first"):  at(1, 1, 0),
				ref("ServiceAccount", "default", "second"): at(8, 2, 1),
			},
		},
		{
			name: "typed PodList from the API, items without kind",
			in: `{
  "kind": "PodList",
  "apiVersion": "v1",
  "metadata": {"resourceVersion": "1234"},
  "items": [
    {"metadata": {"name": "web-1", "namespace": "shop", "uid": "u1"},
     "spec": {"nodeName": "node-1", "containers": [{"name": "web", "image": "nginx"}]}},
    {"metadata": {"name": "web-2", "namespace": "shop", "uid": "u2"},
     "spec": {"nodeName": "node-2", "containers": [{"name": "web", "image": "nginx"}]}}
  ]
}
`,
			opts: defaultNS,
			wantSources: map[estate.Ref]estate.Source{
				ref("Pod", "shop", "web-1"): at(1, 1, 1),
				ref("Pod", "shop", "web-2"): at(1, 1, 2),
			},
			check: func(t *testing.T, s *estate.Snapshot) {
				var nodes []string
				for _, p := range s.Pods {
					nodes = append(nodes, p.Spec.NodeName)
				}
				if diff := cmp.Diff([]string{"node-1", "node-2"}, nodes); diff != "" {
					t.Errorf("pod nodes (-want +got):\n%s", diff)
				}
			},
		},
		{
			name: "typed DeploymentList in YAML, items without kind",
			in: `apiVersion: apps/v1
kind: DeploymentList
items:
- metadata: {name: web, namespace: shop}
  spec:
    replicas: 3
    selector: {matchLabels: {app: web}}
    template:
      metadata: {labels: {app: web}}
      spec: {containers: [{name: web, image: nginx}]}
`,
			opts: defaultNS,
			wantSources: map[estate.Ref]estate.Source{
				ref("Deployment", "shop", "web"): at(4, 1, 1),
			},
			check: func(t *testing.T, s *estate.Snapshot) {
				if got, want := *s.Deployments[0].Spec.Replicas, int32(3); got != want {
					t.Errorf("replicas: got %d, want %d", got, want)
				}
			},
		},
		{
			name: "List item without kind",
			in: `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: ServiceAccount
  metadata: {name: ok}
- metadata: {name: nokind}
`,
			opts: defaultNS,
			wantSources: map[estate.Ref]estate.Source{
				ref("ServiceAccount", "default", "ok"): at(4, 1, 1),
			},
			wantDiags: []diag{{estate.Error, at(7, 1, 2), "", "no apiVersion and kind"}},
		},
		{
			name: "broken document among good ones",
			in: `apiVersion: v1
kind: ServiceAccount
metadata:
  name: good-1
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: bad
data:
  message: hello: world
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: good-2
`,
			opts: defaultNS,
			wantSources: map[estate.Ref]estate.Source{
				ref("ServiceAccount", "default", "good-1"): at(1, 1, 0),
				ref("ServiceAccount", "default", "good-2"): at(13, 3, 0),
			},
			wantDiags: []diag{{estate.Error, at(11, 2, 0), "", "mapping values are not allowed in this context"}},
		},
		{
			// YAMLReader rejects the line; the YAML parser alone would read
			// "--- !!map" as a second document start and drop object c.
			name: "content after --- is an error, not a lost document",
			in: `apiVersion: v1
kind: ServiceAccount
metadata: {name: a}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: b}
--- !!map
apiVersion: v1
kind: ServiceAccount
metadata: {name: c}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: d}
`,
			opts: defaultNS,
			wantSources: map[estate.Ref]estate.Source{
				ref("ServiceAccount", "default", "a"): at(1, 1, 0),
				ref("ServiceAccount", "default", "d"): at(13, 3, 0),
			},
			wantDiags: []diag{{estate.Error, at(8, 2, 0), "", "invalid document separator"}},
			check: func(t *testing.T, s *estate.Snapshot) {
				if got := s.Diagnostics[0].Error(); strings.Contains(got, "!!map") {
					t.Errorf("message: got %q, want the line's content left out", got)
				}
			},
		},
		{
			name:      "---foo is an invalid separator",
			in:        "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: a}\n---foo\n",
			opts:      defaultNS,
			wantDiags: []diag{{estate.Error, at(4, 1, 0), "", "invalid document separator"}},
		},
		{
			name: "document without kind",
			in: `apiVersion: v1
kind: ServiceAccount
metadata: {name: ok}
---

metadata:
  name: nokind
`,
			opts: defaultNS,
			wantSources: map[estate.Ref]estate.Source{
				ref("ServiceAccount", "default", "ok"): at(1, 1, 0),
			},
			wantDiags: []diag{{estate.Error, at(6, 2, 0), "", "no apiVersion and kind"}},
			check: func(t *testing.T, s *estate.Snapshot) {
				if got, want := s.Diagnostics[0].Error(), "in.yaml:6 (document 2): "; !strings.HasPrefix(got, want) {
					t.Errorf("message: got %q, want it to start with %q", got, want)
				}
			},
		},
		{
			name:      "kind without apiVersion",
			in:        "kind: Pod\nmetadata: {name: p}\n",
			opts:      defaultNS,
			wantDiags: []diag{{estate.Error, at(1, 1, 0), "", "no apiVersion and kind"}},
		},
		{
			name:      "scalar document",
			in:        "---\njust some text\n",
			opts:      defaultNS,
			wantDiags: []diag{{estate.Error, at(2, 1, 0), "", "not an object"}},
		},
		{
			name:      "sequence document",
			in:        "- a\n- b\n",
			opts:      defaultNS,
			wantDiags: []diag{{estate.Error, at(1, 1, 0), "", "not an object"}},
		},
		{
			name: "field of the wrong type",
			in: `apiVersion: v1
kind: ServiceAccount
metadata: {name: ok}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: two
`,
			opts: defaultNS,
			wantSources: map[estate.Ref]estate.Source{
				ref("ServiceAccount", "default", "ok"): at(1, 1, 0),
			},
			wantDiags: []diag{{estate.Error, at(5, 2, 0), "", "decoding apps/v1 Deployment"}},
		},
		{
			name: "unknown kinds and kinds not analysed are skipped",
			in: `apiVersion: example.com/v1
kind: Widget
metadata: {name: w1}
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec: {group: example.com, names: {kind: Widget, plural: widgets}, scope: Namespaced, versions: []}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web, namespace: shop}
spec: {minAvailable: 1, selector: {matchLabels: {app: web}}}
---
apiVersion: example.com/v1
kind: WidgetList
items:
- {apiVersion: example.com/v1, kind: Widget, metadata: {name: w2}}
- {metadata: {name: w3}}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: sa}
`,
			opts: defaultNS,
			wantSources: map[estate.Ref]estate.Source{
				ref("ServiceAccount", "default", "sa"): at(21, 5, 0),
			},
			wantSkipped: map[string]int{
				"example.com/v1/Widget":                            3,
				"apiextensions.k8s.io/v1/CustomResourceDefinition": 1,
				"policy/v1/PodDisruptionBudget":                    1,
			},
		},
		{
			name: "duplicate object",
			in: `apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg
  namespace: shop
data: {first: "1"}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg
  namespace: shop
data: {second: "2"}
`,
			opts: defaultNS,
			wantSources: map[estate.Ref]estate.Source{
				ref("ConfigMap", "shop", "cfg"): at(1, 1, 0),
			},
			wantDiags: []diag{{estate.Warning, at(8, 2, 0), "ConfigMap/shop/cfg", "duplicate"}},
			check: func(t *testing.T, s *estate.Snapshot) {
				if got, want := len(s.ConfigMaps), 1; got != want {
					t.Fatalf("configmaps: got %d, want %d", got, want)
				}
				if diff := cmp.Diff(map[string]string{"first": ""}, s.ConfigMaps[0].Data); diff != "" {
					t.Errorf("kept configmap is not the first (-want +got):\n%s", diff)
				}
			},
		},
		{
			name: "duplicate after namespace defaulting",
			in: `apiVersion: v1
kind: ServiceAccount
metadata: {name: web}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: web, namespace: default}
`,
			opts: defaultNS,
			wantSources: map[estate.Ref]estate.Source{
				ref("ServiceAccount", "default", "web"): at(1, 1, 0),
			},
			wantDiags: []diag{{estate.Warning, at(5, 2, 0), "ServiceAccount/default/web", "duplicate"}},
		},
		{
			name: "same name in another namespace or kind is no duplicate",
			in: `apiVersion: v1
kind: ServiceAccount
metadata: {name: web, namespace: a}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: web, namespace: b}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: web, namespace: a}
`,
			opts: defaultNS,
			wantSources: map[estate.Ref]estate.Source{
				ref("ServiceAccount", "a", "web"): at(1, 1, 0),
				ref("ServiceAccount", "b", "web"): at(5, 2, 0),
				ref("ConfigMap", "a", "web"):      at(9, 3, 0),
			},
		},
		{
			name: "invalid JSON ends the stream",
			in: `{"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "a"}}
{"apiVersion": "v1", "kind": "ServiceAccount",
 "metadata": {"name": "b",}}
{"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "c"}}
`,
			opts: defaultNS,
			wantSources: map[estate.Ref]estate.Source{
				ref("ServiceAccount", "default", "a"): at(1, 1, 0),
			},
			wantDiags: []diag{{estate.Error, at(3, 2, 0), "", "invalid JSON"}},
		},
		{
			name:      "truncated JSON",
			in:        "{\"apiVersion\": \"v1\",\n \"kind\": \"ServiceAccount\"",
			opts:      defaultNS,
			wantDiags: []diag{{estate.Error, at(1, 1, 0), "", "unexpected EOF"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := read(t, tt.in, tt.opts)
			if diff := cmp.Diff(tt.wantSources, s.Sources, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("sources (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantSkipped, s.Skipped, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("skipped (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantDiags, gotDiags(s.Diagnostics, tt.wantDiags)); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s", diff)
			}
			if got, want := len(objects(s)), len(s.Sources); got != want {
				t.Errorf("objects held: got %d, want one per source (%d)", got, want)
			}
			if tt.check != nil {
				tt.check(t, s)
			}
		})
	}
}

// TestReadYAMLErrorLine checks that a YAML syntax error is reported at the
// line of the file where the parser finds it, whatever document it is in. A
// problem on a document's first line, where the parser names no line, is
// reported at that line too.
func TestReadYAMLErrorLine(t *testing.T) {
	t.Parallel()
	const first = "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: first}\n---\n" // lines 1-4
	tests := []struct {
		name string
		in   string
		want estate.Source
	}{
		{
			name: "colon in a plain scalar",
			in:   first + "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  greeting: hello: world\n",
			want: at(9, 2, 0),
		},
		{
			name: "tab indentation",
			in:   first + "apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: tabbed\n",
			want: at(8, 2, 0),
		},
		{
			name: "key indented too little",
			in:   first + "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n namespace: shop\n",
			want: at(9, 2, 0),
		},
		{
			name: "sequence indented too little",
			in:   first + "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: sa}\nsecrets:\n  - name: a\n - name: b\n",
			want: at(10, 2, 0),
		},
		{
			name: "flow end without start",
			in:   first + "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  k: ]\n",
			want: at(9, 2, 0),
		},
		{
			name: "error on the second line of the document",
			in:   first + "apiVersion: v1\n kind: ConfigMap\n",
			want: at(6, 2, 0),
		},
		{
			name: "error on the first line of the document",
			in:   first + "kind: ConfigMap: x\n",
			want: at(5, 2, 0),
		},
		{
			name: "error on the first line of the file",
			in:   "kind: ConfigMap: x\n",
			want: at(1, 1, 0),
		},
		{
			name: "error after a comment at the top of the document",
			in:   first + "# broken below\nkind: ConfigMap: x\n",
			want: at(6, 2, 0),
		},
		{
			name: "CRLF",
			in:   strings.ReplaceAll(first+"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  greeting: hello: world\n", "\n", "\r\n"),
			want: at(9, 2, 0),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := read(t, tt.in, defaultNS)
			if got, want := len(s.Diagnostics), 1; got != want {
				t.Fatalf("diagnostics: got %d (%v), want %d", got, s.Diagnostics, want)
			}
			d := s.Diagnostics[0]
			if got, want := d.Severity, estate.Error; got != want {
				t.Errorf("severity: got %v, want %v", got, want)
			}
			if diff := cmp.Diff(tt.want, d.Source); diff != "" {
				t.Errorf("source of %q (-want +got):\n%s", d, diff)
			}
			if _, ok := s.Sources[ref("ServiceAccount", "default", "first")]; !ok && strings.HasPrefix(tt.in, first) {
				t.Errorf("sources: got %v, want ServiceAccount/default/first loaded", s.Sources)
			}
		})
	}
}

const (
	canary       = "CANARY-e3b0c44298fc1c14-NOT-A-SECRET"
	canaryBase64 = "Q0FOQVJZLWUzYjBjNDQyOThmYzFjMTQtTk9ULUEtU0VDUkVU"
)

// assertNoCanary fails if the canary, plain or base64, can be read back from
// the snapshot: as JSON, with %+v, or in a diagnostic.
func assertNoCanary(t *testing.T, s *estate.Snapshot) {
	t.Helper()
	// encoding/json cannot key a map by the struct Ref, so the outer Sources,
	// keyed by Ref.String(), shadows the snapshot's.
	sources := map[string]estate.Source{}
	for r, src := range s.Sources {
		sources[r.String()] = src
	}
	j, err := json.Marshal(struct {
		*estate.Snapshot
		Sources map[string]estate.Source
	}{s, sources})
	if err != nil {
		t.Fatalf("marshalling the snapshot: %v", err)
	}
	dumps := map[string]string{"json": string(j), "%+v": fmt.Sprintf("%+v", s)}
	for _, o := range objects(s) {
		dumps[fmt.Sprintf("%%+v of %s", o.GetName())] = fmt.Sprintf("%+v", o)
	}
	for _, d := range s.Diagnostics {
		dumps["diagnostic"] += d.Error() + "\n"
	}
	for where, text := range dumps {
		for _, secret := range []string{canary, canaryBase64} {
			if strings.Contains(text, secret) {
				t.Errorf("%s: got %q in the output, want no secret value", where, secret)
			}
		}
	}
}

// assertScrubbed checks what decoding must drop from every object: Secret
// and ConfigMap values, kubectl's last-applied copy, managed fields and
// Pod status.
func assertScrubbed(t *testing.T, s *estate.Snapshot) {
	t.Helper()
	for _, o := range objects(s) {
		if v, ok := o.GetAnnotations()["kubectl.kubernetes.io/last-applied-configuration"]; ok {
			t.Errorf("%s/%s: got last-applied annotation %q, want it removed", o.GetNamespace(), o.GetName(), v)
		}
		if m := o.GetManagedFields(); m != nil {
			t.Errorf("%s/%s: got %d managed fields, want none", o.GetNamespace(), o.GetName(), len(m))
		}
	}
	for _, p := range s.Pods {
		if !reflect.DeepEqual(p.Status, corev1.PodStatus{}) {
			t.Errorf("pod %s/%s: got status %+v, want none", p.Namespace, p.Name, p.Status)
		}
	}
	for _, sec := range s.Secrets {
		for k, v := range sec.Data {
			if v != nil {
				t.Errorf("secret %s/%s key %s: got a %d-byte value, want nil", sec.Namespace, sec.Name, k, len(v))
			}
		}
		if sec.StringData != nil {
			t.Errorf("secret %s/%s: got stringData with %d keys, want nil", sec.Namespace, sec.Name, len(sec.StringData))
		}
	}
	for _, cm := range s.ConfigMaps {
		for k, v := range cm.Data {
			if v != "" {
				t.Errorf("configmap %s/%s key %s: got a value, want none", cm.Namespace, cm.Name, k)
			}
		}
		for k, v := range cm.BinaryData {
			if v != nil {
				t.Errorf("configmap %s/%s binary key %s: got a value, want none", cm.Namespace, cm.Name, k)
			}
		}
	}
}

func TestReadDropsValues(t *testing.T) {
	t.Parallel()
	yamlIn := `apiVersion: v1
kind: Secret
metadata:
  name: creds
  namespace: shop
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: |
      {"apiVersion":"v1","data":{"password":"` + canaryBase64 + `"},"kind":"Secret","metadata":{"annotations":{"team":"payments"},"name":"creds","namespace":"shop"},"stringData":{"token":"` + canary + `"},"type":"Opaque"}
    team: payments
  managedFields:
  - apiVersion: v1
    fieldsType: FieldsV1
    fieldsV1: {"f:data": {"f:password": {}}}
    manager: kubectl-client-side-apply
    operation: Update
type: Opaque
data:
  password: ` + canaryBase64 + `
stringData:
  token: ` + canary + `
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: shop
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: |
      {"apiVersion":"v1","data":{"dsn":"postgres://app:` + canary + `@db/shop"},"kind":"ConfigMap","metadata":{"annotations":{},"name":"settings","namespace":"shop"}}
data:
  dsn: postgres://app:` + canary + `@db/shop
  mode: production
binaryData:
  blob: ` + canaryBase64 + `
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  annotations:
    deployment.kubernetes.io/revision: "1"
    kubectl.kubernetes.io/last-applied-configuration: |
      {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"shop"},"spec":{"template":{"spec":{"containers":[{"env":[{"name":"TOKEN","value":"` + canary + `"}],"image":"nginx","name":"web"}]}}}}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx}]}
`
	// A SecretList as the API returns it: items carry no kind.
	jsonIn := `{"kind": "SecretList", "apiVersion": "v1", "metadata": {}, "items": [
  {"metadata": {"name": "creds", "namespace": "shop",
    "annotations": {"team": "payments",
      "kubectl.kubernetes.io/last-applied-configuration": "{\"data\":{\"password\":\"` + canaryBase64 + `\"},\"stringData\":{\"token\":\"` + canary + `\"}}\n"}},
   "type": "Opaque",
   "data": {"password": "` + canaryBase64 + `"},
   "stringData": {"token": "` + canary + `"}}
]}`
	tests := []struct {
		name string
		in   string
	}{
		{"yaml", yamlIn},
		{"json SecretList", jsonIn},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := read(t, tt.in, defaultNS)
			if len(s.Diagnostics) > 0 {
				t.Fatalf("diagnostics: got %v, want none", s.Diagnostics)
			}
			if got, want := len(s.Secrets), 1; got != want {
				t.Fatalf("secrets: got %d, want %d", got, want)
			}
			sec := s.Secrets[0]
			// The API server merges stringData into data on write, so both
			// keys are the Secret's keys.
			if diff := cmp.Diff(map[string][]byte{"password": nil, "token": nil}, sec.Data); diff != "" {
				t.Errorf("secret data (-want +got):\n%s", diff)
			}
			if sec.StringData != nil {
				t.Errorf("secret stringData: got %v, want nil", sec.StringData)
			}
			if diff := cmp.Diff(map[string]string{"team": "payments"}, sec.Annotations); diff != "" {
				t.Errorf("secret annotations (-want +got):\n%s", diff)
			}
			if got, want := sec.Type, corev1.SecretTypeOpaque; got != want {
				t.Errorf("secret type: got %q, want %q", got, want)
			}
			assertScrubbed(t, s)
			assertNoCanary(t, s)
		})
	}
	t.Run("configmap and deployment", func(t *testing.T) {
		t.Parallel()
		s := read(t, yamlIn, defaultNS)
		if got, want := len(s.ConfigMaps), 1; got != want {
			t.Fatalf("configmaps: got %d, want %d", got, want)
		}
		cm := s.ConfigMaps[0]
		if diff := cmp.Diff(map[string]string{"dsn": "", "mode": ""}, cm.Data); diff != "" {
			t.Errorf("configmap data (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(map[string][]byte{"blob": nil}, cm.BinaryData); diff != "" {
			t.Errorf("configmap binaryData (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(map[string]string{"deployment.kubernetes.io/revision": "1"}, s.Deployments[0].Annotations); diff != "" {
			t.Errorf("deployment annotations (-want +got):\n%s", diff)
		}
	})
}

// fill is an io.Reader of n spaces that allocates nothing per call.
type fill struct{ n int64 }

var spaces = []byte(strings.Repeat(" ", 32<<10))

func (f *fill) Read(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > f.n {
		p = p[:f.n]
	}
	n := 0
	for n < len(p) {
		n += copy(p[n:], spaces)
	}
	f.n -= int64(n)
	return n, nil
}

// TestReadLimit reads inputs of the limit's size; Read itself holds each in
// memory, so the test is skipped with -short.
func TestReadLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 512 MiB twice")
	}
	t.Parallel()
	// Sequential on purpose: each case holds about a gigabyte while it runs.
	tests := []struct {
		name    string
		size    int64
		wantErr error
	}{
		{"one byte over", manifest.MaxInputBytes + 1, manifest.ErrTooLarge},
		{"at the limit", manifest.MaxInputBytes, nil},
	}
	for _, tt := range tests {
		snap := estate.New("test")
		err := manifest.Read(t.Context(), &fill{n: tt.size}, "big.yaml", snap, defaultNS)
		if !errors.Is(err, tt.wantErr) {
			t.Errorf("%s: got error %v, want %v", tt.name, err, tt.wantErr)
		}
		if err != nil && !strings.Contains(err.Error(), "big.yaml") {
			t.Errorf("%s: got %q, want the input named", tt.name, err)
		}
		if got := len(snap.Diagnostics) + snap.Objects(); got != 0 {
			t.Errorf("%s: got %d objects and diagnostics, want none", tt.name, got)
		}
	}
}

type failingReader struct{ err error }

func (r failingReader) Read([]byte) (int, error) { return 0, r.err }

func TestReadErrors(t *testing.T) {
	t.Parallel()
	cancelled, cancel := context.WithCancel(t.Context())
	cancel()
	errDisk := errors.New("disk on fire")
	tests := []struct {
		name    string
		ctx     context.Context
		r       io.Reader
		wantErr error
	}{
		{"cancelled context", cancelled, strings.NewReader(multiDoc), context.Canceled},
		{"reader fails", t.Context(), failingReader{errDisk}, errDisk},
		{"reader fails midway", t.Context(), io.MultiReader(strings.NewReader(multiDoc), failingReader{errDisk}), errDisk},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			snap := estate.New("test")
			err := manifest.Read(tt.ctx, tt.r, inputName, snap, defaultNS)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("got error %v, want %v", err, tt.wantErr)
			}
			if got := snap.Objects(); got != 0 {
				t.Errorf("objects: got %d, want 0 after a failed read", got)
			}
		})
	}
}

// TestFixtures asserts what testdata/kubectl-list/README.md and
// testdata/broken/README.md state about the loaded snapshot.
func TestFixtures(t *testing.T) {
	t.Parallel()
	t.Run("kubectl-list", func(t *testing.T) {
		t.Parallel()
		const name = "testdata/kubectl-list/list.yaml"
		f, err := os.Open("../../" + name)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		s := estate.New("test")
		if err := manifest.Read(t.Context(), f, name, s, defaultNS); err != nil {
			t.Fatalf("Read: got error %v, want nil", err)
		}
		item := func(i, line int) estate.Source { return estate.Source{File: name, Line: line, Document: 1, Item: i} }
		want := map[estate.Ref]estate.Source{
			ref("Pod", "shop", "web-6d4cf56db6-4xk2p"):  item(1, 3),
			ref("Pod", "shop", "web-6d4cf56db6-9zq7m"):  item(2, 171),
			ref("Service", "shop", "web"):               item(3, 292),
			ref("Deployment", "shop", "web"):            item(4, 351),
			ref("ReplicaSet", "shop", "web-6d4cf56db6"): item(5, 466),
			ref("ServiceAccount", "shop", "default"):    item(6, 549),
			ref("ServiceAccount", "shop", "web"):        item(7, 557),
			ref("Secret", "shop", "web-tls"):            item(8, 579),
		}
		if diff := cmp.Diff(want, s.Sources); diff != "" {
			t.Errorf("sources (-want +got):\n%s", diff)
		}
		if len(s.Diagnostics) > 0 || len(s.Skipped) > 0 {
			t.Errorf("got diagnostics %v and skipped %v, want none", s.Diagnostics, s.Skipped)
		}
		if len(s.Deployments) != 1 || len(s.ReplicaSets) != 1 || len(s.Pods) != 2 || len(s.Secrets) != 1 {
			t.Fatalf("got %d deployments, %d replicasets, %d pods, %d secrets, want 1, 1, 2, 1",
				len(s.Deployments), len(s.ReplicaSets), len(s.Pods), len(s.Secrets))
		}

		dep, rs := s.Deployments[0], s.ReplicaSets[0]
		if got, want := *dep.Spec.Replicas, int32(2); got != want {
			t.Errorf("deployment replicas: got %d, want %d", got, want)
		}
		if c := metav1.GetControllerOf(rs); c == nil || c.Kind != "Deployment" || c.Name != "web" || c.UID != dep.UID {
			t.Errorf("replicaset controller: got %+v, want Deployment web uid %s", c, dep.UID)
		}
		var nodes []string
		for _, p := range s.Pods {
			nodes = append(nodes, p.Spec.NodeName)
			if c := metav1.GetControllerOf(p); c == nil || c.Kind != "ReplicaSet" || c.UID != rs.UID {
				t.Errorf("pod %s controller: got %+v, want ReplicaSet uid %s", p.Name, c, rs.UID)
			}
			if got, want := p.Spec.ServiceAccountName, "web"; got != want {
				t.Errorf("pod %s service account: got %q, want %q", p.Name, got, want)
			}
			if !mountsInjectedToken(p) {
				t.Errorf("pod %s: got no kube-api-access projected token at /var/run/secrets/kubernetes.io/serviceaccount, want one", p.Name)
			}
		}
		slices.Sort(nodes)
		if diff := cmp.Diff([]string{"node-1", "node-2"}, nodes); diff != "" {
			t.Errorf("pod nodes (-want +got):\n%s", diff)
		}
		svc := s.Services[0]
		if got, want := svc.Spec.Type, corev1.ServiceTypeClusterIP; got != want {
			t.Errorf("service type: got %q, want %q", got, want)
		}
		if diff := cmp.Diff(map[string]string{"app": "web"}, svc.Spec.Selector); diff != "" {
			t.Errorf("service selector (-want +got):\n%s", diff)
		}
		sec := s.Secrets[0]
		if got, want := sec.Type, corev1.SecretTypeTLS; got != want {
			t.Errorf("secret type: got %q, want %q", got, want)
		}
		if diff := cmp.Diff(map[string][]byte{"tls.crt": nil, "tls.key": nil}, sec.Data); diff != "" {
			t.Errorf("secret data (-want +got):\n%s", diff)
		}
		assertScrubbed(t, s)
		assertNoCanary(t, s)
	})
	t.Run("broken", func(t *testing.T) {
		t.Parallel()
		s := estate.New("test")
		if err := manifest.ReadFS(t.Context(), os.DirFS("../../testdata/broken"), ".", "testdata/broken", s, defaultNS); err != nil {
			t.Fatalf("ReadFS: got error %v, want nil", err)
		}
		good := func(line, doc int) estate.Source {
			return estate.Source{File: "testdata/broken/good.yaml", Line: line, Document: doc}
		}
		mixed := func(line, doc int) estate.Source {
			return estate.Source{File: "testdata/broken/mixed.yaml", Line: line, Document: doc}
		}
		wantSources := map[estate.Ref]estate.Source{
			ref("Namespace", "", "shop"):     good(1, 1),
			ref("Deployment", "shop", "web"): good(6, 2),
			ref("Service", "shop", "web"):    mixed(2, 1), // line 1 is a comment
			ref("ConfigMap", "shop", "cfg"):  mixed(22, 3),
		}
		if diff := cmp.Diff(wantSources, s.Sources); diff != "" {
			t.Errorf("sources (-want +got):\n%s", diff)
		}
		wantDiags := []diag{{estate.Error, mixed(20, 2), "", "mapping values are not allowed in this context"}}
		if diff := cmp.Diff(wantDiags, gotDiags(s.Diagnostics, wantDiags)); diff != "" {
			t.Errorf("diagnostics (-want +got):\n%s", diff)
		}
		if len(s.Skipped) > 0 {
			t.Errorf("skipped: got %v, want none", s.Skipped)
		}
	})
}

// mountsInjectedToken reports whether p mounts the token volume the
// ServiceAccount admission plugin injects.
func mountsInjectedToken(p *corev1.Pod) bool {
	const path = "/var/run/secrets/kubernetes.io/serviceaccount"
	for _, v := range p.Spec.Volumes {
		if !strings.HasPrefix(v.Name, "kube-api-access-") || v.Projected == nil {
			continue
		}
		var token, ca, ns bool
		for _, src := range v.Projected.Sources {
			token = token || src.ServiceAccountToken != nil
			ca = ca || (src.ConfigMap != nil && src.ConfigMap.Name == "kube-root-ca.crt")
			ns = ns || src.DownwardAPI != nil
		}
		for _, c := range p.Spec.Containers {
			for _, m := range c.VolumeMounts {
				if m.Name == v.Name && m.MountPath == path && m.ReadOnly && token && ca && ns {
					return true
				}
			}
		}
	}
	return false
}

// TestReadFlowStyleAndOldVersions: YAML in flow style starts like JSON and
// is still read, as apimachinery reads it; a kind trustpath analyses in an
// API version no longer served is skipped with a warning, not silently.
func TestReadFlowStyleAndOldVersions(t *testing.T) {
	t.Parallel()
	in := "{apiVersion: v1, kind: ServiceAccount, metadata: {name: flow}}\n---\n" +
		"apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: old}\n"
	s := estate.New("c")
	if err := manifest.Read(t.Context(), strings.NewReader(in), "in.yaml", s, manifest.Options{DefaultNamespace: "default"}); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.Sources[estate.Ref{Kind: "ServiceAccount", Namespace: "default", Name: "flow"}]; !ok {
		t.Errorf("the flow-style ServiceAccount was not read; diagnostics: %v", s.Diagnostics)
	}
	if len(s.Diagnostics) != 1 || s.Diagnostics[0].Severity != estate.Warning ||
		!strings.Contains(s.Diagnostics[0].Error(), "extensions/v1beta1 Ingress") || s.Diagnostics[0].Source.Line != 3 {
		t.Errorf("diagnostics = %v, want one warning about extensions/v1beta1 Ingress at line 3", s.Diagnostics)
	}
	if s.Skipped["extensions/v1beta1/Ingress"] != 1 {
		t.Errorf("skipped = %v", s.Skipped)
	}
}

// TestPodStatusDropped: a dumped Pod's status is never read, so it is not
// kept; the spec is.
func TestPodStatusDropped(t *testing.T) {
	t.Parallel()
	s := read(t, `
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: app}
spec:
  nodeName: n1
  containers: [{name: c, image: x}]
status:
  phase: Running
  podIP: 10.244.0.7
  containerStatuses: [{name: c, image: x, imageID: sha256:1, ready: true, restartCount: 0}]
`, defaultNS)
	if len(s.Pods) != 1 || s.Pods[0].Spec.NodeName != "n1" || len(s.Pods[0].Spec.Containers) != 1 {
		t.Fatalf("pods %+v, want p on n1 with its container", s.Pods)
	}
	assertScrubbed(t, s)
}
