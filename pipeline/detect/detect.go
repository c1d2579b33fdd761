// Package detect is tarjama's local language detector. New builds a
// Detector (lingua-go restricted to a set of languages, plus letter and
// word rules); Detector.Detect answers a pipeline.Detection for a text.
//
// lingua-go alone confuses the Arabic-script languages it does not know
// (Central Kurdish, Uyghur, Pashto, Sindhi) with Arabic, and has no notion
// of Arabizi (Arabic written in Latin letters and digits). Detect therefore
// works in three steps:
//
//  1. The text is cut into paragraphs, and paragraphs that mix scripts into
//     runs of one script; each piece is weighed by its letters.
//  2. Each piece is classified by its script: Arabic-script pieces by
//     language-specific letters first (ڵ ڕ ێ → ckb, ۈ ۇ ې → ug, ټ ښ ځ → ps,
//     ڄ ٻ ٽ → sd), a long paragraph in plain Arabic orthography as Arabic
//     by its letters alone, and lingua-go among Arabic, Persian and Urdu
//     otherwise, with a lower confidence when letters contradict lingua;
//     Latin-script pieces by the Arabizi scorer (digits used as letters and
//     a lexicon of frequent Arabizi words), Maltese and Kurmanji letter
//     rules, then lingua-go; Hebrew, Greek, Hangul, kana, Han, Thai,
//     Georgian and Armenian by their script alone.
//  3. The dominant language by letters is the answer; Shares gives every
//     language's part of the letters.
//
// Labels are ISO 639-1 codes where one exists ("ar", "fa", "ur", "ps",
// "sd", "ug", "he", "mt", "en", …); "ckb" (Central Kurdish) and "kmr"
// (Northern Kurdish) are ISO 639-3, because "ku" does not say which script;
// Arabizi is "ar-Latn" and an unknown language "und" with confidence 0.
// Arabic dialects (Egyptian, Levantine, Gulf, Maghrebi, Hassaniya) are "ar".
// When letters and lingua disagree the answer keeps its label with a lower
// confidence, or becomes "und": an "ar" answer loses confidence in
// proportion to the letters Arabic does not write that the text carries,
// and is "und" from 3 in 100 letters of Kurdish, Uyghur, Pashto or Sindhi.
// Method says what decided: "letters", "words", "arabizi", "script",
// "lingua", "lingua+letters" or "none".
//
// Build one Detector per process and share it: New loads lingua's models
// (with the defaults about 0.9 s of CPU, 80 MiB of heap and 180 MB peak
// RSS; AccuracyHigh costs 3 s and 250 MiB, AccuracyLow 0.2 s and 13 MiB;
// measured by `go run ./bench/lid -mode startup`), and Detect is safe for
// concurrent use. lingua keeps its models in package-level maps, so a
// second Detector in the same process costs nearly nothing.
package detect

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/pemistahl/lingua-go"

	"github.com/tarjama/tarjama/pipeline"
)

// Undetermined is the language code of a text whose language is unknown.
const Undetermined = "und"

// Arabizi is the language code of Arabic written in Latin script.
const Arabizi = "ar-Latn"

// DefaultLanguages returns the set lingua-go is built with by default: the
// languages a desk that reads Arabic news meets, written in Arabic, Latin,
// Cyrillic or Devanagari script. Hebrew, Chinese, Japanese, Korean, Greek
// and the other one-language scripts are named by their script and need no
// model. With AccuracyMixed this set costs about 80 MiB of heap; the
// Arabic, Persian and Urdu full models are most of it (see bench/lid).
func DefaultLanguages() []string {
	return []string{
		"ar", "fa", "ur", // Arabic script
		"en", "fr", "es", "de", "it", "pt", "nl", "tr", "id", // Latin
		"ru", "uk", // Cyrillic
		"hi", // Devanagari
	}
}

// Accuracy chooses which lingua-go n-gram models are loaded.
type Accuracy int

const (
	// AccuracyMixed, the default, loads the 1- to 5-gram models for Arabic,
	// Persian and Urdu — the distinction tarjama exists for, where short
	// headlines need them — and only the trigram models (lingua's
	// low-accuracy mode) for the other languages. Texts of 120 characters or
	// more use trigrams only in every mode, so this changes answers on short
	// non-Arabic-script texts only.
	AccuracyMixed Accuracy = iota
	// AccuracyHigh loads every model: the best answers on short texts, the
	// most memory and the slowest start.
	AccuracyHigh
	// AccuracyLow loads trigram models only: the least memory and the
	// fastest start, worse on short texts (single words, tweets).
	AccuracyLow
)

// Options configures a Detector. The zero value is the default.
type Options struct {
	// Languages are the ISO 639-1 codes lingua-go is built with. Nil means
	// DefaultLanguages(). Arabizi, Central Kurdish, Uyghur, Pashto, Sindhi,
	// Maltese, Kurmanji and the single-script languages (Hebrew, Greek, …)
	// are recognised by rules whatever this set is.
	Languages []string
	// Accuracy chooses the models loaded; the zero value is AccuracyMixed.
	Accuracy Accuracy
	// Lazy skips loading the models in New: each is loaded, once, the first
	// time a text needs it, so a run that sees only Arabic never loads the
	// Latin-script models. New is then instant and the first Detect of each
	// script slow.
	Lazy bool
}

// Detector identifies the language of a text. It is safe for concurrent use.
type Detector struct {
	// all holds every language of the set; arabic, when the set has two or
	// more of them, only the Arabic-script ones (Arabic, Persian, Urdu).
	all, arabic lingua.LanguageDetector
	// arabicScript are the lingua languages written in Arabic script.
	arabicScript map[lingua.Language]bool
}

var _ pipeline.Detector = (*Detector)(nil)

// New builds a Detector and, unless opts.Lazy, loads every lingua model it
// needs, so the first Detect is as fast as the others.
func New(opts Options) (*Detector, error) {
	codes := opts.Languages
	if codes == nil {
		codes = DefaultLanguages()
	}
	d := &Detector{arabicScript: map[lingua.Language]bool{}}
	var langs, arabic []lingua.Language
	for _, c := range codes {
		l := lingua.GetLanguageFromIsoCode639_1(lingua.GetIsoCode639_1FromValue(c))
		if l == lingua.Unknown {
			return nil, fmt.Errorf("detect: language %q is not an ISO 639-1 code lingua-go knows", c)
		}
		if slices.Contains(langs, l) {
			continue
		}
		langs = append(langs, l)
		if l == lingua.Arabic || l == lingua.Persian || l == lingua.Urdu {
			d.arabicScript[l] = true
			arabic = append(arabic, l)
		}
	}
	if len(langs) < 2 {
		return nil, fmt.Errorf("detect: lingua needs at least 2 distinct languages, got %d", len(langs))
	}
	build := func(ls []lingua.Language, low bool) lingua.LanguageDetector {
		b := lingua.NewLanguageDetectorBuilder().FromLanguages(ls...)
		if !opts.Lazy {
			b = b.WithPreloadedLanguageModels()
		}
		if low {
			b = b.WithLowAccuracyMode()
		}
		return b.Build()
	}
	d.all = build(langs, opts.Accuracy != AccuracyHigh)
	if len(arabic) >= 2 {
		d.arabic = build(arabic, opts.Accuracy == AccuracyLow)
	}
	return d, nil
}

// piece is a run of text in one script.
type piece struct {
	text    string
	script  script
	letters int
}

// verdict is the answer for one piece.
type verdict struct {
	lang       string
	confidence float64
	method     string
}

// Detect returns the language of text. An empty text, or one without
// letters, is "und" with confidence 0. Invalid UTF-8 is tolerated.
func (d *Detector) Detect(text string) pipeline.Detection {
	if !utf8.ValidString(text) {
		text = strings.ToValidUTF8(text, " ")
	}
	pieces := split(text)
	if len(pieces) == 0 {
		return pipeline.Detection{Lang: Undetermined, Script: string(scriptNone), Method: "none"}
	}

	letters := map[string]int{}
	weighted := map[string]float64{} // confidence × letters
	bestMethod := map[string]string{}
	bestLetters := map[string]int{}
	scripts := scriptCounts{}
	total := 0
	for _, p := range pieces {
		v := d.classify(p)
		letters[v.lang] += p.letters
		weighted[v.lang] += v.confidence * float64(p.letters)
		if p.letters > bestLetters[v.lang] {
			bestLetters[v.lang], bestMethod[v.lang] = p.letters, v.method
		}
		scripts[p.script] += p.letters
		total += p.letters
	}

	shares := make([]pipeline.LangShare, 0, len(letters))
	for l, n := range letters {
		shares = append(shares, pipeline.LangShare{Lang: l, Share: float64(n) / float64(total)})
	}
	slices.SortFunc(shares, func(a, b pipeline.LangShare) int {
		if c := cmp.Compare(b.Share, a.Share); c != 0 {
			return c
		}
		return strings.Compare(a.Lang, b.Lang)
	})
	top := shares[0].Lang
	// A known language beats "und" when they tie.
	if top == Undetermined && len(shares) > 1 && shares[1].Share == shares[0].Share {
		top = shares[1].Lang
	}
	sc, _ := scripts.dominant()
	conf := weighted[top] / float64(letters[top])
	if top == Undetermined {
		conf = 0
	}
	return pipeline.Detection{
		Lang:       top,
		Confidence: clamp01(conf),
		Script:     string(sc),
		Shares:     shares,
		Method:     bestMethod[top],
	}
}

// split cuts text into paragraphs, and a paragraph whose letters are not
// (almost) all in one script into runs of words of one script.
func split(text string) []piece {
	var out []piece
	for para := range strings.SplitSeq(text, "\n") {
		para = dropHandles(para)
		counts, n := countScripts(para)
		if n == 0 {
			continue
		}
		sc, k := counts.dominant()
		if float64(k) >= 0.9*float64(n) {
			out = append(out, piece{text: para, script: sc, letters: n})
			continue
		}
		out = append(out, splitScripts(para)...)
	}
	return out
}

// dropHandles removes user names, URLs and e-mail addresses, whose letters
// say nothing about the language around them.
func dropHandles(para string) string {
	if !strings.ContainsAny(para, "@/") && !strings.Contains(para, "www.") {
		return para
	}
	var b strings.Builder
	for w := range strings.FieldsSeq(para) {
		if strings.HasPrefix(w, "@") || strings.Contains(w, "://") ||
			strings.HasPrefix(w, "www.") || strings.Contains(w, "@") {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(w)
	}
	return b.String()
}

// minRunLetters is the size under which a run of one script inside another
// (a name, an acronym) is merged into its neighbour.
const minRunLetters = 12

func splitScripts(para string) []piece {
	var runs []piece
	var cur strings.Builder
	curScript := script("")
	curLetters := 0
	flush := func() {
		if cur.Len() > 0 && curLetters > 0 {
			runs = append(runs, piece{text: cur.String(), script: curScript, letters: curLetters})
		}
		cur.Reset()
		curLetters = 0
	}
	for w := range strings.FieldsSeq(para) {
		counts, n := countScripts(w)
		sc, _ := counts.dominant()
		if n > 0 && sc != curScript && curLetters > 0 {
			flush()
		}
		if n > 0 {
			curScript = sc
		}
		if cur.Len() > 0 {
			cur.WriteByte(' ')
		}
		cur.WriteString(w)
		curLetters += n
	}
	flush()

	// Merge short runs into the run before them (or after, for the first),
	// keeping the bigger run's script.
	merged := runs[:0:0]
	for _, r := range runs {
		if len(merged) > 0 {
			last := &merged[len(merged)-1]
			if r.letters < minRunLetters || last.letters < minRunLetters || r.script == last.script {
				if r.letters > last.letters {
					last.script = r.script
				}
				last.text += " " + r.text
				last.letters += r.letters
				continue
			}
		}
		merged = append(merged, r)
	}
	return merged
}

func (d *Detector) classify(p piece) verdict {
	switch p.script {
	case scriptArabic:
		return d.arabicPiece(p)
	case scriptLatin:
		return d.latinPiece(p)
	case scriptHebrew:
		return scriptVerdict("he", p)
	case scriptGreek:
		return scriptVerdict("el", p)
	case scriptHangul:
		return scriptVerdict("ko", p)
	case scriptKana:
		return scriptVerdict("ja", p)
	case scriptHan:
		counts, _ := countScripts(p.text)
		if counts[scriptKana] > 0 {
			return scriptVerdict("ja", p)
		}
		return scriptVerdict("zh", p)
	case scriptThai:
		return scriptVerdict("th", p)
	case scriptGeorgian:
		return scriptVerdict("ka", p)
	case scriptArmenian:
		return scriptVerdict("hy", p)
	}
	// Cyrillic, Devanagari, …: lingua when it knows a language of that
	// script, else unknown.
	if l, c, ok := d.linguaTop(d.all, p.text, nil); ok && scriptMatches(l, p.script) {
		return verdict{lang: isoCode(l), confidence: c, method: "lingua"}
	}
	return verdict{lang: Undetermined, method: "script"}
}

// scriptVerdict names the one language of a script that has one language
// in practice; the confidence grows with the letters seen.
func scriptVerdict(lang string, p piece) verdict {
	return verdict{lang: lang, confidence: lengthConfidence(p.letters, 0.95), method: "script"}
}

// lengthConfidence grows from 0.5 to max as a text gets to 10 letters.
func lengthConfidence(letters int, max float64) float64 {
	if letters >= 10 {
		return max
	}
	return 0.5 + (max-0.5)*float64(letters)/10
}

// Thresholds for letter evidence in Arabic-script text, per letter.
const (
	arabicShortcutLetters = 80
	minorityMinRate       = 0.008 // ~1 marker letter in 125
	minorityMinCount      = 1.0
)

func (d *Detector) arabicPiece(p piece) verdict {
	e := newArabicEvidence(p.text)
	if m, rate, purity := e.minority(); m != "" && rate >= minorityMinRate &&
		e.marks[m] >= minorityMinCount && rate > e.rate("ur") {
		// Confidence: more marker letters and less competing evidence.
		c := min(0.97, 0.55+12*rate) * purity
		if e.marks[m] < 2 {
			c *= 0.7
		}
		return verdict{lang: m, confidence: c, method: "letters"}
	}
	// A long text in Arabic orthography with no letter of Persian, Urdu or
	// the minority languages is Arabic: lingua (about 1 ms a paragraph)
	// would only confirm it.
	if e.letters >= arabicShortcutLetters && e.persian == 0 && e.foreignRate(false) == 0 &&
		e.arabic >= 3 {
		return verdict{lang: "ar", confidence: 0.97, method: "letters"}
	}
	var l lingua.Language
	var c float64
	var ok bool
	if d.arabic != nil {
		l, c, ok = d.linguaTop(d.arabic, p.text, nil)
	} else {
		l, c, ok = d.linguaTop(d.all, p.text, d.arabicScript)
	}
	if !ok {
		// No lingua language for this script: name the script's main
		// language with a low confidence.
		return verdict{lang: "ar", confidence: 0.3, method: "script"}
	}
	lang := isoCode(l)
	if (lang == "fa" || lang == "ur") && e.persian == 0 && e.marks["ur"] == 0 {
		// Persian and Urdu write ی and ک (and Urdu its own letters) in
		// nearly every phrase; a text with Arabic ي, ك or ة instead, or a
		// long one with none of them, is Arabic that lingua misread
		// (short dialect tweets: "امين", "متأسف انا مش فاهم").
		switch {
		case e.arabic > 0:
			return verdict{lang: "ar", confidence: 0.6, method: "lingua+letters"}
		case e.letters >= 25:
			return verdict{lang: "ar", confidence: 0.5, method: "lingua+letters"}
		}
		c *= 0.5
	}
	if lang == "ar" {
		// Letters Arabic does not write, or Persian letters where Arabic
		// ones are expected, make the answer doubtful: lower the confidence
		// rather than guess a language lingua does not know.
		c *= max(0, 1-25*e.foreignRate(false))
		if e.letters >= 30 && e.arabic == 0 {
			c *= 0.6
		}
		if e.persian > e.arabic {
			c *= 0.5
		}
		if e.foreignRate(true) >= 0.03 {
			return verdict{lang: Undetermined, confidence: 0, method: "lingua+letters"}
		}
	}
	return verdict{lang: lang, confidence: c, method: "lingua+letters"}
}

// Thresholds of the Latin-script rules.
const (
	malteseMinRate   = 0.008
	kurmanjiMinShare = 0.12
	// An Arabizi score from arabiziMin wins over lingua, whose confidence
	// on Arabizi is often high for French or English: requiring lingua to
	// be unsure as well lost 18 points of Arabizi recall on NArabizi and
	// gained no precision (bench/lid). From arabiziSure the answer's
	// confidence is high.
	arabiziMin  = 0.12
	arabiziSure = 0.3
)

func (d *Detector) latinPiece(p piece) verdict {
	mt, mtHits := malteseScore(p.text)
	if mt >= malteseMinRate {
		return verdict{lang: "mt", confidence: min(0.95, 0.6+10*mt), method: "letters"}
	}
	if s := kurmanjiScore(p.text); s >= kurmanjiMinShare {
		return verdict{lang: "kmr", confidence: min(0.95, 0.5+s), method: "words"}
	}
	f := newArabiziFeatures(p.text)
	az := f.score()
	if f.words > 0 {
		az -= 0.5 * float64(f.french) / float64(f.words)
	}
	switch {
	case az >= arabiziMin && mtHits > 0:
		// Maltese is Arabic-derived (huwa, nhar, aktar) and trips the
		// Arabizi scorer; Arabizi never writes ħ ċ ġ or il-.
		return verdict{lang: "mt", confidence: 0.5, method: "letters"}
	case az >= arabiziSure:
		return verdict{lang: Arabizi, confidence: min(0.95, 0.45+az), method: "arabizi"}
	case az >= arabiziMin:
		return verdict{lang: Arabizi, confidence: 0.3 + az, method: "arabizi"}
	}
	l, c, ok := d.linguaTop(d.all, p.text, nil)
	if !ok {
		return verdict{lang: Undetermined, method: "lingua"}
	}
	return verdict{lang: isoCode(l), confidence: c, method: "lingua"}
}

// linguaTop runs lingua and returns its best language among allowed (all
// languages when allowed is nil) with its confidence renormalised over the
// allowed ones.
func (d *Detector) linguaTop(ld lingua.LanguageDetector, text string, allowed map[lingua.Language]bool) (lingua.Language, float64, bool) {
	values := ld.ComputeLanguageConfidenceValues(text)
	var sum, best float64
	bestLang := lingua.Unknown
	for _, v := range values {
		if allowed != nil && !allowed[v.Language()] {
			continue
		}
		sum += v.Value()
		if v.Value() > best {
			best, bestLang = v.Value(), v.Language()
		}
	}
	if bestLang == lingua.Unknown || sum == 0 {
		return lingua.Unknown, 0, false
	}
	return bestLang, best / sum, true
}

func isoCode(l lingua.Language) string {
	return strings.ToLower(l.IsoCode639_1().String())
}

// scriptMatches reports whether lingua's language is written in the script
// (for the scripts that reach lingua without a rule).
func scriptMatches(l lingua.Language, sc script) bool {
	switch sc {
	case scriptCyrillic:
		return slices.Contains(lingua.AllLanguagesWithCyrillicScript(), l)
	case scriptDeva:
		return slices.Contains(lingua.AllLanguagesWithDevanagariScript(), l)
	}
	return false
}

func clamp01(x float64) float64 {
	return max(0, min(1, x))
}
