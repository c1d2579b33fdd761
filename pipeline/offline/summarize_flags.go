package offline

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tarjama/tarjama/pipeline/text"
)

// boilerplateMarkers start or make up lines that are page furniture, not
// article text. Matched on the normalized, lower-cased line.
var boilerplateMarkers = []string{
	"المصدر |", "المصدر:", "المصدر :", "كلمات مفتاحيه", "الكلمات المفتاحيه", "اقرا ايضا", "اقرا المزيد",
	"مواضيع ذات صله", "اخبار ذات صله", "شاهد ايضا", "تابعونا", "جميع الحقوق محفوظه",
	"read more", "related:", "related stories", "related articles", "follow us", "sign up", "copyright", "©",
}

// trailerMarkers are boilerplate lines after which nothing is article text.
var trailerMarkers = []string{
	"كلمات مفتاحيه", "الكلمات المفتاحيه", "اقرا ايضا", "مواضيع ذات صله", "اخبار ذات صله", "شاهد ايضا",
	"read more", "related stories", "related articles",
}

var (
	monthRe = regexp.MustCompile(`(يناير|فبراير|مارس|ابريل|مايو|يونيو|يوليو|اغسطس|سبتمبر|اكتوبر|نوفمبر|ديسمبر|كانون|شباط|اذار|نيسان|ايار|حزيران|تموز|اب|ايلول|تشرين|january|february|march|april|may|june|july|august|september|october|november|december)`)
	dayRe   = regexp.MustCompile(`^(ال)?(سبت|احد|اثنين|ثلاثاء|اربعاء|خميس|جمعه|monday|tuesday|wednesday|thursday|friday|saturday|sunday)`)
	timeRe  = regexp.MustCompile(`\b\d{1,2}:\d{2}\b|\b(19|20)\d{2}\b`)
)

// flagSentence names what makes s a poor summary sentence. words is its
// token count and inPara the number of sentences in its paragraph.
func flagSentence(s string, words, inPara, minWords int) []string {
	var flags []string
	norm := strings.ToLower(text.Normalize(s))
	for _, m := range boilerplateMarkers {
		if strings.Contains(norm, m) {
			flags = append(flags, "boilerplate")
			break
		}
	}
	final := finalPunct(s)
	if words <= 12 && (dayRe.MatchString(norm) || monthRe.MatchString(norm)) && timeRe.MatchString(norm) {
		flags = append(flags, "dateline")
	} else if inPara == 1 && final == 0 && words < 25 {
		flags = append(flags, "headline")
	}
	if words < minWords {
		flags = append(flags, "short")
	}
	if final == '?' || final == '؟' {
		flags = append(flags, "question")
	}
	if isQuoteOnly(s) {
		flags = append(flags, "quote")
	}
	return flags
}

// finalPunct returns the sentence-final punctuation mark of s, looking
// through closing quotes and brackets, or 0 when there is none.
func finalPunct(s string) rune {
	for s != "" {
		r, size := utf8.DecodeLastRuneInString(s)
		switch r {
		case '.', '!', '?', '؟', '۔', '…', '؛':
			return r
		case '"', '\'', '»', '”', '“', '’', ')', ']':
			s = s[:len(s)-size]
			continue
		}
		return 0
	}
	return 0
}

// isQuoteOnly reports whether the whole sentence is one quotation, as in a
// feature story's opening ("Maths, science, history and death.").
func isQuoteOnly(s string) bool {
	first, _ := utf8.DecodeRuneInString(s)
	if first != '"' && first != '«' && first != '“' && first != '”' {
		return false
	}
	t := strings.TrimRightFunc(s, func(r rune) bool { return unicode.IsPunct(r) && r != '"' && r != '»' && r != '”' && r != '“' })
	last, _ := utf8.DecodeLastRuneInString(t)
	return last == '"' || last == '»' || last == '”' || last == '“'
}

// markTrailers flags every sentence after a trailer marker ("كلمات
// مفتاحية", "Read more", ...), and the run of headline-like one-line
// paragraphs that ends a document: related-story links.
func markTrailers(sents []Sentence) {
	for i := range sents {
		norm := strings.ToLower(text.Normalize(sents[i].Text))
		hit := false
		for _, m := range trailerMarkers {
			if strings.Contains(norm, m) {
				hit = true
				break
			}
		}
		if hit {
			for j := i + 1; j < len(sents); j++ {
				sents[j].addFlag("trailer")
			}
			break
		}
	}
	for j := len(sents) - 1; j >= 0; j-- {
		s := &sents[j]
		if !s.has("headline") && !s.has("boilerplate") && !(s.has("question") && s.Words < 20) {
			break
		}
		s.addFlag("trailer")
	}
}

func (s *Sentence) addFlag(f string) {
	if !s.has(f) {
		s.Flags = append(s.Flags, f)
	}
}
