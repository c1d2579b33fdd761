package brief

import (
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tarjama/tarjama/pipeline/text"
)

// numberClaim is a number in a sentence with the word it counts.
type numberClaim struct {
	key      string // stem of the counted word
	keyWord  string // the counted word as written
	value    string // the number, normalized
	sentence string
	lang     string
	context  map[string]bool // the sentence's other content stems
}

// numberClaims finds "number + counted word" pairs in s: "12 people",
// "at least 15 killed", "مقتل 12 شخصا". The counted word is the first
// content word within two words after the number, else the nearest within
// three words before it (the first of them). Years (1900–2100 with no counted word after
// them) and numbers inside dates are skipped.
func numberClaims(s, lang string) []numberClaim {
	var out []numberClaim
	for _, sentence := range sentences(s) {
		toks := text.Tokens(sentence)
		words := make([]string, len(toks))
		content := make([]bool, len(toks))
		for i, t := range toks {
			words[i] = text.Normalize(t.Text)
			content[i] = utf8.RuneCountInString(words[i]) >= 2 && !isNumber(words[i]) && !text.IsStopWord(langOf(words[i]), words[i])
		}
		for i, w := range words {
			if !isNumber(w) || !strings.ContainsAny(w, "0123456789") {
				continue
			}
			if v, err := strconv.Atoi(w); err == nil && v >= 1900 && v <= 2100 {
				continue
			}
			k := -1
			for j := i + 1; j < len(words) && j <= i+2; j++ {
				if isNumber(words[j]) {
					break
				}
				// An Arabic counted noun follows its number directly
				// ("15 شخصا") and may be on the stop list.
				if content[j] || (j == i+1 && langOf(words[j]) == "ar" && utf8.RuneCountInString(words[j]) >= 2) {
					k = j
					break
				}
			}
			if k < 0 {
				// "the death toll rose to 15": the first content word of
				// the three before the number, which is more often the
				// noun than the verb next to the number.
				for j := max(0, i-3); j < i; j++ {
					if content[j] {
						k = j
						break
					}
				}
			}
			if k < 0 {
				continue
			}
			key := text.Stem(langOf(words[k]), words[k])
			ctx := map[string]bool{}
			for j, cw := range words {
				if content[j] && j != k {
					ctx[text.Stem(langOf(cw), cw)] = true
				}
			}
			out = append(out, numberClaim{key: key, keyWord: toks[k].Text, value: strings.ReplaceAll(w, ",", ""), sentence: sentence, lang: lang, context: ctx})
		}
	}
	return out
}

func sharedWords(a, b map[string]bool) int {
	n := 0
	for w := range a {
		if b[w] {
			n++
		}
	}
	return n
}

func langOf(w string) string {
	if r, _ := utf8.DecodeRuneInString(w); text.IsArabic(r) {
		return "ar"
	}
	return "en"
}

// numberDisagreements compares the numbers the group's articles attach to
// the same counted word: when two articles give different numbers for it in
// sentences that share another content word, every version is reported
// with its sources. An article that gives two numbers for the same word
// ("rose from 12 to 15") is left out of that word's comparison.
func numberDisagreements(group []*article) []Disagreement {
	type version struct {
		value    string
		sentence string
		lang     string
		sources  []int
	}
	type perArticle struct {
		n      int
		claims []numberClaim
	}
	byKey := map[string][]perArticle{}
	subject := map[string]string{}
	for _, a := range group {
		texts := []struct{ s, lang string }{{a.body, a.bodyLang}}
		if a.summaryLang == a.bodyLang {
			texts = append(texts, struct{ s, lang string }{strings.Join(a.summary, " "), a.summaryLang})
		}
		mine := map[string][]numberClaim{}
		for _, t := range texts {
			if t.lang == "en-gloss" {
				continue
			}
			for _, c := range numberClaims(t.s, t.lang) {
				mine[c.key] = append(mine[c.key], c)
				if _, ok := subject[c.key]; !ok || c.lang == "en" {
					subject[c.key] = c.keyWord
				}
			}
		}
		for k, cs := range mine {
			vals := map[string]bool{}
			for _, c := range cs {
				vals[c.value] = true
			}
			if len(vals) == 1 {
				byKey[k] = append(byKey[k], perArticle{a.n, cs})
			}
		}
	}
	var keys []string
	for k := range byKey {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []Disagreement
	for _, k := range keys {
		arts := byKey[k]
		if len(arts) < 2 {
			continue
		}
		var vs []*version
		for _, pa := range arts {
			c := pa.claims[0]
			// Only count the article when its sentence shares at least two
			// other content words with another article's sentence about
			// this word: "2.75 percent" of a rate and "0.9 percent" of
			// inflation are not a disagreement.
			shares := false
			for _, other := range arts {
				if other.n == pa.n {
					continue
				}
				for _, mc := range pa.claims {
					for _, oc := range other.claims {
						if sharedWords(mc.context, oc.context) >= 2 {
							shares = true
						}
					}
				}
			}
			if !shares {
				continue
			}
			found := false
			for _, v := range vs {
				if v.value == c.value {
					v.sources = append(v.sources, pa.n)
					found = true
				}
			}
			if !found {
				vs = append(vs, &version{value: c.value, sentence: c.sentence, lang: c.lang, sources: []int{pa.n}})
			}
		}
		if len(vs) < 2 {
			continue
		}
		d := Disagreement{Subject: subject[k]}
		for _, v := range vs {
			d.Claims = append(d.Claims, Claim{Text: clip(v.sentence, 240), Lang: v.lang, Cites: sortedUnique(v.sources)})
		}
		sort.Slice(d.Claims, func(i, j int) bool { return d.Claims[i].Cites[0] < d.Claims[j].Cites[0] })
		out = append(out, d)
	}
	return out
}
