// Package llmjudge is the LLM-as-judge for tarjama eval: it renders
// prompts/judge.tmpl and asks a chat model, through the project's LLM
// client with structured output, for faithfulness, coverage and fluency
// scores (1–5). Entry point: New, whose *Judge implements eval.JudgeModel.
package llmjudge

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/tarjama/tarjama/eval"
	"github.com/tarjama/tarjama/pipeline/llm"
	"github.com/tarjama/tarjama/prompts"
)

// Chatter is the part of *llm.Client the judge uses.
type Chatter interface {
	ChatJSON(ctx context.Context, req llm.Request, schema llm.Schema, out any, validate func() error) (*llm.Response, error)
}

var _ Chatter = (*llm.Client)(nil)

// Renderer renders a named prompt template (*prompts.Set).
type Renderer interface {
	Render(name string, data any) (prompts.Rendered, error)
}

var _ Renderer = (*prompts.Set)(nil)

// Config configures a Judge.
type Config struct {
	// Model overrides the client's model ("" = the client's).
	Model string
	// Temperature of every sample. With several samples per item use a
	// temperature above 0 (the CLI sends 0.7), or the samples agree.
	Temperature float64
	// Prompt is the template name; "judge" when empty.
	Prompt string
}

// Judge rates summaries with an LLM.
type Judge struct {
	chat   Chatter
	render Renderer
	cfg    Config
}

var _ eval.JudgeModel = (*Judge)(nil)

// New returns a judge that talks through chat and renders with r.
func New(chat Chatter, r Renderer, cfg Config) *Judge {
	if cfg.Prompt == "" {
		cfg.Prompt = "judge"
	}
	return &Judge{chat: chat, render: r, cfg: cfg}
}

// schema is the judge's structured answer.
var schema = llm.Schema{Name: "judge_scores", Schema: json.RawMessage(`{
  "type": "object",
  "properties": {
    "reason": {"type": "string"},
    "faithfulness": {"type": "integer", "minimum": 1, "maximum": 5},
    "coverage": {"type": "integer", "minimum": 1, "maximum": 5},
    "fluency": {"type": "integer", "minimum": 1, "maximum": 5}
  },
  "required": ["reason", "faithfulness", "coverage", "fluency"],
  "additionalProperties": false
}`)}

type answer struct {
	Reason       string  `json:"reason"`
	Faithfulness float64 `json:"faithfulness"`
	Coverage     float64 `json:"coverage"`
	Fluency      float64 `json:"fluency"`
}

// Judge rates one summary. Each sample is a distinct request (its seed is
// the sample number), so a response cache keeps N answers per item.
func (j *Judge) Judge(ctx context.Context, in eval.JudgeInput) (eval.JudgeScore, error) {
	r, err := j.render.Render(j.cfg.Prompt, in)
	if err != nil {
		return eval.JudgeScore{}, fmt.Errorf("judge prompt: %w", err)
	}
	seed := in.Sample
	req := llm.Request{
		Model:       j.cfg.Model,
		Messages:    []llm.Message{{Role: "system", Content: r.System}, {Role: "user", Content: r.User}},
		Temperature: j.cfg.Temperature,
		Seed:        &seed,
		Prompt:      r.ID(),
	}
	var a answer
	validate := func() error {
		return eval.JudgeScore{Faithfulness: a.Faithfulness, Coverage: a.Coverage, Fluency: a.Fluency}.Validate()
	}
	if _, err := j.chat.ChatJSON(ctx, req, schema, &a, validate); err != nil {
		return eval.JudgeScore{}, fmt.Errorf("judge %s: %w", in.ID, err)
	}
	return eval.JudgeScore{Faithfulness: a.Faithfulness, Coverage: a.Coverage, Fluency: a.Fluency}, nil
}
