package topology

import (
	"fmt"
	"sort"
	"strings"

	networkingv1 "k8s.io/api/networking/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/trustpath/trustpath/collectors/estate"
	"github.com/trustpath/trustpath/collectors/workload"
	"github.com/trustpath/trustpath/graph"
)

// services adds each Service and a step to every pod group in its
// namespace whose template labels its selector matches. A Service without
// a selector routes to manually managed endpoints, which the input cannot
// tie to pods, so it gets no step.
func (b *builder) services() {
	byNamespace := map[string][]*workload.Group{}
	for _, pg := range b.groups {
		byNamespace[pg.Meta.Namespace] = append(byNamespace[pg.Meta.Namespace], pg)
	}
	for _, svc := range b.s.Services {
		key := b.key(graph.KindService, svc.Namespace, svc.Name)
		v := &graph.Vertex{Key: key, Kind: graph.KindService, Name: svc.Name, Loc: b.loc(svc.Namespace)}
		v.SetProp("type", string(svc.Spec.Type))
		var ports []string
		for _, p := range svc.Spec.Ports {
			s := fmt.Sprintf("%s/%d→%s", strings.ToLower(string(p.Protocol)), p.Port, p.TargetPort.String())
			if p.NodePort != 0 {
				s += fmt.Sprintf(" (nodePort %d)", p.NodePort)
			}
			ports = append(ports, s)
		}
		v.SetProp("ports", strings.Join(ports, ", "))
		markObject(v, &svc.ObjectMeta)
		b.add(v)
		if len(svc.Spec.Selector) == 0 {
			continue
		}
		sel := labels.SelectorFromSet(svc.Spec.Selector)
		ev := graph.Evidence{Object: key, Detail: "selector " + sel.String()}
		for _, pg := range byNamespace[svc.Namespace] {
			if sel.Matches(labels.Set(pg.Template.Labels)) {
				b.edge(key, pg.Key, graph.Edge{Technique: graph.TechServiceRoute, Evidence: []graph.Evidence{ev}})
			}
		}
	}
}

// ingresses adds each Ingress and a step to every Service its rules and
// default backend name. A backend Service the input lacks is reported.
func (b *builder) ingresses() {
	for _, ing := range b.s.Ingresses {
		key := b.key(graph.KindIngress, ing.Namespace, ing.Name)
		v := &graph.Vertex{Key: key, Kind: graph.KindIngress, Name: ing.Name, Loc: b.loc(ing.Namespace)}
		var hosts []string
		for _, r := range ing.Spec.Rules {
			if r.Host != "" {
				hosts = append(hosts, r.Host)
			}
		}
		v.SetProp("hosts", joinSorted(hosts))
		markObject(v, &ing.ObjectMeta)
		b.add(v)
		for _, route := range ingressRoutes(ing) {
			svc := b.key(graph.KindService, ing.Namespace, route.service)
			if b.g.Vertex(svc) == nil {
				b.s.Report(diagnosticf(b.source(estate.Ref{Kind: "Ingress", Namespace: ing.Namespace, Name: ing.Name}),
					string(key), "routes to service %s/%s, which is not in the input", ing.Namespace, route.service))
				continue
			}
			b.edge(key, svc, graph.Edge{Technique: graph.TechIngressRoute,
				Evidence: []graph.Evidence{{Object: key, Detail: route.where}}})
		}
	}
}

type ingressRoute struct{ service, where string }

func ingressRoutes(ing *networkingv1.Ingress) []ingressRoute {
	var out []ingressRoute
	if d := ing.Spec.DefaultBackend; d != nil && d.Service != nil {
		out = append(out, ingressRoute{d.Service.Name, "defaultBackend"})
	}
	for i, r := range ing.Spec.Rules {
		if r.HTTP == nil {
			continue
		}
		for j, p := range r.HTTP.Paths {
			if p.Backend.Service == nil {
				continue
			}
			host := r.Host
			if host == "" {
				host = "*"
			}
			out = append(out, ingressRoute{p.Backend.Service.Name,
				fmt.Sprintf("rules[%d] host %s paths[%d] %s", i, host, j, p.Path)})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].service < out[j].service })
	return out
}
