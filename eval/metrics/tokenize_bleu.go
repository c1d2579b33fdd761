package metrics

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// tok13a reproduces sacreBLEU's Tokenizer13a (mteval-v13a) into *a, using
// *b as scratch. The regular expressions only look at ASCII characters, and
// their "[^0-9]" side never splits a multi-byte character, so the rewrite
// runs on bytes. The result still has to be split on Python whitespace.
func tok13a(line string, a, b *[]byte) []byte {
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
	// Pass 1: ([\{-\~\[-\` -\&\(-\+\:-\@\/]) -> " \1 "
	out := (*a)[:0]
	out = append(out, ' ')
	dots, dash := false, false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c < 0x80 && punct13a[c]:
			out = append(out, ' ', c, ' ')
		case c == '.' || c == ',':
			dots = true
			out = append(out, c)
		case c == '-':
			dash = true
			out = append(out, c)
		default:
			out = append(out, c)
		}
	}
	out = append(out, ' ')
	if dots {
		// Pass 2: ([^0-9])([\.,]) -> "\1 \2 "
		in := out
		out = (*b)[:0]
		for i := 0; i < len(in); {
			if i+1 < len(in) && !isDigit(in[i]) && (in[i+1] == '.' || in[i+1] == ',') {
				out = append(out, in[i], ' ', in[i+1], ' ')
				i += 2
				continue
			}
			out = append(out, in[i])
			i++
		}
		*b = out
		// Pass 3: ([\.,])([^0-9]) -> " \1 \2"
		in = out
		out = (*a)[:0]
		if cap(out) < len(in)+len(in)/2 {
			out = make([]byte, 0, 2*len(in))
		}
		for i := 0; i < len(in); {
			if i+1 < len(in) && (in[i] == '.' || in[i] == ',') && !isDigit(in[i+1]) {
				out = append(out, ' ', in[i], ' ', in[i+1])
				i += 2
				continue
			}
			out = append(out, in[i])
			i++
		}
	}
	if dash {
		// Pass 4: ([0-9])(-) -> "\1 \2 "
		in := out
		out = (*b)[:0]
		for i := 0; i < len(in); {
			if i+1 < len(in) && isDigit(in[i]) && in[i+1] == '-' {
				out = append(out, in[i], ' ', '-', ' ')
				i += 2
				continue
			}
			out = append(out, in[i])
			i++
		}
		*b = out
		return out
	}
	*a = out
	return out
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

var punct13a = func() (t [128]bool) {
	for c := 0; c < 128; c++ {
		t[c] = (c >= '{' && c <= '~') || (c >= '[' && c <= '`') || (c >= ' ' && c <= '&') ||
			(c >= '(' && c <= '+') || (c >= ':' && c <= '@') || c == '/'
	}
	return
}()

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
		var scratch []byte
		return pySplit(dst, string(tok13a(seg, buf, &scratch)))
	}
}

// bleuTokenIDs is bleuTokens followed by interning, without building
// strings for tokens already seen.
func bleuTokenIDs(dst []int32, seg, tokenize string, a, b *[]byte, words *strTable) []int32 {
	seg = pyRstrip(seg)
	var buf []byte
	switch tokenize {
	case "none":
		*a = append((*a)[:0], seg...)
		buf = *a
	case "intl":
		*a = append((*a)[:0], tokIntl(seg)...)
		buf = *a
	default:
		buf = tok13a(seg, a, b)
	}
	return splitIDs(dst, buf, words)
}

// splitIDs splits buf on Python whitespace and appends the token ids.
func splitIDs(dst []int32, buf []byte, words *strTable) []int32 {
	start := -1
	for i := 0; i < len(buf); {
		c := buf[i]
		size := 1
		var space bool
		if c < utf8.RuneSelf {
			space = asciiSpace[c]
		} else {
			var r rune
			r, size = utf8.DecodeRune(buf[i:])
			space = isPySpace(r)
		}
		if space {
			if start >= 0 {
				dst = append(dst, words.idBytes(buf[start:i]))
				start = -1
			}
		} else if start < 0 {
			start = i
		}
		i += size
	}
	if start >= 0 {
		dst = append(dst, words.idBytes(buf[start:]))
	}
	return dst
}

var asciiSpace = func() (t [128]bool) {
	for c := 0; c < 128; c++ {
		t[c] = isPySpace(rune(c))
	}
	return
}()
