package table

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The expected tables below were written by hand from the rules in the
// package documentation, before the code was run.

func TestRender(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		width int
		build func() *Table
		want  string
	}{
		{
			name:  "fits: aligned as tabwriter would",
			width: 100,
			build: func() *Table {
				tb := New("KIND", "VERTEX", "COST")
				tb.Row("secret", "secret/shop/db", "2")
				tb.Row("node", "node/a", "10")
				return tb
			},
			want: `
KIND    VERTEX          COST
secret  secret/shop/db  2
node    node/a          10
`,
		},
		{
			name:  "empty last cells leave no trailing spaces",
			width: 0,
			build: func() *Table {
				tb := New("FROM", "TO", "MISSING")
				tb.Row("internet", "service/shop/web", "")
				tb.Row("a", "b", "c")
				return tb
			},
			want: `
FROM      TO                MISSING
internet  service/shop/web
a         b                 c
`,
		},
		{
			name:  "no limit: below columns stay columns",
			width: 0,
			build: func() *Table {
				tb := New("#", "STEP", "EVIDENCE")
				tb.Below(2, "")
				tb.Row("1", "route to pods", "service/legacy/reports selector app=reports")
				return tb
			},
			want: `
#  STEP           EVIDENCE
1  route to pods  service/legacy/reports selector app=reports
`,
		},
		{
			name:  "too wide: below columns move under their row, continuation indented",
			width: 50,
			build: func() *Table {
				tb := New("#", "STEP", "TO", "EVIDENCE")
				tb.Below(3, "")
				tb.Row("1", "reach from internet", "service/legacy/reports",
					"deployment/legacy/reports not isolated for ingress: no NetworkPolicy selects it")
				tb.Row("2", "route to pods", "deployment/legacy/reports", "")
				return tb
			},
			want: `
#  STEP                 TO
1  reach from internet  service/legacy/reports
   deployment/legacy/reports not isolated for
     ingress: no NetworkPolicy selects it
2  route to pods        deployment/legacy/reports
`,
		},
		{
			name:  "below with a label: continuation under the text",
			width: 42,
			build: func() *Table {
				tb := New("SEVERITY", "CONTROL", "FIX")
				tb.Below(2, "fix")
				tb.Row("high", "hostNetwork: false", "run it in the pod network, where NetworkPolicy applies")
				return tb
			},
			want: `
SEVERITY  CONTROL
high      hostNetwork: false
          fix: run it in the pod network,
               where NetworkPolicy applies
`,
		},
		{
			name:  "too wide: cells wrap at spaces, then after a slash",
			width: 60,
			build: func() *Table {
				tb := New("SEVERITY", "CONTROL", "FIX")
				tb.Row("critical", "least-privilege RBAC: clusterrolebinding/ci-deployer",
					"narrow clusterrole/ci-deployer or delete the binding")
				return tb
			},
			want: `
SEVERITY  CONTROL                   FIX
critical  least-privilege RBAC:     narrow clusterrole/
          clusterrolebinding/       ci-deployer or delete
          ci-deployer               the binding
`,
		},
		{
			name:  "a near miss: only the long column gives way",
			width: 100,
			build: func() *Table {
				tb := New("#", "CONTROL", "CLOSES", "REMAIN")
				tb.Row("1", "least-privilege RBAC: clusterrolebinding/ci-deployer (role clusterrole/ci-deployer)", "50", "108")
				tb.Row("2", "hostNetwork: false on prod:daemonset/monitoring/node-exporter", "29", "48")
				return tb
			},
			want: `
#  CONTROL                                                                            CLOSES  REMAIN
1  least-privilege RBAC: clusterrolebinding/ci-deployer (role                         50      108
   clusterrole/ci-deployer)
2  hostNetwork: false on prod:daemonset/monitoring/node-exporter                      29      48
`,
		},
		{
			name:  "first column wraps: continuation lines indented",
			width: 30,
			build: func() *Table {
				tb := New("VERTEX", "KIND")
				tb.Row("prod:container/monitoring/prometheus/prometheus", "container")
				tb.Row("prod:node/a", "node")
				return tb
			},
			want: `
VERTEX               KIND
prod:container/      container
  monitoring/
  prometheus/
  prometheus
prod:node/a          node
`,
		},
		{
			name:  "styles do not move columns",
			width: 100,
			build: func() *Table {
				tb := New("SEV", "X")
				tb.Style(0, func(s string) string { return "<" + s + ">" })
				tb.Row("high", "x")
				tb.Row("low", "y")
				return tb
			},
			want: `
SEV   X
<high>  x
<low>   y
`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var b strings.Builder
			if err := tt.build().Render(&b, tt.width); err != nil {
				t.Fatal(err)
			}
			want := strings.TrimPrefix(tt.want, "\n")
			if diff := cmp.Diff(want, b.String()); diff != "" {
				t.Errorf("got\n%s\nwant\n%s\n(-want +got)\n%s", b.String(), want, diff)
			}
			for _, l := range strings.Split(b.String(), "\n") {
				if tt.width > 0 && len(l) > tt.width && !strings.Contains(l, "<") {
					t.Errorf("line is %d wide, more than %d: %q", len(l), tt.width, l)
				}
			}
		})
	}
}

func TestWrap(t *testing.T) {
	t.Parallel()
	tests := []struct {
		s     string
		width int
		want  []string
	}{
		{"short", 10, []string{"short"}},
		{"no limit at all", 0, []string{"no limit at all"}},
		{"abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
		{"namespace at prod:secret/payments/stripe-key", 16, []string{"namespace at", "prod:secret/", "payments/", "stripe-key"}},
		{"a > b > c", 5, []string{"a > b", "> c"}},
		// A space that would leave the line less than half full loses to a slash.
		{"run prod:daemonset/falco/falco unprivileged", 20, []string{"run prod:daemonset/", "falco/falco", "unprivileged"}},
		// Hyphens only when nothing better fits.
		{"bootstrap-token-abcdef", 12, []string{"bootstrap-", "token-abcdef"}},
		{"one\ntwo three", 20, []string{"one", "two three"}},
	}
	for _, tt := range tests {
		got := Wrap(tt.s, tt.width)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Wrap(%q, %d) (-want +got)\n%s", tt.s, tt.width, diff)
		}
		// Nothing is lost: the lines joined are the text without the
		// spaces at the breaks.
		if j, s := strings.Join(got, ""), strings.NewReplacer(" ", "", "\n", "").Replace(tt.s); strings.ReplaceAll(j, " ", "") != s {
			t.Errorf("Wrap(%q, %d) lost text: %q", tt.s, tt.width, got)
		}
	}
}

func TestRowPanicsOnShortRow(t *testing.T) {
	t.Parallel()
	defer func() {
		if recover() == nil {
			t.Error("Row with too few cells did not panic")
		}
	}()
	New("A", "B").Row("a")
}

// TestCountLines: fit measures tables with countLines; it must agree with
// the lines written.
func TestCountLines(t *testing.T) {
	t.Parallel()
	texts := []string{
		"", "a", "namespace at prod:secret/payments/stripe-key", "abcdefghij  ", "one\ntwo three\n\nfour",
		"prod:deployment/shop/api containers[0].envFrom[1].secretRef: db-credentials; prod:deployment/shop/api not pinned to a node",
	}
	for _, s := range texts {
		for first := 1; first < 30; first++ {
			for _, next := range []int{first, max(1, first-2)} {
				if got, want := countLines([]rune(s), first, next), len(wrap(s, first, next)); got != want {
					t.Errorf("countLines(%q, %d, %d) = %d, wrap makes %d lines", s, first, next, got, want)
				}
			}
		}
	}
}
