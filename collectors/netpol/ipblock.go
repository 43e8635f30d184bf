package netpol

import (
	"net/netip"
	"strings"
)

// nonPublic are the ranges that are never internet addresses: RFC 1918 and
// unique-local, loopback, link-local, carrier-grade NAT, and unspecified.
var nonPublic = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("127.0.0.0/8"),
	netip.MustParsePrefix("169.254.0.0/16"),
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"),
	netip.MustParsePrefix("::/128"),
	netip.MustParsePrefix("::1/128"),
	netip.MustParsePrefix("fc00::/7"),
	netip.MustParsePrefix("fe80::/10"),
}

// private are the ranges node addresses usually come from when Node objects
// do not say.
var private = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"),
	netip.MustParsePrefix("fc00::/7"),
}

// ipBlock is a parsed NetworkPolicy ipBlock.
type ipBlock struct {
	cidr   netip.Prefix
	except []netip.Prefix
}

// String writes the block as "CIDR except A,B".
func (b *ipBlock) String() string {
	var s strings.Builder
	s.WriteString(b.cidr.String())
	for i, e := range b.except {
		if i == 0 {
			s.WriteString(" except ")
		} else {
			s.WriteByte(',')
		}
		s.WriteString(e.String())
	}
	return s.String()
}

// public reports whether the block holds an internet address.
func (b ipBlock) public() bool {
	return remains(b.cidr, append(append([]netip.Prefix{}, b.except...), nonPublic...))
}

// holds reports whether the block holds a, outside its except list.
func (b ipBlock) holds(a netip.Addr) bool {
	if !b.cidr.Contains(a) {
		return false
	}
	for _, e := range b.except {
		if e.Contains(a) {
			return false
		}
	}
	return true
}

// holdsAnyOf reports whether the block holds an address of some prefix in ps
// (outside its except list).
func (b ipBlock) holdsAnyOf(ps []netip.Prefix) bool {
	for _, p := range ps {
		if p.Addr().Is4() != b.cidr.Addr().Is4() || !p.Overlaps(b.cidr) {
			continue
		}
		// The overlap of two prefixes is the longer of them.
		inner := p
		if b.cidr.Bits() > p.Bits() {
			inner = b.cidr
		}
		if remains(inner, b.except) {
			return true
		}
	}
	return false
}

// remains reports whether some address of p lies outside every hole. It
// halves p until each half is either inside a hole or clear of all of them,
// so its cost is bounded by the prefix length times the number of holes.
func remains(p netip.Prefix, holes []netip.Prefix) bool {
	overlapping := false
	for _, h := range holes {
		if h.Addr().Is4() != p.Addr().Is4() || !h.Overlaps(p) {
			continue
		}
		if h.Bits() <= p.Bits() {
			return false // the hole covers p
		}
		overlapping = true
	}
	if !overlapping {
		return true
	}
	lo, hi := halves(p)
	return remains(lo, holes) || remains(hi, holes)
}

// halves splits p into its two prefixes one bit longer.
func halves(p netip.Prefix) (netip.Prefix, netip.Prefix) {
	bits := p.Bits() + 1
	lo := netip.PrefixFrom(p.Addr(), bits).Masked()
	b := lo.Addr().AsSlice()
	i := (bits - 1) / 8
	b[i] |= 0x80 >> ((bits - 1) % 8)
	hiAddr, _ := netip.AddrFromSlice(b) // b has the length of a valid address
	if lo.Addr().Is4() {
		hiAddr = hiAddr.Unmap()
	}
	return lo, netip.PrefixFrom(hiAddr, bits)
}
