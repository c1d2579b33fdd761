package metrics

import "sync"

type bleuFast struct {
	words strTable
	tab   countTable
	hyp   []int32
	refs  [][]int32
	bufA  []byte
	bufB  []byte
}

var bleuFastPool = sync.Pool{New: func() any { return new(bleuFast) }}

func (sc *bleuFast) tokenize(dst []int32, s string, tokenize string) []int32 {
	if tokenize != "none" && tokenize != "intl" {
		// 13a (the default): try the single-pass tokenizer first.
		if out, ok := tok13aIDs(dst, pyRstrip(s), &sc.words); ok {
			return out
		}
	}
	return bleuTokenIDs(dst, s, tokenize, &sc.bufA, &sc.bufB, &sc.words)
}

// closestRefLen is sacreBLEU's _get_closest_ref_len.
func closestRefLen(hypLen int, refLens func(yield func(int) bool)) int {
	refLen, closest := 0, -1
	for l := range refLens {
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
	}
	return refLen
}

// BLEUSegmentStats returns the sufficient statistics of one segment against
// its references (clipped by the maximum count over references; ref_len is
// the closest reference length, the shorter one on ties).
//
// n-grams are packed into uint64 keys of 16-bit token ids (injective across
// orders because ids start at 1) and counted in an open-addressing table.
func BLEUSegmentStats(hyp string, refs []string, opt BLEUOptions) BLEUStats {
	sc := bleuFastPool.Get().(*bleuFast)
	defer bleuFastPool.Put(sc)
	sc.words.reset()
	sc.hyp = sc.tokenize(sc.hyp[:0], hyp, opt.Tokenize)
	for len(sc.refs) < len(refs) {
		sc.refs = append(sc.refs, nil)
	}
	nref := 0
	for k, r := range refs {
		sc.refs[k] = sc.tokenize(sc.refs[k][:0], r, opt.Tokenize)
		nref += len(sc.refs[k])
	}
	if sc.words.n >= 1<<16 {
		return bleuSegmentStatsSlow(hyp, refs, opt)
	}
	var st BLEUStats
	st.SysLen = len(sc.hyp)
	st.RefLen = closestRefLen(len(sc.hyp), func(yield func(int) bool) {
		for k := range refs {
			if !yield(len(sc.refs[k])) {
				return
			}
		}
	})
	sc.tab.reset(4 * nref)
	for k := range refs {
		toks := sc.refs[k]
		for i := range toks {
			var key uint64
			for m := 0; m < 4 && i+m < len(toks); m++ {
				key = key<<16 | uint64(toks[i+m])
				sc.tab.addRef(key, int32(k))
			}
		}
	}
	toks := sc.hyp
	for m := range 4 {
		st.Totals[m] = max(0, len(toks)-m)
	}
	for i := range toks {
		var key uint64
		for m := 0; m < 4 && i+m < len(toks); m++ {
			key = key<<16 | uint64(toks[i+m])
			s, ok := sc.tab.find(key)
			if !ok {
				// No reference has this n-gram, so none has its
				// extensions either.
				break
			}
			if s.max > 0 {
				s.max--
				st.Counts[m]++
			}
		}
	}
	return st
}
