package input

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tarjama/tarjama/pipeline"
)

type format int

const (
	formatText format = iota
	formatJSONL
	formatJSON
)

// formatOf chooses the format from the file name's extension.
func formatOf(name string) format {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".jsonl", ".ndjson":
		return formatJSONL
	case ".json":
		return formatJSON
	}
	return formatText
}

// textID is the document ID of a plain-text file: its name without the
// extension.
func textID(name string) string {
	base := filepath.Base(name)
	if id := strings.TrimSuffix(base, filepath.Ext(base)); id != "" {
		return id
	}
	return base
}

var bom = []byte("\xef\xbb\xbf")

// Read parses one stream into documents. The format follows name's
// extension: .jsonl/.ndjson are JSON Lines, .json a JSON object or an array
// of objects, anything else one plain-text document whose ID is the file
// name without its extension. For name "-" (stdin) the format is sniffed:
// a first line that is a JSON object means JSON Lines, '[' a JSON array,
// anything else plain text with ID "stdin".
//
// A bad line or element yields an Item with Err and reading goes on; a
// syntax error inside a JSON array ends that file. Reading stops when ctx is
// done.
func Read(ctx context.Context, name string, r io.Reader, opt Options) iter.Seq[Item] {
	return func(yield func(Item) bool) {
		source, id := name, textID(name)
		if name == "-" {
			source, id = "stdin", "stdin"
		}
		readStream(ctx, source, id, name == "-", r, opt, yield)
	}
}

// readStream reads one stream; id is the document ID if it turns out to be
// plain text.
func readStream(ctx context.Context, source, id string, sniff bool, r io.Reader, opt Options, yield func(Item) bool) bool {
	br := bufio.NewReaderSize(r, 64<<10)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, bom) {
		br.Discard(3)
	}
	f := formatOf(source)
	if sniff {
		f = sniffFormat(br)
	}
	switch f {
	case formatJSONL:
		return readJSONL(ctx, source, br, opt.maxBytes(), yield)
	case formatJSON:
		return readJSON(ctx, source, br, opt.maxBytes(), yield)
	}
	return readText(source, id, br, opt.maxBytes(), yield)
}

// sniffFormat looks at the start of stdin: a first line holding a whole
// JSON object is JSON Lines, '{' otherwise a JSON object, '[' a JSON array.
func sniffFormat(br *bufio.Reader) format {
	for n := 512; ; n *= 4 {
		b, err := br.Peek(n)
		t := bytes.TrimLeft(b, " \t\r\n")
		if len(t) > 0 {
			switch t[0] {
			case '[':
				return formatJSON
			case '{':
				line := t
				if i := bytes.IndexByte(t, '\n'); i >= 0 {
					line = t[:i]
				} else if err == nil && n < 1<<20 {
					continue // the first line is longer than what we peeked
				}
				if json.Valid(bytes.TrimSpace(line)) {
					return formatJSONL
				}
				return formatJSON
			}
			return formatText
		}
		if err != nil || n >= 1<<20 {
			return formatText
		}
	}
}

// readText reads a whole plain-text stream as one document.
func readText(source, id string, br *bufio.Reader, max int64, yield func(Item) bool) bool {
	data, err := io.ReadAll(io.LimitReader(br, max+1))
	if err != nil {
		return yield(errItem(source, 0, err, "cannot read: %v", err))
	}
	if int64(len(data)) > max {
		rest, _ := io.Copy(io.Discard, br) // count without keeping
		return yield(tooLarge(source, 0, int64(len(data))+rest, max, "file"))
	}
	text, bad := checkText(source, data)
	if bad != nil {
		return yield(*bad)
	}
	return yield(Item{Doc: pipeline.Document{ID: id, Text: text, Source: source}})
}

func tooLarge(source string, line int, size, max int64, what string) Item {
	advice := "split it or raise --max-bytes"
	if line > 0 {
		advice = "shorten it or raise --max-bytes"
	}
	return errItem(source, line, ErrTooLarge, "%s is %s, over the %s limit per document: %s", what, formatSize(size), formatSize(max), advice)
}

// checkText validates and normalizes a plain-text document (its BOM is
// already gone): no NUL bytes, valid UTF-8, mostly printable, not empty;
// CRLF and lone CR become LF.
func checkText(source string, data []byte) (string, *Item) {
	if bytes.IndexByte(data, 0) >= 0 {
		it := errItem(source, 0, ErrBinary, "looks binary, not text (it has NUL bytes): give a .txt, .md, .json or .jsonl file")
		return "", &it
	}
	if off := invalidUTF8At(data); off >= 0 {
		it := errItem(source, 0, ErrEncoding, "invalid UTF-8 at byte %d: re-encode the file as UTF-8 (e.g. iconv -f windows-1256 -t utf-8)", off)
		return "", &it
	}
	if looksBinary(data) {
		it := errItem(source, 0, ErrBinary, "looks binary, not text (mostly control characters): give a .txt, .md, .json or .jsonl file")
		return "", &it
	}
	text := normalizeNewlines(string(data))
	if strings.TrimSpace(text) == "" {
		it := errItem(source, 0, ErrEmpty, "empty document: the file has no text; fill or remove it")
		return "", &it
	}
	return text, nil
}

// invalidUTF8At returns the offset of the first invalid UTF-8 byte, or -1.
func invalidUTF8At(b []byte) int {
	if utf8.Valid(b) {
		return -1
	}
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return -1
}

// looksBinary reports whether more than a tenth of the runes are control
// characters other than whitespace.
func looksBinary(b []byte) bool {
	var ctl, n int
	for _, r := range string(b) {
		n++
		if unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' && r != '\f' && r != '\v' {
			ctl++
		}
	}
	return n > 0 && ctl*10 > n
}

func normalizeNewlines(s string) string {
	if strings.IndexByte(s, '\r') < 0 {
		return s
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.ReplaceAll(s, "\r", "\n")
}

// readJSONL reads one document per line. Blank lines are skipped.
func readJSONL(ctx context.Context, source string, br *bufio.Reader, max int64, yield func(Item) bool) bool {
	var buf []byte
	for line := 1; ; line++ {
		if ctx.Err() != nil {
			return false
		}
		b, size, over, err := readLine(br, max, buf[:0])
		buf = b
		if err != nil && err != io.EOF {
			return yield(errItem(source, line, err, "cannot read: %v", err))
		}
		if size == 0 && err == io.EOF {
			return true
		}
		switch {
		case over:
			if !yield(tooLarge(source, line, size, max, "line")) {
				return false
			}
		case len(bytes.TrimSpace(b)) > 0:
			doc, bad := parseDoc(source, line, b, "line")
			if bad != nil {
				if !yield(*bad) {
					return false
				}
			} else if !yield(Item{Doc: doc}) {
				return false
			}
		}
		if err == io.EOF {
			return true
		}
	}
}

// readLine reads up to and including '\n' into buf. A line longer than max
// (not counting its line ending) is read through without being kept: over
// is then true and size is its full length.
func readLine(br *bufio.Reader, max int64, buf []byte) (line []byte, size int64, over bool, err error) {
	for {
		chunk, err := br.ReadSlice('\n')
		size += int64(len(chunk))
		if !over {
			keep := chunk
			if err == nil {
				keep = bytes.TrimRight(chunk, "\r\n") // the line ending does not count
			}
			if int64(len(buf)+len(keep)) > max {
				over, buf = true, buf[:0]
			} else {
				buf = append(buf, chunk...)
			}
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		return buf, size, over, err
	}
}

// rawDoc is a document as it appears in JSON input.
type rawDoc struct {
	ID        json.RawMessage `json:"id"`
	Text      *string         `json:"text"`
	Title     string          `json:"title"`
	URL       string          `json:"url"`
	Published string          `json:"published"`
	Lang      string          `json:"lang"`
}

// parseDoc decodes one JSON document; what is "line" or "element" for the
// advice.
func parseDoc(source string, line int, raw []byte, what string) (pipeline.Document, *Item) {
	bad := func(cause error, format string, a ...any) (pipeline.Document, *Item) {
		it := errItem(source, line, cause, format, a...)
		return pipeline.Document{}, &it
	}
	if off := invalidUTF8At(raw); off >= 0 {
		return bad(ErrEncoding, "invalid UTF-8 at byte %d of the %s: re-encode the file as UTF-8 (e.g. iconv -f windows-1256 -t utf-8)", off, what)
	}
	t := bytes.TrimSpace(raw)
	if len(t) == 0 || t[0] != '{' {
		return bad(ErrMalformed, `malformed JSON (not an object; want {"id": ..., "text": ...}): fix or remove the %s`, what)
	}
	var d rawDoc
	if err := json.Unmarshal(t, &d); err != nil {
		return bad(fmt.Errorf("%w: %w", ErrMalformed, err), "malformed JSON (%s): fix or remove the %s", oneLine(err.Error()), what)
	}
	id, ok := idString(d.ID)
	if !ok {
		return bad(ErrMissing, `missing "id" (a non-empty string or number): every document needs an "id" and a "text"; fix or remove the %s`, what)
	}
	if d.Text == nil {
		return bad(ErrMissing, `missing "text": every document needs an "id" and a "text"; fix or remove the %s`, what)
	}
	if strings.TrimSpace(*d.Text) == "" {
		return bad(ErrEmpty, `empty document: "text" is blank; fill or remove the %s`, what)
	}
	return pipeline.Document{
		ID:        id,
		Text:      normalizeNewlines(strings.TrimPrefix(*d.Text, "\ufeff")),
		Title:     d.Title,
		URL:       d.URL,
		Published: d.Published,
		Lang:      d.Lang,
		Source:    source,
		Line:      line,
	}, nil
}

// idString accepts a non-blank string or a number as a document ID.
func idString(raw json.RawMessage) (string, bool) {
	if len(raw) == 0 {
		return "", false
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		s = strings.TrimSpace(s)
		return s, s != ""
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err == nil {
		return n.String(), true
	}
	return "", false
}

func oneLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// readJSON reads a JSON object (one document) or an array of objects,
// element by element.
func readJSON(ctx context.Context, source string, br *bufio.Reader, max int64, yield func(Item) bool) bool {
	first, lines, err := firstNonSpace(br)
	if err == io.EOF {
		return yield(errItem(source, 0, ErrEmpty, "empty document: the file has no JSON; fill or remove it"))
	}
	if err != nil {
		return yield(errItem(source, 0, err, "cannot read: %v", err))
	}
	switch first {
	case '{':
		data, err := io.ReadAll(io.LimitReader(br, max+1))
		if err != nil {
			return yield(errItem(source, 0, err, "cannot read: %v", err))
		}
		if int64(len(data)) > max {
			rest, _ := io.Copy(io.Discard, br)
			return yield(tooLarge(source, 0, int64(len(data))+rest, max, "file"))
		}
		doc, bad := parseDoc(source, 0, data, "file")
		if bad != nil {
			return yield(*bad)
		}
		doc.Line = 0
		return yield(Item{Doc: doc})
	case '[':
	default:
		return yield(errItem(source, 0, ErrMalformed, `malformed JSON (starts with %q): want an object {"id": ..., "text": ...} or an array of them`, first))
	}

	lc := &lineCounter{r: br, seen: lines}
	dec := json.NewDecoder(lc)
	if _, err := dec.Token(); err != nil {
		return yield(errItem(source, 1, ErrMalformed, "malformed JSON (%v): fix the file", err))
	}
	for dec.More() {
		if ctx.Err() != nil {
			return false
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			off := dec.InputOffset()
			var se *json.SyntaxError
			if errors.As(err, &se) && se.Offset > off {
				off = se.Offset
			}
			line := lc.lineAt(off)
			return yield(errItem(source, line, fmt.Errorf("%w: %w", ErrMalformed, err),
				"malformed JSON (%s): fix the file; the rest of it was not read", oneLine(err.Error())))
		}
		line := lc.lineAt(dec.InputOffset()) - bytes.Count(raw, []byte{'\n'})
		var it Item
		if int64(len(raw)) > max {
			it = tooLarge(source, line, int64(len(raw)), max, "element")
		} else if doc, bad := parseDoc(source, line, raw, "element"); bad != nil {
			it = *bad
		} else {
			it = Item{Doc: doc}
		}
		if !yield(it) {
			return false
		}
	}
	if _, err := dec.Token(); err != nil {
		return yield(errItem(source, lc.lineAt(dec.InputOffset()), ErrMalformed, "malformed JSON (%v): fix the end of the file", err))
	}
	return true
}

// firstNonSpace skips white space and returns the next byte (unread) and
// the number of newlines skipped.
func firstNonSpace(br *bufio.Reader) (byte, int, error) {
	lines := 0
	for {
		b, err := br.ReadByte()
		if err != nil {
			return 0, lines, err
		}
		switch b {
		case '\n':
			lines++
		case ' ', '\t', '\r':
		default:
			return b, lines, br.UnreadByte()
		}
	}
}

// lineCounter tracks newline offsets of what the JSON decoder has read, so
// an element's line can be found. Queries must not go backwards.
type lineCounter struct {
	r    io.Reader
	off  int64
	nl   []int64 // offsets of newlines at or after the last query
	seen int     // newlines before the last query
}

func (c *lineCounter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	for i, b := range p[:n] {
		if b == '\n' {
			c.nl = append(c.nl, c.off+int64(i))
		}
	}
	c.off += int64(n)
	return n, err
}

// lineAt returns the 1-based line of byte offset off.
func (c *lineCounter) lineAt(off int64) int {
	i := 0
	for i < len(c.nl) && c.nl[i] < off {
		i++
	}
	c.seen += i
	c.nl = append(c.nl[:0], c.nl[i:]...)
	return c.seen + 1
}
