package metrics

import (
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// PRF is a precision/recall/F1 triple. ROUGE and keyword scores are in 0..1.
type PRF struct{ Precision, Recall, F1 float64 }

// Rouge holds the four ROUGE variants reported by rouge-score.
type Rouge struct{ R1, R2, RL, RLsum PRF }

// RougeOptions selects the ROUGE implementation being reproduced.
type RougeOptions struct {
	// Lang "" or "en" scores like Google's rouge-score (ASCII [a-z0-9]
	// tokens only: Arabic text yields no tokens and scores 0). Any other
	// value scores like the XL-Sum multilingual scorer.
	Lang string
	// Stem: for English, NLTK's Porter stemmer on tokens longer than 3
	// characters; for Arabic ("ar"), the XL-Sum arabic_stem variant (NLTK's
	// Arabic Snowball stemmer with stop words); ignored for other languages.
	Stem bool
	// Normalize applies Arabic orthographic normalization (see
	// NormalizeArabic) to every text before scoring. The published scorers
	// do not do this, so scores with Normalize are not comparable with
	// published numbers.
	Normalize bool
}

func fmeasure(p, r float64) float64 {
	if p+r > 0 {
		return 2 * p * r / (p + r)
	}
	return 0
}

// ScoreRouge scores hyp against a single reference ref.
func ScoreRouge(hyp, ref string, opt RougeOptions) Rouge {
	sc := getRougeScratch()
	defer putRougeScratch(sc)
	sc.prepareHyp(hyp, opt)
	return sc.scoreRef(ref, opt)
}

// ScoreRougeMulti scores hyp against several references like rouge-score's
// RougeScorer.score_multi: for each ROUGE type independently, the result
// against the reference with the highest F1 (the first one on ties). With no
// references the result is all zeros. The XL-Sum scorer has no
// multi-reference API; the same rule is applied to it.
func ScoreRougeMulti(hyp string, refs []string, opt RougeOptions) Rouge {
	var best Rouge
	if len(refs) == 0 {
		return best
	}
	sc := getRougeScratch()
	defer putRougeScratch(sc)
	sc.prepareHyp(hyp, opt)
	for i, ref := range refs {
		s := sc.scoreRef(ref, opt)
		if i == 0 {
			best = s
			continue
		}
		if s.R1.F1 > best.R1.F1 {
			best.R1 = s.R1
		}
		if s.R2.F1 > best.R2.F1 {
			best.R2 = s.R2
		}
		if s.RL.F1 > best.RL.F1 {
			best.RL = s.RL
		}
		if s.RLsum.F1 > best.RLsum.F1 {
			best.RLsum = s.RLsum
		}
	}
	return best
}

// rougeScratch holds the reusable buffers of one scoring call. Scratch
// objects are pooled; each one carries its own bounded stem cache.
type rougeScratch struct {
	ids      strTable
	stems    map[string]string
	arStem   arabicStemmer
	strBuf   []string
	hypText  string
	hyp      []int32   // hyp tokens (whole text)
	hypLines [][]int32 // hyp tokens per line (rougeLsum)
	ref      []int32
	refLines [][]int32
	cntA     []int32
	cntB     []int32
	bgA      []uint64
	bgB      []uint64
	row      []int32
	table    []int32
	union    []bool
}

var rougePool = sync.Pool{New: func() any {
	return &rougeScratch{stems: make(map[string]string, 1024)}
}}

func getRougeScratch() *rougeScratch { return rougePool.Get().(*rougeScratch) }

func putRougeScratch(sc *rougeScratch) { rougePool.Put(sc) }

const maxStemCache = 50000

func (sc *rougeScratch) intern(dst []int32, toks []string) []int32 {
	for _, t := range toks {
		dst = append(dst, sc.ids.id(t))
	}
	return dst
}

func isEnglishRouge(lang string) bool { return lang == "" || lang == "en" || lang == "english" }

func isArabicLang(lang string) bool {
	return lang == "ar" || lang == "arabic" || lang == "ara" || lang == "arb"
}

// tokens tokenizes text for rouge1/2/L (lines=false) or one line of
// rougeLsum (lines=true) and stems as the options ask.
func (sc *rougeScratch) tokens(dst []string, text string, opt RougeOptions, lsum bool) []string {
	n0 := len(dst)
	if isEnglishRouge(opt.Lang) {
		dst = rougeScoreTokens(dst, text)
		if opt.Stem {
			for i := n0; i < len(dst); i++ {
				if len(dst[i]) > 3 {
					dst[i] = sc.stemEN(dst[i])
				}
			}
		}
		return dst
	}
	dst = xlsumTokens(dst, text, !lsum)
	if opt.Stem && isArabicLang(opt.Lang) {
		j := n0
		for i := n0; i < len(dst); i++ {
			t := dst[i]
			if utf8.RuneCountInString(t) > 3 {
				t = sc.arStem.stem(t)
			}
			if t != "" {
				dst[j] = t
				j++
			}
		}
		dst = dst[:j]
	}
	return dst
}

func (sc *rougeScratch) stemEN(t string) string {
	if s, ok := sc.stems[t]; ok {
		return s
	}
	s := porterStem(t)
	if len(sc.stems) >= maxStemCache {
		clear(sc.stems)
	}
	sc.stems[strings.Clone(t)] = s
	return s
}

func (sc *rougeScratch) prepareHyp(hyp string, opt RougeOptions) {
	sc.ids.reset()
	// NLTK's Arabic stemmer carries state from word to word (see
	// arabicStemmer); each call starts with a fresh stemmer and, in the
	// arabic_stem variant, stems the texts in the reference scorer's order:
	// reference, hypothesis, reference lines, hypothesis lines.
	sc.arStem = arabicStemmer{}
	if opt.Normalize {
		hyp = NormalizeArabic(hyp)
	}
	sc.hypText = hyp
	if sc.statefulStem(opt) {
		return
	}
	sc.strBuf = sc.tokens(sc.strBuf[:0], hyp, opt, false)
	sc.hyp = sc.intern(sc.hyp[:0], sc.strBuf)
	sc.hypLines = sc.splitLines(sc.hypLines[:0], hyp, opt)
}

func (sc *rougeScratch) statefulStem(opt RougeOptions) bool {
	return opt.Stem && !isEnglishRouge(opt.Lang) && isArabicLang(opt.Lang)
}

func (sc *rougeScratch) splitLines(dst [][]int32, text string, opt RougeOptions) [][]int32 {
	for len(text) > 0 {
		line := text
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			line, text = text[:i], text[i+1:]
		} else {
			text = ""
		}
		if line == "" {
			continue
		}
		sc.strBuf = sc.tokens(sc.strBuf[:0], line, opt, true)
		var ids []int32
		if len(dst) < cap(dst) {
			ids = dst[:len(dst)+1][len(dst)][:0]
		}
		dst = append(dst, sc.intern(ids, sc.strBuf))
	}
	return dst
}

func (sc *rougeScratch) scoreRef(ref string, opt RougeOptions) Rouge {
	if opt.Normalize {
		ref = NormalizeArabic(ref)
	}
	sc.strBuf = sc.tokens(sc.strBuf[:0], ref, opt, false)
	sc.ref = sc.intern(sc.ref[:0], sc.strBuf)
	stateful := sc.statefulStem(opt)
	if stateful {
		sc.strBuf = sc.tokens(sc.strBuf[:0], sc.hypText, opt, false)
		sc.hyp = sc.intern(sc.hyp[:0], sc.strBuf)
	}
	sc.refLines = sc.splitLines(sc.refLines[:0], ref, opt)
	if stateful {
		sc.hypLines = sc.splitLines(sc.hypLines[:0], sc.hypText, opt)
	}
	var out Rouge
	out.R1 = sc.rouge1(sc.ref, sc.hyp)
	out.R2 = sc.rouge2(sc.ref, sc.hyp)
	out.RL = sc.rougeL(sc.ref, sc.hyp)
	out.RLsum = sc.rougeLsum(sc.refLines, sc.hypLines)
	return out
}

func prf(inter, predCount, targetCount int) PRF {
	p := float64(inter) / float64(max(predCount, 1))
	r := float64(inter) / float64(max(targetCount, 1))
	return PRF{p, r, fmeasure(p, r)}
}

func (sc *rougeScratch) counts(n int) ([]int32, []int32) {
	if cap(sc.cntA) < n {
		sc.cntA = make([]int32, n)
		sc.cntB = make([]int32, n)
	}
	a, b := sc.cntA[:n], sc.cntB[:n]
	clear(a)
	clear(b)
	return a, b
}

func (sc *rougeScratch) rouge1(target, pred []int32) PRF {
	ca, cb := sc.counts(sc.ids.n + 1)
	for _, t := range target {
		ca[t]++
	}
	for _, t := range pred {
		cb[t]++
	}
	inter := 0
	for _, t := range target {
		if ca[t] > 0 {
			inter += int(min(ca[t], cb[t]))
			ca[t] = 0
		}
	}
	return prf(inter, len(pred), len(target))
}

func bigrams(dst []uint64, toks []int32) []uint64 {
	for i := 0; i+1 < len(toks); i++ {
		dst = append(dst, uint64(uint32(toks[i]))<<32|uint64(uint32(toks[i+1])))
	}
	return dst
}

func (sc *rougeScratch) rouge2(target, pred []int32) PRF {
	sc.bgA = bigrams(sc.bgA[:0], target)
	sc.bgB = bigrams(sc.bgB[:0], pred)
	slices.Sort(sc.bgA)
	slices.Sort(sc.bgB)
	a, b := sc.bgA, sc.bgB
	inter := 0
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			inter++
			i++
			j++
		}
	}
	return prf(inter, len(b), len(a))
}

// lcsLen returns the LCS length of a and b using one rolling row.
func (sc *rougeScratch) lcsLen(a, b []int32) int {
	if cap(sc.row) < len(b)+1 {
		sc.row = make([]int32, len(b)+1)
	}
	row := sc.row[:len(b)+1]
	clear(row)
	for i := range a {
		ai := a[i]
		var diag int32 // row[j-1] of the previous i
		for j := 1; j <= len(b); j++ {
			up := row[j]
			if ai == b[j-1] {
				row[j] = diag + 1
			} else if row[j-1] > up {
				row[j] = row[j-1]
			}
			diag = up
		}
	}
	return int(row[len(b)])
}

func (sc *rougeScratch) rougeL(target, pred []int32) PRF {
	if len(target) == 0 || len(pred) == 0 {
		return PRF{}
	}
	l := sc.lcsLen(target, pred)
	p := float64(l) / float64(len(pred))
	r := float64(l) / float64(len(target))
	return PRF{p, r, fmeasure(p, r)}
}

// lcsMark marks in union the indices of ref that are on the LCS path that
// rouge-score's _backtrack_norec reads out of the full table.
func (sc *rougeScratch) lcsMark(ref, can []int32, union []bool) {
	rows, cols := len(ref), len(can)
	w := cols + 1
	need := (rows + 1) * w
	if cap(sc.table) < need {
		sc.table = make([]int32, need)
	}
	t := sc.table[:need]
	clear(t[:w])
	for i := 1; i <= rows; i++ {
		t[i*w] = 0
		ri := ref[i-1]
		for j := 1; j <= cols; j++ {
			if ri == can[j-1] {
				t[i*w+j] = t[(i-1)*w+j-1] + 1
			} else {
				up, left := t[(i-1)*w+j], t[i*w+j-1]
				t[i*w+j] = max(up, left)
			}
		}
	}
	i, j := rows, cols
	for i > 0 && j > 0 {
		if ref[i-1] == can[j-1] {
			union[i-1] = true
			i--
			j--
		} else if t[i*w+j-1] > t[(i-1)*w+j] {
			j--
		} else {
			i--
		}
	}
}

func (sc *rougeScratch) rougeLsum(refSents, canSents [][]int32) PRF {
	if len(refSents) == 0 || len(canSents) == 0 {
		return PRF{}
	}
	m, n := 0, 0
	for _, s := range refSents {
		m += len(s)
	}
	for _, s := range canSents {
		n += len(s)
	}
	if m == 0 || n == 0 {
		return PRF{}
	}
	cr, cc := sc.counts(sc.ids.n + 1)
	for _, s := range refSents {
		for _, t := range s {
			cr[t]++
		}
	}
	for _, s := range canSents {
		for _, t := range s {
			cc[t]++
		}
	}
	hits := 0
	for _, r := range refSents {
		if cap(sc.union) < len(r) {
			sc.union = make([]bool, len(r))
		}
		u := sc.union[:len(r)]
		clear(u)
		for _, c := range canSents {
			sc.lcsMark(r, c, u)
		}
		for i, on := range u {
			if !on {
				continue
			}
			t := r[i]
			if cc[t] > 0 && cr[t] > 0 {
				hits++
				cc[t]--
				cr[t]--
			}
		}
	}
	p := float64(hits) / float64(n)
	rc := float64(hits) / float64(m)
	return PRF{p, rc, fmeasure(p, rc)}
}

// rougeScoreTokens is rouge-score's default tokenizer without stemming:
// Python lowercasing, every character outside [a-z0-9] is a separator.
func rougeScoreTokens(dst []string, text string) []string {
	if isASCII(text) {
		start := -1
		lowerNeeded := false
		for i := 0; i <= len(text); i++ {
			var c byte
			ok := false
			if i < len(text) {
				c = text[i]
				ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')
			}
			if ok {
				if start < 0 {
					start = i
					lowerNeeded = false
				}
				if c >= 'A' && c <= 'Z' {
					lowerNeeded = true
				}
				continue
			}
			if start >= 0 {
				tok := text[start:i]
				if lowerNeeded {
					tok = strings.ToLower(tok)
				}
				dst = append(dst, tok)
				start = -1
			}
		}
		return dst
	}
	var cur []byte
	for _, r := range text {
		if r == 0x130 { // lowercases to "i" + U+0307
			cur = append(cur, 'i')
			if len(cur) > 0 {
				dst = append(dst, string(cur))
				cur = cur[:0]
			}
			continue
		}
		if r == 0x3a3 || r >= utf8.RuneSelf && r != 0x212a {
			// Non-ASCII characters lowercase to non-ASCII ones (the Kelvin
			// sign is the exception), so they separate tokens.
			if unicode.ToLower(r) >= utf8.RuneSelf {
				if len(cur) > 0 {
					dst = append(dst, string(cur))
					cur = cur[:0]
				}
				continue
			}
		}
		l := unicode.ToLower(r)
		if (l >= 'a' && l <= 'z') || (l >= '0' && l <= '9') {
			cur = append(cur, byte(l))
		} else if len(cur) > 0 {
			dst = append(dst, string(cur))
			cur = cur[:0]
		}
	}
	if len(cur) > 0 {
		dst = append(dst, string(cur))
	}
	return dst
}
