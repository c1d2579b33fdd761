package main

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/tarjama/tarjama/pipeline/offline"
	"github.com/tarjama/tarjama/pipeline/text"
)

type akecRecord struct {
	ID         string   `json:"id"`
	Text       string   `json:"text"`
	Keyphrases []string `json:"keyphrases"`
}

// matchForm is the form both predicted and gold phrases are compared in:
// text.Normalize, punctuation dropped, words joined by one space. With
// light=true each word also loses its Arabic proclitics (text.LightStem).
func matchForm(s string, light bool) string {
	ws := text.Words(s)
	if light {
		for i, w := range ws {
			ws[i] = text.LightStem(w)
		}
	}
	return strings.Join(ws, " ")
}

// f1At scores the first k predictions against the first k gold phrases.
func f1At(pred, gold []string, k int, light bool) (p, r, f float64) {
	if len(pred) > k {
		pred = pred[:k]
	}
	if len(gold) > k {
		gold = gold[:k]
	}
	g := map[string]bool{}
	for _, s := range gold {
		g[matchForm(s, light)] = true
	}
	seen := map[string]bool{}
	hit := 0
	for _, s := range pred {
		m := matchForm(s, light)
		if g[m] && !seen[m] {
			hit++
		}
		seen[m] = true
	}
	if len(pred) == 0 || len(g) == 0 || hit == 0 {
		return 0, 0, 0
	}
	p, r = float64(hit)/float64(len(pred)), float64(hit)/float64(len(g))
	return p, r, 2 * p * r / (p + r)
}

// ngrams returns the normalized 1–3-grams of a text that neither start nor
// end with a stop word, with their counts.
func ngrams(doc string, maxN int) map[string]int {
	out := map[string]int{}
	for _, p := range text.Paragraphs(doc) {
		for _, sp := range text.Sentences(p) {
			toks := text.Tokens(sp.In(p))
			for i := range toks {
				for n := 1; n <= maxN && i+n <= len(toks); n++ {
					if text.IsStopWord("ar", toks[i].Text) || text.IsStopWord("ar", toks[i+n-1].Text) {
						continue
					}
					ws := make([]string, n)
					for k := range ws {
						ws[k] = text.Normalize(toks[i+k].Text)
					}
					if len([]rune(ws[0])) < 2 {
						continue
					}
					out[strings.Join(ws, " ")]++
				}
			}
		}
	}
	return out
}

func topK(m map[string]float64, k int) []string {
	keys := make([]string, 0, len(m))
	for s := range m {
		keys = append(keys, s)
	}
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	if len(keys) > k {
		keys = keys[:k]
	}
	return keys
}

func runKeywords(ctx context.Context, data string) error {
	recs, err := readJSONL[akecRecord](filepath.Join(data, "akec_arabic_keyphrases", "akec_arabic_keyphrases.jsonl"))
	if err != nil {
		return err
	}
	// Document frequencies over the shared split, for the TF-IDF baseline.
	grams := make([]map[string]int, len(recs))
	df := map[string]int{}
	for i, r := range recs {
		grams[i] = ngrams(r.Text, 3)
		for g := range grams[i] {
			df[g]++
		}
	}
	n := float64(len(recs))
	systems := []struct {
		name string
		run  func(i int, r akecRecord) []string
	}{
		{"most frequent 1–3-grams", func(i int, r akecRecord) []string {
			m := map[string]float64{}
			for g, c := range grams[i] {
				m[g] = float64(c)
			}
			return topK(m, 10)
		}},
		{"TF-IDF unigrams", func(i int, r akecRecord) []string {
			m := map[string]float64{}
			for g, c := range grams[i] {
				if !strings.Contains(g, " ") {
					m[g] = float64(c) * math.Log(n/float64(df[g]))
				}
			}
			return topK(m, 10)
		}},
		{"TF-IDF 1–3-grams", func(i int, r akecRecord) []string {
			m := map[string]float64{}
			for g, c := range grams[i] {
				m[g] = float64(c) * math.Log(n/float64(df[g]))
			}
			return topK(m, 10)
		}},
		{"YAKE (plain: no quote boost, exact-key dedupe)", yakeWith(offline.KeywordOptions{Max: 10, MaxWords: 3})},
		{"tarjama YAKE (DefaultKeywordOptions)", yakeWith(offline.DefaultKeywordOptions())},
		{"tarjama YAKE, no FragmentPenalty", yakeWith(func() offline.KeywordOptions { o := offline.DefaultKeywordOptions(); o.FragmentPenalty = 1; return o }())},
		{"tarjama YAKE, no PronounPenalty", yakeWith(func() offline.KeywordOptions { o := offline.DefaultKeywordOptions(); o.PronounPenalty = 1; return o }())},
		{"tarjama YAKE, no QuoteBoost", yakeWith(func() offline.KeywordOptions { o := offline.DefaultKeywordOptions(); o.QuoteBoost = 1; return o }())},
		{"tarjama YAKE, Subsume flipped", yakeWith(func() offline.KeywordOptions { o := offline.DefaultKeywordOptions(); o.Subsume = !o.Subsume; return o }())},
	}
	fmt.Printf("akec_arabic_keyphrases shared split, %d documents; F1@10 ×100 against the 10 phrases most workers chose\n", len(recs))
	fmt.Println("exact: text.Normalize on both sides (diacritics, tatweel, alef/ya/ta-marbuta, digits), punctuation dropped")
	fmt.Println("light: exact + Arabic proclitics stripped from every word (text.LightStem)")
	fmt.Println()
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 1, ' ', tabwriter.Debug)
	fmt.Fprintln(tw, "system\tP@10\tR@10\tF1@10 exact\tF1@10 light")
	for _, s := range systems {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		var sp, sr, sf, sl float64
		for i, r := range recs {
			pred := s.run(i, r)
			p, rr, f := f1At(pred, r.Keyphrases, 10, false)
			_, _, fl := f1At(pred, r.Keyphrases, 10, true)
			sp, sr, sf, sl = sp+p, sr+rr, sf+f, sl+fl
		}
		fmt.Fprintf(tw, "%s\t%.1f\t%.1f\t%.1f\t%.1f\n", s.name, 100*sp/n, 100*sr/n, 100*sf/n, 100*sl/n)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return crossValidate(recs)
}

// crossValidate tunes KeywordOptions on one half of the documents (by
// index parity) and scores the other half, both ways, so the reported
// number is on documents the settings were not chosen on.
func crossValidate(recs []akecRecord) error {
	var grid []offline.KeywordOptions
	for _, q := range []float64{1, 4, 8} {
		for _, pp := range []float64{1, 4} {
			for _, mw := range []float64{1, 1.5, 2} {
				for _, maxw := range []int{2, 3} {
					for _, mq := range []int{0, 4} {
						for _, fr := range []float64{1, 2} {
							grid = append(grid, offline.KeywordOptions{Max: 10, MaxWords: maxw, MaxQuotedWords: mq,
								QuoteBoost: q, Dedupe: 0.8, MultiWordBoost: mw, PronounPenalty: pp, FragmentPenalty: fr})
						}
					}
				}
			}
		}
	}
	// f1[g][i] is config g's exact F1@10 on document i.
	f1 := make([][]float64, len(grid))
	for g, o := range grid {
		run := yakeWith(o)
		f1[g] = make([]float64, len(recs))
		for i, r := range recs {
			_, _, f1[g][i] = f1At(run(i, r), r.Keyphrases, 10, false)
		}
	}
	held := 0.0
	for fold := 0; fold < 2; fold++ {
		best, bestF := 0, -1.0
		for g := range grid {
			f := 0.0
			for i := range recs {
				if i%2 != fold {
					f += f1[g][i]
				}
			}
			if f > bestF {
				best, bestF = g, f
			}
		}
		o := grid[best]
		fmt.Printf("fold %d: chose quote=%.0f pronoun=%.0f multi=%.1f maxwords=%d maxquoted=%d fragment=%.0f on the other half\n",
			fold, o.QuoteBoost, o.PronounPenalty, o.MultiWordBoost, o.MaxWords, o.MaxQuotedWords, o.FragmentPenalty)
		for i := range recs {
			if i%2 == fold {
				held += f1[best][i]
			}
		}
	}
	fmt.Printf("2-fold cross-validated exact F1@10 (settings chosen on the other half): %.1f\n", 100*held/float64(len(recs)))
	return nil
}

func yakeWith(o offline.KeywordOptions) func(int, akecRecord) []string {
	return func(_ int, r akecRecord) []string {
		ps := offline.Keyphrases(text.Paragraphs(r.Text), "ar", o)
		out := make([]string, len(ps))
		for i, p := range ps {
			out[i] = p.Text
		}
		return out
	}
}
