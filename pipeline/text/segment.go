package text

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Span is a sentence's byte range in the text it came from: text[Start:End].
// A span is never empty and never starts or ends with white space.
type Span struct {
	Start, End int
}

// In returns the span's text in src.
func (s Span) In(src string) string { return src[s.Start:s.End] }

// Paragraphs splits text at line breaks and returns the non-blank lines,
// trimmed. A blank line and a single line break both separate paragraphs:
// scraped pages use either.
func Paragraphs(text string) []string {
	var out []string
	for _, line := range strings.FieldsFunc(text, isLineBreak) {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out
}

func isLineBreak(r rune) bool {
	return r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029' || r == '\u0085'
}

// Sentences splits Arabic or English text into sentences and returns their
// spans in order. Line breaks always end a sentence. Otherwise a sentence
// ends at . ! ? ؟ ؛ ۔ or … (with any closing quotes or brackets after it:
// » " ” “ ’ ' ) ]) followed by white space, except:
//
//   - a dot inside a number or a name (2.5, 10:01, example.com) — no space
//     follows it;
//   - a dot after a known abbreviation (Mr., Dr., e.g., Jan.), after a
//     single letter (initials, Arabic "د." or "م."), or after a
//     list number at the start of a line ("1. ");
//   - a dotted abbreviation (U.S., a.m.) ends a sentence only when a common
//     sentence opener (The, He, It, ...) follows;
//   - an ellipsis (.., ..., …) ends a sentence only before a capital letter;
//   - nothing ends before a lower-case Latin letter ("Why?" he asked).
//
// Arabic question marks and exclamation marks end a sentence even when a
// letter follows with no space.
func Sentences(text string) []Span {
	var spans []Span
	segStart := 0
	emit := func(a, b int) {
		for a < b {
			r, size := utf8.DecodeRuneInString(text[a:b])
			if !unicode.IsSpace(r) {
				break
			}
			a += size
		}
		for b > a {
			r, size := utf8.DecodeLastRuneInString(text[a:b])
			if !unicode.IsSpace(r) {
				break
			}
			b -= size
		}
		if a < b {
			spans = append(spans, Span{a, b})
		}
	}
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if isLineBreak(r) {
			emit(segStart, i)
			i += size
			segStart = i
			continue
		}
		if !isTerminator(r) {
			i += size
			continue
		}
		end := i + size
		for end < len(text) {
			n, nsize := utf8.DecodeRuneInString(text[end:])
			if !isTerminator(n) && !isCloser(n) {
				break
			}
			end += nsize
		}
		if endsSentence(text, segStart, i, end) {
			emit(segStart, end)
			segStart = end
		}
		i = end
	}
	emit(segStart, len(text))
	return spans
}

func isTerminator(r rune) bool {
	switch r {
	case '.', '!', '?', '؟', '؛', '۔', '…':
		return true
	}
	return false
}

func isCloser(r rune) bool {
	switch r {
	case '"', '\'', '»', '”', '“', '’', ')', ']', '›':
		return true
	}
	return false
}

// endsSentence decides whether the run of terminators and closers
// text[i:end], in the sentence that started at segStart, ends it.
func endsSentence(text string, segStart, i, end int) bool {
	if end >= len(text) {
		return true
	}
	first, _ := utf8.DecodeRuneInString(text[i:])
	next, _ := utf8.DecodeRuneInString(text[end:])
	if isLineBreak(next) {
		return true
	}
	if !unicode.IsSpace(next) {
		// "2.5", "U.S.", "example.com", "«قال؟»،": no break. An Arabic
		// question or exclamation mark glued to the next word still ends
		// the sentence.
		if first == '.' {
			// Arabic has no abbreviations or decimals written letter-dot-
			// letter, so "العالم.يسمى" is two sentences, but not "ق.م".
			prev, _ := utf8.DecodeLastRuneInString(text[segStart:i])
			return IsArabic(prev) && IsArabic(next) && utf8.RuneCountInString(wordBefore(text, segStart, i)) > 1
		}
		return first != '…' && IsArabic(next)
	}
	// The first non-space rune after the run, on the same line.
	j := end
	for j < len(text) {
		r, size := utf8.DecodeRuneInString(text[j:])
		if !unicode.IsSpace(r) || isLineBreak(r) {
			break
		}
		j += size
	}
	if j >= len(text) {
		return true
	}
	m, _ := utf8.DecodeRuneInString(text[j:])
	if isLineBreak(m) {
		return true
	}
	if unicode.IsLower(m) && m < 0x250 {
		return false
	}
	run := text[i:end]
	if first == '…' || strings.HasPrefix(run, "..") {
		return unicode.IsUpper(m)
	}
	if first != '.' {
		return true
	}
	word := wordBefore(text, segStart, i)
	if word == "" {
		return true
	}
	lw := strings.ToLower(word)
	if strings.Contains(lw, ".") {
		// U.S., a.m., e.g. (the last dot is the terminator itself).
		if _, ok := abbreviations[lw]; ok && !dottedMayEnd[lw] {
			return false
		}
		return sentenceOpeners[strings.ToLower(nextWord(text, j))]
	}
	if _, ok := abbreviations[lw]; ok {
		return false
	}
	if utf8.RuneCountInString(word) == 1 {
		r, _ := utf8.DecodeRuneInString(word)
		if unicode.IsUpper(r) || IsArabic(r) && !afterNumber(text, segStart, i-len(word)) {
			return false // initials: "J. Smith", "د. أحمد"; but "10:01 ص."
		}
	}
	if isAllDigits(word) && len(word) <= 2 && strings.TrimSpace(text[segStart:i]) == word {
		return false // "1. First point"
	}
	return true
}

// wordBefore returns the letters and inner dots just before text[i], within
// the sentence that started at segStart: "Mr" for "Mr.", "U.S" for "U.S.".
func wordBefore(text string, segStart, i int) string {
	j := i
	for j > segStart {
		r, size := utf8.DecodeLastRuneInString(text[segStart:j])
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || r == '.') {
			break
		}
		j -= size
	}
	return strings.TrimLeft(text[j:i], ".")
}

// nextWord returns the letters starting at text[j].
func nextWord(text string, j int) string {
	k := j
	for k < len(text) {
		r, size := utf8.DecodeRuneInString(text[k:])
		if !unicode.IsLetter(r) {
			break
		}
		k += size
	}
	return text[j:k]
}

// afterNumber reports whether the text before k (within the sentence) ends
// with a digit and spaces: the "ص" (a.m.) of "10:01 ص." is not an initial.
func afterNumber(text string, segStart, k int) bool {
	before := strings.TrimRightFunc(text[segStart:k], unicode.IsSpace)
	r, _ := utf8.DecodeLastRuneInString(before)
	return before != "" && unicode.IsDigit(r)
}

func isAllDigits(s string) bool {
	for _, r := range s {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return s != ""
}

// abbreviations are lower-cased, without their final dot.
var abbreviations = map[string]struct{}{
	"mr": {}, "mrs": {}, "ms": {}, "dr": {}, "prof": {}, "st": {}, "jr": {}, "sr": {},
	"vs": {}, "gen": {}, "sen": {}, "rep": {}, "gov": {}, "lt": {}, "col": {}, "maj": {},
	"capt": {}, "sgt": {}, "adm": {}, "mt": {}, "ft": {}, "no": {}, "nos": {}, "vol": {},
	"fig": {}, "approx": {}, "dept": {}, "est": {}, "inc": {}, "ltd": {}, "co": {},
	"corp": {}, "jan": {}, "feb": {}, "mar": {}, "apr": {}, "jun": {}, "jul": {},
	"aug": {}, "sep": {}, "sept": {}, "oct": {}, "nov": {}, "dec": {}, "rev": {},
	"e.g": {}, "i.e": {}, "u.s": {}, "u.k": {}, "u.n": {}, "e.u": {}, "a.m": {}, "p.m": {},
	"d.c": {}, "u.s.a": {}, "ph.d": {},
	// Arabic: "ق.م" (BC), "ص.ب" (P.O. box).
	"ق.م": {}, "ص.ب": {},
}

// dottedMayEnd are dotted abbreviations that often end a sentence; they end
// one when a sentence opener follows.
var dottedMayEnd = map[string]bool{
	"u.s": true, "u.k": true, "u.n": true, "e.u": true, "a.m": true, "p.m": true,
	"d.c": true, "u.s.a": true, "ق.م": true,
}

// sentenceOpeners are words that commonly start an English sentence.
var sentenceOpeners = map[string]bool{
	"the": true, "he": true, "she": true, "it": true, "they": true, "we": true,
	"i": true, "but": true, "in": true, "a": true, "an": true, "this": true,
	"that": true, "there": true, "his": true, "her": true, "its": true,
	"their": true, "on": true, "at": true, "after": true, "for": true,
	"officials": true, "however": true, "meanwhile": true,
}
