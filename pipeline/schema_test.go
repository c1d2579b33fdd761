package pipeline

import (
	"encoding/json"
	"os"
	"sort"
	"strings"
	"testing"
)

// TestSchemaDescribesResult keeps result.schema.json and the Result type in
// step: every key a fully populated Result writes must be declared in the
// schema, and every required key must be written.
func TestSchemaDescribesResult(t *testing.T) {
	b, err := os.ReadFile("result.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var schema map[string]any
	if err := json.Unmarshal(b, &schema); err != nil {
		t.Fatalf("schema is not JSON: %v", err)
	}
	full := Result{
		Schema: SchemaVersion, ID: "x", Source: "f", URL: "u", Published: "p", Engine: "llm",
		Language: Detection{Lang: "ar", Confidence: 1, Script: "Arab", Shares: []LangShare{{"ar", 1}}, Method: "m"},
		Clean: Cleaned{Title: "t", Dateline: "d", Paragraphs: []string{"p"}, SourceLine: "s", Tags: []string{"t"},
			Dropped: []Dropped{{Kind: "tags", Text: "t"}}},
		Translation: &Translation{Lang: "en", Title: "t", Paragraphs: []string{"p"}, Kind: "gloss", GlossaryMisses: []string{"m"}, Coverage: 0.5},
		Summary:     &Summary{Lang: "en", Text: "s", Bullets: []string{"b"}, Kind: "extractive", Gloss: "g"},
		Keywords:    []Keyword{{Text: "k", Original: "o", Type: "person", Score: 1, Source: "yake"}},
		Usage:       Usage{1, 2, 3},
		Trace:       []Trace{{Step: "translate", Engine: "llm", Method: "chat", Model: "m", Prompt: "p", Usage: Usage{1, 1, 1}, Attempts: 1, Cached: true, DurationMS: 1, Notes: []string{"n"}}},
		Errors:      []StepError{{Step: "translate", Message: "m"}},
	}
	jb, _ := json.Marshal(full)
	var doc any
	json.Unmarshal(jb, &doc)
	var problems []string
	check(schema, schema, doc, "$", &problems)
	sort.Strings(problems)
	if len(problems) > 0 {
		t.Fatalf("schema and Result disagree:\n%s", strings.Join(problems, "\n"))
	}
}

func resolve(root, s map[string]any) map[string]any {
	if ref, ok := s["$ref"].(string); ok {
		name := strings.TrimPrefix(ref, "#/$defs/")
		return root["$defs"].(map[string]any)[name].(map[string]any)
	}
	return s
}

func check(root, s map[string]any, v any, path string, problems *[]string) {
	s = resolve(root, s)
	switch v := v.(type) {
	case map[string]any:
		props, _ := s["properties"].(map[string]any)
		for k, val := range v {
			ps, ok := props[k].(map[string]any)
			if !ok {
				*problems = append(*problems, path+"."+k+": written but not in the schema")
				continue
			}
			check(root, ps, val, path+"."+k, problems)
		}
		req, _ := s["required"].([]any)
		for _, r := range req {
			if _, ok := v[r.(string)]; !ok {
				*problems = append(*problems, path+"."+r.(string)+": required but not written")
			}
		}
	case []any:
		items, _ := s["items"].(map[string]any)
		for _, it := range v {
			check(root, items, it, path+"[]", problems)
		}
	}
}
