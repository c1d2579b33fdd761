package eval

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"

	"github.com/tarjama/tarjama/eval/metrics"
)

// Pair is one line of a tarjama score input: a hypothesis and one or more
// references, with an optional language ("lang"; detected by script when
// absent).
type Pair struct {
	ID   string
	Hyp  string
	Refs []string
	Lang string
}

type pairLine struct {
	ID   *string  `json:"id"`
	Hyp  *string  `json:"hyp"`
	Ref  *string  `json:"ref"`
	Refs []string `json:"refs"`
	Lang string   `json:"lang"`
}

// ReadPairs reads score input in JSON Lines: {"id", "hyp", "ref"} or
// {"id", "hyp", "refs": [...]}, with an optional "lang". A malformed line is
// an error naming name:line (wrapping ErrData); unknown fields are rejected
// so a misspelt "ref" is not taken for a missing reference. Lines are
// decoded on all cores; the error reported is the first in file order.
// A cancelled ctx stops it with ctx's error.
func ReadPairs(ctx context.Context, r io.Reader, name string) ([]Pair, error) {
	type line struct {
		n int
		b []byte
	}
	var lines []line
	err := eachLine(r, name, func(n int, b []byte) error {
		lines = append(lines, line{n, bytes.Clone(b)})
		return nil
	})
	if err != nil {
		return nil, err
	}
	pairs := make([]Pair, len(lines))
	errs := make([]error, len(lines))
	if err := parallel(ctx, len(lines), 0, 64, func(i int) {
		pairs[i], errs[i] = decodePair(lines[i].b)
	}); err != nil {
		return nil, err
	}
	seen := make(map[string]bool, len(pairs))
	for i := range pairs {
		if errs[i] == nil && seen[pairs[i].ID] {
			errs[i] = fmt.Errorf("duplicate id %q", pairs[i].ID)
		}
		if errs[i] != nil {
			return nil, &dataError{&LineError{File: name, Line: lines[i].n, Err: errs[i]}}
		}
		seen[pairs[i].ID] = true
	}
	return pairs, nil
}

func decodePair(b []byte) (Pair, error) {
	var pl pairLine
	if err := decodeStrict(b, &pl); err != nil {
		return Pair{}, err
	}
	switch {
	case pl.ID == nil || *pl.ID == "":
		return Pair{}, errors.New(`missing "id"`)
	case pl.Hyp == nil:
		return Pair{}, fmt.Errorf("pair %q: missing \"hyp\"", *pl.ID)
	case pl.Ref != nil && pl.Refs != nil:
		return Pair{}, fmt.Errorf("pair %q: give \"ref\" or \"refs\", not both", *pl.ID)
	case pl.Ref == nil && len(pl.Refs) == 0:
		return Pair{}, fmt.Errorf("pair %q: missing \"ref\" (or a non-empty \"refs\" list)", *pl.ID)
	}
	p := Pair{ID: *pl.ID, Hyp: *pl.Hyp, Refs: pl.Refs, Lang: pl.Lang}
	if pl.Ref != nil {
		p.Refs = []string{*pl.Ref}
	}
	return p, nil
}

// Metric names accepted by ScoreOptions.Metrics and printed by score.
const (
	MRouge1    = "rouge1"
	MRouge2    = "rouge2"
	MRougeL    = "rougeL"
	MRougeLsum = "rougeLsum"
	MBLEU      = "bleu"
	MChrF      = "chrf"
	MChrFpp    = "chrf++"
	MTER       = "ter"
)

// PairMetrics is every metric tarjama score computes, in output order.
var PairMetrics = []string{MRouge1, MRouge2, MRougeL, MRougeLsum, MBLEU, MChrF, MChrFpp, MTER}

// ParseMetrics turns a comma-separated list into metric names; "rouge"
// stands for the four ROUGE variants and "all" (or "") for everything.
func ParseMetrics(list string) ([]string, error) {
	if strings.TrimSpace(list) == "" || list == "all" {
		return PairMetrics, nil
	}
	want := map[string]bool{}
	for _, m := range strings.Split(list, ",") {
		m = strings.TrimSpace(m)
		switch strings.ToLower(m) {
		case "rouge":
			for _, r := range PairMetrics[:4] {
				want[r] = true
			}
			continue
		case "chrf", "chrf++", "bleu", "ter":
			m = strings.ToLower(m)
		case "rouge1", "rouge2", "rougel", "rougelsum":
			m = map[string]string{"rouge1": MRouge1, "rouge2": MRouge2, "rougel": MRougeL, "rougelsum": MRougeLsum}[strings.ToLower(m)]
		default:
			return nil, fmt.Errorf("unknown metric %q (want rouge1, rouge2, rougeL, rougeLsum, rouge, bleu, chrf, chrf++, ter)", m)
		}
		want[m] = true
	}
	var out []string
	for _, m := range PairMetrics {
		if want[m] {
			out = append(out, m)
		}
	}
	return out, nil
}

// ScoreOptions configures ScorePairs.
type ScoreOptions struct {
	// Metrics to compute (names above); all when empty.
	Metrics []string
	// Stem applies rouge-score's Porter stemmer to English and the XL-Sum
	// Arabic stemmer to Arabic.
	Stem bool
	// Normalize applies Arabic normalization to non-English ROUGE; numbers
	// then differ from the published XL-Sum scorer's.
	Normalize bool
	// Tokenize is BLEU's tokenizer: "13a" (default), "intl" or "none".
	Tokenize string
	// Workers scores pairs in parallel; GOMAXPROCS when 0.
	Workers int
	// DetectLang guesses a pair's language when it has none; ScriptLang
	// when nil.
	DetectLang func(text string) string
}

// CheckTokenize validates a BLEU tokenizer name ("" means 13a).
func CheckTokenize(tok string) (string, error) {
	switch tok {
	case "":
		return "13a", nil
	case "13a", "intl", "none":
		return tok, nil
	}
	return "", fmt.Errorf("unknown BLEU tokenizer %q (want 13a, intl or none)", tok)
}

// PRF is precision, recall and F1 in the JSON shape tarjama prints.
type PRF struct {
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
}

func prfOf(p metrics.PRF) PRF { return PRF{p.Precision, p.Recall, p.F1} }

// PairScore is one pair's scores; its JSON form is tarjama score's jsonl
// line. ROUGE is on a 0–1 scale, BLEU/chrF/TER on sacrebleu's 0–100; BLEU
// is sentence BLEU with effective order. Metrics not asked for are absent.
type PairScore struct {
	ID        string   `json:"id"`
	Rouge1    *PRF     `json:"rouge1,omitempty"`
	Rouge2    *PRF     `json:"rouge2,omitempty"`
	RougeL    *PRF     `json:"rougeL,omitempty"`
	RougeLsum *PRF     `json:"rougeLsum,omitempty"`
	BLEU      *float64 `json:"bleu,omitempty"`
	ChrF      *float64 `json:"chrf,omitempty"`
	ChrFpp    *float64 `json:"chrf++,omitempty"`
	TER       *float64 `json:"ter,omitempty"`
	// Lang is the language used for ROUGE (given or detected); it is not
	// part of the jsonl line.
	Lang string `json:"-"`
}

// BLEUCorpus is corpus BLEU with its sufficient statistics.
type BLEUCorpus struct {
	Score      float64    `json:"score"`
	Counts     [4]int     `json:"counts"`
	Totals     [4]int     `json:"totals"`
	Precisions [4]float64 `json:"precisions"`
	BP         float64    `json:"bp"`
	SysLen     int        `json:"sys_len"`
	RefLen     int        `json:"ref_len"`
}

// CorpusScores are the corpus-level scores: ROUGE is the mean of the
// per-pair precision, recall and F1; BLEU, chrF, chrF++ and TER are
// computed from the per-pair statistics summed over the corpus (as
// sacrebleu's corpus scores are; BLEU without effective order).
type CorpusScores struct {
	N         int         `json:"n"`
	Rouge1    *PRF        `json:"rouge1,omitempty"`
	Rouge2    *PRF        `json:"rouge2,omitempty"`
	RougeL    *PRF        `json:"rougeL,omitempty"`
	RougeLsum *PRF        `json:"rougeLsum,omitempty"`
	BLEU      *BLEUCorpus `json:"bleu,omitempty"`
	ChrF      *float64    `json:"chrf,omitempty"`
	ChrFpp    *float64    `json:"chrf++,omitempty"`
	TER       *float64    `json:"ter,omitempty"`
	Tokenize  string      `json:"tokenize,omitempty"`
}

// ScoreResult is ScorePairs' answer.
type ScoreResult struct {
	Pairs  []PairScore  `json:"pairs"`
	Corpus CorpusScores `json:"corpus"`
}

// pairStats is the per-pair sufficient statistics kept for the corpus.
type pairStats struct {
	bleu   metrics.BLEUStats
	chrf   metrics.ChrFStats
	chrfpp metrics.ChrFStats
	ter    metrics.TERStats
}

// ScorePairs scores every pair with the chosen metrics, in parallel, and
// the corpus. The per-pair scores are in input order. It stops early, with
// ctx's error, when ctx is cancelled.
func ScorePairs(ctx context.Context, pairs []Pair, opt ScoreOptions) (*ScoreResult, error) {
	tok, err := CheckTokenize(opt.Tokenize)
	if err != nil {
		return nil, err
	}
	ms := opt.Metrics
	if len(ms) == 0 {
		ms = PairMetrics
	}
	want := map[string]bool{}
	for _, m := range ms {
		want[m] = true
	}
	detect := opt.DetectLang
	if detect == nil {
		detect = ScriptLang
	}
	wantRouge := want[MRouge1] || want[MRouge2] || want[MRougeL] || want[MRougeLsum]
	bopt := metrics.BLEUOptions{Tokenize: tok}
	sbopt := metrics.BLEUOptions{Tokenize: tok, EffectiveOrder: true}

	scores := make([]PairScore, len(pairs))
	stats := make([]pairStats, len(pairs))
	score := func(i int) {
		p := &pairs[i]
		s := PairScore{ID: p.ID}
		if wantRouge {
			lang := p.Lang
			if lang == "" {
				lang = detect(p.Hyp + "\n" + strings.Join(p.Refs, "\n"))
			}
			s.Lang = lang
			ro := metrics.RougeOptions{Lang: lang, Stem: opt.Stem, Normalize: opt.Normalize}
			var r metrics.Rouge
			if len(p.Refs) == 1 {
				r = metrics.ScoreRouge(p.Hyp, p.Refs[0], ro)
			} else {
				r = metrics.ScoreRougeMulti(p.Hyp, p.Refs, ro)
			}
			set := func(name string, v metrics.PRF) *PRF {
				if !want[name] {
					return nil
				}
				x := prfOf(v)
				return &x
			}
			s.Rouge1, s.Rouge2, s.RougeL, s.RougeLsum = set(MRouge1, r.R1), set(MRouge2, r.R2), set(MRougeL, r.RL), set(MRougeLsum, r.RLsum)
		}
		st := &stats[i]
		if want[MBLEU] {
			st.bleu = metrics.BLEUSegmentStats(p.Hyp, p.Refs, bopt)
			v := metrics.BLEUFromStats(st.bleu, sbopt).Score
			s.BLEU = &v
		}
		if want[MChrF] {
			o := metrics.ChrFOptions{}
			st.chrf = metrics.ChrFSegmentStats(p.Hyp, p.Refs, o)
			v := metrics.ChrFFromStats(st.chrf, o)
			s.ChrF = &v
		}
		if want[MChrFpp] {
			o := metrics.ChrFOptions{WordOrder: 2}
			st.chrfpp = metrics.ChrFSegmentStats(p.Hyp, p.Refs, o)
			v := metrics.ChrFFromStats(st.chrfpp, o)
			s.ChrFpp = &v
		}
		if want[MTER] {
			st.ter = metrics.TERSegmentStats(p.Hyp, p.Refs)
			v := metrics.TERFromStats(st.ter)
			s.TER = &v
		}
		scores[i] = s
	}
	if err := parallel(ctx, len(pairs), opt.Workers, 16, score); err != nil {
		return nil, err
	}

	c := CorpusScores{N: len(pairs)}
	if want[MBLEU] {
		c.Tokenize = tok
	}
	if len(pairs) > 0 {
		c.Rouge1 = meanPRF(scores, func(s *PairScore) *PRF { return s.Rouge1 })
		c.Rouge2 = meanPRF(scores, func(s *PairScore) *PRF { return s.Rouge2 })
		c.RougeL = meanPRF(scores, func(s *PairScore) *PRF { return s.RougeL })
		c.RougeLsum = meanPRF(scores, func(s *PairScore) *PRF { return s.RougeLsum })
		var sum pairStats
		for i := range stats {
			sum.bleu = sum.bleu.Add(stats[i].bleu)
			sum.chrf = sum.chrf.Add(stats[i].chrf)
			sum.chrfpp = sum.chrfpp.Add(stats[i].chrfpp)
			sum.ter = sum.ter.Add(stats[i].ter)
		}
		if want[MBLEU] {
			b := metrics.BLEUFromStats(sum.bleu, bopt)
			c.BLEU = &BLEUCorpus{Score: b.Score, Counts: b.Counts, Totals: b.Totals, Precisions: b.Precisions, BP: b.BP, SysLen: b.SysLen, RefLen: b.RefLen}
		}
		if want[MChrF] {
			v := metrics.ChrFFromStats(sum.chrf, metrics.ChrFOptions{})
			c.ChrF = &v
		}
		if want[MChrFpp] {
			v := metrics.ChrFFromStats(sum.chrfpp, metrics.ChrFOptions{WordOrder: 2})
			c.ChrFpp = &v
		}
		if want[MTER] {
			v := metrics.TERFromStats(sum.ter)
			c.TER = &v
		}
	}
	return &ScoreResult{Pairs: scores, Corpus: c}, nil
}

func meanPRF(scores []PairScore, get func(*PairScore) *PRF) *PRF {
	var m PRF
	n := 0
	for i := range scores {
		if p := get(&scores[i]); p != nil {
			m.Precision += p.Precision
			m.Recall += p.Recall
			m.F1 += p.F1
			n++
		}
	}
	if n == 0 {
		return nil
	}
	k := float64(n)
	return &PRF{m.Precision / k, m.Recall / k, m.F1 / k}
}

// parallel calls fn(i) for i in [0,n) on workers goroutines (GOMAXPROCS
// when workers <= 0), handing out indices in batches of batch (use 1 for
// slow units such as pipeline or LLM calls, more for cheap ones). fn must
// only write to its own index's slots. It returns ctx's error when ctx was
// cancelled (remaining indices are then skipped).
func parallel(ctx context.Context, n, workers, batch int, fn func(i int)) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	batch = max(batch, 1)
	workers = min(workers, (n+batch-1)/batch)
	if workers <= 1 {
		for i := range n {
			if i%batch == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			fn(i)
		}
		return ctx.Err()
	}
	var (
		mu   sync.Mutex
		next int
		wg   sync.WaitGroup
	)
	take := func() (int, int, bool) {
		mu.Lock()
		defer mu.Unlock()
		if next >= n || ctx.Err() != nil {
			return 0, 0, false
		}
		lo := next
		next = min(n, next+batch)
		return lo, next, true
	}
	for range workers {
		wg.Go(func() {
			for {
				lo, hi, ok := take()
				if !ok {
					return
				}
				for i := lo; i < hi; i++ {
					fn(i)
				}
			}
		})
	}
	wg.Wait()
	return ctx.Err()
}

// WriteJSONL writes one JSON object per pair, in order (tarjama score
// --format jsonl). Lines are marshalled on all cores.
func (r *ScoreResult) WriteJSONL(ctx context.Context, w io.Writer) error {
	const chunk = 256
	ps := r.Pairs
	bufs := make([][]byte, (len(ps)+chunk-1)/chunk)
	errs := make([]error, len(bufs))
	if err := parallel(ctx, len(bufs), 0, 1, func(c int) {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		for i := c * chunk; i < min(len(ps), (c+1)*chunk); i++ {
			if err := enc.Encode(&ps[i]); err != nil {
				errs[c] = err
				return
			}
		}
		bufs[c] = b.Bytes()
	}); err != nil {
		return err
	}
	for c, b := range bufs {
		if errs[c] != nil {
			return fmt.Errorf("write scores: %w", errs[c])
		}
		if _, err := w.Write(b); err != nil {
			return fmt.Errorf("write scores: %w", err)
		}
	}
	return nil
}
