package pipeline

import (
	"context"
	"errors"
	"strings"
	"testing"
)

type fakeDetector struct{ lang string }

func (f fakeDetector) Detect(string) Detection {
	return Detection{Lang: f.lang, Confidence: 0.9, Script: "Arab", Method: "fake"}
}

type fakeTranslator struct {
	calls int
	err   error
	drop  bool // return one paragraph too few
}

func (f *fakeTranslator) Translate(ctx context.Context, req TranslateRequest) (*Translation, []Trace, error) {
	f.calls++
	if f.err != nil {
		return nil, []Trace{{Step: "translate", Engine: "fake"}}, f.err
	}
	out := &Translation{Lang: "en", Kind: "translation"}
	for _, p := range req.Paragraphs {
		out.Paragraphs = append(out.Paragraphs, "EN "+p)
	}
	if f.drop {
		out.Paragraphs = out.Paragraphs[1:]
	}
	return out, []Trace{{Step: "translate", Engine: "fake", Usage: Usage{PromptTokens: 10, CompletionTokens: 5, Calls: 1}}}, nil
}

type fakeAnalyzer struct {
	calls int
	got   AnalyzeRequest
}

func (f *fakeAnalyzer) Analyze(ctx context.Context, req AnalyzeRequest) (*Analysis, []Trace, error) {
	f.calls++
	f.got = req
	return &Analysis{Summary: Summary{Text: "S", Kind: "abstractive"}, Keywords: []Keyword{{Text: "K", Source: "llm"}}},
		[]Trace{{Step: "summarize", Engine: "fake", Usage: Usage{PromptTokens: 7, CompletionTokens: 3, Calls: 1}}}, nil
}

func TestRun(t *testing.T) {
	doc := Document{ID: "d1", Text: "الفقرة الأولى.\n\nالفقرة الثانية.", Title: "عنوان"}
	for _, tc := range []struct {
		name           string
		lang           string
		tr             *fakeTranslator
		opt            Options
		wantTranslated bool
		wantErrStep    string
	}{
		{name: "arabic is translated", lang: "ar", tr: &fakeTranslator{}, wantTranslated: true},
		{name: "english skips translation", lang: "en", tr: &fakeTranslator{}},
		{name: "en-Latn-ish code skips too", lang: "en-GB", tr: &fakeTranslator{}},
		{name: "no-translate option", lang: "ar", tr: &fakeTranslator{}, opt: Options{NoTranslate: true}},
		{name: "translation failure is recorded, analysis still runs", lang: "ar", tr: &fakeTranslator{err: errors.New("boom")}, wantErrStep: "translate"},
		{name: "paragraph mismatch is recorded", lang: "ar", tr: &fakeTranslator{drop: true}, wantTranslated: true, wantErrStep: "translate"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			an := &fakeAnalyzer{}
			p := &Pipeline{Engine: "fake", Detector: fakeDetector{tc.lang}, Translator: tc.tr, Analyzer: an, Options: tc.opt}
			res, err := p.Run(t.Context(), doc)
			if err != nil {
				t.Fatal(err)
			}
			if (res.Translation != nil) != tc.wantTranslated {
				t.Fatalf("translated=%v, want %v", res.Translation != nil, tc.wantTranslated)
			}
			if tc.wantErrStep == "" && res.Failed() || tc.wantErrStep != "" && (len(res.Errors) != 1 || res.Errors[0].Step != tc.wantErrStep) {
				t.Fatalf("errors %+v", res.Errors)
			}
			if an.calls != 1 || res.Summary == nil || res.Summary.Text != "S" || len(res.Keywords) != 1 {
				t.Fatalf("analysis must always run: calls %d summary %+v", an.calls, res.Summary)
			}
			if tc.wantTranslated && tc.wantErrStep == "" && (an.got.English == nil || an.got.English.Paragraphs[0] != "EN الفقرة الأولى.") {
				t.Errorf("the analyzer must get the translation: %+v", an.got.English)
			}
			if res.Schema != SchemaVersion || res.ID != "d1" || res.Clean.Title != "عنوان" || len(res.Clean.Paragraphs) != 2 {
				t.Errorf("result %+v", res)
			}
			wantUsage := 7
			if tc.wantTranslated {
				wantUsage += 10
			}
			if res.Usage.PromptTokens != wantUsage {
				t.Errorf("usage %+v, want %d prompt tokens", res.Usage, wantUsage)
			}
		})
	}
}

func TestContinueDoesNotRedo(t *testing.T) {
	tr, an := &fakeTranslator{}, &fakeAnalyzer{}
	p := &Pipeline{Detector: fakeDetector{"ar"}, Translator: tr, Analyzer: an}
	res := p.Prepare(Document{ID: "x", Text: "نص."})
	if _, err := p.Continue(t.Context(), res, Steps{Translate: true}); err != nil {
		t.Fatal(err)
	}
	if tr.calls != 1 || an.calls != 0 || res.Summary != nil {
		t.Fatalf("translate only: tr %d an %d", tr.calls, an.calls)
	}
	if _, err := p.Continue(t.Context(), res, AllSteps); err != nil {
		t.Fatal(err)
	}
	if tr.calls != 1 || an.calls != 1 || res.Summary == nil {
		t.Fatalf("the translation must be reused: tr %d an %d", tr.calls, an.calls)
	}
	if _, err := p.Continue(t.Context(), res, AllSteps); err != nil || an.calls != 1 {
		t.Fatalf("nothing left to do, yet analyzer called %d times", an.calls)
	}
}

func TestEmptyDocumentAndMissingTranslator(t *testing.T) {
	p := &Pipeline{Detector: fakeDetector{"ar"}, NoTranslatorReason: "no dictionary", Analyzer: &fakeAnalyzer{}}
	res, err := p.Run(t.Context(), Document{ID: "e", Text: "  \n\n "})
	if err != nil || !res.Failed() || res.Errors[0].Step != "clean" {
		t.Fatalf("empty doc: %v %+v", err, res.Errors)
	}
	res, _ = p.Run(t.Context(), Document{ID: "a", Text: "نص."})
	var note string
	for _, tr := range res.Trace {
		if tr.Step == "translate" {
			note = strings.Join(tr.Notes, " ")
		}
	}
	if res.Translation != nil || note != "no dictionary" || res.Failed() {
		t.Fatalf("missing translator: note %q errors %+v", note, res.Errors)
	}
}

func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	p := &Pipeline{Detector: fakeDetector{"ar"}, Translator: &fakeTranslator{}}
	if _, err := p.Run(ctx, Document{ID: "c", Text: "x"}); !errors.Is(err, context.Canceled) {
		t.Fatalf("want context.Canceled, got %v", err)
	}
}

func TestGlossary(t *testing.T) {
	for name, in := range map[string]string{
		"tsv":         "# names\nقآني\tEsmail Qaani\nإسماعيل قآني\tEsmail Qaani\n",
		"json object": `{"قآني": "Esmail Qaani", "إسماعيل قآني": "Esmail Qaani"}`,
		"json list":   `[{"source": "قآني", "target": "Esmail Qaani"}, {"source": "إسماعيل قآني", "target": "Esmail Qaani"}]`,
	} {
		t.Run(name, func(t *testing.T) {
			g, err := ParseGlossary([]byte(in))
			if err != nil {
				t.Fatal(err)
			}
			if len(g) != 2 || g[0].Source != "إسماعيل قآني" {
				t.Fatalf("longest first: %+v", g)
			}
			if m := g.Misses("قال قآني", "Qaani said"); len(m) != 1 {
				t.Fatalf("misses %v", m)
			}
			if m := g.Misses("قال قآني", "ESMAIL QAANI said"); len(m) != 0 {
				t.Fatalf("case-insensitive check: %v", m)
			}
		})
	}
	for name, in := range map[string]string{
		"no tab":      "قآني Esmail Qaani\n",
		"empty side":  "قآني\t\n",
		"bad json":    `{"a": }`,
		"invalid utf": "\xff\xfe\tx",
	} {
		if _, err := ParseGlossary([]byte(in)); err == nil {
			t.Errorf("%s: want an error", name)
		}
	}
}

func TestGivenLanguageSkipsDetection(t *testing.T) {
	det := &countingDetector{}
	p := &Pipeline{Detector: det}
	res := p.Prepare(Document{ID: "x", Text: "نص عربي طويل مع كلمة English", Lang: "ar"})
	if det.n != 0 || res.Language.Lang != "ar" || res.Language.Script != "Arab" || res.Language.Method != "input" {
		t.Fatalf("detector calls %d, language %+v", det.n, res.Language)
	}
	for in, want := range map[string]string{"Hello": "Latn", "שלום": "Hebr", "Привет": "Cyrl", "123 !": "Zyyy", "مرحبا hi": "Arab"} {
		if got := DominantScript(in); got != want {
			t.Errorf("DominantScript(%q) = %s, want %s", in, got, want)
		}
	}
}

type countingDetector struct{ n int }

func (c *countingDetector) Detect(string) Detection { c.n++; return Detection{Lang: "en"} }
