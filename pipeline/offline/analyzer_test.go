package offline

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tarjama/tarjama/pipeline"
	"github.com/tarjama/tarjama/pipeline/text"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/offline")

const testdataDir = "../../testdata/offline"

// seedRaw returns the seed article's paragraphs as scraped, boilerplate
// included.
func seedRaw(t testing.TB) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testdataDir, "qaani-kadhimi-2020-11-25.ar.txt"))
	if err != nil {
		t.Fatal(err)
	}
	ps := text.Paragraphs(string(b))
	if len(ps) != 19 {
		t.Fatalf("seed has %d paragraphs, want 19", len(ps))
	}
	return ps
}

// seedRequest is the seed as the cleaner should hand it over: title, body
// paragraphs and page tags apart.
func seedRequest(t testing.TB) pipeline.AnalyzeRequest {
	ps := seedRaw(t)
	return pipeline.AnalyzeRequest{
		DocID:      "seed",
		Lang:       "ar",
		Title:      ps[0],
		Paragraphs: ps[2:14], // after the dateline, before "المصدر |"
		PageTags:   []string{"فيلق القدس", "الكاظمي", "العراق"},
	}
}

type seedKeywords struct {
	PageTags []string `json:"page_tags_ar"`
	Keywords []struct {
		En, Ar, Type string
	} `json:"keywords"`
}

func loadSeedKeywords(t *testing.T) seedKeywords {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testdataDir, "qaani-kadhimi-2020-11-25.keywords.json"))
	if err != nil {
		t.Fatal(err)
	}
	var k seedKeywords
	if err := json.Unmarshal(b, &k); err != nil {
		t.Fatal(err)
	}
	return k
}

func TestGoldenSeed(t *testing.T) {
	a := &Analyzer{}
	got, traces, err := a.Analyze(context.Background(), seedRequest(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(traces) != 2 || traces[0].Method != "textrank+position" || traces[1].Method != "yake" {
		t.Errorf("traces = %+v", traces)
	}
	for _, tr := range traces {
		if tr.Engine != "offline" {
			t.Errorf("trace %s engine %q, want offline", tr.Step, tr.Engine)
		}
	}
	b, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	b = append(b, '\n')
	golden := filepath.Join(testdataDir, "seed.golden.json")
	if *update {
		if err := os.WriteFile(golden, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(b)); diff != "" {
		t.Errorf("Analyze(seed) differs from %s (-want +got):\n%s", golden, diff)
	}
}

func TestSeedKeywordsFindNamedEntities(t *testing.T) {
	ref := loadSeedKeywords(t)
	req := seedRequest(t)
	req.PageTags = nil // extraction alone must find them
	req.MaxKeywords = 15
	an, _, err := (&Analyzer{}).Analyze(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, k := range an.Keywords {
		if k.Source != "yake" || k.Original == "" || k.Score <= 0 || k.Score > 1 {
			t.Errorf("bad keyword %+v", k)
		}
		keys = append(keys, phraseKey("ar", k.Original))
	}
	// A reference entity is found when one keyword's words contain its
	// words or are contained in them ("قآني" finds "إسماعيل قآني").
	found := func(ar string) bool {
		rk := phraseKey("ar", ar)
		for _, k := range keys {
			if containsWords(k, rk) || containsWords(rk, k) {
				return true
			}
		}
		return false
	}
	n := 0
	for _, k := range ref.Keywords {
		if found(k.Ar) {
			n++
		} else {
			t.Logf("reference keyword %q (%s) not found", k.Ar, k.En)
		}
	}
	if n < 7 {
		t.Errorf("found %d of %d reference keywords in %q, want at least 7", n, len(ref.Keywords), keys)
	}
	for _, must := range []string{"قآني", "الكاظمي", "فيلق القدس", "الحشد الشعبي", "عصائب أهل الحق", "كتائب حزب الله", "هادي العامري"} {
		if !found(must) {
			t.Errorf("keywords %q miss %q", keys, must)
		}
	}
}

func TestPageTagsComeFirst(t *testing.T) {
	req := seedRequest(t)
	an, _, err := (&Analyzer{}).Analyze(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if len(an.Keywords) < 4 {
		t.Fatalf("got %d keywords", len(an.Keywords))
	}
	for i, tag := range req.PageTags {
		k := an.Keywords[i]
		if k.Source != "page_tags" || k.Original != tag || k.Text != tag {
			t.Errorf("keyword %d = %+v, want page tag %q", i, k, tag)
		}
	}
	// No extracted keyword repeats a tag.
	tagKeys := map[string]bool{}
	for _, tag := range req.PageTags {
		tagKeys[phraseKey("ar", tag)] = true
	}
	for _, k := range an.Keywords[len(req.PageTags):] {
		if k.Source != "yake" {
			t.Errorf("keyword %+v after the tags is not from yake", k)
		}
		if tagKeys[phraseKey("ar", k.Original)] {
			t.Errorf("keyword %q repeats a page tag", k.Original)
		}
	}
	if len(an.Keywords) != 10 {
		t.Errorf("got %d keywords, want the default 10", len(an.Keywords))
	}
}

func TestSummaryIgnoresBoilerplate(t *testing.T) {
	raw := seedRaw(t)
	banned := []string{
		raw[0],  // title
		raw[1],  // dateline
		raw[14], // المصدر | ...
		raw[15], // كلمات مفتاحية
		raw[16], // tags line
		"قطع البازل تتقارب",
		"صحيفة: قائد فيلق القدس",
	}
	for _, tc := range []struct {
		name string
		req  pipeline.AnalyzeRequest
	}{
		{"default length", pipeline.AnalyzeRequest{Lang: "ar", Paragraphs: raw}},
		{"one bullet", pipeline.AnalyzeRequest{Lang: "ar", Paragraphs: raw, SummaryBullets: 1}},
		{"ten bullets", pipeline.AnalyzeRequest{Lang: "ar", Paragraphs: raw, SummaryBullets: 10}},
		{"300 words", pipeline.AnalyzeRequest{Lang: "ar", Paragraphs: raw, SummaryWords: 300}},
		{"no language given", pipeline.AnalyzeRequest{Paragraphs: raw, SummaryBullets: 5}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			an, _, err := (&Analyzer{}).Analyze(context.Background(), tc.req)
			if err != nil {
				t.Fatal(err)
			}
			if an.Summary.Text == "" || an.Summary.Lang != "ar" || an.Summary.Kind != "extractive" {
				t.Fatalf("summary = %+v", an.Summary)
			}
			for _, b := range banned {
				if strings.Contains(an.Summary.Text, b) {
					t.Errorf("summary selected boilerplate %q:\n%s", b, an.Summary.Text)
				}
			}
			if tc.req.SummaryBullets > 0 && len(an.Summary.Bullets) != tc.req.SummaryBullets {
				t.Errorf("got %d bullets, want %d", len(an.Summary.Bullets), tc.req.SummaryBullets)
			}
		})
	}
}

func TestSummaryLengthAndOrder(t *testing.T) {
	req := seedRequest(t)
	all := Summarize(req.Paragraphs, "ar", SummaryOptions{Sentences: 1000})
	index := map[string]int{}
	for _, s := range all {
		index[s.Text] = s.Index
	}
	for _, words := range []int{30, 60, 100, 200} {
		req.SummaryWords = words
		an, _, err := (&Analyzer{}).Analyze(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		n := len(text.Tokens(an.Summary.Text))
		if n > words+words/4 && !strings.Contains(strings.TrimSpace(an.Summary.Text), ". ") {
			// A single sentence longer than the budget is allowed.
			continue
		}
		if n > words+words/4 {
			t.Errorf("SummaryWords=%d: got %d words", words, n)
		}
	}
	req.SummaryWords = 0
	req.SummaryBullets = 4
	an, _, err := (&Analyzer{}).Analyze(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	last := -1
	for _, b := range an.Summary.Bullets {
		i, ok := index[b]
		if !ok {
			t.Fatalf("bullet %q is not a source sentence", b)
		}
		if i <= last {
			t.Errorf("bullets out of source order: %d after %d", i, last)
		}
		last = i
	}
	if an.Summary.Bullets[0] != all[0].Text {
		t.Errorf("first bullet %q, want the lead sentence %q", an.Summary.Bullets[0], all[0].Text)
	}
	if an.Summary.Text != strings.Join(an.Summary.Bullets, " ") {
		t.Errorf("Text is not the bullets joined")
	}
}

func TestEnglishArticle(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(testdataDir, "upi-176266.en.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Title      string   `json:"title"`
		Paragraphs []string `json:"paragraphs"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	an, _, err := (&Analyzer{}).Analyze(context.Background(), pipeline.AnalyzeRequest{
		Lang: "en", Title: doc.Title, Paragraphs: doc.Paragraphs, SummaryBullets: 2,
	})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(an.Summary.Text, "A shark attacked and injured a 13-year-old boy") {
		t.Errorf("summary does not start with the lead: %q", an.Summary.Text)
	}
	if an.Summary.Lang != "en" || len(an.Summary.Bullets) != 2 {
		t.Errorf("summary = %+v", an.Summary)
	}
	var kws []string
	for _, k := range an.Keywords {
		kws = append(kws, strings.ToLower(k.Text))
	}
	joined := strings.Join(kws, "|")
	for _, want := range []string{"shark", "lobster"} {
		if !strings.Contains(joined, want) {
			t.Errorf("keywords %q miss %q", kws, want)
		}
	}
	for _, k := range kws {
		ws := strings.Fields(k)
		if text.IsStopWord("en", ws[0]) || text.IsStopWord("en", ws[len(ws)-1]) {
			t.Errorf("keyword %q starts or ends with a stop word", k)
		}
	}
}

func TestEmptyInput(t *testing.T) {
	for _, tc := range []struct {
		name  string
		paras []string
	}{
		{"nil", nil},
		{"blank paragraphs", []string{"", "  ", "\n"}},
		{"punctuation only", []string{"...", "؟!", "«»"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			an, traces, err := (&Analyzer{}).Analyze(context.Background(), pipeline.AnalyzeRequest{Lang: "ar", Paragraphs: tc.paras, SummaryBullets: 3})
			if err != nil {
				t.Fatal(err)
			}
			if strings.TrimFunc(an.Summary.Text, func(r rune) bool { return r < 128 || r == '؟' || r == '«' || r == '»' }) != "" {
				t.Errorf("summary of empty input = %q", an.Summary.Text)
			}
			if len(an.Keywords) != 0 {
				t.Errorf("keywords of empty input = %+v", an.Keywords)
			}
			if len(traces) != 2 {
				t.Errorf("got %d traces", len(traces))
			}
		})
	}
	if got := Summarize(nil, "ar", DefaultSummaryOptions()); got != nil {
		t.Errorf("Summarize(nil) = %+v", got)
	}
	if got := Keyphrases(nil, "ar", DefaultKeywordOptions()); got != nil {
		t.Errorf("Keyphrases(nil) = %+v", got)
	}
}

// fakeGlosser records what it was asked and answers with a fixed text or
// error.
type fakeGlosser struct {
	got  []string
	out  string
	fail error
}

func (f *fakeGlosser) Gloss(ctx context.Context, s string) (string, error) {
	f.got = append(f.got, s)
	return f.out, f.fail
}

func TestGlosser(t *testing.T) {
	req := seedRequest(t)
	req.SummaryBullets = 1

	g := &fakeGlosser{out: "revealed sources informed details new"}
	an, traces, err := (&Analyzer{Glosser: g}).Analyze(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{an.Summary.Text}, g.got); diff != "" {
		t.Errorf("glosser input (-want +got):\n%s", diff)
	}
	if an.Summary.Gloss != g.out {
		t.Errorf("Gloss = %q, want %q", an.Summary.Gloss, g.out)
	}

	g = &fakeGlosser{fail: errors.New("dictionary missing")}
	an, traces, err = (&Analyzer{Glosser: g}).Analyze(context.Background(), req)
	if err != nil {
		t.Fatalf("a gloss failure must not fail Analyze: %v", err)
	}
	if an.Summary.Gloss != "" || an.Summary.Text == "" {
		t.Errorf("summary after gloss failure = %+v", an.Summary)
	}
	if !strings.Contains(strings.Join(traces[0].Notes, ";"), "dictionary missing") {
		t.Errorf("trace notes %q do not report the gloss failure", traces[0].Notes)
	}

	// English needs no gloss.
	g = &fakeGlosser{out: "x"}
	an, _, err = (&Analyzer{Glosser: g}).Analyze(context.Background(), pipeline.AnalyzeRequest{Lang: "en", Paragraphs: []string{"The talks in Geneva ended without a deal on Friday."}})
	if err != nil {
		t.Fatal(err)
	}
	if len(g.got) != 0 || an.Summary.Gloss != "" {
		t.Errorf("English summary was glossed: %q", g.got)
	}
}

func TestCanceledContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _, err := (&Analyzer{}).Analyze(ctx, seedRequest(t))
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func BenchmarkAnalyzeSeed(b *testing.B) {
	req := seedRequest(b)
	a := &Analyzer{}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := a.Analyze(ctx, req); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAnalyzeSeedRaw(b *testing.B) {
	req := pipeline.AnalyzeRequest{Lang: "ar", Paragraphs: seedRaw(b)}
	a := &Analyzer{}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := a.Analyze(ctx, req); err != nil {
			b.Fatal(err)
		}
	}
}
