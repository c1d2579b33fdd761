package pipeline

import (
	"context"
	"time"
)

// SchemaVersion is written into every Result; bump it when the JSON shape
// changes incompatibly (schema/result.schema.json documents it).
const SchemaVersion = "tarjama.result/v1"

// Document is one input article.
type Document struct {
	ID        string `json:"id"`
	Text      string `json:"text"`
	Title     string `json:"title,omitempty"`
	URL       string `json:"url,omitempty"`
	Published string `json:"published,omitempty"`
	// Lang, when set by the input, skips detection ("ar", "en", ...).
	Lang string `json:"lang,omitempty"`
	// Source says where the document came from: a file path, and the line
	// for JSON Lines input. Not read from input JSON.
	Source string `json:"-"`
	Line   int    `json:"-"`
}

// Detection is the language-identification answer for a text.
type Detection struct {
	// Lang is an ISO 639-1 code ("ar", "fa", "en"), "ar-Latn" for Arabizi,
	// or "und" when unknown.
	Lang       string  `json:"lang"`
	Confidence float64 `json:"confidence"`
	// Script is an ISO 15924 code: "Arab", "Latn", "Hebr", ...
	Script string `json:"script"`
	// Shares is each language's share of the text (by letters) for mixed
	// documents; it has one entry for a monolingual text.
	Shares []LangShare `json:"shares,omitempty"`
	Method string      `json:"method,omitempty"`
}

// LangShare is one language's part of a mixed document.
type LangShare struct {
	Lang  string  `json:"lang"`
	Share float64 `json:"share"`
}

// Dropped is text the cleaner took out of the body; it is kept in the result
// so nothing is lost silently.
type Dropped struct {
	// Kind: "source_line", "tags", "related_headline", "boilerplate".
	Kind string `json:"kind"`
	Text string `json:"text"`
}

// Cleaned is a scraped article split into its parts.
type Cleaned struct {
	Title      string    `json:"title,omitempty"`
	Dateline   string    `json:"dateline,omitempty"`
	Paragraphs []string  `json:"paragraphs"`
	SourceLine string    `json:"source_line,omitempty"`
	Tags       []string  `json:"tags,omitempty"`
	Dropped    []Dropped `json:"dropped,omitempty"`
}

// Usage counts tokens.
type Usage struct {
	PromptTokens     int `json:"prompt_tokens"`
	CompletionTokens int `json:"completion_tokens"`
	Calls            int `json:"calls"`
}

// Add returns u+v.
func (u Usage) Add(v Usage) Usage {
	return Usage{u.PromptTokens + v.PromptTokens, u.CompletionTokens + v.CompletionTokens, u.Calls + v.Calls}
}

// Trace records how one step's output was made.
type Trace struct {
	Step string `json:"step"` // detect, clean, translate, summarize, keywords
	// Engine is "local", "llm" or "offline".
	Engine string `json:"engine"`
	// Method says more precisely how: "lingua+rules", "chat", "gloss",
	// "textrank+position", "yake", ...
	Method     string        `json:"method,omitempty"`
	Model      string        `json:"model,omitempty"`
	Prompt     string        `json:"prompt,omitempty"` // name@version
	Usage      Usage         `json:"usage"`
	Attempts   int           `json:"attempts,omitempty"`
	Cached     bool          `json:"cached,omitempty"`
	Duration   time.Duration `json:"-"`
	DurationMS float64       `json:"duration_ms"`
	Notes      []string      `json:"notes,omitempty"`
}

// Translation is the English (or target-language) text of a document.
type Translation struct {
	Lang  string `json:"lang"`
	Title string `json:"title,omitempty"`
	// Paragraphs line up one for one with Cleaned.Paragraphs.
	Paragraphs []string `json:"paragraphs"`
	// Kind is "translation" for a real translation and "gloss" for the
	// offline word-by-word gloss, which is not a translation.
	Kind string `json:"kind"`
	// GlossaryMisses lists glossary entries whose source term appears in the
	// input but whose English form is missing from the output.
	GlossaryMisses []string `json:"glossary_misses,omitempty"`
	// Coverage is, for a gloss, the share of tokens found in the dictionary.
	Coverage float64 `json:"coverage,omitempty"`
}

// Summary is the briefing summary of a document.
type Summary struct {
	Lang    string   `json:"lang"`
	Text    string   `json:"text"`
	Bullets []string `json:"bullets,omitempty"`
	// Kind is "abstractive" (LLM) or "extractive" (offline).
	Kind string `json:"kind"`
	// Gloss is, for an extractive summary of a non-English text, its
	// word-by-word English gloss.
	Gloss string `json:"gloss,omitempty"`
}

// Keyword is a key phrase or a named entity.
type Keyword struct {
	// Text is the English form when there is one, else the original.
	Text     string  `json:"text"`
	Original string  `json:"original,omitempty"`
	Type     string  `json:"type,omitempty"` // person, organization, location, event, topic
	Score    float64 `json:"score,omitempty"`
	// Source is "page_tags", "llm" or "yake".
	Source string `json:"source,omitempty"`
}

// StepError records a step that failed; the other steps' output is kept.
type StepError struct {
	Step    string `json:"step"`
	Message string `json:"message"`
}

// Result is everything the pipeline produced for one document. Its JSON form
// is tarjama's output schema (schema/result.schema.json).
type Result struct {
	Schema      string       `json:"schema"`
	ID          string       `json:"id"`
	Source      string       `json:"source,omitempty"`
	URL         string       `json:"url,omitempty"`
	Published   string       `json:"published,omitempty"`
	Engine      string       `json:"engine"`
	Language    Detection    `json:"language"`
	Clean       Cleaned      `json:"clean"`
	Translation *Translation `json:"translation,omitempty"`
	Summary     *Summary     `json:"summary,omitempty"`
	Keywords    []Keyword    `json:"keywords"`
	Usage       Usage        `json:"usage"`
	Trace       []Trace      `json:"trace"`
	Errors      []StepError  `json:"errors,omitempty"`
}

// Failed reports whether any step failed.
func (r *Result) Failed() bool { return len(r.Errors) > 0 }

// TranslateRequest asks a Translator for one document's paragraphs.
type TranslateRequest struct {
	DocID      string
	SourceLang string
	TargetLang string // "en"
	Title      string
	Paragraphs []string
	Glossary   Glossary
}

// AnalyzeRequest asks an Analyzer for a summary and keywords.
type AnalyzeRequest struct {
	DocID string
	// Lang is the language of Paragraphs (the source language).
	Lang       string
	Title      string
	Paragraphs []string
	// English is the translation's paragraphs when there is one (nil for
	// English input or when translation was skipped).
	English     *Translation
	SummaryLang string // "en" by default
	// SummaryWords is the target length in words (0: engine default);
	// SummaryBullets asks for bullets instead (0: prose).
	SummaryWords   int
	SummaryBullets int
	// MaxKeywords bounds the keyword list (0: engine default).
	MaxKeywords int
	// PageTags are the page's own keyword tags from the cleaner.
	PageTags []string
}

// Analysis is an Analyzer's answer.
type Analysis struct {
	Summary  Summary
	Keywords []Keyword
}

// Detector identifies the language of a text. It runs locally.
type Detector interface {
	Detect(text string) Detection
}

// Cleaner splits a scraped article into title, dateline, body and
// boilerplate.
type Cleaner interface {
	Clean(doc Document) Cleaned
}

// Translator translates paragraphs, one output paragraph per input
// paragraph.
type Translator interface {
	Translate(ctx context.Context, req TranslateRequest) (*Translation, []Trace, error)
}

// Analyzer writes a summary and extracts keywords.
type Analyzer interface {
	Analyze(ctx context.Context, req AnalyzeRequest) (*Analysis, []Trace, error)
}
