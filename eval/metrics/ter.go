package metrics

import (
	"math"
	"sync"
)

// TERStats are additive TER statistics: the fewest edits over the
// references and the average reference length (sacreBLEU's [num_edits,
// ref_length]).
type TERStats struct{ Edits, RefLen float64 }

// Add returns s + o.
func (s TERStats) Add(o TERStats) TERStats {
	return TERStats{s.Edits + o.Edits, s.RefLen + o.RefLen}
}

// TERFromStats is sacreBLEU's _compute_ter: 100 * edits / ref length, with
// 100 for edits against empty references and 0 when both are zero.
func TERFromStats(s TERStats) float64 {
	switch {
	case s.RefLen > 0:
		return 100 * (s.Edits / s.RefLen)
	case s.Edits > 0:
		return 100
	default:
		return 0
	}
}

// SentenceTER scores one segment (case-insensitive, no tokenization:
// sacreBLEU's TER() defaults).
func SentenceTER(hyp string, refs []string) float64 {
	return TERFromStats(TERSegmentStats(hyp, refs))
}

// CorpusTER sums the per-segment statistics and scores the sum.
func CorpusTER(hyps []string, refs [][]string) float64 {
	var st TERStats
	for i, h := range hyps {
		var r []string
		if i < len(refs) {
			r = refs[i]
		}
		st = st.Add(TERSegmentStats(h, r))
	}
	return TERFromStats(st)
}

type terScratch struct {
	idx  ngramIndex
	strs []string
	hyp  []int32
	ref  []int32
}

var terPool = sync.Pool{New: func() any {
	return &terScratch{idx: ngramIndex{words: make(map[string]int32, 64), grams: map[uint64]int32{}}}
}}

// terWords preprocesses like sacreBLEU's TercomTokenizer with the default
// options: rstrip, lowercase, whitespace split.
func (sc *terScratch) words(dst []int32, s string) []int32 {
	s = pyRstrip(s)
	if s != "" {
		s = pyLower(s)
	}
	sc.strs = pySplit(sc.strs[:0], s)
	for _, w := range sc.strs {
		dst = append(dst, sc.idx.word(w))
	}
	return dst
}

// TERSegmentStats returns the TER statistics of one segment: the fewest
// edits over the references and their average length.
func TERSegmentStats(hyp string, refs []string) TERStats {
	sc := terPool.Get().(*terScratch)
	defer terPool.Put(sc)
	sc.idx.reset()
	sc.hyp = sc.words(sc.hyp[:0], hyp)
	best := math.MaxInt
	total := 0
	for _, r := range refs {
		sc.ref = sc.words(sc.ref[:0], r)
		e, l := translationEditRate(sc.hyp, sc.ref)
		total += l
		if e < best {
			best = e
		}
	}
	if len(refs) == 0 {
		return TERStats{}
	}
	return TERStats{Edits: float64(best), RefLen: float64(total) / float64(len(refs))}
}

const (
	terMaxShiftSize  = 10
	terMaxShiftDist  = 50
	terBeamWidth     = 25
	terMaxCandidates = 1000
	terInf           = int(1e16)
)

const (
	opNop byte = ' '
	opSub byte = 's'
	opIns byte = 'i'
	opDel byte = 'd'
	opUnd byte = 'x'
)

// translationEditRate follows sacreBLEU's lib_ter.translation_edit_rate:
// greedy shifts (Tercom's ranking) until no shift lowers the beam-limited
// edit distance, then that distance plus the number of shifts.
func translationEditRate(hyp, ref []int32) (int, int) {
	return translationEditRateOpt(hyp, ref, false)
}

func translationEditRateOpt(hyp, ref []int32, noReuse bool) (int, int) {
	if len(ref) == 0 {
		return len(hyp), 0
	}
	ed := newBeamED(ref)
	ed.noReuse = noReuse
	shifts := 0
	words := append([]int32(nil), hyp...)
	checked := 0
	for {
		delta, next, c := terShift(words, ref, ed, checked)
		checked = c
		if checked >= terMaxCandidates {
			break
		}
		if delta <= 0 {
			break
		}
		shifts++
		words = next
	}
	d, _ := ed.distance(words, false)
	return shifts + d, len(ref)
}

type beamED struct {
	ref  []int32
	cost []int  // full matrix of the last distance call
	op   []byte // its operations
	rowA []int  // rolling rows for suffixDistance
	rowB []int
	// noReuse makes suffixDistance recompute the whole matrix (tests
	// compare both ways).
	noReuse bool
}

// beamRange returns the columns [minJ, maxJ) computed in row i.
func beamRange(i, nh, nr int, lengthRatio float64, beam int) (int, int) {
	diag := int(math.Floor(float64(i) * lengthRatio))
	minJ := max(0, diag-beam)
	maxJ := min(nr+1, diag+beam)
	if i == nh {
		maxJ = nr + 1
	}
	return minJ, maxJ
}

func beamParams(nh, nr int) (float64, int) {
	lengthRatio := 1.0
	if nh > 0 {
		lengthRatio = float64(nr) / float64(nh)
	}
	beam := terBeamWidth
	if float64(terBeamWidth) < lengthRatio/2 {
		beam = int(math.Ceil(lengthRatio/2 + terBeamWidth))
	}
	return lengthRatio, beam
}

// suffixDistance returns the distance of hyp, which has the same length as
// the hypothesis of the last distance call and agrees with it on its first
// p words: rows 0..p of the stored matrix are reused (sacreBLEU's prefix
// cache does the same).
func (e *beamED) suffixDistance(hyp []int32, p int) int {
	if e.noReuse {
		d, _ := e.distance(hyp, false)
		return d
	}
	nh, nr := len(hyp), len(e.ref)
	w := nr + 1
	if p >= nh {
		return e.cost[nh*w+nr]
	}
	if cap(e.rowA) < w {
		e.rowA = make([]int, w)
		e.rowB = make([]int, w)
	}
	a, b := e.rowA[:w], e.rowB[:w]
	prev, cur := e.cost[p*w:(p+1)*w], a
	lengthRatio, beam := beamParams(nh, nr)
	for i := p + 1; i <= nh; i++ {
		for j := range cur {
			cur[j] = terInf
		}
		minJ, maxJ := beamRange(i, nh, nr, lengthRatio, beam)
		hw := hyp[i-1]
		for j := minJ; j < maxJ; j++ {
			if j == 0 {
				cur[0] = prev[0] + 1
				continue
			}
			c := cur[j]
			costSub := 1
			if hw == e.ref[j-1] {
				costSub = 0
			}
			if v := prev[j-1] + costSub; c > v {
				c = v
			}
			if v := prev[j] + 1; c > v {
				c = v
			}
			if v := cur[j-1] + 1; c > v {
				c = v
			}
			cur[j] = c
		}
		prev = cur
		if &cur[0] == &a[0] {
			cur = b
		} else {
			cur = a
		}
	}
	return prev[nr]
}

func newBeamED(ref []int32) *beamED { return &beamED{ref: ref} }

// distance computes the beam-limited Levenshtein distance of sacreBLEU's
// BeamEditDistance and, if wantTrace, the trace of operations.
func (e *beamED) distance(hyp []int32, wantTrace bool) (int, []byte) {
	nh, nr := len(hyp), len(e.ref)
	w := nr + 1
	size := (nh + 1) * w
	if cap(e.cost) < size {
		e.cost = make([]int, size)
		e.op = make([]byte, size)
	}
	cost, op := e.cost[:size], e.op[:size]
	for j := 0; j <= nr; j++ {
		cost[j] = j
		op[j] = opIns
	}
	for i := w; i < size; i++ {
		cost[i] = terInf
		op[i] = opUnd
	}
	lengthRatio, beam := beamParams(nh, nr)
	for i := 1; i <= nh; i++ {
		minJ, maxJ := beamRange(i, nh, nr, lengthRatio, beam)
		row, prev := i*w, (i-1)*w
		for j := minJ; j < maxJ; j++ {
			if j == 0 {
				cost[row] = cost[prev] + 1
				op[row] = opDel
				continue
			}
			costSub, opS := 1, opSub
			if hyp[i-1] == e.ref[j-1] {
				costSub, opS = 0, opNop
			}
			c, o := cost[row+j], op[row+j]
			if v := cost[prev+j-1] + costSub; c > v {
				c, o = v, opS
			}
			if v := cost[prev+j] + 1; c > v {
				c, o = v, opDel
			}
			if v := cost[row+j-1] + 1; c > v {
				c, o = v, opIns
			}
			cost[row+j], op[row+j] = c, o
		}
	}
	d := cost[nh*w+nr]
	if !wantTrace {
		return d, nil
	}
	var trace []byte
	i, j := nh, nr
	for i > 0 || j > 0 {
		o := op[i*w+j]
		trace = append(trace, o)
		switch o {
		case opSub, opNop:
			i--
			j--
		case opIns:
			j--
		case opDel:
			i--
		default:
			panic("metrics: TER trace hit an undefined cell")
		}
	}
	for a, b := 0, len(trace)-1; a < b; a, b = a+1, b-1 {
		trace[a], trace[b] = trace[b], trace[a]
	}
	return d, trace
}

// terShift tries all shifts and returns the best one (sacreBLEU's _shift).
func terShift(words, ref []int32, ed *beamED, checked int) (int, []int32, int) {
	pre, invTrace := ed.distance(words, true)
	// Flip insertions and deletions, then read the alignment.
	posH, posR := -1, -1
	var hypErr, refErr []int
	align := make(map[int]int, len(ref))
	for _, o := range invTrace {
		switch o {
		case opIns: // flipped: deletion
			posR++
			align[posR] = posH
			refErr = append(refErr, 1)
		case opDel: // flipped: insertion
			posH++
			hypErr = append(hypErr, 1)
		case opNop:
			posH++
			posR++
			align[posR] = posH
			hypErr = append(hypErr, 0)
			refErr = append(refErr, 0)
		case opSub:
			posH++
			posR++
			align[posR] = posH
			hypErr = append(hypErr, 1)
			refErr = append(refErr, 1)
		}
	}
	type cand struct {
		score, length, negStart, negIdx int
		words                           []int32
	}
	var best *cand
	buf := make([]int32, 0, len(words))
	sum := func(xs []int, a, b int) int {
		s := 0
		for k := a; k < b && k < len(xs); k++ {
			if k >= 0 {
				s += xs[k]
			}
		}
		return s
	}
	nh, nr := len(words), len(ref)
outer:
	for startH := 0; startH < nh; startH++ {
		for startR := 0; startR < nr; startR++ {
			if d := startR - startH; d > terMaxShiftDist || d < -terMaxShiftDist {
				continue
			}
			length := 0
			for words[startH+length] == ref[startR+length] && length < terMaxShiftSize {
				length++
				// candidate (startH, startR, length)
				if sum(hypErr, startH, startH+length) != 0 && sum(refErr, startR, startR+length) != 0 {
					if a := align[startR]; !(startH <= a && a < startH+length) {
						prevIdx := -1
						for offset := -1; offset < length; offset++ {
							var idx int
							if startR+offset == -1 {
								idx = 0
							} else if v, ok := align[startR+offset]; ok {
								idx = v + 1
							} else {
								break
							}
							if idx == prevIdx {
								continue
							}
							prevIdx = idx
							buf = performShift(buf[:0], words, startH, length, idx)
							d := ed.suffixDistance(buf, min(startH, idx))
							checked++
							if best == nil || candGreater(pre-d, length, -startH, -idx, best.score, best.length, best.negStart, best.negIdx) {
								if best == nil {
									best = &cand{}
								}
								*best = cand{pre - d, length, -startH, -idx, append(best.words[:0], buf...)}
							}
						}
						if checked >= terMaxCandidates {
							break outer
						}
					}
				}
				if nh == startH+length || nr == startR+length {
					break
				}
			}
		}
	}
	if best == nil {
		return 0, words, checked
	}
	return best.score, best.words, checked
}

func candGreater(a1, a2, a3, a4, b1, b2, b3, b4 int) bool {
	if a1 != b1 {
		return a1 > b1
	}
	if a2 != b2 {
		return a2 > b2
	}
	if a3 != b3 {
		return a3 > b3
	}
	return a4 > b4
}

// performShift moves words[start:start+length] to before position target
// (sacreBLEU's _perform_shift).
func performShift(out, words []int32, start, length, target int) []int32 {
	n := len(words)
	// py slices words[a:b] with Python's clamping of out-of-range bounds.
	py := func(a, b int) []int32 {
		a, b = min(max(a, 0), n), min(max(b, 0), n)
		if a >= b {
			return nil
		}
		return words[a:b]
	}
	switch {
	case target < start:
		out = append(out, py(0, target)...)
		out = append(out, py(start, start+length)...)
		out = append(out, py(target, start)...)
		out = append(out, py(start+length, n)...)
	case target > start+length:
		out = append(out, py(0, start)...)
		out = append(out, py(start+length, target)...)
		out = append(out, py(start, start+length)...)
		out = append(out, py(target, n)...)
	default:
		out = append(out, py(0, start)...)
		out = append(out, py(start+length, length+target)...)
		out = append(out, py(start, start+length)...)
		out = append(out, py(length+target, n)...)
	}
	return out
}
