package manifest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"

	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/yaml"

	"github.com/trustpath/trustpath/collectors/estate"
)

// A List that kubectl get -o yaml prints is one YAML document: a few
// thousand pods make millions of keys, and go-yaml would hold the whole
// tree (and take minutes: its time grows faster than the document). So a
// document whose top level is a List with a block sequence of items is cut
// into those items before it is parsed, each item parsed, limited and
// decoded on its own, as the items of a JSON List are.

// listItem is one entry of the items sequence of a YAML List.
type listItem struct {
	start, end int // its text in the document, from its "- " on
	line       int // 0-based line of start in the document
}

// yamlList is a YAML document cut into its items and the rest.
type yamlList struct {
	// header is the document with the items sequence replaced by [].
	header []byte
	items  []listItem
	// itemsKey is the text of the line that holds the key, for each item
	// to be parsed under, so that it is parsed as in the document.
	itemsKey []byte
}

var itemsKey = []byte("items:")

// splitList cuts the YAML document data into the items of a List, going
// by the lines' indentation: a block sequence under an "items:" key at the
// top level, its entries starting with "- " at one column, which may be
// that of the key. It reports false for a document that is not such a
// List, holds more than one items key, or whose lines it cannot be sure
// of (see yamlTokens); the whole document is then parsed at once.
func splitList(data []byte) (yamlList, bool) {
	at := -1 // offset of the line "items:"
	for i := 0; ; {
		j := bytes.Index(data[i:], itemsKey)
		if j < 0 {
			break
		}
		j += i
		if j == 0 || data[j-1] == '\n' {
			if at >= 0 {
				return yamlList{}, false
			}
			at = j
		}
		i = j + len(itemsKey)
	}
	if at < 0 || otherBreaks(data) {
		return yamlList{}, false
	}
	// The key's line: "items:" and nothing after it but a comment.
	next := len(data)
	if k := bytes.IndexByte(data[at:], '\n'); k >= 0 {
		next = at + k + 1
	}
	keyLine := bytes.TrimSuffix(bytes.TrimSuffix(data[at:next], []byte("\n")), []byte("\r"))
	rest := keyLine[len(itemsKey):]
	if j := skipBlank(rest, 0); j < len(rest) && (j == 0 || rest[j] != '#') {
		return yamlList{}, false // a flow sequence, a tag, an anchor, …
	}
	if !cleanYAML(data[:at]) {
		return yamlList{}, false // the key may be inside a string
	}

	l := yamlList{itemsKey: keyLine}
	col, end := -1, len(data) // the entries' column; where the sequence ends
	line := bytes.Count(data[:next], []byte("\n"))
	for pos := next; pos < len(data); line++ {
		lineEnd := len(data)
		if k := bytes.IndexByte(data[pos:], '\n'); k >= 0 {
			lineEnd = pos + k + 1
		}
		text := bytes.TrimSuffix(bytes.TrimSuffix(data[pos:lineEnd], []byte("\n")), []byte("\r"))
		start := pos
		pos = lineEnd
		ind := indentation(text)
		if blankLine(text) || text[ind] == '#' {
			continue // in the item before, if any
		}
		entry := text[ind] == '-' && separated(text, ind+1)
		switch {
		case col < 0 && !entry:
			return yamlList{}, false // items that are not a block sequence, or null
		case col < 0 || ind == col && entry:
			if n := len(l.items); n > 0 {
				l.items[n-1].end = start
			}
			col = ind
			l.items = append(l.items, listItem{start: start, line: line})
			continue
		case ind > col:
			continue // in the item
		case ind == 0:
			end = start // the next key of the List
		default:
			return yamlList{}, false // not YAML
		}
		break
	}
	if len(l.items) == 0 {
		return yamlList{}, false
	}
	l.items[len(l.items)-1].end = end
	// The comments between the key and the first item stay in the
	// header, to be parsed: go-yaml refuses control characters in them.
	first := l.items[0].start
	l.header = make([]byte, 0, at+len("items: []\n")+first-next+len(data)-end)
	l.header = append(append(l.header, data[:at]...), "items: []\n"...)
	l.header = append(append(l.header, data[next:first]...), data[end:]...)
	return l, true
}

// otherBreaks reports whether data holds a line break other than "\n" and
// "\r\n": go-yaml also breaks lines at a lone '\r' and at U+0085, U+2028
// and U+2029, which the cut does not follow.
func otherBreaks(data []byte) bool {
	for i := 0; ; i++ {
		j := bytes.IndexByte(data[i:], '\r')
		if j < 0 {
			break
		}
		if i += j; i+1 == len(data) || data[i+1] != '\n' {
			return true
		}
	}
	if bytes.Contains(data, []byte("\u0085")) {
		return true
	}
	for i := 0; ; i += 2 {
		j := bytes.Index(data[i:], []byte("\u2028")[:2])
		if j < 0 {
			return false
		}
		if i += j; i+2 < len(data) && (data[i+2] == 0xa8 || data[i+2] == 0xa9) {
			return true
		}
	}
}

// listHead is what the header of a YAML List says about its items.
type listHead struct {
	gaps []estate.Gap
	def  *schema.GroupVersionKind // as for object
}

// head reads the header of a List as scannedObject reads a List, and
// reports false for anything it would not read as a List whose items are
// the [] the header holds in their place: that document is parsed whole.
func (l *yamlList) head() (listHead, bool) {
	if n := yamlKeys(l.header); n > MaxYAMLKeys {
		return listHead{}, false
	}
	raw, err := yaml.YAMLToJSON(l.header)
	if err != nil {
		return listHead{}, false
	}
	i := skipWS(raw, 0)
	if i == len(raw) || raw[i] != '{' {
		return listHead{}, false
	}
	var h scanned
	s := scanner{data: raw}
	if end := s.document(i, &h); end < 0 || !h.object || h.odd {
		return listHead{}, false
	}
	apiVersion, ok1 := plainString(raw, h.apiVersion)
	kind, ok2 := plainString(raw, h.kind)
	if !ok1 || !ok2 || apiVersion == "" || !strings.HasSuffix(kind, "List") {
		return listHead{}, false
	}
	// encoding/json picks the last of the keys that match items ignoring
	// case, and the JSON of YAML has its keys sorted: "items" is last.
	if !h.items.found() || string(raw[h.items.start:h.items.end]) != "[]" {
		return listHead{}, false
	}
	var lh listHead
	if h.gaps.found() {
		if err := json.Unmarshal(raw[h.gaps.start:h.gaps.end], &lh.gaps); err != nil {
			return listHead{}, false
		}
	}
	lh.def = itemKind(apiVersion, kind)
	return lh, true
}

// yamlKeys estimates the keys of YAML text, before parsing it, as its
// colons and commas.
func yamlKeys(text []byte) int {
	return bytes.Count(text, []byte(":")) + bytes.Count(text, []byte(","))
}

// yamlList decodes doc as a List cut into its items, and reports false,
// having decoded nothing, when it is not one (see splitList and head).
// Each item is parsed with the line of its key before it, so that go-yaml
// reads it as it would in the whole document, and is named by its own
// line. Long Lists are decoded concurrently, in runs of items.
//
// An item that does not parse may be a mistaken cut, if yamlTokens missed a
// quote. When the whole document is within MaxYAMLKeys, it is then parsed
// whole, and if that succeeds, decoded whole: the cuts were wrong. A List
// over the limit, or one that does not parse whole either, keeps its items
// apart: the others load, and the broken ones are reported.
func (d *decoder) yamlList(ctx context.Context, doc document, src estate.Source) bool {
	l, ok := splitList(doc.data)
	if !ok {
		return false
	}
	lh, ok := l.head()
	if !ok {
		return false
	}
	var wrongCut, broken atomic.Bool
	items := d.fork()
	items.inShares(len(l.items), minYAMLShare, func(p *decoder, from, to int) {
		for i := from; i < to && ctx.Err() == nil && !wrongCut.Load(); i++ {
			it := l.items[i]
			s := src
			s.Line, s.Item = doc.start+it.line, i+1
			switch p.yamlItem(ctx, doc.data[it.start:it.end], l.itemsKey, s, lh.def) {
			case itemWrongCut:
				wrongCut.Store(true)
			case itemBroken:
				broken.Store(true)
			}
		}
	})
	if wrongCut.Load() {
		return false
	}
	if broken.Load() && yamlKeys(doc.data) <= MaxYAMLKeys {
		if raw, err := yaml.YAMLToJSON(doc.data); err == nil {
			d.jsonDocument(ctx, raw, src)
			return true
		}
	}
	d.addGaps(lh.gaps)
	d.events = append(d.events, items.events...)
	return true
}

// itemResult is how reading one item of a YAML List went.
type itemResult uint8

const (
	itemRead     itemResult = iota // decoded, or reported for what it holds
	itemBroken                     // not YAML on its own
	itemWrongCut                   // not one item: the List was cut wrongly
)

// yamlItem decodes text, one item of a YAML List from its "- " on, at src.
// key is the List's items key line, which the item is parsed under.
func (d *decoder) yamlItem(ctx context.Context, text, key []byte, src estate.Source, def *schema.GroupVersionKind) itemResult {
	if !cleanYAML(text) {
		return itemWrongCut
	}
	if n := yamlKeys(text); n > MaxYAMLKeys {
		d.fail(src, fmt.Errorf("%w (about %d)", ErrYAMLTooManyKeys, n))
		return itemRead
	}
	d.yaml = append(append(append(d.yaml[:0], key...), '\n'), text...)
	raw, err := yaml.YAMLToJSON(d.yaml)
	if err != nil {
		line, msg := yamlErrorLine(err, src.Line-1) // the key is the line before
		if line >= src.Line {
			src.Line = line
		}
		d.fail(src, errors.New(msg))
		return itemBroken
	}
	// raw is {"items":[item]}: the item is scanned at the depth it has in
	// the whole document.
	s := scanner{data: raw}
	end := s.document(0, &d.scan)
	switch {
	case errors.Is(s.err, ErrTooDeep):
		d.fail(src, ErrTooDeep)
		return itemRead
	case end < 0 || !d.scan.object || len(d.scan.elems) != 1:
		return itemWrongCut
	}
	d.scannedObject(ctx, raw, &d.scan.elems[0], nil, src, def)
	return itemRead
}
