package llm_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tarjama/tarjama/pipeline/llm"
	"github.com/tarjama/tarjama/pipeline/llm/llmtest"
)

type summary struct {
	Title   string   `json:"title"`
	Bullets []string `json:"bullets"`
}

var summarySchema = llm.Schema{Name: "summary", Schema: json.RawMessage(`{
	"type": "object",
	"properties": {
		"title": {"type": "string"},
		"bullets": {"type": "array", "items": {"type": "string"}}
	}
}`)}

func validSummary(s *summary) func() error {
	return func() error {
		if s.Title == "" {
			return errors.New("title is empty")
		}
		if len(s.Bullets) == 0 {
			return errors.New("bullets is empty")
		}
		return nil
	}
}

func TestChatJSONStrictSchemaSent(t *testing.T) {
	srv := llmtest.NewServer(t)
	srv.Handler = func(llmtest.ChatRequest) llmtest.Reply {
		return llmtest.JSON(summary{"T", []string{"a"}})
	}
	c, _ := newClient(t, srv)
	var s summary
	r, err := c.ChatJSON(t.Context(), userReq("x"), summarySchema, &s, validSummary(&s))
	if err != nil {
		t.Fatal(err)
	}
	if r.Format != "json_schema" || s.Title != "T" || srv.Calls() != 1 {
		t.Fatalf("r %+v s %+v calls %d", r, s, srv.Calls())
	}
	rf := srv.Requests()[0].ResponseFormat
	if rf == nil || rf.Type != "json_schema" || rf.JSONSchema == nil || !rf.JSONSchema.Strict || rf.JSONSchema.Name != "summary" {
		t.Fatalf("response_format %+v", rf)
	}
	var sch map[string]any
	json.Unmarshal(rf.JSONSchema.Schema, &sch)
	if diff := cmp.Diff([]any{"bullets", "title"}, sch["required"]); diff != "" || sch["additionalProperties"] != false {
		t.Errorf("schema not strict: %s (%s)", rf.JSONSchema.Schema, diff)
	}
	// The prompt is sent as given when the server enforces the schema.
	if got := srv.Requests()[0].Messages; len(got) != 2 || got[0].Content != "You translate." {
		t.Errorf("messages changed: %+v", got)
	}
}

func TestChatJSONFallbackChain(t *testing.T) {
	srv := llmtest.NewServer(t)
	srv.RejectFormats = map[string]bool{"json_schema": true}
	srv.Handler = func(r llmtest.ChatRequest) llmtest.Reply {
		if r.Format() == "json_object" {
			return llmtest.Text("I am a chatty model and I ignore response formats.")
		}
		return llmtest.Fenced(summary{"غزة", []string{"one", "two"}})
	}
	c, _ := newClient(t, srv)
	var s summary
	r, err := c.ChatJSON(t.Context(), userReq("x"), summarySchema, &s, validSummary(&s))
	if err != nil {
		t.Fatal(err)
	}
	var formats []string
	for _, q := range srv.Requests() {
		formats = append(formats, q.Format())
	}
	if diff := cmp.Diff([]string{"json_schema", "json_object", ""}, formats); diff != "" {
		t.Errorf("formats tried (-want +got):\n%s", diff)
	}
	if r.Format != "text" || s.Title != "غزة" || len(s.Bullets) != 2 || r.Attempts != 3 {
		t.Errorf("r %+v s %+v", r, s)
	}
	// Without enforcement the schema is in the system prompt.
	last := srv.Requests()[2]
	if !strings.HasPrefix(last.System(), "You translate.\n\nAnswer with a single JSON object only") || !strings.Contains(last.System(), `"bullets"`) {
		t.Errorf("system prompt: %q", last.System())
	}
	if !strings.Contains(srv.Requests()[1].System(), "JSON") {
		t.Error("json_object request must mention JSON")
	}
	// The client remembers: the next call goes straight to text.
	if _, err := c.ChatJSON(t.Context(), userReq("y"), summarySchema, &s, validSummary(&s)); err != nil {
		t.Fatal(err)
	}
	if srv.Calls() != 4 || srv.Requests()[3].Format() != "" || c.Format() != "text" {
		t.Errorf("second call: %d calls, format %q", srv.Calls(), srv.Requests()[3].Format())
	}
}

func TestChatJSONRejectedWith500(t *testing.T) {
	// llama-server answers an unknown response_format with 500.
	srv := llmtest.NewServer(t)
	srv.Enqueue(llmtest.Error(500, "server_error", "", "Unsupported response_format type: json_schema"),
		llmtest.Error(500, "server_error", "", "Unsupported response_format type: json_schema"))
	srv.Handler = func(llmtest.ChatRequest) llmtest.Reply { return llmtest.JSON(summary{"T", []string{"b"}}) }
	c, _ := newClient(t, srv)
	var s summary
	r, err := c.ChatJSON(t.Context(), userReq("x"), summarySchema, &s, validSummary(&s))
	if err != nil || r.Format != "json_object" || srv.Calls() != 3 {
		t.Fatalf("r %+v err %v calls %d", r, err, srv.Calls())
	}
}

func TestChatJSONRepair(t *testing.T) {
	srv := llmtest.NewServer(t)
	bad, good := llmtest.JSON(summary{Title: "T"}), llmtest.JSON(summary{"T", []string{"fixed"}})
	bad.PromptTokens, bad.CompletionTokens = 100, 10
	good.PromptTokens, good.CompletionTokens = 130, 12
	srv.Enqueue(bad, good)
	c, _ := newClient(t, srv)
	var s summary
	r, err := c.ChatJSON(t.Context(), userReq("x"), summarySchema, &s, validSummary(&s))
	if err != nil {
		t.Fatal(err)
	}
	if srv.Calls() != 2 || s.Bullets[0] != "fixed" || r.Attempts != 2 || r.Usage != (llm.Usage{PromptTokens: 230, CompletionTokens: 22}) {
		t.Errorf("r %+v s %+v", r, s)
	}
	rep := srv.Requests()[1].Messages
	if len(rep) != 4 || rep[2].Role != "assistant" || rep[2].Content != `{"title":"T","bullets":null}` {
		t.Fatalf("repair messages %+v", rep)
	}
	if want := llm.RepairPrompt(errors.New("bullets is empty")); rep[3].Role != "user" || rep[3].Content != want {
		t.Errorf("repair prompt %q, want %q", rep[3].Content, want)
	}
}

func TestChatJSONRepairOnlyOnce(t *testing.T) {
	srv := llmtest.NewServer(t)
	srv.Handler = func(llmtest.ChatRequest) llmtest.Reply { return llmtest.JSON(map[string]any{"title": 5}) }
	c, _ := newClient(t, srv)
	var s summary
	_, err := c.ChatJSON(t.Context(), userReq("x"), summarySchema, &s, validSummary(&s))
	if !errors.Is(err, llm.ErrInvalidAnswer) || !strings.Contains(err.Error(), "does not match the schema") {
		t.Fatalf("err = %v", err)
	}
	if srv.Calls() != 2 {
		t.Errorf("calls %d, want 2 (one repair)", srv.Calls())
	}
}

func TestChatJSONErrors(t *testing.T) {
	srv := llmtest.NewServer(t)
	srv.Enqueue(llmtest.ContextLengthExceeded())
	c, _ := newClient(t, srv)
	var s summary
	if _, err := c.ChatJSON(t.Context(), userReq("x"), summarySchema, &s, nil); !errors.Is(err, llm.ErrContextLength) || srv.Calls() != 1 {
		t.Errorf("err = %v, calls %d", err, srv.Calls())
	}
	if _, err := c.ChatJSON(t.Context(), userReq("x"), summarySchema, s, nil); err == nil {
		t.Error("non-pointer accepted")
	}
	if _, err := c.ChatJSON(t.Context(), userReq("x"), llm.Schema{Name: "bad", Schema: json.RawMessage(`{`)}, &s, nil); err == nil {
		t.Error("bad schema accepted")
	}
}

func TestExtractJSON(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{`{"a":1}`, `{"a":1}`, true},
		{"  {\"a\": [1, 2]}\n", `{"a": [1, 2]}`, true},
		{"```json\n{\"a\":1}\n```", `{"a":1}`, true},
		{"```\n{\"a\":1}\n```", `{"a":1}`, true},
		{"Here:\n```JSON\n{\"a\":\"x } y\"}\n``` done", `{"a":"x } y"}`, true},
		{"```python\nprint(1)\n```\nthen ```json\n{\"b\":2}\n```", `{"b":2}`, true},
		{`The answer is {"a": {"b": "}"}} as requested.`, `{"a": {"b": "}"}}`, true},
		{`I think {not json} but {"ok": true}`, `{"ok": true}`, true},
		{`{"a": "unterminated`, "", false},
		{"no json here", "", false},
		{`[1,2,3]`, "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := llm.ExtractJSON(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ExtractJSON(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func FuzzExtractJSON(f *testing.F) {
	for _, s := range []string{`{"a":1}`, "```json\n{\"a\":1}\n```", `x {"a": "}"} y`, `{{{`, "```", `{"a":"\"}"}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := llm.ExtractJSON(s)
		if !ok {
			if got != "" {
				t.Fatalf("not ok but returned %q", got)
			}
			return
		}
		if !strings.Contains(s, got) {
			t.Fatalf("%q is not part of the input", got)
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(got), &m); err != nil {
			t.Fatalf("%q is not an object: %v", got, err)
		}
		// Idempotent: the extracted object extracts to itself.
		if again, ok := llm.ExtractJSON(got); !ok || again != strings.TrimSpace(got) {
			t.Fatalf("not idempotent: %q → %q", got, again)
		}
	})
}

func TestStrictSchema(t *testing.T) {
	in := `{"type":"object","properties":{"b":{"type":"object","properties":{"z":{"type":"string"},"y":{"type":["string","null"]}}},"a":{"type":"array","items":{"type":"object","properties":{"k":{"type":"string"}}}}},"required":["a"]}`
	out, err := llm.StrictSchema(json.RawMessage(in))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"additionalProperties":false,"properties":{"a":{"items":{"additionalProperties":false,"properties":{"k":{"type":"string"}},"required":["k"],"type":"object"},"type":"array"},"b":{"additionalProperties":false,"properties":{"y":{"type":["string","null"]},"z":{"type":"string"}},"required":["y","z"],"type":"object"}},"required":["a","b"],"type":"object"}`
	if diff := cmp.Diff(want, string(out)); diff != "" {
		t.Error(diff)
	}
}

func BenchmarkExtractJSONGarbage(b *testing.B) {
	s := strings.Repeat("{", 50000) + strings.Repeat("x", 1000)
	for b.Loop() {
		if _, ok := llm.ExtractJSON(s); ok {
			b.Fatal("found an object in garbage")
		}
	}
}
