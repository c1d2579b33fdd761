// Package llmbrief implements brief's Synthesizer and Embedder over an
// OpenAI-compatible API (pipeline/llm) with the prompts brief_section and
// brief_bluf.
//
// Entry points: Synthesizer (Section, BottomLine) and Embedder (Embed).
// The model answers JSON; its shape is checked here (ChatJSON repairs a
// malformed answer once), its citations by package brief, which asks for
// one repair quoting the problems and flags what is still wrong.
package llmbrief

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/tarjama/tarjama/pipeline"
	"github.com/tarjama/tarjama/pipeline/brief"
	"github.com/tarjama/tarjama/pipeline/llm"
	"github.com/tarjama/tarjama/prompts"
)

// Synthesizer writes sections and the bottom line with a chat model.
type Synthesizer struct {
	Client  *llm.Client
	Prompts *prompts.Set
	// Model overrides the client's model ("" keeps it).
	Model       string
	Temperature float64
	// MaxTokens bounds each answer (default 1200).
	MaxTokens int
}

var _ brief.Synthesizer = (*Synthesizer)(nil)

// Embedder computes embeddings through the client's /v1/embeddings.
type Embedder struct {
	Client *llm.Client
	// Model is the embeddings model ("" is the client's EmbedModel).
	Model string
}

var _ brief.Embedder = (*Embedder)(nil)

// Embed implements brief.Embedder.
func (e *Embedder) Embed(ctx context.Context, texts []string) ([][]float32, pipeline.Usage, error) {
	vs, u, err := e.Client.Embed(ctx, e.Model, texts)
	usage := pipeline.Usage{PromptTokens: u.PromptTokens, CompletionTokens: u.CompletionTokens, Calls: 1}
	if err != nil {
		return nil, usage, fmt.Errorf("embeddings: %w", err)
	}
	return vs, usage, nil
}

// article is one numbered article in the section prompt; Block is the
// fenced data.
type article struct {
	N     int
	Block string
}

type sectionData struct {
	Lang          string
	MaxStatements int
	Allowed       string
	Articles      []article
	Partials      []string
	Repair        string
}

type statementJSON struct {
	Text  string `json:"text"`
	Cites []int  `json:"cites"`
}

type sectionAnswer struct {
	Title         string          `json:"title"`
	Statements    []statementJSON `json:"statements"`
	Disagreements []struct {
		Subject string          `json:"subject"`
		Claims  []statementJSON `json:"claims"`
	} `json:"disagreements"`
}

var sectionSchema = llm.Schema{Name: "brief_section", Schema: json.RawMessage(`{
  "type": "object",
  "properties": {
    "title": {"type": "string"},
    "statements": {"type": "array", "items": {"$ref": "#/$defs/statement"}},
    "disagreements": {"type": "array", "items": {
      "type": "object",
      "properties": {
        "subject": {"type": "string"},
        "claims": {"type": "array", "items": {"$ref": "#/$defs/statement"}}
      },
      "required": ["subject", "claims"],
      "additionalProperties": false
    }}
  },
  "required": ["title", "statements", "disagreements"],
  "additionalProperties": false,
  "$defs": {"statement": {
    "type": "object",
    "properties": {
      "text": {"type": "string"},
      "cites": {"type": "array", "items": {"type": "integer"}}
    },
    "required": ["text", "cites"],
    "additionalProperties": false
  }}
}`)}

type blufAnswer struct {
	Bullets []statementJSON `json:"bullets"`
}

var blufSchema = llm.Schema{Name: "brief_bluf", Schema: json.RawMessage(`{
  "type": "object",
  "properties": {
    "bullets": {"type": "array", "items": {
      "type": "object",
      "properties": {
        "text": {"type": "string"},
        "cites": {"type": "array", "items": {"type": "integer"}}
      },
      "required": ["text", "cites"],
      "additionalProperties": false
    }}
  },
  "required": ["bullets"],
  "additionalProperties": false
}`)}

// errNoStatements is the shape check: an answer with no statement is
// repaired by ChatJSON.
var errNoStatements = errors.New(`the answer has no statements; write at least one, each with "text" and "cites"`)

// Section implements brief.Synthesizer.
func (s *Synthesizer) Section(ctx context.Context, req brief.SectionRequest) (*brief.SectionDraft, error) {
	data := sectionData{Lang: langName(req.Lang), MaxStatements: req.MaxStatements, Repair: req.Repair}
	for _, d := range req.Digests {
		data.Articles = append(data.Articles, article{N: d.N, Block: digestBlock(d)})
	}
	data.Allowed = ranges(req.Sources)
	for _, p := range req.Partials {
		data.Partials = append(data.Partials, p.Text+" "+citeList(p.Cites))
	}
	r, err := s.Prompts.Render("brief_section", data)
	if err != nil {
		return nil, err
	}
	var ans sectionAnswer
	resp, err := s.Client.ChatJSON(ctx, s.request(r), sectionSchema, &ans, func() error {
		if len(ans.Statements) == 0 {
			return errNoStatements
		}
		return nil
	})
	d := &brief.SectionDraft{Prompt: r.ID(), Usage: usage(resp)}
	if err != nil {
		return d, fmt.Errorf("section synthesis: %w", err)
	}
	d.Title = strings.TrimSpace(ans.Title)
	for _, st := range ans.Statements {
		d.Statements = append(d.Statements, brief.Statement{Text: strings.TrimSpace(st.Text), Lang: req.Lang, Cites: st.Cites})
	}
	for _, x := range ans.Disagreements {
		dis := brief.Disagreement{Subject: strings.TrimSpace(x.Subject)}
		for _, c := range x.Claims {
			dis.Claims = append(dis.Claims, brief.Claim{Text: strings.TrimSpace(c.Text), Lang: req.Lang, Cites: c.Cites})
		}
		d.Disagreements = append(d.Disagreements, dis)
	}
	return d, nil
}

// BottomLine implements brief.Synthesizer.
func (s *Synthesizer) BottomLine(ctx context.Context, req brief.BottomLineRequest) (*brief.BottomLineDraft, error) {
	var b strings.Builder
	for _, sec := range req.Sections {
		fmt.Fprintf(&b, "Section %d (%d articles): %s\n", sec.ID, sec.Articles, sec.Title)
		for _, st := range sec.Statements {
			fmt.Fprintf(&b, "- %s %s\n", st.Text, citeList(st.Cites))
		}
		b.WriteString("\n")
	}
	r, err := s.Prompts.Render("brief_bluf", map[string]any{
		"Lang": langName(req.Lang), "Max": req.Max, "Block": strings.TrimSpace(b.String()), "Repair": req.Repair,
	})
	if err != nil {
		return nil, err
	}
	var ans blufAnswer
	resp, err := s.Client.ChatJSON(ctx, s.request(r), blufSchema, &ans, func() error {
		if len(ans.Bullets) == 0 {
			return errNoStatements
		}
		return nil
	})
	d := &brief.BottomLineDraft{Prompt: r.ID(), Usage: usage(resp)}
	if err != nil {
		return d, fmt.Errorf("bottom line: %w", err)
	}
	for _, st := range ans.Bullets {
		d.Statements = append(d.Statements, brief.Statement{Text: strings.TrimSpace(st.Text), Lang: req.Lang, Cites: st.Cites})
	}
	return d, nil
}

func (s *Synthesizer) request(r prompts.Rendered) llm.Request {
	maxTok := s.MaxTokens
	if maxTok <= 0 {
		maxTok = 1200
	}
	return llm.Request{
		Model:       s.Model,
		Messages:    []llm.Message{{Role: "system", Content: r.System}, {Role: "user", Content: r.User}},
		Temperature: s.Temperature,
		MaxTokens:   maxTok,
		Prompt:      r.ID(),
	}
}

func usage(r *llm.Response) pipeline.Usage {
	if r == nil {
		return pipeline.Usage{Calls: 1}
	}
	return pipeline.Usage{PromptTokens: r.Usage.PromptTokens, CompletionTokens: r.Usage.CompletionTokens, Calls: max(1, r.Attempts)}
}

// digestBlock is one article's data for the prompt.
func digestBlock(d brief.Digest) string {
	var b strings.Builder
	b.WriteString("Title: " + d.Title + "\n")
	if d.Outlet != "" {
		b.WriteString("Outlet: " + d.Outlet + "\n")
	}
	if d.Published != "" {
		b.WriteString("Published: " + d.Published + "\n")
	}
	if d.Summary != "" {
		fmt.Fprintf(&b, "Summary (%s): %s\n", langName(d.Lang), d.Summary)
	}
	return strings.TrimSpace(b.String())
}

// ranges writes source numbers compactly: "[1], [2], [4] to [9]".
func ranges(ns []int) string { return brief.SourceList(ns, ", ", " to ") }

func citeList(cs []int) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = fmt.Sprint(c)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

func langName(l string) string {
	switch strings.ToLower(l) {
	case "", "en":
		return "English"
	case "ar":
		return "Arabic"
	case "fr":
		return "French"
	}
	return l
}
