package metrics

import (
	"sync"
	"unicode/utf8"
)

const chrfCharOrder = 6
const chrfBeta = 2

// ChrFOptions mirrors sacreBLEU's CHRF(word_order=...) with char_order 6,
// beta 2, whitespace excluded, case-sensitive, no eps smoothing.
type ChrFOptions struct {
	WordOrder int // 0: chrF, 2: chrF++
}

// ChrFStats are additive sufficient statistics: for each character order
// 1..6 and then each word order, [hyp count, ref count, match count].
type ChrFStats []float64

// Add returns the element-wise sum of s and o (either may be nil).
func (s ChrFStats) Add(o ChrFStats) ChrFStats {
	n := max(len(s), len(o))
	out := make(ChrFStats, n)
	copy(out, s)
	for i, v := range o {
		out[i] += v
	}
	return out
}

type chrfScratch struct {
	idx   ngramIndex
	runes map[rune]int32
	ascii [128]int32
	rs    []int32
	words []string
	wtok  []int32
	hyp   [][]int32
	ref   [][]int32
	cnt   []int32
	rcnt  []int32
	stats []float64
	best  []float64
}

var chrfPool = sync.Pool{New: func() any {
	return &chrfScratch{
		idx:   ngramIndex{words: make(map[string]int32, 64), grams: make(map[uint64]int32, 2048)},
		runes: make(map[rune]int32, 64),
	}
}}

func (sc *chrfScratch) reset(order int) {
	sc.idx.reset()
	clear(sc.runes)
	for i := range sc.ascii {
		sc.ascii[i] = -1
	}
	for len(sc.hyp) < order {
		sc.hyp = append(sc.hyp, nil)
		sc.ref = append(sc.ref, nil)
	}
}

func (sc *chrfScratch) runeID(r rune) int32 {
	if r < utf8.RuneSelf {
		if id := sc.ascii[r]; id >= 0 {
			return id
		}
		id := sc.idx.next
		sc.idx.next++
		sc.ascii[r] = id
		return id
	}
	if id, ok := sc.runes[r]; ok {
		return id
	}
	id := sc.idx.next
	sc.idx.next++
	sc.runes[r] = id
	return id
}

// extract fills out[0:6] with character n-gram ids and out[6:6+wordOrder]
// with word n-gram ids of the (rstripped) segment.
func (sc *chrfScratch) extract(out [][]int32, seg string, wordOrder int) {
	seg = pyRstrip(seg)
	sc.rs = sc.rs[:0]
	for i := 0; i < len(seg); {
		c := seg[i]
		var r rune
		size := 1
		if c < utf8.RuneSelf {
			r = rune(c)
		} else {
			r, size = utf8.DecodeRuneInString(seg[i:])
		}
		i += size
		if isPySpace(r) {
			continue
		}
		sc.rs = append(sc.rs, sc.runeID(r))
	}
	sc.idx.ngrams(out[:chrfCharOrder], sc.rs)
	if wordOrder > 0 {
		sc.words = chrfWords(sc.words[:0], seg)
		sc.wtok = sc.wtok[:0]
		for _, w := range sc.words {
			sc.wtok = append(sc.wtok, sc.idx.word(w))
		}
		sc.idx.ngrams(out[chrfCharOrder:chrfCharOrder+wordOrder], sc.wtok)
	}
}

func isASCIIPunct(c byte) bool {
	return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') || (c >= '{' && c <= '~')
}

// chrfWords is sacreBLEU's CHRF._remove_punctuation: whitespace split, then
// one ASCII punctuation character split off the end, or else the start, of
// tokens longer than one character.
func chrfWords(dst []string, seg string) []string {
	n0 := len(dst)
	dst = pySplit(dst, seg)
	toks := append([]string(nil), dst[n0:]...)
	dst = dst[:n0]
	for _, w := range toks {
		if utf8.RuneCountInString(w) == 1 {
			dst = append(dst, w)
			continue
		}
		if last := w[len(w)-1]; isASCIIPunct(last) {
			dst = append(dst, w[:len(w)-1], w[len(w)-1:])
		} else if isASCIIPunct(w[0]) {
			dst = append(dst, w[:1], w[1:])
		} else {
			dst = append(dst, w)
		}
	}
	return dst
}

// chrfSegmentStatsSlow is the map-based path, used when a segment has too
// many distinct characters for packed keys.
func chrfSegmentStatsSlow(hyp string, refs []string, opt ChrFOptions) ChrFStats {
	order := chrfCharOrder + opt.WordOrder
	sc := chrfPool.Get().(*chrfScratch)
	defer chrfPool.Put(sc)
	sc.reset(order)
	sc.extract(sc.hyp, hyp, opt.WordOrder)
	best := make(ChrFStats, 3*order)
	bestF := -1.0
	if cap(sc.stats) < 3*order {
		sc.stats = make([]float64, 3*order)
	}
	stats := sc.stats[:3*order]
	for _, r := range refs {
		sc.extract(sc.ref, r, opt.WordOrder)
		size := int(sc.idx.next)
		sc.cnt = grow(sc.cnt, size)
		sc.rcnt = grow(sc.rcnt, size)
		for n := 0; n < order; n++ {
			h, rf := sc.hyp[n], sc.ref[n]
			for _, id := range rf {
				sc.rcnt[id]++
			}
			for _, id := range h {
				sc.cnt[id]++
			}
			match := 0
			for _, id := range h {
				if c := sc.cnt[id]; c > 0 {
					match += int(min(c, sc.rcnt[id]))
					sc.cnt[id] = 0
				}
			}
			for _, id := range rf {
				sc.rcnt[id] = 0
			}
			hc := len(h)
			if len(rf) == 0 {
				hc = 0
			}
			stats[3*n] = float64(hc)
			stats[3*n+1] = float64(len(rf))
			stats[3*n+2] = float64(match)
		}
		if f := chrfScore(stats, order); f > bestF {
			bestF = f
			copy(best, stats)
		}
	}
	return best
}

// chrfScore is sacreBLEU's CHRF._compute_f_score without eps smoothing.
func chrfScore(stats []float64, order int) float64 {
	const eps = 1e-16
	factor := float64(chrfBeta * chrfBeta)
	avgP, avgR := 0.0, 0.0
	eff := 0
	for i := 0; i < order && 3*i+2 < len(stats); i++ {
		nh, nr, nm := stats[3*i], stats[3*i+1], stats[3*i+2]
		p, r := eps, eps
		if nh > 0 {
			p = nm / nh
		}
		if nr > 0 {
			r = nm / nr
		}
		if nh > 0 && nr > 0 {
			avgP += p
			avgR += r
			eff++
		}
	}
	if eff == 0 {
		avgP, avgR = 0, 0
	} else {
		avgP /= float64(eff)
		avgR /= float64(eff)
	}
	if avgP+avgR != 0 {
		s := (1 + factor) * avgP * avgR
		s /= factor*avgP + avgR
		return 100 * s
	}
	return 0
}

// ChrFFromStats computes chrF (0..100) from (summed) statistics.
func ChrFFromStats(s ChrFStats, opt ChrFOptions) float64 {
	return chrfScore(s, chrfCharOrder+opt.WordOrder)
}

// SentenceChrF scores one segment.
func SentenceChrF(hyp string, refs []string, opt ChrFOptions) float64 {
	return ChrFFromStats(ChrFSegmentStats(hyp, refs, opt), opt)
}

// CorpusChrF sums the per-segment statistics and scores the sum.
func CorpusChrF(hyps []string, refs [][]string, opt ChrFOptions) float64 {
	sum := make(ChrFStats, 3*(chrfCharOrder+opt.WordOrder))
	for i, h := range hyps {
		var r []string
		if i < len(refs) {
			r = refs[i]
		}
		st := ChrFSegmentStats(h, r, opt)
		for j, v := range st {
			sum[j] += v
		}
	}
	return ChrFFromStats(sum, opt)
}
