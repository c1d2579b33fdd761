package metrics

import (
	"strings"
	"unicode/utf8"
)

// Byte classes for tok13aIDs.
const (
	c13Word  = iota // part of a token (letters, digits, ', other bytes)
	c13Space        // ASCII Python whitespace: separates tokens
	c13Punct        // a punct13a character: always a token of its own
	c13Dot          // '.' or ',': see tok13aIDs
	c13Dash         // '-': its own token after a digit
	c13MaySp        // lead byte of a multi-byte sequence that may be a Python space
	c13Slow         // needs the general path ("-\n")
	c13Amp          // '&' or '<': punct13a unless it starts an entity or "<skipped>"
)

var class13a = func() (t [256]uint8) {
	for c := 0; c < 256; c++ {
		switch {
		case c == '\n':
			t[c] = c13Slow
		case c == '&' || c == '<':
			t[c] = c13Amp
		case c < 0x80 && asciiSpace[c]:
			t[c] = c13Space
		case c < 0x80 && punct13a[c]:
			t[c] = c13Punct
		case c == '.' || c == ',':
			t[c] = c13Dot
		case c == '-':
			t[c] = c13Dash
		case c == 0xC2 || c == 0xE1 || c == 0xE2 || c == 0xE3:
			// Non-ASCII Python whitespace is U+0085, U+00A0 (C2 xx),
			// U+1680 (E1), U+2000–U+205F (E2) and U+3000 (E3).
			t[c] = c13MaySp
		default:
			t[c] = c13Word
		}
	}
	return
}()

func isDotComma(c byte) bool { return c == '.' || c == ',' }

// tok13aIDs is tok13a followed by splitIDs in a single pass over the
// (rstripped) segment, for the common case. It appends the token ids to dst
// and reports ok; it returns ok=false when the segment needs the general
// path: it contains '&', '<' or '\n' (entities, "<skipped>", "-\n"), or two
// adjacent '.'/',' (the regexes pair such runs up in an order-dependent way).
// Ids interned before a failure are harmless (ids only need to be
// consistent within one call).
//
// Why the single pass is exact: the 13a passes only insert spaces, so every
// token is a substring of the input and only the token boundaries need
// deciding. With no two adjacent '.'/',' and with x, y the characters around
// one of them after pass 1 (x, y = ' ' next to a punct13a character or the
// ends of the line):
//   - pass 2 splits it off both sides when x is not a digit ("x . " then pass
//     3 turns ". y" into " .  y");
//   - otherwise pass 3 splits it off both sides when y is not a digit;
//   - so it stays inside a token only between two digits ("3.5", "1,000").
//
// Pass 4 splits off a '-' preceded by a digit; spaces inserted by passes 1–3
// never separate a digit from a following '-' (neither is punct13a nor
// '.'/','), so "preceded by a digit" can be read in the input.
//
// Tokens alias seg, which is fine: the interning table is reset on every
// call and seg outlives the call.
func tok13aIDs(dst []int32, seg string, words *strTable) ([]int32, bool) {
	n0 := len(dst)
	start := -1
	for i := 0; i < len(seg); i++ {
		c := seg[i]
		switch class13a[c] {
		case c13Word:
			if start < 0 {
				start = i
			}
			// Most bytes are inside words: skip the rest of the run here.
			for i+1 < len(seg) && class13a[seg[i+1]] == c13Word {
				i++
			}
		case c13Space:
			if start >= 0 {
				dst = append(dst, words.idAt(seg, start, i))
				start = -1
			}
		case c13Amp:
			if startsSpecial13a(seg[i:]) {
				return dst[:n0], false
			}
			fallthrough
		case c13Punct:
			if start >= 0 {
				dst = append(dst, words.idAt(seg, start, i))
				start = -1
			}
			dst = append(dst, words.idAt(seg, i, i+1))
		case c13Dot:
			// The previous byte is not '.'/',': that would have failed already.
			if i+1 < len(seg) && isDotComma(seg[i+1]) {
				return dst[:n0], false
			}
			if i > 0 && isDigit(seg[i-1]) && i+1 < len(seg) && isDigit(seg[i+1]) {
				if start < 0 {
					start = i
				}
				continue
			}
			if start >= 0 {
				dst = append(dst, words.idAt(seg, start, i))
				start = -1
			}
			dst = append(dst, words.idAt(seg, i, i+1))
		case c13Dash:
			if i > 0 && isDigit(seg[i-1]) {
				if start >= 0 {
					dst = append(dst, words.idAt(seg, start, i))
					start = -1
				}
				dst = append(dst, words.idAt(seg, i, i+1))
				continue
			}
			if start < 0 {
				start = i
			}
		case c13MaySp:
			r, size := utf8.DecodeRuneInString(seg[i:])
			if isPySpace(r) {
				if start >= 0 {
					dst = append(dst, words.idAt(seg, start, i))
					start = -1
				}
			} else if start < 0 {
				start = i
			}
			i += size - 1
		default: // c13Slow
			return dst[:n0], false
		}
	}
	if start >= 0 {
		dst = append(dst, words.idAt(seg, start, len(seg)))
	}
	return dst, true
}

// startsSpecial13a reports whether s starts with text that tok13a rewrites
// before tokenizing: an HTML entity it unescapes or "<skipped>". Without
// one, '&' and '<' are plain punct13a characters (no rewrite can create
// one either, since all rewrites start at such a prefix).
func startsSpecial13a(s string) bool {
	if s[0] == '<' {
		return strings.HasPrefix(s, "<skipped>")
	}
	return strings.HasPrefix(s, "&quot;") || strings.HasPrefix(s, "&amp;") ||
		strings.HasPrefix(s, "&lt;") || strings.HasPrefix(s, "&gt;")
}
