package netpol

import (
	"cmp"
	"math/bits"
	"slices"
)

// flowSet accumulates flows by (from, to). A flow's ports are kept as a set
// of indexes into its destination's ports, and its reasons as slices shared
// with the rules that gave them until a second, different list has to be
// merged in: most flows then cost no allocation beyond their slot.
type flowSet struct {
	index map[uint64]int32 // flowKey → position in flows
	flows []pendingFlow
}

type pendingFlow struct {
	key             uint64
	from, to        *Endpoint
	ports           portSet
	egress, ingress []Reason
}

// flowKey orders flows as Flows returns them: by source (nil first), then
// destination.
func flowKey(from, to *Endpoint) uint64 {
	f := uint64(0)
	if from != nil {
		f = uint64(from.id) + 1
	}
	return f<<32 | uint64(to.id)
}

// add records that from may send to to on to.Ports[port], for the reasons
// given. The reason slices must not change afterwards and must have no
// spare capacity, since the flow may keep them as they are.
func (fs *flowSet) add(from, to *Endpoint, port int, egress, ingress []Reason) {
	k := flowKey(from, to)
	i, ok := fs.index[k]
	if !ok {
		i = int32(len(fs.flows))
		fs.index[k] = i
		fs.flows = append(fs.flows, pendingFlow{key: k, from: from, to: to})
	}
	f := &fs.flows[i]
	f.ports.add(port)
	f.egress = mergeReasons(f.egress, egress)
	f.ingress = mergeReasons(f.ingress, ingress)
}

// mergeReasons adds to have the reasons of more it lacks. A slice taken
// over as it is has no spare capacity, so appending to it later copies it.
func mergeReasons(have, more []Reason) []Reason {
	switch {
	case len(more) == 0:
		return have
	case len(have) == 0:
		return slices.Clip(more)
	case len(have) == len(more) && &have[0] == &more[0]:
		return have
	}
	for _, r := range more {
		if !slices.Contains(have, r) {
			have = append(have, r)
		}
	}
	return have
}

// sorted returns the flows in key order.
func (fs *flowSet) sorted() []Flow {
	slices.SortFunc(fs.flows, func(a, b pendingFlow) int { return cmp.Compare(a.key, b.key) })
	out := make([]Flow, len(fs.flows))
	for i := range fs.flows {
		f := &fs.flows[i]
		out[i] = Flow{From: f.from, To: f.to, Ports: f.ports.of(f.to.Ports), Egress: f.egress, Ingress: f.ingress}
	}
	return out
}

// portSet is a set of indexes into an endpoint's ports, which are few: the
// first 64 live in a word, any others in more.
type portSet struct {
	low  uint64
	more []uint64
}

func (s *portSet) add(i int) {
	if i < 64 {
		s.low |= 1 << i
		return
	}
	w := i/64 - 1
	for len(s.more) <= w {
		s.more = append(s.more, 0)
	}
	s.more[w] |= 1 << (i % 64)
}

func (s *portSet) has(i int) bool {
	if i < 64 {
		return s.low&(1<<i) != 0
	}
	w := i/64 - 1
	return w < len(s.more) && s.more[w]&(1<<(i%64)) != 0
}

// of returns the ports of all that s holds, in order. all is sorted, so
// they are too; a single run of them is shared with all rather than copied.
func (s *portSet) of(all []Port) []Port {
	if s.more == nil && s.low != 0 {
		lo := bits.TrailingZeros64(s.low)
		n := bits.OnesCount64(s.low)
		if s.low>>lo == 1<<n-1 { // one run: bits lo … lo+n-1
			return all[lo : lo+n : lo+n]
		}
	}
	var out []Port
	for i := range all {
		if s.has(i) {
			out = append(out, all[i])
		}
	}
	return out
}
