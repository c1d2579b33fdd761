package eval

import (
	"strings"

	"github.com/tarjama/tarjama/eval/metrics"
	"github.com/tarjama/tarjama/pipeline"
)

// ScoreConfig is what scoring one output needs.
type ScoreConfig struct {
	Stem, Normalize bool
	// Tokenize is BLEU's tokenizer ("13a" when empty).
	Tokenize string
}

// itemScores is one output's scores: the per-item values (sentence-level
// for BLEU/chrF/TER) and the statistics the corpus scores are made of.
type itemScores struct {
	scores map[string]float64
	stats  map[string][]float64
	// texts of the main metric, for the Markdown diff.
	summary, translation string
}

func (s *itemScores) setMean(name string, v float64) {
	s.scores[name] = v
	s.stats[name] = []float64{v, 1}
}

// SummaryText is a result's summary as one string: the prose, or the
// bullets one per line.
func SummaryText(r *pipeline.Result) string {
	if r == nil || r.Summary == nil {
		return ""
	}
	if strings.TrimSpace(r.Summary.Text) != "" {
		return r.Summary.Text
	}
	return strings.Join(r.Summary.Bullets, "\n")
}

// TranslationText is a result's translation, paragraphs joined by blank
// lines ("" when there is none).
func TranslationText(r *pipeline.Result) string {
	if r == nil || r.Translation == nil {
		return ""
	}
	return strings.Join(r.Translation.Paragraphs, "\n\n")
}

// flat collapses whitespace so a document is one segment whatever its
// paragraph breaks.
func flat(s string) string { return strings.Join(strings.Fields(s), " ") }

// summaryLang is the language a summary is scored (and asked for) in.
func (it Item) summaryLang() string {
	if it.SummaryLang != "" {
		return it.SummaryLang
	}
	return ScriptLang(it.ReferenceSummary)
}

// scoreItem scores one pipeline result against the item's references. A
// missing output (res nil, or no summary) scores as the empty string, so a
// system that stops producing summaries is a regression, not a gap.
func scoreItem(it *Item, res *pipeline.Result, cfg ScoreConfig) itemScores {
	s := itemScores{scores: map[string]float64{}, stats: map[string][]float64{}}
	sum := SummaryText(res)
	s.summary = sum
	if it.ReferenceSummary != "" {
		lang := it.summaryLang()
		r := metrics.ScoreRouge(sum, it.ReferenceSummary, metrics.RougeOptions{Lang: lang, Stem: cfg.Stem, Normalize: cfg.Normalize})
		for _, x := range []struct {
			name string
			prf  metrics.PRF
		}{{"rouge1", r.R1}, {"rouge2", r.R2}, {"rougeL", r.RL}, {"rougeLsum", r.RLsum}} {
			s.setMean(x.name, x.prf.F1)
			s.setMean(x.name+".precision", x.prf.Precision)
			s.setMean(x.name+".recall", x.prf.Recall)
		}
	}
	if res != nil && res.Summary != nil && strings.TrimSpace(sum) != "" {
		words := len(strings.Fields(sum))
		s.setMean("summary_words", float64(words))
		if src := len(strings.Fields(it.Text)); src > 0 {
			s.setMean("compression", float64(words)/float64(src))
		}
		var sources []string
		sources = append(sources, it.Title, it.Text)
		if tr := TranslationText(res); tr != "" {
			sources = append(sources, tr)
		}
		if v, ok := EntitySupport(sum, sources...); ok {
			s.setMean("entity_support", v)
		}
	}
	if it.ReferenceTranslation != "" {
		hyp := flat(TranslationText(res))
		s.translation = hyp
		refs := []string{flat(it.ReferenceTranslation)}
		tok, _ := CheckTokenize(cfg.Tokenize)
		bs := metrics.BLEUSegmentStats(hyp, refs, metrics.BLEUOptions{Tokenize: tok})
		s.stats["bleu"] = bleuStatsVec(bs)
		s.scores["bleu"] = metrics.BLEUFromStats(bs, metrics.BLEUOptions{Tokenize: tok, EffectiveOrder: true}).Score
		for _, c := range []struct {
			name string
			wo   int
		}{{"chrf", 0}, {"chrf++", 2}} {
			o := metrics.ChrFOptions{WordOrder: c.wo}
			st := metrics.ChrFSegmentStats(hyp, refs, o)
			s.stats[c.name] = append([]float64(nil), st...)
			s.scores[c.name] = metrics.ChrFFromStats(st, o)
		}
		ts := metrics.TERSegmentStats(hyp, refs)
		s.stats["ter"] = []float64{ts.Edits, ts.RefLen}
		s.scores["ter"] = metrics.TERFromStats(ts)
	}
	if len(it.ReferenceKeywords) > 0 {
		lang := ScriptLang(strings.Join(it.ReferenceKeywords, " "))
		pred := predictedKeywords(res, lang)
		for _, k := range []struct {
			prefix  string
			partial bool
		}{{"keywords", false}, {"keywords_partial", true}} {
			p := metrics.KeywordPRF(pred, it.ReferenceKeywords, metrics.KeywordOptions{Stem: cfg.Stem, Lang: lang, Partial: k.partial})
			s.setMean(k.prefix+".precision", p.Precision)
			s.setMean(k.prefix+".recall", p.Recall)
			s.setMean(k.prefix+".f1", p.F1)
		}
	}
	return s
}

// predictedKeywords are the result's keywords in the references' script:
// the English form for English references, the original form (when there
// is one) for Arabic references.
func predictedKeywords(res *pipeline.Result, lang string) []string {
	if res == nil {
		return nil
	}
	out := make([]string, 0, len(res.Keywords))
	for _, k := range res.Keywords {
		t := k.Text
		if !isEnglish(lang) && k.Original != "" {
			t = k.Original
		}
		out = append(out, t)
	}
	return out
}

// mainMetric is the per-item number used for --repeat spread and for the
// worst items: ROUGE-L when the item has a reference summary, else chrF,
// else keyword F1. The value is scaled to 0–1.
func mainMetric(it *Item) (name string, scale float64) {
	switch {
	case it.ReferenceSummary != "":
		return "rougeL", 1
	case it.ReferenceTranslation != "":
		return "chrf", 100
	case len(it.ReferenceKeywords) > 0:
		return "keywords.f1", 1
	}
	return "", 1
}
