package gloss

import "strings"

// Two levels of Arabic normalization are used, on the dictionary's
// headwords and on the query alike:
//
//   - light: diacritics, Quranic marks and tatweel removed, lam-alef
//     ligatures and Persian/Urdu letter shapes mapped to Arabic letters.
//     Spelling is otherwise kept, so على (on) and علي (Ali) stay apart.
//   - heavy: light, then alef forms (أ إ آ ٱ) → ا, ى → ي, ة → ه, ؤ → و,
//     ئ → ي. This catches the usual spelling variation in news text (الى
//     for إلى, اسرائيل for إسرائيل) at the price of merging some words, so
//     lookups try the light form first.
//
// The mapping is kept here rather than imported from pipeline/text so the
// dictionary's keys never change under us when the shared normalizer does.

// lightNorm returns the light normal form of s.
func lightNorm(s string) string {
	if isLight(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case isDiacritic(r), r == 0x200C, r == 0x200D: // and zero-width (non-)joiners
			continue
		case r >= 0xFEF5 && r <= 0xFEFC: // lam-alef ligatures
			b.WriteRune('ل')
			switch r {
			case 0xFEF5, 0xFEF6:
				b.WriteRune('آ')
			case 0xFEF7, 0xFEF8:
				b.WriteRune('أ')
			case 0xFEF9, 0xFEFA:
				b.WriteRune('إ')
			default:
				b.WriteRune('ا')
			}
			continue
		}
		b.WriteRune(letterShape(r))
	}
	return b.String()
}

// isLight reports whether lightNorm would return s unchanged, which is
// the common case and saves building a copy.
func isLight(s string) bool {
	for _, r := range s {
		if isDiacritic(r) || r == 0x200C || r == 0x200D || (r >= 0xFEF5 && r <= 0xFEFC) || letterShape(r) != r {
			return false
		}
	}
	return true
}

// heavyNorm returns the heavy normal form of s.
func heavyNorm(s string) string {
	s = lightNorm(s)
	if strings.IndexFunc(s, func(r rune) bool { return foldLetter(r) != r }) < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		b.WriteRune(foldLetter(r))
	}
	return b.String()
}

// foldLetter is the heavy letter folding.
func foldLetter(r rune) rune {
	switch r {
	case 'أ', 'إ', 'آ', 'ٱ':
		return 'ا'
	case 'ى':
		return 'ي'
	case 'ة':
		return 'ه'
	case 'ؤ':
		return 'و'
	case 'ئ':
		return 'ي'
	}
	return r
}

// letterShape maps Persian/Urdu shapes of Arabic letters to the Arabic
// letter.
func letterShape(r rune) rune {
	switch r {
	case 'ک': // keheh
		return 'ك'
	case 'ی', 'ې', 'ۍ': // Farsi yeh and relatives
		return 'ي'
	case 'ە', 'ۀ', 'ہ': // ae, heh with yeh, heh goal
		return 'ه'
	}
	return r
}

// isDiacritic reports harakat, Quranic annotation marks, the superscript
// alef and tatweel: marks that never change which dictionary word is meant.
func isDiacritic(r rune) bool {
	return (r >= 0x064B && r <= 0x065F) || r == 0x0670 || r == 0x0640 ||
		(r >= 0x0610 && r <= 0x061A) || (r >= 0x06D6 && r <= 0x06ED)
}

// isArabicLetter reports letters of the Arabic script (not digits or
// punctuation), diacritics and tatweel included, so a vocalized word stays
// one token.
func isArabicLetter(r rune) bool {
	switch {
	case r >= 0x0621 && r <= 0x065F:
		return true
	case r == 0x0670 || (r >= 0x0671 && r <= 0x06D3) || r == 0x06D5:
		return true
	case r >= 0x06D6 && r <= 0x06ED && r != 0x06DD && r != 0x06DE && r != 0x06E9:
		return true
	case r >= 0x06EE && r <= 0x06EF, r >= 0x06FA && r <= 0x06FC, r == 0x06FF:
		return true
	case r >= 0x0610 && r <= 0x061A:
		return true
	case r >= 0xFB50 && r <= 0xFDFF && !(r >= 0xFD3E && r <= 0xFD3F):
		return true
	case r >= 0xFE70 && r <= 0xFEFC:
		return true
	}
	return false
}

// digitValue returns the value of an ASCII, Arabic-Indic or Extended
// Arabic-Indic (Persian) digit, or -1.
func digitValue(r rune) int {
	switch {
	case r >= '0' && r <= '9':
		return int(r - '0')
	case r >= 0x0660 && r <= 0x0669:
		return int(r - 0x0660)
	case r >= 0x06F0 && r <= 0x06F9:
		return int(r - 0x06F0)
	}
	return -1
}
