package batch

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/tarjama/tarjama/pipeline"
	"github.com/tarjama/tarjama/pipeline/input"
)

// fakeProc is a deterministic Processor: it "translates" by upper-casing,
// fails the IDs in fail, spends 100 prompt and 50 completion tokens of
// model "m" per document, and counts calls per ID.
type fakeProc struct {
	mu    sync.Mutex
	calls map[string]int
	fail  map[string]bool
	delay time.Duration
	// after is called after each document (e.g. to cancel the run).
	after func(n int)
	n     atomic.Int64
}

func newFake() *fakeProc { return &fakeProc{calls: map[string]int{}, fail: map[string]bool{}} }

func (f *fakeProc) Run(ctx context.Context, d pipeline.Document) (*pipeline.Result, error) {
	if f.delay > 0 {
		select {
		case <-time.After(f.delay):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	f.mu.Lock()
	f.calls[d.ID]++
	failing := f.fail[d.ID]
	f.mu.Unlock()
	r := &pipeline.Result{Schema: pipeline.SchemaVersion, ID: d.ID, Source: d.Source, Engine: "fake", Keywords: []pipeline.Keyword{},
		Clean:       pipeline.Cleaned{Paragraphs: []string{d.Text}},
		Translation: &pipeline.Translation{Lang: "en", Paragraphs: []string{strings.ToUpper(d.Text)}, Kind: "translation"},
		Trace:       []pipeline.Trace{{Step: "translate", Engine: "llm", Model: "m", Usage: pipeline.Usage{PromptTokens: 100, CompletionTokens: 50, Calls: 1}, Attempts: 1}},
	}
	if failing {
		r.Errors = []pipeline.StepError{{Step: "translate", Message: "server error (500) after 5 attempts"}}
	}
	if f.after != nil {
		f.after(int(f.n.Add(1)))
	}
	return r, nil
}

func (f *fakeProc) total() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.calls {
		n += c
	}
	return n
}

func docs(n int, prefix string) []pipeline.Document {
	var out []pipeline.Document
	for i := range n {
		out = append(out, pipeline.Document{ID: fmt.Sprintf("%s%03d", prefix, i), Text: fmt.Sprintf("text of document %d", i)})
	}
	return out
}

func items(ds []pipeline.Document, bad ...int) iter.Seq[input.Item] {
	return func(yield func(input.Item) bool) {
		for i, d := range ds {
			for _, b := range bad {
				if b == i {
					if !yield(input.Item{Err: &input.Error{Source: "x.jsonl", Line: i, Msg: "malformed JSON (x): fix or remove the line"}}) {
						return
					}
				}
			}
			if !yield(input.Item{Doc: d}) {
				return
			}
		}
	}
}

var testPrices = Prices{"m": {Input: 1, Output: 2}} // $ per million tokens

// readOut returns the output's records by id, failing on a half line or a
// record that appears twice.
func readOut(t *testing.T, path string) map[string]pipeline.Result {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]pipeline.Result{}
	if len(b) > 0 && b[len(b)-1] != '\n' {
		t.Fatalf("%s ends in a half line", path)
	}
	sc := bufio.NewScanner(strings.NewReader(string(b)))
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var r pipeline.Result
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("bad output line %q: %v", sc.Text(), err)
		}
		if _, dup := out[r.ID]; dup {
			t.Fatalf("id %s appears twice in %s", r.ID, path)
		}
		out[r.ID] = r
	}
	return out
}

func checkAll(t *testing.T, got map[string]pipeline.Result, want []pipeline.Document) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("output has %d records, want %d", len(got), len(want))
	}
	for _, d := range want {
		if _, ok := got[d.ID]; !ok {
			t.Errorf("%s missing from the output", d.ID)
		}
	}
}

func TestRunJSONL(t *testing.T) {
	out := filepath.Join(t.TempDir(), "res.jsonl")
	ds := docs(50, "d")
	p := newFake()
	p.fail["d007"] = true
	var inErrs []error
	snap, err := Run(context.Background(), items(ds, 3, 20), p, Config{Out: out, Jobs: 4, Prices: testPrices,
		OnInputError: func(e error) { inErrs = append(inErrs, e) }})
	if err != nil {
		t.Fatal(err)
	}
	got := readOut(t, out)
	checkAll(t, got, ds)
	if len(got["d007"].Errors) == 0 || got["d007"].Errors[0].Step != "translate" {
		t.Errorf("d007 should be an error record: %+v", got["d007"].Errors)
	}
	want := Snapshot{Done: 50, OK: 49, Failed: 1, BadInput: 2, Calls: 50, Attempts: 50, PromptTokens: 5000, CompletionTokens: 2500}
	gotSnap := Snapshot{Done: snap.Done, OK: snap.OK, Failed: snap.Failed, BadInput: snap.BadInput, Calls: snap.Calls,
		Attempts: snap.Attempts, PromptTokens: snap.PromptTokens, CompletionTokens: snap.CompletionTokens}
	if diff := cmp.Diff(want, gotSnap); diff != "" {
		t.Errorf("counters (-want +got):\n%s", diff)
	}
	if wantCost := (5000*1 + 2500*2) / 1e6; snap.CostUSD < wantCost*0.999 || snap.CostUSD > wantCost*1.001 {
		t.Errorf("cost %v, want %v", snap.CostUSD, wantCost)
	}
	if len(inErrs) != 2 {
		t.Errorf("input errors reported: %v", inErrs)
	}

	// The same command again skips everything.
	p2 := newFake()
	snap, err = Run(context.Background(), items(ds), p2, Config{Out: out, Jobs: 4})
	if err != nil {
		t.Fatal(err)
	}
	if p2.total() != 0 || snap.Skipped != 50 || snap.SkippedFailed != 1 {
		t.Errorf("rerun: %d calls, skipped %d (%d failed), want 0, 50, 1", p2.total(), snap.Skipped, snap.SkippedFailed)
	}
	checkAll(t, readOut(t, out), ds)
}

func TestRetryFailedAndChangedContent(t *testing.T) {
	out := filepath.Join(t.TempDir(), "res.jsonl")
	ds := docs(30, "d")
	p := newFake()
	p.fail["d001"], p.fail["d002"] = true, true
	if _, err := Run(context.Background(), items(ds), p, Config{Out: out, Jobs: 3}); err != nil {
		t.Fatal(err)
	}
	// d010's text changes; the failures are retried and now succeed.
	ds[10].Text = "a new text"
	p2 := newFake()
	snap, err := Run(context.Background(), items(ds), p2, Config{Out: out, Jobs: 3, RetryFailed: true})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]int{"d001": 1, "d002": 1, "d010": 1}, p2.calls); diff != "" {
		t.Errorf("processed again (-want +got):\n%s", diff)
	}
	if snap.Skipped != 27 {
		t.Errorf("skipped %d, want 27", snap.Skipped)
	}
	got := readOut(t, out) // fails on duplicates: the old records are gone
	checkAll(t, got, ds)
	for _, id := range []string{"d001", "d002"} {
		if len(got[id].Errors) > 0 {
			t.Errorf("%s still failed", id)
		}
	}
	if g := got["d010"].Translation.Paragraphs[0]; g != "A NEW TEXT" {
		t.Errorf("d010 = %q, want the new text's result", g)
	}
	// The checkpoint was compacted too: one line per id.
	ck, _ := os.ReadFile(checkpointPath(out, false))
	if n := strings.Count(string(ck), "\n"); n != 30 {
		t.Errorf("checkpoint has %d lines, want 30", n)
	}
	// And a third run does nothing.
	p3 := newFake()
	if _, err := Run(context.Background(), items(ds), p3, Config{Out: out, RetryFailed: true}); err != nil || p3.total() != 0 {
		t.Errorf("third run: %v, %d calls", err, p3.total())
	}
}

func TestResumeAfterCancel(t *testing.T) {
	out := filepath.Join(t.TempDir(), "res.jsonl")
	ds := docs(100, "d")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	p := newFake()
	p.after = func(n int) {
		if n == 40 {
			cancel()
		}
	}
	snap, err := Run(ctx, items(ds), p, Config{Out: out, Jobs: 8})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	first := readOut(t, out)
	if len(first) == 0 || len(first) >= 100 || int64(len(first)) != snap.Done {
		t.Fatalf("after cancel: %d records, done %d", len(first), snap.Done)
	}
	p2 := newFake()
	snap, err = Run(context.Background(), items(ds), p2, Config{Out: out, Jobs: 8})
	if err != nil {
		t.Fatal(err)
	}
	checkAll(t, readOut(t, out), ds)
	for id := range first {
		if p2.calls[id] > 0 {
			t.Errorf("%s was done and processed again", id)
		}
	}
	if int(snap.Skipped) != len(first) || p2.total() != 100-len(first) {
		t.Errorf("resume skipped %d and processed %d; first run wrote %d", snap.Skipped, p2.total(), len(first))
	}
}

// A crash can leave a half line, or lines not yet in the checkpoint, at the
// end of the output; reopening drops them and the documents are redone.
func TestTornWrite(t *testing.T) {
	out := filepath.Join(t.TempDir(), "res.jsonl")
	ds := docs(10, "d")
	if _, err := Run(context.Background(), items(ds[:6]), newFake(), Config{Out: out}); err != nil {
		t.Fatal(err)
	}
	f, _ := os.OpenFile(out, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"schema":"tarjama.result/v1","id":"d006","engine":"fake"}` + "\n" + `{"schema":"tarjama.result/v1","id":"d0`)
	f.Close()
	cf, _ := os.OpenFile(checkpointPath(out, false), os.O_APPEND|os.O_WRONLY, 0)
	cf.WriteString(`{"id":"d007","sha2`)
	cf.Close()
	p := newFake()
	if _, err := Run(context.Background(), items(ds), p, Config{Out: out}); err != nil {
		t.Fatal(err)
	}
	checkAll(t, readOut(t, out), ds)
	if p.total() != 4 {
		t.Errorf("processed %d, want the 4 not checkpointed", p.total())
	}
}

func TestCompactionRecovery(t *testing.T) {
	for _, tc := range []struct {
		name     string
		leave    func(out, ck string) // what the crash left
		wantD001 string
	}{
		{"before commit", func(out, ck string) {
			os.WriteFile(ck+".new", []byte("partial"), 0o644)
			os.WriteFile(out+".new", []byte("partial"), 0o644)
		}, "TEXT OF DOCUMENT 1"},
		{"checkpoint committed", func(out, ck string) {
			// Simulate: CK.new already renamed; OUT.new complete.
			b, _ := os.ReadFile(out)
			os.WriteFile(out+".new", b, 0o644)
			os.WriteFile(out, []byte("garbage that is replaced\n"), 0o644)
		}, "TEXT OF DOCUMENT 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "res.jsonl")
			ds := docs(5, "d")
			if _, err := Run(context.Background(), items(ds), newFake(), Config{Out: out}); err != nil {
				t.Fatal(err)
			}
			tc.leave(out, checkpointPath(out, false))
			p := newFake()
			if _, err := Run(context.Background(), items(ds), p, Config{Out: out}); err != nil {
				t.Fatal(err)
			}
			got := readOut(t, out)
			checkAll(t, got, ds)
			if p.total() != 0 || got["d001"].Translation.Paragraphs[0] != tc.wantD001 {
				t.Errorf("calls %d, d001 %q", p.total(), got["d001"].Translation.Paragraphs[0])
			}
			for _, f := range []string{out + ".new", checkpointPath(out, false) + ".new"} {
				if exists(f) {
					t.Errorf("%s left behind", f)
				}
			}
		})
	}
}

func TestOutputWithoutCheckpointRefused(t *testing.T) {
	out := filepath.Join(t.TempDir(), "res.jsonl")
	os.WriteFile(out, []byte(`{"id":"x"}`+"\n"), 0o644)
	_, err := Run(context.Background(), items(docs(2, "d")), newFake(), Config{Out: out})
	if err == nil || !strings.Contains(err.Error(), "has no checkpoint") {
		t.Errorf("err = %v", err)
	}
}

func TestDirOutput(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	ds := docs(20, "d")
	ds = append(ds, pipeline.Document{ID: "a/b:c", Text: "odd id"}, pipeline.Document{ID: "خبر-١", Text: "arabic id"})
	p := newFake()
	p.fail["d003"] = true
	if _, err := Run(context.Background(), items(ds), p, Config{Out: dir, OutDir: true, Jobs: 4}); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(files) != len(ds) {
		t.Fatalf("%d files, want %d", len(files), len(ds))
	}
	for _, d := range ds {
		b, err := os.ReadFile(filepath.Join(dir, FileName(d.ID)))
		if err != nil {
			t.Fatal(err)
		}
		var r pipeline.Result
		if err := json.Unmarshal(b, &r); err != nil || r.ID != d.ID {
			t.Errorf("%s: %v id %q", d.ID, err, r.ID)
		}
	}
	if FileName("a/b:c") != "a%2Fb%3Ac.json" || FileName("خبر-١") != "خبر-١.json" {
		t.Errorf("file names %q %q", FileName("a/b:c"), FileName("خبر-١"))
	}
	p2 := newFake()
	snap, err := Run(context.Background(), items(ds), p2, Config{Out: dir, OutDir: true, RetryFailed: true})
	if err != nil || p2.total() != 1 || p2.calls["d003"] != 1 || snap.Skipped != int64(len(ds)-1) {
		t.Errorf("retry: %v calls %v skipped %d", err, p2.calls, snap.Skipped)
	}
}

func TestDedup(t *testing.T) {
	out := filepath.Join(t.TempDir(), "res.jsonl")
	ds := []pipeline.Document{
		{ID: "a", Text: "same  text\n"}, {ID: "b", Text: "other"}, {ID: "c", Text: " same text"}, {ID: "d", Text: "same text", Title: "T"},
	}
	p := newFake()
	snap, err := Run(context.Background(), items(ds), p, Config{Out: out, Jobs: 1})
	if err != nil {
		t.Fatal(err)
	}
	if p.total() != 3 || p.calls["c"] != 0 || snap.Deduped != 1 {
		t.Errorf("calls %v, deduped %d", p.calls, snap.Deduped)
	}
	got := readOut(t, out)
	checkAll(t, got, ds)
	c := got["c"]
	if c.ID != "c" || c.Usage.Calls != 0 || c.Trace[0].Usage.PromptTokens != 0 || !strings.Contains(strings.Join(c.Trace[0].Notes, " "), "reused the result of a") {
		t.Errorf("reused record: %+v", c)
	}
	// NoDedup processes each.
	p2 := newFake()
	Run(context.Background(), items(ds), p2, Config{Out: filepath.Join(t.TempDir(), "x.jsonl"), NoDedup: true})
	if p2.total() != 4 {
		t.Errorf("NoDedup: %d calls", p2.total())
	}
}

func TestDuplicateIDIsBadInput(t *testing.T) {
	ds := []pipeline.Document{{ID: "a", Text: "1"}, {ID: "a", Text: "2"}}
	var errs []error
	snap, err := Run(context.Background(), items(ds), newFake(), Config{Out: filepath.Join(t.TempDir(), "x.jsonl"), OnInputError: func(e error) { errs = append(errs, e) }})
	if err != nil || snap.Done != 1 || snap.BadInput != 1 || len(errs) != 1 || !strings.Contains(errs[0].Error(), "duplicate id") {
		t.Errorf("err %v snap %+v errs %v", err, snap, errs)
	}
}

func TestMaxCost(t *testing.T) {
	out := filepath.Join(t.TempDir(), "res.jsonl")
	ds := docs(100, "d")
	// Each document costs 100×1 + 50×2 = 200 µ$; stop at 2,000 µ$.
	p := newFake()
	snap, err := Run(context.Background(), items(ds), p, Config{Out: out, Jobs: 2, Prices: testPrices, MaxCost: 0.002})
	if !errors.Is(err, ErrMaxCost) {
		t.Fatalf("err = %v, want ErrMaxCost", err)
	}
	if snap.Done < 10 || snap.Done > 12 || snap.CostUSD < 0.002 {
		t.Errorf("stopped after %d docs at $%v", snap.Done, snap.CostUSD)
	}
	// Resumable: a higher budget finishes the job, exactly once.
	if _, err := Run(context.Background(), items(ds), newFake(), Config{Out: out, Prices: testPrices, MaxCost: 1}); err != nil {
		t.Fatal(err)
	}
	checkAll(t, readOut(t, out), ds)
}

func TestShardPartition(t *testing.T) {
	var ids []string
	for i := range 2000 {
		ids = append(ids, fmt.Sprintf("doc-%d", i*7919))
	}
	for n := 1; n <= 7; n++ {
		seen := map[string]int{}
		sizes := make([]int, n)
		for k := range n {
			s := Shard{K: k, N: n}
			for _, id := range ids {
				if s.Has(id) {
					seen[id]++
					sizes[k]++
				}
			}
		}
		for _, id := range ids {
			if seen[id] != 1 {
				t.Fatalf("N=%d: %s is in %d shards", n, id, seen[id])
			}
		}
		for k, sz := range sizes {
			if want := len(ids) / n; sz < want*8/10 || sz > want*12/10 {
				t.Errorf("N=%d shard %d has %d of %d ids: unbalanced", n, k, sz, len(ids))
			}
		}
	}
	for _, bad := range []string{"3/3", "-1/2", "1", "a/b", "0/0"} {
		if _, err := ParseShard(bad); err == nil {
			t.Errorf("ParseShard(%q) accepted", bad)
		}
	}
	if s, err := ParseShard("2/5"); err != nil || s != (Shard{2, 5}) {
		t.Errorf("ParseShard(2/5) = %v, %v", s, err)
	}
}

func TestPlan(t *testing.T) {
	out := filepath.Join(t.TempDir(), "res.jsonl")
	ds := docs(10, "d")
	ds = append(ds, pipeline.Document{ID: "ar", Text: "نص عربي طويل بعض الشيء"}, pipeline.Document{ID: "dup", Text: ds[5].Text})
	if _, err := Run(context.Background(), items(ds[:4]), newFake(), Config{Out: out}); err != nil {
		t.Fatal(err)
	}
	e, err := Plan(context.Background(), items(ds, 5), Config{Out: out, Prices: testPrices},
		EstimateConfig{Count: func(s string) int { return 100 }, TranslateModel: "m", SummarizeModel: "unknown-model"})
	if err != nil {
		t.Fatal(err)
	}
	// 12 docs: 4 done, 1 duplicate (of d005), 7 to process: 6 English, 1 Arabic.
	want := Estimate{Docs: 12, ToProcess: 7, Skipped: 4, Duplicates: 1, BadInput: 1, InputTokens: 700,
		Calls: 8, PromptTokens: (100 + 350) + 7*(100+500) + 120, CompletionTokens: 120 + 7*350,
		CostUSD: (450*1 + 120*2) / 1e6, UnknownModels: []string{"unknown-model"}}
	if diff := cmp.Diff(want, e); diff != "" {
		t.Errorf("estimate (-want +got):\n%s", diff)
	}
	if exists(out + ".new") {
		t.Error("Plan wrote something")
	}
}

func TestPrices(t *testing.T) {
	p := DefaultPrices()
	if pr, ok := p.Lookup("gpt-4o-mini-2024-07-18"); !ok || pr != p["gpt-4o-mini"] {
		t.Errorf("prefix lookup: %v %v", pr, ok)
	}
	if _, ok := p.Lookup("llama3.1:8b"); ok {
		t.Error("unknown model priced")
	}
	f := filepath.Join(t.TempDir(), "p.json")
	os.WriteFile(f, []byte(`{"models":{"llama3.1:8b":{"input":0.1,"output":0.2}}}`), 0o644)
	p2, err := LoadPrices(f)
	if err != nil {
		t.Fatal(err)
	}
	if c, ok := p2.Cost("llama3.1:8b", pipeline.Usage{PromptTokens: 1e6, CompletionTokens: 1e6}); !ok || c < 0.2999 || c > 0.3001 {
		t.Errorf("cost %v %v", c, ok)
	}
	os.WriteFile(f, []byte(`{"gpt":1}`), 0o644)
	if _, err := LoadPrices(f); err == nil {
		t.Error("bad price file accepted")
	}
}
