package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var errRender = errors.New("render failed")

// renderHalf writes more than a buffer's worth, then fails.
func renderHalf(w io.Writer) error {
	if _, err := w.Write(bytes.Repeat([]byte("x"), 2*outBuffer)); err != nil {
		return err
	}
	return errRender
}

func renderNew(w io.Writer) error {
	_, err := io.WriteString(w, "new\n")
	return err
}

// TestRenderToFile checks that a failed render leaves the file as it was,
// or absent, and no temporary file behind, and that a render that succeeds
// replaces the file with the mode it had.
func TestRenderToFile(t *testing.T) {
	tests := []struct {
		name     string
		old      string // contents before, "" for no file
		oldMode  fs.FileMode
		render   func(io.Writer) error
		wantErr  error
		wantData string // "" for no file
	}{
		{"new file, render fails", "", 0, renderHalf, errRender, ""},
		{"old file, render fails", "old\n", 0o640, renderHalf, errRender, "old\n"},
		{"new file", "", 0, renderNew, nil, "new\n"},
		{"old file keeps its mode", "old\n", 0o600, renderNew, nil, "new\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			file := filepath.Join(dir, "out.json")
			if tt.old != "" {
				if err := os.WriteFile(file, []byte(tt.old), tt.oldMode); err != nil {
					t.Fatal(err)
				}
				if err := os.Chmod(file, tt.oldMode); err != nil { // whatever the umask
					t.Fatal(err)
				}
			}
			var stdout bytes.Buffer
			err := renderTo(t.Context(), IOStreams{Out: &stdout}, file, tt.render)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("got error %v, want %v", err, tt.wantErr)
			}
			if stdout.Len() > 0 {
				t.Errorf("got %d bytes on stdout, want none", stdout.Len())
			}
			got, err := os.ReadFile(file)
			switch {
			case tt.wantData == "" && !errors.Is(err, fs.ErrNotExist):
				t.Errorf("got %s (error %v), want no file", file, err)
			case tt.wantData != "" && string(got) != tt.wantData:
				t.Errorf("got %q (error %v), want %q", got, err, tt.wantData)
			}
			entries, err := os.ReadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range entries {
				if e.Name() != "out.json" {
					t.Errorf("got %s left in the directory, want only out.json", e.Name())
				}
			}
			if tt.wantData == "" {
				return
			}
			fi, err := os.Stat(file)
			if err != nil {
				t.Fatal(err)
			}
			wantMode := tt.oldMode
			if tt.old == "" { // what os.WriteFile gives a new file under this umask
				ref := filepath.Join(t.TempDir(), "ref")
				if err := os.WriteFile(ref, nil, 0o644); err != nil {
					t.Fatal(err)
				}
				rfi, err := os.Stat(ref)
				if err != nil {
					t.Fatal(err)
				}
				wantMode = rfi.Mode().Perm()
			}
			if fi.Mode().Perm() != wantMode {
				t.Errorf("got mode %v, want %v", fi.Mode().Perm(), wantMode)
			}
		})
	}
}

// TestRenderToSymlink checks that writing through a link replaces the file
// it points to and keeps the link.
func TestRenderToSymlink(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	target, link := filepath.Join(dir, "target.json"), filepath.Join(dir, "link.json")
	if err := os.WriteFile(target, []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("target.json", link); err != nil {
		t.Skip(err)
	}
	if err := renderTo(t.Context(), IOStreams{}, link, renderNew); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("got %v (error %v) at %s, want a link", fi.Mode(), err, link)
	}
	if got, err := os.ReadFile(target); string(got) != "new\n" {
		t.Errorf("got %q (error %v) in %s, want %q", got, err, target, "new\n")
	}
}

// TestRenderToDevice checks that an output that cannot be replaced, such
// as /dev/null, is written in place.
func TestRenderToDevice(t *testing.T) {
	t.Parallel()
	if _, err := os.Stat(os.DevNull); err != nil {
		t.Skip(err)
	}
	if err := renderTo(t.Context(), IOStreams{}, os.DevNull, renderNew); err != nil {
		t.Errorf("got %v, want no error", err)
	}
}

// TestRenderToStdout checks that stdout gets the whole output, and nothing
// from a render that fails early.
func TestRenderToStdout(t *testing.T) {
	t.Parallel()
	for _, file := range []string{"", "-"} {
		var out bytes.Buffer
		if err := renderTo(t.Context(), IOStreams{Out: &out}, file, renderNew); err != nil || out.String() != "new\n" {
			t.Errorf("%q: got %q (error %v), want %q", file, out.String(), err, "new\n")
		}
		out.Reset()
		err := renderTo(t.Context(), IOStreams{Out: &out}, file, func(w io.Writer) error {
			io.WriteString(w, strings.Repeat("x", 100))
			return errRender
		})
		if !errors.Is(err, errRender) || out.Len() > 0 {
			t.Errorf("%q: got %d bytes (error %v), want none and %v", file, out.Len(), err, errRender)
		}
	}
}

// TestRenderInterrupted: once the command's context is done (Ctrl-C), a
// render stops at its next buffer with errInterrupted, the file keeps its
// old contents and no temporary file is left; on stdout nothing more is
// written.
func TestRenderInterrupted(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	written := 0
	renderForever := func(w io.Writer) error {
		chunk := bytes.Repeat([]byte("x"), 4096)
		for {
			if written == 8*outBuffer {
				cancel() // the user presses Ctrl-C mid-way
			}
			if _, err := w.Write(chunk); err != nil {
				return err
			}
			written += len(chunk)
		}
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "out.json")
	if err := os.WriteFile(file, []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := renderTo(ctx, IOStreams{}, file, renderForever); !errors.Is(err, errInterrupted) {
		t.Fatalf("got error %v, want %v", err, errInterrupted)
	}
	if written > 10*outBuffer {
		t.Errorf("wrote %d bytes after the interrupt at %d, want at most one buffer more", written, 8*outBuffer)
	}
	if got, err := os.ReadFile(file); err != nil || string(got) != "old\n" {
		t.Errorf("got %q (error %v), want the old contents", got, err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("got %d files in the directory, want only out.json", len(entries))
	}

	var stdout bytes.Buffer
	written = 0
	ctx, cancel = context.WithCancel(t.Context())
	defer cancel()
	if err := renderTo(ctx, IOStreams{Out: &stdout}, "-", renderForever); !errors.Is(err, errInterrupted) {
		t.Fatalf("stdout: got error %v, want %v", err, errInterrupted)
	}
	if stdout.Len() > 9*outBuffer {
		t.Errorf("stdout got %d bytes after the interrupt at %d, want at most one buffer more", stdout.Len(), 8*outBuffer)
	}
}
