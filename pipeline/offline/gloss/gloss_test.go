package gloss

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/tarjama/tarjama/pipeline"
)

func TestLookupNormalization(t *testing.T) {
	d, _ := openFixture(t)
	tests := []struct {
		name, word, gloss string
	}{
		{"plain", "كتاب", "book"}, // the usual sense wins over the alphabetically first "Casebook"
		{"diacritics", "كِتَابٌ", "book"},
		{"tatweel", "كـتـاب", "book"},
		{"hamza dropped", "اخبار", "news"},
		{"alef maqsura as ya", "مستشفي", "hospital"},
		{"lam-alef ligature in the index", "لاعب", "player"},
		{"name keeps its capital", "إيران", "Iran"},
		{"name with article takes no the", "العراق", "Iraq"},
		{"headword with article", "الحكومة", "the government"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := d.GlossText(tc.word)
			if len(r.Tokens) != 1 {
				t.Fatalf("tokens = %+v, want one", r.Tokens)
			}
			if got := r.Tokens[0]; got.Gloss != tc.gloss || got.Kind != KindDict {
				t.Errorf("GlossText(%q) = %q (%s), want %q (dict)", tc.word, got.Gloss, got.Kind, tc.gloss)
			}
		})
	}
}

func TestSegmentation(t *testing.T) {
	d, _ := openFixture(t)
	tests := []struct {
		word, gloss, lemma string
	}{
		{"وبالكتاب", "and in/with the book", "و+ب+ال+كتاب"},
		{"كتابهم", "their book", "كتاب+هم"},
		{"وكتابه", "and his book", "و+كتاب+ه"},
		{"للحكومة", "for/to the government", "ل+ال+حكومة"},
		{"والحكومة", "and the government", "و+ال+حكومة"},
		{"مدرستها", "her school", "مدرسة+ها"},
		{"معلمون", "teachers", "معلم+ون"},
		{"المعلمين", "the teachers", "ال+معلم+ين"},
		{"مدرستان", "two schools", "مدرسة+تان"},
		{"سياسات", "policies", "سياسة+ات"},
		{"الإيراني", "the Iranian", "ال+إيران+ي"},
		{"سيقرأ", "will reads", "س+يقرأ"},
		{"منهم", "from them", "من+هم"},
		{"مستشفاه", "his hospital", "مستشفى+ه"},
		{"بإيران", "in/with Iran", "ب+إيران"},
		{"جديدة", "new", "جديد+ة"},
	}
	for _, tc := range tests {
		t.Run(tc.word, func(t *testing.T) {
			r := d.GlossText(tc.word)
			if len(r.Tokens) != 1 {
				t.Fatalf("tokens = %+v, want one", r.Tokens)
			}
			got := r.Tokens[0]
			if got.Gloss != tc.gloss || got.Lemma != tc.lemma || got.Kind != KindDict {
				t.Errorf("GlossText(%q) = %q %q (%s), want %q %q (dict)", tc.word, got.Gloss, got.Lemma, got.Kind, tc.gloss, tc.lemma)
			}
			// The same word without segmentation is not found.
			if r := d.Gloss(tc.word, Options{NoSegment: true}); r.Found != 0 && tc.word != "منهم" {
				t.Errorf("NoSegment found %q: %+v", tc.word, r.Tokens)
			}
		})
	}
}

func TestPhrases(t *testing.T) {
	d, _ := openFixture(t)
	r := d.GlossText("وحقوق الإنسان في العراق")
	want := []Token{
		{Source: "وحقوق الإنسان", Gloss: "and human rights", Kind: KindDict, Lemma: "و+حقوق_الانسان"},
		{Source: "في", Gloss: "in", Kind: KindDict, Lemma: "في", Core: true},
		{Source: "العراق", Gloss: "Iraq", Kind: KindDict, Lemma: "ال+عراق"},
	}
	if diff := cmp.Diff(want, r.Tokens); diff != "" {
		t.Errorf("tokens (-want +got):\n%s", diff)
	}
	if r.Words != 4 || r.Found != 4 || r.Coverage != 1 {
		t.Errorf("Words, Found, Coverage = %d, %d, %v; want 4, 4, 1", r.Words, r.Found, r.Coverage)
	}
	if r := d.Gloss("حقوق الإنسان", Options{NoPhrases: true}); len(r.Tokens) != 2 {
		t.Errorf("NoPhrases: tokens = %+v, want two words", r.Tokens)
	}
}

func TestRomanize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"قآني", "Qaani"},
		{"الكاظمي", "al-Kazmi"},
		{"ترامب", "Tramb"},
		{"علي", "Ali"},
		{"محمود", "Mhmud"},
		{"بغداد", "Bghdad"},
		{"أبو", "Abu"},
		{"وليد", "Wlid"},
		{"إسرائيل", "Isra'il"},
		{"شُكْرِي", "Shkri"},
		{"", ""},
	}
	for _, tc := range tests {
		if got := Romanize(tc.in); got != tc.want {
			t.Errorf("Romanize(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestUnknownWords(t *testing.T) {
	d, _ := openFixture(t)
	r := d.GlossText("قال قآني والكاظمي: ٢٠٢٤، 3.5% و Trump")
	want := []Token{
		{Source: "قال", Gloss: "said", Kind: KindDict, Lemma: "قال", Core: true},
		{Source: "قآني", Gloss: "Qaani", Kind: KindRomanized},
		{Source: "والكاظمي", Gloss: "and al-Kazmi", Kind: KindRomanized},
		{Source: ":", Gloss: ":", Kind: KindPunct},
		{Source: "٢٠٢٤", Gloss: "2024", Kind: KindNumber},
		{Source: "،", Gloss: ",", Kind: KindPunct},
		{Source: "3.5", Gloss: "3.5", Kind: KindNumber},
		{Source: "%", Gloss: "%", Kind: KindPunct},
		{Source: "و", Gloss: "W", Kind: KindRomanized},
		{Source: "Trump", Gloss: "Trump", Kind: KindLatin},
	}
	if diff := cmp.Diff(want, r.Tokens); diff != "" {
		t.Errorf("tokens (-want +got):\n%s", diff)
	}
	if want := "said Qaani and al-Kazmi: 2024, 3.5% W Trump"; r.Text != want {
		t.Errorf("Text = %q, want %q", r.Text, want)
	}
	if r.Words != 4 || r.Found != 1 {
		t.Errorf("Words, Found = %d, %d; want 4, 1", r.Words, r.Found)
	}
}

func TestJoinPunctuation(t *testing.T) {
	d, _ := openFixture(t)
	got := d.GlossText(`«كتاب» (جديد)؟ "إيران".`).Text
	if want := `"book" (new)? "Iran".`; got != want {
		t.Errorf("Text = %q, want %q", got, want)
	}
}

func TestOpenPaths(t *testing.T) {
	_, dir := openFixture(t)
	for _, p := range []string{
		dir,
		filepath.Join(dir, "freedict-ara-eng.index"),
		filepath.Join(dir, "freedict-ara-eng.dict.dz"),
	} {
		d, err := Open(context.Background(), p)
		if err != nil {
			t.Fatalf("Open(%s): %v", p, err)
		}
		if d.Name != "freedict-ara-eng" || d.Headwords != len(fixtureEntries)-2 {
			t.Errorf("Open(%s): Name %q, Headwords %d", p, d.Name, d.Headwords)
		}
	}
	// An uncompressed .dict works too.
	plain := t.TempDir()
	index, _ := fixtureFiles(t)
	var data bytes.Buffer
	for _, e := range fixtureEntries {
		data.WriteString(e.body)
	}
	writeFile(t, filepath.Join(plain, "x.index"), index)
	writeFile(t, filepath.Join(plain, "x.dict"), data.Bytes())
	d, err := Open(context.Background(), filepath.Join(plain, "x.dict"))
	if err != nil {
		t.Fatal(err)
	}
	if g := d.GlossText("كتاب").Text; g != "book" {
		t.Errorf("plain .dict: كتاب = %q", g)
	}
}

func TestOpenMissing(t *testing.T) {
	empty := t.TempDir()
	onlyIndex := t.TempDir()
	index, _ := fixtureFiles(t)
	writeFile(t, filepath.Join(onlyIndex, "freedict-ara-eng.index"), index)
	for name, p := range map[string]string{
		"empty dir":     empty,
		"no such file":  filepath.Join(empty, "freedict-ara-eng.index"),
		"index no data": onlyIndex,
		"not dictd":     filepath.Join(onlyIndex, "freedict-ara-eng.index") + ".txt",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Open(context.Background(), p)
			if !errors.Is(err, ErrNoDictionary) {
				t.Fatalf("Open(%s) = %v, want ErrNoDictionary", p, err)
			}
			oneLineErr(t, err)
			if !strings.Contains(err.Error(), "apt-get install dict-freedict-ara-eng") || !strings.Contains(err.Error(), "--dict PATH") {
				t.Errorf("error does not say how to install: %v", err)
			}
		})
	}
}

func TestOpenCorrupt(t *testing.T) {
	index, dz := fixtureFiles(t)
	lines := strings.SplitAfter(string(index), "\n")
	tests := []struct {
		name     string
		index    string
		dz       []byte
		wantFile string
		want     string
	}{
		{
			name:     "bad base64",
			index:    lines[0] + lines[1] + "كتاب\tB@\tz\n",
			dz:       dz,
			wantFile: "freedict-ara-eng.index line 3",
			want:     `bad base64 offset "B@"`,
		},
		{
			name:     "offset beyond data",
			index:    lines[0] + "كتاب\t////\tz\n",
			dz:       dz,
			wantFile: "freedict-ara-eng.index line 2",
			want:     "beyond the end of the data",
		},
		{
			name:     "length beyond data",
			index:    "كتاب\tA\t////\n",
			dz:       dz,
			wantFile: "freedict-ara-eng.index line 1",
			want:     "beyond the end of the data",
		},
		{
			name:     "two fields",
			index:    string(index) + "كتاب\tA\n",
			dz:       dz,
			wantFile: "freedict-ara-eng.index line 18",
			want:     "got 2 fields",
		},
		{
			name:     "not gzip",
			index:    string(index),
			dz:       []byte("this is not gzip data at all"),
			wantFile: "freedict-ara-eng.dict.dz",
			want:     "not gzip/dictzip data",
		},
		{
			name:     "truncated gzip",
			index:    string(index),
			dz:       dz[:len(dz)/2],
			wantFile: "freedict-ara-eng.dict.dz",
			want:     "cannot decompress",
		},
		{
			name:     "no Arabic headwords",
			index:    lines[0],
			dz:       dz,
			wantFile: "freedict-ara-eng.index",
			want:     "no Arabic headwords",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, filepath.Join(dir, "freedict-ara-eng.index"), []byte(tc.index))
			writeFile(t, filepath.Join(dir, "freedict-ara-eng.dict.dz"), tc.dz)
			d, err := Open(context.Background(), dir)
			if err == nil {
				t.Fatalf("Open = %v, want an error", d)
			}
			if !errors.Is(err, ErrCorrupt) {
				t.Errorf("error %v is not ErrCorrupt", err)
			}
			var ce *CorruptError
			if !errors.As(err, &ce) {
				t.Fatalf("error %T is not *CorruptError", err)
			}
			oneLineErr(t, err)
			if !strings.Contains(err.Error(), tc.wantFile) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %q, want it to name %q and say %q", err, tc.wantFile, tc.want)
			}
		})
	}
}

func TestOpenCancelled(t *testing.T) {
	_, dir := openFixture(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Open(ctx, dir); !errors.Is(err, context.Canceled) {
		t.Errorf("Open with a cancelled context = %v, want context.Canceled", err)
	}
}

func TestTranslator(t *testing.T) {
	d, _ := openFixture(t)
	tr := &Translator{Dict: d}
	req := pipeline.TranslateRequest{
		DocID:      "doc1",
		SourceLang: "ar",
		TargetLang: "en",
		Title:      "قآني في العراق",
		Paragraphs: []string{"وقال قآني إن الحكومة", "", "كتاب جديد لإسماعيل قآني."},
		Glossary: pipeline.Glossary{
			{Source: "قآني", Target: "Qaani"},
			{Source: "إسماعيل قآني", Target: "Esmail Qaani"},
		},
	}
	got, traces, err := tr.Translate(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	want := &pipeline.Translation{
		Lang:       "en",
		Kind:       "gloss",
		Title:      "Qaani in Iraq",
		Paragraphs: []string{"and said Qaani that the government", "", "book new for/to Esmail Qaani."},
		Coverage:   1,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Translation (-want +got):\n%s", diff)
	}
	if len(traces) != 1 || traces[0].Step != "translate" || traces[0].Engine != "offline" || traces[0].Method != "gloss:freedict-ara-eng" {
		t.Errorf("traces = %+v", traces)
	}

	// Without the glossary the name is romanized and coverage drops.
	req.Glossary = nil
	got, _, err = tr.Translate(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Paragraphs) != 3 || got.Title != "Qaani in Iraq" || got.Coverage >= 1 {
		t.Errorf("no glossary: %+v", got)
	}

	if _, _, err := (&Translator{}).Translate(context.Background(), req); !errors.Is(err, ErrNoDictionary) {
		t.Errorf("Translator without a Dict: %v, want ErrNoDictionary", err)
	}
}

func TestGolden(t *testing.T) {
	d, _ := openFixture(t)
	in, err := os.ReadFile("../../../testdata/gloss/sample.txt")
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	for _, line := range strings.Split(strings.TrimSpace(string(in)), "\n") {
		r := d.GlossText(line)
		out.WriteString(r.Text + "\n")
		for _, tk := range r.Tokens {
			out.WriteString("\t" + tk.Source + "\t" + tk.Kind + "\t" + tk.Lemma + "\t" + tk.Gloss + "\n")
		}
	}
	golden := "../../../testdata/gloss/sample.golden"
	if *update {
		writeFile(t, golden, []byte(out.String()))
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if diff := cmp.Diff(string(want), out.String()); diff != "" {
		t.Errorf("gloss of sample.txt changed (-want +got); run go test -update if intended:\n%s", diff)
	}
}

// TestInstalledDictionary runs against the real FreeDict dictionary when
// Find locates it (Debian: apt-get install dict-freedict-ara-eng), and is
// skipped when it is absent.
func TestInstalledDictionary(t *testing.T) {
	path, ok := Find()
	if !ok {
		t.Skip("dict-freedict-ara-eng is not installed")
	}
	d, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if d.Headwords < 40000 {
		t.Errorf("Headwords = %d, want the ~50,000 of FreeDict ara-eng", d.Headwords)
	}
	for word, want := range map[string]string{
		"الحكومة":  "the government",
		"إيران":    "Iran",
		"وبالكتاب": "and in/with the book",
		"مع":       "with",
	} {
		if got := d.GlossText(word).Text; got != want {
			t.Errorf("%s = %q, want %q", word, got, want)
		}
	}
	r := d.GlossText("وقال الرئيس إن الحكومة ستعمل مع الولايات المتحدة في العراق.")
	if r.Coverage < 0.7 {
		t.Errorf("coverage = %.2f on a plain news sentence: %q", r.Coverage, r.Text)
	}
}

func FuzzParseIndex(f *testing.F) {
	index, _ := fixtureFiles(f)
	f.Add(index, 500)
	f.Add([]byte("a\tA\tB\n"), 10)
	f.Add([]byte("a\t//////\t/\n\n\r\n"), 1<<20)
	f.Add([]byte("x\ty\tz\tw\n"), -1)
	f.Fuzz(func(t *testing.T, b []byte, dataLen int) {
		es, err := parseIndex("fuzz.index", b, dataLen)
		if err != nil {
			var ce *CorruptError
			if !errors.As(err, &ce) || ce.Line < 1 {
				t.Fatalf("error %v is not a CorruptError with a line", err)
			}
			return
		}
		for _, e := range es {
			if e.off < 0 || e.length < 0 || (dataLen >= 0 && e.off+e.length > dataLen) {
				t.Fatalf("entry %+v escapes data of %d bytes", e, dataLen)
			}
		}
	})
}

func FuzzGloss(f *testing.F) {
	d, _ := openFixture(f)
	for _, s := range []string{"وبالكتاب كتابهم", "قآني، ٢٠٢٤", "ﻻ ـ ً", "a\u200cب", "لل", "وسي", "«»\"", "123.456,7"} {
		f.Add(s)
	}
	gl := pipeline.Glossary{{Source: "قآني", Target: "Qaani"}, {Source: "ال", Target: "x"}}
	f.Fuzz(func(t *testing.T, s string) {
		r := d.Gloss(s, Options{Glossary: gl})
		if r.Found > r.Words || r.Coverage < 0 || r.Coverage > 1 {
			t.Fatalf("Found %d Words %d Coverage %v", r.Found, r.Words, r.Coverage)
		}
		if utf8.ValidString(s) && !utf8.ValidString(r.Text) {
			t.Fatalf("invalid UTF-8 out of valid input %q", s)
		}
		for _, tk := range r.Tokens {
			if tk.Source == "" {
				t.Fatalf("empty token in %+v", r.Tokens)
			}
		}
		w := lightNorm(s)
		for _, c := range candidates(w) {
			stem := strings.TrimPrefix(c.stem, "ال")
			if !c.implicit && !strings.Contains(w, strings.TrimSuffix(stem, "ة")) && !strings.Contains(w, strings.TrimSuffix(stem, "ى")) {
				t.Fatalf("candidate stem %q is not in %q", c.stem, w)
			}
		}
	})
}

func BenchmarkGlossText(b *testing.B) {
	d, _ := openFixture(b)
	in, err := os.ReadFile("../../../testdata/gloss/sample.txt")
	if err != nil {
		b.Fatal(err)
	}
	text := string(in)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		d.GlossText(text)
	}
}

// BenchmarkInstalled measures Open and GlossText on the installed
// dictionary; it is skipped when the dictionary is absent.
func BenchmarkInstalled(b *testing.B) {
	path, ok := Find()
	if !ok {
		b.Skip("dict-freedict-ara-eng is not installed")
	}
	in, err := os.ReadFile("../../../testdata/gloss/sample.txt")
	if err != nil {
		b.Fatal(err)
	}
	b.Run("Open", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Open(context.Background(), path); err != nil {
				b.Fatal(err)
			}
		}
	})
	d, err := Open(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("GlossText", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(in)))
		for b.Loop() {
			d.GlossText(string(in))
		}
	})
}

func TestNormalize(t *testing.T) {
	tests := []struct{ in, light, heavy string }{
		{"كتاب", "كتاب", "كتاب"},
		{"الْكِتَابُ", "الكتاب", "الكتاب"},
		{"كـــتاب", "كتاب", "كتاب"},
		{"إسرائيل", "إسرائيل", "اسراييل"},
		{"مستشفى", "مستشفى", "مستشفي"},
		{"مدرسة", "مدرسة", "مدرسه"},
		{"ﻻعب", "لاعب", "لاعب"},
		{"ﻷن", "لأن", "لان"},
		{"کتاب", "كتاب", "كتاب"},    // Persian keheh
		{"فی", "في", "في"},          // Persian yeh
		{"مؤتمر", "مؤتمر", "موتمر"}, // waw with hamza
		{"a\u200cb", "ab", "ab"},
	}
	for _, tc := range tests {
		if got := lightNorm(tc.in); got != tc.light {
			t.Errorf("lightNorm(%q) = %q, want %q", tc.in, got, tc.light)
		}
		if got := heavyNorm(tc.in); got != tc.heavy {
			t.Errorf("heavyNorm(%q) = %q, want %q", tc.in, got, tc.heavy)
		}
	}
}
