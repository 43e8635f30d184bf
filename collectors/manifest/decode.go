package manifest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/kubernetes/scheme"
	"sigs.k8s.io/yaml"

	"github.com/trustpath/trustpath/collectors/estate"
)

// deserializer decodes every built-in kind client-go knows, by apiVersion
// and kind, into its typed struct.
var deserializer = scheme.Codecs.UniversalDeserializer()

// decoder reads documents of one input into a snapshot.
type decoder struct {
	snap      *estate.Snapshot
	namespace string // for namespaced objects that name none
}

// stream decodes a whole input: JSON values one after another, or
// multi-document YAML.
func (d *decoder) stream(data []byte, file string) {
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	if len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[') && (json.Valid(firstValue(trimmed)) || !yamlStart(data)) {
		d.jsonStream(data, file)
		return
	}
	// YAML, which includes JSON-looking flow style ({kind: Pod, …}).
	for _, doc := range splitYAML(data) {
		src := estate.Source{File: file, Line: doc.start + contentLine(doc.data) - 1, Document: doc.index}
		if doc.badSeparator > 0 {
			// The line itself is not quoted: it may hold anything.
			src.Line = doc.badSeparator
			d.fail(src, errors.New(`invalid document separator: only a comment may follow "---" on its line`))
			continue
		}
		raw, err := yaml.YAMLToJSON(doc.data)
		if err != nil {
			line, msg := yamlErrorLine(err, doc.start)
			if line > 0 {
				src.Line = line
			}
			d.fail(src, errors.New(msg))
			continue
		}
		d.object(raw, src, nil)
	}
}

// jsonStream decodes concatenated JSON values; a top-level array is read as
// a list of objects.
func (d *decoder) jsonStream(data []byte, file string) {
	dec := json.NewDecoder(bytes.NewReader(data))
	for index := 1; ; index++ {
		offset := dec.InputOffset()
		var raw json.RawMessage
		err := dec.Decode(&raw)
		if errors.Is(err, io.EOF) {
			return
		}
		src := estate.Source{File: file, Line: lineAt(data, skipSpace(data, offset)), Document: index}
		if err != nil {
			var se *json.SyntaxError
			if errors.As(err, &se) {
				src.Line = lineAt(data, int(se.Offset))
			}
			d.fail(src, fmt.Errorf("invalid JSON: %w", err))
			return // a JSON stream cannot be resynchronised after a syntax error
		}
		if len(raw) > 0 && raw[0] == '[' {
			d.items(raw, src, nil)
			continue
		}
		d.object(raw, src, nil)
	}
}

// firstValue returns the first JSON value of data, or data when it holds
// none that parses, so a stream is read as JSON only when it starts as JSON.
func firstValue(data []byte) []byte {
	var raw json.RawMessage
	if err := json.NewDecoder(bytes.NewReader(data)).Decode(&raw); err != nil {
		return data
	}
	return raw
}

// yamlStart reports whether the first document of data parses as YAML: a
// stream that starts like JSON but is not JSON is YAML's flow style when it
// does, and broken JSON (reported as such) when it does not.
func yamlStart(data []byte) bool {
	docs := splitYAML(data)
	if len(docs) == 0 {
		return false
	}
	_, err := yaml.YAMLToJSON(docs[0].data)
	return err == nil
}

// typeHead is what is read of an object before it is decoded in full.
type typeHead struct {
	APIVersion string          `json:"apiVersion"`
	Kind       string          `json:"kind"`
	Items      json.RawMessage `json:"items"`
	Gaps       []estate.Gap    `json:"trustpathGaps"` // see GapsField
}

// object decodes one JSON object into the snapshot. def, when not nil, is
// the apiVersion and kind to assume when the object names none (the items of
// a typed list from the API carry no kind of their own).
func (d *decoder) object(raw []byte, src estate.Source, def *schema.GroupVersionKind) {
	if bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		return
	}
	var head typeHead
	if err := json.Unmarshal(raw, &head); err != nil {
		d.fail(src, fmt.Errorf("document is not an object: %w", err))
		return
	}
	if head.Kind == "" && def != nil {
		head.APIVersion, head.Kind = def.GroupVersion().String(), def.Kind
	}
	if head.Kind == "" || head.APIVersion == "" {
		d.fail(src, errors.New("document has no apiVersion and kind; is it a Kubernetes manifest?"))
		return
	}
	if strings.HasSuffix(head.Kind, "List") && head.Items != nil {
		itemDef := &schema.GroupVersionKind{Kind: strings.TrimSuffix(head.Kind, "List")}
		if gv, err := schema.ParseGroupVersion(head.APIVersion); err == nil {
			itemDef.Group, itemDef.Version = gv.Group, gv.Version
		}
		if head.Kind == "List" {
			itemDef = nil // a generic List: every item names its own kind
		}
		d.snap.Gaps = append(d.snap.Gaps, head.Gaps...)
		d.items(head.Items, src, itemDef)
		return
	}
	gvk := schema.FromAPIVersionAndKind(head.APIVersion, head.Kind)
	obj, _, err := deserializer.Decode(raw, &gvk, nil)
	switch {
	case runtime.IsNotRegisteredError(err):
		d.skip(head.APIVersion, head.Kind, src)
		return
	case err != nil:
		d.fail(src, fmt.Errorf("decoding %s %s: %w", head.APIVersion, head.Kind, err))
		return
	}
	if !d.snap.Add(obj, src, d.namespace) { // Add scrubs Secret values
		d.skip(head.APIVersion, head.Kind, src)
	}
}

// items decodes the elements of a List (or a top-level JSON array).
func (d *decoder) items(raw []byte, src estate.Source, def *schema.GroupVersionKind) {
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		d.fail(src, fmt.Errorf("list items are not an array: %w", err))
		return
	}
	for i, item := range items {
		s := src
		s.Item = i + 1
		d.object(item, s, def)
	}
}

func (d *decoder) fail(src estate.Source, err error) {
	d.snap.Report(&estate.Diagnostic{Severity: estate.Error, Source: src, Err: err})
}

func (d *decoder) skip(apiVersion, kind string, src estate.Source) {
	d.snap.Skipped[apiVersion+"/"+kind]++
	if estate.Analysed(kind) {
		// A kind trustpath reads, in an API version it does not (such as
		// extensions/v1beta1 Ingress or apps/v1beta2 Deployment, no longer
		// served): losing it silently would lose its paths.
		d.snap.Report(&estate.Diagnostic{Severity: estate.Warning, Source: src,
			Err: fmt.Errorf("%s %s is in an API version trustpath does not read (current Kubernetes does not serve it either); skipped it: convert it to the current version", apiVersion, kind)})
	}
}

var yamlLine = regexp.MustCompile(`yaml: line (\d+): `)

// parserProblems are the messages of go-yaml's parser errors, as opposed to
// its scanner errors. go.yaml.in/yaml/v2, which sigs.k8s.io/yaml uses, adds
// one to the 0-based line of a scanner error but not of a parser error
// (parser.fail in its decode.go), so a parser error's line is one too small.
var parserProblems = map[string]bool{
	"did not find expected <stream-start>":   true,
	"did not find expected <document start>": true,
	"did not find expected node content":     true,
	"did not find expected '-' indicator":    true,
	"did not find expected key":              true,
	"did not find expected ',' or ']'":       true,
	"did not find expected ',' or '}'":       true,
	"found undefined tag handle":             true,
	"found duplicate %YAML directive":        true,
	"found incompatible YAML document":       true,
	"found duplicate %TAG directive":         true,
}

// yamlErrorLine turns the parser's line, counted from the document's start,
// into a line of the file, and returns the message without it.
func yamlErrorLine(err error, docStart int) (line int, msg string) {
	msg = strings.TrimPrefix(err.Error(), "error converting YAML to JSON: ")
	m := yamlLine.FindStringSubmatchIndex(msg)
	if m == nil {
		return 0, "invalid YAML: " + msg
	}
	n, _ := strconv.Atoi(msg[m[2]:m[3]]) // the pattern admits digits only
	problem := msg[m[1]:]
	if parserProblems[problem] {
		n++
	}
	return docStart + n - 1, "invalid YAML: " + problem
}

// lineAt returns the 1-based line of byte offset off in data.
func lineAt(data []byte, off int) int {
	off = min(max(off, 0), len(data))
	return bytes.Count(data[:off], []byte("\n")) + 1
}

func skipSpace(data []byte, off int64) int {
	i := int(off)
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n') {
		i++
	}
	return i
}
