package graph

import "testing"

func TestParsePort(t *testing.T) {
	t.Parallel()
	good := map[string]PortSpec{
		"tcp/8080":      {"tcp", 8080, 8080},
		"UDP/53":        {"udp", 53, 53},
		"sctp/7070":     {"sctp", 7070, 7070},
		"tcp/8000-8100": {"tcp", 8000, 8100},
		"tcp/any":       {"tcp", 0, 0},
		"any":           {},
	}
	for in, want := range good {
		got, err := ParsePort(in)
		if err != nil || got != want {
			t.Errorf("ParsePort(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	for _, bad := range []string{"8080", "http/80", "tcp/0", "tcp/70000", "tcp/90-80", "tcp/", "tcp/x"} {
		if _, err := ParsePort(bad); err == nil {
			t.Errorf("ParsePort(%q) accepted a bad port", bad)
		}
	}
}

func TestPortCovers(t *testing.T) {
	t.Parallel()
	p := func(s string) PortSpec {
		x, err := ParsePort(s)
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	tests := []struct {
		set, port string
		want      bool
	}{
		{"any", "udp/53", true},
		{"tcp/any", "tcp/1", true},
		{"tcp/any", "udp/53", false},
		{"tcp/8000-8100", "tcp/8080", true},
		{"tcp/8000-8100", "tcp/8101", false},
		{"tcp/8080", "tcp/8080", true},
		{"tcp/8080", "tcp/any", false},
	}
	for _, tt := range tests {
		if got := p(tt.set).Covers(p(tt.port)); got != tt.want {
			t.Errorf("%s covers %s = %t, want %t", tt.set, tt.port, got, tt.want)
		}
	}
}
