package detect

import "unicode"

// script is a writing system, named by its ISO 15924 code.
type script string

const (
	scriptNone     script = "Zyyy" // no letters at all
	scriptUnknown  script = "Zzzz"
	scriptLatin    script = "Latn"
	scriptArabic   script = "Arab"
	scriptHebrew   script = "Hebr"
	scriptCyrillic script = "Cyrl"
	scriptGreek    script = "Grek"
	scriptHan      script = "Hani"
	scriptKana     script = "Kana" // Hiragana or Katakana: Japanese
	scriptHangul   script = "Hang"
	scriptDeva     script = "Deva"
	scriptThai     script = "Thai"
	scriptGeorgian script = "Geor"
	scriptArmenian script = "Armn"
)

// scriptOf returns the script of a letter, or "" for anything that is not a
// letter (digits, punctuation, marks, emoji).
func scriptOf(r rune) script {
	if r < 0x80 {
		if (r|0x20) >= 'a' && (r|0x20) <= 'z' {
			return scriptLatin
		}
		return ""
	}
	if !unicode.IsLetter(r) {
		return ""
	}
	if r >= 0x0600 && r <= 0x06FF { // the Arabic block: most of tarjama's input
		return scriptArabic
	}
	switch {
	case unicode.Is(unicode.Latin, r):
		return scriptLatin
	case unicode.Is(unicode.Arabic, r):
		return scriptArabic
	case unicode.Is(unicode.Hebrew, r):
		return scriptHebrew
	case unicode.Is(unicode.Cyrillic, r):
		return scriptCyrillic
	case unicode.Is(unicode.Greek, r):
		return scriptGreek
	case unicode.Is(unicode.Han, r):
		return scriptHan
	case unicode.Is(unicode.Hiragana, r), unicode.Is(unicode.Katakana, r):
		return scriptKana
	case unicode.Is(unicode.Hangul, r):
		return scriptHangul
	case unicode.Is(unicode.Devanagari, r):
		return scriptDeva
	case unicode.Is(unicode.Thai, r):
		return scriptThai
	case unicode.Is(unicode.Georgian, r):
		return scriptGeorgian
	case unicode.Is(unicode.Armenian, r):
		return scriptArmenian
	}
	return scriptUnknown
}

// scriptCounts counts letters per script.
type scriptCounts map[script]int

func countScripts(s string) (scriptCounts, int) {
	c := scriptCounts{}
	n := 0
	for _, r := range s {
		if sc := scriptOf(r); sc != "" {
			c[sc]++
			n++
		}
	}
	return c, n
}

// dominant returns the script with the most letters (ties broken by a fixed
// order so the answer is deterministic).
func (c scriptCounts) dominant() (script, int) {
	best, bn := scriptNone, 0
	for _, sc := range scriptOrder {
		if c[sc] > bn {
			best, bn = sc, c[sc]
		}
	}
	return best, bn
}

var scriptOrder = []script{
	scriptArabic, scriptLatin, scriptHebrew, scriptCyrillic, scriptGreek,
	scriptHan, scriptKana, scriptHangul, scriptDeva, scriptThai,
	scriptGeorgian, scriptArmenian, scriptUnknown,
}
