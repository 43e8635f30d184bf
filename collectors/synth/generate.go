package synth

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes/scheme"
)

// File is one file of a generated estate: its cluster, its name without
// extension ("cluster" for the cluster-scoped objects, otherwise the
// namespace's name) and its objects, in the order they are written.
type File struct {
	Cluster string
	Name    string
	Objects []runtime.Object
}

// ClusterFile names the file of a cluster's cluster-scoped objects, and the
// single file of a cluster written with SingleFile.
const ClusterFile = "cluster"

// Generate makes the estate o describes and hands it to emit file by file,
// clusters in order, each cluster's cluster-scoped objects first and then
// its namespaces sorted by name. The same options give the same files.
// emit may keep the objects; Generate does not touch them again.
func Generate(o Options, emit func(File) error) error {
	if err := o.Validate(); err != nil {
		return err
	}
	p := newPlan(o)
	for _, c := range p.clusters {
		var single []runtime.Object
		out := func(name string, objs []runtime.Object) error {
			if o.SingleFile {
				single = append(single, objs...)
				return nil
			}
			return emit(File{Cluster: c.name, Name: name, Objects: objs})
		}
		cg := &nsGen{o: &p.o, c: c, r: newSource(o.Seed, uint64(c.index)+1, 0)}
		cg.clusterScoped()
		if err := out(ClusterFile, cg.objs); err != nil {
			return err
		}
		for _, ns := range c.namespaces {
			g := &nsGen{o: &p.o, c: c, ns: ns, r: newSource(o.Seed, uint64(c.index)+1, uint64(ns.index)+1)}
			g.namespace()
			if err := out(ns.name, g.objs); err != nil {
				return err
			}
		}
		if o.SingleFile {
			if err := emit(File{Cluster: c.name, Name: ClusterFile, Objects: single}); err != nil {
				return err
			}
		}
	}
	return nil
}

// nsGen writes the objects of one namespace, or with ns nil, of the
// cluster scope.
type nsGen struct {
	o    *Options
	c    *clusterPlan
	ns   *nsPlan
	r    source
	objs []runtime.Object
}

// epoch is when every generated cluster was created; objects are created
// after it, so a dump's timestamps are fixed by the seed.
var epoch = time.Date(2025, 1, 6, 9, 0, 0, 0, time.UTC)

// add appends obj with its apiVersion and kind set. In a dump, objects a
// person applied carry kubectl's last-applied-configuration annotation,
// and every object gets the uid, resourceVersion and creationTimestamp the
// API server gives it.
func (g *nsGen) add(obj runtime.Object, applied bool) metav1.Object {
	gvks, _, err := scheme.Scheme.ObjectKinds(obj)
	if err != nil {
		panic(fmt.Sprintf("synth: %T is not a Kubernetes type: %v", obj, err)) // a bug here, not bad input
	}
	obj.GetObjectKind().SetGroupVersionKind(gvks[0])
	m := obj.(metav1.Object)
	if g.ns != nil && m.GetNamespace() == "" {
		m.SetNamespace(g.ns.name)
	}
	if g.o.Dump {
		if applied {
			last, err := json.Marshal(obj)
			if err != nil {
				panic(fmt.Sprintf("synth: encoding %T: %v", obj, err))
			}
			a := m.GetAnnotations()
			if a == nil {
				a = map[string]string{}
			}
			a[corev1.LastAppliedConfigAnnotation] = string(last) + "\n"
			m.SetAnnotations(a)
		}
		m.SetUID(types.UID(g.r.uid()))
		m.SetResourceVersion(strconv.Itoa(1000 + g.r.IntN(90_000_000)))
		m.SetCreationTimestamp(g.time())
	}
	g.objs = append(g.objs, obj)
	return m
}

// time returns a creation time after the epoch.
func (g *nsGen) time() metav1.Time {
	return metav1.NewTime(epoch.Add(time.Duration(g.r.IntN(200*24*3600)) * time.Second))
}

// namespace writes everything of g.ns.
func (g *nsGen) namespace() {
	ns := g.ns
	obj := &corev1.Namespace{}
	obj.Name = ns.name
	obj.Labels = map[string]string{"team": ns.team, "env": ns.env}
	if ns.psa != "" {
		obj.Labels["pod-security.kubernetes.io/enforce"] = ns.psa
	}
	if g.o.Dump {
		obj.Labels[corev1.LabelMetadataName] = ns.name
		obj.Spec.Finalizers = []corev1.FinalizerName{corev1.FinalizerKubernetes}
		obj.Status.Phase = corev1.NamespaceActive
	}
	g.add(obj, true)
	g.serviceAccounts()
	g.secretObjects()
	g.configMaps()
	g.roles()
	g.services()
	for _, w := range ns.workloads {
		g.workload(w)
	}
	g.networkPolicies()
	g.ingresses()
}

// clusterScoped writes the cluster's Nodes, ClusterRoles and
// ClusterRoleBindings.
func (g *nsGen) clusterScoped() {
	for _, n := range g.c.nodes {
		g.node(n)
	}
	g.clusterRBAC()
}
