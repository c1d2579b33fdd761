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
	pairs, err := ReadPairs(bytes.NewReader(raw), "frank_pairs.jsonl")
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
		pairs, err := ReadPairs(bytes.NewReader(in), "bench")
		if err != nil {
			b.Fatal(err)
		}
		res, err := ScorePairs(context.Background(), pairs, ScoreOptions{Metrics: ms, Stem: true, Workers: workers})
		if err != nil {
			b.Fatal(err)
		}
		enc := json.NewEncoder(io.Discard)
		for i := range res.Pairs {
			if err := enc.Encode(&res.Pairs[i]); err != nil {
				b.Fatal(err)
			}
		}
		n += len(pairs)
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "pairs/s")
}

func BenchmarkScore10kAll1Core(b *testing.B)    { benchmarkScore(b, 1, "all", true) }
func BenchmarkScore10kAllCores(b *testing.B)    { benchmarkScore(b, 0, "all", true) }
func BenchmarkScore10kDetectLang(b *testing.B)  { benchmarkScore(b, 1, "all", false) }
func BenchmarkScore10kRouge1Core(b *testing.B)  { benchmarkScore(b, 1, "rouge", true) }
func BenchmarkScore10kBLEU1Core(b *testing.B)   { benchmarkScore(b, 1, "bleu", true) }
func BenchmarkScore10kChrF1Core(b *testing.B)   { benchmarkScore(b, 1, "chrf", true) }
func BenchmarkScore10kChrFpp1Core(b *testing.B) { benchmarkScore(b, 1, "chrf++", true) }
func BenchmarkScore10kTER1Core(b *testing.B)    { benchmarkScore(b, 1, "ter", true) }

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
		pairs, err := ReadPairs(bytes.NewReader(in), "bench")
		if err != nil {
			b.Fatal(err)
		}
		scores := make([]PairScore, len(pairs))
		if err := parallel(context.Background(), len(pairs), 0, func(i int) {
			v := float64(i)
			scores[i] = PairScore{ID: pairs[i].ID, Rouge1: &PRF{v, v, v}, Rouge2: &PRF{v, v, v}, RougeL: &PRF{v, v, v}, RougeLsum: &PRF{v, v, v}, BLEU: &v, ChrF: &v, ChrFpp: &v, TER: &v}
		}); err != nil {
			b.Fatal(err)
		}
		enc := json.NewEncoder(io.Discard)
		for i := range scores {
			if err := enc.Encode(&scores[i]); err != nil {
				b.Fatal(err)
			}
		}
		n += len(pairs)
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "pairs/s")
}
