package synth

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// source is a deterministic random source. Each namespace draws from its
// own, derived from the seed and the namespace's place in the plan, so a
// namespace reads the same whatever is generated before it.
type source struct{ *rand.Rand }

func newSource(seed uint64, stream ...uint64) source {
	s := seed
	for _, x := range stream {
		s = s*0x9e3779b97f4a7c15 + x + 1 // splitmix-style mixing of the stream id
	}
	return source{rand.New(rand.NewPCG(seed, s))}
}

// chance reports true with probability p.
func (r source) chance(p float64) bool { return r.Float64() < p }

// pick returns a random element of xs.
func pick[T any](r source, xs []T) T { return xs[r.IntN(len(xs))] }

// skew returns a positive weight from a log-normal distribution: most
// draws are near 1, a few are many times larger, as replica counts and
// namespace sizes are.
func (r source) skew(sigma float64) float64 { return math.Exp(r.NormFloat64() * sigma) }

// hex returns n random lower-case hex digits.
func (r source) hex(n int) string {
	const digits = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = digits[r.IntN(16)]
	}
	return string(b)
}

// suffix returns the n-character suffix Kubernetes gives generated names
// (consonants and digits, no vowels).
func (r source) suffix(n int) string {
	const alphabet = "bcdfghjklmnpqrstvwxz2456789"
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	return string(b)
}

// uid returns a random version-4 UUID.
func (r source) uid() string {
	return fmt.Sprintf("%s-%s-4%s-%s-%s", r.hex(8), r.hex(4), r.hex(3), r.hex(4), r.hex(12))
}

// spread splits total into len(weights) parts of at least least each, the
// rest in proportion to the weights, by largest remainder; a part whose
// weight is 0 gets least. The parts always sum to total when total is at
// least least × len(weights) and some weight is positive.
func spread(total int, weights []float64, least int) []int {
	parts := make([]int, len(weights))
	rest := total - least*len(weights)
	var sum float64
	for _, w := range weights {
		sum += w
	}
	type frac struct {
		i int
		f float64
	}
	var fracs []frac
	given := 0
	for i, w := range weights {
		parts[i] = least
		if rest <= 0 || sum == 0 || w == 0 {
			continue
		}
		share := float64(rest) * w / sum
		whole := int(share)
		parts[i] += whole
		given += whole
		fracs = append(fracs, frac{i, share - float64(whole)})
	}
	slices.SortStableFunc(fracs, func(a, b frac) int {
		switch {
		case a.f > b.f:
			return -1
		case a.f < b.f:
			return 1
		}
		return 0
	})
	for k := 0; given < rest && len(fracs) > 0; k++ {
		parts[fracs[k%len(fracs)].i]++
		given++
	}
	return parts
}

func toFloats(xs []int) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = float64(x)
	}
	return out
}

func sum[T int | float64](xs []T) T {
	var s T
	for _, x := range xs {
		s += x
	}
	return s
}

// unique returns name, or name with a number appended when taken already.
func unique(seen map[string]bool, name string) string {
	out := name
	for n := 2; seen[out]; n++ {
		out = fmt.Sprintf("%s-%d", name, n)
	}
	seen[out] = true
	return out
}

// teams name application namespaces and the groups that own them.
var teams = []string{
	"accounts", "ads", "analytics", "audit", "auth", "billing", "booking", "cart", "catalog", "checkout",
	"claims", "comms", "content", "crm", "data", "delivery", "docs", "edge", "email", "events",
	"feeds", "fraud", "gateway", "geo", "growth", "help", "identity", "imaging", "inventory", "invoices",
	"kyc", "ledger", "loyalty", "maps", "media", "messaging", "mobile", "notify", "orders", "partners",
	"payments", "payroll", "pricing", "profiles", "promo", "quotes", "ratings", "recs", "refunds", "reports",
	"returns", "reviews", "risk", "search", "shipping", "social", "stock", "support", "tax", "wallet",
}

var envs = []string{"prod", "staging", "dev", "qa", "sandbox"}

// nouns and roles name workloads: "ledger-api", "cart-worker".
var nouns = []string{
	"account", "asset", "audit", "basket", "batch", "cache", "card", "cart", "coupon", "customer",
	"document", "event", "export", "feed", "file", "import", "index", "invoice", "item", "job",
	"label", "ledger", "mail", "media", "order", "page", "payment", "photo", "plan", "price",
	"profile", "quote", "rate", "receipt", "report", "route", "rule", "score", "session", "ship",
	"sku", "slot", "stock", "store", "tag", "task", "ticket", "token", "user", "vendor",
}

var roles = map[tier][]string{
	tierWeb:    {"web", "frontend", "ui", "portal", "gateway"},
	tierAPI:    {"api", "service", "backend", "grpc", "graphql"},
	tierWorker: {"worker", "consumer", "processor", "indexer", "sync"},
	tierDB:     {"db", "postgres", "mysql", "mongo", "store"},
	tierCache:  {"cache", "redis", "memcached"},
	tierBatch:  {"cleanup", "export", "report", "backup", "migrate"},
}

// users are people named in bindings.
var users = []string{
	"alex", "blair", "casey", "dana", "eli", "frankie", "gray", "harper", "indra", "jules",
	"kai", "lee", "morgan", "noor", "oak", "pat", "quinn", "reese", "sam", "taylor",
}
