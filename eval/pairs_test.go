package eval

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/tarjama/tarjama/eval/metrics"
)

func loadPairs(t testing.TB, path string) []Pair {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ps, err := ReadPairs(context.Background(), f, path)
	if err != nil {
		t.Fatal(err)
	}
	return ps
}

// TestScorePairsMatchesMetrics checks every number ScorePairs prints
// against the metric functions called directly.
func TestScorePairsMatchesMetrics(t *testing.T) {
	pairs := loadPairs(t, "../testdata/eval/score_pairs.jsonl")
	for _, opt := range []ScoreOptions{{}, {Stem: true, Tokenize: "intl", Normalize: true}} {
		res, err := ScorePairs(context.Background(), pairs, opt)
		if err != nil {
			t.Fatal(err)
		}
		tok, _ := CheckTokenize(opt.Tokenize)
		var hyps []string
		var refs [][]string
		for i, p := range pairs {
			got := res.Pairs[i]
			if got.ID != p.ID {
				t.Fatalf("pair %d: id %q, want %q (input order)", i, got.ID, p.ID)
			}
			lang := p.Lang
			if lang == "" {
				lang = ScriptLang(p.Hyp + "\n" + strings.Join(p.Refs, "\n"))
			}
			ro := metrics.RougeOptions{Lang: lang, Stem: opt.Stem, Normalize: opt.Normalize}
			r := metrics.ScoreRougeMulti(p.Hyp, p.Refs, ro)
			if len(p.Refs) == 1 {
				r = metrics.ScoreRouge(p.Hyp, p.Refs[0], ro)
			}
			want := PairScore{
				ID: p.ID, Lang: lang,
				Rouge1: ptr(prfOf(r.R1)), Rouge2: ptr(prfOf(r.R2)), RougeL: ptr(prfOf(r.RL)), RougeLsum: ptr(prfOf(r.RLsum)),
				BLEU:   ptr(metrics.SentenceBLEU(p.Hyp, p.Refs, metrics.BLEUOptions{Tokenize: tok, EffectiveOrder: true}).Score),
				ChrF:   ptr(metrics.SentenceChrF(p.Hyp, p.Refs, metrics.ChrFOptions{})),
				ChrFpp: ptr(metrics.SentenceChrF(p.Hyp, p.Refs, metrics.ChrFOptions{WordOrder: 2})),
				TER:    ptr(metrics.SentenceTER(p.Hyp, p.Refs)),
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%+v pair %s (-want +got):\n%s", opt, p.ID, diff)
			}
			hyps = append(hyps, p.Hyp)
			refs = append(refs, p.Refs)
		}
		c := res.Corpus
		if b := metrics.CorpusBLEU(hyps, refs, metrics.BLEUOptions{Tokenize: tok}); c.BLEU == nil || c.BLEU.Score != b.Score || c.BLEU.Counts != b.Counts {
			t.Errorf("corpus BLEU = %+v, want %+v", c.BLEU, b)
		}
		if v := metrics.CorpusChrF(hyps, refs, metrics.ChrFOptions{}); *c.ChrF != v {
			t.Errorf("corpus chrF = %g, want %g", *c.ChrF, v)
		}
		if v := metrics.CorpusChrF(hyps, refs, metrics.ChrFOptions{WordOrder: 2}); *c.ChrFpp != v {
			t.Errorf("corpus chrF++ = %g, want %g", *c.ChrFpp, v)
		}
		var ter metrics.TERStats
		var mean float64
		for i := range pairs {
			ter = ter.Add(metrics.TERSegmentStats(hyps[i], refs[i]))
			mean += res.Pairs[i].RougeL.F1
		}
		if v := metrics.TERFromStats(ter); *c.TER != v {
			t.Errorf("corpus TER = %g, want %g", *c.TER, v)
		}
		if d := c.RougeL.F1 - mean/float64(len(pairs)); d > 1e-12 || d < -1e-12 {
			t.Errorf("corpus ROUGE-L F1 = %g, want the mean %g", c.RougeL.F1, mean/float64(len(pairs)))
		}
	}
}

func ptr[T any](v T) *T { return &v }

func TestScorePairsSubsetAndParallel(t *testing.T) {
	pairs := loadPairs(t, "../testdata/eval/frank_pairs.jsonl")
	ms, err := ParseMetrics("rougeL,chrf++")
	if err != nil {
		t.Fatal(err)
	}
	seq, err := ScorePairs(context.Background(), pairs, ScoreOptions{Metrics: ms, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	par, err := ScorePairs(context.Background(), pairs, ScoreOptions{Metrics: ms, Workers: 4})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(seq, par); diff != "" {
		t.Errorf("parallel differs from sequential:\n%s", diff)
	}
	p := seq.Pairs[0]
	if p.RougeL == nil || p.ChrFpp == nil || p.Rouge1 != nil || p.BLEU != nil || p.ChrF != nil || p.TER != nil {
		t.Errorf("subset rougeL,chrf++ gave %+v", p)
	}
	if c := seq.Corpus; c.BLEU != nil || c.RougeL == nil || c.ChrFpp == nil || c.N != len(pairs) {
		t.Errorf("corpus = %+v", c)
	}
}

func TestParseMetrics(t *testing.T) {
	tests := map[string]string{
		"":                "rouge1,rouge2,rougeL,rougeLsum,bleu,chrf,chrf++,ter",
		"rouge":           "rouge1,rouge2,rougeL,rougeLsum",
		"TER, BLEU":       "bleu,ter",
		"rougel,chrf":     "rougeL,chrf",
		"rougeLsum,rouge": "rouge1,rouge2,rougeL,rougeLsum",
	}
	for in, want := range tests {
		got, err := ParseMetrics(in)
		if err != nil || strings.Join(got, ",") != want {
			t.Errorf("ParseMetrics(%q) = %v, %v; want %s", in, got, err, want)
		}
	}
	if _, err := ParseMetrics("rouge3"); err == nil {
		t.Error("rouge3 accepted")
	}
}

func TestScorePairsCancelled(t *testing.T) {
	pairs := loadPairs(t, "../testdata/eval/frank_pairs.jsonl")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ScorePairs(ctx, pairs, ScoreOptions{}); err == nil {
		t.Error("no error from a cancelled context")
	}
}
