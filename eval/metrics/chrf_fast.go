package metrics

import (
	"sync"
	"unicode/utf8"
)

type chrfFast struct {
	words  strTable
	tab    countTable
	ascii  [128]int32
	runes  map[rune]int32
	nchars int32
	hypC   []int32
	refC   [][]int32
	hypW   []int32
	refW   [][]int32
	strs   []string
	hypK   []uint64 // hypothesis keys, grouped by order
	hypOff []int    // hypK[hypOff[n]:hypOff[n+1]] are the keys of order n
	refK   []uint64
	refOff []int
	stats  []float64
}

var chrfFastPool = sync.Pool{New: func() any { return &chrfFast{runes: make(map[rune]int32, 32)} }}

// chars appends the dense ids (from 1) of the non-whitespace characters of
// the rstripped segment.
func (sc *chrfFast) chars(dst []int32, seg string) []int32 {
	for i := 0; i < len(seg); {
		c := seg[i]
		if c < utf8.RuneSelf {
			i++
			if asciiSpace[c] {
				continue
			}
			id := sc.ascii[c]
			if id == 0 {
				sc.nchars++
				id = sc.nchars
				sc.ascii[c] = id
			}
			dst = append(dst, id)
			continue
		}
		r, size := utf8.DecodeRuneInString(seg[i:])
		i += size
		if isPySpace(r) {
			continue
		}
		id, ok := sc.runes[r]
		if !ok {
			sc.nchars++
			id = sc.nchars
			sc.runes[r] = id
		}
		dst = append(dst, id)
	}
	return dst
}

func (sc *chrfFast) words2(dst []int32, seg string) []int32 {
	sc.strs = chrfWords(sc.strs[:0], seg)
	for _, w := range sc.strs {
		dst = append(dst, sc.words.id(w))
	}
	return dst
}

// keys builds the packed n-gram keys of all orders: character n-grams
// (order n in 1..6 in bits 60..63, ids of `width` bits each) then word
// n-grams (tags 7 and 8, 28-bit ids).
func chrfKeys(keys []uint64, off []int, chars, words []int32, width uint, wordOrder int) ([]uint64, []int) {
	keys, off = keys[:0], off[:0]
	for n := 1; n <= chrfCharOrder; n++ {
		off = append(off, len(keys))
		tag := uint64(n) << 60
		for i := 0; i+n <= len(chars); i++ {
			var k uint64
			for m := 0; m < n; m++ {
				k = k<<width | uint64(chars[i+m])
			}
			keys = append(keys, k|tag)
		}
	}
	for n := 1; n <= wordOrder; n++ {
		off = append(off, len(keys))
		tag := uint64(chrfCharOrder+n) << 60
		for i := 0; i+n <= len(words); i++ {
			var k uint64
			for m := 0; m < n; m++ {
				k = k<<28 | uint64(words[i+m])
			}
			keys = append(keys, k|tag)
		}
	}
	off = append(off, len(keys))
	return keys, off
}

// ChrFSegmentStats returns the statistics of one segment against the
// reference with the best sentence-level chrF (the first one on ties).
//
// n-grams are packed exactly into uint64 keys (character ids are dense per
// call, at most 10 bits each for 6-grams) and counted in an open-addressing
// table; segments with more than 1023 distinct characters or 2^28 words
// take the map-based path.
func ChrFSegmentStats(hyp string, refs []string, opt ChrFOptions) ChrFStats {
	if opt.WordOrder < 0 || opt.WordOrder > 2 {
		return chrfSegmentStatsSlow(hyp, refs, opt)
	}
	order := chrfCharOrder + opt.WordOrder
	sc := chrfFastPool.Get().(*chrfFast)
	defer chrfFastPool.Put(sc)
	sc.words.reset()
	sc.ascii = [128]int32{}
	clear(sc.runes)
	sc.nchars = 0

	hyp = pyRstrip(hyp)
	sc.hypC = sc.chars(sc.hypC[:0], hyp)
	if opt.WordOrder > 0 {
		sc.hypW = sc.words2(sc.hypW[:0], hyp)
	}
	for len(sc.refC) < len(refs) {
		sc.refC = append(sc.refC, nil)
		sc.refW = append(sc.refW, nil)
	}
	for k, r := range refs {
		r = pyRstrip(r)
		sc.refC[k] = sc.chars(sc.refC[k][:0], r)
		if opt.WordOrder > 0 {
			sc.refW[k] = sc.words2(sc.refW[k][:0], r)
		}
	}
	var width uint
	switch {
	case sc.nchars < 1<<8:
		width = 8
	case sc.nchars < 1<<10:
		width = 10
	default:
		return chrfSegmentStatsSlow(hyp, refs, opt)
	}
	if sc.words.n >= 1<<28 {
		return chrfSegmentStatsSlow(hyp, refs, opt)
	}
	sc.hypK, sc.hypOff = chrfKeys(sc.hypK, sc.hypOff, sc.hypC, sc.hypW, width, opt.WordOrder)

	best := make(ChrFStats, 3*order)
	bestF := -1.0
	if cap(sc.stats) < 3*order {
		sc.stats = make([]float64, 3*order)
	}
	stats := sc.stats[:3*order]
	for k := range refs {
		sc.refK, sc.refOff = chrfKeys(sc.refK, sc.refOff, sc.refC[k], sc.refW[k], width, opt.WordOrder)
		sc.tab.reset(len(sc.refK))
		for _, key := range sc.refK {
			sc.tab.addRef(key, 0)
		}
		for n := 0; n < order; n++ {
			hk := sc.hypK[sc.hypOff[n]:sc.hypOff[n+1]]
			nref := sc.refOff[n+1] - sc.refOff[n]
			match := 0
			for _, key := range hk {
				if sc.tab.take(key) {
					match++
				}
			}
			hc := len(hk)
			if nref == 0 {
				hc = 0
			}
			stats[3*n] = float64(hc)
			stats[3*n+1] = float64(nref)
			stats[3*n+2] = float64(match)
		}
		if f := chrfScore(stats, order); f > bestF {
			bestF = f
			copy(best, stats)
		}
	}
	return best
}
