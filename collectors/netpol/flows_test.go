package netpol_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trustpath/trustpath/collectors/netpol"
	"github.com/trustpath/trustpath/collectors/workload"
)

// These tests hold Flows to Check on the random clusters of the
// differential test: Flows decides each side once per candidate, Check
// evaluates one connection from scratch.

// reasonSet is a side's reasons as text, for comparison as a set.
func reasonSet(rs []netpol.Reason) map[string]bool {
	out := map[string]bool{}
	for _, r := range rs {
		out[r.Text] = true
	}
	return out
}

// TestFlowsAgreeWithCheck holds Flows, which decides each side once per
// candidate from the rules that named it, to Check, which evaluates one
// connection from scratch: on random clusters, every pair flow's ports
// must be allowed by Check with the same reasons on both sides, and every
// connection Check allows must be told exactly once — by a pair flow, or
// by a flow with a nil From when the source's egress is open and the port
// admits every pod.
func TestFlowsAgreeWithCheck(t *testing.T) {
	t.Parallel()
	for seed := range randomRuns() {
		r := rand.New(rand.NewPCG(uint64(seed), 11))
		s := randCluster(r)
		e := netpol.New(s, workload.Groups(s, ""))
		type pairPort struct {
			from, to *netpol.Endpoint
			port     netpol.Port
		}
		told := map[pairPort]bool{}
		hub := map[*netpol.Endpoint]map[netpol.Port]bool{}
		pos := map[*netpol.Endpoint]int{nil: -1}
		for i, ep := range e.Endpoints() {
			pos[ep] = i
		}
		flows := e.Flows()
		for i := 1; i < len(flows); i++ {
			a, b := flows[i-1], flows[i]
			if pos[a.From] > pos[b.From] || pos[a.From] == pos[b.From] && pos[a.To] >= pos[b.To] {
				t.Fatalf("seed %d: flows %d and %d are out of order", seed, i-1, i)
			}
		}
		for _, f := range flows {
			if f.From == nil {
				if len(f.Egress) != 0 {
					t.Fatalf("seed %d: flow to %v with a nil From has egress reasons %v", seed, f.To.Groups[0].Key, f.Egress)
				}
				hub[f.To] = map[netpol.Port]bool{}
				for _, p := range f.Ports {
					hub[f.To][p] = true
				}
				continue
			}
			eg, in := map[string]bool{}, map[string]bool{}
			for _, p := range f.Ports {
				v := e.Check(netpol.PodParty(f.From), netpol.PodParty(f.To), p)
				if !v.Allowed {
					t.Fatalf("seed %d: flow %s -> %s %s: Check denies it: %v %v", seed, f.From.Groups[0].Key, f.To.Groups[0].Key, p, v.Egress, v.Ingress)
				}
				k := pairPort{f.From, f.To, p}
				if told[k] {
					t.Fatalf("seed %d: %s -> %s %s told twice", seed, f.From.Groups[0].Key, f.To.Groups[0].Key, p)
				}
				told[k] = true
				for r := range reasonSet(v.Egress) {
					eg[r] = true
				}
				for r := range reasonSet(v.Ingress) {
					in[r] = true
				}
			}
			if d := cmp.Diff(eg, reasonSet(f.Egress)); d != "" {
				t.Fatalf("seed %d: flow %s -> %s egress reasons (-Check +Flows):\n%s", seed, f.From.Groups[0].Key, f.To.Groups[0].Key, d)
			}
			if d := cmp.Diff(in, reasonSet(f.Ingress)); d != "" {
				t.Fatalf("seed %d: flow %s -> %s ingress reasons (-Check +Flows):\n%s", seed, f.From.Groups[0].Key, f.To.Groups[0].Key, d)
			}
		}
		for _, src := range e.Endpoints() {
			for _, dst := range e.Endpoints() {
				for _, p := range dst.Ports {
					allowed := e.Check(netpol.PodParty(src), netpol.PodParty(dst), p).Allowed
					viaHub := e.OpenEgress(src) != nil && hub[dst][p]
					if got := told[pairPort{src, dst, p}]; got != (allowed && !viaHub) {
						t.Fatalf("seed %d: %s -> %s %s: pair flow %t, want %t (allowed %t, through the hub %t)",
							seed, src.Groups[0].Key, dst.Groups[0].Key, p, got, allowed && !viaHub, allowed, viaHub)
					}
				}
			}
		}
	}
}

// TestAllFlowsAreFlows checks that AllFlows yields what Flows returns, in
// its own order.
func TestAllFlowsAreFlows(t *testing.T) {
	t.Parallel()
	text := func(f netpol.Flow) string {
		from := "*"
		if f.From != nil {
			from = string(f.From.Groups[0].Key)
		}
		return fmt.Sprintf("%s -> %s %v %v %v", from, f.To.Groups[0].Key, f.Ports, f.Egress, f.Ingress)
	}
	for seed := range 200 {
		r := rand.New(rand.NewPCG(uint64(seed), 13))
		s := randCluster(r)
		e := netpol.New(s, workload.Groups(s, ""))
		var want, got []string
		for _, f := range e.Flows() {
			want = append(want, text(f))
		}
		for f := range e.AllFlows() {
			got = append(got, text(f))
		}
		slices.Sort(want)
		slices.Sort(got)
		if d := cmp.Diff(want, got); d != "" {
			t.Fatalf("seed %d: AllFlows and Flows differ (-Flows +AllFlows):\n%s", seed, d)
		}
	}
}
