package eval

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/tarjama/tarjama/pipeline"
)

func TestScoreMetricsApplyPerReference(t *testing.T) {
	items := testItems(t)
	rep := runSystem(t, items, noisySystem("a", 0.2), Config{Bootstrap: 200, Seed: 1})
	counts := map[string]int{}
	for _, it := range items {
		if it.ReferenceSummary != "" {
			counts["rougeL"]++
		}
		if it.ReferenceTranslation != "" {
			counts["bleu"]++
		}
		if len(it.ReferenceKeywords) > 0 {
			counts["keywords.f1"]++
		}
	}
	for name, want := range counts {
		m := rep.Metric(name)
		if m == nil {
			t.Fatalf("metric %s missing", name)
		}
		if m.N != want {
			t.Errorf("%s: n = %d, want %d", name, m.N, want)
		}
	}
	if rep.Metric("judge.fluency") != nil {
		t.Error("judge metric without a judge")
	}
	if rep.System.Engine != "fake" || len(rep.System.Models) != 1 {
		t.Errorf("system = %+v", rep.System)
	}
}

func TestBootstrapCIContainsPoint(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	def, _ := LookupMetric("rougeL")
	for trial := range 60 {
		n := 2 + rng.IntN(60)
		s := series{def: def, stats: make([][]float64, n)}
		for i := range s.stats {
			if rng.IntN(10) == 0 {
				continue // an item without the metric
			}
			v := rng.Float64()
			if trial%3 == 0 {
				v = math.Round(v) // bimodal
			}
			s.stats[i] = []float64{v, 1}
		}
		cis, err := bootstrapCI(context.Background(), []series{s}, "13a", 300, uint64(trial))
		if err != nil {
			t.Fatal(err)
		}
		ci, ok := cis["rougeL"]
		if !ok {
			continue
		}
		if ci[1] > ci[0]+1e-12 || ci[2] < ci[0]-1e-12 {
			t.Errorf("trial %d (n=%d): CI [%g, %g] does not contain %g", trial, n, ci[1], ci[2], ci[0])
		}
	}
	// The same property on the real set for every metric, corpus-level
	// BLEU/chrF/TER included.
	rep := runSystem(t, testItems(t), noisySystem("b", 0.3), Config{Bootstrap: 500, Seed: 3})
	for _, m := range rep.Metrics {
		if m.Low > m.Value+1e-9 || m.High < m.Value-1e-9 {
			t.Errorf("%s: CI [%g, %g] does not contain %g", m.Name, m.Low, m.High, m.Value)
		}
		if m.High < m.Low {
			t.Errorf("%s: CI reversed", m.Name)
		}
	}
}

func TestBootstrapSeeded(t *testing.T) {
	items := testItems(t)
	a := runSystem(t, items, noisySystem("a", 0.2), Config{Bootstrap: 200, Seed: 42})
	b := runSystem(t, items, noisySystem("a", 0.2), Config{Bootstrap: 200, Seed: 42})
	c := runSystem(t, items, noisySystem("a", 0.2), Config{Bootstrap: 200, Seed: 43})
	differ := false
	for i := range a.Metrics {
		if a.Metrics[i] != b.Metrics[i] {
			t.Errorf("same seed, different %s: %+v vs %+v", a.Metrics[i].Name, a.Metrics[i], b.Metrics[i])
		}
		if a.Metrics[i].Low != c.Metrics[i].Low {
			differ = true
		}
	}
	if !differ {
		t.Error("another seed gave identical intervals for every metric")
	}
}

func TestPairedBootstrapIdenticalSystems(t *testing.T) {
	items := testItems(t)
	base := runSystem(t, items, noisySystem("a", 0.2), Config{Bootstrap: 300, Seed: 1})
	checks := []Check{{Kind: "max-drop", Metric: "rougeL", Value: 0}, {Kind: "max-drop", Metric: "bleu", Value: 0}, {Kind: "max-drop", Metric: "ter", Value: 0}}
	rep := runSystem(t, items, noisySystem("a", 0.2), Config{Bootstrap: 300, Seed: 9, Baseline: base, Checks: checks})
	for _, m := range rep.Metrics {
		c := m.Baseline
		if c == nil {
			t.Fatalf("%s: no comparison", m.Name)
		}
		if c.Delta != 0 || c.PValue != 1 || c.Significant {
			t.Errorf("%s: identical systems give delta %g p %g", m.Name, c.Delta, c.PValue)
		}
	}
	if !rep.Gate.Passed {
		t.Errorf("identical systems fail the gate: %+v", rep.Gate.Failures())
	}
}

func TestGate(t *testing.T) {
	items := testItems(t)
	base := runSystem(t, items, noisySystem("a", 0.2), Config{Bootstrap: 1000, Seed: 1})
	drops := []Check{
		{Kind: "max-drop", Metric: "rougeL", Value: 0.02},
		{Kind: "max-drop", Metric: "chrf", Value: 2},
		{Kind: "max-drop", Metric: "ter", Value: 2},
	}
	tests := []struct {
		name     string
		sys      system
		checks   []Check
		wantFail []string
	}{
		{"noise does not fail", noisySystem("other-salt", 0.2), drops, nil},
		{"truncated outputs fail", truncatedSystem(0.4), drops, []string{"rougeL", "chrf", "ter"}},
		{"drop within the allowed delta passes", truncatedSystem(0.4), []Check{{Kind: "max-drop", Metric: "rougeL", Value: 0.9}}, nil},
		{"fail-under", noisySystem("a", 0.2), []Check{{Kind: "fail-under", Metric: "rougeL", Value: 0.99}, {Kind: "fail-under", Metric: "chrf", Value: 1}}, []string{"rougeL"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rep := runSystem(t, items, tc.sys, Config{Bootstrap: 1000, Seed: 2, Baseline: base, BaselineName: "base.json", Checks: tc.checks})
			var failed []string
			for _, c := range rep.Gate.Failures() {
				failed = append(failed, c.Metric)
				if c.Reason == "" || !strings.Contains(c.Reason, c.Metric) {
					t.Errorf("failure without a reason naming the metric: %+v", c)
				}
			}
			if strings.Join(failed, ",") != strings.Join(tc.wantFail, ",") {
				t.Errorf("failed checks = %v, want %v\n%+v", failed, tc.wantFail, rep.Gate.Checks)
			}
			if rep.Gate.Passed != (len(tc.wantFail) == 0) {
				t.Errorf("Passed = %t", rep.Gate.Passed)
			}
		})
	}
}

func TestGateErrors(t *testing.T) {
	items := testItems(t)
	onlySummaries := []Item{}
	for _, it := range items {
		if strings.HasPrefix(it.ID, "bbc-") {
			onlySummaries = append(onlySummaries, it)
		}
	}
	_, err := Evaluate(context.Background(), onlySummaries, newFakeRunner(items, noisySystem("a", 0.1)), RunOptions{},
		Config{Bootstrap: 10, Checks: []Check{{Kind: "fail-under", Metric: "bleu", Value: 10}}})
	if !errors.Is(err, ErrData) || !strings.Contains(err.Error(), "bleu") {
		t.Errorf("gate on a metric with no value: err = %v", err)
	}
	_, err = Evaluate(context.Background(), items, newFakeRunner(items, noisySystem("a", 0.1)), RunOptions{},
		Config{Bootstrap: 10, Checks: []Check{{Kind: "max-drop", Metric: "bleu", Value: 10}}})
	if !errors.Is(err, ErrData) {
		t.Errorf("max-drop without a baseline: err = %v", err)
	}
	base := runSystem(t, items, noisySystem("a", 0.2), Config{Bootstrap: 10})
	_, err = Evaluate(context.Background(), items, newFakeRunner(items, noisySystem("a", 0.1)), RunOptions{},
		Config{Bootstrap: 10, Baseline: base, ScoreConfig: ScoreConfig{Tokenize: "intl"}})
	if !errors.Is(err, ErrData) || !strings.Contains(err.Error(), "tokenize") {
		t.Errorf("baseline with another tokenizer: err = %v", err)
	}
}

func TestParseCheck(t *testing.T) {
	tests := []struct {
		kind, spec string
		want       Check
		err        string
	}{
		{"fail-under", "rougeL=0.25", Check{"fail-under", "rougeL", 0.25}, ""},
		{"max-drop", " chrf++ = 1.5", Check{"max-drop", "chrf++", 1.5}, ""},
		{"max-drop", "rougeL", Check{}, "METRIC=VALUE"},
		{"max-drop", "rouge=1", Check{}, "unknown metric"},
		{"max-drop", "bleu=x", Check{}, "not a number"},
		{"max-drop", "bleu=-1", Check{}, ">= 0"},
		{"max-drop", "summary_words=3", Check{}, "no better direction"},
	}
	for _, tc := range tests {
		got, err := ParseCheck(tc.kind, tc.spec)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("ParseCheck(%q): err = %v, want %q", tc.spec, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ParseCheck(%q) = %+v, %v", tc.spec, got, err)
		}
	}
}

func TestRepeatFlagsUnstableItems(t *testing.T) {
	var items []Item
	for _, it := range testItems(t) {
		if it.ReferenceTranslation == "" {
			items = append(items, it)
		}
	}
	r := newFakeRunner(items, nil)
	r.vary = true
	rep, err := Evaluate(context.Background(), items, r, RunOptions{Repeat: 3, Workers: 2}, Config{Bootstrap: 50, UnstableRange: 0.01})
	if err != nil {
		t.Fatal(err)
	}
	if got := r.calls.Load(); got != int64(3*len(items)) {
		t.Errorf("runner called %d times, want %d", got, 3*len(items))
	}
	if rep.Config.Repeat != 3 {
		t.Errorf("repeat = %d", rep.Config.Repeat)
	}
	for _, it := range rep.Items {
		s := it.Spread
		if s == nil || len(s.Values) != 3 {
			t.Fatalf("%s: spread %+v", it.ID, s)
		}
		lo, hi := math.Min(s.Values[0], math.Min(s.Values[1], s.Values[2])), math.Max(s.Values[0], math.Max(s.Values[1], s.Values[2]))
		if math.Abs(s.Range-(hi-lo)) > 1e-12 || s.Unstable != (s.Range > 0.01) {
			t.Errorf("%s: spread %+v", it.ID, s)
		}
	}
	if len(rep.Unstable) == 0 {
		t.Error("no unstable item although every run differs")
	}
	// A deterministic system is stable.
	rep, err = Evaluate(context.Background(), items, newFakeRunner(items, noisySystem("a", 0.2)), RunOptions{Repeat: 2}, Config{Bootstrap: 50})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Unstable) != 0 {
		t.Errorf("deterministic system flagged unstable: %v", rep.Unstable)
	}
}

func TestOutputsFor(t *testing.T) {
	items := testItems(t)[:3]
	outs := map[string]*pipeline.Result{}
	for _, it := range items[:2] {
		outs[it.ID] = noisySystem("a", 0.1)(it)
	}
	_, err := OutputsFor(items, outs, "out.jsonl")
	if !errors.Is(err, ErrData) || !strings.Contains(err.Error(), items[2].ID) || !strings.Contains(err.Error(), "out.jsonl") {
		t.Errorf("missing output: err = %v", err)
	}
	outs[items[2].ID] = noisySystem("a", 0.1)(items[2])
	runs, err := OutputsFor(items, outs, "out.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range runs {
		if len(r) != 1 || r[0].ID != items[i].ID {
			t.Errorf("runs[%d] = %v", i, r)
		}
	}
}

func TestRunnerErrorStops(t *testing.T) {
	items := testItems(t)
	_, err := Run(context.Background(), items, newFakeRunner(items[:1], noisySystem("a", 0)), RunOptions{Workers: 3})
	if err == nil || !strings.Contains(err.Error(), "unknown id") {
		t.Errorf("err = %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = Run(ctx, items, newFakeRunner(items, noisySystem("a", 0)), RunOptions{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err = %v", err)
	}
}

// barrierRunner blocks every call until n calls are in flight.
type barrierRunner struct {
	n       int
	arrived chan struct{}
	release chan struct{}
}

func (b *barrierRunner) Run(ctx context.Context, doc pipeline.Document) (*pipeline.Result, error) {
	b.arrived <- struct{}{}
	select {
	case <-b.release:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return &pipeline.Result{ID: doc.ID}, nil
}

func TestRunIsConcurrent(t *testing.T) {
	items := testItems(t)[:4]
	b := &barrierRunner{n: 4, arrived: make(chan struct{}, 4), release: make(chan struct{})}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		for range b.n {
			<-b.arrived
		}
		close(b.release) // all four calls were in flight at once
	}()
	done := make(chan error, 1)
	go func() {
		_, err := Run(ctx, items, b, RunOptions{Workers: 4})
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(20 * time.Second):
		cancel()
		t.Fatal("Run did not make 4 calls concurrently")
	}
}

func TestScoreRejectsUnknownTokenizer(t *testing.T) {
	items := testItems(t)[:2]
	runs, err := Run(context.Background(), items, newFakeRunner(items, noisySystem("a", 0.1)), RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Score(context.Background(), items, runs, Config{ScoreConfig: ScoreConfig{Tokenize: "zh"}}); err == nil {
		t.Error("tokenizer zh accepted")
	}
}
