// Package brieftest holds test helpers for briefings: Articles makes
// synthetic pipeline results in stories of a given size, and Model is a
// scripted model for the fake server (llmtest) that answers the brief
// prompts with valid, cited JSON.
package brieftest

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/tarjama/tarjama/pipeline"
	"github.com/tarjama/tarjama/pipeline/llm/llmtest"
)

// Articles returns n English results in stories of perStory articles (the
// last story may be smaller), numbered art-0001..., deterministic. Their
// text is made-up words: each story has its own vocabulary of 30 words
// (its names and subject) and every article also draws from 300 words
// shared by all stories, like real news about different events; a summary
// is three sentences, about 60 words (~90 tokens).
func Articles(n, perStory int) []pipeline.Result {
	common := make([]string, 300)
	for i := range common {
		common[i] = word(uint64(1_000_000 + i))
	}
	out := make([]pipeline.Result, n)
	for i := range n {
		s := i / perStory
		vocab := make([]string, 30)
		for k := range vocab {
			vocab[k] = word(uint64(s*100 + k))
		}
		rng := rand.New(rand.NewPCG(uint64(i), 42))
		sentence := func(words int) string {
			ws := make([]string, words)
			for k := range ws {
				if rng.IntN(10) < 6 {
					ws[k] = vocab[rng.IntN(len(vocab))]
				} else {
					ws[k] = common[rng.IntN(len(common))]
				}
			}
			return capitalize(strings.Join(ws, " ")) + "."
		}
		summary := sentence(22) + " " + sentence(20) + " " + sentence(18)
		title := capitalize(vocab[0] + " " + vocab[1] + " " + vocab[2] + " " + common[rng.IntN(len(common))])
		out[i] = pipeline.Result{
			Schema:    pipeline.SchemaVersion,
			ID:        fmt.Sprintf("art-%04d", i+1),
			URL:       fmt.Sprintf("https://outlet%d.example/news/%d", i%7, i+1),
			Published: fmt.Sprintf("2026-03-%02d", 1+s%28),
			Engine:    "llm",
			Language:  pipeline.Detection{Lang: "en", Confidence: 1},
			Clean:     pipeline.Cleaned{Title: title, Paragraphs: []string{summary}},
			Summary:   &pipeline.Summary{Lang: "en", Kind: "abstractive", Text: summary},
			Keywords: []pipeline.Keyword{
				{Text: capitalize(vocab[0]), Type: "location", Source: "llm"},
				{Text: capitalize(vocab[1]), Type: "person", Source: "llm"},
			},
		}
	}
	return out
}

// word is a made-up word, 2–4 syllables, determined by x.
func word(x uint64) string {
	syl := []string{"ka", "ro", "ven", "tal", "mir", "zu", "bes", "or", "qan", "lid", "sha", "fer", "du", "nim", "pa", "sor"}
	rng := rand.New(rand.NewPCG(x, 7))
	var b strings.Builder
	for range 2 + rng.IntN(3) {
		b.WriteString(syl[rng.IntN(len(syl))])
	}
	return b.String()
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

var (
	numberLine = regexp.MustCompile(`(?m)^\[(\d+)\]$`)
	citeMark   = regexp.MustCompile(`\[(\d+)`)
)

// Model answers the brief_section and brief_bluf prompts for the fake
// server: two statements per section citing the sources the prompt lists,
// three bottom-line bullets citing the numbers in the sections. Its answers
// are about 40–80 tokens, like a terse real model's.
func Model(r llmtest.ChatRequest) llmtest.Reply {
	user := r.LastUser()
	if strings.Contains(r.System(), "bottom line up front") {
		nums := numbers(citeMark, user)
		if len(nums) == 0 {
			return llmtest.ServerError(500)
		}
		var bullets []map[string]any
		for i := range min(3, len(nums)) {
			bullets = append(bullets, map[string]any{"text": fmt.Sprintf("Development number %d across the region.", i+1), "cites": nums[i : i+1]})
		}
		return llmtest.JSON(map[string]any{"bullets": bullets})
	}
	re := numberLine
	if strings.Contains(user, "too long for one pass") {
		re = citeMark // a merging call lists partial statements, not articles
	}
	nums := numbers(re, user)
	if len(nums) == 0 {
		return llmtest.ServerError(500)
	}
	return llmtest.JSON(map[string]any{
		"title": "The story",
		"statements": []map[string]any{
			{"text": "Officials reported the event and residents described the scene.", "cites": nums},
			{"text": "Authorities promised an inquiry.", "cites": nums[:1]},
		},
		"disagreements": []any{},
	})
}

func numbers(re *regexp.Regexp, s string) []int {
	seen := map[int]bool{}
	var out []int
	for _, m := range re.FindAllStringSubmatch(s, -1) {
		n, _ := strconv.Atoi(m[1])
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	sort.Ints(out)
	return out
}
