package eval

import (
	"unicode"
)

// ScriptLang is the cheap language guess the harness uses to pick a ROUGE
// tokenizer when a pair has no "lang": "ar" when most letters are Arabic
// script, "en" when most are Latin, "und" for any other script or no
// letters. ROUGE only needs to know whether rouge-score's ASCII tokenizer
// would delete the text, which is a question of script, not language; give
// "lang" explicitly for Latin-script text that is not English.
func ScriptLang(s string) string {
	var latin, arabic, other int
	for _, r := range s {
		switch {
		case r < 0x80:
			if r|0x20 >= 'a' && r|0x20 <= 'z' {
				latin++
			}
		case !unicode.IsLetter(r):
		case unicode.Is(unicode.Latin, r):
			latin++
		case unicode.Is(unicode.Arabic, r):
			arabic++
		default:
			other++
		}
	}
	total := latin + arabic + other
	switch {
	case total == 0:
		return "en"
	case 2*latin > total:
		return "en"
	case 2*arabic > total:
		return "ar"
	case latin >= arabic && latin >= other:
		return "en"
	case arabic >= other:
		return "ar"
	}
	return "und"
}

// isEnglish reports whether lang selects rouge-score's English scorer.
func isEnglish(lang string) bool {
	return lang == "" || lang == "en" || len(lang) > 3 && lang[:3] == "en-"
}
