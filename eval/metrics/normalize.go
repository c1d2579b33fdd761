package metrics

import "strings"

// NormalizeArabic applies the orthographic normalization used by the
// Normalize options: alef with hamza above/below, alef madda and alef wasla
// become bare alef (ا), alef maqsura (ى) becomes ya (ي), ta marbuta (ة)
// becomes ha (ه), and harakat (U+064B..U+065F), superscript alef (U+0670),
// Quranic marks (U+0610..U+061A, U+06D6..U+06ED) and tatweel (U+0640) are
// removed. Hamza on waw/ya (ؤ ئ) and lone hamza (ء) are kept. Other text is
// unchanged.
func NormalizeArabic(s string) string {
	needs := false
	for _, r := range s {
		if r >= 0x0610 && r <= 0x06ED {
			needs = true
			break
		}
	}
	if !needs {
		return s
	}
	var sb strings.Builder
	sb.Grow(len(s))
	for _, r := range s {
		switch {
		case r == 'أ' || r == 'إ' || r == 'آ' || r == 'ٱ':
			sb.WriteRune('ا')
		case r == 'ى':
			sb.WriteRune('ي')
		case r == 'ة':
			sb.WriteRune('ه')
		case (r >= 0x064B && r <= 0x065F) || r == 0x0670 || (r >= 0x0610 && r <= 0x061A) ||
			(r >= 0x06D6 && r <= 0x06ED) || r == 0x0640:
			// dropped
		default:
			sb.WriteRune(r)
		}
	}
	return sb.String()
}
