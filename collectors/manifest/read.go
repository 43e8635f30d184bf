package manifest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/trustpath/trustpath/collectors/estate"
)

// Options tune how manifests are read.
type Options struct {
	// DefaultNamespace is given to namespaced objects that name none.
	DefaultNamespace string
	// Deferred, when set, has each Pod, ReplicaSet and Job that names a
	// controller read in part: its name, namespace, owners and, of a Pod,
	// spec.nodeName, what the graph reads of an object its controller
	// describes. Its metadata and spec wait in Deferred until
	// Deferred.Complete, called once every input of the snapshot is read,
	// decodes them for the objects no controller of the input describes.
	// A snapshot read so must not be written out as the estate.
	Deferred *Deferred
}

// Read decodes one stream of manifests into snap. name is how messages call
// the stream ("-" for standard input). Problems with documents are recorded
// as diagnostics in snap; the error is for the stream itself, and when there
// is one, snap is left as it was.
func Read(ctx context.Context, r io.Reader, name string, snap *estate.Snapshot, o Options) error {
	events, _, err := decodeInput(ctx, r, name, nil, o)
	if err != nil {
		return err
	}
	apply(events, snap, o)
	return nil
}

// decodeInput reads one input into buf, whose contents it replaces, and
// decodes it into events. It returns buf, grown if need be, for the next
// input: nothing decoded refers to it.
func decodeInput(ctx context.Context, r io.Reader, name string, buf []byte, o Options) ([]event, []byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, buf, err
	}
	data, err := readInput(r, buf[:0])
	if err != nil {
		return nil, buf, fmt.Errorf("reading %s: %w", name, err)
	}
	d := decoder{workers: runtime.GOMAXPROCS(0), inPart: o.Deferred != nil}
	d.stream(ctx, data, name)
	if err := ctx.Err(); err != nil {
		return nil, data, err
	}
	return d.events, data, nil
}

// stater is a reader that knows its size, such as an fs.File.
type stater interface {
	Stat() (fs.FileInfo, error)
}

// lener is a reader that knows how much it holds, such as a bytes.Reader.
type lener interface {
	Len() int
}

// readInput appends all of r, up to MaxInputBytes, to b. An input that says
// it is larger is refused before it is read, and one that says how large it
// is is read into a buffer of that size, not one grown by doubling; the
// size is only a hint, and r is read to its end either way.
func readInput(r io.Reader, b []byte) ([]byte, error) {
	size := int64(-1)
	switch f := r.(type) {
	case stater:
		if info, err := f.Stat(); err == nil && info.Mode().IsRegular() {
			size = info.Size()
		}
	case lener:
		size = int64(f.Len())
	}
	if size > MaxInputBytes {
		return nil, ErrTooLarge
	}
	// One byte more than the file holds, to see the end without growing.
	b = slices.Grow(b, int(max(size+1, 512)))
	lr := io.LimitReader(r, MaxInputBytes+1)
	for {
		n, err := lr.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
	}
	if len(b) > MaxInputBytes {
		return nil, ErrTooLarge
	}
	return b, nil
}

// ReadFS decodes the file or directory root of fsys into snap. Directories
// are walked recursively in lexical order for .yaml, .yml and .json files,
// skipping hidden entries; a file named directly is read whatever its
// extension. display is how messages name root (the path the user typed).
//
// Files are decoded concurrently, one per processor, and added to snap in
// the walk's order, so which of two duplicates is kept and the order of
// diagnostics do not depend on timing. When a file cannot be read, the
// files before it are added and its error is returned.
func ReadFS(ctx context.Context, fsys fs.FS, root, display string, snap *estate.Snapshot, o Options) error {
	info, err := fs.Stat(fsys, root)
	if err != nil {
		return fmt.Errorf("reading %s: %w", display, err)
	}
	if !info.IsDir() {
		return readFiles(ctx, fsys, []file{{root, display}}, snap, o)
	}
	var files []file
	walkErr := fs.WalkDir(fsys, root, func(p string, e fs.DirEntry, err error) error {
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
		files = append(files, file{p, joinDisplay(display, root, p)})
		return nil
	})
	if err := readFiles(ctx, fsys, files, snap, o); err != nil {
		return err
	}
	return walkErr // after the files found before it, as a walk that read them would
}

// file is a file to read: its name in the FS and as messages name it.
type file struct{ name, display string }

// decoded is what decoding a file gave.
type decoded struct {
	events []event
	err    error
}

// readFiles decodes files concurrently and applies their events to snap in
// order, stopping at the first file that cannot be read.
func readFiles(ctx context.Context, fsys fs.FS, files []file, snap *estate.Snapshot, o Options) error {
	// Each worker reads file after file into one buffer.
	decode := func(ctx context.Context, f file, buf *[]byte) decoded {
		r, err := fsys.Open(f.name)
		if err != nil {
			return decoded{err: fmt.Errorf("reading %s: %w", f.display, err)}
		}
		defer r.Close()
		events, b, err := decodeInput(ctx, r, f.display, *buf, o)
		*buf = b
		return decoded{events, err}
	}
	workers := min(runtime.GOMAXPROCS(0), len(files))
	if workers <= 1 {
		var buf []byte
		for _, f := range files {
			d := decode(ctx, f, &buf)
			if d.err != nil {
				return d.err
			}
			apply(d.events, snap, o)
		}
		return nil
	}

	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer wg.Wait() // no worker outlives the call
	defer cancel()
	results := make([]chan decoded, len(files))
	for i := range results {
		results[i] = make(chan decoded, 1)
	}
	// ahead bounds the files decoded but not yet applied, and so the
	// memory their objects take beyond the snapshot's.
	ahead := make(chan struct{}, 2*workers)
	next := make(chan int)
	wg.Go(func() {
		defer close(next)
		for i := range files {
			select {
			case ahead <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case next <- i:
			case <-ctx.Done():
				return
			}
		}
	})
	for range workers {
		wg.Go(func() {
			var buf []byte
			for i := range next {
				results[i] <- decode(ctx, files[i], &buf)
			}
		})
	}
	for i := range files {
		var d decoded
		select {
		case d = <-results[i]:
		case <-ctx.Done():
			return ctx.Err()
		}
		if d.err != nil {
			return d.err
		}
		apply(d.events, snap, o)
		<-ahead
	}
	return nil
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
