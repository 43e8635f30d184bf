package netpol

import (
	"slices"
	"testing"

	corev1 "k8s.io/api/core/v1"
)

// TestFlowSetPorts checks that a flow's ports come back in order whatever
// the pattern they were added in, including past the 64 held in a word.
func TestFlowSetPorts(t *testing.T) {
	t.Parallel()
	var ports []Port
	for n := range int32(130) {
		ports = append(ports, Port{Protocol: corev1.ProtocolTCP, Number: 1000 + n})
	}
	src := &Endpoint{id: 0}
	dst := &Endpoint{id: 1, Ports: ports}
	tests := []struct {
		name string
		add  []int
	}{
		{"one", []int{5}},
		{"one run", []int{7, 5, 6}},
		{"all of a word", func() []int {
			var out []int
			for i := range 64 {
				out = append(out, 63-i)
			}
			return out
		}()},
		{"two runs", []int{1, 2, 9}},
		{"past a word", []int{129, 3, 64, 63, 100}},
		{"only past a word", []int{70, 71}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fs := newFlowSet(2)
			fs.toDestination(dst)
			for _, i := range tt.add {
				fs.add(src, dst, i, nil, nil)
			}
			got := fs.sorted()
			if len(got) != 1 {
				t.Fatalf("got %d flows, want 1", len(got))
			}
			want := slices.Compact(slices.Sorted(slices.Values(tt.add)))
			var wantPorts []Port
			for _, i := range want {
				wantPorts = append(wantPorts, ports[i])
			}
			if !slices.Equal(got[0].Ports, wantPorts) {
				t.Errorf("got ports %v, want %v", got[0].Ports, wantPorts)
			}
		})
	}
}
