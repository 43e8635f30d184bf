package manifest_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trustpath/trustpath/collectors/estate"
	"github.com/trustpath/trustpath/collectors/manifest"
)

// configMapLines is how many lines configMapItem writes.
const configMapLines = 7 + 25

// configMapItem writes the ConfigMap cm-i as an item of a YAML List whose
// entries start at column indent: 32 colons, so 20,000 of them are over
// MaxYAMLKeys.
func configMapItem(b *strings.Builder, i, indent int) {
	p := strings.Repeat(" ", indent)
	fmt.Fprintf(b, "%s- apiVersion: v1\n%s  kind: ConfigMap\n%s  metadata:\n%s    name: cm-%d\n%s    namespace: shop\n%s  data:\n%s    first: \"1\"\n",
		p, p, p, p, i, p, p, p)
	for k := range 25 {
		fmt.Fprintf(b, "%s    key-%d: value-%d\n", p, k, i)
	}
}

// yamlListText is a List of n items, written by item, as kubectl get -o
// yaml prints it (entries at the column of "items:", kind after them) or
// with the entries indented.
func yamlListText(n, indent int, item func(b *strings.Builder, i, indent int)) string {
	var b strings.Builder
	b.WriteString("apiVersion: v1\nitems:\n")
	for i := range n {
		item(&b, i+1, indent)
	}
	b.WriteString("kind: List\nmetadata:\n  resourceVersion: \"\"\n")
	return b.String()
}

// itemLine is the line of item i (1-based) of a yamlListText of ConfigMaps.
func itemLine(i int) int { return 3 + (i-1)*configMapLines }

// TestReadLargeYAMLList: a YAML List of far more keys than one YAML
// document may hold loads, item by item, each named by its line.
func TestReadLargeYAMLList(t *testing.T) {
	t.Parallel()
	for _, indent := range []int{0, 2} {
		t.Run(fmt.Sprintf("indent=%d", indent), func(t *testing.T) {
			t.Parallel()
			n := 20_000
			if indent > 0 && testing.Short() {
				n = 2_000 // the layout is what counts here; indent=0 tests the size
			}
			in := yamlListText(n, indent, configMapItem)
			if keys := strings.Count(in, ":") + strings.Count(in, ","); n == 20_000 && keys <= manifest.MaxYAMLKeys {
				t.Fatalf("the List has about %d keys, want more than the %d one document may hold", keys, manifest.MaxYAMLKeys)
			}
			s := read(t, in, defaultNS)
			if len(s.Diagnostics) > 0 {
				t.Fatalf("diagnostics: got %v, want none", s.Diagnostics[:min(3, len(s.Diagnostics))])
			}
			if got := len(s.ConfigMaps); got != n {
				t.Fatalf("ConfigMaps: got %d, want %d", got, n)
			}
			for _, i := range []int{1, n / 2, n} {
				name := fmt.Sprintf("cm-%d", i)
				if got, want := s.Sources[ref("ConfigMap", "shop", name)], at(itemLine(i), 1, i); got != want {
					t.Errorf("%s: got source %v, want %v", name, got, want)
				}
			}
			if got := s.ConfigMaps[n-1].Data["key-24"]; got != "" {
				t.Errorf("ConfigMap data: got %q, want it dropped", got)
			}
		})
	}
}

// TestReadYAMLListBrokenItem: an item that is not YAML is reported at its
// line, and the others load, in a List over the limit for one document and
// in a small one.
func TestReadYAMLListBrokenItem(t *testing.T) {
	t.Parallel()
	for _, n := range []int{3, 20_000} {
		t.Run(fmt.Sprintf("items=%d", n), func(t *testing.T) {
			t.Parallel()
			broken := n/2 + 1
			in := yamlListText(n, 0, func(b *strings.Builder, i, indent int) {
				if i != broken {
					configMapItem(b, i, indent)
					return
				}
				// The namespace is indented out of line with the name.
				var item strings.Builder
				configMapItem(&item, i, indent)
				b.WriteString(strings.Replace(item.String(), "    namespace:", "   namespace:", 1))
			})
			s := read(t, in, defaultNS)
			if got := len(s.ConfigMaps); got != n-1 {
				t.Errorf("ConfigMaps: got %d, want %d", got, n-1)
			}
			want := []diag{{estate.Error, at(itemLine(broken)+4, 1, broken), "", "invalid YAML: did not find expected key"}}
			if diff := cmp.Diff(want, gotDiags(s.Diagnostics, want)); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s", diff)
			}
		})
	}
}

// TestReadYAMLListItemKeyLimit: an item of a YAML List over MaxYAMLKeys is
// refused before it is parsed, naming the limit, and the others load; so
// is a document that is no List, however its keys are spread.
func TestReadYAMLListItemKeyLimit(t *testing.T) {
	t.Parallel()
	huge := func(b *strings.Builder, i, indent int) {
		if i != 2 {
			configMapItem(b, i, indent)
			return
		}
		fmt.Fprintf(b, "- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: cm-%d, namespace: shop}\n  data:\n", i)
		for k := range manifest.MaxYAMLKeys {
			fmt.Fprintf(b, "    k%d: v\n", k)
		}
	}
	tests := []struct {
		name     string
		in       string
		wantCMs  int
		wantDiag estate.Source
	}{
		{name: "List item", in: yamlListText(3, 0, huge), wantCMs: 2, wantDiag: at(itemLine(2), 1, 2)},
		{name: "not a List", in: strings.Replace(yamlListText(3, 0, huge), "kind: List", "kind: Pod", 1), wantDiag: at(1, 1, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := read(t, tt.in, defaultNS)
			if got := len(s.ConfigMaps); got != tt.wantCMs {
				t.Errorf("ConfigMaps: got %d, want %d", got, tt.wantCMs)
			}
			if len(s.Diagnostics) != 1 {
				t.Fatalf("diagnostics: got %v, want one", s.Diagnostics)
			}
			d := s.Diagnostics[0]
			if !errors.Is(d, manifest.ErrYAMLTooManyKeys) || !strings.Contains(d.Error(), "524288-key limit") || d.Source != tt.wantDiag {
				t.Errorf("diagnostic: got %q, want one at %v wrapping %v", d, tt.wantDiag, manifest.ErrYAMLTooManyKeys)
			}
		})
	}
}
