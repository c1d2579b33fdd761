package brief

import (
	"testing"

	"github.com/tarjama/tarjama/pipeline/llm/llmtest"
)

func TestDbg(t *testing.T) {
	rs := load(t, "articles.jsonl")
	var vs [][]float32
	for i := range rs {
		a, _ := newArticle(i, &rs[i])
		vs = append(vs, llmtest.Embedding(embeddingText(a), 1024))
	}
	for i, r := range embeddingSimilarity(vs) {
		t.Logf("%s %.2f", rs[i].ID, r)
	}
}
