package synth

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"
)

// secretObjects writes the namespace's Secrets, with fake values: the
// image pull Secret, the system workloads' own, the Ingress certificates,
// the workloads' credentials, and extras (API keys, and at the risk rate,
// legacy service-account token Secrets). The argocd namespace of a
// cluster in a multi-cluster estate also holds a kubeconfig for each other
// cluster, as Argo CD stores the clusters it deploys to.
func (g *nsGen) secretObjects() {
	pull := g.secret("regcred", corev1.SecretTypeDockerConfigJson)
	pull.Data = map[string][]byte{corev1.DockerConfigJsonKey: fmt.Appendf(nil,
		`{"auths":{"registry.example.com":{"username":"robot","password":"%s"}}}`, g.value())}
	for _, w := range g.ns.workloads {
		if w.system && w.secret != "" {
			s := g.secret(w.secret, corev1.SecretTypeOpaque)
			s.Data = map[string][]byte{"admin-user": []byte("admin"), "admin-password": []byte(g.value())}
		}
	}
	names := g.tlsNames()
	for _, name := range names {
		s := g.secret(name+"-tls", corev1.SecretTypeTLS)
		s.Data = map[string][]byte{
			corev1.TLSCertKey:       fmt.Appendf(nil, "-----BEGIN CERTIFICATE-----\n%s\n-----END CERTIFICATE-----\n", g.value()),
			corev1.TLSPrivateKeyKey: fmt.Appendf(nil, "-----BEGIN PRIVATE KEY-----\n%s\n-----END PRIVATE KEY-----\n", g.value()),
		}
	}
	var accounts []string
	for _, w := range g.ns.workloads {
		if w.account != "" {
			accounts = append(accounts, w.account)
		}
		if w.system || w.secret == "" {
			continue
		}
		s := g.secret(w.secret, corev1.SecretTypeOpaque)
		s.Labels = map[string]string{"app": w.name}
		s.Data = map[string][]byte{"username": []byte(w.name), "password": []byte(g.value())}
		if g.r.chance(0.3) {
			s.Data["api-key"] = []byte(g.value())
		}
	}
	extras := g.ns.extraSecrets + g.ns.tlsSecrets - len(names)
	for i := range extras {
		if g.r.chance(min(1, g.o.RiskRate*5)) {
			sa := "default"
			if len(accounts) > 0 {
				sa = pick(g.r, accounts)
			}
			s := g.secret(fmt.Sprintf("%s-token-%s", sa, g.r.suffix(5)), corev1.SecretTypeServiceAccountToken)
			s.Annotations = map[string]string{corev1.ServiceAccountNameKey: sa}
			s.Data = map[string][]byte{"token": []byte(g.value()), "ca.crt": []byte(g.value()), "namespace": []byte(g.ns.name)}
			continue
		}
		s := g.secret(fmt.Sprintf("%s-api-key-%d", pick(g.r, nouns), i+1), corev1.SecretTypeOpaque)
		s.Data = map[string][]byte{"api-key": []byte(g.value())}
	}
	if g.ns.name == "argocd" {
		for _, peer := range g.c.peers {
			s := g.secret(peer+"-kubeconfig", corev1.SecretTypeOpaque)
			s.Labels = map[string]string{"argocd.argoproj.io/secret-type": "cluster"}
			s.Data = map[string][]byte{"kubeconfig": fmt.Appendf(nil,
				"apiVersion: v1\nkind: Config\nclusters:\n- name: %s\n  cluster:\n    server: https://%s.example.com\nusers:\n- name: deployer\n  user:\n    token: %s\n",
				peer, peer, g.value())}
		}
	}
}

// secret adds an empty Secret of a type and returns it to be filled.
func (g *nsGen) secret(name string, typ corev1.SecretType) *corev1.Secret {
	s := &corev1.Secret{Type: typ}
	s.Name = name
	g.add(s, false)
	return s
}

// value returns a fake secret value.
func (g *nsGen) value() string { return "synthetic-" + g.r.hex(24) }

// configMaps writes the workloads' configuration and, in a dump, the
// cluster CA bundle every namespace holds.
func (g *nsGen) configMaps() {
	if g.o.Dump {
		cm := &corev1.ConfigMap{Data: map[string]string{"ca.crt": "-----BEGIN CERTIFICATE-----\n" + g.r.hex(64) + "\n-----END CERTIFICATE-----\n"}}
		cm.Name = "kube-root-ca.crt"
		g.add(cm, false)
	}
	for _, w := range g.ns.workloads {
		if w.config == "" {
			continue
		}
		cm := &corev1.ConfigMap{Data: map[string]string{
			"LISTEN_ADDR": ":8080", "UPSTREAM": fmt.Sprintf("http://%s.%s.svc.cluster.local", pick(g.r, g.ns.workloads).name, g.ns.name),
			"FEATURE_FLAGS": "new-checkout,fast-search",
		}}
		cm.Name, cm.Labels = w.config, map[string]string{"app": w.name}
		g.add(cm, true)
	}
}
