package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
)

// outBuffer is the buffer between a renderer and its output: large enough
// that a document of hundreds of megabytes goes out in few system calls.
const outBuffer = 256 << 10

// renderTo writes what fn renders to file, or to stdout for "" and "-", as
// fn renders it: memory stays bounded by what fn holds, not by the size of
// the output.
//
// A file is written under a temporary name in its directory and renamed
// over file only once fn has succeeded, so a failed render leaves file as
// it was (or absent) and no temporary file behind.
//
// stdout cannot be taken back: a render that fails after filling the
// buffer once leaves partial output on stdout. That is accepted, since the
// command still fails and says why on stderr; a failure within the first
// outBuffer bytes, the usual case for small outputs, leaves stdout empty.
//
// Once ctx is done (Ctrl-C), the next write fails with errInterrupted: an
// output of gigabytes stops within one buffer, not after the last byte.
func renderTo(ctx context.Context, s IOStreams, file string, fn func(w io.Writer) error) error {
	if file == "" || file == "-" {
		bw := bufio.NewWriterSize(interruptible{ctx, s.Out}, outBuffer)
		if err := fn(bw); err != nil {
			return err // not flushed: what is still buffered is not written
		}
		return bw.Flush()
	}
	return replaceFile(file, func(w io.Writer) error { return fn(interruptible{ctx, w}) })
}

// errInterrupted is what a write returns once the command's context is
// done: the user asked trustpath to stop.
var errInterrupted = errors.New("interrupted")

// interruptible fails writes once ctx is done. It sits under the output's
// buffer, so it is asked once per buffer, not per value written.
type interruptible struct {
	ctx context.Context
	w   io.Writer
}

func (iw interruptible) Write(p []byte) (int, error) {
	if iw.ctx.Err() != nil {
		return 0, errInterrupted
	}
	return iw.w.Write(p)
}

// writeOutput writes data to the named file, or to stdout for "" and "-",
// as renderTo does.
func writeOutput(stdout io.Writer, name string, data []byte) error {
	return renderTo(context.Background(), IOStreams{Out: stdout}, name, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// replaceFile writes what fn renders to a temporary file beside name and
// renames it over name. The file gets the mode os.WriteFile(name, data,
// 0o644) would leave: that of the file it replaces, else 0o644 less the
// umask. A symbolic link to a regular file keeps pointing to it and the
// file it points to is replaced. Outputs that cannot be replaced, such as
// /dev/stdout, /dev/null or a named pipe, and files in a directory the
// user may not create files in, are written in place as they are rendered.
//
// Replacing gives the file a new inode: hard links to the old one keep the
// old contents, and the file is owned by the user who ran trustpath.
func replaceFile(name string, fn func(w io.Writer) error) (err error) {
	target, perm, exists, replace := replaceable(name)
	if !replace {
		return writeInPlace(name, fn)
	}
	f, err := createTemp(target, perm)
	if errors.Is(err, fs.ErrPermission) {
		return writeInPlace(name, fn)
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	bw := bufio.NewWriterSize(f, outBuffer)
	if err := fn(bw); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	if exists {
		// createTemp applied the umask; the replaced file's mode is kept
		// whole, as os.WriteFile keeps it.
		if err := f.Chmod(perm); err != nil {
			return fmt.Errorf("writing %s: %w", name, err)
		}
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	if err := os.Rename(tmp, target); err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	return nil
}

// replaceable says whether name can be written by replacing it: it is
// absent, or a regular file or a link to one. It returns the path to
// replace and the mode to give the file: that of the file there if it
// exists, else 0o644.
func replaceable(name string) (target string, perm fs.FileMode, exists, ok bool) {
	fi, err := os.Lstat(name)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return name, 0o644, false, true
	case err != nil:
		return "", 0, false, false
	case fi.Mode()&fs.ModeSymlink != 0:
		if name, err = filepath.EvalSymlinks(name); err != nil {
			return "", 0, false, false // dangling: writing in place creates what it points to
		}
		if fi, err = os.Stat(name); err != nil {
			return "", 0, false, false
		}
	}
	if !fi.Mode().IsRegular() {
		return "", 0, false, false
	}
	return name, fi.Mode().Perm(), true, true
}

// createTemp creates a new file beside target, hidden and named after it.
// Unlike os.CreateTemp, whose files are 0o600, it opens with perm less the
// umask: for 0o644, the mode os.WriteFile gives a new file.
func createTemp(target string, perm fs.FileMode) (*os.File, error) {
	dir, base := filepath.Split(target)
	for range 100 {
		name := filepath.Join(dir, "."+base+"."+strconv.FormatUint(rand.Uint64(), 36)+".tmp")
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
		if pe := (*fs.PathError)(nil); errors.As(err, &pe) && !errors.Is(err, fs.ErrExist) {
			pe.Path = target // a missing directory is the output's, not the temporary name's
		}
		if !errors.Is(err, fs.ErrExist) {
			return f, err
		}
	}
	return nil, fmt.Errorf("no unused temporary name beside %s", target)
}

// writeInPlace writes what fn renders straight into name.
func writeInPlace(name string, fn func(w io.Writer) error) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	bw := bufio.NewWriterSize(f, outBuffer)
	if err := fn(bw); err != nil {
		f.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", name, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	return nil
}
