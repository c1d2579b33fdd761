package text

import (
	"unicode"
	"unicode/utf8"
)

// Token is one word of a text, as written, with its byte offsets.
type Token struct {
	Text       string
	Start, End int
}

// Tokens splits s into words: maximal runs of letters, digits and combining
// marks (so Arabic words keep their diacritics and tatweel as written).
// A '.', ',', ':', '٫' or '٬' between two digits stays inside the token
// (2.5, 1,000, 10:01), and an apostrophe between two letters too (don't,
// O'Brien). Everything else — spaces, punctuation, quotes, hyphens — separates
// tokens and is not returned.
func Tokens(s string) []Token {
	var toks []Token
	start := -1
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if isWordRune(r) {
			if start < 0 {
				start = i
			}
			i += size
			continue
		}
		if start >= 0 && isJoiner(s, i, r, size) {
			i += size
			continue
		}
		if start >= 0 {
			toks = append(toks, Token{Text: s[start:i], Start: start, End: i})
			start = -1
		}
		i += size
	}
	if start >= 0 {
		toks = append(toks, Token{Text: s[start:], Start: start, End: len(s)})
	}
	return toks
}

// Words returns the normalized text of s's tokens (see Normalize).
func Words(s string) []string {
	toks := Tokens(s)
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = Normalize(t.Text)
	}
	return out
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// isJoiner reports whether the rune r of size bytes at s[i:] joins the word
// before it to the word after it.
func isJoiner(s string, i int, r rune, size int) bool {
	switch r {
	case '.', ',', ':', '٫', '٬', '\'', '’':
	default:
		return false
	}
	if i == 0 || i+size >= len(s) {
		return false
	}
	prev, _ := utf8.DecodeLastRuneInString(s[:i])
	next, _ := utf8.DecodeRuneInString(s[i+size:])
	if r == '\'' || r == '’' {
		return unicode.IsLetter(prev) && unicode.IsLetter(next) && prev < 0x250 && next < 0x250
	}
	return isDigit(prev) && isDigit(next)
}

func isDigit(r rune) bool { return unicode.IsDigit(r) }
