package text

import (
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/arabic"
	"github.com/blevesearch/snowballstem/english"
)

// Stem returns the Snowball stem of word for lang ("ar" or "en"); for any
// other language it returns the normalized word. Stems are in normalized
// form (Normalize), so Stem("ar", "الكاظميُّ") and
// Stem("ar", "الكاظمي") agree.
func Stem(lang, word string) string {
	switch baseLang(lang) {
	case "ar":
		// The Snowball Arabic stemmer folds hamza forms and strips
		// diacritics itself, and it needs ta marbuta to find suffixes, so
		// it gets the word as written and its stem is normalized after.
		env := snowballstem.NewEnv(word)
		arabic.Stem(env)
		return Normalize(env.Current())
	}
	w := Normalize(word)
	switch baseLang(lang) {
	case "en":
		env := snowballstem.NewEnv(w)
		english.Stem(env)
		return env.Current()
	}
	return w
}

// arabicPrefixes are stripped by LightStem, longest first.
var arabicPrefixes = [...]string{"وبال", "وكال", "وال", "بال", "كال", "فال", "ولل", "لل", "ال"}

// LightStem strips Arabic proclitics from a normalized word: the definite
// article with the conjunctions and prepositions that attach to it
// (ال وال بال كال فال لل, as in "والكاظمي" → "كاظمي"), and otherwise a
// leading conjunction و when at least four letters remain. It never leaves
// fewer than two letters. Unlike Stem it leaves suffixes alone, so two
// words that differ only in an attached article or "and" share a light
// stem while distinct words rarely do.
func LightStem(w string) string {
	for _, p := range arabicPrefixes {
		if strings.HasPrefix(w, p) && utf8.RuneCountInString(w)-utf8.RuneCountInString(p) >= 2 {
			return w[len(p):]
		}
	}
	if strings.HasPrefix(w, "و") && utf8.RuneCountInString(w) >= 5 {
		return w[len("و"):]
	}
	return w
}
