package metrics

import (
	_ "embed"
	"strings"
	"sync"
	"unicode/utf8"
)

// nltkArabicStopwords is NLTK's Arabic stop-word list (nltk_data,
// corpora/stopwords/arabic; see data/README.md for provenance).
//
//go:embed data/nltk_arabic_stopwords.txt
var nltkArabicStopwords string

// arabicStopSet parses the embedded list once; it is read-only afterwards.
var arabicStopSet = sync.OnceValue(func() map[string]struct{} {
	m := make(map[string]struct{}, 800)
	for _, line := range strings.Split(nltkArabicStopwords, "\n") {
		line = strings.TrimRight(line, "\r")
		if line != "" {
			m[line] = struct{}{}
		}
	}
	return m
})

// arabicStemmer reproduces NLTK 3.8's SnowballStemmer("arabic",
// ignore_stopwords=True), which is NLTK's own light stemmer and not the
// Snowball project's Arabic algorithm (blevesearch/snowballstem).
//
// NLTK's implementation never resets its suffixes_verb_step1_success flag
// between words: once one word has had a verb suffix removed in step 1,
// every later word on the same stemmer instance takes the step-2a/2c branch.
// sticky holds that flag, so a long-lived stemmer behaves like a long-lived
// NLTK instance.
type arabicStemmer struct {
	sticky bool
}

func hasPrefixAny(s string, ps ...string) bool {
	for _, p := range ps {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

func rlen(s string) int { return utf8.RuneCountInString(s) }

// dropLast removes the last n runes.
func dropLast(s string, n int) string {
	for ; n > 0 && len(s) > 0; n-- {
		_, size := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-size]
	}
	return s
}

func in(s string, set ...string) bool {
	for _, x := range set {
		if s == x {
			return true
		}
	}
	return false
}

func (st *arabicStemmer) stem(word string) string {
	isVerb, isNoun, isDefined := true, true, false
	var verb2a, verb2b, noun2c2, noun2a, noun2b, noun1b, pre2a, pre3aNoun, pre3bNoun bool

	// checks1: on the raw word.
	for _, p := range [...]string{"كال", "بال", "ال", "لل"} {
		if strings.HasPrefix(word, p) {
			if in(p, "كال", "بال") && rlen(word) > 4 {
				isNoun, isVerb, isDefined = true, false, true
				break
			}
			if in(p, "ال", "لل") && rlen(word) > 3 {
				isNoun, isVerb, isDefined = true, false, true
				break
			}
		}
	}
	// checks2
	for _, s := range [...]string{"ة", "ات"} {
		if strings.HasSuffix(word, s) {
			if s == "ة" && rlen(word) > 2 {
				isNoun, isVerb = true, false
				break
			}
			if s == "ات" && rlen(word) > 3 {
				isNoun, isVerb = true, false
				break
			}
		}
	}

	w := arNormalizePre(word)
	if _, stop := arabicStopSet()[w]; stop || rlen(w) <= 2 {
		return w
	}

	if isVerb {
		// Suffix_Verb_Step1
		for _, s := range [...]string{"ه", "ك", "ني", "نا", "ها", "هم", "هن", "كم", "كن", "هما", "كما", "كمو"} {
			if strings.HasSuffix(w, s) {
				n := rlen(w)
				if in(s, "ه", "ك") && n >= 4 {
					w = dropLast(w, 1)
					st.sticky = true
					break
				}
				if in(s, "ني", "نا", "ها", "هم", "هن", "كم", "كن") && n >= 5 {
					w = dropLast(w, 2)
					st.sticky = true
					break
				}
				if in(s, "هما", "كما", "كمو") && n >= 6 {
					w = dropLast(w, 3)
					st.sticky = true
					break
				}
			}
		}
		if st.sticky {
			w, verb2a = arSuffixVerbStep2a(w)
			if !verb2a {
				// Suffix_Verb_Step2c
				for _, s := range [...]string{"و", "تمو"} {
					if strings.HasSuffix(w, s) {
						n := rlen(w)
						if s == "تمو" && n >= 6 {
							w = dropLast(w, 3)
							break
						}
						if s == "و" && n >= 4 {
							w = dropLast(w, 1)
							break
						}
					}
				}
			}
		} else {
			// Suffix_Verb_Step2b
			for _, s := range [...]string{"وا", "تم"} {
				if strings.HasSuffix(w, s) && rlen(w) >= 5 {
					w = dropLast(w, 2)
					verb2b = true
					break
				}
			}
			if !verb2b {
				w, verb2a = arSuffixVerbStep2a(w)
			}
		}
	}
	_ = verb2a
	if isNoun {
		// Suffix_Noun_Step2c2
		if strings.HasSuffix(w, "ة") && rlen(w) >= 3 {
			w = dropLast(w, 1)
			noun2c2 = true
		}
		if !noun2c2 {
			if !isDefined {
				w = arSuffixNounStep1a(w)
				w, noun2a = arSuffixNounStep2a(w)
				if !noun2a {
					w, noun2b = arSuffixNounStep2b(w)
				}
				if !noun2b && !noun2a {
					w = arSuffixNounStep2c1(w)
				}
			} else {
				// Suffix_Noun_Step1b
				if strings.HasSuffix(w, "ن") && rlen(w) > 5 {
					w = dropLast(w, 1)
					noun1b = true
				}
				if noun1b {
					w, noun2a = arSuffixNounStep2a(w)
					if !noun2a {
						w, noun2b = arSuffixNounStep2b(w)
					}
					if !noun2b && !noun2a {
						w = arSuffixNounStep2c1(w)
					}
				} else {
					if !isDefined {
						w, noun2a = arSuffixNounStep2a(w)
					}
					w, noun2b = arSuffixNounStep2b(w)
				}
			}
		}
		// Suffix_Noun_Step3
		if strings.HasSuffix(w, "ي") && rlen(w) >= 3 {
			w = dropLast(w, 1)
		}
	}
	if !isNoun && isVerb {
		// Suffix_All_alef_maqsura
		if strings.HasSuffix(w, "ى") {
			w = dropLast(w, 1) + "ي"
		}
	}

	// Prefix_Step1
	if rlen(w) > 3 {
		for _, p := range [...][2]string{{"أأ", "أ"}, {"أآ", "آ"}, {"أؤ", "ؤ"}, {"أا", "ا"}, {"أإ", "إ"}} {
			if strings.HasPrefix(w, p[0]) {
				w = p[1] + w[len(p[0]):]
				break
			}
		}
	}
	// Prefix_Step2a
	for _, p := range [...]string{"فال", "وال"} {
		if strings.HasPrefix(w, p) && rlen(w) > 5 {
			w = w[len(p):]
			pre2a = true
			break
		}
	}
	if !pre2a {
		// Prefix_Step2b
		for _, p := range [...]string{"ف", "و"} {
			if strings.HasPrefix(w, p) && rlen(w) > 3 {
				if !hasPrefixAny(w, "وا", "فا") {
					w = w[len(p):]
					break
				}
			}
		}
	}
	// Prefix_Step3a_Noun
	for _, p := range [...]string{"ال", "لل", "كال", "بال"} {
		if strings.HasPrefix(w, p) {
			if in(p, "ال", "لل") && rlen(w) > 4 {
				w = w[len(p):]
				pre3aNoun = true
				break
			}
			if in(p, "كال", "بال") && rlen(w) > 5 {
				w = w[len(p):]
				break
			}
		}
	}
	if !pre3aNoun && isNoun {
		// Prefix_Step3b_Noun
		for _, p := range [...]string{"ب", "ك", "ل", "بب", "كك"} {
			if strings.HasPrefix(w, p) {
				if rlen(w) > 3 {
					if p == "ب" {
						w = w[len(p):]
						pre3bNoun = true
						break
					}
					if in(p, "بب", "كك") {
						_, size := utf8.DecodeRuneInString(p)
						w = p[size:] + w[len(p):]
						pre3bNoun = true
						break
					}
				}
				if in(p, "ك", "ل") && rlen(w) > 4 {
					w = w[len(p):]
					pre3bNoun = true
					break
				}
			}
		}
	} else if !pre3bNoun && isVerb {
		// Prefix_Step3_Verb
		for _, p := range [...]string{"سي", "ست", "سن", "سأ"} {
			if strings.HasPrefix(w, p) && rlen(w) > 4 {
				_, size := utf8.DecodeRuneInString(p)
				w = p[size:] + w[len(p):]
				break
			}
		}
		// Prefix_Step4_Verb
		for _, p := range [...]string{"يست", "نست", "تست"} {
			if strings.HasPrefix(w, p) && rlen(w) > 4 {
				w = "است" + w[len(p):]
				break
			}
		}
	}
	return arNormalizePost(w)
}

func arSuffixVerbStep2a(w string) (string, bool) {
	for _, s := range [...]string{"ت", "ا", "ن", "ي", "نا", "تا", "تن", "ان", "ون", "ين", "تما"} {
		n := rlen(w)
		if strings.HasSuffix(w, s) && n > 3 {
			if s == "ت" && n >= 4 {
				return dropLast(w, 1), true
			}
			if in(s, "ا", "ن", "ي") && n >= 4 {
				return dropLast(w, 1), true
			}
			if in(s, "نا", "تا", "تن") && n >= 5 {
				return dropLast(w, 2), true
			}
			if in(s, "ان", "ون", "ين") && n > 5 {
				return dropLast(w, 2), true
			}
			if s == "تما" && n >= 6 {
				return dropLast(w, 3), true
			}
		}
	}
	return w, false
}

func arSuffixNounStep1a(w string) string {
	for _, s := range [...]string{"ي", "ك", "ه", "نا", "كم", "ها", "هن", "هم", "كما", "هما"} {
		if strings.HasSuffix(w, s) {
			n := rlen(w)
			if in(s, "ي", "ك", "ه") && n >= 4 {
				return dropLast(w, 1)
			}
			if in(s, "نا", "كم", "ها", "هن", "هم") && n >= 5 {
				return dropLast(w, 2)
			}
			if in(s, "كما", "هما") && n >= 6 {
				return dropLast(w, 3)
			}
		}
	}
	return w
}

func arSuffixNounStep2a(w string) (string, bool) {
	for _, s := range [...]string{"ا", "ي", "و"} {
		if strings.HasSuffix(w, s) && rlen(w) > 4 {
			return dropLast(w, 1), true
		}
	}
	return w, false
}

func arSuffixNounStep2b(w string) (string, bool) {
	if strings.HasSuffix(w, "ات") && rlen(w) >= 5 {
		return dropLast(w, 2), true
	}
	return w, false
}

func arSuffixNounStep2c1(w string) string {
	if strings.HasSuffix(w, "ت") && rlen(w) >= 4 {
		return dropLast(w, 1)
	}
	return w
}

// arNormalizePre removes harakat U+064B..U+0652, tatweel, and the
// characters of NLTK's "[\u060C-\u061B-\u061F]" class (U+060C..U+061B, '-',
// U+061F).
func arNormalizePre(w string) string {
	clean := true
	for _, r := range w {
		if arPreDrop(r) {
			clean = false
			break
		}
	}
	if clean {
		return w
	}
	var sb strings.Builder
	sb.Grow(len(w))
	for _, r := range w {
		if !arPreDrop(r) {
			sb.WriteRune(r)
		}
	}
	return sb.String()
}

func arPreDrop(r rune) bool {
	return (r >= 0x064B && r <= 0x0652) || r == 0x0640 || (r >= 0x060C && r <= 0x061B) || r == '-' || r == 0x061F
}

func arNormalizePost(w string) string {
	for _, h := range [...]string{"أ", "إ", "آ", "ؤ", "ئ"} {
		if strings.HasSuffix(w, h) {
			w = w[:len(w)-len(h)] + "ء"
			break
		}
	}
	// initial hamzat (آ أ إ) -> ا, then every ؤ -> و, ئ -> ي, and the
	// remaining أ آ إ -> ا.
	var sb strings.Builder
	sb.Grow(len(w))
	for _, r := range w {
		switch r {
		case 'ؤ':
			r = 'و'
		case 'ئ':
			r = 'ي'
		case 'أ', 'آ', 'إ':
			r = 'ا'
		}
		sb.WriteRune(r)
	}
	return sb.String()
}
