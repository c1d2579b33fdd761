package gloss

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Romanize writes an Arabic word in Latin letters, for words the dictionary
// does not have (mostly names). The scheme is a simplified, ASCII-only
// ALA-LC: one Latin letter or digraph per Arabic letter, no vowels added
// (unvocalized Arabic does not write short vowels, and guessing them is
// worse than leaving them out):
//
//	ب b  ت t  ث th  ج j  ح h  خ kh  د d  ذ dh  ر r  ز z  س s  ش sh  ص s
//	ض d  ط t  ظ z  غ gh  ف f  ق q  ك k  ل l  م m  ن n  ه h  ة a  ى a
//	ا a  آ aa  إ i  أ a (initial) or ' (inside)  ء ؤ ئ '  ع ' (initial A)
//	و w, or u between consonants and at the end  ي y, or i likewise
//	پ p  چ ch  گ g  ژ zh  ڤ v
//
// The article is written "al-" and the rest is capitalized: الكاظمي →
// "al-Kazmi", قآني → "Qaani", ترامب → "Tramb". Diacritics are ignored.
func Romanize(word string) string {
	w := []rune(lightNorm(word))
	if len(w) == 0 {
		return ""
	}
	if len(w) > 3 && w[0] == 'ا' && w[1] == 'ل' {
		return "al-" + capitalize(romanizeLetters(w[2:]))
	}
	return capitalize(romanizeLetters(w))
}

// vowelLetter reports the letters that stand for long vowels.
func vowelLetter(r rune) bool {
	switch r {
	case 'ا', 'و', 'ي', 'ى', 'آ', 'إ', 'ة':
		return true
	}
	return false
}

func romanizeLetters(w []rune) string {
	var b strings.Builder
	for i, r := range w {
		first := i == 0
		last := i == len(w)-1
		prevCons := i > 0 && !vowelLetter(w[i-1])
		nextCons := !last && !vowelLetter(w[i+1])
		switch r {
		case 'ا', 'ٱ':
			b.WriteString("a")
		case 'آ':
			b.WriteString("aa")
		case 'إ':
			b.WriteString("i")
		case 'أ':
			if first {
				b.WriteString("a")
			} else {
				b.WriteString("'")
			}
		case 'ء', 'ؤ', 'ئ':
			b.WriteString("'")
		case 'ع':
			if first {
				b.WriteString("a")
			} else {
				b.WriteString("'")
			}
		case 'و':
			if !first && prevCons && (nextCons || last) {
				b.WriteString("u")
			} else {
				b.WriteString("w")
			}
		case 'ي':
			if !first && prevCons && (nextCons || last) {
				b.WriteString("i")
			} else {
				b.WriteString("y")
			}
		default:
			if s, ok := latinOf[r]; ok {
				b.WriteString(s)
			}
		}
	}
	return b.String()
}

// latinOf holds the one-to-one consonant mappings of Romanize.
var latinOf = map[rune]string{
	'ب': "b", 'ت': "t", 'ث': "th", 'ج': "j", 'ح': "h", 'خ': "kh", 'د': "d",
	'ذ': "dh", 'ر': "r", 'ز': "z", 'س': "s", 'ش': "sh", 'ص': "s", 'ض': "d",
	'ط': "t", 'ظ': "z", 'غ': "gh", 'ف': "f", 'ق': "q", 'ك': "k", 'ل': "l",
	'م': "m", 'ن': "n", 'ه': "h", 'ة': "a", 'ى': "a",
	'پ': "p", 'چ': "ch", 'گ': "g", 'ژ': "zh", 'ڤ': "v", 'ڨ': "g",
}

func capitalize(s string) string {
	for i, r := range s {
		if unicode.IsLetter(r) {
			return s[:i] + string(unicode.ToUpper(r)) + s[i+utf8.RuneLen(r):]
		}
	}
	return s
}

// skeleton reduces a Latin word to its consonant classes, so a
// romanization and an English spelling of the same name compare equal:
// "Iraq" and "'raq" → "rk"; "Iran" → "rn".
func skeleton(s string) string {
	var b strings.Builder
	s = strings.ToLower(s)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case 'a', 'e', 'i', 'o', 'u', 'y', 'w', 'h', '\'', '-', ' ':
			continue
		case 'q', 'c', 'g':
			c = 'k'
		case 'z', 'x':
			c = 's'
		case 'd':
			c = 't'
		case 'p', 'v':
			c = 'b'
		}
		if c < 'a' || c > 'z' {
			continue
		}
		if b.Len() > 0 && b.String()[b.Len()-1] == c {
			continue // doubled letters: "Mecca", "Abbas"
		}
		b.WriteByte(c)
	}
	return b.String()
}

// soundsLike reports whether an English sense is a transcription of the
// Arabic headword, which makes it a name.
func soundsLike(headword, sense string) bool {
	if sense == "" || !unicode.IsUpper([]rune(sense)[0]) || strings.Count(sense, " ") > 2 {
		return false
	}
	w := []rune(lightNorm(headword))
	if len(w) > 3 && w[0] == 'ا' && w[1] == 'ل' {
		w = w[2:]
	}
	a, b := skeleton(romanizeLetters(w)), skeleton(sense)
	if len(a) < 2 || len(b) < 2 {
		return false
	}
	if len(a) == 2 || len(b) == 2 {
		return a == b
	}
	return editDistance(a, b) <= 1
}

// editDistance is Levenshtein distance on bytes (the inputs are ASCII).
func editDistance(a, b string) int {
	var pb, cb [32]int
	prev, cur := pb[:0], cb[:0]
	if len(b)+1 > len(pb) {
		prev, cur = make([]int, 0, len(b)+1), make([]int, 0, len(b)+1)
	}
	prev, cur = prev[:len(b)+1], cur[:len(b)+1]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
