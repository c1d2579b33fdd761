package batch

import (
	"context"
	"iter"
	"sort"
	"unicode"

	"github.com/tarjama/tarjama/pipeline"
	"github.com/tarjama/tarjama/pipeline/input"
)

// EstimateConfig says how to price a run before it starts.
type EstimateConfig struct {
	// Count counts tokens offline (tokens.Count); len/4 when nil.
	Count func(string) int
	// TranslateModel and SummarizeModel price the two LLM steps.
	TranslateModel, SummarizeModel string
	// Offline means no API calls at all: tokens and cost are zero.
	Offline bool
}

// Estimate is what a run would do, computed without calling anything.
type Estimate struct {
	// Docs are the documents in the input (in the shard), good ones only.
	Docs int64 `json:"docs"`
	// ToProcess = Docs − Skipped − Duplicates.
	ToProcess  int64 `json:"to_process"`
	Skipped    int64 `json:"skipped"`
	Duplicates int64 `json:"duplicates"`
	BadInput   int64 `json:"bad_input"`
	// InputTokens are the tokens of the documents to process.
	InputTokens int64 `json:"input_tokens"`
	// Calls, PromptTokens and CompletionTokens estimate the API traffic:
	// per document, a translation call per ~1,500 source tokens (prompt:
	// source + 350; answer: 1.2 × source) when it is not English, and one
	// analysis call (prompt: source + translation + 500; answer: 350). Real
	// numbers vary with the prompts and the model; take it as ±50%.
	Calls            int64   `json:"calls"`
	PromptTokens     int64   `json:"prompt_tokens"`
	CompletionTokens int64   `json:"completion_tokens"`
	CostUSD          float64 `json:"cost_usd"`
	// UnknownModels have no price: their cost counts as zero.
	UnknownModels []string `json:"unknown_price_models,omitempty"`
}

// Plan reads items once, as Run would with cfg (shard, checkpoint,
// --retry-failed, dedup), and estimates tokens and cost. It writes nothing.
func Plan(ctx context.Context, items iter.Seq[input.Item], cfg Config, ec EstimateConfig) (Estimate, error) {
	count := ec.Count
	if count == nil {
		count = func(s string) int { return (len(s) + 3) / 4 }
	}
	states := map[idKey]docState{}
	if cfg.Out != "" && cfg.Out != "-" {
		if _, _, _, _, err := readCheckpoint(checkpointPath(cfg.Out, cfg.OutDir), states); err != nil {
			return Estimate{}, err
		}
	}
	var e Estimate
	texts := map[string]bool{}
	var tr, an pipeline.Usage
	for it := range items {
		if ctx.Err() != nil {
			return e, ctx.Err()
		}
		if it.Err != nil {
			e.BadInput++
			continue
		}
		d := it.Doc
		if !cfg.Shard.Has(d.ID) {
			continue
		}
		k := keyOf(d.ID)
		st, known := states[k]
		if !known {
			st.idx = -1
		}
		if st.seen {
			e.BadInput++ // duplicate id
			continue
		}
		st.seen = true
		states[k] = st
		e.Docs++
		if st.idx >= 0 && st.content == shortHash(contentHash(d)) && !(st.failed && cfg.RetryFailed) {
			e.Skipped++
			continue
		}
		if !cfg.NoDedup {
			// Plan remembers every text, unlike Run's window: an estimate
			// may be a little low for far-apart duplicates.
			tk := textKey(d)
			if texts[tk] {
				e.Duplicates++
				continue
			}
			texts[tk] = true
		}
		e.ToProcess++
		if ec.Offline {
			continue
		}
		t := count(d.Title + "\n\n" + d.Text)
		e.InputTokens += int64(t)
		out := 0
		if needsTranslation(d) {
			calls := (t + 1499) / 1500
			out = t * 6 / 5
			tr = tr.Add(pipeline.Usage{PromptTokens: t + 350*calls, CompletionTokens: out, Calls: calls})
		}
		an = an.Add(pipeline.Usage{PromptTokens: t + out + 500, CompletionTokens: 350, Calls: 1})
	}
	prices := cfg.Prices
	unknown := map[string]bool{}
	for _, s := range []struct {
		model string
		u     pipeline.Usage
	}{{ec.TranslateModel, tr}, {ec.SummarizeModel, an}} {
		e.Calls += int64(s.u.Calls)
		e.PromptTokens += int64(s.u.PromptTokens)
		e.CompletionTokens += int64(s.u.CompletionTokens)
		c, ok := prices.Cost(s.model, s.u)
		if !ok && s.u.Calls > 0 {
			unknown[s.model] = true
		}
		e.CostUSD += c
	}
	for m := range unknown {
		e.UnknownModels = append(e.UnknownModels, m)
	}
	sort.Strings(e.UnknownModels)
	return e, nil
}

// needsTranslation guesses, without the detector, whether a document is
// not English: its Lang says so, or most of its letters are not Latin.
func needsTranslation(d pipeline.Document) bool {
	if d.Lang != "" {
		return d.Lang != "en" && d.Lang[:min(3, len(d.Lang))] != "en-"
	}
	var latin, other int
	for _, r := range d.Text {
		if unicode.IsLetter(r) {
			if unicode.Is(unicode.Latin, r) {
				latin++
			} else {
				other++
			}
		}
	}
	return other > latin
}
