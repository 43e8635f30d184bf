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

	// A container opens a connection that NetworkPolicy allows its pod
	// (Edge.Ports says on what). Connections leave from containers, which an
	// attacker controls, and arrive at pod groups, which an attacker only
	// reaches: reaching a pod is not speaking as it.
	TechConnect Technique = "connect"
	// The internet reaches a LoadBalancer, NodePort, externalIP, Ingress, hostPort or hostNetwork endpoint.
	TechExposed Technique = "reach from internet"
	// A pod whose egress admits external addresses reaches the internet (exfiltration, callbacks, other clusters).
	TechEgressInternet Technique = "connect to internet"
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

// Techniques produced by the escape builder: a container reaching the node
// it runs on (or a sibling container), and a node reaching what runs on it.
// An escape that needs root in the container costs 2 more when the
// container runs as a known non-root user (or in a user namespace), and one
// that AppArmor or SELinux mediates costs 1 more when the spec asks for
// either; the builder adds those to the costs below and says why in the
// edge's note.
const (
	// privileged: true (or a Windows hostProcess container): every
	// capability, every host device, no seccomp or AppArmor; mounting the
	// host disk or a cgroup release_agent is a scripted, one-step escape.
	TechEscapePrivileged Technique = "escape via privileged"
	// privileged and hostPID: `nsenter -t 1 -a` is a root shell on the host.
	TechEscapeNsenter Technique = "nsenter into host PID 1"
	// hostPID with CAP_SYS_PTRACE: ptrace a host process, or open its
	// /proc/PID/root and /proc/PID/ns (both pass the ptrace access check).
	TechEscapeHostProcess Technique = "inject into host process"
	// CAP_SYS_MODULE: insmod runs code in the host kernel.
	TechEscapeKernelModule Technique = "load kernel module"
	// CAP_SYS_ADMIN: mount the host disk or a cgroup with a release_agent.
	TechEscapeSysAdmin Technique = "escape via CAP_SYS_ADMIN"
	// CAP_DAC_READ_SEARCH: open_by_handle_at ("shocker") reads host files.
	TechEscapeOpenByHandle Technique = "read host files via open_by_handle_at"
	// hostPath of a container runtime socket (or a directory holding one).
	TechEscapeRuntimeSocket Technique = "control container runtime"
	// writable hostPath of /, /etc, /root or /home.
	TechEscapeWriteHost Technique = "write host filesystem"
	// hostPath of the kubelet's directories, or a read-only sensitive one.
	TechEscapeReadNode Technique = "read node credentials"
	// writable hostPath of /proc/sys/kernel (or /proc): core_pattern, modprobe.
	TechEscapeKernelParams Technique = "write kernel parameters"
	// writable hostPath of /var/log: a symlink the kubelet follows on logs.
	TechEscapeLogSymlink Technique = "read host files via log symlink"
	// hostNetwork: the node's network namespace and localhost services.
	TechEscapeHostNetwork Technique = "use node network"
	// shareProcessNamespace: /proc/PID/root of the pod's other containers.
	TechSiblingContainer Technique = "enter sibling container"

	// A node may be given any pod not pinned elsewhere, and runs every
	// DaemonSet (edge to the cluster's schedulable transit vertex).
	TechNodeSchedulable Technique = "may host any pod"
	// Root on a node controls its containers (through the runtime).
	TechNodeContainers Technique = "control containers on node"
	// Root on a node reads the tokens of its pods from the kubelet's directory.
	TechNodeToken Technique = "steal token from node"
	// Root on a node reads its pods' Secret volumes and environments.
	TechNodeSecret Technique = "read secrets on node"
	// Root on a node holds the kubelet's client credential (system:node:NAME).
	TechKubeletCredentials Technique = "use kubelet credentials"
)

// Techniques that join clusters.
const (
	// A Secret holds credentials (a kubeconfig) for another loaded cluster.
	TechForeignCredential Technique = "use stored credentials of another cluster"
)

// Steps out of the per-namespace privilege vertices and the node hub: the
// choice an attacker who holds the right makes. They cost half a step, so
// a path through a hub costs about what the direct step did.
const (
	// create pods in a namespace (the step into create-pods/NS).
	TechCreatePods Technique = "create pods"
	// control-pods/NS to one of its containers.
	TechRunInPod Technique = "run code in pod"
	// any-node to one node: a pod's nodeName, or the scheduler, puts it
	// there. Half a step, like a pod group that is not pinned: the pod may,
	// not must, be on that node.
	TechPickNode Technique = "schedule onto node"
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
	// Reading the Secret is the work; using a kubeconfig is one command.
	TechForeignCredential: {cost: 1},
	TechCreatePods:        {cost: 1.5},
	TechRunInPod:          {cost: 0.5},
	TechPickNode:          {cost: 0.5},

	// Escapes. Cost 1: one scripted step needing nothing but the primitive.
	// privileged: mount the host disk, or a cgroup v1 release_agent; every
	// public escape tool automates it.
	TechEscapePrivileged: {cost: 1},
	// privileged + hostPID: nsenter into PID 1's namespaces, a shell on the host.
	TechEscapeNsenter: {cost: 1},
	// A runtime socket starts a privileged container with / mounted: one
	// API call. Starting containers outside Kubernetes' view also persists.
	TechEscapeRuntimeSocket: {cost: 1, persistence: true},
	// A writable / or /etc is a cron job, systemd unit or static pod
	// manifest away from root on the host (1); /root and /home need a
	// login to happen or sshd to be reachable, which the builder adds (+1).
	// What is written stays: persistence.
	TechEscapeWriteHost: {cost: 1, persistence: true},
	// Cost 2: a primitive plus a step that needs care or waiting.
	// Node credentials (the kubelet client key, every pod's token and
	// Secret volume) read from the kubelet's directory or a read-only /:
	// no code execution, but the node's identities (2). A read-only /etc,
	// /root or /home holds credentials less surely (+1, added by the builder).
	TechEscapeReadNode: {cost: 2},
	// core_pattern or modprobe set from a writable host /proc/sys/kernel:
	// root code runs on the next crash or module request, which the
	// attacker triggers (2).
	TechEscapeKernelParams: {cost: 2},
	// Capability-based escapes, 2 to 3. hostPID with SYS_PTRACE: pick a
	// host process and inject into it or setns (2); AppArmor's default
	// profile denies ptrace to unconfined peers (+1 when the spec sets it).
	TechEscapeHostProcess: {cost: 2},
	// SYS_MODULE: build a module for the host kernel and insmod it (2). A
	// module stays loaded: persistence.
	TechEscapeKernelModule: {cost: 2, persistence: true},
	// SYS_ADMIN: mount + release_agent works when AppArmor and SELinux do
	// not confine the container (2); with either in the spec, a bypass is
	// needed (+1).
	TechEscapeSysAdmin: {cost: 2},
	// DAC_READ_SEARCH: open_by_handle_at brute-forces handles from a
	// bind-mounted host file; it reads host files rather than running
	// code (3).
	TechEscapeOpenByHandle: {cost: 3},
	// hostNetwork: the node's localhost-only services, kubelet ports and
	// host traffic, past every NetworkPolicy; it reaches the node's network
	// identity, not a shell (3).
	TechEscapeHostNetwork: {cost: 3},
	// /var/log writable: works only for someone who can also get pods/log
	// for the pod, which this step does not check (4).
	TechEscapeLogSymlink: {cost: 4},
	// Shared PID namespace: a sibling's filesystem through /proc/PID/root,
	// guarded only by file permissions (2).
	TechSiblingContainer: {cost: 2},

	// From a node. Each is one read or call as root on the host (1). A pod
	// group that is not pinned reaches a node through the schedulable
	// vertex, one more step: it may, not must, run there.
	TechNodeSchedulable:    {cost: 1},
	TechNodeContainers:     {cost: 1},
	TechNodeToken:          {cost: 1},
	TechNodeSecret:         {cost: 1},
	TechKubeletCredentials: {cost: 1},
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
