package synth

import "fmt"

// nodeIP is the InternalIP of node i of a cluster.
func nodeIP(i int) string {
	v := i + 256
	return fmt.Sprintf("10.%d.%d.%d", (v>>16)&255, (v>>8)&255, v&255)
}

// nodeExternalIP is the ExternalIP of node i, from 198.18.0.0/15.
func nodeExternalIP(i int) string {
	return fmt.Sprintf("198.%d.%d.%d", 18+(i>>16)&1, (i>>8)&255, i&255)
}

// podCIDR is the pod range of node i, in 100.64.0.0/10.
func podCIDR(i int) string {
	return fmt.Sprintf("100.%d.%d.0/24", 64+(i>>8)&63, i&255)
}

func dashed(ip string) string {
	b := []byte(ip)
	for i, c := range b {
		if c == '.' {
			b[i] = '-'
		}
	}
	return string(b)
}
