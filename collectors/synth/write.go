package synth

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/yaml"
)

// Ext returns the file extension of a format, with its dot.
func (f Format) Ext() string { return "." + string(f) }

// Encode writes objects in a format: YAML documents separated by "---",
// or one v1 List indented as kubectl get -o json indents it.
func Encode(w io.Writer, objs []runtime.Object, f Format) error {
	switch f {
	case YAML:
		for _, obj := range objs {
			b, err := yaml.Marshal(obj)
			if err != nil {
				return fmt.Errorf("encoding %T: %w", obj, err)
			}
			if _, err := io.WriteString(w, "---\n"); err != nil {
				return err
			}
			if _, err := w.Write(b); err != nil {
				return err
			}
		}
		return nil
	case JSON:
		list := struct {
			APIVersion string           `json:"apiVersion"`
			Items      []runtime.Object `json:"items"`
			Kind       string           `json:"kind"`
			Metadata   map[string]any   `json:"metadata"`
		}{"v1", objs, "List", map[string]any{"resourceVersion": ""}}
		if list.Items == nil {
			list.Items = []runtime.Object{}
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "    ")
		return enc.Encode(list)
	}
	return fmt.Errorf("unknown format %q", f)
}

// Summary counts what Write wrote.
type Summary struct {
	Dirs    []string       // one per cluster: pass each to -f CLUSTER=DIR
	Files   int            // files written
	Bytes   int64          // bytes written
	Objects map[string]int // by kind
}

// Write generates the estate o describes into dir, one file per namespace
// and one for the cluster-scoped objects ("cluster.yaml"), or one file per
// cluster with SingleFile. With several clusters each gets a directory of
// its name under dir. Files are replaced; others in dir are left alone.
// Write stops between files when ctx is done.
func Write(ctx context.Context, dir string, o Options) (Summary, error) {
	sum := Summary{Objects: map[string]int{}}
	dirs := map[string]bool{}
	err := Generate(o, func(f File) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		d := dir
		if o.Clusters > 1 {
			d = filepath.Join(dir, f.Cluster)
		}
		if !dirs[d] {
			if err := os.MkdirAll(d, 0o755); err != nil {
				return err
			}
			dirs[d] = true
			sum.Dirs = append(sum.Dirs, d)
		}
		n, err := writeFile(filepath.Join(d, f.Name+o.Format.Ext()), f.Objects, o.Format)
		if err != nil {
			return err
		}
		sum.Files++
		sum.Bytes += n
		for _, obj := range f.Objects {
			sum.Objects[obj.GetObjectKind().GroupVersionKind().Kind]++
		}
		return nil
	})
	return sum, err
}

func writeFile(name string, objs []runtime.Object, f Format) (int64, error) {
	file, err := os.Create(name)
	if err != nil {
		return 0, err
	}
	cw := &countingWriter{w: file}
	bw := bufio.NewWriterSize(cw, 1<<20)
	err = Encode(bw, objs, f)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := file.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, fmt.Errorf("writing %s: %w", name, err)
	}
	return cw.n, nil
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
