package cluster

import (
	"context"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
)

// secretTypes are the types Kubernetes defines; a Secret of another type
// (helm.sh/release.v1, …) keeps an empty type when read live.
var secretTypes = []corev1.SecretType{
	corev1.SecretTypeOpaque,
	corev1.SecretTypeServiceAccountToken,
	corev1.SecretTypeDockercfg,
	corev1.SecretTypeDockerConfigJson,
	corev1.SecretTypeBasicAuth,
	corev1.SecretTypeSSHAuth,
	corev1.SecretTypeTLS,
	corev1.SecretTypeBootstrapToken,
}

// metadataObjects lists a resource through the metadata API, which never
// returns data, and turns each item into the typed object the snapshot
// holds: a Secret with its type, or a ConfigMap, without keys.
func (r *reader) metadataObjects(ctx context.Context, rs resource, namespace string) ([]runtime.Object, error) {
	items, err := r.metadataList(ctx, rs, namespace, "")
	if err != nil {
		return nil, err
	}
	var typeOf map[types.NamespacedName]corev1.SecretType
	if rs.kind == "Secret" {
		if typeOf, err = r.secretTypes(ctx, rs, namespace); err != nil {
			return nil, err
		}
	}
	objs := make([]runtime.Object, 0, len(items))
	for _, m := range items {
		switch rs.kind {
		case "Secret":
			t := typeOf[types.NamespacedName{Namespace: m.Namespace, Name: m.Name}]
			objs = append(objs, &corev1.Secret{ObjectMeta: m.ObjectMeta, Type: t})
		case "ConfigMap":
			objs = append(objs, &corev1.ConfigMap{ObjectMeta: m.ObjectMeta})
		}
	}
	return objs, nil
}

// secretTypes learns each Secret's type by listing, per well-known type,
// the metadata of the Secrets the field selector type=T selects.
func (r *reader) secretTypes(ctx context.Context, rs resource, namespace string) (map[types.NamespacedName]corev1.SecretType, error) {
	out := map[types.NamespacedName]corev1.SecretType{}
	for _, t := range secretTypes {
		items, err := r.metadataList(ctx, rs, namespace, "type="+string(t))
		if err != nil {
			return nil, err
		}
		for _, m := range items {
			out[types.NamespacedName{Namespace: m.Namespace, Name: m.Name}] = t
		}
	}
	return out, nil
}

func (r *reader) metadataList(ctx context.Context, rs resource, namespace, fieldSelector string) ([]*metav1.PartialObjectMetadata, error) {
	client := r.c.Metadata.Resource(rs.gvr).Namespace(namespace)
	objs, err := listAll(ctx, func(ctx context.Context, opts metav1.ListOptions) (runtime.Object, error) {
		opts.FieldSelector = fieldSelector
		return client.List(ctx, opts)
	}, r.o.PageSize)
	if err != nil {
		return nil, err
	}
	out := make([]*metav1.PartialObjectMetadata, 0, len(objs))
	for _, obj := range objs {
		out = append(out, obj.(*metav1.PartialObjectMetadata))
	}
	return out, nil
}
