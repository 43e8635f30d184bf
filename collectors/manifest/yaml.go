package manifest

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"sigs.k8s.io/yaml"

	"github.com/trustpath/trustpath/collectors/estate"
)

// minYAMLShare is the fewest YAML documents worth a goroutine of their own.
const minYAMLShare = 16

// yamlStream decodes a multi-document YAML stream. A long one is cut into
// runs of documents decoded concurrently, their events then kept in order.
func (d *decoder) yamlStream(ctx context.Context, data []byte, file string) {
	docs := splitYAML(data)
	d.inShares(len(docs), minYAMLShare, func(d *decoder, from, to int) {
		for _, doc := range docs[from:to] {
			if ctx.Err() != nil {
				return
			}
			d.yamlDocument(ctx, doc, file)
		}
	})
}

func (d *decoder) yamlDocument(ctx context.Context, doc document, file string) {
	src := estate.Source{File: file, Line: doc.start + contentLine(doc.data) - 1, Document: doc.index}
	if doc.badSeparator > 0 {
		// The line itself is not quoted: it may hold anything.
		src.Line = doc.badSeparator
		d.fail(src, errors.New(`invalid document separator: only a comment may follow "---" on its line`))
		return
	}
	if d.yamlList(ctx, doc, src) {
		return
	}
	d.yamlWhole(ctx, doc, src)
}

// yamlWhole decodes doc parsed as a whole.
func (d *decoder) yamlWhole(ctx context.Context, doc document, src estate.Source) {
	if n := yamlKeys(doc.data); n > MaxYAMLKeys {
		d.fail(src, fmt.Errorf("%w (about %d)", ErrYAMLTooManyKeys, n))
		return
	}
	raw, err := yaml.YAMLToJSON(doc.data)
	if err != nil {
		line, msg := yamlErrorLine(err, doc.start)
		if line > 0 {
			src.Line = line
		}
		d.fail(src, errors.New(msg))
		return
	}
	d.jsonDocument(ctx, raw, src)
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
