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

	// A pod opens a connection that NetworkPolicy allows (Edge.Ports says on what).
	TechConnect Technique = "connect"
	// The internet reaches a LoadBalancer, NodePort, externalIP, Ingress, hostPort or hostNetwork endpoint.
	TechExposed Technique = "reach from internet"
	// A pod whose egress admits external addresses reaches the internet (exfiltration, callbacks, other clusters).
	TechEgressInternet Technique = "connect to internet"
	// A compromised container speaks with its pod's network identity.
	TechPodNetwork Technique = "use pod network"
	// Traffic that reaches a pod is turned into code execution in a listening container.
	TechExploit Technique = "exploit listening service"
)

// defaultCost is the attacker effort of each technique, lower is easier. It
// is the one table the shortest-path search weighs steps by; a step that
// needs nothing but presence (reading a file in the container) costs 1.
var defaultCost = map[Technique]float64{
	TechMountToken:     1,
	TechMountSecret:    1,
	TechEnvSecret:      1,
	TechServiceRoute:   1,
	TechIngressRoute:   1,
	TechConnect:        1,
	TechExposed:        1,
	TechEgressInternet: 1,
	TechPodNetwork:     1,
	// Exploiting a service needs a vulnerability in it: the one step here
	// that is more than using what Kubernetes hands over.
	TechExploit: 5,
}

// DefaultCost returns the documented cost of t, or 5 for a technique that
// has none recorded (unknown steps are assumed harder than known easy ones).
func (t Technique) DefaultCost() float64 {
	if c, ok := defaultCost[t]; ok {
		return c
	}
	return 5
}
