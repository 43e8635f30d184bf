package graph

// Technique is what an attacker does to take a step, in words a reviewer
// reads directly in tables and diagram labels.
type Technique string

// Techniques produced by the topology builder. Later builders add their own.
const (
	// A container holds its pod's service-account token.
	TechMountToken Technique = "use mounted token"
	// A container reads a Secret mounted as a volume (also projected).
	TechMountSecret Technique = "read mounted secret"
	// A container reads a Secret exposed as environment variables.
	TechEnvSecret Technique = "read secret from env"
	// Traffic to a Service reaches the pods its selector matches.
	TechServiceRoute Technique = "route to pods"
	// An Ingress forwards traffic to a Service.
	TechIngressRoute Technique = "route to service"
)

// defaultCost is the attacker effort of each technique, lower is easier. It
// is the one table the shortest-path search weighs steps by; a step that
// needs nothing but presence (reading a file in the container) costs 1.
var defaultCost = map[Technique]float64{
	TechMountToken:   1,
	TechMountSecret:  1,
	TechEnvSecret:    1,
	TechServiceRoute: 1,
	TechIngressRoute: 1,
}

// DefaultCost returns the documented cost of t, or 5 for a technique that
// has none recorded (unknown steps are assumed harder than known easy ones).
func (t Technique) DefaultCost() float64 {
	if c, ok := defaultCost[t]; ok {
		return c
	}
	return 5
}
