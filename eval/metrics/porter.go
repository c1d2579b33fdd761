package metrics

import "strings"

// porterStem stems a lowercase word like NLTK 3.8's PorterStemmer() in its
// default NLTK_EXTENSIONS mode (irregular-forms pool, 'ies'/'ied' rules for
// four-letter words, 'alli' and 'logi' handling, the two-letter *o rule).
// It was written from the published algorithm and NLTK's documented
// departures; it is checked against rouge-score's stems through the golden
// test. No Go library reproduces NLTK's variant: Snowball English ("porter2")
// differs on many words.
func porterStem(word string) string {
	switch word {
	case "sky", "skies":
		return "sky"
	case "dying":
		return "die"
	case "lying":
		return "lie"
	case "tying":
		return "tie"
	case "news":
		return "news"
	case "innings", "inning":
		return "inning"
	case "outings", "outing":
		return "outing"
	case "cannings", "canning":
		return "canning"
	case "howe":
		return "howe"
	case "proceed", "exceed", "succeed":
		return word
	}
	if len(word) <= 2 {
		return word
	}
	w := word
	w = pStep1a(w)
	w = pStep1b(w)
	w = pStep1c(w)
	w = pStep2(w)
	w = pStep3(w)
	w = pStep4(w)
	w = pStep5a(w)
	w = pStep5b(w)
	return w
}

func pIsVowel(c byte) bool { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' }

func pIsCons(w string, i int) bool {
	for {
		c := w[i]
		if pIsVowel(c) {
			return false
		}
		if c != 'y' {
			return true
		}
		if i == 0 {
			return true
		}
		// y is a consonant iff the previous letter is not a consonant.
		if !pIsCons(w, i-1) {
			return true
		}
		return false
	}
}

// pMeasure counts "vc" transitions in the consonant/vowel pattern of stem.
func pMeasure(stem string) int {
	m := 0
	prevV := false
	for i := 0; i < len(stem); i++ {
		c := pIsCons(stem, i)
		if c && prevV {
			m++
		}
		prevV = !c
	}
	return m
}

func pContainsVowel(stem string) bool {
	for i := 0; i < len(stem); i++ {
		if !pIsCons(stem, i) {
			return true
		}
	}
	return false
}

func pEndsDoubleCons(w string) bool {
	n := len(w)
	return n >= 2 && w[n-1] == w[n-2] && pIsCons(w, n-1)
}

func pEndsCVC(w string) bool {
	n := len(w)
	if n >= 3 && pIsCons(w, n-3) && !pIsCons(w, n-2) && pIsCons(w, n-1) {
		c := w[n-1]
		if c != 'w' && c != 'x' && c != 'y' {
			return true
		}
	}
	return n == 2 && !pIsCons(w, 0) && pIsCons(w, 1)
}

type pRule struct {
	suffix, repl string
	cond         func(stem string) bool
}

// pApply applies the first rule whose suffix matches; if its condition
// fails, no further rule is tried (NLTK's _apply_rule_list).
func pApply(w string, rules []pRule) string {
	for _, r := range rules {
		if r.suffix == "*d" {
			if pEndsDoubleCons(w) {
				stem := w[:len(w)-2]
				if r.cond == nil || r.cond(stem) {
					return stem + r.repl
				}
				return w
			}
			continue
		}
		if strings.HasSuffix(w, r.suffix) {
			stem := w[:len(w)-len(r.suffix)]
			if r.cond == nil || r.cond(stem) {
				return stem + r.repl
			}
			return w
		}
	}
	return w
}

func pPositive(stem string) bool { return pMeasure(stem) > 0 }
func pGt1(stem string) bool      { return pMeasure(stem) > 1 }

var (
	pStep1aRules = []pRule{{"sses", "ss", nil}, {"ies", "i", nil}, {"ss", "ss", nil}, {"s", "", nil}}
	pStep3Rules  = []pRule{
		{"icate", "ic", pPositive}, {"ative", "", pPositive}, {"alize", "al", pPositive},
		{"iciti", "ic", pPositive}, {"ical", "ic", pPositive}, {"ful", "", pPositive}, {"ness", "", pPositive},
	}
	pStep4Rules = []pRule{
		{"al", "", pGt1}, {"ance", "", pGt1}, {"ence", "", pGt1}, {"er", "", pGt1}, {"ic", "", pGt1},
		{"able", "", pGt1}, {"ible", "", pGt1}, {"ant", "", pGt1}, {"ement", "", pGt1}, {"ment", "", pGt1},
		{"ent", "", pGt1},
		{"ion", "", func(stem string) bool {
			return pMeasure(stem) > 1 && len(stem) > 0 && (stem[len(stem)-1] == 's' || stem[len(stem)-1] == 't')
		}},
		{"ou", "", pGt1}, {"ism", "", pGt1}, {"ate", "", pGt1}, {"iti", "", pGt1}, {"ous", "", pGt1},
		{"ive", "", pGt1}, {"ize", "", pGt1},
	}
	pStep2Rules = []pRule{
		{"ational", "ate", pPositive}, {"tional", "tion", pPositive}, {"enci", "ence", pPositive},
		{"anci", "ance", pPositive}, {"izer", "ize", pPositive}, {"bli", "ble", pPositive},
		{"alli", "al", pPositive}, {"entli", "ent", pPositive}, {"eli", "e", pPositive},
		{"ousli", "ous", pPositive}, {"ization", "ize", pPositive}, {"ation", "ate", pPositive},
		{"ator", "ate", pPositive}, {"alism", "al", pPositive}, {"iveness", "ive", pPositive},
		{"fulness", "ful", pPositive}, {"ousness", "ous", pPositive}, {"aliti", "al", pPositive},
		{"iviti", "ive", pPositive}, {"biliti", "ble", pPositive}, {"fulli", "ful", pPositive},
		// "logi" -> "log" is checked separately: its condition looks at word[:-3].
	}
)

func pStep1a(w string) string {
	if strings.HasSuffix(w, "ies") && len(w) == 4 {
		return w[:len(w)-3] + "ie"
	}
	return pApply(w, pStep1aRules)
}

func pStep1b(w string) string {
	if strings.HasSuffix(w, "ied") {
		if len(w) == 4 {
			return w[:len(w)-3] + "ie"
		}
		return w[:len(w)-3] + "i"
	}
	if strings.HasSuffix(w, "eed") {
		stem := w[:len(w)-3]
		if pMeasure(stem) > 0 {
			return stem + "ee"
		}
		return w
	}
	var inter string
	ok := false
	for _, suf := range [...]string{"ed", "ing"} {
		if strings.HasSuffix(w, suf) {
			s := w[:len(w)-len(suf)]
			if pContainsVowel(s) {
				inter = s
				ok = true
				break
			}
		}
	}
	if !ok {
		return w
	}
	last := inter[len(inter)-1]
	switch {
	case strings.HasSuffix(inter, "at"):
		return inter + "e"
	case strings.HasSuffix(inter, "bl"):
		return inter + "e"
	case strings.HasSuffix(inter, "iz"):
		return inter + "e"
	case pEndsDoubleCons(inter):
		if last != 'l' && last != 's' && last != 'z' {
			return inter[:len(inter)-2] + string(last)
		}
		return inter
	}
	if pMeasure(inter) == 1 && pEndsCVC(inter) {
		return inter + "e"
	}
	return inter
}

func pStep1c(w string) string {
	if strings.HasSuffix(w, "y") {
		stem := w[:len(w)-1]
		if len(stem) > 1 && pIsCons(stem, len(stem)-1) {
			return stem + "i"
		}
	}
	return w
}

func pStep2(w string) string {
	if strings.HasSuffix(w, "alli") && pPositive(w[:len(w)-4]) {
		return pStep2(w[:len(w)-4] + "al")
	}
	for _, r := range pStep2Rules {
		if strings.HasSuffix(w, r.suffix) {
			stem := w[:len(w)-len(r.suffix)]
			if r.cond(stem) {
				return stem + r.repl
			}
			return w
		}
	}
	if strings.HasSuffix(w, "logi") {
		if pPositive(w[:len(w)-3]) {
			return w[:len(w)-4] + "log"
		}
		return w
	}
	return w
}

func pStep3(w string) string { return pApply(w, pStep3Rules) }
func pStep4(w string) string { return pApply(w, pStep4Rules) }

func pStep5a(w string) string {
	if strings.HasSuffix(w, "e") {
		stem := w[:len(w)-1]
		m := pMeasure(stem)
		if m > 1 {
			return stem
		}
		if m == 1 && !pEndsCVC(stem) {
			return stem
		}
	}
	return w
}

func pStep5b(w string) string {
	if strings.HasSuffix(w, "ll") && pMeasure(w[:len(w)-1]) > 1 {
		return w[:len(w)-1]
	}
	return w
}
