package llmbrief

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/tarjama/tarjama/pipeline/brief"
	"github.com/tarjama/tarjama/pipeline/brief/brieftest"
	"github.com/tarjama/tarjama/pipeline/llm"
	"github.com/tarjama/tarjama/pipeline/llm/llmtest"
	"github.com/tarjama/tarjama/pipeline/llm/tokens"
	"github.com/tarjama/tarjama/prompts"
)

// BenchmarkBrief measures how a briefing's model calls and tokens grow with
// the number of articles, against the fake server: stories of 5 articles,
// and one story of every article (which must be split), grouped by TF-IDF
// or by the fake server's embeddings (a hashed bag of words, which merges
// stories on the same topic, so it finds fewer sections). Reported per
// briefing: chat calls, embeddings requests, prompt and completion tokens
// (the fake server counts about 4 bytes a token; embeddings tokens
// included), the largest prompt of one call (tiktoken cl100k), and
// sections.
func BenchmarkBrief(b *testing.B) {
	set, err := prompts.Load("")
	if err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct {
		n, perStory int
		grouping    string
	}{{10, 5, "tfidf"}, {50, 5, "tfidf"}, {200, 5, "tfidf"}, {200, 200, "tfidf"}, {10, 5, "embeddings"}, {50, 5, "embeddings"}, {200, 5, "embeddings"}} {
		b.Run(fmt.Sprintf("articles=%d/per_story=%d/grouping=%s", tc.n, tc.perStory, tc.grouping), func(b *testing.B) {
			results := brieftest.Articles(tc.n, tc.perStory)
			srv := llmtest.New()
			defer srv.Close()
			srv.Handler = brieftest.Model
			srv.EmbedDim = 1024
			c, err := llm.New(llm.Config{BaseURL: srv.URL, APIKey: "sk-test", Model: "test-model", MaxRetries: -1})
			if err != nil {
				b.Fatal(err)
			}
			var br *brief.Briefing
			b.ResetTimer()
			for b.Loop() {
				bld := &brief.Builder{
					Synthesizer: &Synthesizer{Client: c, Prompts: set},
					Options:     brief.Options{CountTokens: tokens.Count, EmbeddingThreshold: 0.35},
				}
				if tc.grouping == "embeddings" {
					bld.Embedder = &Embedder{Client: c}
				}
				br, err = bld.Build(context.Background(), results)
				if err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			reqs := srv.Requests()
			maxPrompt := 0
			for _, r := range reqs {
				n := 0
				for _, m := range r.Messages {
					n += tokens.Count(m.Content)
				}
				maxPrompt = max(maxPrompt, n)
			}
			runs := float64(b.N)
			b.ReportMetric(float64(srv.Calls())/runs, "chat-calls/op")
			b.ReportMetric(float64(srv.EmbedCalls())/runs, "embed-requests/op")
			b.ReportMetric(float64(br.Usage.PromptTokens), "prompt-tokens/op")
			b.ReportMetric(float64(br.Usage.CompletionTokens), "completion-tokens/op")
			b.ReportMetric(float64(maxPrompt), "max-call-prompt-tokens")
			b.ReportMetric(float64(len(br.Sections)), "sections")
			if len(br.Problems) != 0 || strings.Contains(strings.Join(br.Notes, " "), "failed") {
				b.Errorf("citation problems %v, notes %v", br.Problems, br.Notes)
			}
		})
	}
}
