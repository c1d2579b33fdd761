package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/tarjama/tarjama/eval"
	"github.com/tarjama/tarjama/eval/metrics"
)

// evalCLI runs tarjama with args and an empty environment (the package
// directory has no .env file).
func evalCLI(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	return evalCLIEnv(t, nil, stdin, args...)
}

// evalCLIEnv runs tarjama with args and the environment env.
func evalCLIEnv(t *testing.T, env map[string]string, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	a := &App{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return env[k] }}
	code = a.Main(context.Background(), args)
	return out.String(), errb.String(), code
}

const scorePairsFile = "../../../testdata/eval/score_pairs.jsonl"

func TestScoreJSONLSchema(t *testing.T) {
	stdout, stderr, code := evalCLI(t, "", "score", "--pairs", scorePairsFile, "--format", "jsonl")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	f, err := os.Open(scorePairsFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pairs, err := eval.ReadPairs(context.Background(), f, scorePairsFile)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	if len(lines) != len(pairs) {
		t.Fatalf("%d lines for %d pairs", len(lines), len(pairs))
	}
	wantKeys := "bleu,chrf,chrf++,id,rouge1,rouge2,rougeL,rougeLsum,ter"
	for i, line := range lines {
		var raw map[string]json.RawMessage
		if err := json.Unmarshal([]byte(line), &raw); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		var keys []string
		for k := range raw {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		if strings.Join(keys, ",") != wantKeys {
			t.Errorf("line %d keys %v, want %s", i+1, keys, wantKeys)
		}
		var got struct {
			ID                string
			Rouge1, RougeL    map[string]float64
			BLEU, ChrF, TER   float64
			ChrFpp            float64 `json:"chrf++"`
			RougeLsumUnparsed json.RawMessage
		}
		if err := json.Unmarshal([]byte(line), &got); err != nil {
			t.Fatal(err)
		}
		p := pairs[i]
		if got.ID != p.ID {
			t.Errorf("line %d: id %q, want %q (input order)", i+1, got.ID, p.ID)
		}
		lang := p.Lang
		if lang == "" {
			lang = eval.ScriptLang(p.Hyp + "\n" + strings.Join(p.Refs, "\n"))
		}
		r := metrics.ScoreRougeMulti(p.Hyp, p.Refs, metrics.RougeOptions{Lang: lang})
		if len(p.Refs) == 1 {
			r = metrics.ScoreRouge(p.Hyp, p.Refs[0], metrics.RougeOptions{Lang: lang})
		}
		checks := []struct {
			name      string
			got, want float64
		}{
			{"rouge1.precision", got.Rouge1["precision"], r.R1.Precision},
			{"rouge1.recall", got.Rouge1["recall"], r.R1.Recall},
			{"rougeL.f1", got.RougeL["f1"], r.RL.F1},
			{"bleu", got.BLEU, metrics.SentenceBLEU(p.Hyp, p.Refs, metrics.BLEUOptions{Tokenize: "13a", EffectiveOrder: true}).Score},
			{"chrf", got.ChrF, metrics.SentenceChrF(p.Hyp, p.Refs, metrics.ChrFOptions{})},
			{"chrf++", got.ChrFpp, metrics.SentenceChrF(p.Hyp, p.Refs, metrics.ChrFOptions{WordOrder: 2})},
			{"ter", got.TER, metrics.SentenceTER(p.Hyp, p.Refs)},
		}
		for _, c := range checks {
			if c.got != c.want {
				t.Errorf("%s %s = %v, want %v", p.ID, c.name, c.got, c.want)
			}
		}
	}
	if !strings.Contains(stderr, "corpus") {
		t.Errorf("no corpus line on stderr: %q", stderr)
	}
}

func TestScoreFormatsAndSubsets(t *testing.T) {
	stdout, stderr, code := evalCLI(t, "", "score", "--pairs", scorePairsFile, "--metrics", "rougeL,bleu", "--format", "jsonl", "-q")
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d: %q", code, stderr)
	}
	first := strings.SplitN(stdout, "\n", 2)[0]
	if !strings.Contains(first, `"rougeL"`) || !strings.Contains(first, `"bleu"`) || strings.Contains(first, `"chrf"`) || strings.Contains(first, `"rouge1"`) {
		t.Errorf("subset line %s", first)
	}
	stdout, _, code = evalCLI(t, "", "score", "--pairs", scorePairsFile, "--format", "json")
	var res eval.ScoreResult
	if code != 0 || json.Unmarshal([]byte(stdout), &res) != nil || res.Corpus.N != 6 || res.Corpus.BLEU == nil {
		t.Errorf("json format: exit %d %s", code, stdout)
	}
	stdout, _, code = evalCLI(t, "", "score", "--pairs", scorePairsFile)
	if code != 0 || !strings.Contains(stdout, "corpus (6 pairs)") || !strings.Contains(stdout, "multi-ref") {
		t.Errorf("table format: exit %d\n%s", code, stdout)
	}
	in, _ := os.ReadFile(scorePairsFile)
	stdout, _, code = evalCLI(t, string(in), "score", "--pairs", "-", "--format", "jsonl")
	if code != 0 || strings.Count(stdout, "\n") != 6 {
		t.Errorf("stdin: exit %d\n%s", code, stdout)
	}
}

func TestScoreErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.jsonl")
	os.WriteFile(bad, []byte(`{"id":"a","hyp":"x","ref":"y"}`+"\n"+`{"id":"b","hyp":"x"}`+"\n"), 0o644)
	trunc := filepath.Join(dir, "trunc.jsonl")
	os.WriteFile(trunc, []byte(`{"id":"a","hyp":"x","ref":"y"}`+"\n\n"+`{"id":"b","hyp":"x","re`), 0o644)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"missing ref", []string{"--pairs", bad}, bad + ":2: "},
		{"truncated JSON", []string{"--pairs", trunc}, trunc + ":3: "},
		{"no file", []string{"--pairs", filepath.Join(dir, "nope.jsonl")}, "nope.jsonl"},
		{"no --pairs", nil, "--pairs FILE is required"},
		{"bad metric", []string{"--pairs", scorePairsFile, "--metrics", "rouge9"}, "rouge9"},
		{"bad tokenizer", []string{"--pairs", scorePairsFile, "--tokenize", "zh"}, "zh"},
		{"bad format", []string{"--pairs", scorePairsFile, "--format", "csv"}, "csv"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			stdout, stderr, code := evalCLI(t, "", append([]string{"score"}, tc.args...)...)
			if code != ExitUsage {
				t.Errorf("exit %d, want %d", code, ExitUsage)
			}
			if !strings.Contains(stderr, tc.want) || strings.Count(stderr, "\n") != 1 {
				t.Errorf("stderr %q: want one line containing %q", stderr, tc.want)
			}
			if stdout != "" {
				t.Errorf("stdout %q", stdout)
			}
		})
	}
}
