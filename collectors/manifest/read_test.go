package manifest_test

import (
	"context"
	"errors"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/trustpath/trustpath/collectors/estate"
	"github.com/trustpath/trustpath/collectors/manifest"
)

func serviceAccount(name string) *fstest.MapFile {
	return &fstest.MapFile{Data: []byte("apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: " + name + "\n")}
}

// tree is a manifests directory as a user keeps it: nested directories, files
// of every manifest extension, and files the walk must leave alone.
var tree = fstest.MapFS{
	"manifests/a.yaml":              serviceAccount("a"),
	"manifests/sub/b.yml":           serviceAccount("b"),
	"manifests/sub/deeper/c.json":   {Data: []byte(`{"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "c"}}`)},
	"manifests/README.md":           {Data: []byte("# not a manifest: {[\n")},
	"manifests/notes.txt":           {Data: []byte("kind: [unclosed\n")},
	"manifests/pod.manifest":        serviceAccount("named-directly"),
	"manifests/.hidden/d.yaml":      serviceAccount("hidden-dir"),
	"manifests/.e.yaml":             serviceAccount("hidden-file"),
	"manifests/sub/.git/config.yml": serviceAccount("in-git"),
	"other/x.yaml":                  serviceAccount("x"),
}

func TestReadFS(t *testing.T) {
	t.Parallel()
	src := func(file string) estate.Source { return estate.Source{File: file, Line: 1, Document: 1} }
	sa := func(name string) estate.Ref { return ref("ServiceAccount", "default", name) }
	tests := []struct {
		name          string
		fsys          fs.FS
		root, display string
		want          map[estate.Ref]estate.Source
		wantDiags     []diag
	}{
		{
			name: "directory walk",
			fsys: tree, root: "manifests", display: "manifests",
			want: map[estate.Ref]estate.Source{
				sa("a"): src("manifests/a.yaml"),
				sa("b"): src("manifests/sub/b.yml"),
				sa("c"): src("manifests/sub/deeper/c.json"),
			},
		},
		{
			name: "display is the path the user typed",
			fsys: tree, root: "manifests", display: "./deploy/manifests/",
			want: map[estate.Ref]estate.Source{
				sa("a"): src("./deploy/manifests/a.yaml"),
				sa("b"): src("./deploy/manifests/sub/b.yml"),
				sa("c"): src("./deploy/manifests/sub/deeper/c.json"),
			},
		},
		{
			name: "root is the top of the file system",
			fsys: tree, root: ".", display: "/srv/repo",
			want: map[estate.Ref]estate.Source{
				sa("a"): src("/srv/repo/manifests/a.yaml"),
				sa("b"): src("/srv/repo/manifests/sub/b.yml"),
				sa("c"): src("/srv/repo/manifests/sub/deeper/c.json"),
				sa("x"): src("/srv/repo/other/x.yaml"),
			},
		},
		{
			name: "single file",
			fsys: tree, root: "manifests/sub/b.yml", display: "b.yml",
			want: map[estate.Ref]estate.Source{sa("b"): src("b.yml")},
		},
		{
			name: "single file with another extension",
			fsys: tree, root: "manifests/pod.manifest", display: "manifests/pod.manifest",
			want: map[estate.Ref]estate.Source{sa("named-directly"): src("manifests/pod.manifest")},
		},
		{
			name: "hidden directory named directly",
			fsys: tree, root: "manifests/.hidden", display: "manifests/.hidden",
			want: map[estate.Ref]estate.Source{sa("hidden-dir"): src("manifests/.hidden/d.yaml")},
		},
		{
			name: "empty directory",
			fsys: fstest.MapFS{"empty": {Mode: fs.ModeDir}}, root: "empty", display: "empty",
		},
		{
			name: "duplicate across files keeps the first in lexical order",
			fsys: fstest.MapFS{
				"m/a.yaml":     serviceAccount("web"),
				"m/b/web.yaml": serviceAccount("web"),
			},
			root: "m", display: "m",
			want: map[estate.Ref]estate.Source{sa("web"): src("m/a.yaml")},
			wantDiags: []diag{{estate.Warning, estate.Source{File: "m/b/web.yaml", Line: 1, Document: 1},
				"ServiceAccount/default/web", "first defined at m/a.yaml:1 (document 1)"}},
		},
		{
			name: "diagnostics name the file",
			fsys: fstest.MapFS{
				"m/good.yaml": serviceAccount("good"),
				"m/bad.yaml":  {Data: []byte("# broken\nkind: ServiceAccount: x\n")},
			},
			root: "m", display: "m",
			want:      map[estate.Ref]estate.Source{sa("good"): src("m/good.yaml")},
			wantDiags: []diag{{estate.Error, estate.Source{File: "m/bad.yaml", Line: 2, Document: 1}, "", "invalid YAML"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := estate.New("test")
			if err := manifest.ReadFS(t.Context(), tt.fsys, tt.root, tt.display, s, defaultNS); err != nil {
				t.Fatalf("ReadFS: got error %v, want nil", err)
			}
			if diff := cmp.Diff(tt.want, s.Sources, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("sources (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantDiags, gotDiags(s.Diagnostics, tt.wantDiags)); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadFSErrors(t *testing.T) {
	t.Parallel()
	cancelled, cancel := context.WithCancel(t.Context())
	cancel()
	tests := []struct {
		name          string
		ctx           context.Context
		root, display string
		wantErr       error
	}{
		{"missing root", t.Context(), "manifests/nope", "./manifests/nope", fs.ErrNotExist},
		{"missing file", t.Context(), "manifests/nope.yaml", "manifests/nope.yaml", fs.ErrNotExist},
		{"cancelled context", cancelled, "manifests", "manifests", context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := estate.New("test")
			err := manifest.ReadFS(tt.ctx, tree, tt.root, tt.display, s, defaultNS)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("got error %v, want %v", err, tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.display) && !errors.Is(err, context.Canceled) {
				t.Errorf("got %q, want the path %q named", err, tt.display)
			}
		})
	}
}
