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

// Techniques produced by the privilege builder from RBAC permissions.
const (
	// get/list/watch on secrets.
	TechReadSecret Technique = "read secret via API"
	// Reading a kubernetes.io/service-account-token Secret yields its account.
	TechReadTokenSecret Technique = "read token secret"
	// create pods, or a controller that creates them, running as an account.
	TechRunAsAccount Technique = "run pod as service account"
	// create pods that mount a Secret of the namespace.
	TechMountInNewPod Technique = "mount secret in new pod"
	// create a privileged pod (Pod Security admits it) and take its node.
	TechPrivilegedPod Technique = "create privileged pod"
	// patch/update a pod or its controller to run the attacker's code.
	TechModifyWorkload Technique = "modify workload"
	// pods/exec, pods/attach or pods/ephemeralcontainers.
	TechExec Technique = "exec into container"
	// pods/portforward: reach a pod's ports past NetworkPolicy.
	TechPortForward Technique = "port-forward to pod"
	// nodes/proxy: the kubelet API runs commands in any container of a node.
	TechKubeletProxy Technique = "exec via kubelet API"
	// serviceaccounts/token create.
	TechTokenRequest Technique = "request service-account token"
	// create a Secret of type kubernetes.io/service-account-token.
	TechTokenSecret Technique = "create token secret"
	// impersonate users, groups or service accounts.
	TechImpersonate Technique = "impersonate"
	// create/patch (cluster)rolebindings, or bind/escalate roles.
	TechBindRole Technique = "grant itself a role"
	// create and approve a CertificateSigningRequest for any identity.
	TechSignCertificate Technique = "sign client certificate"
	// wildcard rights equal to an admin role.
	TechAdmin Technique = "hold admin rights"

	// Persistence: what lets an attacker stay.
	TechCronJob   Technique = "schedule recurring pod"
	TechDaemonSet Technique = "run pod on every node"
	TechWebhook   Technique = "register admission webhook"
)

// techniqueInfo is what the analysis knows of a technique.
type techniqueInfo struct {
	cost        float64 // attacker effort; lower is easier
	persistence bool    // lets an attacker stay, not only move
}

// techniques is the one table of attacker effort the shortest-path search
// weighs steps by, and of which steps give persistence. A step that needs
// nothing but presence (reading a file in the container, using a right the
// identity holds) costs 1; a step that needs a new object to be scheduled
// costs 2; exploiting a vulnerability costs 5.
var techniques = map[Technique]techniqueInfo{
	TechMountToken:     {cost: 1},
	TechMountSecret:    {cost: 1},
	TechEnvSecret:      {cost: 1},
	TechServiceRoute:   {cost: 1},
	TechIngressRoute:   {cost: 1},
	TechConnect:        {cost: 1},
	TechExposed:        {cost: 1},
	TechEgressInternet: {cost: 1},
	TechPodNetwork:     {cost: 1},
	TechExploit:        {cost: 5},

	TechReadSecret:      {cost: 1},
	TechReadTokenSecret: {cost: 1},
	TechRunAsAccount:    {cost: 2},
	TechMountInNewPod:   {cost: 2},
	TechPrivilegedPod:   {cost: 2},
	TechModifyWorkload:  {cost: 2},
	TechExec:            {cost: 1},
	TechPortForward:     {cost: 1},
	TechKubeletProxy:    {cost: 1},
	TechTokenRequest:    {cost: 1},
	TechTokenSecret:     {cost: 1},
	TechImpersonate:     {cost: 1},
	TechBindRole:        {cost: 1},
	TechSignCertificate: {cost: 2},
	TechAdmin:           {cost: 1},
	TechCronJob:         {cost: 2, persistence: true},
	TechDaemonSet:       {cost: 2, persistence: true},
	TechWebhook:         {cost: 2, persistence: true},
}

// DefaultCost returns the documented cost of t, or 5 for a technique that
// has none recorded (unknown steps are assumed harder than known easy ones).
func (t Technique) DefaultCost() float64 {
	if i, ok := techniques[t]; ok {
		return i.cost
	}
	return 5
}

// Persistence reports whether t lets an attacker stay, which reports call out.
func (t Technique) Persistence() bool { return techniques[t].persistence }
