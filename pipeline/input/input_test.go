package input

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/tarjama/tarjama/pipeline"
)

var update = flag.Bool("update", false, "rewrite golden files")

// collect drains a sequence, checking the Item invariant on the way.
func collect(t testing.TB, seq func(func(Item) bool)) (docs []pipeline.Document, errs []*Error) {
	t.Helper()
	for it := range seq {
		if (it.Err == nil) == (it.Doc.ID == "") {
			t.Fatalf("item must have exactly one of Doc and Err: %+v", it)
		}
		if it.Err != nil {
			var e *Error
			if !errors.As(it.Err, &e) {
				t.Fatalf("Err is %T, want *input.Error", it.Err)
			}
			if strings.Contains(e.Error(), "\n") {
				t.Errorf("error message has several lines: %q", e.Error())
			}
			errs = append(errs, e)
			continue
		}
		if !utf8.ValidString(it.Doc.Text) || strings.Contains(it.Doc.Text, "\r") {
			t.Errorf("doc %s: text not valid UTF-8 or has CR", it.Doc.ID)
		}
		docs = append(docs, it.Doc)
	}
	return docs, errs
}

type goldenDoc struct {
	pipeline.Document
	Source string `json:"source"`
	Line   int    `json:"line,omitempty"`
}

func TestWalkGolden(t *testing.T) {
	root := filepath.Join("..", "..", "testdata", "input")
	docs, errs := collect(t, Walk(context.Background(), []string{filepath.Join(root, "good")}, nil, Options{}))
	if len(errs) > 0 {
		t.Fatalf("good inputs gave errors: %v", errs)
	}
	var got bytes.Buffer
	for _, d := range docs {
		src, _ := filepath.Rel(root, d.Source)
		b, err := json.Marshal(goldenDoc{d, filepath.ToSlash(src), d.Line})
		if err != nil {
			t.Fatal(err)
		}
		got.Write(b)
		got.WriteByte('\n')
	}
	golden := filepath.Join(root, "walk.golden.jsonl")
	if *update {
		if err := os.WriteFile(golden, got.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got.String()); diff != "" {
		t.Errorf("Walk(good) mismatch (-want +got):\n%s", diff)
	}
	// The two "article" files are told apart; all IDs are unique.
	ids := map[string]bool{}
	for _, d := range docs {
		if ids[d.ID] {
			t.Errorf("duplicate ID %q", d.ID)
		}
		ids[d.ID] = true
	}
	for _, id := range []string{"article", "sub/article", "42"} {
		if !ids[id] {
			t.Errorf("missing ID %q in %v", id, ids)
		}
	}
}

func write(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestBadInputs(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.txt")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(50_000_000); err != nil { // sparse: 50 MB without writing it
		t.Fatal(err)
	}
	f.Close()
	longLine := `{"id":"long","text":"` + strings.Repeat("ا", 600) + `"}`
	for _, tc := range []struct {
		name     string
		file     string
		data     []byte
		opt      Options
		wantIs   error
		wantMsg  string // substring of the error
		wantLine int
		wantIDs  []string // documents still read around the error
	}{
		{name: "empty", file: "empty.txt", data: nil, wantIs: ErrEmpty, wantMsg: "empty.txt: empty document"},
		{name: "whitespace only", file: "ws.txt", data: []byte("\ufeff \r\n\t\n"), wantIs: ErrEmpty, wantMsg: "empty document"},
		{name: "binary NUL", file: "img.txt", data: []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), wantIs: ErrBinary, wantMsg: "looks binary, not text"},
		{name: "binary control", file: "ctl.md", data: bytes.Repeat([]byte("\x01\x02\x03ab"), 20), wantIs: ErrBinary, wantMsg: "looks binary, not text"},
		{name: "windows-1256", file: "cp1256.txt", data: []byte("abc \xc7\xe1\xda\xd1\xc8\xed\xc9"), wantIs: ErrEncoding,
			wantMsg: "invalid UTF-8 at byte 4: re-encode the file as UTF-8 (e.g. iconv -f windows-1256 -t utf-8)"},
		{name: "50 MB file", file: "big.txt", wantIs: ErrTooLarge, wantMsg: "file is 50 MB, over the 8 MiB limit per document: split it or raise --max-bytes"},
		{name: "malformed line in the middle", file: "news.jsonl",
			data:   []byte(`{"id":"a","text":"one"}` + "\n" + `{"id":"b","text":` + "\n" + `{"id":"c","text":"three"}` + "\n"),
			wantIs: ErrMalformed, wantMsg: "news.jsonl:2: malformed JSON (", wantLine: 2, wantIDs: []string{"a", "c"}},
		{name: "missing id", file: "m.jsonl", data: []byte(`{"id":"a","text":"x"}` + "\n" + `{"text":"no id"}` + "\n"),
			wantIs: ErrMissing, wantMsg: `m.jsonl:2: missing "id"`, wantLine: 2, wantIDs: []string{"a"}},
		{name: "missing text", file: "m.ndjson", data: []byte(`{"id":"a"}` + "\n" + `{"id":"b","text":"x"}`),
			wantIs: ErrMissing, wantMsg: `m.ndjson:1: missing "text"`, wantLine: 1, wantIDs: []string{"b"}},
		{name: "blank text", file: "b.jsonl", data: []byte(`{"id":"a","text":"  "}`), wantIs: ErrEmpty, wantLine: 1, wantMsg: `"text" is blank`},
		{name: "not an object", file: "n.jsonl", data: []byte("[1,2]\n" + `{"id":"a","text":"x"}`), wantIs: ErrMalformed, wantLine: 1, wantIDs: []string{"a"}},
		{name: "invalid UTF-8 in a line", file: "u.jsonl", data: []byte(`{"id":"a","text":"` + "\xff" + `"}` + "\n" + `{"id":"b","text":"x"}`),
			wantIs: ErrEncoding, wantLine: 1, wantMsg: "invalid UTF-8 at byte 18 of the line", wantIDs: []string{"b"}},
		{name: "line over the limit", file: "l.jsonl", opt: Options{MaxBytes: 1000},
			data:   []byte(`{"id":"a","text":"x"}` + "\n" + longLine + "\n" + `{"id":"b","text":"y"}` + "\n"),
			wantIs: ErrTooLarge, wantLine: 2, wantMsg: "line is 1", wantIDs: []string{"a", "b"}},
		{name: "bad array element", file: "arr.json",
			data:   []byte("[\n {\"id\":\"a\",\"text\":\"x\"},\n {\"id\":\"b\"},\n {\"id\":\"c\",\"text\":\"z\"}\n]\n"),
			wantIs: ErrMissing, wantLine: 3, wantMsg: "arr.json:3: missing \"text\"", wantIDs: []string{"a", "c"}},
		{name: "array syntax error", file: "syn.json",
			data:   []byte("[\n {\"id\":\"a\",\"text\":\"x\"},\n {\"id\": oops}\n]"),
			wantIs: ErrMalformed, wantMsg: "the rest of it was not read", wantLine: 3, wantIDs: []string{"a"}},
		{name: "json scalar", file: "s.json", data: []byte(`"hello"`), wantIs: ErrMalformed, wantMsg: "want an object"},
		{name: "directory with nothing usable", file: "emptydir/", wantIs: ErrEmpty, wantMsg: "nothing to read"},
		{name: "nonexistent", file: "nope.txt", wantIs: ErrNotFound, wantMsg: "nope.txt: cannot read"},
		{name: "glob without match", file: "*.nomatch", wantIs: ErrNotFound, wantMsg: "no file matches"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, tc.file)
			switch {
			case strings.HasSuffix(tc.file, "/"):
				os.MkdirAll(filepath.Join(path, "x"), 0o755)
				write(t, path, "x/ignored.pdf", []byte("x"))
			case tc.data != nil || tc.name == "empty":
				write(t, dir, tc.file, tc.data)
			}
			docs, errs := collect(t, Walk(context.Background(), []string{path}, nil, tc.opt))
			if len(errs) != 1 {
				t.Fatalf("got %d errors %v, want 1", len(errs), errs)
			}
			e := errs[0]
			if !errors.Is(e, tc.wantIs) {
				t.Errorf("error %q is not %v", e, tc.wantIs)
			}
			if !strings.Contains(e.Error(), tc.wantMsg) {
				t.Errorf("error %q does not contain %q", e, tc.wantMsg)
			}
			if e.Line != tc.wantLine {
				t.Errorf("line = %d, want %d", e.Line, tc.wantLine)
			}
			var ids []string
			for _, d := range docs {
				ids = append(ids, d.ID)
			}
			if diff := cmp.Diff(tc.wantIDs, ids); diff != "" {
				t.Errorf("documents read around the error (-want +got):\n%s", diff)
			}
		})
	}
}

// A bad file in a directory does not stop the walk.
func TestWalkGoesOn(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "a.txt", []byte("first"))
	write(t, dir, "b.txt", nil)
	write(t, dir, "c/d.jsonl", []byte(`{"id":"d1","text":"x"}`+"\n"+`oops`+"\n"+`{"id":"d2","text":"y"}`))
	write(t, dir, "e.txt", []byte("last"))
	write(t, dir, ".hidden.txt", []byte("hidden"))
	write(t, dir, "f.pdf", []byte("not walked"))
	docs, errs := collect(t, Walk(context.Background(), []string{dir, filepath.Join(dir, "missing")}, nil, Options{}))
	var ids []string
	for _, d := range docs {
		ids = append(ids, d.ID)
	}
	if diff := cmp.Diff([]string{"a", "d1", "d2", "e"}, ids); diff != "" {
		t.Errorf("ids (-want +got):\n%s", diff)
	}
	if len(errs) != 3 {
		t.Errorf("got errors %v, want 3 (empty b.txt, bad line, missing path)", errs)
	}
}

func TestUnreadableFile(t *testing.T) {
	dir := t.TempDir()
	// A dangling symlink cannot be opened, even by root.
	if err := os.Symlink(filepath.Join(dir, "gone"), filepath.Join(dir, "broken.txt")); err != nil {
		t.Fatal(err)
	}
	if os.Getuid() != 0 { // root reads files whatever their mode
		p := write(t, dir, "secret.txt", []byte("x"))
		os.Chmod(p, 0)
	}
	write(t, dir, "ok.txt", []byte("y"))
	docs, errs := collect(t, Walk(context.Background(), []string{dir}, nil, Options{}))
	if len(docs) != 1 || docs[0].ID != "ok" {
		t.Errorf("docs %v", docs)
	}
	want := 1
	if os.Getuid() != 0 {
		want = 2
	}
	if len(errs) != want {
		t.Fatalf("errors %v, want %d", errs, want)
	}
	for _, e := range errs {
		if !strings.Contains(e.Error(), "cannot read") {
			t.Errorf("error %q", e)
		}
	}
}

func TestStdinSniff(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     []string
	}{
		{"jsonl", "\ufeff{\"id\":\"a\",\"text\":\"x\"}\n{\"id\":\"b\",\"text\":\"y\"}\n", []string{"a", "b"}},
		{"array", "  [{\"id\":\"a\",\"text\":\"x\"}]", []string{"a"}},
		{"pretty object", "{\n \"id\": \"a\",\n \"text\": \"x\"\n}\n", []string{"a"}},
		{"text", "خبر عاجل\r\n", []string{"stdin"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			docs, errs := collect(t, Walk(context.Background(), []string{"-"}, strings.NewReader(tc.in), Options{}))
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			var ids []string
			for _, d := range docs {
				ids = append(ids, d.ID)
				if d.Source != "stdin" {
					t.Errorf("source %q", d.Source)
				}
			}
			if diff := cmp.Diff(tc.want, ids); diff != "" {
				t.Error(diff)
			}
		})
	}
}

func TestIDCollisions(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "x/a.txt", []byte("1"))
	write(t, dir, "y/a.txt", []byte("2"))
	write(t, dir, "y/a.md", []byte("3"))
	write(t, dir, "b.txt", []byte("4"))
	docs, _ := collect(t, Walk(context.Background(), []string{dir}, nil, Options{}))
	var ids []string
	for _, d := range docs {
		ids = append(ids, d.ID)
	}
	if diff := cmp.Diff([]string{"b", "x/a", "y/a.md", "y/a.txt"}, ids); diff != "" {
		t.Error(diff)
	}
}

func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var in strings.Builder
	for range 100 {
		in.WriteString(`{"id":"a","text":"x"}` + "\n")
	}
	n := 0
	for range Read(ctx, "x.jsonl", strings.NewReader(in.String()), Options{}) {
		n++
		if n == 3 {
			cancel()
		}
	}
	if n != 3 {
		t.Errorf("read %d items after cancel at 3", n)
	}
}

func FuzzRead(f *testing.F) {
	f.Add("x.jsonl", []byte(`{"id":"a","text":"x"}`+"\n"+`{"id":1,"text":"\r\n"}`))
	f.Add("x.json", []byte(`[{"id":"a","text":"x"},{"id":"b"}]`))
	f.Add("x.json", []byte(`{"id":"a","text":"\ud800"}`))
	f.Add("x.txt", []byte("\ufeffنص\r\n"))
	f.Add("-", []byte("{\"id\":\"a\",\"text\":\"x\"}\n"))
	f.Add("-", []byte("[\n"))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		switch name {
		case "x.jsonl", "x.json", "x.txt", "-":
		default:
			name = "x.jsonl"
		}
		for it := range Read(context.Background(), name, bytes.NewReader(data), Options{MaxBytes: 256}) {
			if (it.Err == nil) == (it.Doc.ID == "") {
				t.Fatalf("item must have exactly one of Doc and Err: %+v", it)
			}
			if it.Err == nil && (!utf8.ValidString(it.Doc.Text) || strings.TrimSpace(it.Doc.Text) == "") {
				t.Fatalf("bad text %q", it.Doc.Text)
			}
		}
	})
}

// Lines longer than bufio's buffer are read whole when under the limit and
// skipped, without being kept, when over it.
func TestLongLines(t *testing.T) {
	long := func(id string, n int) string {
		return `{"id":"` + id + `","text":"` + strings.Repeat("ب", n/2) + `"}` + "\n"
	}
	in := long("a", 300_000) + long("big", 2_000_000) + long("c", 10)
	docs, errs := collect(t, Read(context.Background(), "x.jsonl", strings.NewReader(in), Options{MaxBytes: 1_000_000}))
	if len(docs) != 2 || docs[0].ID != "a" || len(docs[0].Text) != 300_000 || docs[1].ID != "c" || docs[1].Line != 3 {
		t.Errorf("docs: %d", len(docs))
	}
	if len(errs) != 1 || errs[0].Line != 2 || !errors.Is(errs[0], ErrTooLarge) || !strings.Contains(errs[0].Error(), "line is 2 MB, over the 1 MB limit") {
		t.Errorf("errs: %v", errs)
	}
}
