package metrics

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// xlsumBasic is the XL-Sum scorer's BasicTokenizer (used alone for
// rougeLsum): drop NUL, U+FFFD and every C* character except tab/CR/LF, map
// whitespace (space, tab, CR, LF, Zs) to a space, split on whitespace, then
// split off and drop punctuation (all ASCII non-alphanumerics and Unicode
// P*). The input must already be lowercased. Tokens are appended to dst.
func xlsumBasic(dst []string, text string) []string {
	var cur strings.Builder
	inTok := false
	flush := func() {
		if inTok {
			dst = append(dst, cur.String())
			cur.Reset()
			inTok = false
		}
	}
	for i := 0; i < len(text); {
		c := text[i]
		var r rune
		size := 1
		if c < utf8.RuneSelf {
			r = rune(c)
		} else {
			r, size = utf8.DecodeRuneInString(text[i:])
			if r == utf8.RuneError && size == 1 {
				// Python would have decoded the text already; treat an
				// invalid byte like U+FFFD (dropped).
				i++
				continue
			}
		}
		i += size
		switch {
		case r == 0 || r == 0xfffd:
			continue
		case r == ' ' || r == '\t' || r == '\n' || r == '\r':
			flush()
		case r < utf8.RuneSelf:
			if xlsumASCIIPunct(r) {
				flush()
			} else if r < 0x20 || r == 0x7f {
				continue // control
			} else {
				cur.WriteByte(byte(r))
				inTok = true
			}
		case unicode.IsLetter(r) || unicode.Is(unicode.Mn, r):
			// Letters and nonspacing marks (most non-ASCII text) are kept;
			// checked first to skip the category tests below.
			cur.WriteRune(r)
			inTok = true
		case unicode.Is(unicode.C, r) || isUnassigned(r):
			continue
		case unicode.Is(unicode.Zs, r):
			flush()
		case unicode.Is(unicode.P, r):
			flush()
		case isPySpace(r):
			// U+0085 is Cc (dropped above); U+2028/U+2029 (Zl/Zp) survive
			// the cleaning and are split on by Python's str.split().
			flush()
		default:
			cur.WriteRune(r)
			inTok = true
		}
	}
	flush()
	return dst
}

// isUnassigned reports code points with general category Cn (Python's
// unicodedata.category returns "Cn", which starts with "C").
func isUnassigned(r rune) bool {
	if r > unicode.MaxRune {
		return true
	}
	return !unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S, unicode.Z, unicode.C)
}

func xlsumASCIIPunct(r rune) bool {
	return (r >= 33 && r <= 47) || (r >= 58 && r <= 64) || (r >= 91 && r <= 96) || (r >= 123 && r <= 126)
}

type onmtType uint8

const (
	onmtNone onmtType = iota
	onmtLetter
	onmtNumber
	onmtOther
)

// onmtAggressive splits one sanitized token the way OpenNMT Tokenizer's
// "aggressive" mode does: runs of letters and runs of decimal digits become
// separate tokens, every other character (symbols, emoji) is a token of its
// own, and combining marks stay attached to the preceding character. CJK
// ideographs are then isolated, as the XL-Sum scorer does afterwards.
func onmtAggressive(dst []string, tok string) []string {
	start := 0
	prev := onmtNone
	for i := 0; i < len(tok); {
		r, size := utf8.DecodeRuneInString(tok[i:])
		var t onmtType
		switch {
		case r < utf8.RuneSelf:
			switch {
			case r >= '0' && r <= '9':
				t = onmtNumber
			case (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z'):
				t = onmtLetter
			default:
				t = onmtOther
			}
		case unicode.Is(unicode.M, r):
			if prev != onmtNone {
				i += size
				continue // attached to the current token
			}
			t = onmtOther
		case isCJK(r):
			t = onmtOther
		case unicode.IsLetter(r):
			t = onmtLetter
		case unicode.Is(unicode.Nd, r):
			t = onmtNumber
		default:
			t = onmtOther
		}
		if prev != onmtNone && (t != prev || t == onmtOther) {
			dst = append(dst, tok[start:i])
			start = i
		}
		prev = t
		i += size
	}
	if start < len(tok) {
		dst = append(dst, tok[start:])
	}
	return dst
}

func isCJK(cp rune) bool {
	return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
		(cp >= 0x20000 && cp <= 0x2A6DF) || (cp >= 0x2A700 && cp <= 0x2B73F) ||
		(cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= 0x2B820 && cp <= 0x2CEAF) ||
		(cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F)
}

// xlsumTokens tokenizes text for the XL-Sum scorer's rouge1/2/L
// (full=true: BasicTokenizer, then OpenNMT aggressive) or rougeLsum
// (full=false: BasicTokenizer only). The text is lowercased first.
func xlsumTokens(dst []string, text string, full bool) []string {
	text = pyLower(text)
	if !full {
		return xlsumBasic(dst, text)
	}
	n0 := len(dst)
	basic := xlsumBasic(nil, text)
	for _, t := range basic {
		dst = onmtAggressive(dst, t)
	}
	_ = n0
	return dst
}
