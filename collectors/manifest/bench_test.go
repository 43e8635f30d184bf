package manifest_test

import (
	"bytes"
	"fmt"
	"sync"
	"testing"
	"testing/fstest"

	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/yaml"

	"github.com/trustpath/trustpath/collectors/estate"
	"github.com/trustpath/trustpath/collectors/manifest"
	"github.com/trustpath/trustpath/collectors/synth"
	"github.com/trustpath/trustpath/collectors/workload"
)

// benchInput is a synthetic estate as files, and all of it as one stream.
type benchInput struct {
	files  fstest.MapFS
	stream []byte
	bytes  int64
}

var benchInputs sync.Map // "format/pods" -> func() benchInput

// estateOf generates the default estate of pods pods once per process.
func estateOf(pods int, format synth.Format) benchInput {
	f, _ := benchInputs.LoadOrStore(fmt.Sprintf("%s/%d", format, pods), sync.OnceValue(func() benchInput {
		o := synth.Defaults(pods)
		o.Format, o.Dump = format, format == synth.JSON
		in := benchInput{files: fstest.MapFS{}}
		var all []runtime.Object
		err := synth.Generate(o, func(f synth.File) error {
			var buf bytes.Buffer
			if err := synth.Encode(&buf, f.Objects, format); err != nil {
				return err
			}
			in.files[f.Name+format.Ext()] = &fstest.MapFile{Data: buf.Bytes()}
			in.bytes += int64(buf.Len())
			all = append(all, f.Objects...)
			return nil
		})
		if err != nil {
			panic(fmt.Sprintf("generating %d pods: %v", pods, err)) // the defaults are valid
		}
		var buf bytes.Buffer
		if err := synth.Encode(&buf, all, format); err != nil {
			panic(err)
		}
		in.stream = buf.Bytes()
		return in
	}))
	return f.(func() benchInput)()
}

// BenchmarkRead decodes synthetic estates: a directory of files (kubectl
// List dumps, or multi-document YAML), and the same objects as one stream;
// whole, and as Load reads them, with the objects a controller describes
// read in part.
func BenchmarkRead(b *testing.B) {
	for _, format := range []synth.Format{synth.JSON, synth.YAML} {
		for _, pods := range []int{1000, 10000} {
			for _, inPart := range []bool{false, true} {
				mode := "whole"
				if inPart {
					mode = "inpart"
				}
				in := func() benchInput { return estateOf(pods, format) }
				b.Run(fmt.Sprintf("%s/files/pods=%d/%s", format, pods, mode), func(b *testing.B) {
					in := in()
					b.SetBytes(in.bytes)
					b.ReportAllocs()
					for b.Loop() {
						readBench(b, inPart, func(s *estate.Snapshot, o manifest.Options) error {
							return manifest.ReadFS(b.Context(), in.files, ".", "bench", s, o)
						})
					}
				})
				b.Run(fmt.Sprintf("%s/stream/pods=%d/%s", format, pods, mode), func(b *testing.B) {
					in := in()
					b.SetBytes(int64(len(in.stream)))
					b.ReportAllocs()
					for b.Loop() {
						readBench(b, inPart, func(s *estate.Snapshot, o manifest.Options) error {
							return manifest.Read(b.Context(), bytes.NewReader(in.stream), "bench", s, o)
						})
					}
				})
			}
		}
	}
}

// readBench reads with read into a new snapshot, whole or in part, as Load
// does, and fails unless it reads objects and nothing wrong.
func readBench(b *testing.B, inPart bool, read func(*estate.Snapshot, manifest.Options) error) {
	s := estate.New("bench")
	o := defaultNS
	if inPart {
		o.Deferred = manifest.NewDeferred()
	}
	if err := read(s, o); err != nil {
		b.Fatal(err)
	}
	if inPart {
		o.Deferred.Complete(s, workload.Described(s))
	}
	if s.Objects() == 0 || len(s.Diagnostics) > 0 {
		b.Fatalf("decoded %d objects with %d diagnostics", s.Objects(), len(s.Diagnostics))
	}
}

var yamlLists sync.Map // pods -> func() []byte

// yamlListOf is the cluster dump of pods pods as kubectl get -o yaml prints
// it: one List, converted from the JSON one as kubectl converts it.
func yamlListOf(pods int) []byte {
	f, _ := yamlLists.LoadOrStore(pods, sync.OnceValue(func() []byte {
		b, err := yaml.JSONToYAML(estateOf(pods, synth.JSON).stream)
		if err != nil {
			panic(err)
		}
		return b
	}))
	return f.(func() []byte)()
}

// BenchmarkReadYAMLList decodes a cluster dump written as one YAML List,
// which is cut into its items (10,000 pods: 73 MB, 28,882 objects).
func BenchmarkReadYAMLList(b *testing.B) {
	for _, pods := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("pods=%d", pods), func(b *testing.B) {
			in := yamlListOf(pods)
			b.SetBytes(int64(len(in)))
			b.ReportAllocs()
			for b.Loop() {
				s := estate.New("bench")
				if err := manifest.Read(b.Context(), bytes.NewReader(in), "bench", s, defaultNS); err != nil {
					b.Fatal(err)
				}
				if s.Objects() == 0 || len(s.Diagnostics) > 0 {
					b.Fatalf("decoded %d objects with %d diagnostics", s.Objects(), len(s.Diagnostics))
				}
			}
		})
	}
}
