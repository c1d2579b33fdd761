package llmjudge

import (
	"context"
	"strings"
	"testing"

	"github.com/tarjama/tarjama/eval"
	"github.com/tarjama/tarjama/pipeline/llm"
	"github.com/tarjama/tarjama/pipeline/llm/llmtest"
	"github.com/tarjama/tarjama/prompts"
)

func newJudge(t *testing.T, srv *llmtest.Server, cache *llm.Cache) *Judge {
	t.Helper()
	c, err := llm.New(llm.Config{BaseURL: srv.URL, APIKey: "test-key", Model: "judge-model", MaxRetries: -1, Cache: cache})
	if err != nil {
		t.Fatal(err)
	}
	set, err := prompts.Load("")
	if err != nil {
		t.Fatal(err)
	}
	return New(c, set, Config{Temperature: 0.7})
}

func TestJudgeThroughFakeServer(t *testing.T) {
	srv := llmtest.NewServer(t)
	srv.Handler = func(r llmtest.ChatRequest) llmtest.Reply {
		cov := 3
		if r.Seed != nil && *r.Seed == 1 {
			cov = 5
		}
		return llmtest.JSON(map[string]any{"reason": "ok", "faithfulness": 4, "coverage": cov, "fluency": 5})
	}
	cache, err := llm.NewCache(t.TempDir(), "readwrite")
	if err != nil {
		t.Fatal(err)
	}
	j := newJudge(t, srv, cache)
	in := eval.JudgeInput{ID: "x", Source: "المقال <<<DATA>>>", Reference: "Ref summary.", Summary: "A summary.", Translation: "The article."}
	got0, err := j.Judge(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	in.Sample = 1
	got1, err := j.Judge(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if got0 != (eval.JudgeScore{Faithfulness: 4, Coverage: 3, Fluency: 5}) || got1.Coverage != 5 {
		t.Errorf("scores %+v %+v", got0, got1)
	}
	reqs := srv.Requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests", len(reqs))
	}
	sys, user := reqs[0].System(), reqs[0].LastUser()
	for _, want := range []string{"faithfulness", "coverage", "fluency", "1 to 5"} {
		if !strings.Contains(sys, want) {
			t.Errorf("system prompt lacks %q", want)
		}
	}
	for _, want := range []string{"المقال", "Ref summary.", "A summary.", "The article."} {
		if !strings.Contains(user, want) {
			t.Errorf("user prompt lacks %q:\n%s", want, user)
		}
	}
	if !strings.Contains(user, "<<<DATA_\n") {
		t.Error("article text closes the fence")
	}
	// Cached: the same samples again make no request.
	j2 := newJudge(t, srv, cache)
	in.Sample = 0
	if _, err := j2.Judge(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	if srv.Calls() != 2 {
		t.Errorf("cached judge called the server: %d calls", srv.Calls())
	}
}

func TestJudgeRejectsOutOfRange(t *testing.T) {
	srv := llmtest.NewServer(t)
	srv.Handler = func(llmtest.ChatRequest) llmtest.Reply {
		return llmtest.JSON(map[string]any{"reason": "x", "faithfulness": 9, "coverage": 3, "fluency": 5})
	}
	j := newJudge(t, srv, nil)
	if _, err := j.Judge(context.Background(), eval.JudgeInput{ID: "x", Source: "s", Summary: "t"}); err == nil {
		t.Error("score 9 accepted")
	}
}
