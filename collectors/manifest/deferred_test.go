package manifest

import (
	"bytes"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/trustpath/trustpath/collectors/estate"
)

// controlled is a Pod of ReplicaSet web-1 as a cluster dump holds it, with
// %s spliced into its spec.
const controlled = `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-1-abc","namespace":"shop","labels":{"app":"web"},
 "ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"web-1","uid":"u1","controller":true}]},
 "spec":{"containers":[{"name":"app","image":"web:1","securityContext":{"privileged":true}}],%s"serviceAccountName":"web"},
 "status":{"phase":"Running","podIP":"10.0.0.7"}}`

// inPartSeeds are inputs whose objects take each branch of described and
// nodeName, and of what follows them.
var inPartSeeds = []string{
	fmt.Sprintf(controlled, `"nodeName":"node-a",`),
	fmt.Sprintf(controlled, ``),
	fmt.Sprintf(controlled, `"nodeName":null,`),
	fmt.Sprintf(controlled, `"nodeName":"a","nodeName":"b",`),
	fmt.Sprintf(controlled, `"NodeName":"node-a",`),
	fmt.Sprintf(controlled, `"node\u004eame":"node-a",`),
	fmt.Sprintf(controlled, `"nodeName":"n\u00f6de",`),
	fmt.Sprintf(controlled, `"nodeName":7,`),
	fmt.Sprintf(controlled, `"hostNetwork":"yes",`),
	fmt.Sprintf(controlled, `"nodeName":"node-a","priority":1e3,`),
	`{"apiVersion":"v1","kind":"PodList","items":[{"metadata":{"name":"p","ownerReferences":[{"kind":"Job","name":"j","controller":true}]},"spec":{"nodeName":"n"}},` +
		`{"metadata":{"name":"q","ownerReferences":[{"kind":"Job","name":"j"}]},"spec":{"nodeName":"n"}},` +
		`{"apiVersion":"apps/v1","metadata":{"name":"r","ownerReferences":[{"kind":"Job","name":"j","controller":true}]}}]}`,
	`{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","ownerReferences":[{"kind":"Job","name":"j","controller":true}]},"spec":null}`,
	`{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","ownerReferences":[{"kind":"Job","name":"j","controller":true}]},"spec":[]}`,
	`{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","ownerReferences":[{"kind":"Job","name":"j","controller":"yes"}]}}`,
	`{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","ownerReferences":[{"kind":"Job","name":"j","controller":true}]},"Metadata":{"name":"q"}}`,
	`{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"metadata":{"ownerReferences":[{"kind":"Job","name":"j","controller":true}]}}`,
	`{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","ownerReferences":[{"kind":"Job","name":"j","controller":true}]},"status":{"phase":5}}`,
	"apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  ownerReferences: [{kind: Job, name: j, controller: true}]\nspec:\n  nodeName: n\n  containers: [{name: c, image: i}]\n",
	`{"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"web-1","ownerReferences":[{"kind":"Deployment","name":"web","controller":true}]},` +
		`"spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"i"}]}}},"status":{"replicas":3}}`,
	`{"apiVersion":"apps/v1","kind":"ReplicaSetList","items":[{"metadata":{"name":"a","ownerReferences":[{"kind":"Deployment","name":"web","controller":true}]},"spec":{"replicas":"3"}},` +
		`{"apiVersion":"apps/v1beta2","metadata":{"name":"b","ownerReferences":[{"kind":"Deployment","name":"web","controller":true}]}}]}`,
	`{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"","ownerReferences":[{"kind":"Job","name":"j","controller":true}],` +
		`"managedFields":[{"manager":"kubectl","operation":"Apply","fieldsType":"FieldsV1","fieldsV1":{"f:spec":{}}}],"labels":{"a":"b"}},"spec":{"nodeName":"n"}}`,
	`{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","labels":{"a":1},"ownerReferences":[{"kind":"Job","name":"j","controller":true}]}}`,
	`{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","ownerReferences":[{"kind":"Job","name":"j","controller":true}],"ownerReferences":[{"kind":"Job","name":"k"}]}}`,
	`{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"j-1","namespace":"ci","ownerReferences":[{"kind":"CronJob","name":"j","controller":true}]},"spec":{"parallelism":2,"template":{"spec":{"containers":[{"name":"c","image":"i"}]}}}}`,
}

// readBoth reads in whole, and in part with no pod described by its
// controller, so that Complete decodes every deferred spec.
func readBoth(t *testing.T, in []byte) (whole, part *estate.Snapshot, wholeErr, partErr error) {
	whole, part = estate.New("c"), estate.New("c")
	wholeErr = Read(t.Context(), bytes.NewReader(in), "in", whole, Options{DefaultNamespace: "default"})
	d := NewDeferred()
	partErr = Read(t.Context(), bytes.NewReader(in), "in", part, Options{DefaultNamespace: "default", Deferred: d})
	d.Complete(part, func(runtime.Object) bool { return false })
	if len(d.parts) != 0 {
		t.Error("Complete kept what it completed from")
	}
	return whole, part, wholeErr, partErr
}

// FuzzInPart checks reading Pods in part, then completing them all,
// against reading them whole: the same snapshot and the same diagnostics,
// though a spec that does not decode is reported when the reading is
// completed, after the others.
func FuzzInPart(f *testing.F) {
	for _, s := range append(slices.Clone(inPartSeeds), fastPathSeeds...) {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		whole, part, wholeErr, partErr := readBoth(t, in)
		if fmt.Sprint(wholeErr) != fmt.Sprint(partErr) {
			t.Fatalf("read whole: %v; read in part: %v", wholeErr, partErr)
		}
		wd, pd := diagnosticTexts(whole), diagnosticTexts(part)
		if inStatus.MatchString(strings.Join(wd, "\n")) ||
			strings.Contains(strings.Join(wd, "\n"), "decoding v1 Pod") && strings.Contains(strings.Join(pd, "\n"), "duplicate") {
			// A status is not read in part, so not checked; and a
			// broken Pod is dropped after a duplicate of it was.
			return
		}
		if !slices.Equal(wd, pd) {
			t.Fatalf("diagnostics read whole:\n%s\nread in part:\n%s", strings.Join(wd, "\n"), strings.Join(pd, "\n"))
		}
		if !same(whole.Pods, part.Pods) {
			t.Fatalf("pods read whole:\n%#v\nread in part:\n%#v", whole.Pods, part.Pods)
		}
		sameOwners(t, whole, in)
		if !same(whole.ReplicaSets, part.ReplicaSets) || !same(whole.Jobs, part.Jobs) {
			t.Fatalf("ReplicaSets or Jobs read whole:\n%#v\n%#v\nread in part:\n%#v\n%#v", whole.ReplicaSets, whole.Jobs, part.ReplicaSets, part.Jobs)
		}
		if !reflect.DeepEqual(whole.Sources, part.Sources) {
			t.Fatalf("sources read whole: %v; read in part: %v", whole.Sources, part.Sources)
		}
	})
}

// sameOwners reads in once more, in part, every object described by its
// controller, and fails unless each object read whole has the same name,
// namespace, type, owners and node read in part.
func sameOwners(t *testing.T, whole *estate.Snapshot, in []byte) {
	t.Helper()
	part := estate.New("c")
	d := NewDeferred()
	if err := Read(t.Context(), bytes.NewReader(in), "in", part, Options{DefaultNamespace: "default", Deferred: d}); err != nil {
		t.Fatal(err)
	}
	d.Complete(part, func(runtime.Object) bool { return true })
	type read struct {
		metav1.TypeMeta
		name, namespace string
		owners          []metav1.OwnerReference
		node            string
	}
	of := func(s *estate.Snapshot) map[estate.Ref]read {
		m := map[estate.Ref]read{}
		for _, p := range s.Pods {
			m[estate.Ref{Kind: "Pod", Namespace: p.Namespace, Name: p.Name}] = read{p.TypeMeta, p.Name, p.Namespace, p.OwnerReferences, p.Spec.NodeName}
		}
		for _, rs := range s.ReplicaSets {
			m[estate.Ref{Kind: "ReplicaSet", Namespace: rs.Namespace, Name: rs.Name}] = read{rs.TypeMeta, rs.Name, rs.Namespace, rs.OwnerReferences, ""}
		}
		for _, j := range s.Jobs {
			m[estate.Ref{Kind: "Job", Namespace: j.Namespace, Name: j.Name}] = read{j.TypeMeta, j.Name, j.Namespace, j.OwnerReferences, ""}
		}
		return m
	}
	inPart := of(part)
	for ref, w := range of(whole) {
		if p, ok := inPart[ref]; !ok || !reflect.DeepEqual(p, w) {
			t.Fatalf("%s read whole: %+v; read in part: %+v (found: %v)", ref, w, p, ok)
		}
	}
}

func TestInPartSeeds(t *testing.T) {
	t.Parallel()
	for _, s := range inPartSeeds {
		whole, part, wholeErr, partErr := readBoth(t, []byte(s))
		if wholeErr != nil || partErr != nil {
			t.Fatalf("%.60q: %v, %v", s, wholeErr, partErr)
		}
		sameOwners(t, whole, []byte(s))
		wd, pd := diagnosticTexts(whole), diagnosticTexts(part)
		if inStatus.MatchString(strings.Join(wd, "\n")) {
			if len(part.Pods) != 1 || len(pd) != 0 {
				t.Errorf("%.60q: in part, got %d pods and diagnostics %q; want the pod, its status unread", s, len(part.Pods), pd)
			}
			continue
		}
		if !slices.Equal(wd, pd) {
			t.Errorf("%.60q: diagnostics whole %q, in part %q", s, wd, pd)
		}
		if !same(whole.Pods, part.Pods) {
			t.Errorf("%.60q: pods whole %#v, in part %#v", s, whole.Pods, part.Pods)
		}
	}
}

// inStatus matches an error decoding a Pod's status, which is not read in
// part: sigs.k8s.io/json names the field by its path.
var inStatus = regexp.MustCompile(`struct field \w+\.status(\.| of )`)

// same reports whether a and b hold equal objects, nil and empty alike.
func same[T any](a, b []T) bool {
	return len(a) == 0 && len(b) == 0 || reflect.DeepEqual(a, b)
}

// diagnosticTexts returns the diagnostics of s as text, sorted.
func diagnosticTexts(s *estate.Snapshot) []string {
	var out []string
	for _, d := range s.Diagnostics {
		out = append(out, fmt.Sprintf("%v %v", d.Source, d))
	}
	slices.Sort(out)
	return out
}

// TestDescribedPodKeepsWhatGroupingReads: a Pod that names a controller is
// read for its metadata and node only, when its controller describes it;
// its spec is decoded when no controller does. Pods that name no
// controller, or that the scan cannot be sure of, are read whole at once.
func TestDescribedPodKeepsWhatGroupingReads(t *testing.T) {
	t.Parallel()
	in := fmt.Sprintf(controlled, `"nodeName":"node-a",`) + "\n" +
		`{"apiVersion":"v1","kind":"Pod","metadata":{"name":"bare","namespace":"shop"},"spec":{"containers":[{"name":"c","image":"i"}]}}` + "\n" +
		strings.Replace(fmt.Sprintf(controlled, `"NodeName":"x",`), "web-1-abc", "loose", 1) + "\n" +
		strings.Replace(fmt.Sprintf(controlled, `"nodeName":"node-b",`), "web-1-abc", "orphan", 1)
	snap := estate.New("c")
	d := NewDeferred()
	if err := Read(t.Context(), strings.NewReader(in), "in", snap, Options{Deferred: d}); err != nil {
		t.Fatal(err)
	}
	containers := map[string]int{}
	for _, p := range snap.Pods {
		containers[p.Name] = len(p.Spec.Containers)
	}
	// Until completed, only the pods read in part lack their containers.
	if want := map[string]int{"web-1-abc": 0, "bare": 1, "loose": 1, "orphan": 0}; !reflect.DeepEqual(containers, want) {
		t.Errorf("containers before Complete: %v, want %v", containers, want)
	}
	p := snap.Pods[0]
	if p.Name != "web-1-abc" || p.Namespace != "shop" || p.Spec.NodeName != "node-a" || p.OwnerReferences[0].Name != "web-1" || p.Kind != "Pod" || p.APIVersion != "v1" {
		t.Errorf("pod read in part lost what grouping reads: %#v", p)
	}
	if p.Labels != nil || len(p.Spec.Containers) != 0 {
		t.Errorf("pod read in part has labels %v and %d containers; want neither read", p.Labels, len(p.Spec.Containers))
	}
	d.Complete(snap, func(o runtime.Object) bool { return o.(metav1.Object).GetName() != "orphan" })
	for _, p := range snap.Pods {
		containers[p.Name] = len(p.Spec.Containers)
	}
	if want := map[string]int{"web-1-abc": 0, "bare": 1, "loose": 1, "orphan": 1}; !reflect.DeepEqual(containers, want) {
		t.Errorf("containers after Complete: %v, want %v", containers, want)
	}
	if o := snap.Pods[3]; o.Spec.NodeName != "node-b" || o.Spec.ServiceAccountName != "web" || !*o.Spec.Containers[0].SecurityContext.Privileged {
		t.Errorf("orphan pod's spec not decoded whole: %#v", o.Spec)
	}
}

// TestDeferredSpecErrors: a spec that does not decode is reported when
// the reading is completed, at the Pod's place, worded as reading it whole
// words it, and the Pod is not kept; a Pod its controller describes is
// not checked beyond what is read of it.
func TestDeferredSpecErrors(t *testing.T) {
	t.Parallel()
	broken := fmt.Sprintf(controlled, `"hostNetwork":"yes",`)
	for _, described := range []bool{false, true} {
		snap := estate.New("c")
		d := NewDeferred()
		if err := Read(t.Context(), strings.NewReader(broken), "in.json", snap, Options{Deferred: d}); err != nil {
			t.Fatal(err)
		}
		d.Complete(snap, func(runtime.Object) bool { return described })
		whole := estate.New("c")
		if err := Read(t.Context(), strings.NewReader(broken), "in.json", whole, Options{}); err != nil {
			t.Fatal(err)
		}
		if described {
			if len(snap.Pods) != 1 || len(snap.Diagnostics) != 0 {
				t.Errorf("described pod: %d pods, diagnostics %v; want it kept unchecked", len(snap.Pods), snap.Diagnostics)
			}
			continue
		}
		if len(snap.Pods) != 0 || snap.Objects() != 0 {
			t.Errorf("broken orphan pod kept: %d pods, %d sources", len(snap.Pods), snap.Objects())
		}
		if got, want := diagnosticTexts(snap), diagnosticTexts(whole); !slices.Equal(got, want) || len(want) != 1 {
			t.Errorf("diagnostics %q, want %q", got, want)
		}
	}
}
