package topology

import (
	"strconv"

	"github.com/trustpath/trustpath/collectors/workload"
	"github.com/trustpath/trustpath/graph"
)

// podGroup adds the group's vertex, its containers and their steps.
func (b *builder) podGroup(pg *workload.Group) {
	ns := pg.Meta.Namespace
	v := &graph.Vertex{Key: pg.Key, Kind: pg.Kind, Name: pg.Meta.Name,
		Loc: graph.Location{Cluster: b.s.Cluster, Namespace: ns, Pod: pg.Key}}
	v.SetProp(graph.PropReplicas, strconv.Itoa(pg.Replicas))
	if pg.Kind == graph.KindDaemonSet {
		v.SetProp("per-node", "true")
	}
	if pg.Pods > 0 && pg.Kind != graph.KindPod {
		v.SetProp("pods-in-input", strconv.Itoa(pg.Pods))
	}
	if len(pg.Nodes) > 0 {
		v.SetProp("nodes", joinSorted(pg.Nodes))
	}
	markObject(v, pg.Meta)
	markObject(v, &pg.Template.ObjectMeta)
	b.add(v)

	spec := &pg.Template.Spec
	sa := b.podServiceAccount(pg)
	for _, c := range allContainers(spec) {
		b.container(pg, spec, c, sa)
	}
}
