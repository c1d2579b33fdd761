package eval

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"testing"
)

// benchPairs is 10,000 English summary pairs: the FRANK sample (135 system
// summaries against their references) repeated, as JSON Lines.
func benchPairs(b *testing.B, withLang bool) []byte {
	b.Helper()
	raw, err := os.ReadFile("../testdata/eval/frank_pairs.jsonl")
	if err != nil {
		b.Fatal(err)
	}
	pairs, err := ReadPairs(context.Background(), bytes.NewReader(raw), "frank_pairs.jsonl")
	if err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for i := range 10000 {
		p := pairs[i%len(pairs)]
		line := map[string]any{"id": fmt.Sprintf("%s#%d", p.ID, i), "hyp": p.Hyp, "ref": p.Refs[0]}
		if withLang {
			line["lang"] = "en"
		}
		if err := enc.Encode(line); err != nil {
			b.Fatal(err)
		}
	}
	return buf.Bytes()
}

// benchmarkScore measures the tarjama score path end to end: parse the
// JSON Lines, score every metric (ROUGE with the stemmer), write the jsonl
// output.
func benchmarkScore(b *testing.B, workers int, metrics string, withLang bool) {
	in := benchPairs(b, withLang)
	ms, err := ParseMetrics(metrics)
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	b.ResetTimer()
	for b.Loop() {
		pairs, err := ReadPairs(context.Background(), bytes.NewReader(in), "bench")
		if err != nil {
			b.Fatal(err)
		}
		res, err := ScorePairs(context.Background(), pairs, ScoreOptions{Metrics: ms, Stem: true, Workers: workers})
		if err != nil {
			b.Fatal(err)
		}
		if err := res.WriteJSONL(context.Background(), io.Discard); err != nil {
			b.Fatal(err)
		}
		n += len(pairs)
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "pairs/s")
}

// BenchmarkScore10k scores 10,000 English summary pairs per metric set;
// run with -cpu 1,2 for one core and all cores (everything — parsing,
// scoring, writing — uses GOMAXPROCS workers).
func BenchmarkScore10k(b *testing.B) {
	for _, m := range []string{"all", "rouge", "bleu", "chrf", "chrf++", "ter", "rouge,bleu,chrf,chrf++"} {
		b.Run(m, func(b *testing.B) { benchmarkScore(b, 0, m, true) })
	}
	b.Run("all-detect-lang", func(b *testing.B) { benchmarkScore(b, 0, "all", false) })
}

// BenchmarkBootstrap measures 1000 resamples of every metric on the
// repository's evaluation set.
func BenchmarkBootstrap(b *testing.B) {
	items := loadItems(b)
	runs, err := Run(context.Background(), items, newFakeRunner(items, noisySystem("a", 0.2)), RunOptions{})
	if err != nil {
		b.Fatal(err)
	}
	rep, err := Score(context.Background(), items, runs, Config{Bootstrap: -1})
	if err != nil {
		b.Fatal(err)
	}
	ss := seriesOf(rep.Items)
	for b.Loop() {
		if _, err := bootstrapCI(context.Background(), ss, "13a", 1000, 1); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHarnessOverhead is the score path without the metrics: parse
// 10,000 pairs, hand them to the workers, write the jsonl lines.
func BenchmarkHarnessOverhead(b *testing.B) {
	in := benchPairs(b, true)
	n := 0
	for b.Loop() {
		pairs, err := ReadPairs(context.Background(), bytes.NewReader(in), "bench")
		if err != nil {
			b.Fatal(err)
		}
		scores := make([]PairScore, len(pairs))
		if err := parallel(context.Background(), len(pairs), 0, 16, func(i int) {
			v := float64(i)
			scores[i] = PairScore{ID: pairs[i].ID, Rouge1: &PRF{v, v, v}, Rouge2: &PRF{v, v, v}, RougeL: &PRF{v, v, v}, RougeLsum: &PRF{v, v, v}, BLEU: &v, ChrF: &v, ChrFpp: &v, TER: &v}
		}); err != nil {
			b.Fatal(err)
		}
		res := ScoreResult{Pairs: scores}
		if err := res.WriteJSONL(context.Background(), io.Discard); err != nil {
			b.Fatal(err)
		}
		n += len(pairs)
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "pairs/s")
}
