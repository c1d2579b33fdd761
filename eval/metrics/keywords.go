package metrics

import (
	"cmp"
	"slices"
	"strings"
	"unicode"

	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/arabic"
	"github.com/blevesearch/snowballstem/english"
)

// KeywordOptions controls keyword matching.
type KeywordOptions struct {
	// Stem stems every word with the Snowball stemmer of Lang
	// (blevesearch/snowballstem): Arabic for "ar", English otherwise.
	Stem bool
	Lang string
	// Partial gives partial credit: each predicted phrase is matched to at
	// most one gold phrase (and vice versa) by token-set Jaccard similarity,
	// greedily from the most similar pair down; the credit of a match is its
	// similarity. Without Partial only identical normalized phrases count.
	Partial bool
}

// KeywordPRF compares predicted and gold key phrases after normalization
// (NormalizeKeyword, duplicates removed). Precision is credit/len(pred),
// recall credit/len(gold). Two empty lists score 1/1/1; one empty list
// scores 0/0/0.
func KeywordPRF(pred, gold []string, opt KeywordOptions) PRF {
	p := keywordSet(pred, opt)
	g := keywordSet(gold, opt)
	if len(p) == 0 && len(g) == 0 {
		return PRF{1, 1, 1}
	}
	if len(p) == 0 || len(g) == 0 {
		return PRF{}
	}
	var credit float64
	if !opt.Partial {
		gs := make(map[string]bool, len(g))
		for _, x := range g {
			gs[x.text] = true
		}
		for _, x := range p {
			if gs[x.text] {
				credit++
			}
		}
	} else {
		credit = partialCredit(p, g)
	}
	prec := credit / float64(len(p))
	rec := credit / float64(len(g))
	return PRF{prec, rec, fmeasure(prec, rec)}
}

type keyPhrase struct {
	text  string
	words []string // sorted, unique
}

func keywordSet(phrases []string, opt KeywordOptions) []keyPhrase {
	seen := make(map[string]bool, len(phrases))
	var out []keyPhrase
	for _, ph := range phrases {
		words := keywordWords(ph, opt)
		if len(words) == 0 {
			continue
		}
		text := strings.Join(words, " ")
		if seen[text] {
			continue
		}
		seen[text] = true
		set := slices.Clone(words)
		slices.Sort(set)
		set = slices.Compact(set)
		out = append(out, keyPhrase{text, set})
	}
	return out
}

// NormalizeKeyword lowercases s, replaces punctuation (Unicode P*) with
// spaces, collapses whitespace and applies NormalizeArabic to every word
// (after stemming, when stemming is on).
func NormalizeKeyword(s string) string {
	return strings.Join(keywordWords(s, KeywordOptions{}), " ")
}

func keywordWords(s string, opt KeywordOptions) []string {
	s = strings.ToLower(s)
	s = strings.Map(func(r rune) rune {
		if unicode.IsPunct(r) {
			return ' '
		}
		return r
	}, s)
	words := strings.Fields(s)
	if opt.Stem {
		for i, w := range words {
			env := snowballstem.NewEnv(w)
			if isArabicLang(opt.Lang) {
				arabic.Stem(env)
			} else {
				english.Stem(env)
			}
			if st := env.Current(); st != "" {
				words[i] = st
			}
		}
	}
	// Normalize after stemming: the Snowball Arabic stemmer relies on ta
	// marbuta and hamza forms that normalization would erase.
	for i, w := range words {
		words[i] = NormalizeArabic(w)
	}
	return words
}

func jaccard(a, b []string) float64 {
	inter := 0
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch c := strings.Compare(a[i], b[j]); {
		case c < 0:
			i++
		case c > 0:
			j++
		default:
			inter++
			i++
			j++
		}
	}
	union := len(a) + len(b) - inter
	if union == 0 {
		return 0
	}
	return float64(inter) / float64(union)
}

func partialCredit(pred, gold []keyPhrase) float64 {
	type pair struct {
		sim  float64
		p, g int
	}
	var pairs []pair
	for i, p := range pred {
		for j, g := range gold {
			if s := jaccard(p.words, g.words); s > 0 {
				pairs = append(pairs, pair{s, i, j})
			}
		}
	}
	slices.SortFunc(pairs, func(a, b pair) int {
		if c := cmp.Compare(b.sim, a.sim); c != 0 {
			return c
		}
		if c := cmp.Compare(a.p, b.p); c != 0 {
			return c
		}
		return cmp.Compare(a.g, b.g)
	})
	usedP := make([]bool, len(pred))
	usedG := make([]bool, len(gold))
	credit := 0.0
	for _, pr := range pairs {
		if usedP[pr.p] || usedG[pr.g] {
			continue
		}
		usedP[pr.p], usedG[pr.g] = true, true
		credit += pr.sim
	}
	return credit
}
