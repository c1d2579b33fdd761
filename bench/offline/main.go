// Command offline measures tarjama's offline engine on the shared data:
//
//	go run ./bench/offline -data /work/shared/data -task summary
//	go run ./bench/offline -data /work/shared/data -task keywords
//	go run ./bench/offline -data /work/shared/data -task tune
//
// summary: ROUGE (XL-Sum multilingual scorer, no stemmer, F1×100) on
// ant_bbc_arabic_summaries for Lead-1, plain TextRank and tarjama's
// summarizer, at one sentence and at a ~23-word budget. Records are split
// by the SHA-256 of their id into a tuning half and a report half
// (-split tune|report|all); the weights in DefaultSummaryOptions were tuned
// on the tuning half only.
//
// keywords: exact-match F1@10 on akec_arabic_keyphrases against the 10
// phrases most workers chose, both sides normalized with text.Normalize.
package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/tarjama/tarjama/eval/metrics"
	"github.com/tarjama/tarjama/pipeline/offline"
	"github.com/tarjama/tarjama/pipeline/text"
)

func main() {
	data := flag.String("data", envOr("TARJAMA_DATA", "/work/shared/data"), "shared data directory")
	task := flag.String("task", "summary", "summary, keywords or tune")
	split := flag.String("split", "report", "tune, report or all (summary records)")
	flag.Parse()
	ctx := context.Background()
	var err error
	switch *task {
	case "summary":
		err = runSummary(*data, *split)
	case "diag":
		err = runDiag(*data)
	case "dump":
		err = runDump(*data)
	case "tune":
		err = runTune(*data)
	case "keywords":
		err = runKeywords(ctx, *data)
	default:
		err = fmt.Errorf("unknown -task %q", *task)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "offline bench:", err)
		os.Exit(1)
	}
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

type bbcRecord struct {
	ID      string `json:"id"`
	Title   string `json:"title"`
	Summary string `json:"summary"`
	Article string `json:"article"`
}

func readJSONL[T any](path string) ([]T, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open data: %w", err)
	}
	defer f.Close()
	var out []T
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var v T
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		out = append(out, v)
	}
	return out, sc.Err()
}

// inTuneHalf puts a record in the tuning half by the first byte of the
// SHA-256 of its id.
func inTuneHalf(id string) bool {
	h := sha256.Sum256([]byte("tarjama-offline-tune:" + id))
	return h[0] < 128
}

func loadBBC(data, split string) ([]bbcRecord, error) {
	recs, err := readJSONL[bbcRecord](filepath.Join(data, "ant_bbc_arabic_summaries", "ant_bbc_arabic_summaries.jsonl"))
	if err != nil {
		return nil, err
	}
	var out []bbcRecord
	for _, r := range recs {
		switch {
		case split == "all",
			split == "tune" && inTuneHalf(r.ID),
			split == "report" && !inTuneHalf(r.ID):
			out = append(out, r)
		}
	}
	return out, nil
}

// system makes a summary of an article.
type system struct {
	name string
	run  func(r bbcRecord) string
}

func joinSents(ss []offline.Sentence) string {
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = s.Text
	}
	return strings.Join(parts, " ")
}

func lead(words int) func(r bbcRecord) string {
	return func(r bbcRecord) string {
		var out []string
		n := 0
		for _, p := range text.Paragraphs(r.Article) {
			for _, sp := range text.Sentences(p) {
				s := sp.In(p)
				w := len(text.Tokens(s))
				// The same budget rule as offline.Summarize: stop at the
				// budget, never overshoot it by more than a quarter
				// (except with the first sentence).
				if words == 0 && len(out) == 1 || words > 0 && (n >= words || len(out) > 0 && n+w > words+words/4) {
					return strings.Join(out, " ")
				}
				out = append(out, s)
				n += w
			}
		}
		return strings.Join(out, " ")
	}
}

func withOpts(opts offline.SummaryOptions) func(r bbcRecord) string {
	return func(r bbcRecord) string {
		return joinSents(offline.Summarize(text.Paragraphs(r.Article), "ar", opts))
	}
}

// oracle picks the single sentence with the best ROUGE-2 F1.
func oracle(r bbcRecord) string {
	best, bestScore := "", -1.0
	for _, p := range text.Paragraphs(r.Article) {
		for _, sp := range text.Sentences(p) {
			s := sp.In(p)
			if sc := score(s, r.Summary).R2.F1; sc > bestScore {
				best, bestScore = s, sc
			}
		}
	}
	return best
}

// score is the XL-Sum multilingual scorer, no stemmer.
func score(hyp, ref string) metrics.Rouge {
	return metrics.ScoreRouge(hyp, ref, metrics.RougeOptions{Lang: "ar"})
}

type rougeMean struct{ r1, r2, rl float64 }

func evaluate(recs []bbcRecord, sys func(bbcRecord) string) (rougeMean, float64) {
	var m rougeMean
	words := 0
	for _, r := range recs {
		h := sys(r)
		words += len(text.Tokens(h))
		s := score(h, r.Summary)
		m.r1 += s.R1.F1
		m.r2 += s.R2.F1
		m.rl += s.RL.F1
	}
	n := float64(len(recs))
	return rougeMean{100 * m.r1 / n, 100 * m.r2 / n, 100 * m.rl / n}, float64(words) / n
}

func runSummary(data, split string) error {
	recs, err := loadBBC(data, split)
	if err != nil {
		return err
	}
	one := offline.DefaultSummaryOptions()
	one.Sentences = 1
	words := offline.DefaultSummaryOptions()
	words.Words = 23
	plainWords := offline.PlainTextRankOptions(0)
	plainWords.Words = 23
	systems := []system{
		{"Lead-1", lead(0)},
		{"TextRank, no prior (1 sentence)", withOpts(offline.PlainTextRankOptions(1))},
		{"tarjama textrank+position (1 sentence)", withOpts(one)},
		{"Oracle (best R2 sentence)", oracle},
		{"Lead, ~23 words", lead(23)},
		{"TextRank, no prior, ~23 words", withOpts(plainWords)},
		{"tarjama textrank+position, ~23 words", withOpts(words)},
	}
	fmt.Printf("ant_bbc_arabic_summaries, split=%s, %d articles; ROUGE F1×100 (XL-Sum multilingual scorer, no stemmer)\n\n", split, len(recs))
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 1, ' ', tabwriter.Debug)
	fmt.Fprintln(tw, "system\tR1\tR2\tRL\tmean words")
	for _, s := range systems {
		m, w := evaluate(recs, s.run)
		fmt.Fprintf(tw, "%s\t%.2f\t%.2f\t%.2f\t%.1f\n", s.name, m.r1, m.r2, m.rl, w)
	}
	return tw.Flush()
}

// runTune grid-searches the summarizer's weights at one sentence on the
// tuning half and prints the best settings by ROUGE-2.
func runTune(data string) error {
	recs, err := loadBBC(data, "tune")
	if err != nil {
		return err
	}
	type result struct {
		opts offline.SummaryOptions
		m    rougeMean
	}
	var results []result
	base := offline.DefaultSummaryOptions()
	base.Sentences = 1
	for _, rw := range []float64{0, 0.1, 0.2, 0.35, 0.5} {
		for _, decay := range []float64{0.5, 1, 2} {
			for _, soft := range []float64{0, 0.1, 0.3, 0.6} {
				for _, minw := range []int{5, 8} {
					o := base
					o.RankWeight, o.LeadDecay, o.SoftPenalty, o.MinWords = rw, decay, soft, minw
					m, _ := evaluate(recs, withOpts(o))
					results = append(results, result{o, m})
				}
			}
		}
	}
	sort.Slice(results, func(i, j int) bool { return results[i].m.r2 > results[j].m.r2 })
	lm, _ := evaluate(recs, lead(0))
	fmt.Printf("tuning half: %d articles; Lead-1 R1/R2/RL %.2f/%.2f/%.2f\n", len(recs), lm.r1, lm.r2, lm.rl)
	for _, r := range results[:min(15, len(results))] {
		fmt.Printf("R2 %.2f R1 %.2f RL %.2f  rank=%.2f decay=%.1f soft=%.1f minw=%d\n",
			r.m.r2, r.m.r1, r.m.rl, r.opts.RankWeight, r.opts.LeadDecay, r.opts.SoftPenalty, r.opts.MinWords)
	}
	return nil
}
