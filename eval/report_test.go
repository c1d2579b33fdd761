package eval

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/eval/golden")

// fakeJudge answers from the summary's length and the sample number.
type fakeJudge struct {
	mu    sync.Mutex
	calls []JudgeInput
	fail  string // id to fail
}

func (j *fakeJudge) Judge(ctx context.Context, in JudgeInput) (JudgeScore, error) {
	j.mu.Lock()
	j.calls = append(j.calls, in)
	j.mu.Unlock()
	if in.ID == j.fail {
		return JudgeScore{}, errors.New("model refused")
	}
	f := float64(1 + len(strings.Fields(in.Summary))%5)
	return JudgeScore{Faithfulness: f, Coverage: float64(1 + in.Sample), Fluency: 5}, nil
}

func goldenItems(t testing.TB) []Item {
	all := testItems(t)
	var items []Item
	n := map[string]int{}
	for _, it := range all {
		kind, _, _ := strings.Cut(it.ID, "-")
		if n[kind] < 2 {
			n[kind]++
			items = append(items, it)
		}
	}
	return items
}

func goldenReport(t testing.TB) *Report {
	items := goldenItems(t)
	base := runSystem(t, items, noisySystem("a", 0.2), Config{Bootstrap: 200, Seed: 1})
	j := &fakeJudge{fail: items[len(items)-1].ID}
	rep := runSystem(t, items, truncatedSystem(0.5), Config{
		Bootstrap: 200, Seed: 1, Baseline: base, BaselineName: "baseline.json", Dataset: "testdata/eval/eval.jsonl",
		Judge: j, JudgeName: "fake-judge", JudgeSamples: 2,
		Checks: []Check{{Kind: "max-drop", Metric: "rougeL", Value: 0.01}, {Kind: "fail-under", Metric: "chrf", Value: 10}, {Kind: "fail-under", Metric: "judge.fluency", Value: 4}},
	})
	return rep
}

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("..", "testdata", "eval", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./eval -update)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got; go test ./eval -update to accept):\n%s", name, diff)
	}
}

// TestReportGoldens renders the golden report in every format. The report
// itself (testdata/eval/golden/report.json) is the input: the renderers
// are tested apart from the metric implementations, whose last digits may
// still move. With -update it is recomputed from the fake systems.
func TestReportGoldens(t *testing.T) {
	var rep *Report
	if *update {
		rep = goldenReport(t)
	} else {
		f, err := os.Open(filepath.Join("..", "testdata", "eval", "golden", "report.json"))
		if err != nil {
			t.Fatalf("%v (run go test ./eval -update)", err)
		}
		rep, err = ReadReport(f, "report.json")
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	var js, md, ju, tb bytes.Buffer
	for _, w := range []func() error{
		func() error { return rep.WriteJSON(&js) },
		func() error { return rep.WriteMarkdown(&md) },
		func() error { return rep.WriteJUnit(&ju) },
		func() error { return rep.WriteTable(&tb) },
	} {
		if err := w(); err != nil {
			t.Fatal(err)
		}
	}
	checkGolden(t, "report.json", js.Bytes())
	checkGolden(t, "report.md", md.Bytes())
	checkGolden(t, "report.junit.xml", ju.Bytes())
	checkGolden(t, "report.txt", tb.Bytes())

	// The JSON report round-trips (it is the baseline format).
	back, err := ReadReport(bytes.NewReader(js.Bytes()), "report.json")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(rep, back); diff != "" {
		t.Errorf("JSON round trip (-want +got):\n%s", diff)
	}

	// JUnit parses as XML, has a test case per gated metric and a failure
	// exactly for the failed checks.
	var doc struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Suites   []struct {
			Cases []struct {
				Name    string `xml:"name,attr"`
				Failure *struct {
					Message string `xml:"message,attr"`
				} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(ju.Bytes(), &doc); err != nil {
		t.Fatalf("JUnit is not XML: %v", err)
	}
	failed := map[string]bool{}
	cases := 0
	for _, s := range doc.Suites {
		for _, c := range s.Cases {
			cases++
			if c.Failure != nil {
				failed[c.Name] = true
				if !strings.Contains(c.Failure.Message, c.Name) {
					t.Errorf("failure message %q does not name %s", c.Failure.Message, c.Name)
				}
			}
		}
	}
	if cases != doc.Tests || len(failed) != doc.Failures {
		t.Errorf("counts: tests=%d cases=%d failures=%d failed=%v", doc.Tests, cases, doc.Failures, failed)
	}
	for _, c := range rep.Gate.Checks {
		if failed[c.Metric] == c.Passed {
			t.Errorf("check %s passed=%t but JUnit failure=%t", c.Check, c.Passed, failed[c.Metric])
		}
	}
	if rep.Gate.Passed || !failed["rougeL"] {
		t.Errorf("the truncated system should fail rougeL: %+v", rep.Gate.Checks)
	}
	// The scenario still produces the same shape with today's metrics.
	fresh := goldenReport(t)
	if len(fresh.Metrics) != len(rep.Metrics) || fresh.Gate.Passed || len(fresh.Gate.Failures()) != len(rep.Gate.Failures()) {
		t.Errorf("recomputed golden scenario differs in shape: %d metrics, gate %+v (go test ./eval -update)", len(fresh.Metrics), fresh.Gate.Checks)
	}

	// Markdown: verdict, five worst items at most, each with a diff.
	m := md.String()
	if !strings.Contains(m, "❌ regression") || strings.Count(m, "#### ") != min(5, len(rep.WorstItems(99))) {
		t.Errorf("markdown:\n%s", m)
	}
}

func TestJudge(t *testing.T) {
	items := goldenItems(t)
	j := &fakeJudge{fail: items[0].ID}
	rep := runSystem(t, items, noisySystem("a", 0.2), Config{Bootstrap: 10, Judge: j, JudgeSamples: 3})
	withSummary := 0
	for _, it := range items {
		if it.ReferenceSummary != "" {
			withSummary++
		}
	}
	if len(j.calls) != 3*withSummary-2 { // the failing item stops after its first sample
		t.Errorf("%d judge calls for %d summaries x 3 samples", len(j.calls), withSummary)
	}
	for _, ir := range rep.Items {
		switch {
		case ir.ID == items[0].ID:
			if ir.Judge != nil || len(ir.Errors) == 0 || !strings.Contains(ir.Errors[0], "model refused") {
				t.Errorf("failing judge: %+v", ir)
			}
		case ir.Judge != nil:
			if ir.Judge.Coverage != 2 || ir.Scores["judge.coverage"] != 2 { // mean of 1,2,3
				t.Errorf("%s: judge = %+v", ir.ID, ir.Judge)
			}
		}
	}
	if m := rep.Metric("judge.fluency"); m == nil || m.Value != 5 || m.N != withSummary-1 {
		t.Errorf("judge.fluency = %+v", m)
	}
	// Out-of-range answers are errors, not scores.
	if _, err := judgeItem(context.Background(), judgeFunc(func(JudgeInput) JudgeScore { return JudgeScore{6, 1, 1} }), JudgeInput{}, 1); err == nil {
		t.Error("score 6 accepted")
	}
}

type judgeFunc func(JudgeInput) JudgeScore

func (f judgeFunc) Judge(_ context.Context, in JudgeInput) (JudgeScore, error) { return f(in), nil }

func TestReadReportErrors(t *testing.T) {
	for _, in := range []string{`{`, `{"schema":"other/v9"}`} {
		if _, err := ReadReport(strings.NewReader(in), "b.json"); !errors.Is(err, ErrData) || !strings.Contains(err.Error(), "b.json") {
			t.Errorf("ReadReport(%q): err = %v", in, err)
		}
	}
	var buf bytes.Buffer
	items := goldenItems(t)[:3]
	base := runSystem(t, items, noisySystem("a", 0.2), Config{Bootstrap: 10})
	rep := runSystem(t, items, noisySystem("b", 0.2), Config{Bootstrap: 10, Baseline: base, Checks: []Check{{Kind: "fail-under", Metric: "rougeL", Value: 0.1}}})
	_ = rep.WriteJSON(&buf)
	var raw map[string]any
	if err := json.Unmarshal(buf.Bytes(), &raw); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"schema", "metrics", "items", "gate", "baseline", "config", "system"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("report JSON has no %q", k)
		}
	}
}
