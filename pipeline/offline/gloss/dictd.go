package gloss

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// ErrNoDictionary means no Arabic-English dictionary was found. Its message
// is one line that tells the user how to get one.
var ErrNoDictionary = errors.New("no Arabic-English dictionary found: install one with `apt-get install dict-freedict-ara-eng` or pass --dict PATH")

// ErrCorrupt is matched (errors.Is) by every *CorruptError.
var ErrCorrupt = errors.New("corrupt dictionary")

// CorruptError reports a dictionary file that cannot be read as dictd data.
type CorruptError struct {
	File string // the file at fault
	Line int    // 1-based line of the .index, 0 when not about a line
	Msg  string
	Err  error // underlying cause, if any
}

func (e *CorruptError) Error() string {
	var b strings.Builder
	b.WriteString("corrupt dictionary ")
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, " line %d", e.Line)
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(oneLine(e.Err.Error()))
	}
	return b.String()
}

func (e *CorruptError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrCorrupt) true.
func (e *CorruptError) Is(target error) bool { return target == ErrCorrupt }

// DefaultName is the base name of the Debian package's files.
const DefaultName = "freedict-ara-eng"

// searchDirs are where dictd dictionaries are installed: Debian and Ubuntu
// use /usr/share/dictd; other distributions and local builds use the rest.
var searchDirs = []string{
	"/usr/share/dictd",
	"/usr/local/share/dictd",
	"/usr/share/dict/freedict",
	"/usr/share/freedict",
	"/usr/local/share/freedict",
	"/opt/homebrew/share/dictd",
}

// Find looks for freedict-ara-eng in the standard install locations and
// returns the path of its .index file.
func Find() (path string, ok bool) {
	for _, dir := range searchDirs {
		if p, err := resolve(dir); err == nil {
			return p.index, true
		}
	}
	return "", false
}

// files are the two halves of a dictd dictionary.
type files struct{ index, data string }

// resolve turns a user-given path (the .index, the .dict or .dict.dz, or a
// directory holding them) into the pair of files.
func resolve(path string) (files, error) {
	st, err := os.Stat(path)
	if err != nil {
		return files{}, fmt.Errorf("%w (%s: %v)", ErrNoDictionary, path, notFoundReason(err))
	}
	var base string
	if st.IsDir() {
		base = filepath.Join(path, DefaultName)
		if !exists(base + ".index") {
			// Any single *.index in the directory will do.
			m, _ := filepath.Glob(filepath.Join(path, "*.index"))
			if len(m) != 1 {
				return files{}, fmt.Errorf("%w (no %s.index in %s)", ErrNoDictionary, DefaultName, path)
			}
			base = strings.TrimSuffix(m[0], ".index")
		}
	} else {
		switch {
		case strings.HasSuffix(path, ".index"):
			base = strings.TrimSuffix(path, ".index")
		case strings.HasSuffix(path, ".dict.dz"):
			base = strings.TrimSuffix(path, ".dict.dz")
		case strings.HasSuffix(path, ".dict"):
			base = strings.TrimSuffix(path, ".dict")
		default:
			return files{}, fmt.Errorf("%w (%s is not a dictd .index, .dict or .dict.dz file)", ErrNoDictionary, path)
		}
	}
	f := files{index: base + ".index"}
	if !exists(f.index) {
		return files{}, fmt.Errorf("%w (%s is missing)", ErrNoDictionary, f.index)
	}
	for _, ext := range []string{".dict.dz", ".dict"} {
		if exists(base + ext) {
			f.data = base + ext
			return f, nil
		}
	}
	return files{}, fmt.Errorf("%w (%s.dict.dz is missing)", ErrNoDictionary, base)
}

func notFoundReason(err error) string {
	if errors.Is(err, fs.ErrNotExist) {
		return "no such file or directory"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

func exists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

// maxDictBytes bounds the decompressed dictionary (the FreeDict one is 3 MB)
// so a hostile .dz cannot exhaust memory.
const maxDictBytes = 256 << 20

// readData returns the whole dictionary text. A .dict.dz is dictzip, which
// is gzip with a random-access table in the header's extra field;
// compress/gzip skips that field, and reading the whole 3 MB at once is
// faster than seeking chunk by chunk for a dictionary we index fully.
func readData(ctx context.Context, path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("dictionary: %w", err)
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".dz") {
		zr, err := gzip.NewReader(bufio.NewReader(f))
		if err != nil {
			return nil, &CorruptError{File: path, Msg: "not gzip/dictzip data", Err: err}
		}
		defer zr.Close()
		r = zr
	}
	var buf bytes.Buffer
	if st, err := f.Stat(); err == nil && st.Size() < maxDictBytes/8 {
		buf.Grow(int(st.Size()) * 4) // dictzip text compresses about 3:1
	}
	chunk := make([]byte, 256<<10)
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		n, err := r.Read(chunk)
		buf.Write(chunk[:n])
		if buf.Len() > maxDictBytes {
			return nil, &CorruptError{File: path, Msg: fmt.Sprintf("larger than %d MB decompressed", maxDictBytes>>20)}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, &CorruptError{File: path, Msg: "cannot decompress", Err: err}
		}
	}
	return buf.Bytes(), nil
}

// indexEntry is one parsed .index line.
type indexEntry struct {
	headword    string
	off, length int
	line        int
}

// parseIndex parses dictd .index text: one "headword<TAB>offset<TAB>length"
// line per entry, offset and length in dictd's base64 (the standard
// alphabet read as a big-endian base-64 number, no padding). A fourth field
// (dictfmt --index-keep-orig) is accepted and ignored. dataLen bounds the
// offsets; a negative dataLen skips that check.
func parseIndex(name string, b []byte, dataLen int) ([]indexEntry, error) {
	var out []indexEntry
	line := 0
	for len(b) > 0 {
		line++
		var l []byte
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			l, b = b[:i], b[i+1:]
		} else {
			l, b = b, nil
		}
		l = bytes.TrimSuffix(l, []byte{'\r'})
		if len(bytes.TrimSpace(l)) == 0 {
			continue
		}
		bad := func(format string, args ...any) error {
			return &CorruptError{File: name, Line: line, Msg: fmt.Sprintf(format, args...)}
		}
		if !utf8.Valid(l) {
			return nil, bad("not valid UTF-8")
		}
		hw, rest, ok1 := strings.Cut(string(l), "\t")
		offS, rest, ok2 := strings.Cut(rest, "\t")
		lenS, extra, ok3 := strings.Cut(rest, "\t")
		if !ok1 || !ok2 || (ok3 && strings.Contains(extra, "\t")) {
			return nil, bad("want headword<TAB>offset<TAB>length, got %d fields", strings.Count(string(l), "\t")+1)
		}
		off, ok := decodeB64(offS)
		if !ok {
			return nil, bad("bad base64 offset %q", clip(offS))
		}
		n, ok := decodeB64(lenS)
		if !ok {
			return nil, bad("bad base64 length %q", clip(lenS))
		}
		if dataLen >= 0 && (off > dataLen || n > dataLen-off) {
			return nil, bad("entry %d+%d is beyond the end of the data (%d bytes)", off, n, dataLen)
		}
		out = append(out, indexEntry{headword: hw, off: off, length: n, line: line})
	}
	return out, nil
}

// decodeB64 decodes a dictd base64 number. It refuses empty strings and
// values that would overflow 40 bits (dictd's own limit is far below).
func decodeB64(s string) (int, bool) {
	if s == "" || len(s) > 6 {
		return 0, false
	}
	v := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		var d int
		switch {
		case c >= 'A' && c <= 'Z':
			d = int(c - 'A')
		case c >= 'a' && c <= 'z':
			d = int(c-'a') + 26
		case c >= '0' && c <= '9':
			d = int(c-'0') + 52
		case c == '+':
			d = 62
		case c == '/':
			d = 63
		default:
			return 0, false
		}
		v = v<<6 | d
	}
	return v, true
}

// encodeB64 is the inverse of decodeB64, for tests and fixture writers.
func encodeB64(v int) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	if v == 0 {
		return "A"
	}
	var buf [8]byte
	i := len(buf)
	for v > 0 {
		i--
		buf[i] = alphabet[v&63]
		v >>= 6
	}
	return string(buf[i:])
}

func clip(s string) string {
	if len(s) > 20 {
		return s[:20] + "…"
	}
	return s
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
