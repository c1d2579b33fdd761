package llmengine

import (
	"context"
	"fmt"
	"strings"

	"github.com/tarjama/tarjama/pipeline"
	"github.com/tarjama/tarjama/pipeline/llm"
)

var analyzeSchema = schema("analysis", map[string]any{
	"summary": map[string]any{"type": "string"},
	"bullets": strArray,
	"keywords": map[string]any{
		"type": "array",
		"items": map[string]any{
			"type": "object",
			"properties": map[string]any{
				"en":       map[string]any{"type": "string"},
				"original": map[string]any{"type": "string"},
				"type":     map[string]any{"type": "string", "enum": keywordTypes},
			},
			"required":             []string{"en", "original", "type"},
			"additionalProperties": false,
		},
	},
})

var keywordTypes = []string{"person", "organization", "location", "event", "topic"}

type analyzeAnswer struct {
	Summary  string   `json:"summary"`
	Bullets  []string `json:"bullets"`
	Keywords []struct {
		EN       string `json:"en"`
		Original string `json:"original"`
		Type     string `json:"type"`
	} `json:"keywords"`
}

// Defaults for the summary and keywords.
const (
	DefaultSummaryWords = 100
	DefaultMaxKeywords  = 12
)

// Analyze writes the briefing summary and extracts keywords in one
// structured call.
func (e *Engine) Analyze(ctx context.Context, req pipeline.AnalyzeRequest) (*pipeline.Analysis, []pipeline.Trace, error) {
	tr := e.newTrace("summarize", e.cfg.Analyze)
	words := orInt(req.SummaryWords, DefaultSummaryWords)
	maxKW := orInt(req.MaxKeywords, DefaultMaxKeywords)
	src := joinParagraphs(req.Paragraphs)
	english := ""
	if req.English != nil {
		english = joinParagraphs(req.English.Paragraphs)
	}
	// Keep within the budget: the source text is needed for the keywords'
	// original forms, so the translation is cut first.
	if e.count(src, e.cfg.AnalyzeTokens)+e.count(english, e.cfg.AnalyzeTokens) > e.cfg.AnalyzeTokens {
		english = e.head(english, e.cfg.AnalyzeTokens-e.cfg.Count(src))
		if english == "" {
			src = e.head(src, e.cfg.AnalyzeTokens)
		}
		tr.Notes = append(tr.Notes, fmt.Sprintf("article longer than %d tokens: the analysis saw its beginning only", e.cfg.AnalyzeTokens))
	}
	summaryLang := orDefault(req.SummaryLang, "en")
	rendered, err := e.cfg.Prompts.Render("analyze", map[string]any{
		"SummaryLang": LangName(summaryLang),
		"Bullets":     req.SummaryBullets,
		"Words":       words,
		"MaxKeywords": maxKW,
		"Title":       req.Title,
		"Lang":        LangName(req.Lang),
		"Text":        src,
		"English":     english,
		"Repair":      "",
	})
	if err != nil {
		return nil, nil, err
	}
	tr.Prompt = rendered.ID()
	var ans analyzeAnswer
	validate := func() error {
		ans.Summary = strings.TrimSpace(ans.Summary)
		if ans.Summary == "" && len(ans.Bullets) == 0 {
			return fmt.Errorf("%w: the summary is empty", errInvalid)
		}
		if req.SummaryBullets > 0 && len(ans.Bullets) == 0 {
			return fmt.Errorf("%w: %d bullets were asked for and none were given", errInvalid, req.SummaryBullets)
		}
		for i, k := range ans.Keywords {
			if strings.TrimSpace(k.EN) == "" && strings.TrimSpace(k.Original) == "" {
				return fmt.Errorf("%w: keyword %d is empty", errInvalid, i+1)
			}
			if !contains(keywordTypes, k.Type) {
				return fmt.Errorf("%w: keyword %q has type %q; want one of %s", errInvalid, k.EN, k.Type, strings.Join(keywordTypes, ", "))
			}
		}
		return nil
	}
	resp, err := e.cfg.Analyze.ChatJSON(ctx, llm.Request{
		Messages:    []llm.Message{{Role: "system", Content: rendered.System}, {Role: "user", Content: rendered.User}},
		Temperature: e.cfg.Temperature,
		MaxTokens:   max(512, words*3+maxKW*40),
		Prompt:      rendered.ID(),
	}, analyzeSchema, &ans, validate)
	tr.add(resp)
	if err != nil {
		return nil, []pipeline.Trace{tr.done()}, errf("summarize", err)
	}

	an := &pipeline.Analysis{Summary: pipeline.Summary{Lang: summaryLang, Text: ans.Summary, Kind: "abstractive"}}
	for _, b := range ans.Bullets {
		if b = strings.TrimSpace(b); b != "" {
			an.Summary.Bullets = append(an.Summary.Bullets, b)
		}
	}
	if an.Summary.Text == "" {
		an.Summary.Text = strings.Join(an.Summary.Bullets, " ")
	}
	an.Keywords = mergeKeywords(req.PageTags, ans, src, maxKW, tr)
	return an, []pipeline.Trace{tr.done()}, nil
}

// mergeKeywords puts the page's own tags first (with the model's English
// form when the model named the same thing), then the model's keywords.
// Original forms that do not occur in the article are noted: a model that
// invents an "original" spelling is caught here.
func mergeKeywords(tags []string, ans analyzeAnswer, src string, limit int, tr *traceOf) []pipeline.Keyword {
	out := []pipeline.Keyword{}
	used := make([]bool, len(ans.Keywords))
	for _, tag := range tags {
		kw := pipeline.Keyword{Text: tag, Original: tag, Source: "page_tags"}
		for i, k := range ans.Keywords {
			if !used[i] && (k.Original == tag || strings.HasSuffix(k.Original, " "+tag) || strings.Contains(tag, k.Original) && k.Original != "") {
				kw.Text, kw.Type, used[i] = k.EN, k.Type, true
				break
			}
		}
		out = append(out, kw)
	}
	var unseen []string
	for i, k := range ans.Keywords {
		if used[i] || len(out) >= limit+len(tags) {
			continue
		}
		kw := pipeline.Keyword{Text: strings.TrimSpace(k.EN), Original: strings.TrimSpace(k.Original), Type: k.Type, Source: "llm"}
		if kw.Text == "" {
			kw.Text = kw.Original
		}
		if kw.Original != "" && !strings.Contains(src, kw.Original) {
			unseen = append(unseen, kw.Original)
		}
		out = append(out, kw)
	}
	if len(unseen) > 0 {
		tr.Notes = append(tr.Notes, "keyword original forms not found verbatim in the article: "+strings.Join(unseen, "; "))
	}
	return out
}

// head returns the beginning of s within n tokens, cut at a paragraph or
// word.
func (e *Engine) head(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if e.count(s, n) <= n {
		return s
	}
	words := strings.Fields(s)
	hi := len(words)
	for hi > 0 && e.cfg.Count(strings.Join(words[:hi], " ")) > n {
		hi -= max(1, hi/4)
	}
	return strings.Join(words[:max(hi, 0)], " ") + " …"
}

func orInt(v, d int) int {
	if v <= 0 {
		return d
	}
	return v
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
