package manifest

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strings"

	"github.com/trustpath/trustpath/collectors/estate"
)

// MaxInputBytes caps one input file or stream. It fits a kubectl dump of a
// 50,000-pod cluster and stops a runaway input before it exhausts memory.
const MaxInputBytes = 512 << 20

// ErrTooLarge is returned for an input over MaxInputBytes.
var ErrTooLarge = fmt.Errorf("input is larger than the %d MiB limit", MaxInputBytes>>20)

// Options tune how manifests are read.
type Options struct {
	// DefaultNamespace is given to namespaced objects that name none.
	DefaultNamespace string
}

// Read decodes one stream of manifests into snap. name is how messages call
// the stream ("-" for standard input). Problems with documents are recorded
// as diagnostics in snap; the error is for the stream itself.
func Read(ctx context.Context, r io.Reader, name string, snap *estate.Snapshot, o Options) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxInputBytes+1))
	if err != nil {
		return fmt.Errorf("reading %s: %w", name, err)
	}
	if len(data) > MaxInputBytes {
		return fmt.Errorf("reading %s: %w", name, ErrTooLarge)
	}
	var d decoder
	d.stream(data, name)
	apply(d.events, snap, o.DefaultNamespace)
	return nil
}

// ReadFS decodes the file or directory root of fsys into snap. Directories
// are walked recursively in lexical order for .yaml, .yml and .json files,
// skipping hidden entries; a file named directly is read whatever its
// extension. display is how messages name root (the path the user typed).
func ReadFS(ctx context.Context, fsys fs.FS, root, display string, snap *estate.Snapshot, o Options) error {
	info, err := fs.Stat(fsys, root)
	if err != nil {
		return fmt.Errorf("reading %s: %w", display, err)
	}
	if !info.IsDir() {
		return readFile(ctx, fsys, root, display, snap, o)
	}
	return fs.WalkDir(fsys, root, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("reading %s: %w", joinDisplay(display, root, p), err)
		}
		if p != root && strings.HasPrefix(e.Name(), ".") {
			if e.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if e.IsDir() || !isManifest(e.Name()) {
			return nil
		}
		return readFile(ctx, fsys, p, joinDisplay(display, root, p), snap, o)
	})
}

func readFile(ctx context.Context, fsys fs.FS, name, display string, snap *estate.Snapshot, o Options) error {
	f, err := fsys.Open(name)
	if err != nil {
		return fmt.Errorf("reading %s: %w", display, err)
	}
	defer f.Close()
	return Read(ctx, f, display, snap, o)
}

func isManifest(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".yaml", ".yml", ".json":
		return true
	}
	return false
}

// joinDisplay names the file p, found under root, the way the user named root.
func joinDisplay(display, root, p string) string {
	rel := strings.TrimPrefix(strings.TrimPrefix(p, root), "/")
	if rel == "" {
		return display
	}
	return strings.TrimSuffix(display, "/") + "/" + rel
}
