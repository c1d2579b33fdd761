// Package llmengine implements the pipeline's Translator and Analyzer on an
// OpenAI-compatible chat API (through pipeline/llm) with the prompts in
// prompts/.
//
// Translation is paragraph for paragraph: documents are split into chunks by
// a token budget, each chunk is sent with the tail of the previous chunk's
// translation as context and the relevant glossary entries, and every answer
// is checked to have exactly one paragraph per input paragraph. On a
// mismatch the chunk gets one repair retry that states the error (inside
// llm.ChatJSON), then falls back to translating paragraph by paragraph. A
// context-length error or a truncated answer halves the chunk and tries
// again.
//
// Entry points: New, (*Engine).Translate, (*Engine).Analyze.
package llmengine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/tarjama/tarjama/pipeline"
	"github.com/tarjama/tarjama/pipeline/llm"
	"github.com/tarjama/tarjama/pipeline/llm/tokens"
	"github.com/tarjama/tarjama/prompts"
)

// Chatter is what the engine needs from an LLM client.
type Chatter interface {
	ChatJSON(ctx context.Context, req llm.Request, schema llm.Schema, out any, validate func() error) (*llm.Response, error)
	Model() string
}

var _ Chatter = (*llm.Client)(nil)

// Config configures an Engine. Zero values take the documented defaults.
type Config struct {
	// Translate and Analyze are the clients for each stage (they may be the
	// same client; a cheaper model for analysis is a common choice).
	Translate, Analyze Chatter
	Prompts            *prompts.Set
	// Count counts tokens; pipeline/llm/tokens.Count by default.
	Count func(string) int
	// Estimate is a cheap token estimate that leans high
	// (pipeline/llm/tokens.Estimate by default); when it says a text fits a
	// budget, the exact count is skipped.
	Estimate func(string) int
	// ChunkTokens is the source-token budget of one translation chunk;
	// default 1200.
	ChunkTokens int
	// ContextTokens bounds the previous chunk's tail given as context;
	// default 150.
	ContextTokens int
	// AnalyzeTokens bounds the article text sent for summary and keywords;
	// default 12000.
	AnalyzeTokens int
	Temperature   float64
	Logger        *slog.Logger
	Now           func() time.Time
}

// Engine is the LLM engine.
type Engine struct {
	cfg Config
}

var (
	_ pipeline.Translator = (*Engine)(nil)
	_ pipeline.Analyzer   = (*Engine)(nil)
)

// New checks cfg and fills defaults.
func New(cfg Config) (*Engine, error) {
	if cfg.Translate == nil || cfg.Analyze == nil {
		return nil, errors.New("llmengine: both clients are required")
	}
	if cfg.Prompts == nil {
		return nil, errors.New("llmengine: prompts are required")
	}
	if cfg.Count == nil {
		cfg.Count = tokens.Count
	}
	if cfg.Estimate == nil {
		cfg.Estimate = tokens.Estimate
	}
	if cfg.ChunkTokens <= 0 {
		cfg.ChunkTokens = 1200
	}
	if cfg.ContextTokens <= 0 {
		cfg.ContextTokens = 150
	}
	if cfg.AnalyzeTokens <= 0 {
		cfg.AnalyzeTokens = 12000
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Engine{cfg: cfg}, nil
}

// langNames names languages in prompts; codes not listed are passed as is.
var langNames = map[string]string{
	"ar": "Arabic", "ar-Latn": "Arabizi (Arabic written in Latin letters)", "en": "English", "fr": "French",
	"fa": "Persian", "ur": "Urdu", "ps": "Pashto", "ku": "Kurdish", "ckb": "Central Kurdish (Sorani)",
	"tr": "Turkish", "he": "Hebrew", "ru": "Russian", "es": "Spanish", "de": "German", "zh": "Chinese",
	"und": "the source language",
}

// LangName returns the English name of a language code.
func LangName(code string) string {
	if n, ok := langNames[code]; ok {
		return n
	}
	return code
}

// count returns the exact token count of s only when it matters: texts
// whose estimate is within limit report the estimate (an upper bound in
// practice), which is all a budget check needs.
func (e *Engine) count(s string, limit int) int {
	if n := e.cfg.Estimate(s); n <= limit {
		return n
	}
	return e.cfg.Count(s)
}

// traceOf accumulates one step's calls.
type traceOf struct {
	pipeline.Trace
	start time.Time
	now   func() time.Time
}

func (e *Engine) newTrace(step string, c Chatter) *traceOf {
	return &traceOf{Trace: pipeline.Trace{Step: step, Engine: "llm", Method: "chat", Model: c.Model()}, start: e.cfg.Now(), now: e.cfg.Now}
}

func (t *traceOf) add(resp *llm.Response) {
	if resp == nil {
		return
	}
	t.Usage.Calls++
	if !resp.Cached {
		t.Usage.PromptTokens += resp.Usage.PromptTokens
		t.Usage.CompletionTokens += resp.Usage.CompletionTokens
	}
	t.Cached = t.Usage.Calls > 0 && resp.Cached && (t.Cached || t.Usage.Calls == 1)
	t.Attempts += resp.Attempts
	if resp.Model != "" {
		t.Model = resp.Model
	}
}

func (t *traceOf) done() pipeline.Trace {
	d := t.now().Sub(t.start)
	t.Duration, t.DurationMS = d, float64(d.Microseconds())/1000
	return t.Trace
}

// schema builds a strict JSON schema: every property required, no others.
func schema(name string, props map[string]any) llm.Schema {
	req := make([]string, 0, len(props))
	for k := range props {
		req = append(req, k)
	}
	sortStrings(req)
	b, _ := json.Marshal(map[string]any{
		"type": "object", "properties": props, "required": req, "additionalProperties": false,
	})
	return llm.Schema{Name: name, Schema: b}
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

var strArray = map[string]any{"type": "array", "items": map[string]any{"type": "string"}}

func joinParagraphs(ps []string) string { return strings.Join(ps, "\n\n") }

// isResizeError reports errors that a smaller request can fix.
func isResizeError(err error) bool {
	return errors.Is(err, llm.ErrContextLength) || errors.Is(err, llm.ErrTruncated)
}

func errf(step string, err error) error { return fmt.Errorf("%s: %w", step, err) }

// errInvalid marks answers that failed validation; llm.ChatJSON wraps the
// validation error, so it survives the repair retry for errors.Is.
var errInvalid = errors.New("invalid answer")
