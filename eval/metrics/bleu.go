package metrics

import (
	"math"
	"strings"
	"sync"
)

// BLEUOptions mirrors sacreBLEU's BLEU(tokenize=..., effective_order=...)
// with the defaults smooth_method="exp", lowercase=False, max order 4.
type BLEUOptions struct {
	Tokenize       string // "13a" (default if ""), "intl", "none"
	EffectiveOrder bool   // average only over orders with hypothesis n-grams (sentence BLEU)
}

// BLEUStats are the additive sufficient statistics of one or more segments.
type BLEUStats struct {
	Counts, Totals [4]int
	SysLen, RefLen int
}

// Add returns the element-wise sum of s and o.
func (s BLEUStats) Add(o BLEUStats) BLEUStats {
	for i := range 4 {
		s.Counts[i] += o.Counts[i]
		s.Totals[i] += o.Totals[i]
	}
	s.SysLen += o.SysLen
	s.RefLen += o.RefLen
	return s
}

// BLEUScore is a BLEU result in sacreBLEU's terms; Score and Precisions are
// 0..100.
type BLEUScore struct {
	Score          float64
	Counts, Totals [4]int
	Precisions     [4]float64
	BP             float64
	SysLen, RefLen int
}

// ngramIndex gives dense ids to tokens and to n-grams (an n-gram is the
// pair (id of its first n-1 tokens, id of its last token)); ids of all
// orders share one space.
type ngramIndex struct {
	words map[string]int32
	grams map[uint64]int32
	next  int32
}

func (x *ngramIndex) reset() {
	if len(x.words) > 1<<16 {
		x.words = make(map[string]int32, 256)
	} else {
		clear(x.words)
	}
	if len(x.grams) > 1<<17 {
		x.grams = make(map[uint64]int32, 1024)
	} else {
		clear(x.grams)
	}
	x.next = 0
}

func (x *ngramIndex) word(t string) int32 {
	if id, ok := x.words[t]; ok {
		return id
	}
	id := x.next
	x.next++
	x.words[strings.Clone(t)] = id
	return id
}

func (x *ngramIndex) gram(prefix, last int32) int32 {
	key := uint64(uint32(prefix))<<32 | uint64(uint32(last))
	if id, ok := x.grams[key]; ok {
		return id
	}
	id := x.next
	x.next++
	x.grams[key] = id
	return id
}

// ngrams fills out[n] with the ids of the (n+1)-grams of toks, n < len(out).
func (x *ngramIndex) ngrams(out [][]int32, toks []int32) {
	out[0] = append(out[0][:0], toks...)
	for n := 1; n < len(out); n++ {
		prev := out[n-1]
		cur := out[n][:0]
		for i := 0; i+n < len(toks); i++ {
			cur = append(cur, x.gram(prev[i], toks[i+n]))
		}
		out[n] = cur
	}
}

type bleuScratch struct {
	idx    ngramIndex
	strs   []string
	toks   []int32
	hyp    [][]int32
	ref    [][]int32
	refs   [][4][]int32
	cnt    []int32
	refMax []int32
	refCnt []int32
	buf    []byte
}

var bleuPool = sync.Pool{New: func() any {
	return &bleuScratch{
		idx: ngramIndex{words: make(map[string]int32, 256), grams: make(map[uint64]int32, 1024)},
		hyp: make([][]int32, 4), ref: make([][]int32, 4),
	}
}}

func grow(s []int32, n int) []int32 {
	if cap(s) < n {
		return make([]int32, n, n+n/2)
	}
	s = s[:n]
	clear(s)
	return s
}

// bleuSegmentStatsSlow is the map-based reference path, used when a segment
// has more distinct tokens than the packed keys of the fast path can hold.
func bleuSegmentStatsSlow(hyp string, refs []string, opt BLEUOptions) BLEUStats {
	sc := bleuPool.Get().(*bleuScratch)
	defer bleuPool.Put(sc)
	sc.idx.reset()

	var st BLEUStats
	tokenize := func(s string) []int32 {
		sc.strs = bleuTokens(sc.strs[:0], s, opt.Tokenize, &sc.buf)
		sc.toks = sc.toks[:0]
		for _, t := range sc.strs {
			sc.toks = append(sc.toks, sc.idx.word(t))
		}
		return sc.toks
	}
	htoks := tokenize(hyp)
	hypLen := len(htoks)
	sc.idx.ngrams(sc.hyp, htoks)
	hypIDs := [4][]int32{}
	for n := range 4 {
		hypIDs[n] = sc.hyp[n]
	}

	refLen, closest := -1, -1
	var all [][4][]int32
	for _, r := range refs {
		rt := tokenize(r)
		l := len(rt)
		diff := l - hypLen
		if diff < 0 {
			diff = -diff
		}
		if closest == -1 || diff < closest {
			closest = diff
			refLen = l
		} else if diff == closest && l < refLen {
			refLen = l
		}
		sc.idx.ngrams(sc.ref, rt)
		var g [4][]int32
		for n := range 4 {
			g[n] = append([]int32(nil), sc.ref[n]...)
		}
		all = append(all, g)
	}
	if refLen < 0 {
		refLen = 0
	}
	size := int(sc.idx.next)
	sc.refMax = grow(sc.refMax, size)
	sc.refCnt = grow(sc.refCnt, size)
	sc.cnt = grow(sc.cnt, size)
	for _, g := range all {
		for n := range 4 {
			for _, id := range g[n] {
				sc.refCnt[id]++
			}
			for _, id := range g[n] {
				if c := sc.refCnt[id]; c > 0 {
					if c > sc.refMax[id] {
						sc.refMax[id] = c
					}
					sc.refCnt[id] = 0
				}
			}
		}
	}
	for n := range 4 {
		ids := hypIDs[n]
		st.Totals[n] = len(ids)
		for _, id := range ids {
			sc.cnt[id]++
		}
		for _, id := range ids {
			if c := sc.cnt[id]; c > 0 {
				st.Counts[n] += int(min(c, sc.refMax[id]))
				sc.cnt[id] = 0
			}
		}
	}
	st.SysLen = hypLen
	st.RefLen = refLen
	return st
}

// BLEUFromStats computes BLEU from (summed) statistics exactly like
// sacreBLEU's compute_bleu with exp smoothing.
func BLEUFromStats(s BLEUStats, opt BLEUOptions) BLEUScore {
	out := BLEUScore{Counts: s.Counts, Totals: s.Totals, SysLen: s.SysLen, RefLen: s.RefLen}
	if s.SysLen < s.RefLen {
		if s.SysLen > 0 {
			out.BP = math.Exp(1 - float64(s.RefLen)/float64(s.SysLen))
		}
	} else {
		out.BP = 1
	}
	any := false
	for _, c := range s.Counts {
		if c != 0 {
			any = true
		}
	}
	if !any {
		return out
	}
	smooth := 1.0
	effOrder := 4
	for n := 1; n <= 4; n++ {
		if s.Totals[n-1] == 0 {
			break
		}
		if opt.EffectiveOrder {
			effOrder = n
		}
		if s.Counts[n-1] == 0 {
			smooth *= 2
			out.Precisions[n-1] = 100 / (smooth * float64(s.Totals[n-1]))
		} else {
			out.Precisions[n-1] = 100 * float64(s.Counts[n-1]) / float64(s.Totals[n-1])
		}
	}
	sum := 0.0
	for _, p := range out.Precisions[:effOrder] {
		if p == 0 {
			sum += -9999999999
		} else {
			sum += math.Log(p)
		}
	}
	out.Score = out.BP * math.Exp(sum/float64(effOrder))
	return out
}

// SentenceBLEU scores one segment (sacreBLEU's sentence_score).
func SentenceBLEU(hyp string, refs []string, opt BLEUOptions) BLEUScore {
	return BLEUFromStats(BLEUSegmentStats(hyp, refs, opt), opt)
}

// CorpusBLEU scores a corpus: refs[i] holds the references of segment i
// (their number may vary). The statistics of all segments are summed.
func CorpusBLEU(hyps []string, refs [][]string, opt BLEUOptions) BLEUScore {
	var st BLEUStats
	for i, h := range hyps {
		var r []string
		if i < len(refs) {
			r = refs[i]
		}
		st = st.Add(BLEUSegmentStats(h, r, opt))
	}
	return BLEUFromStats(st, opt)
}
