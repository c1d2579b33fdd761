package llmengine

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/tarjama/tarjama/pipeline"
	"github.com/tarjama/tarjama/pipeline/llm"
)

var translateSchema = schema("translation", map[string]any{
	"title":      map[string]any{"type": "string"},
	"paragraphs": strArray,
})

type translateAnswer struct {
	Title      string   `json:"title"`
	Paragraphs []string `json:"paragraphs"`
}

// Translate translates req.Paragraphs, one output paragraph per input
// paragraph.
func (e *Engine) Translate(ctx context.Context, req pipeline.TranslateRequest) (*pipeline.Translation, []pipeline.Trace, error) {
	tr := e.newTrace("translate", e.cfg.Translate)
	out := &pipeline.Translation{Lang: req.TargetLang, Kind: "translation", Paragraphs: make([]string, 0, len(req.Paragraphs))}
	if out.Lang == "" {
		out.Lang = "en"
	}
	budget := e.cfg.ChunkTokens
	context := ""
	for i := 0; i < len(req.Paragraphs); {
		n := e.chunkLen(req.Paragraphs[i:], budget)
		title := ""
		if i == 0 {
			title = req.Title
		}
		ans, err := e.translateChunk(ctx, tr, req, title, req.Paragraphs[i:i+n], context)
		switch {
		case err == nil:
		case isResizeError(err) && n > 1:
			budget = max(e.count(req.Paragraphs[i], 0)/2, budget/2)
			tr.Notes = append(tr.Notes, fmt.Sprintf("paragraphs %d–%d: %v; re-chunked smaller", i+1, i+n, short(err)))
			continue
		case isResizeError(err):
			// One paragraph too long for the model: split it into halves
			// by sentences and join the translations back.
			ans, err = e.translateLongParagraph(ctx, tr, req, title, req.Paragraphs[i], context)
			if err != nil {
				return nil, []pipeline.Trace{tr.done()}, errf("translate", err)
			}
		case errors.Is(err, llm.ErrInvalidAnswer):
			// The model keeps returning the wrong paragraph count even
			// after the repair retry: go paragraph by paragraph.
			tr.Notes = append(tr.Notes, fmt.Sprintf("paragraphs %d–%d: %v; translated paragraph by paragraph", i+1, i+n, short(err)))
			ans = &translateAnswer{}
			for j := i; j < i+n; j++ {
				t := ""
				if j == 0 {
					t = req.Title
				}
				one, err := e.translateChunk(ctx, tr, req, t, req.Paragraphs[j:j+1], context)
				if err != nil {
					return nil, []pipeline.Trace{tr.done()}, errf(fmt.Sprintf("translate paragraph %d", j+1), err)
				}
				if j == 0 {
					ans.Title = one.Title
				}
				ans.Paragraphs = append(ans.Paragraphs, one.Paragraphs[0])
				context = one.Paragraphs[0]
			}
		default:
			return nil, []pipeline.Trace{tr.done()}, errf("translate", err)
		}
		if i == 0 {
			out.Title = strings.TrimSpace(ans.Title)
		}
		out.Paragraphs = append(out.Paragraphs, ans.Paragraphs...)
		context = e.tail(ans.Paragraphs[len(ans.Paragraphs)-1])
		i += n
	}
	src := req.Title + "\n" + joinParagraphs(req.Paragraphs)
	out.GlossaryMisses = req.Glossary.Misses(src, out.Title+"\n"+joinParagraphs(out.Paragraphs))
	if len(out.GlossaryMisses) > 0 {
		tr.Notes = append(tr.Notes, "glossary terms missing from the translation: "+strings.Join(out.GlossaryMisses, "; "))
	}
	return out, []pipeline.Trace{tr.done()}, nil
}

// chunkLen returns how many paragraphs from ps fit in budget tokens (at
// least one).
func (e *Engine) chunkLen(ps []string, budget int) int {
	if e.cfg.Estimate(joinParagraphs(ps)) <= budget {
		return len(ps)
	}
	total := 0
	for i, p := range ps {
		total += e.count(p, budget)
		if total > budget && i > 0 {
			return i
		}
	}
	return len(ps)
}

// tail returns the end of s within the context token budget, cut at a word.
func (e *Engine) tail(s string) string {
	if e.count(s, e.cfg.ContextTokens) <= e.cfg.ContextTokens {
		return s
	}
	words := strings.Fields(s)
	lo := 0
	for lo < len(words) && e.cfg.Count(strings.Join(words[lo:], " ")) > e.cfg.ContextTokens {
		lo += max(1, (len(words)-lo)/4)
	}
	if lo >= len(words) {
		return ""
	}
	return "… " + strings.Join(words[lo:], " ")
}

func (e *Engine) translateChunk(ctx context.Context, tr *traceOf, req pipeline.TranslateRequest, title string, paras []string, prev string) (*translateAnswer, error) {
	var numbered strings.Builder
	for i, p := range paras {
		if i > 0 {
			numbered.WriteString("\n\n")
		}
		fmt.Fprintf(&numbered, "[%d] %s", i+1, p)
	}
	chunkText := title + "\n" + joinParagraphs(paras)
	rendered, err := e.cfg.Prompts.Render("translate", map[string]any{
		"SourceLang": LangName(req.SourceLang),
		"TargetLang": LangName(orDefault(req.TargetLang, "en")),
		"Title":      title,
		"Paragraphs": paras,
		"Numbered":   numbered.String(),
		"Glossary":   req.Glossary.Relevant(chunkText),
		"Context":    prev,
		"Repair":     "",
	})
	if err != nil {
		return nil, err
	}
	tr.Prompt = rendered.ID()
	var ans translateAnswer
	validate := func() error {
		if len(ans.Paragraphs) != len(paras) {
			return fmt.Errorf("%w: got %d paragraphs, want exactly %d (one per numbered input paragraph, in order)", errInvalid, len(ans.Paragraphs), len(paras))
		}
		for i, p := range ans.Paragraphs {
			p = strings.TrimSpace(stripNumber(p, i+1))
			if p == "" && strings.TrimSpace(paras[i]) != "" {
				return fmt.Errorf("%w: paragraph %d is empty", errInvalid, i+1)
			}
			ans.Paragraphs[i] = p
		}
		if title != "" && strings.TrimSpace(ans.Title) == "" {
			return fmt.Errorf("%w: the title was not translated", errInvalid)
		}
		return nil
	}
	resp, err := e.cfg.Translate.ChatJSON(ctx, llm.Request{
		Messages:    []llm.Message{{Role: "system", Content: rendered.System}, {Role: "user", Content: rendered.User}},
		Temperature: e.cfg.Temperature,
		MaxTokens:   maxOutTokens(e.cfg.Estimate(chunkText)),
		Prompt:      rendered.ID(),
	}, translateSchema, &ans, validate)
	tr.add(resp)
	if err != nil {
		return nil, err
	}
	return &ans, nil
}

// translateLongParagraph splits one paragraph at sentence ends into two
// halves, translates each, and joins them.
func (e *Engine) translateLongParagraph(ctx context.Context, tr *traceOf, req pipeline.TranslateRequest, title, p, prev string) (*translateAnswer, error) {
	a, b := splitHalf(p)
	if b == "" {
		return nil, fmt.Errorf("a single paragraph of %d tokens is too long for the model and cannot be split: %w", e.cfg.Count(p), llm.ErrContextLength)
	}
	tr.Notes = append(tr.Notes, fmt.Sprintf("a paragraph of %d tokens was split in two to fit the model", e.cfg.Count(p)))
	var parts []string
	ans := &translateAnswer{}
	for k, half := range []string{a, b} {
		t := ""
		if k == 0 {
			t = title
		}
		one, err := e.translateChunk(ctx, tr, req, t, []string{half}, prev)
		if isResizeError(err) {
			one, err = e.translateLongParagraph(ctx, tr, req, t, half, prev)
		}
		if err != nil {
			return nil, err
		}
		if k == 0 {
			ans.Title = one.Title
		}
		parts = append(parts, one.Paragraphs[0])
		prev = one.Paragraphs[0]
	}
	ans.Paragraphs = []string{strings.Join(parts, " ")}
	return ans, nil
}

// splitHalf splits p near its middle at a sentence end (or a space).
func splitHalf(p string) (string, string) {
	mid := len(p) / 2
	best := -1
	for i, r := range p {
		if r == '.' || r == '!' || r == '?' || r == '؟' || r == '۔' || r == '\n' {
			if best < 0 || abs(i-mid) < abs(best-mid) {
				best = i + len(string(r))
			}
		}
	}
	if best <= 0 || best >= len(p) {
		best = strings.LastIndexByte(p[:mid], ' ')
		if best <= 0 {
			return p, ""
		}
	}
	return strings.TrimSpace(p[:best]), strings.TrimSpace(p[best:])
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// stripNumber removes a leading "[n]" that some models copy from the input.
func stripNumber(p string, n int) string {
	p = strings.TrimSpace(p)
	return strings.TrimSpace(strings.TrimPrefix(p, fmt.Sprintf("[%d]", n)))
}

// maxOutTokens leaves room for English, which takes more tokens than the
// Arabic it translates with most tokenizers' Arabic-heavy merges.
func maxOutTokens(srcTokens int) int { return max(256, srcTokens*3) }

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

func short(err error) string {
	s := err.Error()
	if len(s) > 160 {
		s = s[:160] + "…"
	}
	return s
}
