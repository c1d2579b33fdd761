package offline

import (
	"math"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tarjama/tarjama/pipeline/text"
)

// Phrase is one key phrase found by Keyphrases.
type Phrase struct {
	// Text is the phrase's most frequent surface form in the document.
	Text string `json:"text"`
	// Key is its matching form: normalized words without Arabic
	// proclitics, joined by spaces.
	Key string `json:"key"`
	// Score is in (0, 1], 1 for the best phrase of the document.
	Score float64 `json:"score"`
	// Yake is the raw YAKE score (lower is better).
	Yake   float64 `json:"yake"`
	Count  int     `json:"count"`
	Quoted bool    `json:"quoted,omitempty"`
}

// KeywordOptions tunes Keyphrases. Start from DefaultKeywordOptions.
type KeywordOptions struct {
	// Max is the number of phrases returned.
	Max int
	// MaxWords is the longest phrase, in words (YAKE's n).
	MaxWords int
	// MaxQuotedWords allows longer phrases when they appear as a whole
	// quotation (names of organisations: "عصائب أهل الحق").
	MaxQuotedWords int
	// QuoteBoost divides the YAKE score of a phrase that appears as a whole
	// quotation ("قآني", «الحشد الشعبي»): Arabic news quotes names.
	QuoteBoost float64
	// Dedupe: a phrase whose key is this similar (Levenshtein ratio over
	// letters) to a better one is dropped; 0 keeps only exact-key dedupe.
	Dedupe float64
	// MultiWordBoost divides the score of phrases of two or more words:
	// news key phrases are mostly names and noun phrases.
	MultiWordBoost float64
	// PronounPenalty multiplies the score of an Arabic phrase with a word
	// that carries an attached pronoun (أسماؤهم, تعتبرها): such words are
	// verbs or possessed nouns, rarely key phrases. 0 or 1 disables.
	PronounPenalty float64
	// FragmentPenalty multiplies the score of a phrase that is nearly always
	// followed, or nearly always preceded, by the same word: a piece of a
	// longer name ("قائد فيلق" of "قائد فيلق القدس"). 0 or 1 disables.
	FragmentPenalty float64
	// Subsume drops a one-word phrase contained in a better phrase, and a
	// phrase that contains a better one-word phrase ("قآني" and
	// "إسماعيل قآني" are not both listed).
	Subsume bool
}

// DefaultKeywordOptions returns the settings measured on AKEC (see
// bench/offline).
func DefaultKeywordOptions() KeywordOptions {
	return KeywordOptions{Max: 10, MaxWords: 2, MaxQuotedWords: 4, QuoteBoost: 4, Dedupe: 0.8, MultiWordBoost: 1.5, PronounPenalty: 4,
		FragmentPenalty: 2}
}

// word is one token with what YAKE needs.
type word struct {
	surface string
	key     string // normalized, proclitics off
	stop    bool
	quoted  bool
	start   int
	end     int
	sent    int
	chunk   int // words in one chunk are not separated by punctuation
	upper   bool
}

// Keyphrases extracts up to opts.Max key phrases of 1–opts.MaxWords words
// from paragraphs with YAKE (Campos et al., Information Sciences 509, 2020)
// on normalized, proclitic-stripped words. A phrase never starts or ends
// with a stop word, near-duplicates are dropped, and quoted phrases are
// boosted.
func Keyphrases(paragraphs []string, lang string, opts KeywordOptions) []Phrase {
	words, nSents, src := collectWords(paragraphs, lang)
	if len(words) == 0 {
		return nil
	}
	termScore := yakeTermScores(words, nSents)

	type cand struct {
		key      string
		surfaces map[string]int
		count    int
		quoted   bool
		n        int
		first    int
		terms    []string
		stops    []bool
		next     map[string]int
		prev     map[string]int
	}
	cands := map[string]*cand{}
	var order []string
	maxN := max(opts.MaxWords, opts.MaxQuotedWords, 1)
	for i := range words {
		if words[i].stop || !usableWord(words[i].key) {
			continue
		}
		for n := 1; n <= maxN && i+n <= len(words); n++ {
			last := words[i+n-1]
			if last.chunk != words[i].chunk {
				break
			}
			if !usableWord(last.key) && !last.stop {
				break
			}
			if last.stop {
				continue
			}
			keys := make([]string, n)
			stops := make([]bool, n)
			for k := 0; k < n; k++ {
				keys[k] = words[i+k].key
				stops[k] = words[i+k].stop
			}
			quoted := wholeQuote(words, i, i+n)
			if n > opts.MaxWords && !quoted {
				continue
			}
			key := strings.Join(keys, " ")
			c := cands[key]
			if c == nil {
				c = &cand{key: key, surfaces: map[string]int{}, n: n, first: i, terms: keys, stops: stops,
					next: map[string]int{}, prev: map[string]int{}}
				cands[key] = c
				order = append(order, key)
			}
			c.count++
			c.surfaces[src[words[i].start:last.end]]++
			if j := i + n; j < len(words) && words[j].chunk == last.chunk && !words[j].stop {
				c.next[words[j].key]++
			}
			if i > 0 && words[i-1].chunk == words[i].chunk && !words[i-1].stop {
				c.prev[words[i-1].key]++
			}
			if quoted {
				c.quoted = true
			}
		}
	}

	var out []Phrase
	for _, key := range order {
		c := cands[key]
		prod, sum := 1.0, 0.0
		for k, t := range c.terms {
			if c.stops[k] {
				continue
			}
			s := termScore[t]
			prod *= s
			sum += s
		}
		score := prod / (float64(c.count) * (1 + sum))
		if c.quoted && opts.QuoteBoost > 0 {
			score /= opts.QuoteBoost
		}
		if c.n > 1 && opts.MultiWordBoost > 0 {
			score /= opts.MultiWordBoost
		}
		if opts.FragmentPenalty > 0 && c.count >= 2 && !c.quoted &&
			(dominant(c.next, c.count) || dominant(c.prev, c.count)) {
			score *= opts.FragmentPenalty
		}
		if opts.PronounPenalty > 0 && isArabicLang(lang) && hasPronounSuffix(c.terms) {
			score *= opts.PronounPenalty
		}
		out = append(out, Phrase{Text: bestSurface(c.surfaces), Key: key, Yake: score, Count: c.count, Quoted: c.quoted})
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].Yake < out[b].Yake })
	out = dedupePhrases(out, lang, opts, opts.Max)
	if len(out) > 0 {
		best := out[0].Yake
		for i := range out {
			if out[i].Yake > 0 {
				out[i].Score = best / out[i].Yake
			} else {
				out[i].Score = 1
			}
		}
	}
	return out
}

// collectWords tokenizes the paragraphs into one text (so offsets are
// comparable) and returns the words, the sentence count and that text.
func collectWords(paragraphs []string, lang string) ([]word, int, string) {
	src := strings.Join(paragraphs, "\n")
	var words []word
	nSents, chunk := 0, 0
	for _, sp := range text.Sentences(src) {
		s := sp.In(src)
		quoted := quotedRanges(s)
		toks := text.Tokens(s)
		prevEnd := 0
		for k, t := range toks {
			if k > 0 && breaksChunk(s[prevEnd:t.Start]) {
				chunk++
			}
			prevEnd = t.End
			norm := text.Normalize(t.Text)
			key := norm
			if isArabicLang(lang) {
				key = text.LightStem(norm)
			}
			r, _ := utf8.DecodeRuneInString(t.Text)
			words = append(words, word{
				surface: t.Text,
				key:     key,
				stop:    text.IsStopWord(lang, t.Text),
				quoted:  inRanges(quoted, t.Start),
				start:   sp.Start + t.Start,
				end:     sp.Start + t.End,
				sent:    nSents,
				chunk:   chunk,
				upper:   k > 0 && unicode.IsUpper(r),
			})
		}
		chunk++
		nSents++
	}
	return words, nSents, src
}

func isArabicLang(lang string) bool { return lang == "ar" || strings.HasPrefix(lang, "ar-") }

// breaksChunk reports whether the text between two tokens holds punctuation
// that ends a candidate phrase (anything but spaces, hyphens and the
// tatweel-joined "لـ").
func breaksChunk(between string) bool {
	for _, r := range between {
		if unicode.IsSpace(r) || r == '-' || r == '\u0640' {
			continue
		}
		return true
	}
	return false
}

// usableWord rejects one-letter words and bare numbers as phrase words.
func usableWord(key string) bool {
	if utf8.RuneCountInString(key) < 2 {
		return false
	}
	return !isNumber(key)
}

// quotedRanges returns the byte ranges of s inside quotation marks.
func quotedRanges(s string) [][2]int {
	var out [][2]int
	open := -1
	var closer rune
	for i, r := range s {
		if open >= 0 {
			if r == closer || (closer == '”' && r == '“') {
				out = append(out, [2]int{open, i})
				open = -1
			}
			continue
		}
		switch r {
		case '"':
			open, closer = i+1, '"'
		case '«':
			open, closer = i+len("«"), '»'
		case '“':
			open, closer = i+len("“"), '”'
		case '”':
			open, closer = i+len("”"), '“'
		}
	}
	return out
}

func inRanges(rs [][2]int, pos int) bool {
	for _, r := range rs {
		if pos >= r[0] && pos < r[1] {
			return true
		}
	}
	return false
}

// wholeQuote reports whether words[i:j] are all quoted and the words just
// outside are not, so the phrase is a complete quotation (a quoted name),
// not a piece of a quoted statement.
func wholeQuote(words []word, i, j int) bool {
	for k := i; k < j; k++ {
		if !words[k].quoted {
			return false
		}
	}
	if i > 0 && words[i-1].quoted && words[i-1].sent == words[i].sent && words[i-1].chunk == words[i].chunk {
		return false
	}
	if j < len(words) && words[j].quoted && words[j].sent == words[j-1].sent && words[j].chunk == words[j-1].chunk {
		return false
	}
	return true
}

func bestSurface(m map[string]int) string {
	best, n := "", -1
	for s, c := range m {
		// Most frequent; ties go to the shorter, then the smaller string,
		// so the result does not depend on map order.
		if c > n || c == n && (len(s) < len(best) || len(s) == len(best) && s < best) {
			best, n = s, c
		}
	}
	return best
}

// yakeTermScores computes YAKE's S(t) for every non-stop term key.
func yakeTermScores(words []word, nSents int) map[string]float64 {
	type stats struct {
		tf, quoted, upper int
		sents             []int
		left, right       map[string]int
	}
	st := map[string]*stats{}
	get := func(k string) *stats {
		s := st[k]
		if s == nil {
			s = &stats{left: map[string]int{}, right: map[string]int{}}
			st[k] = s
		}
		return s
	}
	for i, w := range words {
		if w.stop || !usableWord(w.key) {
			continue
		}
		s := get(w.key)
		s.tf++
		if w.quoted {
			s.quoted++
		}
		if w.upper {
			s.upper++
		}
		if len(s.sents) == 0 || s.sents[len(s.sents)-1] != w.sent {
			s.sents = append(s.sents, w.sent)
		}
		if i > 0 && words[i-1].chunk == w.chunk {
			s.left[words[i-1].key]++
		}
		if i+1 < len(words) && words[i+1].chunk == w.chunk {
			s.right[words[i+1].key]++
		}
	}
	if len(st) == 0 {
		return nil
	}
	var tfs []float64
	maxTF := 0.0
	for _, s := range st {
		tfs = append(tfs, float64(s.tf))
		maxTF = max(maxTF, float64(s.tf))
	}
	mean, sd := meanStd(tfs)
	out := make(map[string]float64, len(st))
	for k, s := range st {
		tf := float64(s.tf)
		casing := float64(max(s.quoted, s.upper)) / (1 + math.Log(tf))
		pos := math.Log(math.Log(3 + median(s.sents)))
		freq := tf / (mean + sd)
		rel := 1 + (diversity(s.left)+diversity(s.right))*tf/maxTF
		dif := float64(len(s.sents)) / float64(max(nSents, 1))
		out[k] = rel * pos / (casing + freq/rel + dif/rel)
	}
	return out
}

// diversity is YAKE's W: distinct neighbours over all neighbour
// occurrences.
func diversity(m map[string]int) float64 {
	total := 0
	for _, c := range m {
		total += c
	}
	if total == 0 {
		return 0
	}
	return float64(len(m)) / float64(total)
}

func meanStd(xs []float64) (float64, float64) {
	m := 0.0
	for _, x := range xs {
		m += x
	}
	m /= float64(len(xs))
	v := 0.0
	for _, x := range xs {
		v += (x - m) * (x - m)
	}
	return m, math.Sqrt(v / float64(len(xs)))
}

func median(xs []int) float64 {
	n := len(xs)
	if n == 0 {
		return 0
	}
	if n%2 == 1 {
		return float64(xs[n/2])
	}
	return float64(xs[n/2-1]+xs[n/2]) / 2
}

// dedupePhrases keeps the best of near-identical phrases: same stemmed
// key, or keys more similar than limit.
func dedupePhrases(ps []Phrase, lang string, opts KeywordOptions, maxOut int) []Phrase {
	limit := opts.Dedupe
	var out []Phrase
	seen := map[string]bool{}
	for _, p := range ps {
		if maxOut > 0 && len(out) >= maxOut {
			break
		}
		sk := stemKey(lang, p.Key)
		if seen[sk] {
			continue
		}
		dup := false
		for _, q := range out {
			if limit > 0 && levRatio(p.Key, q.Key) >= limit ||
				opts.Subsume && (oneWord(p.Key) || oneWord(q.Key)) &&
					(containsWords(q.Key, p.Key) || containsWords(p.Key, q.Key)) {
				dup = true
				break
			}
		}
		if dup {
			continue
		}
		seen[sk] = true
		out = append(out, p)
	}
	return out
}

func stemKey(lang, key string) string {
	fs := strings.Fields(key)
	for i, f := range fs {
		fs[i] = stemTerm(lang, f)
	}
	return strings.Join(fs, " ")
}

// levRatio is 1 - Levenshtein distance / longer length, over runes.
func levRatio(a, b string) float64 {
	ra, rb := []rune(a), []rune(b)
	if len(ra) == 0 && len(rb) == 0 {
		return 1
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			c := 1
			if ra[i-1] == rb[j-1] {
				c = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+c)
		}
		prev, cur = cur, prev
	}
	return 1 - float64(prev[len(rb)])/float64(max(len(ra), len(rb)))
}

// pronounSuffixes are attached pronouns, in normalized form.
var pronounSuffixes = []string{"هما", "كما", "هم", "هن", "ها", "كم", "كن"}

func hasPronounSuffix(keys []string) bool {
	for _, k := range keys {
		if utf8.RuneCountInString(k) < 5 {
			continue
		}
		for _, suf := range pronounSuffixes {
			if strings.HasSuffix(k, suf) {
				return true
			}
		}
	}
	return false
}

// containsWords reports whether the words of small occur contiguously in
// big.
func containsWords(big, small string) bool {
	return strings.Contains(" "+big+" ", " "+small+" ")
}

func oneWord(key string) bool { return !strings.Contains(key, " ") }

// dominant reports whether one neighbour accounts for at least 80% of a
// phrase's n occurrences.
func dominant(m map[string]int, n int) bool {
	for _, c := range m {
		if 5*c >= 4*n {
			return true
		}
	}
	return false
}
