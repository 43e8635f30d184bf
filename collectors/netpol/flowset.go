package netpol

import (
	"cmp"
	"math/bits"
	"slices"
)

// flowSet accumulates flows by (from, to) without hashing or a final sort.
// Flows is built in two passes, each adding the flows of one endpoint at a
// time — its anchor: first each destination in order, then each source in
// order. While an anchor is current, a dense slot per endpoint finds the
// flow it shares with the anchor. The first pass leaves each source's flows
// ordered by destination; the second appends a source's new flows as one
// run, so the sorted result is a merge per source.
//
// A flow's ports are kept as a set of indexes into its destination's ports,
// and its reasons as slices shared with the rules that gave them until a
// second, different list has to be merged in: most flows cost no
// allocation beyond their slot in a block.
type flowSet struct {
	n      int                // endpoints; index n in slot stands for the nil source
	blocks [][]pendingFlow    // storage, in blocks that never move
	count  int32              // flows stored
	wide   map[int32][]uint64 // port indexes from 64 on, by flow, for the rare endpoint with that many
	slot   []int32            // per endpoint: its flow with the anchor, where stamp is epoch
	stamp  []int32            //
	epoch  int32              //
	anchor *Endpoint          //
	isDst  bool               // whether the anchor is the flows' destination
	first  int32              // flows stored by the first pass
	bySrc  [][]int32          // per source id + 1 (0: nil), its first-pass flows, by destination
	runs   [][2]int32         // per source id + 1, the run of flows the second pass added
}

type pendingFlow struct {
	from, to        *Endpoint
	ports           uint64 // bit i: to.Ports[i], for i < 64
	egress, ingress []Reason
}

const blockSize = 4096

func newFlowSet(n int) *flowSet {
	return &flowSet{n: n, wide: map[int32][]uint64{}, slot: make([]int32, n+1), stamp: make([]int32, n+1)}
}

func (fs *flowSet) flow(i int32) *pendingFlow { return &fs.blocks[i/blockSize][i%blockSize] }

// toDestination makes dst the anchor of the first pass.
func (fs *flowSet) toDestination(dst *Endpoint) {
	fs.epoch++
	fs.anchor, fs.isDst = dst, true
}

// fromSource makes src the anchor of the second pass, which must visit
// sources in order. Its flows from the first pass take their slots.
func (fs *flowSet) fromSource(src *Endpoint) {
	if fs.bySrc == nil {
		fs.indexSources()
	}
	fs.closeRun()
	fs.epoch++
	fs.anchor, fs.isDst = src, false
	for _, i := range fs.bySrc[src.id+1] {
		to := fs.flow(i).to.id
		fs.slot[to], fs.stamp[to] = i, fs.epoch
	}
	fs.runs[src.id+1] = [2]int32{fs.count, fs.count}
}

// closeRun records where the current source's second-pass flows end.
func (fs *flowSet) closeRun() {
	if fs.anchor != nil && !fs.isDst {
		fs.runs[fs.anchor.id+1][1] = fs.count
	}
}

// indexSources lists the first pass's flows per source. The first pass
// visited destinations in order, so each list is ordered by destination.
func (fs *flowSet) indexSources() {
	fs.first = fs.count
	fs.bySrc = make([][]int32, fs.n+1)
	fs.runs = make([][2]int32, fs.n+1)
	counts := make([]int32, fs.n+1)
	for i := range fs.count {
		counts[sourceIndex(fs.flow(i).from)]++
	}
	flat := make([]int32, 0, fs.count)
	for s, c := range counts {
		fs.bySrc[s] = flat[len(flat) : len(flat) : len(flat)+int(c)]
		flat = flat[:len(flat)+int(c)]
	}
	for i := range fs.count {
		s := sourceIndex(fs.flow(i).from)
		fs.bySrc[s] = append(fs.bySrc[s], i)
	}
}

func sourceIndex(ep *Endpoint) int {
	if ep == nil {
		return 0
	}
	return ep.id + 1
}

// add records that from may send to to on to.Ports[port], for the reasons
// given; one of from and to is the anchor. The reason slices must not
// change afterwards and must have no spare capacity, since the flow may
// keep them as they are.
func (fs *flowSet) add(from, to *Endpoint, port int, egress, ingress []Reason) {
	other := fs.n // the nil source
	switch {
	case !fs.isDst:
		other = to.id
	case from != nil:
		other = from.id
	}
	var f *pendingFlow
	if fs.stamp[other] == fs.epoch {
		f = fs.flow(fs.slot[other])
	} else {
		i := fs.count
		if int(i)/blockSize == len(fs.blocks) {
			fs.blocks = append(fs.blocks, make([]pendingFlow, blockSize))
		}
		fs.count++
		fs.slot[other], fs.stamp[other] = i, fs.epoch
		f = fs.flow(i)
		f.from, f.to = from, to
	}
	if port < 64 {
		f.ports |= 1 << port
	} else {
		i := fs.slot[other]
		w := fs.wide[i]
		for len(w) <= port/64-1 {
			w = append(w, 0)
		}
		w[port/64-1] |= 1 << (port % 64)
		fs.wide[i] = w
	}
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

// sorted returns the flows ordered by source (nil first), then destination.
func (fs *flowSet) sorted() []Flow {
	if fs.bySrc == nil {
		fs.indexSources()
	}
	fs.closeRun()
	out := make([]Flow, 0, fs.count)
	emit := func(i int32) { out = append(out, fs.output(i)) }
	var merged []int32
	for s, firsts := range fs.bySrc {
		if run := fs.runs[s]; run[0] == run[1] {
			for _, i := range firsts {
				emit(i)
			}
			continue
		}
		merged = append(merged[:0], firsts...)
		for i := fs.runs[s][0]; i < fs.runs[s][1]; i++ {
			merged = append(merged, i)
		}
		slices.SortFunc(merged, func(a, b int32) int { return cmp.Compare(fs.flow(a).to.id, fs.flow(b).to.id) })
		for _, i := range merged {
			emit(i)
		}
	}
	return out
}

// output returns flow i as Flows tells it.
func (fs *flowSet) output(i int32) Flow {
	f := fs.flow(i)
	return Flow{From: f.from, To: f.to, Ports: fs.ports(i, f), Egress: f.egress, Ingress: f.ingress}
}

// ports returns the ports flow i holds, in order. A destination's ports
// are sorted, so they are too; a single run of them is shared with the
// destination rather than copied.
func (fs *flowSet) ports(i int32, f *pendingFlow) []Port {
	all := f.to.Ports
	wide, hasWide := fs.wide[i]
	if !hasWide && f.ports != 0 {
		lo := bits.TrailingZeros64(f.ports)
		n := bits.OnesCount64(f.ports)
		if f.ports>>lo == 1<<n-1 { // one run: bits lo … lo+n-1
			return all[lo : lo+n : lo+n]
		}
	}
	var out []Port
	for j := range all {
		in := j < 64 && f.ports&(1<<j) != 0
		if j >= 64 && j/64-1 < len(wide) {
			in = wide[j/64-1]&(1<<(j%64)) != 0
		}
		if in {
			out = append(out, all[j])
		}
	}
	return out
}
