package cli

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tarjama/tarjama/eval"
	"github.com/tarjama/tarjama/pipeline"
	"github.com/tarjama/tarjama/pipeline/llm/llmtest"
)

const evalDataFile = "../../../testdata/eval/eval.jsonl"

// writeOutputs writes results for the first n dataset items, made from
// their references with each text cut to share of its words.
func writeOutputs(t *testing.T, path string, n int, share float64, skip string) []eval.Item {
	t.Helper()
	items, err := eval.LoadDataset(evalDataFile)
	if err != nil {
		t.Fatal(err)
	}
	items = items[:n]
	cut := func(s string) string {
		ws := strings.Fields(s)
		return strings.Join(ws[:int(float64(len(ws))*share)], " ")
	}
	var b strings.Builder
	for _, it := range items {
		if it.ID == skip {
			continue
		}
		r := pipeline.Result{Schema: pipeline.SchemaVersion, ID: it.ID, Engine: "llm", Keywords: []pipeline.Keyword{}}
		if it.ReferenceSummary != "" {
			r.Summary = &pipeline.Summary{Lang: "en", Text: cut(it.ReferenceSummary), Kind: "abstractive"}
		}
		if it.ReferenceTranslation != "" {
			var ps []string
			for _, p := range strings.Split(it.ReferenceTranslation, "\n\n") {
				ps = append(ps, cut(p))
			}
			r.Translation = &pipeline.Translation{Lang: "en", Paragraphs: ps, Kind: "translation"}
		}
		line, _ := json.Marshal(r)
		b.Write(line)
		b.WriteByte('\n')
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return items
}

func TestEvalGateExitCodes(t *testing.T) {
	dir := t.TempDir()
	good, bad := filepath.Join(dir, "good.jsonl"), filepath.Join(dir, "bad.jsonl")
	writeOutputs(t, good, 12, 0.9, "")
	writeOutputs(t, bad, 12, 0.4, "")
	data := filepath.Join(dir, "data.jsonl")
	all, _ := os.ReadFile(evalDataFile)
	lines := strings.SplitAfter(string(all), "\n")
	os.WriteFile(data, []byte(strings.Join(lines[:12], "")), 0o644)
	base := filepath.Join(dir, "base.json")

	stdout, stderr, code := evalCLI(t, "", "eval", "--data", data, "--outputs", good, "--save-baseline", base, "--bootstrap", "200")
	if code != 0 {
		t.Fatalf("baseline run: exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "rougeL") || !strings.Contains(stdout, "chrf") {
		t.Errorf("table:\n%s", stdout)
	}

	// The same outputs against their own baseline pass.
	_, stderr, code = evalCLI(t, "", "eval", "--data", data, "--outputs", good, "--baseline", base, "--max-drop", "rougeL=0", "--max-drop", "chrf=0", "--bootstrap", "200")
	if code != 0 {
		t.Errorf("identical run: exit %d: %s", code, stderr)
	}

	// Truncated outputs are a regression: exit 1, reports written, the
	// message names the metric.
	junit, md, js := filepath.Join(dir, "r.xml"), filepath.Join(dir, "r.md"), filepath.Join(dir, "r.json")
	stdout, stderr, code = evalCLI(t, "", "eval", "--data", data, "--outputs", bad, "--baseline", base,
		"--max-drop", "rougeL=0.02", "--max-drop", "chrf=1", "--fail-under", "bleu=1", "--bootstrap", "300",
		"--junit", junit, "--markdown", md, "--report-json", js)
	if code != ExitFailed {
		t.Fatalf("regression: exit %d, want 1: %s", code, stderr)
	}
	if !strings.Contains(stderr, "regression") || !strings.Contains(stderr, "rougeL dropped") || !strings.Contains(stdout, "gate: FAIL") {
		t.Errorf("stderr %q\nstdout %s", stderr, stdout)
	}
	x, _ := os.ReadFile(junit)
	var doc struct {
		Failures int `xml:"failures,attr"`
	}
	if err := xml.Unmarshal(x, &doc); err != nil || doc.Failures != 2 {
		t.Errorf("junit: %v, %d failures\n%s", err, doc.Failures, x)
	}
	if m, _ := os.ReadFile(md); !strings.Contains(string(m), "❌") {
		t.Errorf("markdown:\n%s", m)
	}
	rep, err := eval.LoadReport(js)
	if err != nil || rep.Gate == nil || rep.Gate.Passed {
		t.Errorf("json report: %v %+v", err, rep)
	}
}

func TestEvalDataErrors(t *testing.T) {
	dir := t.TempDir()
	outs := filepath.Join(dir, "out.jsonl")
	items := writeOutputs(t, outs, 3, 1, "")
	data := filepath.Join(dir, "data.jsonl")
	all, _ := os.ReadFile(evalDataFile)
	lines := strings.SplitAfter(string(all), "\n")
	os.WriteFile(data, []byte(strings.Join(lines[:3], "")), 0o644)
	broken := filepath.Join(dir, "broken.jsonl")
	os.WriteFile(broken, []byte(lines[0]+"{\"id\": 3\n"), 0o644)
	missing := filepath.Join(dir, "missing.jsonl")
	writeOutputs(t, missing, 3, 1, items[1].ID)

	tests := []struct {
		name string
		args []string
		want string
	}{
		{"malformed dataset line", []string{"--data", broken, "--outputs", outs}, broken + ":2: "},
		{"missing output", []string{"--data", data, "--outputs", missing}, items[1].ID},
		{"unknown gate metric", []string{"--data", data, "--outputs", outs, "--fail-under", "rouge9=1"}, "rouge9"},
		{"max-drop without baseline", []string{"--data", data, "--outputs", outs, "--max-drop", "bleu=1"}, "--baseline"},
		{"gate on a metric the data lacks", []string{"--data", data, "--outputs", outs, "--fail-under", "judge.fluency=3"}, "judge.fluency"},
		{"no data", []string{"--outputs", outs}, "--data"},
		{"bad baseline", []string{"--data", data, "--outputs", outs, "--baseline", data}, "baseline"},
		{"bad alpha", []string{"--data", data, "--outputs", outs, "--alpha", "2"}, "--alpha"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, code := evalCLI(t, "", append([]string{"eval", "--bootstrap", "10"}, tc.args...)...)
			if code != ExitUsage || !strings.Contains(stderr, tc.want) || strings.Count(stderr, "\n") != 1 {
				t.Errorf("exit %d, stderr %q; want 2 and one line containing %q", code, stderr, tc.want)
			}
		})
	}
}

// TestEvalOfflineEndToEnd runs the real offline pipeline over a few items.
func TestEvalOfflineEndToEnd(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data.jsonl")
	all, _ := os.ReadFile(evalDataFile)
	lines := strings.SplitAfter(string(all), "\n")
	// the seed and one BBC article
	os.WriteFile(data, []byte(lines[0]+lines[30]), 0o644)
	js := filepath.Join(dir, "r.json")
	_, stderr, code := evalCLI(t, "", "eval", "--engine", "offline", "--data", data, "--bootstrap", "50", "--report-json", js, "--dict", filepath.Join(dir, "no-dict"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	rep, err := eval.LoadReport(js)
	if err != nil {
		t.Fatal(err)
	}
	if rep.System.Engine != "offline" || rep.NItems != 2 {
		t.Errorf("system %+v, %d items", rep.System, rep.NItems)
	}
	if m := rep.Metric("rougeL"); m == nil || m.N != 2 {
		t.Errorf("rougeL = %+v", m)
	}
}

// TestEvalJudge runs the LLM judge through the fake OpenAI server, with
// its own cache under --cache DIR/judge.
func TestEvalJudge(t *testing.T) {
	srv := llmtest.NewServer(t)
	srv.Handler = func(r llmtest.ChatRequest) llmtest.Reply {
		return llmtest.JSON(map[string]any{"reason": "fine", "faithfulness": 4, "coverage": 2, "fluency": 5})
	}
	env := map[string]string{"OPENAI_BASE_URL": srv.URL, "OPENAI_API_KEY": "sk-test-0123456789", "TARJAMA_MODEL": "pipeline-model"}
	dir := t.TempDir()
	outs := filepath.Join(dir, "out.jsonl")
	items := writeOutputs(t, outs, 3, 0.8, "")
	data := filepath.Join(dir, "data.jsonl")
	all, _ := os.ReadFile(evalDataFile)
	os.WriteFile(data, []byte(strings.Join(strings.SplitAfter(string(all), "\n")[:3], "")), 0o644)
	withSummary := 0
	for _, it := range items {
		if it.ReferenceSummary != "" {
			withSummary++
		}
	}
	cache := filepath.Join(dir, "cache")
	js := filepath.Join(dir, "r.json")
	args := []string{"eval", "--data", data, "--outputs", outs, "--judge", "judge-model", "--judge-samples", "2",
		"--cache", cache, "--bootstrap", "20", "--report-json", js, "--fail-under", "judge.coverage=3"}
	_, stderr, code := evalCLIEnv(t, env, "", args...)
	if code != ExitFailed || !strings.Contains(stderr, "judge.coverage") {
		t.Fatalf("exit %d, stderr %q; want 1 naming judge.coverage", code, stderr)
	}
	reqs := srv.Requests()
	if len(reqs) != 2*withSummary || withSummary == 0 {
		t.Fatalf("%d judge requests for %d summaries x 2 samples", len(reqs), withSummary)
	}
	for _, r := range reqs {
		if r.Model != "judge-model" || !strings.Contains(r.System(), "faithfulness") {
			t.Errorf("request model %q, system %.60q", r.Model, r.System())
		}
	}
	rep, err := eval.LoadReport(js)
	if err != nil {
		t.Fatal(err)
	}
	if m := rep.Metric("judge.faithfulness"); m == nil || m.Value != 4 || rep.System.Judge != "judge-model" {
		t.Errorf("judge.faithfulness = %+v, system %+v", m, rep.System)
	}
	if _, err := os.Stat(filepath.Join(cache, "judge")); err != nil {
		t.Errorf("no judge cache: %v", err)
	}
	// Replay from the judge's cache: no new request.
	args[len(args)-1] = "judge.coverage=1"
	_, stderr, code = evalCLIEnv(t, env, "", append(args, "--cache-mode", "replay")...)
	if code != 0 || srv.Calls() != len(reqs) {
		t.Errorf("replay: exit %d (%s), %d calls, want %d", code, stderr, srv.Calls(), len(reqs))
	}
}
