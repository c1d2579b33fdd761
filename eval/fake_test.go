package eval

import (
	"context"
	"fmt"
	"hash/fnv"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/tarjama/tarjama/pipeline"
)

// loadItems reads the repository's evaluation set.
func loadItems(t testing.TB) []Item {
	t.Helper()
	items, err := LoadDataset("../testdata/eval/eval.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	return items
}

// testItems is a fast subset of the evaluation set (the NTREX documents
// are long and TER on them is the slowest part of scoring): the seed, the
// four shortest NTREX documents and eight BBC articles.
func testItems(t testing.TB) []Item {
	t.Helper()
	var out []Item
	n := map[string]int{}
	limit := map[string]int{"seed": 1, "ntrex": 4, "bbc": 8}
	all := loadItems(t)
	slices.SortStableFunc(all, func(a, b Item) int { return len(a.Text) - len(b.Text) })
	for _, it := range all {
		kind, _, _ := strings.Cut(it.ID, "-")
		if n[kind] < limit[kind] {
			n[kind]++
			out = append(out, it)
		}
	}
	slices.SortFunc(out, func(a, b Item) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// dropWords removes each word with probability rate, deterministically
// from salt and the word's position: a system that is close to the
// reference with item-to-item variation.
func dropWords(s, salt string, rate float64) string {
	ws := strings.Fields(s)
	out := ws[:0:0]
	for i, w := range ws {
		h := fnv.New32a()
		fmt.Fprintf(h, "%s/%d", salt, i)
		if float64(h.Sum32()%1000)/1000 >= rate {
			out = append(out, w)
		}
	}
	return strings.Join(out, " ")
}

// truncate keeps the first share of the words.
func truncate(s string, share float64) string {
	ws := strings.Fields(s)
	return strings.Join(ws[:int(float64(len(ws))*share)], " ")
}

// system makes a fake pipeline output for an item from its references.
type system func(it Item) *pipeline.Result

func resultWith(it Item, summary string, paragraphs []string, kws []string) *pipeline.Result {
	r := &pipeline.Result{Schema: pipeline.SchemaVersion, ID: it.ID, Engine: "fake", Keywords: []pipeline.Keyword{}}
	if summary != "" {
		r.Summary = &pipeline.Summary{Lang: it.summaryLang(), Text: summary, Kind: "abstractive"}
	}
	if paragraphs != nil {
		r.Translation = &pipeline.Translation{Lang: "en", Paragraphs: paragraphs, Kind: "translation"}
	}
	for _, k := range kws {
		r.Keywords = append(r.Keywords, pipeline.Keyword{Text: k})
	}
	r.Trace = []pipeline.Trace{{Step: "summarize", Engine: "llm", Model: "fake-model", Prompt: "summarize@v1"}}
	return r
}

// noisySystem drops rate of the reference words, with salt choosing which.
func noisySystem(salt string, rate float64) system {
	return func(it Item) *pipeline.Result {
		var paras []string
		for p := range strings.SplitSeq(it.ReferenceTranslation, "\n\n") {
			if p != "" {
				paras = append(paras, dropWords(p, salt+it.ID, rate))
			}
		}
		kws := it.ReferenceKeywords
		if len(kws) > 1 {
			kws = kws[1:]
		}
		return resultWith(it, dropWords(it.ReferenceSummary, salt+it.ID, rate), paras, kws)
	}
}

// truncatedSystem is the seeded regression: every output cut to a share.
func truncatedSystem(share float64) system {
	good := noisySystem("a", 0.2)
	return func(it Item) *pipeline.Result {
		r := good(it)
		if r.Summary != nil {
			r.Summary.Text = truncate(r.Summary.Text, share)
		}
		if r.Translation != nil {
			for i, p := range r.Translation.Paragraphs {
				r.Translation.Paragraphs[i] = truncate(p, share)
			}
		}
		return r
	}
}

// fakeRunner is a deterministic Runner over a system.
type fakeRunner struct {
	items map[string]Item
	sys   system
	calls atomic.Int64
	// vary, when set, changes the output on each call (for --repeat).
	vary bool
}

func newFakeRunner(items []Item, sys system) *fakeRunner {
	m := map[string]Item{}
	for _, it := range items {
		m[it.ID] = it
	}
	return &fakeRunner{items: m, sys: sys}
}

func (f *fakeRunner) Run(ctx context.Context, doc pipeline.Document) (*pipeline.Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	n := f.calls.Add(1)
	it, ok := f.items[doc.ID]
	if !ok {
		return nil, fmt.Errorf("fake runner: unknown id %q", doc.ID)
	}
	if f.vary {
		return noisySystem(fmt.Sprint(n), 0.3)(it), nil
	}
	return f.sys(it), nil
}

var _ Runner = (*fakeRunner)(nil)

// runSystem scores a system over items.
func runSystem(t testing.TB, items []Item, sys system, cfg Config) *Report {
	t.Helper()
	rep, err := Evaluate(context.Background(), items, newFakeRunner(items, sys), RunOptions{}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}
