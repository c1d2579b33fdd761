package metrics

import (
	"bufio"
	"encoding/json"
	"os"
	"testing"
)

type benchPair struct{ Hyp, Ref string }

func loadPairs(b *testing.B) []benchPair {
	b.Helper()
	f, err := os.Open("../../testdata/metrics/frank_pairs.jsonl")
	if err != nil {
		b.Fatalf("open pairs: %v", err)
	}
	defer f.Close()
	var out []benchPair
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<22)
	for sc.Scan() {
		var p struct{ Hyp, Ref string }
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
			b.Fatal(err)
		}
		out = append(out, benchPair{p.Hyp, p.Ref})
	}
	if len(out) == 0 {
		b.Fatal("no pairs")
	}
	return out
}

func runPairs(b *testing.B, score func(p benchPair)) {
	pairs := loadPairs(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		score(pairs[i%len(pairs)])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pairs/s")
}

func BenchmarkRougeStem(b *testing.B) {
	runPairs(b, func(p benchPair) { ScoreRouge(p.Hyp, p.Ref, RougeOptions{Lang: "en", Stem: true}) })
}

func BenchmarkRougeNoStem(b *testing.B) {
	runPairs(b, func(p benchPair) { ScoreRouge(p.Hyp, p.Ref, RougeOptions{Lang: "en"}) })
}

func BenchmarkRougeXLSum(b *testing.B) {
	runPairs(b, func(p benchPair) { ScoreRouge(p.Hyp, p.Ref, RougeOptions{Lang: "xx"}) })
}

func BenchmarkSentenceBLEU(b *testing.B) {
	runPairs(b, func(p benchPair) {
		SentenceBLEU(p.Hyp, []string{p.Ref}, BLEUOptions{EffectiveOrder: true})
	})
}

func BenchmarkSentenceBLEUIntl(b *testing.B) {
	runPairs(b, func(p benchPair) {
		SentenceBLEU(p.Hyp, []string{p.Ref}, BLEUOptions{Tokenize: "intl", EffectiveOrder: true})
	})
}

func BenchmarkChrF(b *testing.B) {
	runPairs(b, func(p benchPair) { SentenceChrF(p.Hyp, []string{p.Ref}, ChrFOptions{}) })
}

func BenchmarkChrFpp(b *testing.B) {
	runPairs(b, func(p benchPair) { SentenceChrF(p.Hyp, []string{p.Ref}, ChrFOptions{WordOrder: 2}) })
}

func BenchmarkTER(b *testing.B) {
	runPairs(b, func(p benchPair) { SentenceTER(p.Hyp, []string{p.Ref}) })
}
