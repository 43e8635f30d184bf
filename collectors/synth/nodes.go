package synth

import (
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
)

// node writes a Node as a managed cloud node reads: labels for its zone
// and instance type, its pod range, an InternalIP (one node in ten also
// has an ExternalIP, which exposes NodePorts) and, in a dump, its status.
func (g *nsGen) node(n *nodePlan) {
	obj := &corev1.Node{}
	obj.Name = n.name
	obj.Labels = map[string]string{
		corev1.LabelHostname:           n.name,
		corev1.LabelOSStable:           "linux",
		corev1.LabelArchStable:         "amd64",
		corev1.LabelInstanceTypeStable: n.instanceType,
		corev1.LabelTopologyRegion:     "eu-west-1",
		corev1.LabelTopologyZone:       n.zone,
	}
	cidr := podCIDR(n.index)
	obj.Spec.PodCIDR, obj.Spec.PodCIDRs = cidr, []string{cidr}
	obj.Spec.ProviderID = "aws:///" + n.zone + "/i-0" + g.r.hex(16)
	obj.Status.Addresses = []corev1.NodeAddress{
		{Type: corev1.NodeInternalIP, Address: nodeIP(n.index)},
		{Type: corev1.NodeHostName, Address: n.name},
		{Type: corev1.NodeInternalDNS, Address: n.name},
	}
	if n.public {
		obj.Status.Addresses = append(obj.Status.Addresses, corev1.NodeAddress{Type: corev1.NodeExternalIP, Address: nodeExternalIP(n.index)})
	}
	obj.Status.NodeInfo = corev1.NodeSystemInfo{
		MachineID: g.r.hex(32), SystemUUID: g.r.uid(), BootID: g.r.uid(),
		KernelVersion: "6.8.0-1019-aws", OSImage: "Ubuntu 24.04.1 LTS", ContainerRuntimeVersion: "containerd://1.7.24",
		KubeletVersion: "v1.31.4", OperatingSystem: "linux", Architecture: "amd64",
	}
	if g.o.Dump {
		capacity := corev1.ResourceList{
			corev1.ResourceCPU:    resource.MustParse("8"),
			corev1.ResourceMemory: resource.MustParse("32386544Ki"),
			corev1.ResourcePods:   resource.MustParse("110"),
		}
		obj.Status.Capacity, obj.Status.Allocatable = capacity, capacity
		t := g.time()
		obj.Status.Conditions = []corev1.NodeCondition{
			{Type: corev1.NodeMemoryPressure, Status: corev1.ConditionFalse, LastHeartbeatTime: t, LastTransitionTime: t, Reason: "KubeletHasSufficientMemory"},
			{Type: corev1.NodeDiskPressure, Status: corev1.ConditionFalse, LastHeartbeatTime: t, LastTransitionTime: t, Reason: "KubeletHasNoDiskPressure"},
			{Type: corev1.NodePIDPressure, Status: corev1.ConditionFalse, LastHeartbeatTime: t, LastTransitionTime: t, Reason: "KubeletHasSufficientPID"},
			{Type: corev1.NodeReady, Status: corev1.ConditionTrue, LastHeartbeatTime: t, LastTransitionTime: t, Reason: "KubeletReady"},
		}
	}
	g.add(obj, false)
}
