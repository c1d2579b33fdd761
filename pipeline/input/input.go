// Package input turns files into pipeline.Document values, streaming.
//
// Entry points: Read parses one stream (JSON Lines, a JSON object or array of
// objects, or plain text, chosen by the name's extension, or sniffed for
// stdin "-"); Walk reads files, directories (recursively), globs and stdin
// in a deterministic order. Both return an iter.Seq[Item]: a bad line, file
// or element becomes an Item whose Err says what is wrong and what to do,
// and reading goes on with the next one.
package input

import (
	"errors"
	"fmt"

	"github.com/tarjama/tarjama/pipeline"
)

// DefaultMaxBytes is the default limit per document and per plain-text file.
const DefaultMaxBytes = 8 << 20

// Options configure the readers. The zero value is usable.
type Options struct {
	// MaxBytes limits one document (a JSON Lines line, a JSON element, a
	// plain-text file); DefaultMaxBytes when zero or negative.
	MaxBytes int64
}

func (o Options) maxBytes() int64 {
	if o.MaxBytes <= 0 {
		return DefaultMaxBytes
	}
	return o.MaxBytes
}

// Item is one document or one error; exactly one of Doc and Err is set
// (Doc.ID is empty when Err is set). Err is an *Error.
type Item struct {
	Doc pipeline.Document
	Err error
}

// Error is a bad input: a file, a line, a JSON element. Its message is one
// line that names the file (and line) and says what to do.
type Error struct {
	Source string // file path, or "stdin"
	Line   int    // 1-based line, 0 when the whole file is concerned
	Msg    string
	Err    error // the underlying error, if any
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.Source, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.Source, e.Msg)
}

func (e *Error) Unwrap() error { return e.Err }

// Sentinel causes, reachable with errors.Is through an *Error.
var (
	ErrEmpty     = errors.New("empty document")
	ErrBinary    = errors.New("looks binary, not text")
	ErrEncoding  = errors.New("invalid UTF-8")
	ErrTooLarge  = errors.New("over the size limit")
	ErrMalformed = errors.New("malformed JSON")
	ErrMissing   = errors.New("missing field")
	ErrNotFound  = errors.New("no such file")
)

func errItem(source string, line int, cause error, format string, a ...any) Item {
	return Item{Err: &Error{Source: source, Line: line, Msg: fmt.Sprintf(format, a...), Err: cause}}
}

// formatSize renders a byte count for messages: "50 MB", "8 MiB", "812 bytes".
func formatSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0 && n < 1<<20:
		return fmt.Sprintf("%d KiB", n>>10)
	case n >= 1e6:
		return fmt.Sprintf("%.0f MB", float64(n)/1e6)
	case n >= 1e3:
		return fmt.Sprintf("%.0f kB", float64(n)/1e3)
	}
	return fmt.Sprintf("%d bytes", n)
}
