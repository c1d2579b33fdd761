package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
	"unicode"
)

// Options are the per-run settings of the steps.
type Options struct {
	// TargetLang is the translation's language; "en" by default.
	TargetLang string
	// SummaryLang is the summary's language; TargetLang by default. The
	// offline engine always summarizes in the source language.
	SummaryLang    string
	SummaryWords   int
	SummaryBullets int
	MaxKeywords    int
	Glossary       Glossary
	// NoTranslate skips translation even for non-English input.
	NoTranslate bool
}

// Pipeline takes documents through the steps. Translator and Analyzer may be
// nil: the step is then skipped and a note says why (NoTranslatorReason).
type Pipeline struct {
	Engine     string // "llm" or "offline"
	Detector   Detector
	Cleaner    Cleaner
	Translator Translator
	Analyzer   Analyzer
	// NoTranslatorReason is recorded when Translator is nil, e.g. "no
	// Arabic-English dictionary found: install dict-freedict-ara-eng".
	NoTranslatorReason string
	Options            Options
	Logger             *slog.Logger
	// Now is the clock used for step timings; time.Now when nil.
	Now func() time.Time
}

// Steps selects the steps after clean and detect.
type Steps struct{ Translate, Summarize, Keywords bool }

// AllSteps is what Run does.
var AllSteps = Steps{Translate: true, Summarize: true, Keywords: true}

// Run takes one document through detect → clean → translate →
// summarize+keywords. A failing step is recorded in Result.Errors and the
// steps that do not depend on it still run; the returned error is non-nil
// only when ctx was cancelled, so a batch can stop cleanly.
func (p *Pipeline) Run(ctx context.Context, doc Document) (*Result, error) {
	if err := ctx.Err(); err != nil {
		return p.newResult(doc), err
	}
	return p.Continue(ctx, p.Prepare(doc), AllSteps)
}

func (p *Pipeline) newResult(doc Document) *Result {
	return &Result{
		Schema:    SchemaVersion,
		ID:        doc.ID,
		Source:    doc.Source,
		URL:       doc.URL,
		Published: doc.Published,
		Engine:    p.Engine,
		Keywords:  []Keyword{},
	}
}

func (p *Pipeline) now() time.Time {
	if p.Now != nil {
		return p.Now()
	}
	return time.Now()
}

// Prepare runs the local steps, clean and detect, and returns the Result
// that Continue completes.
func (p *Pipeline) Prepare(doc Document) *Result {
	res := p.newResult(doc)
	// Clean first so detection sees the article, not the page furniture;
	// both are local and cheap.
	t0 := p.now()
	if p.Cleaner != nil {
		res.Clean = p.Cleaner.Clean(doc)
	} else {
		res.Clean = Cleaned{Title: doc.Title, Paragraphs: SplitParagraphs(doc.Text)}
	}
	if res.Clean.Title == "" {
		res.Clean.Title = doc.Title
	}
	res.Trace = append(res.Trace, stepTrace("clean", "local", "rules", t0, p.now()))

	t0 = p.now()
	switch {
	case doc.Lang != "":
		res.Language = Detection{Lang: doc.Lang, Confidence: 1, Script: DominantScript(doc.Text), Method: "input"}
	case p.Detector != nil:
		res.Language = p.Detector.Detect(res.Clean.Title + "\n\n" + strings.Join(res.Clean.Paragraphs, "\n\n"))
	default:
		res.Language = Detection{Lang: "und"}
	}
	res.Trace = append(res.Trace, stepTrace("detect", "local", res.Language.Method, t0, p.now()))
	if len(res.Clean.Paragraphs) == 0 {
		res.Errors = append(res.Errors, StepError{Step: "clean", Message: "the document has no body text after cleaning"})
	}
	return res
}

// Continue runs the requested steps that res does not have yet: a Result
// read back from an earlier stage (tarjama detect | tarjama translate) is
// completed, not redone.
func (p *Pipeline) Continue(ctx context.Context, res *Result, steps Steps) (*Result, error) {
	log := p.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	opt := p.Options
	if opt.TargetLang == "" {
		opt.TargetLang = "en"
	}
	if opt.SummaryLang == "" {
		opt.SummaryLang = opt.TargetLang
	}
	if res.Keywords == nil {
		res.Keywords = []Keyword{}
	}
	if res.Engine == "" || res.Engine == "local" {
		res.Engine = p.Engine
	}
	lang := res.Language.Lang
	log.Debug("detected", "id", res.ID, "lang", lang, "confidence", res.Language.Confidence)
	if len(res.Clean.Paragraphs) == 0 {
		return res, nil
	}

	needsTranslation := steps.Translate && res.Translation == nil && !opt.NoTranslate && baseLang(lang) != baseLang(opt.TargetLang)
	if needsTranslation {
		if p.Translator == nil {
			tr := Trace{Step: "translate", Engine: p.Engine, Method: "none"}
			if p.NoTranslatorReason != "" {
				tr.Notes = []string{p.NoTranslatorReason}
			}
			res.Trace = append(res.Trace, tr)
		} else {
			tr, traces, err := p.Translator.Translate(ctx, TranslateRequest{
				DocID:      res.ID,
				SourceLang: lang,
				TargetLang: opt.TargetLang,
				Title:      res.Clean.Title,
				Paragraphs: res.Clean.Paragraphs,
				Glossary:   opt.Glossary,
			})
			res.Trace = append(res.Trace, traces...)
			if err != nil {
				if ctxErr := ctx.Err(); ctxErr != nil {
					return res, ctxErr
				}
				res.Errors = append(res.Errors, StepError{Step: "translate", Message: err.Error()})
			} else if tr != nil {
				if len(tr.Paragraphs) != len(res.Clean.Paragraphs) {
					res.Errors = append(res.Errors, StepError{Step: "translate", Message: fmt.Sprintf(
						"translator returned %d paragraphs for %d", len(tr.Paragraphs), len(res.Clean.Paragraphs))})
				}
				res.Translation = tr
			}
		}
	}

	wantSummary := steps.Summarize && res.Summary == nil
	wantKeywords := steps.Keywords && !hasKeywordsFrom(res.Keywords, "llm", "yake")
	if p.Analyzer != nil && (wantSummary || wantKeywords) {
		an, traces, err := p.Analyzer.Analyze(ctx, AnalyzeRequest{
			DocID:          res.ID,
			Lang:           lang,
			Title:          res.Clean.Title,
			Paragraphs:     res.Clean.Paragraphs,
			English:        englishOf(res.Translation),
			SummaryLang:    opt.SummaryLang,
			SummaryWords:   opt.SummaryWords,
			SummaryBullets: opt.SummaryBullets,
			MaxKeywords:    opt.MaxKeywords,
			PageTags:       res.Clean.Tags,
		})
		res.Trace = append(res.Trace, traces...)
		if err != nil {
			if ctxErr := ctx.Err(); ctxErr != nil {
				return res, ctxErr
			}
			res.Errors = append(res.Errors, StepError{Step: "summarize", Message: err.Error()})
		} else if an != nil {
			if wantSummary {
				s := an.Summary
				res.Summary = &s
			}
			if wantKeywords && an.Keywords != nil {
				res.Keywords = an.Keywords
			}
		}
	}
	res.Usage = Usage{}
	for _, t := range res.Trace {
		res.Usage = res.Usage.Add(t.Usage)
	}
	return res, nil
}

func hasKeywordsFrom(kws []Keyword, sources ...string) bool {
	for _, k := range kws {
		for _, s := range sources {
			if k.Source == s {
				return true
			}
		}
	}
	return false
}

// englishOf returns the translation when it is a real translation; a gloss
// is not given to the analyzer as if it were English prose.
func englishOf(t *Translation) *Translation {
	if t == nil || t.Kind != "translation" {
		return nil
	}
	return t
}

func baseLang(l string) string {
	b, _, _ := strings.Cut(l, "-")
	return b
}

func stepTrace(step, engine, method string, t0, t1 time.Time) Trace {
	d := t1.Sub(t0)
	return Trace{Step: step, Engine: engine, Method: method, Duration: d, DurationMS: float64(d.Microseconds()) / 1000}
}

// SplitParagraphs splits text on blank lines, trimming each paragraph and
// dropping empty ones. Single newlines inside a paragraph are kept.
func SplitParagraphs(text string) []string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	var out []string
	for _, p := range strings.Split(text, "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// ErrNoEngine is returned when a step needs an engine that is not configured.
var ErrNoEngine = errors.New("no engine configured")

// DominantScript returns the ISO 15924 code of the script most letters of
// text are written in (Arab, Latn, Hebr, Cyrl, Hani, …), or "Zyyy" when text
// has no letters. It is a cheap stand-in for detection when the language is
// given.
func DominantScript(text string) string {
	counts := map[string]int{}
	for _, r := range text {
		if !unicode.IsLetter(r) {
			continue
		}
		switch {
		case r < 0x250:
			counts["Latn"]++
		case unicode.Is(unicode.Arabic, r):
			counts["Arab"]++
		case unicode.Is(unicode.Hebrew, r):
			counts["Hebr"]++
		case unicode.Is(unicode.Cyrillic, r):
			counts["Cyrl"]++
		case unicode.Is(unicode.Han, r):
			counts["Hani"]++
		case unicode.Is(unicode.Greek, r):
			counts["Grek"]++
		case unicode.Is(unicode.Devanagari, r):
			counts["Deva"]++
		case unicode.Is(unicode.Latin, r):
			counts["Latn"]++
		default:
			counts["Zzzz"]++
		}
	}
	best, n := "Zyyy", 0
	for _, sc := range []string{"Arab", "Latn", "Hebr", "Cyrl", "Hani", "Grek", "Deva", "Zzzz"} {
		if counts[sc] > n {
			best, n = sc, counts[sc]
		}
	}
	return best
}
