package eval

import (
	"github.com/tarjama/tarjama/eval/metrics"
)

// corpusKind says how a metric's per-item statistics become a corpus score.
type corpusKind int

const (
	// kindMean: stats are [value, 1]; the corpus score is the mean.
	kindMean corpusKind = iota
	// kindBLEU: stats are counts[4], totals[4], sys_len, ref_len.
	kindBLEU
	// kindChrF, kindChrFpp: stats are sacrebleu's chrF statistics.
	kindChrF
	kindChrFpp
	// kindTER: stats are [edits, ref_len].
	kindTER
)

// MetricDef describes one metric of tarjama eval.
type MetricDef struct {
	Name  string
	Group string // summary, translation, keywords, length, faithfulness, judge
	// Direction is +1 when higher is better, -1 when lower is better (TER)
	// and 0 for descriptive numbers (length) that are never gated by drop.
	Direction int
	// Scale is the metric's maximum (1 for ROUGE, 100 for BLEU, 5 for the
	// judge); used to compare spreads across metrics.
	Scale float64
	// Table: shown in the terminal table and the Markdown report.
	Table bool
	Doc   string
	kind  corpusKind
}

// Metrics lists every metric tarjama eval can report, in report order.
// Names are what --fail-under and --max-drop take.
var Metrics = []MetricDef{
	{Name: "rouge1", Group: "summary", Direction: 1, Scale: 1, Table: true, Doc: "ROUGE-1 F1, mean over items"},
	{Name: "rouge2", Group: "summary", Direction: 1, Scale: 1, Table: true, Doc: "ROUGE-2 F1, mean over items"},
	{Name: "rougeL", Group: "summary", Direction: 1, Scale: 1, Table: true, Doc: "ROUGE-L F1, mean over items"},
	{Name: "rougeLsum", Group: "summary", Direction: 1, Scale: 1, Table: true, Doc: "ROUGE-Lsum F1, mean over items"},
	{Name: "rouge1.precision", Group: "summary", Direction: 1, Scale: 1},
	{Name: "rouge1.recall", Group: "summary", Direction: 1, Scale: 1},
	{Name: "rouge2.precision", Group: "summary", Direction: 1, Scale: 1},
	{Name: "rouge2.recall", Group: "summary", Direction: 1, Scale: 1},
	{Name: "rougeL.precision", Group: "summary", Direction: 1, Scale: 1},
	{Name: "rougeL.recall", Group: "summary", Direction: 1, Scale: 1},
	{Name: "rougeLsum.precision", Group: "summary", Direction: 1, Scale: 1},
	{Name: "rougeLsum.recall", Group: "summary", Direction: 1, Scale: 1},
	{Name: "bleu", Group: "translation", Direction: 1, Scale: 100, Table: true, Doc: "corpus BLEU (sacrebleu), documents as segments", kind: kindBLEU},
	{Name: "chrf", Group: "translation", Direction: 1, Scale: 100, Table: true, Doc: "corpus chrF", kind: kindChrF},
	{Name: "chrf++", Group: "translation", Direction: 1, Scale: 100, Table: true, Doc: "corpus chrF++", kind: kindChrFpp},
	{Name: "ter", Group: "translation", Direction: -1, Scale: 100, Table: true, Doc: "corpus TER (lower is better)", kind: kindTER},
	{Name: "keywords.precision", Group: "keywords", Direction: 1, Scale: 1, Table: true},
	{Name: "keywords.recall", Group: "keywords", Direction: 1, Scale: 1, Table: true},
	{Name: "keywords.f1", Group: "keywords", Direction: 1, Scale: 1, Table: true, Doc: "exact match after normalization"},
	{Name: "keywords_partial.precision", Group: "keywords", Direction: 1, Scale: 1},
	{Name: "keywords_partial.recall", Group: "keywords", Direction: 1, Scale: 1},
	{Name: "keywords_partial.f1", Group: "keywords", Direction: 1, Scale: 1, Table: true, Doc: "partial credit for overlapping phrases"},
	{Name: "summary_words", Group: "length", Direction: 0, Scale: 1, Table: true, Doc: "summary length in words"},
	{Name: "compression", Group: "length", Direction: 0, Scale: 1, Table: true, Doc: "summary words / article words"},
	{Name: "entity_support", Group: "faithfulness", Direction: 1, Scale: 1, Table: true, Doc: "share of summary sentences whose names and numbers appear in the source or its translation"},
	{Name: "judge.faithfulness", Group: "judge", Direction: 1, Scale: 5, Table: true, Doc: "LLM judge, 1-5"},
	{Name: "judge.coverage", Group: "judge", Direction: 1, Scale: 5, Table: true, Doc: "LLM judge, 1-5"},
	{Name: "judge.fluency", Group: "judge", Direction: 1, Scale: 5, Table: true, Doc: "LLM judge, 1-5"},
}

// LookupMetric finds a metric by name.
func LookupMetric(name string) (MetricDef, bool) {
	for _, m := range Metrics {
		if m.Name == name {
			return m, true
		}
	}
	return MetricDef{}, false
}

// corpus turns summed statistics into the corpus score; ok is false when
// the statistics hold no item.
func (m MetricDef) corpus(sum []float64, tokenize string) (v float64, ok bool) {
	switch m.kind {
	case kindBLEU:
		if len(sum) != 10 {
			return 0, false
		}
		return metrics.BLEUFromStats(bleuStatsFrom(sum), metrics.BLEUOptions{Tokenize: tokenize}).Score, true
	case kindChrF:
		if len(sum) == 0 {
			return 0, false
		}
		return metrics.ChrFFromStats(metrics.ChrFStats(sum), metrics.ChrFOptions{}), true
	case kindChrFpp:
		if len(sum) == 0 {
			return 0, false
		}
		return metrics.ChrFFromStats(metrics.ChrFStats(sum), metrics.ChrFOptions{WordOrder: 2}), true
	case kindTER:
		if len(sum) != 2 {
			return 0, false
		}
		return metrics.TERFromStats(metrics.TERStats{Edits: sum[0], RefLen: sum[1]}), true
	}
	if len(sum) != 2 || sum[1] == 0 {
		return 0, false
	}
	return sum[0] / sum[1], true
}

func bleuStatsVec(s metrics.BLEUStats) []float64 {
	v := make([]float64, 10)
	for i := range 4 {
		v[i] = float64(s.Counts[i])
		v[4+i] = float64(s.Totals[i])
	}
	v[8], v[9] = float64(s.SysLen), float64(s.RefLen)
	return v
}

func bleuStatsFrom(v []float64) metrics.BLEUStats {
	var s metrics.BLEUStats
	for i := range 4 {
		s.Counts[i] = int(v[i] + 0.5)
		s.Totals[i] = int(v[4+i] + 0.5)
	}
	s.SysLen, s.RefLen = int(v[8]+0.5), int(v[9]+0.5)
	return s
}

// addTo adds b into a (growing a to b's length) and returns a.
func addTo(a, b []float64) []float64 {
	for len(a) < len(b) {
		a = append(a, 0)
	}
	for i, x := range b {
		a[i] += x
	}
	return a
}
