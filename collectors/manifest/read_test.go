package manifest_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

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

// TestReadFSOrder: files are decoded concurrently but added in the walk's
// order, so the first of duplicates in lexical order is kept and the
// diagnostics come in file order, run after run.
func TestReadFSOrder(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{}
	const n = 40
	var wantDiags []diag
	for i := range n {
		name := fmt.Sprintf("m/%02d.yaml", i)
		// Every file defines sa "same" (a duplicate after the first file)
		// and ends in a broken document.
		fsys[name] = &fstest.MapFile{Data: []byte(fmt.Sprintf(
			"apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: same}\n---\n"+
				"apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: own-%02d}\n---\nkind: [\n", i))}
		src := func(line, doc int) estate.Source { return estate.Source{File: name, Line: line, Document: doc} }
		if i > 0 {
			wantDiags = append(wantDiags, diag{estate.Warning, src(1, 1), "ServiceAccount/default/same", "duplicate"})
		}
		// The flow sequence opened on line 9 is still open at the end of
		// the input, line 10, where the parser notices.
		wantDiags = append(wantDiags, diag{estate.Error, src(10, 3), "", "invalid YAML"})
	}
	for range 5 {
		s := estate.New("test")
		if err := manifest.ReadFS(t.Context(), fsys, "m", "m", s, defaultNS); err != nil {
			t.Fatalf("ReadFS: got error %v, want nil", err)
		}
		if got, want := s.Sources[ref("ServiceAccount", "default", "same")].File, "m/00.yaml"; got != want {
			t.Errorf("duplicate kept from %s, want %s", got, want)
		}
		if got, want := len(s.ServiceAccounts), n+1; got != want {
			t.Errorf("service accounts: got %d, want %d", got, want)
		}
		if diff := cmp.Diff(wantDiags, gotDiags(s.Diagnostics, wantDiags)); diff != "" {
			t.Fatalf("diagnostics (-want +got):\n%s", diff)
		}
	}
}

// brokenFS serves fsys, but opening the file named bad fails.
type brokenFS struct {
	fs.FS
	bad string
}

var errOpen = errors.New("permission denied")

func (b brokenFS) Open(name string) (fs.File, error) {
	if name == b.bad {
		return nil, &fs.PathError{Op: "open", Path: name, Err: errOpen}
	}
	return b.FS.Open(name)
}

// TestReadFSStopsAtUnreadableFile: the files before an unreadable one are
// added, the ones after are not, and the error names the file.
func TestReadFSStopsAtUnreadableFile(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{}
	for i := range 20 {
		fsys[fmt.Sprintf("m/%02d.yaml", i)] = serviceAccount(fmt.Sprintf("sa-%02d", i))
	}
	s := estate.New("test")
	err := manifest.ReadFS(t.Context(), brokenFS{fsys, "m/10.yaml"}, "m", "m", s, defaultNS)
	if !errors.Is(err, errOpen) || !strings.Contains(err.Error(), "m/10.yaml") {
		t.Fatalf("got error %v, want %v naming m/10.yaml", err, errOpen)
	}
	var got []string
	for _, sa := range s.ServiceAccounts {
		got = append(got, sa.Name)
	}
	want := []string{"sa-00", "sa-01", "sa-02", "sa-03", "sa-04", "sa-05", "sa-06", "sa-07", "sa-08", "sa-09"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("service accounts (-want +got):\n%s", diff)
	}
}

// hugeFS holds huge.json, which says it is 1 GiB; read counts the bytes
// read from it.
type hugeFS struct{ read *atomic.Int64 }

func (h hugeFS) Open(name string) (fs.File, error) {
	if name != "huge.json" {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return hugeFile(h), nil
}

type hugeFile struct{ read *atomic.Int64 }

func (f hugeFile) Read(p []byte) (int, error) {
	clear(p)
	f.read.Add(int64(len(p)))
	return len(p), nil
}
func (hugeFile) Close() error               { return nil }
func (hugeFile) Stat() (fs.FileInfo, error) { return hugeInfo{}, nil }

type hugeInfo struct{}

func (hugeInfo) Name() string       { return "huge.json" }
func (hugeInfo) Size() int64        { return 1 << 30 }
func (hugeInfo) Mode() fs.FileMode  { return 0o644 }
func (hugeInfo) ModTime() time.Time { return time.Time{} }
func (hugeInfo) IsDir() bool        { return false }
func (hugeInfo) Sys() any           { return nil }

// TestReadFSRefusesHugeFileUnread: a 1 GiB file is refused from its size,
// before a byte of it is read, with an error naming it and the limit.
func TestReadFSRefusesHugeFileUnread(t *testing.T) {
	t.Parallel()
	var read atomic.Int64
	s := estate.New("test")
	err := manifest.ReadFS(t.Context(), hugeFS{&read}, "huge.json", "dump/huge.json", s, defaultNS)
	if !errors.Is(err, manifest.ErrTooLarge) || !strings.Contains(err.Error(), "dump/huge.json") || !strings.Contains(err.Error(), "512 MiB limit") {
		t.Fatalf("got error %v, want %v naming dump/huge.json", err, manifest.ErrTooLarge)
	}
	if n := read.Load(); n != 0 {
		t.Errorf("read %d bytes, want none", n)
	}
}

// TestReadLongListOrder: the items of a long List are decoded concurrently
// but added in order: each keeps its item index, the first of duplicates is
// kept and diagnostics come in item order.
func TestReadLongListOrder(t *testing.T) {
	t.Parallel()
	const n = 2000
	var b strings.Builder
	b.WriteString(`{"apiVersion": "v1", "kind": "ServiceAccountList", "items": [`)
	var wantDiags []diag
	item := func(i int) estate.Source { return estate.Source{File: inputName, Line: 1, Document: 1, Item: i} }
	for i := range n {
		if i > 0 {
			b.WriteString(",\n")
		}
		switch {
		case i%100 == 7: // a duplicate of the item before
			fmt.Fprintf(&b, `{"metadata": {"name": "sa-%d"}}`, i-1)
			wantDiags = append(wantDiags, diag{estate.Warning, item(i + 1), fmt.Sprintf("ServiceAccount/default/sa-%d", i-1), "duplicate"})
		case i%100 == 42: // a field of the wrong type
			fmt.Fprintf(&b, `{"metadata": {"name": "sa-%d"}, "secrets": 1}`, i)
			wantDiags = append(wantDiags, diag{estate.Error, item(i + 1), "", "cannot unmarshal number"})
		default:
			fmt.Fprintf(&b, `{"metadata": {"name": "sa-%d"}}`, i)
		}
	}
	b.WriteString("]}")
	s := read(t, b.String(), defaultNS)
	if got, want := len(s.ServiceAccounts), n-2*n/100; got != want {
		t.Errorf("service accounts: got %d, want %d", got, want)
	}
	for i, sa := range s.ServiceAccounts {
		if src := s.Sources[ref("ServiceAccount", "default", sa.Name)]; sa.Name != fmt.Sprintf("sa-%d", src.Item-1) {
			t.Fatalf("service account %d: got %s from item %d", i, sa.Name, src.Item)
		}
	}
	if diff := cmp.Diff(wantDiags, gotDiags(s.Diagnostics, wantDiags)); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
}

// TestReadLongYAMLOrder: the documents of a long YAML stream are decoded
// concurrently but added in order, each at its own line.
func TestReadLongYAMLOrder(t *testing.T) {
	t.Parallel()
	const n = 200
	var b strings.Builder
	var wantDiags []diag
	for i := range n {
		line := 4*i + 1 // each document is three lines and a separator
		src := estate.Source{File: inputName, Line: line, Document: i + 1}
		switch {
		case i%10 == 3: // a duplicate of the document before
			fmt.Fprintf(&b, "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: sa-%d}\n---\n", i-1)
			wantDiags = append(wantDiags, diag{estate.Warning, src, fmt.Sprintf("ServiceAccount/default/sa-%d", i-1), "duplicate"})
		case i%10 == 6: // a colon in a plain scalar, on the document's third line
			fmt.Fprintf(&b, "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: a: b}\n---\n")
			src.Line += 2
			wantDiags = append(wantDiags, diag{estate.Error, src, "", "invalid YAML"})
		default:
			fmt.Fprintf(&b, "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: sa-%d}\n---\n", i)
		}
	}
	s := read(t, b.String(), defaultNS)
	if got, want := len(s.ServiceAccounts), n-2*n/10; got != want {
		t.Errorf("service accounts: got %d, want %d", got, want)
	}
	for _, sa := range s.ServiceAccounts {
		var i int
		fmt.Sscanf(sa.Name, "sa-%d", &i)
		if got, want := s.Sources[ref("ServiceAccount", "default", sa.Name)], (estate.Source{File: inputName, Line: 4*i + 1, Document: i + 1}); got != want {
			t.Errorf("%s: got source %v, want %v", sa.Name, got, want)
		}
	}
	if diff := cmp.Diff(wantDiags, gotDiags(s.Diagnostics, wantDiags)); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
}
