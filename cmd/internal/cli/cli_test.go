package cli

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tarjama/tarjama/pipeline"
	"github.com/tarjama/tarjama/pipeline/detect"
	"github.com/tarjama/tarjama/pipeline/llm"
	"github.com/tarjama/tarjama/pipeline/llm/llmtest"
	"github.com/tarjama/tarjama/pipeline/llmengine/fakemodel"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

const seedPath = "../../../testdata/seed/qaani-kadhimi-2020-11-25.ar.txt"

var (
	detOnce sync.Once
	det     *detect.Detector
	detErr  error
)

// testApp is an App with buffers for its streams, the given environment,
// and the language detector shared across tests (it is costly to build).
type testApp struct {
	*App
	stdout, stderr *bytes.Buffer
}

func newTestApp(t *testing.T, env map[string]string, stdin string) *testApp {
	t.Helper()
	detOnce.Do(func() { det, detErr = detect.New(detect.Options{}) })
	if detErr != nil {
		t.Fatal(detErr)
	}
	out, errb := &bytes.Buffer{}, &bytes.Buffer{}
	a := &App{Stdin: strings.NewReader(stdin), Stdout: out, Stderr: errb, Getenv: func(k string) string { return env[k] }}
	a.engines = &engines{detector: det, clients: map[string]*llm.Client{}}
	return &testApp{App: a, stdout: out, stderr: errb}
}

func (ta *testApp) run(t *testing.T, args ...string) int {
	t.Helper()
	// No .env from the developer's working directory leaks into tests.
	envFile := filepath.Join(t.TempDir(), "test.env")
	os.WriteFile(envFile, nil, 0o644)
	args = append(args, "--env-file", envFile)
	return ta.Main(t.Context(), args)
}

// fakeEnv starts a fake OpenAI-compatible server with the fake model and
// returns the environment that points tarjama at it.
func fakeEnv(t *testing.T) (*llmtest.Server, map[string]string) {
	srv := llmtest.NewServer(t)
	srv.Handler = fakemodel.Handler
	return srv, map[string]string{"OPENAI_BASE_URL": srv.URL, "OPENAI_API_KEY": "sk-secret-key-0123456789", "TARJAMA_MODEL": "fake-model"}
}

var durationRE = regexp.MustCompile(`"duration_ms":[0-9.e-]+`)

// normalize removes what varies between runs: timings.
func normalize(b []byte) []byte { return durationRE.ReplaceAll(b, []byte(`"duration_ms":0`)) }

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("../../../testdata/golden", name)
	if *update {
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/internal/cli -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs from the golden file (-want +got; run with -update if the change is intended):\n%s", name, diff)
	}
}

func decodeResults(t *testing.T, b []byte) []pipeline.Result {
	t.Helper()
	var out []pipeline.Result
	dec := json.NewDecoder(bytes.NewReader(b))
	for dec.More() {
		var r pipeline.Result
		if err := dec.Decode(&r); err != nil {
			t.Fatalf("output is not JSON: %v\n%s", err, b)
		}
		out = append(out, r)
	}
	return out
}

func TestRunSeedWithLLM(t *testing.T) {
	srv, env := fakeEnv(t)
	ta := newTestApp(t, env, "")
	glossary := filepath.Join(t.TempDir(), "g.tsv")
	os.WriteFile(glossary, []byte("قآني\tEsmail Qaani\n"), 0o644)
	if code := ta.run(t, "run", seedPath, "--glossary", glossary); code != 0 {
		t.Fatalf("exit %d: %s", code, ta.stderr)
	}
	rs := decodeResults(t, ta.stdout.Bytes())
	if len(rs) != 1 {
		t.Fatalf("want one result, got %d", len(rs))
	}
	r := rs[0]
	if r.Engine != "llm" || r.Language.Lang != "ar" || r.Translation == nil || len(r.Translation.Paragraphs) != len(r.Clean.Paragraphs) || r.Summary == nil {
		t.Fatalf("result %+v", r)
	}
	if !strings.Contains(r.Translation.Paragraphs[0], "Esmail Qaani") {
		t.Errorf("glossary not applied: %q", r.Translation.Paragraphs[0])
	}
	if srv.Calls() != 2 || r.Usage.Calls != 2 {
		t.Errorf("want 2 API calls (translate, analyze), got %d (usage %d)", srv.Calls(), r.Usage.Calls)
	}
	if !strings.Contains(ta.stderr.String(), "engine: llm, model fake-model") {
		t.Errorf("stderr must say which engine runs: %q", ta.stderr)
	}
	if strings.Contains(ta.stderr.String()+ta.stdout.String(), "sk-secret-key-0123456789") {
		t.Fatal("the API key was printed")
	}
	golden(t, "run-seed-llm.json", normalize(ta.stdout.Bytes()))
}

func TestRunSeedOffline(t *testing.T) {
	ta := newTestApp(t, map[string]string{"TARJAMA_DICT": "../../../testdata/no-such-dictionary"}, "")
	if code := ta.run(t, "run", seedPath); code != 0 {
		t.Fatalf("exit %d: %s", code, ta.stderr)
	}
	r := decodeResults(t, ta.stdout.Bytes())[0]
	if r.Engine != "offline" || r.Summary == nil || r.Summary.Kind != "extractive" || len(r.Keywords) == 0 {
		t.Fatalf("offline result %+v", r)
	}
	if r.Translation != nil {
		t.Fatal("without a dictionary there must be no translation, not a pretend one")
	}
	msg := ta.stderr.String()
	if strings.Count(msg, "\n") != 1 || !strings.Contains(msg, "engine: offline") || !strings.Contains(msg, "OPENAI_API_KEY") {
		t.Errorf("want one line on stderr saying the engine and how to configure an LLM, got %q", msg)
	}
	golden(t, "run-seed-offline-nodict.json", normalize(ta.stdout.Bytes()))
}

func TestRunMarkdown(t *testing.T) {
	_, env := fakeEnv(t)
	ta := newTestApp(t, env, "")
	if code := ta.run(t, "run", seedPath, "--format", "md"); code != 0 {
		t.Fatalf("exit %d: %s", code, ta.stderr)
	}
	golden(t, "run-seed-llm.md", ta.stdout.Bytes())
}

func TestBadInputsAreReportedAndTheRestProcessed(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good.txt", []byte("Floods hit Basra\n\nHeavy rain flooded the city of Basra on Monday, officials said."))
	empty := write("empty.txt", nil)
	binary := write("binary.txt", []byte{0x7f, 'E', 'L', 'F', 0, 0, 1, 2, 3, 0, 0})
	badUTF8 := write("latin1.txt", []byte("caf\xe9 au lait is good."))
	jsonl := write("docs.jsonl", []byte(`{"id":"a","text":"The first good document here."}`+"\n"+`{"id":"b","text":`+"\n"+`{"id":"c","text":"The third document, also good."}`+"\n"))
	big := write("big.txt", bytes.Repeat([]byte("word "), 11<<20/5))
	sub := filepath.Join(dir, "emptydir")
	os.Mkdir(sub, 0o755)
	_, env := fakeEnv(t)
	ta := newTestApp(t, env, "")
	code := ta.run(t, "run", good, empty, binary, badUTF8, jsonl, big, sub, filepath.Join(dir, "missing.txt"))
	if code != ExitFailed {
		t.Fatalf("exit %d, want %d: %s", code, ExitFailed, ta.stderr)
	}
	var ids []string
	for _, r := range decodeResults(t, ta.stdout.Bytes()) {
		ids = append(ids, r.ID)
	}
	if diff := cmp.Diff([]string{"good", "a", "c"}, ids); diff != "" {
		t.Errorf("the good documents must all be processed (-want +got):\n%s", diff)
	}
	stderr := ta.stderr.String()
	for _, want := range []string{"empty.txt", "binary.txt", "latin1.txt", "docs.jsonl:2", "big.txt", "emptydir", "missing.txt", "documents failed"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr does not mention %q:\n%s", want, stderr)
		}
	}
	for _, line := range strings.Split(strings.TrimSpace(stderr), "\n") {
		if !strings.HasPrefix(line, "tarjama: ") {
			t.Errorf("every message is one line starting with tarjama: — got %q", line)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"bad flag", nil, []string{"run", "--nope", seedPath}, "unknown flag"},
		{"bad engine", nil, []string{"run", "--engine", "magic", seedPath}, "want auto, llm or offline"},
		{"llm without endpoint", nil, []string{"run", "--engine", "llm", seedPath}, "OPENAI_API_KEY"},
		{"replay without cache dir", nil, []string{"run", "--cache-mode", "replay", seedPath}, "needs --cache"},
		{"bad base url", map[string]string{"OPENAI_BASE_URL": "localhost:11434"}, []string{"run", seedPath}, "must start with http"},
		{"bad format", nil, []string{"run", "--format", "xml", seedPath}, "--format"},
		{"missing glossary", nil, []string{"run", "--glossary", "/nonexistent.tsv", seedPath}, "glossary"},
		{"bad timeout env", map[string]string{"TARJAMA_TIMEOUT": "soon"}, []string{"run", seedPath}, "TARJAMA_TIMEOUT"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ta := newTestApp(t, tc.env, "")
			if code := ta.run(t, tc.args...); code != ExitUsage {
				t.Fatalf("exit %d, want %d; stderr %q", code, ExitUsage, ta.stderr)
			}
			if !strings.Contains(ta.stderr.String(), tc.want) || strings.Count(strings.TrimSpace(ta.stderr.String()), "\n") > 1 {
				t.Errorf("want a short message containing %q, got %q", tc.want, ta.stderr)
			}
		})
	}
}

func TestStagesComposeInPipes(t *testing.T) {
	srv, env := fakeEnv(t)
	ta := newTestApp(t, env, "")
	if code := ta.run(t, "detect", seedPath); code != 0 {
		t.Fatalf("detect: exit %d %s", code, ta.stderr)
	}
	if srv.Calls() != 0 {
		t.Fatal("detect must not call the API")
	}
	ta2 := newTestApp(t, env, ta.stdout.String())
	if code := ta2.run(t, "translate"); code != 0 {
		t.Fatalf("translate: exit %d %s", code, ta2.stderr)
	}
	ta3 := newTestApp(t, env, ta2.stdout.String())
	if code := ta3.run(t, "summarize", "--format", "text"); code != 0 {
		t.Fatalf("summarize: exit %d %s", code, ta3.stderr)
	}
	if srv.Calls() != 2 {
		t.Fatalf("translate then summarize: want 2 calls, got %d", srv.Calls())
	}
	if !strings.HasPrefix(ta3.stdout.String(), "SUMMARY: ") {
		t.Errorf("text output: %q", ta3.stdout)
	}
	// The summarizer got the translation made by the previous stage.
	if !strings.Contains(srv.Requests()[1].LastUser(), "English translation of the article") {
		t.Error("the translation from the previous stage was not used")
	}
}

func TestCacheReplay(t *testing.T) {
	srv, env := fakeEnv(t)
	cache := t.TempDir()
	ta := newTestApp(t, env, "")
	if code := ta.run(t, "run", seedPath, "--cache", cache); code != 0 {
		t.Fatalf("exit %d %s", code, ta.stderr)
	}
	first := normalize(ta.stdout.Bytes())
	srv.Close()
	ta2 := newTestApp(t, env, "")
	if code := ta2.run(t, "run", seedPath, "--cache", cache, "--cache-mode", "replay"); code != 0 {
		t.Fatalf("replay: exit %d %s", code, ta2.stderr)
	}
	r1, r2 := decodeResults(t, first), decodeResults(t, normalize(ta2.stdout.Bytes()))
	if r1[0].Translation.Paragraphs[3] != r2[0].Translation.Paragraphs[3] || r2[0].Summary.Text != r1[0].Summary.Text {
		t.Fatal("replay must reproduce the first run")
	}
	for _, tr := range r2[0].Trace {
		if tr.Step == "translate" && !tr.Cached {
			t.Error("replayed steps must be marked cached")
		}
	}
	// A miss in replay mode fails clearly instead of calling anything.
	ta3 := newTestApp(t, env, "")
	code := ta3.run(t, "run", "--cache", cache, "--cache-mode", "replay", "--summary-words", "33", seedPath)
	if code != ExitFailed || !strings.Contains(ta3.stdout.String()+ta3.stderr.String(), "replay") {
		t.Fatalf("replay miss: exit %d, out %s err %s", code, ta3.stdout, ta3.stderr)
	}
}

func TestDoctor(t *testing.T) {
	srv, env := fakeEnv(t)
	srv.Models = []string{"fake-model"}
	ta := newTestApp(t, env, "")
	if code := ta.run(t, "doctor"); code != 0 {
		t.Fatalf("exit %d: %s%s", code, ta.stdout, ta.stderr)
	}
	out := ta.stdout.String()
	if strings.Contains(out, "sk-secret-key-0123456789") || !strings.Contains(out, "sk-…6789") {
		t.Fatalf("the key must be shown masked:\n%s", out)
	}
	if !strings.Contains(out, "ok   model (translate)") || !strings.Contains(out, "[env]") {
		t.Errorf("doctor output:\n%s", out)
	}
	env["TARJAMA_MODEL"] = "missing-model"
	ta2 := newTestApp(t, env, "")
	if code := ta2.run(t, "doctor"); code != ExitUsage {
		t.Fatalf("a missing model must fail doctor; exit %d", code)
	}
	if !strings.Contains(ta2.stdout.String(), "FAIL") || !strings.Contains(ta2.stdout.String(), "fake-model") {
		t.Errorf("doctor must say which models exist:\n%s", ta2.stdout)
	}
}

func TestCorruptDictionaryIsAConfigError(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "bad.index"), []byte("word\t!!notbase64\tA\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "bad.dict"), []byte("x"), 0o644)
	ta := newTestApp(t, nil, "")
	code := ta.run(t, "run", "--dict", filepath.Join(dir, "bad.index"), seedPath)
	if code != ExitUsage || !strings.Contains(ta.stderr.String(), "bad.index") {
		t.Fatalf("exit %d, stderr %q", code, ta.stderr)
	}
}

// TestOfflineEvalGate is the project's own regression gate: the offline
// engine on testdata/eval must not fall significantly below the committed
// baseline. After an intended change, refresh the baseline with -update.
func TestOfflineEvalGate(t *testing.T) {
	const baseline = "../../../testdata/eval/baseline-offline.json"
	env := map[string]string{"TARJAMA_DICT": "../../../testdata/no-such-dictionary"}
	ta := newTestApp(t, env, "")
	args := []string{"--engine", "offline", "eval", "--data", "../../../testdata/eval/eval.jsonl", "--seed", "1", "-q"}
	if *update {
		if code := ta.run(t, append(args, "--save-baseline", baseline)...); code != 0 {
			t.Fatalf("exit %d: %s", code, ta.stderr)
		}
		return
	}
	code := ta.run(t, append(args, "--baseline", baseline,
		"--max-drop", "rougeL=0.02", "--max-drop", "rouge2=0.02", "--max-drop", "keywords.f1=0.05",
		"--fail-under", "entity_support=0.9")...)
	if code != 0 {
		t.Fatalf("the offline engine regressed against %s (exit %d):\n%s\n%s", baseline, code, ta.stdout, ta.stderr)
	}
}
