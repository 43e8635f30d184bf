package escape

import (
	"fmt"

	"github.com/trustpath/trustpath/collectors/workload"
	"github.com/trustpath/trustpath/graph"
)

// controlNoAutomount is the control on a token the node holds; the
// topology builder names the container's step by the same words.
const controlNoAutomount = "automountServiceAccountToken: false"

// tokenRef is a service-account token a pod group's pods hold on their node.
type tokenRef struct {
	sa      graph.Key
	detail  string
	missing []string
}

// tokens returns the tokens the kubelet writes for the group's pods: the
// automounted one, and any projected serviceAccountToken volume, mounted by
// a container or not (the kubelet sets up every volume of a pod). The pod's
// automountServiceAccountToken wins over the service account's; both
// default to true.
func (b *builder) tokens(pg *workload.Group) []tokenRef {
	spec := &pg.Template.Spec
	sa := b.key(graph.KindServiceAccount, pg.Namespace(), pg.ServiceAccount())
	v := b.g.Vertex(sa)
	if v == nil {
		return nil // the topology builder adds every account a pod names
	}
	var out []tokenRef
	var account *bool
	if a := b.accounts[[2]string{pg.Namespace(), pg.ServiceAccount()}]; a != nil {
		account = a.AutomountServiceAccountToken
	}
	if mount, why := pg.Automount(account); mount {
		out = append(out, tokenRef{sa, why, []string{controlNoAutomount + " on " + string(pg.Key)}})
	}
	for i, vol := range spec.Volumes {
		if vol.Projected == nil {
			continue
		}
		for j, src := range vol.Projected.Sources {
			if src.ServiceAccountToken != nil {
				out = append(out, tokenRef{sa: sa, detail: fmt.Sprintf("volumes[%d].projected.sources[%d].serviceAccountToken", i, j)})
			}
		}
	}
	return out
}

// secretRef is a Secret a pod group's pods hold on their node.
type secretRef struct {
	key    graph.Key
	detail string
}

// secrets returns the Secrets on the node for the group's pods: volumes
// (mounted or not), environment variables, and the image pull secrets the
// kubelet fetches with its own credential. A missing Secret referenced as
// optional is skipped, as the pod starts without it; a missing required one
// is added as implicit.
func (b *builder) secrets(pg *workload.Group) []secretRef {
	spec := &pg.Template.Spec
	var out []secretRef
	add := func(name string, optional *bool, detail string) {
		if name == "" {
			return
		}
		k := b.key(graph.KindSecret, pg.Namespace(), name)
		if b.g.Vertex(k) == nil {
			if isTrue(optional) {
				return
			}
			v := &graph.Vertex{Key: k, Kind: graph.KindSecret, Name: name,
				Loc: graph.Location{Cluster: b.s.Cluster, Namespace: pg.Namespace()}}
			v.SetProp(graph.PropImplicit, "true")
			b.add(v)
		}
		out = append(out, secretRef{k, detail})
	}
	for i, vol := range spec.Volumes {
		switch {
		case vol.Secret != nil:
			add(vol.Secret.SecretName, vol.Secret.Optional, fmt.Sprintf("volumes[%d].secret.secretName: %s", i, vol.Secret.SecretName))
		case vol.Projected != nil:
			for j, src := range vol.Projected.Sources {
				if src.Secret != nil {
					add(src.Secret.Name, src.Secret.Optional, fmt.Sprintf("volumes[%d].projected.sources[%d].secret.name: %s", i, j, src.Secret.Name))
				}
			}
		}
	}
	for _, pc := range containers(spec) {
		for i, e := range pc.c.Env {
			if e.ValueFrom != nil && e.ValueFrom.SecretKeyRef != nil {
				ref := e.ValueFrom.SecretKeyRef
				add(ref.Name, ref.Optional, fmt.Sprintf("%s.env[%d].valueFrom.secretKeyRef: %s", pc.path, i, ref.Name))
			}
		}
		for i, e := range pc.c.EnvFrom {
			if e.SecretRef != nil {
				add(e.SecretRef.Name, e.SecretRef.Optional, fmt.Sprintf("%s.envFrom[%d].secretRef: %s", pc.path, i, e.SecretRef.Name))
			}
		}
	}
	pull := spec.ImagePullSecrets
	where := "imagePullSecrets"
	if len(pull) == 0 {
		// The ServiceAccount admission plugin copies the account's pull
		// secrets into a pod that names none.
		if sa := b.accounts[[2]string{pg.Namespace(), pg.ServiceAccount()}]; sa != nil {
			pull = sa.ImagePullSecrets
			where = fmt.Sprintf("serviceaccount %s/%s imagePullSecrets", sa.Namespace, sa.Name)
		}
	}
	for i, ref := range pull {
		add(ref.Name, nil, fmt.Sprintf("%s[%d]: %s (the kubelet fetches it with its credential)", where, i, ref.Name))
	}
	return out
}
