// Command metrics measures the throughput of eval/metrics on English
// summary pairs (FRANK system summary vs the reference it was scored
// against), on one core and on all cores.
//
//	go run ./bench/metrics -data /work/shared/data/frank_en_summaries/frank_en_summaries.jsonl
//
// The one-core pass runs with GOMAXPROCS=1 (garbage collection included);
// its rate is printed both against wall-clock time and against the
// process's CPU time (user+system), since the wall clock is unreliable on a
// shared, loaded machine. The all-cores pass splits the pairs over
// runtime.NumCPU() goroutines.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"runtime"
	"slices"
	"sync"
	"syscall"
	"time"

	"github.com/tarjama/tarjama/eval/metrics"
)

type pair struct{ hyp, ref string }

func main() {
	data := flag.String("data", "/work/shared/data/frank_en_summaries/frank_en_summaries.jsonl", "FRANK jsonl file")
	n := flag.Int("n", 10000, "number of pairs to score per metric (the set is repeated)")
	only := flag.String("metric", "", "run only this metric")
	flag.Parse()
	if err := run(*data, *n, *only); err != nil {
		fmt.Fprintln(os.Stderr, "metrics bench:", err)
		os.Exit(1)
	}
}

func load(path string) ([]pair, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open data: %w", err)
	}
	defer f.Close()
	var out []pair
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	for sc.Scan() {
		var rec struct {
			Systems []struct {
				Summary       string `json:"summary"`
				ReferenceUsed string `json:"reference_used"`
			} `json:"systems"`
		}
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			return nil, fmt.Errorf("decode record: %w", err)
		}
		for _, s := range rec.Systems {
			out = append(out, pair{s.Summary, s.ReferenceUsed})
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read data: %w", err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no pairs in %s", path)
	}
	return out, nil
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

type metric struct {
	name  string
	score func(p pair)
}

func run(path string, n int, only string) error {
	base, err := load(path)
	if err != nil {
		return err
	}
	pairs := make([]pair, n)
	for i := range pairs {
		pairs[i] = base[i%len(base)]
	}
	ms := []metric{
		{"rouge (en, Porter stem)", func(p pair) { metrics.ScoreRouge(p.hyp, p.ref, metrics.RougeOptions{Lang: "en", Stem: true}) }},
		{"rouge (en, no stem)", func(p pair) { metrics.ScoreRouge(p.hyp, p.ref, metrics.RougeOptions{Lang: "en"}) }},
		{"rouge (XL-Sum tokenizer)", func(p pair) { metrics.ScoreRouge(p.hyp, p.ref, metrics.RougeOptions{Lang: "xx"}) }},
		{"sentence BLEU (13a)", func(p pair) {
			metrics.SentenceBLEU(p.hyp, []string{p.ref}, metrics.BLEUOptions{EffectiveOrder: true})
		}},
		{"chrF", func(p pair) { metrics.SentenceChrF(p.hyp, []string{p.ref}, metrics.ChrFOptions{}) }},
		{"chrF++", func(p pair) { metrics.SentenceChrF(p.hyp, []string{p.ref}, metrics.ChrFOptions{WordOrder: 2}) }},
		{"TER", func(p pair) { metrics.SentenceTER(p.hyp, []string{p.ref}) }},
	}
	each := slices.Clone(ms)
	all := metric{"all of the above", func(p pair) {
		for _, m := range each {
			m.score(p)
		}
	}}
	ms = append(ms, all)
	fmt.Printf("%d pairs (%d distinct), %d CPUs, %s\n\n", len(pairs), len(base), runtime.NumCPU(), runtime.Version())
	fmt.Printf("| metric | 1 core pairs/s (wall) | 1 core pairs/s (CPU time) | %d cores pairs/s (wall) |\n| --- | ---: | ---: | ---: |\n", runtime.NumCPU())
	for _, m := range ms {
		if only != "" && m.name != only {
			continue
		}
		// warm-up
		for _, p := range pairs[:min(200, len(pairs))] {
			m.score(p)
		}
		runtime.GC()
		prev := runtime.GOMAXPROCS(1) // one core, GC included
		c0, t0 := cpuTime(), time.Now()
		for _, p := range pairs {
			m.score(p)
		}
		wall1, cpu1 := time.Since(t0), cpuTime()-c0
		runtime.GOMAXPROCS(prev)
		workers := runtime.NumCPU()
		t1 := time.Now()
		var wg sync.WaitGroup
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := w; i < len(pairs); i += workers {
					m.score(pairs[i])
				}
			}()
		}
		wg.Wait()
		wallN := time.Since(t1)
		fmt.Printf("| %s | %.0f | %.0f | %.0f |\n", m.name,
			float64(len(pairs))/wall1.Seconds(), float64(len(pairs))/cpu1.Seconds(), float64(len(pairs))/wallN.Seconds())
	}
	return nil
}
