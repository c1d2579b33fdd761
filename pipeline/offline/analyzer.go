// Package offline is tarjama's embedded engine: it works with no API key,
// no network and no model download.
//
// Entry points:
//
//   - Analyzer implements pipeline.Analyzer: an extractive summary
//     (Summarize: TextRank blended with a news position prior) and key
//     phrases (Keyphrases: YAKE with Arabic normalization, quoted-name
//     boost and near-duplicate removal), after the page's own tags.
//   - Summarize and Keyphrases can be called alone (bench/offline does).
//
// The word-by-word gloss lives in the sub-package offline/gloss; Analyzer
// takes it through its Glosser field.
package offline

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/tarjama/tarjama/pipeline"
	"github.com/tarjama/tarjama/pipeline/text"
)

// Glosser writes a word-by-word English gloss of a text (offline/gloss
// implements it).
type Glosser interface {
	Gloss(ctx context.Context, text string) (string, error)
}

// DefaultSummaryWords is the briefing length used when a request asks for
// neither words nor bullets.
const DefaultSummaryWords = 80

// Analyzer is the offline pipeline.Analyzer. The zero value is ready to use
// with the default options.
type Analyzer struct {
	// Summary and Keywords tune the two steps; nil means
	// DefaultSummaryOptions (with a DefaultSummaryWords budget) and
	// DefaultKeywordOptions. The request's SummaryWords, SummaryBullets and
	// MaxKeywords override the lengths set here. The summary is always in
	// the source language: AnalyzeRequest.SummaryLang is not used.
	Summary  *SummaryOptions
	Keywords *KeywordOptions
	// Glosser, when set, glosses a non-English summary into Summary.Gloss.
	// nil: no gloss.
	Glosser Glosser
}

var _ pipeline.Analyzer = (*Analyzer)(nil)

// Analyze summarizes req.Paragraphs and extracts keywords. It fails only
// when ctx is done; a gloss failure is noted in the trace and leaves
// Summary.Gloss empty.
func (a *Analyzer) Analyze(ctx context.Context, req pipeline.AnalyzeRequest) (*pipeline.Analysis, []pipeline.Trace, error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, fmt.Errorf("offline analyze %s: %w", req.DocID, err)
	}
	lang := req.Lang
	if lang == "" || lang == "und" {
		lang = guessLang(strings.Join(req.Paragraphs, " "))
	}
	var traces []pipeline.Trace

	start := time.Now()
	summary, nSents, nPicked := a.summarize(req, lang)
	tr := pipeline.Trace{Step: "summarize", Engine: "offline", Method: "textrank+position",
		Notes: []string{fmt.Sprintf("%d of %d sentences", nPicked, nSents)}}
	if a.Glosser != nil && summary.Text != "" && !strings.HasPrefix(lang, "en") {
		g, err := a.Glosser.Gloss(ctx, summary.Text)
		switch {
		case ctx.Err() != nil:
			return nil, nil, fmt.Errorf("offline analyze %s: gloss summary: %w", req.DocID, ctx.Err())
		case err != nil:
			tr.Notes = append(tr.Notes, "gloss failed: "+err.Error())
		default:
			summary.Gloss = g
			tr.Notes = append(tr.Notes, "gloss")
		}
	}
	tr.Duration = time.Since(start)
	tr.DurationMS = float64(tr.Duration.Microseconds()) / 1000
	traces = append(traces, tr)

	start = time.Now()
	keywords, nTags := a.keywords(req, lang)
	tr = pipeline.Trace{Step: "keywords", Engine: "offline", Method: "yake",
		Notes: []string{fmt.Sprintf("%d page tags, %d extracted", nTags, len(keywords)-nTags)}}
	tr.Duration = time.Since(start)
	tr.DurationMS = float64(tr.Duration.Microseconds()) / 1000
	traces = append(traces, tr)

	return &pipeline.Analysis{Summary: summary, Keywords: keywords}, traces, nil
}

func (a *Analyzer) summarize(req pipeline.AnalyzeRequest, lang string) (pipeline.Summary, int, int) {
	opts := DefaultSummaryOptions()
	if a.Summary != nil {
		opts = *a.Summary
	}
	switch {
	case req.SummaryBullets > 0:
		opts.Sentences, opts.Words = req.SummaryBullets, 0
	case req.SummaryWords > 0:
		opts.Words = req.SummaryWords
	case a.Summary == nil:
		opts.Words = DefaultSummaryWords
	}
	all := scoreSentences(req.Paragraphs, lang, opts)
	picked := selectSentences(all, opts)
	s := pipeline.Summary{Lang: lang, Kind: "extractive"}
	parts := make([]string, len(picked))
	for i, p := range picked {
		parts[i] = p.Text
	}
	s.Text = strings.Join(parts, " ")
	if req.SummaryBullets > 0 && len(parts) > 0 {
		s.Bullets = parts
	}
	return s, len(all), len(picked)
}

func (a *Analyzer) keywords(req pipeline.AnalyzeRequest, lang string) ([]pipeline.Keyword, int) {
	opts := DefaultKeywordOptions()
	if a.Keywords != nil {
		opts = *a.Keywords
	}
	limit := req.MaxKeywords
	if limit <= 0 {
		limit = opts.Max
	}
	var out []pipeline.Keyword
	seen := map[string]bool{}
	for _, tag := range req.PageTags {
		tag = strings.TrimSpace(tag)
		key := phraseKey(lang, tag)
		if tag == "" || seen[key] || len(out) >= limit {
			continue
		}
		seen[key] = true
		out = append(out, pipeline.Keyword{Text: tag, Original: tag, Score: 1, Source: "page_tags"})
	}
	nTags := len(out)
	if len(out) >= limit {
		return out, nTags
	}
	paras := req.Paragraphs
	if req.Title != "" && (len(paras) == 0 || strings.TrimSpace(paras[0]) != strings.TrimSpace(req.Title)) {
		paras = append([]string{req.Title}, paras...)
	}
	// Ask for extra phrases: some may repeat a page tag.
	opts.Max = limit + len(out)
	for _, p := range Keyphrases(paras, lang, opts) {
		if len(out) >= limit {
			break
		}
		key := stemKey(lang, p.Key)
		if seen[key] || coveredByTag(p.Key, out[:nTags], lang) {
			continue
		}
		seen[key] = true
		out = append(out, pipeline.Keyword{Text: p.Text, Original: p.Text, Score: round3(p.Score), Source: "yake"})
	}
	return out, nTags
}

// phraseKey is the dedupe form of a phrase: stemmed matching key.
func phraseKey(lang, s string) string {
	ws := text.Words(s)
	if isArabicLang(lang) {
		for i, w := range ws {
			ws[i] = text.LightStem(w)
		}
	}
	return stemKey(lang, strings.Join(ws, " "))
}

// coveredByTag reports whether key is a near-duplicate of a page tag.
func coveredByTag(key string, tags []pipeline.Keyword, lang string) bool {
	for _, t := range tags {
		tk := text.Words(t.Original)
		if isArabicLang(lang) {
			for i, w := range tk {
				tk[i] = text.LightStem(w)
			}
		}
		if levRatio(key, strings.Join(tk, " ")) >= 0.8 {
			return true
		}
	}
	return false
}

func round3(x float64) float64 { return float64(int(x*1000+0.5)) / 1000 }

// guessLang tells Arabic from the rest by letters, for requests without a
// language.
func guessLang(s string) string {
	ar, other := 0, 0
	for _, r := range s {
		switch {
		case text.IsArabic(r):
			ar++
		case unicode.IsLetter(r):
			other++
		}
	}
	if ar > other {
		return "ar"
	}
	return "en"
}
