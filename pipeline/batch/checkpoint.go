package batch

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tarjama/tarjama/pipeline"
)

// How the output stays exactly-once.
//
// JSON Lines output: each group of finished records is appended to OUT and
// fsynced, then one checkpoint line per record, {"id", "sha256" (of the
// document's content), "status" ("ok" or "failed"), "end" (OUT's size
// after that record)}, is appended to the checkpoint and fsynced. On
// reopen, a half-written last checkpoint line is cut off and OUT is
// truncated to the last "end": a record written but not checkpointed, or
// half-written, is dropped and its document processed again. Nothing is
// ever in OUT without its checkpoint line, so nothing is in it twice.
//
// A record that supersedes an older one for the same id (--retry-failed, or
// a document whose content changed) is appended; when the run ends, OUT is
// compacted to the last record per id. Compaction writes CK.new then
// OUT.new, fsyncs both, renames CK.new over CK, then OUT.new over OUT. On
// reopen, CK.new present means the compaction did not commit (both temp
// files are removed); OUT.new alone means CK was committed and OUT.new is
// complete (it is renamed into place).
//
// Directory output: each record is written to a temp file, fsynced and
// renamed to DIR/<id>.json, then the directory is fsynced and the
// checkpoint line appended. A crash in between leaves a file that is
// overwritten when the document is processed again.

// idKey is an ID's hash, to keep the per-document state small.
type idKey [16]byte

func keyOf(id string) idKey {
	s := sha256.Sum256([]byte(id))
	var k idKey
	copy(k[:], s[:16])
	return k
}

// contentHash identifies what a document's result depends on.
func contentHash(d pipeline.Document) string {
	h := sha256.New()
	for _, s := range []string{d.Title, d.Text, d.URL, d.Published, d.Lang} {
		fmt.Fprintf(h, "%d:%s", len(s), s)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// ckLine is one checkpoint line.
type ckLine struct {
	ID     string `json:"id"`
	SHA256 string `json:"sha256"`
	Status string `json:"status"` // ok, failed
	End    int64  `json:"end,omitempty"`
}

// docState is what the checkpoint says about one id.
type docState struct {
	content [8]byte // the first 8 bytes of the content hash
	failed  bool
	idx     int32 // index of its last checkpoint line; -1: none
	seen    bool  // seen in this run's input
}

func shortHash(hexSum string) [8]byte {
	var b [8]byte
	raw, _ := hex.DecodeString(hexSum)
	copy(b[:], raw)
	return b
}

// record is one finished document, encoded.
type record struct {
	id      string
	content string // contentHash
	failed  bool
	line    []byte // the Result as JSON, no newline
	// supersedes is set when the checkpoint already has a line for the id.
	supersedes bool
}

// sink is where records go.
type sink interface {
	// write stores recs durably, output first, checkpoint second.
	write(recs []record) error
	// close finishes: compacts superseded records, closes files.
	close() error
}

// checkpointPath names the checkpoint for an output.
func checkpointPath(out string, dir bool) string {
	if dir {
		return filepath.Join(out, ".tarjama-checkpoint.jsonl")
	}
	ext := filepath.Ext(out)
	return strings.TrimSuffix(out, ext) + ".checkpoint.jsonl"
}

// readCheckpoint loads a checkpoint. It returns the states, the number of
// lines, the last "end", the size of its valid prefix (a half-written last
// line is not part of it), and how many lines supersede an earlier one.
func readCheckpoint(path string, states map[idKey]docState) (lines int, lastEnd, valid int64, superseded int, err error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return 0, 0, 0, 0, nil
	}
	if err != nil {
		return 0, 0, 0, 0, err
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 64<<10)
	for {
		b, rerr := br.ReadBytes('\n')
		if len(b) > 0 && b[len(b)-1] == '\n' {
			var l ckLine
			if jerr := json.Unmarshal(b, &l); jerr != nil || l.ID == "" {
				// A bad line followed by more lines is not a torn write.
				if _, perr := br.Peek(1); perr == nil {
					return 0, 0, 0, 0, fmt.Errorf("checkpoint %s: line %d is corrupt: delete the output and its checkpoint to start over", path, lines+1)
				}
				return lines, lastEnd, valid, superseded, nil
			}
			k := keyOf(l.ID)
			st, known := states[k]
			if known && st.idx >= 0 {
				superseded++
			}
			st.content, st.failed, st.idx = shortHash(l.SHA256), l.Status == "failed", int32(lines)
			states[k] = st
			lines++
			if l.End > 0 {
				lastEnd = l.End
			}
			valid += int64(len(b))
		}
		if rerr == io.EOF {
			return lines, lastEnd, valid, superseded, nil
		}
		if rerr != nil {
			return 0, 0, 0, 0, rerr
		}
	}
}

// jsonlSink appends records to one JSON Lines file.
type jsonlSink struct {
	path, ckPath string
	out, ck      *os.File
	end          int64
	superseded   int
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// recoverCompaction finishes or undoes a compaction cut short.
func recoverCompaction(out, ck string) error {
	if exists(ck + ".new") {
		os.Remove(out + ".new")
		return os.Remove(ck + ".new")
	}
	if exists(out + ".new") {
		if err := os.Rename(out+".new", out); err != nil {
			return err
		}
		return syncDir(filepath.Dir(out))
	}
	return nil
}

// openJSONL opens (or creates) out and its checkpoint and repairs them.
func openJSONL(out string, states map[idKey]docState) (*jsonlSink, error) {
	s := &jsonlSink{path: out, ckPath: checkpointPath(out, false)}
	if err := recoverCompaction(s.path, s.ckPath); err != nil {
		return nil, fmt.Errorf("finishing an interrupted compaction of %s: %w", out, err)
	}
	_, lastEnd, valid, sup, err := readCheckpoint(s.ckPath, states)
	if err != nil {
		return nil, err
	}
	s.end, s.superseded = lastEnd, sup
	st, err := os.Stat(out)
	switch {
	case err == nil && !exists(s.ckPath) && st.Size() > 0:
		return nil, fmt.Errorf("%s exists but has no checkpoint (%s), so it was not written by tarjama batch: choose another --out or delete it", out, s.ckPath)
	case err == nil && st.Size() < lastEnd:
		return nil, fmt.Errorf("%s is shorter (%d bytes) than its checkpoint says (%d): it was changed by hand; delete it and %s to start over", out, st.Size(), lastEnd, s.ckPath)
	case err != nil && !errors.Is(err, os.ErrNotExist):
		return nil, err
	case err != nil && lastEnd > 0:
		return nil, fmt.Errorf("%s is missing but its checkpoint %s is not: delete the checkpoint to start over", out, s.ckPath)
	}
	if dir := filepath.Dir(out); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
	}
	// Cut what was written after the last checkpointed record.
	if s.out, err = os.OpenFile(out, os.O_RDWR|os.O_CREATE, 0o644); err != nil {
		return nil, err
	}
	if err := s.out.Truncate(lastEnd); err != nil {
		s.out.Close()
		return nil, fmt.Errorf("repairing %s: %w", out, err)
	}
	if _, err := s.out.Seek(lastEnd, io.SeekStart); err != nil {
		s.out.Close()
		return nil, err
	}
	if s.ck, err = os.OpenFile(s.ckPath, os.O_RDWR|os.O_CREATE, 0o644); err != nil {
		s.out.Close()
		return nil, err
	}
	if err := s.ck.Truncate(valid); err != nil {
		s.closeFiles()
		return nil, fmt.Errorf("repairing %s: %w", s.ckPath, err)
	}
	if _, err := s.ck.Seek(valid, io.SeekStart); err != nil {
		s.closeFiles()
		return nil, err
	}
	if s.superseded > 0 { // left by a run that did not finish
		if err := s.compact(); err != nil {
			s.closeFiles()
			return nil, err
		}
	}
	return s, nil
}

func (s *jsonlSink) closeFiles() {
	if s.out != nil {
		s.out.Close()
	}
	if s.ck != nil {
		s.ck.Close()
	}
}

func (s *jsonlSink) write(recs []record) error {
	var ob, cb bytes.Buffer
	ends := make([]int64, len(recs))
	end := s.end
	for i, r := range recs {
		ob.Write(r.line)
		ob.WriteByte('\n')
		end += int64(len(r.line)) + 1
		ends[i] = end
	}
	if _, err := s.out.Write(ob.Bytes()); err != nil {
		return fmt.Errorf("writing %s: %w", s.path, err)
	}
	if err := s.out.Sync(); err != nil {
		return fmt.Errorf("writing %s: %w", s.path, err)
	}
	for i, r := range recs {
		status := "ok"
		if r.failed {
			status = "failed"
		}
		b, _ := json.Marshal(ckLine{ID: r.id, SHA256: r.content, Status: status, End: ends[i]})
		cb.Write(b)
		cb.WriteByte('\n')
	}
	if _, err := s.ck.Write(cb.Bytes()); err != nil {
		return fmt.Errorf("writing %s: %w", s.ckPath, err)
	}
	if err := s.ck.Sync(); err != nil {
		return fmt.Errorf("writing %s: %w", s.ckPath, err)
	}
	s.end = end
	for _, r := range recs {
		if r.supersedes {
			s.superseded++
		}
	}
	return nil
}

func (s *jsonlSink) close() error {
	var err error
	if s.superseded > 0 {
		err = s.compact()
	}
	s.closeFiles()
	return err
}

// compact rewrites OUT and CK keeping the last record per id.
func (s *jsonlSink) compact() error {
	ckNew, outNew := s.ckPath+".new", s.path+".new"
	last := map[idKey]int32{}
	if err := forCheckpoint(s.ckPath, func(i int32, l ckLine) { last[keyOf(l.ID)] = i }); err != nil {
		return fmt.Errorf("compacting %s: %w", s.path, err)
	}
	if err := s.writeCompacted(ckNew, outNew, last); err != nil {
		os.Remove(ckNew)
		os.Remove(outNew)
		return fmt.Errorf("compacting %s: %w", s.path, err)
	}
	s.closeFiles()
	if err := os.Rename(ckNew, s.ckPath); err != nil {
		return err
	}
	if err := os.Rename(outNew, s.path); err != nil {
		return err
	}
	if err := syncDir(filepath.Dir(s.path)); err != nil {
		return err
	}
	// Reopen in the compacted state.
	n, err := openJSONL(s.path, map[idKey]docState{})
	if err != nil {
		return err
	}
	*s = *n
	return nil
}

// forCheckpoint calls f for each complete checkpoint line.
func forCheckpoint(path string, f func(i int32, l ckLine)) error {
	in, err := os.Open(path)
	if err != nil {
		return err
	}
	defer in.Close()
	br := bufio.NewReaderSize(in, 64<<10)
	for i := int32(0); ; i++ {
		b, err := br.ReadBytes('\n')
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		var l ckLine
		if err := json.Unmarshal(b, &l); err != nil {
			return err
		}
		f(i, l)
	}
}

func (s *jsonlSink) writeCompacted(ckNew, outNew string, last map[idKey]int32) error {
	in, err := os.Open(s.path)
	if err != nil {
		return err
	}
	defer in.Close()
	cin, err := os.Open(s.ckPath)
	if err != nil {
		return err
	}
	defer cin.Close()
	co, err := os.Create(ckNew)
	if err != nil {
		return err
	}
	defer co.Close()
	oo, err := os.Create(outNew)
	if err != nil {
		return err
	}
	defer oo.Close()
	bin, bck := bufio.NewReaderSize(in, 64<<10), bufio.NewReaderSize(cin, 64<<10)
	bco, boo := bufio.NewWriterSize(co, 64<<10), bufio.NewWriterSize(oo, 64<<10)
	var prevEnd, newEnd int64
	for i := int32(0); ; i++ {
		b, err := bck.ReadBytes('\n')
		if err == io.EOF && len(b) == 0 {
			break
		}
		if err != nil {
			return err
		}
		var l ckLine
		if err := json.Unmarshal(b, &l); err != nil {
			return err
		}
		line := make([]byte, l.End-prevEnd)
		if _, err := io.ReadFull(bin, line); err != nil {
			return fmt.Errorf("reading record %d: %w", i+1, err)
		}
		prevEnd = l.End
		if last[keyOf(l.ID)] != i {
			continue
		}
		boo.Write(line)
		newEnd += int64(len(line))
		l.End = newEnd
		nb, _ := json.Marshal(l)
		bco.Write(nb)
		bco.WriteByte('\n')
	}
	for _, f := range []struct {
		w *bufio.Writer
		f *os.File
	}{{bco, co}, {boo, oo}} {
		if err := f.w.Flush(); err != nil {
			return err
		}
		if err := f.f.Sync(); err != nil {
			return err
		}
	}
	return nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return err
	}
	return nil
}

// dirSink writes one JSON file per document.
type dirSink struct {
	dir, ckPath string
	ck          *os.File
}

func openDir(dir string, states map[idKey]docState) (*dirSink, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	s := &dirSink{dir: dir, ckPath: checkpointPath(dir, true)}
	_, _, valid, _, err := readCheckpoint(s.ckPath, states)
	if err != nil {
		return nil, err
	}
	if tmps, _ := filepath.Glob(filepath.Join(dir, ".tmp-*")); len(tmps) > 0 {
		for _, t := range tmps {
			os.Remove(t)
		}
	}
	if s.ck, err = os.OpenFile(s.ckPath, os.O_RDWR|os.O_CREATE, 0o644); err != nil {
		return nil, err
	}
	if err := s.ck.Truncate(valid); err != nil {
		s.ck.Close()
		return nil, err
	}
	if _, err := s.ck.Seek(valid, io.SeekStart); err != nil {
		s.ck.Close()
		return nil, err
	}
	return s, nil
}

// FileName is the file a document's record gets in directory output: its
// ID with anything but letters, digits, '-', '_' and '.' percent-escaped
// (so distinct IDs never share a file), plus ".json"; a very long ID is
// cut and suffixed with a hash.
func FileName(id string) string {
	var b strings.Builder
	for i, r := range id {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_' || (r == '.' && i > 0) {
			b.WriteRune(r)
			continue
		}
		var buf [utf8.UTFMax]byte
		n := utf8.EncodeRune(buf[:], r)
		for _, c := range buf[:n] {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	name := b.String()
	if len(name) > 180 {
		sum := sha256.Sum256([]byte(id))
		cut := 160
		for cut > 0 && !utf8.RuneStart(name[cut]) {
			cut--
		}
		name = name[:cut] + "~" + hex.EncodeToString(sum[:8])
	}
	return name + ".json"
}

func (s *dirSink) write(recs []record) error {
	var cb bytes.Buffer
	for _, r := range recs {
		if err := s.writeFile(r); err != nil {
			return err
		}
	}
	if err := syncDir(s.dir); err != nil {
		return err
	}
	for _, r := range recs {
		status := "ok"
		if r.failed {
			status = "failed"
		}
		b, _ := json.Marshal(ckLine{ID: r.id, SHA256: r.content, Status: status})
		cb.Write(b)
		cb.WriteByte('\n')
	}
	if _, err := s.ck.Write(cb.Bytes()); err != nil {
		return fmt.Errorf("writing %s: %w", s.ckPath, err)
	}
	return s.ck.Sync()
}

func (s *dirSink) writeFile(r record) error {
	f, err := os.CreateTemp(s.dir, ".tmp-*")
	if err != nil {
		return err
	}
	var ib bytes.Buffer
	if json.Indent(&ib, r.line, "", "  ") != nil {
		ib.Reset()
		ib.Write(r.line)
	}
	ib.WriteByte('\n')
	_, err = f.Write(ib.Bytes())
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), filepath.Join(s.dir, FileName(r.id)))
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("writing the record of %s: %w", r.id, err)
	}
	return nil
}

func (s *dirSink) close() error { return s.ck.Close() }

// streamSink writes JSON Lines to a stream (stdout), with no checkpoint.
type streamSink struct{ w io.Writer }

func (s streamSink) write(recs []record) error {
	var b bytes.Buffer
	for _, r := range recs {
		b.Write(r.line)
		b.WriteByte('\n')
	}
	_, err := s.w.Write(b.Bytes())
	return err
}

func (s streamSink) close() error { return nil }
