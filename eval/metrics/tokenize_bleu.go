package metrics

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// tok13a reproduces sacreBLEU's Tokenizer13a (mteval-v13a). The regular
// expressions only look at ASCII characters, and their "[^0-9]" side never
// splits a multi-byte character, so the rewrite runs on bytes. The result
// still has to be split on Python whitespace.
func tok13a(line string, buf []byte) []byte {
	if strings.Contains(line, "<skipped>") {
		line = strings.ReplaceAll(line, "<skipped>", "")
	}
	if strings.IndexByte(line, '\n') >= 0 {
		line = strings.ReplaceAll(line, "-\n", "")
		line = strings.ReplaceAll(line, "\n", " ")
	}
	if strings.IndexByte(line, '&') >= 0 {
		line = strings.ReplaceAll(line, "&quot;", "\"")
		line = strings.ReplaceAll(line, "&amp;", "&")
		line = strings.ReplaceAll(line, "&lt;", "<")
		line = strings.ReplaceAll(line, "&gt;", ">")
	}
	// Pass 1: pad the 13a punctuation set, and (on the fly) nothing else.
	b := buf[:0]
	b = append(b, ' ')
	for i := 0; i < len(line); i++ {
		c := line[i]
		if is13aPunct(c) {
			b = append(b, ' ', c, ' ')
		} else {
			b = append(b, c)
		}
	}
	b = append(b, ' ')
	// Pass 2: ([^0-9])([\.,]) -> "\1 \2 "
	if !hasDotComma(b) {
		return b
	}
	b2 := make([]byte, 0, len(b)+16)
	for i := 0; i < len(b); {
		if i+1 < len(b) && !isDigit(b[i]) && (b[i+1] == '.' || b[i+1] == ',') {
			b2 = append(b2, b[i], ' ', b[i+1], ' ')
			i += 2
			continue
		}
		b2 = append(b2, b[i])
		i++
	}
	// Pass 3: ([\.,])([^0-9]) -> " \1 \2"
	b3 := b[:0]
	for i := 0; i < len(b2); {
		if i+1 < len(b2) && (b2[i] == '.' || b2[i] == ',') && !isDigit(b2[i+1]) {
			b3 = append(b3, ' ', b2[i], ' ', b2[i+1])
			i += 2
			continue
		}
		b3 = append(b3, b2[i])
		i++
	}
	return b3
}

func hasDotComma(b []byte) bool {
	for _, c := range b {
		if c == '.' || c == ',' || c == '-' {
			return true
		}
	}
	return false
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// is13aPunct: [\{-\~\[-\` -\&\(-\+\:-\@\/]
func is13aPunct(c byte) bool {
	return (c >= '{' && c <= '~') || (c >= '[' && c <= '`') || (c >= ' ' && c <= '&') ||
		(c >= '(' && c <= '+') || (c >= ':' && c <= '@') || c == '/'
}

// tok13aFull also applies the fourth rule, ([0-9])(-) -> "\1 \2 ".
func tok13aFull(line string, buf []byte) []byte {
	b := tok13a(line, buf)
	if !hasDash(b) {
		return b
	}
	out := make([]byte, 0, len(b)+8)
	for i := 0; i < len(b); {
		if i+1 < len(b) && isDigit(b[i]) && b[i+1] == '-' {
			out = append(out, b[i], ' ', '-', ' ')
			i += 2
			continue
		}
		out = append(out, b[i])
		i++
	}
	return out
}

func hasDash(b []byte) bool {
	for i := 0; i+1 < len(b); i++ {
		if b[i+1] == '-' && isDigit(b[i]) {
			return true
		}
	}
	return false
}

// tokIntl reproduces sacreBLEU's TokenizerV14International:
//
//	(\P{N})(\p{P}) -> "\1 \2 "
//	(\p{P})(\P{N}) -> " \1 \2"
//	(\p{S})        -> " \1 "
//
// applied one after the other over code points.
func tokIntl(line string) string {
	rs := []rune(line)
	out := make([]rune, 0, len(rs)+16)
	for i := 0; i < len(rs); {
		if i+1 < len(rs) && !isN(rs[i]) && isP(rs[i+1]) {
			out = append(out, rs[i], ' ', rs[i+1], ' ')
			i += 2
			continue
		}
		out = append(out, rs[i])
		i++
	}
	rs, out = out, rs[:0]
	for i := 0; i < len(rs); {
		if i+1 < len(rs) && isP(rs[i]) && !isN(rs[i+1]) {
			out = append(out, ' ', rs[i], ' ', rs[i+1])
			i += 2
			continue
		}
		out = append(out, rs[i])
		i++
	}
	rs = out
	var sb strings.Builder
	sb.Grow(len(line) + 16)
	for _, r := range rs {
		if isS(r) {
			sb.WriteByte(' ')
			sb.WriteRune(r)
			sb.WriteByte(' ')
		} else {
			sb.WriteRune(r)
		}
	}
	return sb.String()
}

func isN(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= '0' && r <= '9'
	}
	return unicode.Is(unicode.N, r)
}

func isP(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiP[r]
	}
	return unicode.Is(unicode.P, r)
}

func isS(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiS[r]
	}
	return unicode.Is(unicode.S, r)
}

var asciiP, asciiS = func() (p, s [128]bool) {
	for r := rune(0); r < 128; r++ {
		p[r] = unicode.Is(unicode.P, r)
		s[r] = unicode.Is(unicode.S, r)
	}
	return
}()

// bleuTokens tokenizes one segment for BLEU: rstrip, the tokenizer, then a
// Python whitespace split. Tokens are appended to dst.
func bleuTokens(dst []string, seg, tokenize string, buf *[]byte) []string {
	seg = pyRstrip(seg)
	switch tokenize {
	case "none":
		return pySplit(dst, seg)
	case "intl":
		return pySplit(dst, tokIntl(seg))
	default:
		b := tok13aFull(seg, *buf)
		*buf = b
		// The tokens must not alias the reusable buffer.
		return pySplit(dst, string(b))
	}
}
