// Command brief measures the briefing's two scale properties by hand:
//
//   - grouping quality: NTREX-128 documents (CC BY-SA 4.0, Federmann, Kocmi
//     and Xin 2022; English source from WMT19) are each cut into two
//     "articles" (the headline and first half, the second half), so each
//     story has exactly two articles; TF-IDF grouping is scored by pairwise
//     precision and recall over a range of thresholds, with both halves in
//     English, both in Arabic (no translation: the offline case), and one
//     in each (no translation: what TF-IDF cannot do);
//   - model calls and tokens against the fake server (llmtest) for 10, 50
//     and 200 synthetic articles.
//
// Usage: go run ./bench/brief [-data /work/shared/data/ntrex128_arb_eng]
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/tarjama/tarjama/pipeline"
	"github.com/tarjama/tarjama/pipeline/brief"
	"github.com/tarjama/tarjama/pipeline/brief/brieftest"
	"github.com/tarjama/tarjama/pipeline/brief/llmbrief"
	"github.com/tarjama/tarjama/pipeline/llm"
	"github.com/tarjama/tarjama/pipeline/llm/llmtest"
	"github.com/tarjama/tarjama/pipeline/llm/tokens"
	"github.com/tarjama/tarjama/prompts"
)

func main() {
	data := flag.String("data", os.Getenv("TARJAMA_NTREX"), "NTREX-128 folder with documents.jsonl (default $TARJAMA_NTREX or /work/shared/data/ntrex128_arb_eng)")
	flag.Parse()
	if *data == "" {
		*data = "/work/shared/data/ntrex128_arb_eng"
	}
	ctx := context.Background()
	if err := grouping(ctx, filepath.Join(*data, "documents.jsonl")); err != nil {
		fmt.Fprintln(os.Stderr, "grouping:", err)
		os.Exit(1)
	}
	if err := calls(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "calls:", err)
		os.Exit(1)
	}
}

type doc struct {
	ID          string `json:"doc_id"`
	SrcHeadline string `json:"src_headline"`
	SrcBody     string `json:"src_body"`
	RefHeadline string `json:"ref_headline"`
	RefBody     string `json:"ref_body"`
}

// half makes one article from lines[a:b] of a document.
func half(id, lang, title string, lines []string) pipeline.Result {
	return pipeline.Result{
		ID:       id,
		Language: pipeline.Detection{Lang: lang},
		Clean:    pipeline.Cleaned{Title: title, Paragraphs: lines},
		Keywords: []pipeline.Keyword{},
	}
}

func grouping(ctx context.Context, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	var docs []doc
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		var d doc
		if err := json.Unmarshal(sc.Bytes(), &d); err != nil {
			return err
		}
		docs = append(docs, d)
	}
	if err := sc.Err(); err != nil {
		return err
	}
	fmt.Printf("## Grouping: %d NTREX-128 documents, each cut into two articles (%d articles, %d true pairs)\n\n", len(docs), 2*len(docs), len(docs))
	fmt.Println("| languages | threshold | sections | pair precision | pair recall | F1 |")
	fmt.Println("|---|---:|---:|---:|---:|---:|")
	for _, mode := range []string{"en+en", "ar+ar", "en+ar"} {
		var rs []pipeline.Result
		for _, d := range docs {
			en, ar := strings.Split(d.RefBody, "\n"), strings.Split(d.SrcBody, "\n")
			me, ma := len(en)/2, len(ar)/2
			switch mode {
			case "en+en":
				rs = append(rs, half(d.ID+"#1", "en", d.RefHeadline, en[:me]), half(d.ID+"#2", "en", "", en[me:]))
			case "ar+ar":
				rs = append(rs, half(d.ID+"#1", "ar", d.SrcHeadline, ar[:ma]), half(d.ID+"#2", "ar", "", ar[ma:]))
			default:
				rs = append(rs, half(d.ID+"#1", "en", d.RefHeadline, en[:me]), half(d.ID+"#2", "ar", "", ar[ma:]))
			}
		}
		for _, th := range []float64{0.05, 0.08, 0.10, 0.12, 0.15, 0.20, 0.30} {
			b, err := (&brief.Builder{Options: brief.Options{TFIDFThreshold: th}}).Build(ctx, rs)
			if err != nil {
				return err
			}
			p, r, n := pairs(b)
			f1 := 0.0
			if p+r > 0 {
				f1 = 2 * p * r / (p + r)
			}
			fmt.Printf("| %s | %.2f | %d | %.3f | %.3f | %.3f |\n", mode, th, n, p, r, f1)
		}
	}
	fmt.Println()
	return nil
}

// pairs scores the sections against the true stories (the part of the ID
// before '#'): precision and recall over pairs of articles.
func pairs(b *brief.Briefing) (precision, recall float64, sections int) {
	id := map[int]string{}
	for _, s := range b.Sources {
		id[s.N] = s.ID
	}
	story := func(n int) string { s, _, _ := strings.Cut(id[n], "#"); return s }
	together, correct := 0, 0
	found := map[string]bool{}
	for _, sec := range b.Sections {
		for i, a := range sec.Articles {
			for _, c := range sec.Articles[i+1:] {
				together++
				if story(a.Source) == story(c.Source) {
					correct++
					found[story(a.Source)] = true
				}
			}
		}
	}
	truePairs := len(b.Sources) / 2
	if together > 0 {
		precision = float64(correct) / float64(together)
	}
	recall = float64(len(found)) / float64(truePairs)
	return precision, recall, len(b.Sections)
}

func calls(ctx context.Context) error {
	set, err := prompts.Load("")
	if err != nil {
		return err
	}
	fmt.Println("## Model calls and tokens against the fake server (synthetic English articles, ~90-token summaries, token budget 3000)")
	fmt.Println()
	fmt.Println("| articles | per story | sections | chat calls | embeddings requests | prompt tokens | completion tokens | largest prompt (cl100k) |")
	fmt.Println("|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, tc := range []struct{ n, per int }{{10, 5}, {50, 5}, {200, 5}, {200, 200}} {
		srv := llmtest.New()
		srv.Handler = brieftest.Model
		srv.EmbedDim = 1024
		c, err := llm.New(llm.Config{BaseURL: srv.URL, APIKey: "sk-bench", Model: "test-model", MaxRetries: -1})
		if err != nil {
			srv.Close()
			return err
		}
		b := &brief.Builder{
			Synthesizer: &llmbrief.Synthesizer{Client: c, Prompts: set},
			Embedder:    &llmbrief.Embedder{Client: c},
			Options:     brief.Options{CountTokens: tokens.Count, EmbeddingThreshold: 0.35},
		}
		br, err := b.Build(ctx, brieftest.Articles(tc.n, tc.per))
		if err != nil {
			srv.Close()
			return err
		}
		largest := 0
		for _, r := range srv.Requests() {
			n := 0
			for _, m := range r.Messages {
				n += tokens.Count(m.Content)
			}
			largest = max(largest, n)
		}
		fmt.Printf("| %d | %d | %d | %d | %d | %d | %d | %d |\n", tc.n, tc.per, len(br.Sections), srv.Calls(), srv.EmbedCalls(), br.Usage.PromptTokens, br.Usage.CompletionTokens, largest)
		srv.Close()
	}
	return nil
}
