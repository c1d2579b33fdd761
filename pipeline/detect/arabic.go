package detect

import "strings"

// Letter evidence for Arabic-script text. lingua-go knows only Arabic,
// Persian and Urdu among the Arabic-script languages, and calls Sorani,
// Uyghur, Pashto or Sindhi text "Arabic" with high confidence. The letters
// below are each written by one language (or two) of the group and almost
// never by Arabic, so a few of them outweigh lingua's answer.

// arabicLetterLangs maps a letter to the languages whose orthography has it
// and Arabic's does not. A letter shared by two languages counts half for
// each.
// (A language listed twice gets two parts.)
var arabicLetterLangs = map[rune][]string{
	// Central Kurdish (Sorani).
	'ڵ': {"ckb"}, 'ڕ': {"ckb"}, 'ێ': {"ckb"},
	'ۆ': {"ckb", "ug"}, 'ە': {"ckb", "ug"},
	// Uyghur.
	'ۈ': {"ug"}, 'ۇ': {"ug"}, 'ڭ': {"ug"}, 'ۋ': {"ug"},
	// ې is Pashto's and Uyghur's; Uyghur text has its own letters besides,
	// Pashto text often only this one, so Pashto gets the bigger part.
	'ې': {"ps", "ps", "ug"},
	// Pashto.
	'ټ': {"ps"}, 'ډ': {"ps"}, 'ښ': {"ps"}, 'ږ': {"ps"}, 'ځ': {"ps"},
	'څ': {"ps"}, 'ړ': {"ps"}, 'ڼ': {"ps"}, 'ۍ': {"ps"}, 'ګ': {"ps"},
	// Sindhi.
	'ڄ': {"sd"}, 'ٻ': {"sd"}, 'ڀ': {"sd"}, 'ٺ': {"sd"}, 'ٽ': {"sd"},
	'ڦ': {"sd"}, 'ڃ': {"sd"}, 'ڇ': {"sd"}, 'ڏ': {"sd"}, 'ڊ': {"sd"},
	'ڌ': {"sd"}, 'ڍ': {"sd"}, 'ڳ': {"sd"}, 'ڱ': {"sd"}, 'ڻ': {"sd"},
	'ڙ': {"sd"}, 'ڪ': {"sd"},
	// Urdu.
	'ے': {"ur"}, 'ٹ': {"ur"}, 'ڈ': {"ur"}, 'ڑ': {"ur"}, 'ں': {"ur"},
	'ہ': {"ur"}, 'ۂ': {"ur"}, 'ۓ': {"ur"},
}

// minorityArabicScript are the Arabic-script languages lingua does not know;
// only letter evidence can name them.
var minorityArabicScript = []string{"ckb", "ug", "ps", "sd"}

// arabicEvidence summarises the letters of an Arabic-script text.
type arabicEvidence struct {
	letters int                // Arabic-script letters
	marks   map[string]float64 // language → weighted count of its letters
	// own counts, per language, the letters only that language writes.
	own     map[string]int
	arabic  int // ة ي ك: Arabic orthography
	persian int // پ چ ژ گ ک ی: not Arabic orthography
}

// pashtoWords are Pashto function words that Persian, Urdu and Arabic do
// not write as words: they count as Pashto letters.
var pashtoWords = map[string]bool{"د": true, "په": true, "لپاره": true}

func newArabicEvidence(s string) arabicEvidence {
	e := arabicEvidence{marks: map[string]float64{}, own: map[string]int{}}
	// Moroccan Arabic writes د as a word too (the genitive), but Pashto
	// writes neither ة nor ك.
	if !strings.ContainsAny(s, "ةك") {
		for w := range strings.FieldsSeq(s) {
			if pashtoWords[strings.Trim(w, "\u200e\u200f\"'.,:;!?()«»،؛؟")] {
				e.marks["ps"]++
			}
		}
	}
	for _, r := range s {
		if scriptOf(r) != scriptArabic {
			continue
		}
		e.letters++
		switch r {
		case 'ة', 'ي', 'ك':
			e.arabic++
		case 'پ', 'چ', 'ژ', 'گ', 'ک', 'ی':
			e.persian++
		}
		if langs, ok := arabicLetterLangs[r]; ok {
			w := 1 / float64(len(langs))
			for _, l := range langs {
				e.marks[l] += w
			}
			if len(langs) == 1 {
				e.own[langs[0]]++
			}
		}
	}
	return e
}

// rate is a language's marker letters per letter.
func (e arabicEvidence) rate(lang string) float64 {
	if e.letters == 0 {
		return 0
	}
	return e.marks[lang] / float64(e.letters)
}

// minority returns the Arabic-script language lingua does not know whose
// letters are most frequent, its rate, and its purity: the share it holds of
// the letters only one minority language writes (of all minority letters
// when there are none such).
func (e arabicEvidence) minority() (lang string, rate, purity float64) {
	var total float64
	owned := 0
	for _, l := range minorityArabicScript {
		total += e.marks[l]
		owned += e.own[l]
		if r := e.rate(l); r > rate {
			lang, rate = l, r
		}
	}
	switch {
	case lang == "":
		return "", 0, 0
	case owned > 0:
		return lang, rate, float64(e.own[lang]) / float64(owned)
	}
	return lang, rate, e.marks[lang] / total
}

// foreignRate is the rate of letters that Arabic does not write; with
// minorityOnly, of the letters of the languages lingua does not know.
func (e arabicEvidence) foreignRate(minorityOnly bool) float64 {
	if e.letters == 0 {
		return 0
	}
	var m float64
	for l, v := range e.marks {
		if !minorityOnly || l != "ur" {
			m += v
		}
	}
	return m / float64(e.letters)
}
