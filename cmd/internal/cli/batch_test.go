package cli

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tarjama/tarjama/pipeline"
)

const batchInput = "../../../testdata/batch/news.jsonl"

// readRecords reads a JSON Lines output, failing on a duplicate id or a
// half line.
func readRecords(t *testing.T, path string) map[string]pipeline.Result {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]pipeline.Result{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var r pipeline.Result
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("bad line in %s: %v", path, err)
		}
		if _, dup := out[r.ID]; dup {
			t.Fatalf("%s twice in %s", r.ID, path)
		}
		out[r.ID] = r
	}
	return out
}

func batchIDs(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile(batchInput)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, l := range strings.Split(string(b), "\n") {
		var d struct{ ID string }
		if json.Unmarshal([]byte(l), &d) == nil && d.ID != "" {
			ids = append(ids, d.ID)
		}
	}
	return ids
}

func TestBatchCommand(t *testing.T) {
	srv, env := fakeEnv(t)
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	os.MkdirAll(in, 0o755)
	b, _ := os.ReadFile(batchInput)
	os.WriteFile(filepath.Join(in, "news.jsonl"), b, 0o644)
	os.WriteFile(filepath.Join(in, "empty.txt"), nil, 0o644)
	os.Symlink(filepath.Join(dir, "gone"), filepath.Join(in, "unreadable.txt")) // cannot be opened
	out := filepath.Join(dir, "res.jsonl")
	ids := batchIDs(t)

	ta := newTestApp(t, env, "")
	code := ta.run(t, "batch", "--in", in, "--out", out, "-j", "4")
	// The input has a malformed line, an empty file and an unreadable one:
	// reported, skipped, exit code 1; every good document has its record.
	if code != ExitFailed {
		t.Fatalf("exit %d, want 1; stderr:\n%s", code, ta.stderr)
	}
	errs := ta.stderr.String()
	for _, want := range []string{"news.jsonl:4: malformed JSON", "empty.txt: empty document", "unreadable.txt: cannot read", `"event":"summary"`, "3 of "} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	got := readRecords(t, out)
	if len(got) != len(ids) {
		t.Errorf("%d records, want %d", len(got), len(ids))
	}
	for _, id := range ids {
		r, ok := got[id]
		if !ok {
			t.Errorf("%s missing", id)
		} else if len(r.Errors) > 0 || r.Translation == nil || r.Summary == nil {
			t.Errorf("%s: errors %v", id, r.Errors)
		}
	}
	var sum struct {
		OK       int64 `json:"ok"`
		BadInput int64 `json:"bad_input"`
		Calls    int64 `json:"calls"`
	}
	for _, l := range strings.Split(errs, "\n") {
		if strings.Contains(l, `"event":"summary"`) {
			json.Unmarshal([]byte(l), &sum)
		}
	}
	if sum.OK != int64(len(ids)) || sum.BadInput != 3 || sum.Calls == 0 {
		t.Errorf("summary %+v", sum)
	}

	// Again: nothing is called, nothing is added.
	calls := srv.Calls()
	ta = newTestApp(t, env, "")
	if code := ta.run(t, "batch", "--in", in, "--out", out); code != ExitFailed {
		t.Errorf("rerun exit %d", code)
	}
	if srv.Calls() != calls {
		t.Errorf("rerun made %d calls", srv.Calls()-calls)
	}
	if len(readRecords(t, out)) != len(ids) {
		t.Error("rerun changed the output")
	}
}

func TestBatchDryRunAndMaxCost(t *testing.T) {
	srv, env := fakeEnv(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "res.jsonl")
	prices := filepath.Join(dir, "prices.json")
	os.WriteFile(prices, []byte(`{"models":{"fake-model":{"input":1000,"output":1000}}}`), 0o644)

	ta := newTestApp(t, env, "")
	if code := ta.run(t, "batch", "--in", batchInput, "--out", out, "--dry-run", "--prices", prices); code != ExitFailed && code != ExitOK {
		t.Fatalf("dry run exit %d: %s", code, ta.stderr)
	}
	var est struct {
		Docs      int64   `json:"docs"`
		ToProcess int64   `json:"to_process"`
		CostUSD   float64 `json:"cost_usd"`
	}
	if err := json.Unmarshal(ta.stdout.Bytes(), &est); err != nil {
		t.Fatalf("dry run stdout %q: %v", ta.stdout, err)
	}
	n := int64(len(batchIDs(t)))
	if est.Docs != n || est.ToProcess != n || est.CostUSD <= 0 || srv.Calls() != 0 {
		t.Errorf("estimate %+v, %d calls", est, srv.Calls())
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("dry run wrote the output")
	}

	// $1000 per million tokens: the first documents use up $0.50.
	ta = newTestApp(t, env, "")
	code := ta.run(t, "batch", "--in", batchInput, "--out", out, "--prices", prices, "--max-cost", "0.5", "-j", "1")
	if code != ExitFailed || !strings.Contains(ta.stderr.String(), "stopped at --max-cost") {
		t.Fatalf("exit %d, stderr:\n%s", code, ta.stderr)
	}
	first := readRecords(t, out)
	if len(first) == 0 || int64(len(first)) >= n {
		t.Fatalf("%d records after the budget stop", len(first))
	}
	ta = newTestApp(t, env, "")
	ta.run(t, "batch", "--in", batchInput, "--out", out, "--prices", prices)
	if got := readRecords(t, out); int64(len(got)) != n {
		t.Errorf("after resuming: %d records, want %d", len(got), n)
	}
}

func TestBatchDirOutputAndShards(t *testing.T) {
	_, env := fakeEnv(t)
	dir := t.TempDir()
	ids := batchIDs(t)
	seen := map[string]int{}
	for _, k := range []string{"0", "1", "2"} {
		outDir := filepath.Join(dir, "shard"+k) + "/"
		ta := newTestApp(t, env, "")
		ta.run(t, "batch", "--in", batchInput, "--out", outDir, "--shard", k+"/3", "-q")
		files, _ := filepath.Glob(filepath.Join(outDir, "*.json"))
		for _, f := range files {
			var r pipeline.Result
			b, _ := os.ReadFile(f)
			if err := json.Unmarshal(b, &r); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			seen[r.ID]++
		}
	}
	for _, id := range ids {
		if seen[id] != 1 {
			t.Errorf("%s in %d shards", id, seen[id])
		}
	}
	if len(seen) != len(ids) {
		t.Errorf("shards hold %d ids, want %d", len(seen), len(ids))
	}
}

func TestBatchUsageErrors(t *testing.T) {
	_, env := fakeEnv(t)
	out := filepath.Join(t.TempDir(), "r.jsonl")
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no input", []string{"batch", "--out", out}, "no input"},
		{"bad shard", []string{"batch", "--in", batchInput, "--out", out, "--shard", "3/3"}, "0 <= K < N"},
		{"ambiguous out", []string{"batch", "--in", batchInput, "--out", "results"}, "results.jsonl"},
		{"jobs", []string{"batch", "--in", batchInput, "--out", out, "-j", "0"}, "-j must be"},
		{"retry without out", []string{"batch", "--in", batchInput, "--retry-failed"}, "needs --out"},
		{"bad prices", []string{"batch", "--in", batchInput, "--out", out, "--prices", "/nonexistent.json"}, "price file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ta := newTestApp(t, env, "")
			if code := ta.run(t, tc.args...); code != ExitUsage {
				t.Errorf("exit %d, want 2", code)
			}
			if !strings.Contains(ta.stderr.String(), tc.want) {
				t.Errorf("stderr lacks %q: %s", tc.want, ta.stderr)
			}
		})
	}
}

// Not a terminal: progress is one JSON line every --progress-interval, and
// --quiet silences it and the summary.
func TestBatchProgressLines(t *testing.T) {
	srv, env := fakeEnv(t)
	srv.Latency = 30 * time.Millisecond
	dir := t.TempDir()
	ta := newTestApp(t, env, "")
	ta.run(t, "batch", "--in", batchInput, "--out", filepath.Join(dir, "a.jsonl"), "-j", "1", "--progress-interval", "20ms")
	var progress int
	for _, l := range strings.Split(ta.stderr.String(), "\n") {
		if strings.HasPrefix(l, `{"event":"progress"`) {
			progress++
			var p struct {
				Total int64 `json:"total"`
				Done  int64 `json:"done"`
			}
			if err := json.Unmarshal([]byte(l), &p); err != nil || p.Total != int64(len(batchIDs(t))) {
				t.Errorf("progress line %q: %v", l, err)
			}
		}
	}
	if progress == 0 {
		t.Errorf("no progress lines:\n%s", ta.stderr)
	}
	ta = newTestApp(t, env, "")
	ta.run(t, "batch", "--in", batchInput, "--out", filepath.Join(dir, "b.jsonl"), "-q", "--progress-interval", "20ms")
	if s := ta.stderr.String(); strings.Contains(s, "progress") || strings.Contains(s, "summary") {
		t.Errorf("--quiet printed:\n%s", s)
	}
}
