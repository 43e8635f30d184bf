package graph

import (
	"fmt"
	"strconv"
	"strings"
)

// PortSpec is a port as written in keys, flags and edge labels: "tcp/8080",
// "udp/53", a range "tcp/8000-8100", all ports of a protocol "tcp/any", or
// "any".
type PortSpec struct {
	Protocol string // "tcp", "udp", "sctp"; empty for "any"
	From, To int32  // 0, 0 for every port
}

// ParsePort reads a port spec. A port typed by a user must name one
// protocol; "any" is accepted where a set of ports is meant.
func ParsePort(s string) (PortSpec, error) {
	if s == "any" {
		return PortSpec{}, nil
	}
	proto, num, ok := strings.Cut(strings.ToLower(s), "/")
	switch {
	case !ok:
		return PortSpec{}, fmt.Errorf("invalid port %q: write PROTOCOL/NUMBER, e.g. tcp/8080 or udp/53", s)
	case proto != "tcp" && proto != "udp" && proto != "sctp":
		return PortSpec{}, fmt.Errorf("invalid port %q: protocol must be tcp, udp or sctp", s)
	case num == "any":
		return PortSpec{Protocol: proto}, nil
	}
	lo, hi, isRange := strings.Cut(num, "-")
	from, err := strconv.ParseUint(lo, 10, 16)
	if err != nil || from == 0 {
		return PortSpec{}, fmt.Errorf("invalid port %q: the number must be 1-65535", s)
	}
	to := from
	if isRange {
		if to, err = strconv.ParseUint(hi, 10, 16); err != nil || to < from {
			return PortSpec{}, fmt.Errorf("invalid port range %q", s)
		}
	}
	return PortSpec{Protocol: proto, From: int32(from), To: int32(to)}, nil
}

// Covers reports whether every port of o is in p.
func (p PortSpec) Covers(o PortSpec) bool {
	switch {
	case p.Protocol == "":
		return true
	case p.Protocol != o.Protocol:
		return false
	case p.From == 0:
		return true
	}
	return o.From != 0 && p.From <= o.From && o.To <= p.To
}

func (p PortSpec) String() string {
	switch {
	case p.Protocol == "":
		return "any"
	case p.From == 0:
		return p.Protocol + "/any"
	case p.From == p.To:
		return fmt.Sprintf("%s/%d", p.Protocol, p.From)
	}
	return fmt.Sprintf("%s/%d-%d", p.Protocol, p.From, p.To)
}
