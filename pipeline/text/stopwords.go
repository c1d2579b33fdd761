package text

import (
	_ "embed"
	"strings"
	"sync"
)

// The lists are stopwords-iso 1.1.0 (MIT); see data/README.md.
var (
	//go:embed data/stopwords-ar.txt
	stopwordsAr string
	//go:embed data/extra-ar.txt
	extraAr string
	//go:embed data/stopwords-en.txt
	stopwordsEn string
)

// stopSets parses the embedded lists once; the result is read-only.
var stopSets = sync.OnceValue(func() map[string]map[string]struct{} {
	return map[string]map[string]struct{}{
		"ar": parseList(stopwordsAr, extraAr),
		"en": parseList(stopwordsEn),
	}
})

func parseList(lists ...string) map[string]struct{} {
	m := make(map[string]struct{})
	for _, l := range lists {
		for _, w := range strings.Split(l, "\n") {
			if w = strings.TrimSpace(w); w != "" {
				m[Normalize(w)] = struct{}{}
			}
		}
	}
	return m
}

// IsStopWord reports whether word is a stop word of lang ("ar" or "en"; any
// other language has none). word may be in any form: it is normalized
// first. For Arabic a leading conjunction و or ف is also tried off, so وفي
// and فإن are stop words like في and إن.
func IsStopWord(lang, word string) bool {
	set := stopSets()[baseLang(lang)]
	if set == nil {
		return false
	}
	w := Normalize(word)
	if _, ok := set[w]; ok {
		return true
	}
	if baseLang(lang) == "ar" && len(w) > 2 && (strings.HasPrefix(w, "و") || strings.HasPrefix(w, "ف")) {
		_, ok := set[w[len("و"):]]
		return ok
	}
	return false
}

// baseLang maps "ar-EG", "ar_SA", "en-GB" to "ar", "en".
func baseLang(lang string) string {
	if i := strings.IndexAny(lang, "-_"); i > 0 {
		lang = lang[:i]
	}
	return strings.ToLower(lang)
}
