package metrics

import (
	"sync"
	"unicode/utf8"
)

type chrfFast struct {
	words  strTable
	tab    multiset
	uni    []int32 // order-1 character counts of the current reference
	uniSet []bool  // order-1 characters present in the current reference
	ascii  [128]int32
	runes  map[rune]int32
	nchars int32
	hypC   []int32
	refC   [][]int32
	hypW   []int32
	refW   [][]int32
	strs   []string
	hypK   []uint64
	refK   []uint64
	hypWK  []uint64 // word keys only (dense path)
	dense  chrfDense
	stats  []float64
}

var chrfFastPool = sync.Pool{New: func() any { return &chrfFast{runes: make(map[rune]int32, 32)} }}

// asciiInit is the initial per-call ASCII id table: -1 marks Python
// whitespace, 0 a character not seen yet (ids start at 1). Folding the
// whitespace test into the id lookup saves a load per character.
var asciiInit = func() (t [128]int32) {
	for c := range t {
		if asciiSpace[c] {
			t[c] = -1
		}
	}
	return
}()

// newID gives the next character id.
func (sc *chrfFast) newID() int32 {
	sc.nchars++
	return sc.nchars
}

// runeID returns the id of a non-ASCII character, or -1 for whitespace.
func (sc *chrfFast) runeID(r rune) int32 {
	if isPySpace(r) {
		return -1
	}
	id, ok := sc.runes[r]
	if !ok {
		id = sc.newID()
		sc.runes[r] = id
	}
	return id
}

// chars appends the dense ids (from 1) of the non-whitespace characters of
// the rstripped segment.
func (sc *chrfFast) chars(dst []int32, seg string) []int32 {
	ascii := &sc.ascii
	for i := 0; i < len(seg); {
		c := seg[i]
		var id int32
		if c < utf8.RuneSelf {
			i++
			id = ascii[c]
			if id == 0 {
				id = sc.newID()
				ascii[c] = id
			}
		} else {
			r, size := utf8.DecodeRuneInString(seg[i:])
			i += size
			id = sc.runeID(r)
		}
		if id > 0 {
			dst = append(dst, id)
		}
	}
	return dst
}

// word appends the id(s) of the whitespace token seg[a:b]: one ASCII
// punctuation character is split off its end, or else its start, unless
// the token is a single character (sacreBLEU's _remove_punctuation).
func (sc *chrfFast) word(dst []int32, seg string, a, b int) []int32 {
	w := &sc.words
	if b-a > 1 && (seg[a] < utf8.RuneSelf || utf8.RuneCountInString(seg[a:b]) > 1) {
		if asciiPunct[seg[b-1]] {
			return append(dst, w.idAt(seg, a, b-1), w.idAt(seg, b-1, b))
		}
		if asciiPunct[seg[a]] {
			return append(dst, w.idAt(seg, a, a+1), w.idAt(seg, a+1, b))
		}
	}
	return append(dst, w.idAt(seg, a, b))
}

// asciiPunct is isASCIIPunct as a table (one load per test).
var asciiPunct = func() (t [256]bool) {
	for c := range 128 {
		t[c] = isASCIIPunct(byte(c))
	}
	return
}()

// charsWords appends the character ids (as chars) and the chrF++ word ids
// (whitespace tokens split by word, as sacreBLEU's chrF++ word n-grams) of
// seg in one pass.
func (sc *chrfFast) charsWords(dstC, dstW []int32, seg string) ([]int32, []int32) {
	ascii := &sc.ascii
	start := -1
	for i := 0; i < len(seg); {
		c := seg[i]
		var id int32
		j := i
		if c < utf8.RuneSelf {
			i++
			id = ascii[c]
			if id == 0 {
				id = sc.newID()
				ascii[c] = id
			}
		} else {
			r, size := utf8.DecodeRuneInString(seg[i:])
			i += size
			id = sc.runeID(r)
		}
		if id > 0 {
			dstC = append(dstC, id)
			if start < 0 {
				start = j
			}
		} else if start >= 0 {
			dstW = sc.word(dstW, seg, start, j)
			start = -1
		}
	}
	if start >= 0 {
		dstW = sc.word(dstW, seg, start, len(seg))
	}
	return dstC, dstW
}

// chrfKeys builds the packed n-gram keys of all orders in one pass:
// character n-grams (order n in 1..6 in bits 60..63, ids of `width` bits
// each) then word n-grams (tags 7 and 8, 28-bit ids). The order of a key is
// key>>60.
func chrfKeys(keys []uint64, chars, words []int32, width uint, wordOrder int) []uint64 {
	keys = keys[:0]
	nc := len(chars)
	for i := 0; i < nc; i++ {
		var k uint64
		lim := min(chrfCharOrder, nc-i)
		for m := 0; m < lim; m++ {
			k = k<<width | uint64(chars[i+m])
			keys = append(keys, k|uint64(m+1)<<60)
		}
	}
	nw := len(words)
	for i := 0; i < nw; i++ {
		var k uint64
		lim := min(wordOrder, nw-i)
		for m := 0; m < lim; m++ {
			k = k<<28 | uint64(words[i+m])
			keys = append(keys, k|uint64(chrfCharOrder+m+1)<<60)
		}
	}
	return keys
}

// ngramCounts is the number of n-grams of each order 1..maxOrder in a
// sequence of length l, written to dst[0:maxOrder].
func ngramCounts(dst []int, l, maxOrder int) {
	for n := 1; n <= maxOrder; n++ {
		dst[n-1] = max(0, l-n+1)
	}
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
	sc.ascii = asciiInit
	clear(sc.runes)
	sc.nchars = 0

	hyp = pyRstrip(hyp)
	if opt.WordOrder > 0 {
		sc.hypC, sc.hypW = sc.charsWords(sc.hypC[:0], sc.hypW[:0], hyp)
	} else {
		sc.hypC = sc.chars(sc.hypC[:0], hyp)
	}
	for len(sc.refC) < len(refs) {
		sc.refC = append(sc.refC, nil)
		sc.refW = append(sc.refW, nil)
	}
	for k, r := range refs {
		r = pyRstrip(r)
		if opt.WordOrder > 0 {
			sc.refC[k], sc.refW[k] = sc.charsWords(sc.refC[k][:0], sc.refW[k][:0], r)
		} else {
			sc.refC[k] = sc.chars(sc.refC[k][:0], r)
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
	sc.hypK = sc.hypK[:0]
	sc.hypWK = sc.hypWK[:0] // built on demand
	var hypN, refN [chrfCharOrder + 2]int
	ngramCounts(hypN[:chrfCharOrder], len(sc.hypC), chrfCharOrder)
	ngramCounts(hypN[chrfCharOrder:], len(sc.hypW), opt.WordOrder)

	best := make(ChrFStats, 3*order)
	bestF := -1.0
	if cap(sc.stats) < 3*order {
		sc.stats = make([]float64, 3*order)
	}
	stats := sc.stats[:3*order]
	for k := range refs {
		var match [chrfCharOrder + 2 + 1]int
		if denseFits(len(sc.refC[k]), int(sc.nchars)) {
			var cm [chrfCharOrder]int
			sc.dense.matches(sc.hypC, sc.refC[k], int(sc.nchars), &cm, chrfCharOrder)
			copy(match[1:], cm[:])
			if opt.WordOrder > 0 {
				if nw := sc.words.n; denseFits(len(sc.refW[k]), nw) {
					// Word ids are dense too: same counting as characters.
					var wm [chrfCharOrder]int
					sc.dense.matches(sc.hypW, sc.refW[k], nw, &wm, opt.WordOrder)
					copy(match[1+chrfCharOrder:], wm[:opt.WordOrder])
				} else {
					if len(sc.hypWK) == 0 {
						sc.hypWK = chrfKeys(sc.hypWK, nil, sc.hypW, width, opt.WordOrder)
					}
					sc.refK = chrfKeys(sc.refK, nil, sc.refW[k], width, opt.WordOrder)
					sc.countKeys(sc.hypWK, sc.refK, 0, &match)
				}
			}
			ngramCounts(refN[:chrfCharOrder], len(sc.refC[k]), chrfCharOrder)
			ngramCounts(refN[chrfCharOrder:], len(sc.refW[k]), opt.WordOrder)
		} else {
			if len(sc.hypK) == 0 {
				sc.hypK = chrfKeys(sc.hypK, sc.hypC, sc.hypW, width, opt.WordOrder)
			}
			sc.refK = chrfKeys(sc.refK, sc.refC[k], sc.refW[k], width, opt.WordOrder)
			ngramCounts(refN[:chrfCharOrder], len(sc.refC[k]), chrfCharOrder)
			ngramCounts(refN[chrfCharOrder:], len(sc.refW[k]), opt.WordOrder)
			sc.countKeys(sc.hypK, sc.refK, width, &match)
		}
		for n := 0; n < order; n++ {
			hc := hypN[n]
			if refN[n] == 0 {
				hc = 0
			}
			stats[3*n] = float64(hc)
			stats[3*n+1] = float64(refN[n])
			stats[3*n+2] = float64(match[n+1])
		}
		if f := chrfScore(stats, order); f > bestF {
			bestF = f
			copy(best, stats)
		}
	}
	return best
}

// countKeys adds to match[order] the hypothesis keys matched by reference
// keys (clipped by counts). width is the character id width, or 0 when the
// keys hold word n-grams only.
func (sc *chrfFast) countKeys(hypK, refK []uint64, width uint, match *[chrfCharOrder + 2 + 1]int) {
	// Character unigrams are counted in arrays indexed by character id,
	// the other orders in the hash table.
	size := int(sc.nchars) + 1
	if cap(sc.uni) < size {
		sc.uni = make([]int32, size)
		sc.uniSet = make([]bool, size)
	}
	uni, uniSet := sc.uni[:size], sc.uniSet[:size]
	clear(uni)
	clear(uniSet)
	idMask := uint64(1)<<width - 1
	sc.tab.reset(len(refK))
	for _, key := range refK {
		if key>>60 == 1 {
			id := key & idMask
			uni[id]++
			uniSet[id] = true
			continue
		}
		sc.tab.add(key)
	}
	// Keys of one position come in increasing order; once an n-gram is
	// absent from the reference, its extensions are absent too.
	alive := false
	for _, key := range hypK {
		tag := key >> 60
		if tag == 1 {
			id := key & idMask
			alive = uniSet[id]
			if uni[id] > 0 {
				uni[id]--
				match[1]++
			}
			continue
		}
		if tag == chrfCharOrder+1 {
			alive = true
		} else if !alive {
			continue
		}
		s, ok := sc.tab.find(key)
		if !ok {
			alive = false
			continue
		}
		if s.n > 0 {
			s.n--
			match[tag]++
		}
	}
}
