package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/tarjama/tarjama/pipeline/brief"
	"github.com/tarjama/tarjama/pipeline/llm/llmtest"
)

const briefFixture = "../../../testdata/brief/articles.jsonl"

var (
	briefNumberLine = regexp.MustCompile(`(?m)^\[(\d+)\]$`)
	briefCiteMark   = regexp.MustCompile(`\[(\d+)`)
)

// briefModel answers the brief prompts: each statement cites the first
// source the prompt lists.
func briefModel(r llmtest.ChatRequest) llmtest.Reply {
	re := briefNumberLine
	key := "statements"
	if strings.Contains(r.System(), "bottom line up front") {
		re, key = briefCiteMark, "bullets"
	}
	var nums []int
	for _, m := range re.FindAllStringSubmatch(r.LastUser(), -1) {
		n, _ := strconv.Atoi(m[1])
		nums = append(nums, n)
	}
	sort.Ints(nums)
	if len(nums) == 0 {
		return llmtest.ServerError(500)
	}
	return llmtest.JSON(map[string]any{
		"title":         "A story",
		key:             []map[string]any{{"text": "Something happened.", "cites": nums[:1]}},
		"disagreements": []any{},
	})
}

// runBrief runs the command line with an empty .env file.
func runBrief(t *testing.T, ta *testApp, args ...string) int {
	t.Helper()
	env := filepath.Join(t.TempDir(), "empty.env")
	if err := os.WriteFile(env, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	return ta.Main(t.Context(), append(args, "--env-file", env))
}

func TestBriefFromResultsOffline(t *testing.T) {
	ta := newTestApp(t, nil, "")
	if code := runBrief(t, ta, "--engine", "offline", "brief", "--from", briefFixture, "--format", "json", "--title", "T"); code != ExitOK {
		t.Fatalf("exit %d: %s", code, ta.stderr)
	}
	var b brief.Briefing
	if err := json.Unmarshal(ta.stdout.Bytes(), &b); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, ta.stdout)
	}
	if b.Schema != brief.SchemaVersion || b.Title != "T" || b.Engine != "offline" || len(b.Sections) != 3 || len(b.Sources) != 7 {
		t.Errorf("briefing %s %q %s with %d sections and %d sources", b.Schema, b.Title, b.Engine, len(b.Sections), len(b.Sources))
	}
	if b.Generated != "" {
		t.Errorf("generated %q without --timestamp", b.Generated)
	}
	if !strings.Contains(ta.stderr.String(), "7 articles in 3 sections") {
		t.Errorf("stderr: %s", ta.stderr)
	}
}

func TestBriefFromResultsFakeServer(t *testing.T) {
	srv := llmtest.NewServer(t)
	srv.Handler = briefModel
	srv.EmbedDim = 1024
	env := map[string]string{"OPENAI_BASE_URL": srv.URL, "OPENAI_API_KEY": "sk-secret-key-0123456789", "TARJAMA_MODEL": "fake-model"}
	ta := newTestApp(t, env, "")
	out := filepath.Join(t.TempDir(), "brief.html")
	if code := runBrief(t, ta, "brief", "--from", briefFixture, "--format", "html", "-o", out, "--group-threshold", "0.25"); code != ExitOK {
		t.Fatalf("exit %d: %s", code, ta.stderr)
	}
	html, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if ta.stdout.Len() != 0 {
		t.Errorf("stdout has %d bytes with -o", ta.stdout.Len())
	}
	for _, want := range []string{`<html lang="en" dir="ltr">`, `dir="rtl" lang="ar"`, `href="#src-1"`, `id="src-7"`, "model-written syntheses, grouped by embeddings"} {
		if !strings.Contains(string(html), want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	if srv.EmbedCalls() != 1 || srv.Calls() != 4 {
		t.Errorf("%d embeddings and %d chat calls, want 1 and 3 sections + 1", srv.EmbedCalls(), srv.Calls())
	}
	if strings.Contains(ta.stderr.String(), "sk-secret") {
		t.Errorf("the API key leaked to stderr")
	}
}

func TestBriefUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"format", []string{"brief", "--from", briefFixture, "--format", "pdf"}, "want md, html or json"},
		{"from and files", []string{"brief", "--from", briefFixture, "a.txt"}, "do not also give articles"},
		{"bullets", []string{"brief", "--from", briefFixture, "--bullets", "9"}, "--bullets"},
		{"embeddings offline", []string{"--engine", "offline", "brief", "--from", briefFixture, "--grouping", "embeddings"}, "needs an LLM endpoint"},
		{"missing from", []string{"brief", "--from", "no/such.jsonl"}, "--from"},
		{"bad results", []string{"brief", "--from", "brief_test.go"}, "line 1 is not a tarjama result"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ta := newTestApp(t, nil, "")
			if code := runBrief(t, ta, tc.args...); code != ExitUsage {
				t.Errorf("exit %d, want %d; stderr: %s", code, ExitUsage, ta.stderr)
			}
			if !strings.Contains(ta.stderr.String(), tc.want) {
				t.Errorf("stderr %q lacks %q", ta.stderr, tc.want)
			}
		})
	}
}

func TestBriefRunsThePipeline(t *testing.T) {
	ta := newTestApp(t, nil, "")
	if code := runBrief(t, ta, "--engine", "offline", "brief", seedPath); code != ExitOK {
		t.Fatalf("exit %d: %s", code, ta.stderr)
	}
	md := ta.stdout.String()
	for _, want := range []string{"# Briefing", "## Bottom line", "## 1. ", "## Sources", "1. **"} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
}
