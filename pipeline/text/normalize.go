package text

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Normalize returns the matching form of s used by every comparison in
// tarjama's offline engine and evaluation. The normalization is fixed:
//
//   - Arabic diacritics are removed: harakat, tanwin, shadda and sukun
//     (U+064B–U+0652), the Quranic marks U+0653–U+065F, the superscript alef
//     U+0670 and the small high marks U+06D6–U+06ED;
//   - tatweel (U+0640) and zero-width characters (U+200B–U+200F, U+FEFF) are
//     removed;
//   - alef with hamza above or below, alef with madda and alef wasla
//     (أ إ آ ٱ) become bare alef ا;
//   - alef maqsura ى becomes ya ي, and ta marbuta ة becomes ha ه;
//   - Arabic-Indic (٠–٩) and Persian (۰–۹) digits become ASCII digits;
//   - Latin letters are lower-cased.
//
// Hamza on waw and ya (ؤ ئ) and the bare hamza ء are kept: folding them
// merges too many distinct words. The result never contains a character that
// was not already in s or in the ASCII range, and it is idempotent.
func Normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if r2, keep := normalizeRune(r); keep {
			b.WriteRune(r2)
		}
	}
	return b.String()
}

// normalizeRune maps one rune; keep is false for a rune that is dropped.
func normalizeRune(r rune) (out rune, keep bool) {
	switch {
	case r < utf8.RuneSelf:
		if 'A' <= r && r <= 'Z' {
			return r + ('a' - 'A'), true
		}
		return r, true
	case isArabicMark(r), r == '\u0640', r >= '\u200B' && r <= '\u200F', r == '\uFEFF':
		return 0, false
	case r == 'أ', r == 'إ', r == 'آ', r == 'ٱ':
		return 'ا', true
	case r == 'ى':
		return 'ي', true
	case r == 'ة':
		return 'ه', true
	case r >= '٠' && r <= '٩':
		return '0' + (r - '٠'), true
	case r >= '۰' && r <= '۹':
		return '0' + (r - '۰'), true
	}
	return unicode.ToLower(r), true
}

// isArabicMark reports whether r is an Arabic combining mark that
// Normalize drops.
func isArabicMark(r rune) bool {
	return (r >= '\u064B' && r <= '\u065F') || r == '\u0670' ||
		(r >= '\u06D6' && r <= '\u06ED' && r != '\u06DD' && r != '\u06DE' && r != '\u06E5' && r != '\u06E6' && r != '\u06E9')
}

// IsArabic reports whether r is a letter of the Arabic script.
func IsArabic(r rune) bool {
	return unicode.Is(unicode.Arabic, r) && unicode.IsLetter(r)
}
