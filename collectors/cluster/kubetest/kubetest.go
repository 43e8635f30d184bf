// Package kubetest runs a real kube-apiserver and etcd on the loopback
// interface for tests, as net/http/httptest runs an HTTP server: no Docker,
// no downloaded binary. The binaries are built from the Go module proxy by
// testdata/kube-apiserver/build.sh (make testbin); when they are absent,
// Start skips the test and says how to build them.
//
// The server runs without kube-controller-manager: nothing creates the
// default ServiceAccount of a namespace, aggregates the view/edit/admin
// ClusterRoles, schedules pods or expands Deployments. Seed creates what a
// test needs.
package kubetest

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// Identities the server knows, by bearer token: Admin is in system:masters;
// Limited holds nothing until a test binds it a role.
const (
	Admin   = "admin"
	Limited = "limited"
)

// BinDir is where the binaries are looked for: $TRUSTPATH_TESTBIN, else the
// directory build.sh fills by default.
func BinDir() string {
	if d := os.Getenv("TRUSTPATH_TESTBIN"); d != "" {
		return d
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(cache, "trustpath", "kube-apiserver-v1.37.2")
}

// Server is a running kube-apiserver and its etcd.
type Server struct {
	URL   string // https://127.0.0.1:PORT
	dir   string
	procs []*exec.Cmd
	logs  []string
}

// Available reports whether the binaries are built, and if not why.
func Available() (string, bool) {
	dir := BinDir()
	for _, b := range []string{"kube-apiserver", "etcd"} {
		if info, err := os.Stat(filepath.Join(dir, b)); err != nil || info.Mode()&0o111 == 0 {
			return fmt.Sprintf("no %s in %s: build it with `make testbin` (testdata/kube-apiserver/build.sh, ~6 minutes cold) "+
				"or set TRUSTPATH_TESTBIN; skipping the tests against a real API server", b, dir), false
		}
	}
	return "", true
}

// Start runs etcd and kube-apiserver in dir (a fresh temporary directory)
// and waits until the API server is ready. Stop ends them.
func Start(ctx context.Context, dir string) (*Server, error) {
	bin := BinDir()
	s := &Server{dir: dir}
	ports, err := freePorts(3)
	if err != nil {
		return nil, err
	}
	etcdURL := "http://127.0.0.1:" + strconv.Itoa(ports[0])
	peerURL := "http://127.0.0.1:" + strconv.Itoa(ports[1])
	if err := s.start(filepath.Join(bin, "etcd"), "etcd",
		"--name=kubetest", "--data-dir="+filepath.Join(dir, "etcd"),
		"--listen-client-urls="+etcdURL, "--advertise-client-urls="+etcdURL,
		"--listen-peer-urls="+peerURL, "--initial-advertise-peer-urls="+peerURL,
		"--initial-cluster=kubetest="+peerURL, "--unsafe-no-fsync", "--log-level=warn"); err != nil {
		return nil, err
	}
	if err := s.wait(ctx, etcdURL+"/health", "", "etcd"); err != nil {
		s.Stop()
		return nil, err
	}
	if err := s.writeCredentials(); err != nil {
		s.Stop()
		return nil, err
	}
	s.URL = "https://127.0.0.1:" + strconv.Itoa(ports[2])
	if err := s.start(filepath.Join(bin, "kube-apiserver"), "kube-apiserver",
		"--etcd-servers="+etcdURL,
		"--bind-address=127.0.0.1", "--secure-port="+strconv.Itoa(ports[2]),
		// Without --endpoint-reconciler-type=none the server refuses a
		// loopback advertise address.
		"--advertise-address=127.0.0.1", "--endpoint-reconciler-type=none",
		"--cert-dir="+filepath.Join(dir, "certs"),
		"--authorization-mode=RBAC",
		"--token-auth-file="+filepath.Join(dir, "tokens.csv"),
		"--service-account-issuer=https://kubernetes.default.svc",
		"--service-account-key-file="+filepath.Join(dir, "sa.pem"),
		"--service-account-signing-key-file="+filepath.Join(dir, "sa.pem"),
		"--service-cluster-ip-range=10.96.0.0/16",
		"--allow-privileged=true",
		"--profiling=false"); err != nil {
		s.Stop()
		return nil, err
	}
	if err := s.wait(ctx, s.URL+"/readyz", Admin, "kube-apiserver"); err != nil {
		s.Stop()
		return nil, err
	}
	return s, nil
}

// Stop ends the processes, the API server first.
func (s *Server) Stop() {
	for i := len(s.procs) - 1; i >= 0; i-- {
		p := s.procs[i]
		_ = p.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { _ = p.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = p.Process.Kill()
			<-done
		}
	}
	s.procs = nil
}

// Config returns a client configuration for one of the identities.
func (s *Server) Config(user string) *rest.Config {
	return &rest.Config{Host: s.URL, BearerToken: token(user), WarningHandler: rest.NoWarnings{},
		TLSClientConfig: rest.TLSClientConfig{Insecure: true}} // the server's own self-signed certificate
}

// Client returns a clientset acting as user.
func (s *Server) Client(user string) (*kubernetes.Clientset, error) {
	return kubernetes.NewForConfig(s.Config(user))
}

// WriteKubeconfig writes a kubeconfig with one context per identity, named
// after it ("admin", "limited"), admin current, and returns its path.
func (s *Server) WriteKubeconfig(path string) (string, error) {
	cfg := clientcmdapi.NewConfig()
	cfg.Clusters["kubetest"] = &clientcmdapi.Cluster{Server: s.URL, InsecureSkipTLSVerify: true}
	for _, u := range []string{Admin, Limited} {
		cfg.AuthInfos[u] = &clientcmdapi.AuthInfo{Token: token(u)}
		cfg.Contexts[u] = &clientcmdapi.Context{Cluster: "kubetest", AuthInfo: u}
	}
	cfg.CurrentContext = Admin
	return path, clientcmd.WriteToFile(*cfg, path)
}

// Logs returns the last lines of each process's log, for failure messages.
func (s *Server) Logs() string {
	var b strings.Builder
	for _, l := range s.logs {
		data, _ := os.ReadFile(l)
		lines := strings.Split(strings.TrimSpace(string(data)), "\n")
		fmt.Fprintf(&b, "--- %s (last lines)\n%s\n", filepath.Base(l), strings.Join(lines[max(0, len(lines)-20):], "\n"))
	}
	return b.String()
}

func token(user string) string { return "token-" + user }

func (s *Server) start(bin, name string, args ...string) error {
	log := filepath.Join(s.dir, name+".log")
	f, err := os.Create(log)
	if err != nil {
		return err
	}
	defer f.Close()
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting %s: %w", name, err)
	}
	s.procs = append(s.procs, cmd)
	s.logs = append(s.logs, log)
	return nil
}

// wait polls url until it answers 200, for at most a minute.
func (s *Server) wait(ctx context.Context, url, user, name string) error {
	client := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{TLSClientConfig: insecureTLS()}}
	deadline := time.Now().Add(time.Minute)
	var last error
	for time.Now().Before(deadline) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return err
		}
		if user != "" {
			req.Header.Set("Authorization", "Bearer "+token(user))
		}
		resp, err := client.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			err = errors.New(resp.Status)
		}
		last = err
		if p := s.procs[len(s.procs)-1]; p.ProcessState != nil {
			break
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
	return fmt.Errorf("%s not ready at %s: %v\n%s", name, url, last, s.Logs())
}

// writeCredentials writes the token file and the service-account signing key.
func (s *Server) writeCredentials() error {
	tokens := fmt.Sprintf("%s,%s,1,\"system:masters\"\n%s,%s,2\n", token(Admin), Admin, token(Limited), Limited)
	if err := os.WriteFile(filepath.Join(s.dir, "tokens.csv"), []byte(tokens), 0o600); err != nil {
		return err
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return err
	}
	der := x509.MarshalPKCS1PrivateKey(key)
	return os.WriteFile(filepath.Join(s.dir, "sa.pem"), pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: der}), 0o600)
}

func freePorts(n int) ([]int, error) {
	var ports []int
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

// insecureTLS trusts the API server's self-signed serving certificate: the
// server listens on loopback only and lives as long as one test binary.
func insecureTLS() *tls.Config { return &tls.Config{InsecureSkipVerify: true} }

// StartT starts a server for one test and stops it when the test ends. It
// skips the test, saying how to build them, when the binaries are absent,
// and fails it instead when $TRUSTPATH_REQUIRE_APISERVER is set (CI builds
// them, so there a skip would hide a broken build).
func StartT(t testing.TB) *Server {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: not starting a real API server")
	}
	if why, ok := Available(); !ok {
		if os.Getenv("TRUSTPATH_REQUIRE_APISERVER") != "" {
			t.Fatal(why)
		}
		t.Skip(why)
	}
	s, err := Start(t.Context(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Stop)
	return s
}
