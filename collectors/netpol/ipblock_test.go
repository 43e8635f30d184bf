package netpol

import (
	"net/netip"
	"testing"
)

func block(cidr string, except ...string) ipBlock {
	b := ipBlock{cidr: netip.MustParsePrefix(cidr)}
	for _, e := range except {
		b.except = append(b.except, netip.MustParsePrefix(e))
	}
	return b
}

func TestIPBlockPublic(t *testing.T) {
	t.Parallel()
	tests := []struct {
		b    ipBlock
		want bool
	}{
		{block("0.0.0.0/0"), true},
		{block("0.0.0.0/0", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"), true},
		{block("10.0.0.0/8"), false},
		{block("192.168.1.0/24"), false},
		{block("203.0.113.0/24"), true},
		{block("203.0.113.0/24", "203.0.113.0/24"), false},
		{block("203.0.113.0/24", "203.0.113.0/25", "203.0.113.128/25"), false},
		{block("203.0.113.0/24", "203.0.113.0/25"), true},
		{block("203.0.113.7/32"), true},
		{block("::/0"), true},
		{block("fd00::/8"), false},
		{block("2001:db8::/32"), true},
	}
	for _, tt := range tests {
		if got := tt.b.public(); got != tt.want {
			t.Errorf("%v except %v: public() = %t, want %t", tt.b.cidr, tt.b.except, got, tt.want)
		}
	}
}

func TestIPBlockHolds(t *testing.T) {
	t.Parallel()
	b := block("10.0.0.0/8", "10.0.1.0/24")
	for addr, want := range map[string]bool{"10.0.0.1": true, "10.0.1.10": false, "11.0.0.1": false} {
		if got := b.holds(netip.MustParseAddr(addr)); got != want {
			t.Errorf("holds(%s) = %t, want %t", addr, got, want)
		}
	}
	if !b.holdsAnyOf(private) {
		t.Error("10.0.0.0/8 except 10.0.1.0/24 holds private addresses")
	}
	if block("10.0.1.0/24", "10.0.1.0/24").holdsAnyOf(private) {
		t.Error("a block whose except covers it holds nothing")
	}
	if block("203.0.113.0/24").holdsAnyOf(private) {
		t.Error("a public block holds no private address")
	}
}
