package offline

import (
	"math"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tarjama/tarjama/pipeline/text"
)

// Sentence is one sentence of a document, as the summarizer saw it.
type Sentence struct {
	Text string `json:"text"`
	// Paragraph and Span locate the sentence: Paragraphs[Paragraph][Span.Start:Span.End].
	Paragraph int       `json:"paragraph"`
	Span      text.Span `json:"span"`
	// Index is the sentence's position in the document (0-based).
	Index int `json:"index"`
	Words int `json:"words"`
	// Score is the summarizer's final score (higher is better); Rank is the
	// graph centrality alone, scaled so the most central sentence is 1.
	Score float64 `json:"score"`
	Rank  float64 `json:"rank"`
	// Flags says why a sentence was penalised: "headline", "short",
	// "question", "dateline", "boilerplate", "trailer", "quote".
	Flags []string `json:"flags,omitempty"`

	bag map[string]float64 // content terms, for redundancy
}

// SummaryOptions sets the summary's length and the scoring weights.
// The zero value is not useful: start from DefaultSummaryOptions.
type SummaryOptions struct {
	// Sentences is the number of sentences to select; Words, when > 0,
	// overrides it with a word budget: sentences are added in score order
	// until the budget is reached or the next one would overshoot it by
	// more than a quarter (the first sentence is always taken).
	Sentences int
	Words     int

	// RankWeight scales the TextRank centrality (in [0,1]).
	RankWeight float64
	// LeadWeight scales the position prior LeadWeight/(1+k)^LeadDecay, where
	// k counts the body sentences before this one (sentences flagged as
	// headline, dateline or boilerplate do not count).
	LeadWeight float64
	LeadDecay  float64
	// Penalty is subtracted for each flag that marks a line as not body
	// text: headline, dateline (once each), boilerplate, trailer (twice).
	Penalty float64
	// SoftPenalty is subtracted for each flag of a body sentence that is a
	// weak summary: short, question, quote.
	SoftPenalty float64
	// MinWords: a sentence with fewer words is flagged "short".
	MinWords int
	// Redundancy: a candidate whose similarity to an already selected
	// sentence exceeds it is skipped (0 disables).
	Redundancy float64
}

// DefaultSummaryOptions returns the default weights and a three-sentence
// length. On BBC Arabic (bench/offline -task tune) every setting with a
// lead prior picks the same one sentence as Lead-1; the rank weight and the
// soft penalty matter for longer briefings, where they were set by reading
// output, not by a metric.
func DefaultSummaryOptions() SummaryOptions {
	return SummaryOptions{
		Sentences:   3,
		RankWeight:  0.35,
		LeadWeight:  1.0,
		LeadDecay:   1.0,
		Penalty:     1.0,
		SoftPenalty: 0.1,
		MinWords:    8,
		Redundancy:  0.6,
	}
}

// PlainTextRankOptions returns options for TextRank without any position
// prior or penalty: the baseline the bench compares against.
func PlainTextRankOptions(n int) SummaryOptions {
	return SummaryOptions{Sentences: n, RankWeight: 1}
}

// Summarize selects sentences from paragraphs (in lang, "ar" or "en") and
// returns them in source order. Paragraphs should be the cleaned body, but
// headline-like lines, datelines, tag lines and trailing related-story
// headlines are recognised and penalised. It returns nil for empty input.
func Summarize(paragraphs []string, lang string, opts SummaryOptions) []Sentence {
	sents := scoreSentences(paragraphs, lang, opts)
	return selectSentences(sents, opts)
}

// scoreSentences segments, flags and scores every sentence.
func scoreSentences(paragraphs []string, lang string, opts SummaryOptions) []Sentence {
	var sents []Sentence
	var bags []map[string]float64
	stems := map[string]string{} // word → stem, for this document
	for pi, p := range paragraphs {
		spans := text.Sentences(p)
		for _, sp := range spans {
			s := Sentence{Text: sp.In(p), Paragraph: pi, Span: sp, Index: len(sents)}
			bag, words := termBag(s.Text, lang, stems)
			s.Words = words
			s.Flags = flagSentence(s.Text, words, len(spans), opts.MinWords)
			sents = append(sents, s)
			bags = append(bags, bag)
		}
	}
	if len(sents) == 0 {
		return nil
	}
	markTrailers(sents)

	ranks := textRank(bags)
	body := 0
	for i := range sents {
		s := &sents[i]
		s.Rank = ranks[i]
		score := opts.RankWeight * ranks[i]
		if opts.LeadWeight != 0 {
			score += opts.LeadWeight / math.Pow(float64(1+body), opts.LeadDecay)
		}
		for _, f := range s.Flags {
			switch f {
			case "trailer", "boilerplate":
				score -= 2 * opts.Penalty
			case "headline", "dateline":
				score -= opts.Penalty
			default:
				score -= opts.SoftPenalty
			}
		}
		s.Score = score
		if !s.has("headline") && !s.has("dateline") && !s.has("boilerplate") && !s.has("trailer") {
			body++
		}
	}
	// Redundancy needs the bags; keep them on the side.
	for i := range sents {
		sents[i].bag = bags[i]
	}
	return sents
}

// selectSentences picks by score, then restores source order.
func selectSentences(sents []Sentence, opts SummaryOptions) []Sentence {
	if len(sents) == 0 {
		return nil
	}
	order := make([]int, len(sents))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return sents[order[a]].Score > sents[order[b]].Score })

	var picked []int
	words := 0
	for _, i := range order {
		if opts.Words > 0 {
			if words >= opts.Words {
				break
			}
			if len(picked) > 0 && words+sents[i].Words > opts.Words+opts.Words/4 {
				// The next best does not fit: stop rather than pad the
				// summary with whatever short sentence would.
				break
			}
		} else if len(picked) >= max(opts.Sentences, 1) {
			break
		}
		if opts.Redundancy > 0 && redundant(sents, picked, i, opts.Redundancy) {
			continue
		}
		picked = append(picked, i)
		words += sents[i].Words
	}
	sort.Ints(picked)
	out := make([]Sentence, len(picked))
	for k, i := range picked {
		out[k] = sents[i]
		out[k].bag = nil
	}
	return out
}

func redundant(sents []Sentence, picked []int, i int, limit float64) bool {
	for _, j := range picked {
		if cosine(sents[i].bag, sents[j].bag) > limit {
			return true
		}
	}
	return false
}

func (s *Sentence) has(flag string) bool {
	for _, f := range s.Flags {
		if f == flag {
			return true
		}
	}
	return false
}

// termBag returns the sentence's content terms (normalized, stop words out,
// stemmed) with their counts, and its number of words. stems caches
// stemTerm.
func termBag(s, lang string, stems map[string]string) (map[string]float64, int) {
	toks := text.Tokens(s)
	bag := make(map[string]float64, len(toks))
	for _, t := range toks {
		if text.IsStopWord(lang, t.Text) {
			continue
		}
		w := text.Normalize(t.Text)
		if utf8.RuneCountInString(w) < 2 && !isNumber(w) {
			continue
		}
		st, ok := stems[w]
		if !ok {
			st = stemTerm(lang, w)
			stems[w] = st
		}
		bag[st]++
	}
	return bag, len(toks)
}

// stemTerm is the summarizer's and keyword extractor's matching form of a
// normalized word: Arabic proclitics off, then the Snowball stem.
func stemTerm(lang, w string) string {
	if lang == "ar" || strings.HasPrefix(lang, "ar-") {
		return text.Stem("ar", text.LightStem(w))
	}
	return text.Stem(lang, w)
}

func isNumber(w string) bool {
	for _, r := range w {
		if !unicode.IsDigit(r) && r != '.' && r != ',' && r != ':' {
			return false
		}
	}
	return w != ""
}

// textRank runs weighted PageRank over the sentence-similarity graph of
// Mihalcea and Tarau (2004): overlap / (log|A| + log|B|). It returns
// scores scaled to a maximum of 1.
func textRank(bags []map[string]float64) []float64 {
	n := len(bags)
	w := make([][]float64, n)
	out := make([]float64, n)
	for i := range w {
		w[i] = make([]float64, n)
	}
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			s := overlapSim(bags[i], bags[j])
			w[i][j], w[j][i] = s, s
		}
	}
	sums := make([]float64, n)
	for i := range w {
		for _, v := range w[i] {
			sums[i] += v
		}
	}
	const d = 0.85
	pr := make([]float64, n)
	for i := range pr {
		pr[i] = 1
	}
	next := make([]float64, n)
	for iter := 0; iter < 50; iter++ {
		delta := 0.0
		for i := 0; i < n; i++ {
			acc := 0.0
			for j := 0; j < n; j++ {
				if w[j][i] > 0 && sums[j] > 0 {
					acc += w[j][i] / sums[j] * pr[j]
				}
			}
			next[i] = (1 - d) + d*acc
			delta += math.Abs(next[i] - pr[i])
		}
		pr, next = next, pr
		if delta < 1e-6 {
			break
		}
	}
	top := 0.0
	for _, v := range pr {
		top = max(top, v)
	}
	for i, v := range pr {
		if top > 0 {
			out[i] = v / top
		}
	}
	return out
}

func overlapSim(a, b map[string]float64) float64 {
	if len(a) < 2 || len(b) < 2 {
		return 0
	}
	common := 0
	for t := range a {
		if _, ok := b[t]; ok {
			common++
		}
	}
	if common == 0 {
		return 0
	}
	return float64(common) / (math.Log(float64(len(a))) + math.Log(float64(len(b))))
}

func cosine(a, b map[string]float64) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	dot, na, nb := 0.0, 0.0, 0.0
	for t, v := range a {
		na += v * v
		if u, ok := b[t]; ok {
			dot += v * u
		}
	}
	for _, u := range b {
		nb += u * u
	}
	return dot / math.Sqrt(na*nb)
}
