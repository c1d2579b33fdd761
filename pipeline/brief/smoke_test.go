package brief

import (
	"context"
	"os"
	"testing"
)

func TestSmoke(t *testing.T) {
	f, _ := os.Open("../../testdata/brief/arabic_only.jsonl")
	rs, err := ReadResults(f)
	if err != nil {
		t.Fatal(err)
	}
	arts := []*article{}
	for i := range rs {
		a, _ := newArticle(i, &rs[i])
		arts = append(arts, a)
	}
	sim := tfidfSimilarity(arts)
	for i := range sim {
		t.Logf("%v %.2f", rs[i].ID, sim[i])
	}
	b := &Builder{}
	br, err := b.Build(context.Background(), rs)
	if err != nil {
		t.Fatal(err)
	}
	WriteMarkdown(os.Stdout, br)
}
