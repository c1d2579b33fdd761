package gloss

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tarjama/tarjama/pipeline"
)

// Token kinds.
const (
	KindDict      = "dict"      // found in the dictionary (or the built-in function-word table)
	KindGlossary  = "glossary"  // a glossary entry
	KindRomanized = "romanized" // not found: written in Latin letters
	KindNumber    = "number"
	KindPunct     = "punct"
	KindLatin     = "latin" // already in Latin script
)

// Token is one glossed unit: an Arabic word (or a phrase of several when
// the dictionary or the glossary has it), a number, a Latin word or a
// punctuation mark.
type Token struct {
	Source string `json:"source"`
	Gloss  string `json:"gloss"`
	Kind   string `json:"kind"`
	// Lemma shows how a dict token was read: the clitics split off and the
	// headword that matched, "و+ب+ال+كتاب".
	Lemma string `json:"lemma,omitempty"`
	// Core marks a gloss from the built-in function-word table rather than
	// the dictionary file.
	Core bool `json:"core,omitempty"`
}

// Result is the gloss of a text.
type Result struct {
	Tokens []Token `json:"tokens"`
	// Text is the tokens' glosses joined into one line of English.
	Text string `json:"text"`
	// Coverage is Found/Words: the share of Arabic words that were found in
	// the dictionary or the glossary rather than romanized (0 when there are
	// no Arabic words).
	Coverage float64 `json:"coverage"`
	Words    int     `json:"words"`
	Found    int     `json:"found"`
}

// Options changes how a text is glossed. The zero value is the default.
type Options struct {
	// Glossary entries (Arabic → English) win over the dictionary.
	Glossary pipeline.Glossary
	// NoSegment looks words up whole only, without splitting clitics.
	NoSegment bool
	// NoPhrases skips multi-word headwords.
	NoPhrases bool
	// NoCore skips the built-in function-word table: the dictionary file
	// alone.
	NoCore bool
}

// GlossText glosses text word by word with the default options.
func (d *Dict) GlossText(text string) Result { return d.Gloss(text, Options{}) }

// Gloss glosses text word by word.
func (d *Dict) Gloss(text string, o Options) Result {
	raw := tokenize(text)
	gl := compileGlossary(o.Glossary)
	var res Result
	for i := 0; i < len(raw); {
		t := raw[i]
		if t.kind != rawArabic {
			res.Tokens = append(res.Tokens, t.token())
			i++
			continue
		}
		n := arabicRun(raw, i)
		if tok, used, ok := matchGlossary(gl, raw[i:i+n]); ok {
			res.Tokens = append(res.Tokens, tok)
			res.Words += used
			res.Found += used
			i += used
			continue
		}
		if tok, used, ok := d.matchPhrase(raw[i:i+n], o); ok {
			res.Tokens = append(res.Tokens, tok)
			res.Words += used
			res.Found += used
			i += used
			continue
		}
		tok := d.word(t.text, t.norm, o)
		res.Tokens = append(res.Tokens, tok)
		res.Words++
		if tok.Kind == KindDict {
			res.Found++
		}
		i++
	}
	if res.Words > 0 {
		res.Coverage = float64(res.Found) / float64(res.Words)
	}
	res.Text = join(res.Tokens)
	return res
}

// word glosses one Arabic word.
func (d *Dict) word(src, norm string, o Options) Token {
	if a, ok := d.analyze(norm, o); ok {
		return Token{Source: src, Gloss: a.render(), Kind: KindDict, Lemma: a.lemma(), Core: a.e.core}
	}
	return Token{Source: src, Gloss: romanizeWithClitics(norm), Kind: KindRomanized}
}

// romanizeWithClitics romanizes an unknown word, splitting only the
// unambiguous proclitic+article sequences (وال، بال، لل ...), so that
// والكاظمي reads "and al-Kazmi" but وليد stays "Wlid", not "and Lid".
func romanizeWithClitics(w string) string {
	for _, p := range prefixes {
		if !p.art || len(p.parts) < 2 || !strings.HasPrefix(w, p.ar) || runeCount(w)-runeCount(p.ar) < 2 {
			continue
		}
		var glue []string
		for _, c := range p.parts[:len(p.parts)-1] {
			glue = append(glue, c.en)
		}
		return strings.Join(glue, " ") + " " + Romanize("ال"+w[len(p.ar):])
	}
	return Romanize(w)
}

// maxGlossaryWords bounds a glossary entry, in words.
const maxGlossaryWords = 8

// arabicRun is the number of consecutive Arabic words from i, capped at
// the longest glossary entry worth trying.
func arabicRun(raw []rawToken, i int) int {
	n := 0
	for i+n < len(raw) && raw[i+n].kind == rawArabic && n < maxGlossaryWords {
		n++
	}
	return n
}

// phraseClitics are the proclitics allowed on the first word of a phrase
// or a glossary name.
var phraseClitics = []clitic{
	{"وب", "and in/with"}, {"ول", "and for/to"}, {"فب", "so in/with"}, {"فل", "so for/to"},
	{"وك", "and like"}, {"و", "and"}, {"ف", "so"}, {"ب", "in/with"}, {"ل", "for/to"}, {"ك", "like"},
}

// matchPhrase tries the longest multi-word headword at the start of run.
func (d *Dict) matchPhrase(run []rawToken, o Options) (Token, int, bool) {
	if o.NoPhrases && o.NoCore {
		return Token{}, 0, false
	}
	first := run[0].heavy
	for n := min(len(run), d.maxPhrase); n >= 2; n-- {
		words := make([]string, n)
		for k := range n {
			words[k] = run[k].heavy
		}
		for _, c := range append([]clitic{{}}, phraseClitics...) {
			w0, ok := strings.CutPrefix(first, c.ar)
			if !ok || runeCount(w0) < 2 {
				continue
			}
			if c.ar == "ل" && strings.HasPrefix(w0, "ل") {
				w0 = "ا" + w0 // لل = ل + ال
			}
			if !d.phraseStart[w0] {
				continue
			}
			words[0] = w0
			key := strings.Join(words, " ")
			e, ok := d.corePhrases[key]
			if o.NoCore || !ok {
				if o.NoPhrases {
					continue
				}
				if e, ok = d.phrases[key]; !ok {
					continue
				}
			}
			g := e.gloss
			if strings.HasPrefix(w0, "ال") && !e.name && !strings.HasPrefix(g, "the ") {
				g = "the " + g
			}
			if c.en != "" {
				g = c.en + " " + g
			}
			src := make([]string, n)
			for k := range n {
				src[k] = run[k].text
			}
			lemma := strings.ReplaceAll(key, " ", "_")
			if c.ar != "" {
				lemma = strings.Join(strings.Split(c.ar, ""), "+") + "+" + lemma
			}
			return Token{Source: strings.Join(src, " "), Gloss: g, Kind: KindDict, Lemma: lemma, Core: e.core}, n, true
		}
	}
	return Token{}, 0, false
}

// glossEntry is a glossary entry ready for matching.
type glossEntry struct {
	words  []string // heavy-normalized
	target string
}

func compileGlossary(g pipeline.Glossary) []glossEntry {
	var out []glossEntry
	for _, e := range g {
		if !hasArabic(e.Source) || strings.TrimSpace(e.Target) == "" {
			continue
		}
		var words []string
		for _, t := range tokenize(e.Source) {
			if t.kind == rawArabic {
				words = append(words, t.heavy)
			}
		}
		if len(words) == 0 {
			continue
		}
		out = append(out, glossEntry{words: words, target: strings.TrimSpace(e.Target)})
	}
	// Longest first, so "إسماعيل قآني" wins over "قآني".
	slices.SortStableFunc(out, func(a, b glossEntry) int { return cmp.Compare(len(b.words), len(a.words)) })
	return out
}

// matchGlossary tries the glossary at the start of run. The first word may carry a proclitic: وقآني → "and Esmail Qaani".
func matchGlossary(gl []glossEntry, run []rawToken) (Token, int, bool) {
	for _, e := range gl {
		n := len(e.words)
		if n > len(run) {
			continue
		}
		match := true
		for k := 1; k < n; k++ {
			if run[k].heavy != e.words[k] {
				match = false
				break
			}
		}
		if !match {
			continue
		}
		first := run[0].heavy
		for _, c := range append([]clitic{{}}, phraseClitics...) {
			w0, ok := strings.CutPrefix(first, c.ar)
			if !ok {
				continue
			}
			if c.ar == "ل" && strings.HasPrefix(w0, "ل") && strings.HasPrefix(e.words[0], "ال") {
				w0 = "ا" + w0
			}
			if w0 != e.words[0] {
				continue
			}
			g := e.target
			if c.en != "" {
				g = c.en + " " + g
			}
			src := make([]string, n)
			for k := range n {
				src[k] = run[k].text
			}
			return Token{Source: strings.Join(src, " "), Gloss: g, Kind: KindGlossary}, n, true
		}
	}
	return Token{}, 0, false
}

// Raw tokens.
const (
	rawArabic = iota + 1
	rawNumber
	rawLatin
	rawPunct
)

type rawToken struct {
	text  string
	norm  string // Arabic: light-normalized; number: ASCII digits
	heavy string // Arabic: heavy-normalized
	kind  int
}

func (t rawToken) token() Token {
	switch t.kind {
	case rawNumber:
		return Token{Source: t.text, Gloss: t.norm, Kind: KindNumber}
	case rawLatin:
		return Token{Source: t.text, Gloss: t.text, Kind: KindLatin}
	}
	return Token{Source: t.text, Gloss: latinPunct(t.text), Kind: KindPunct}
}

// tokenize splits text into Arabic words, numbers, Latin words and
// punctuation; white space separates and is dropped.
func tokenize(text string) []rawToken {
	var out []rawToken
	rs := []rune(text)
	for i := 0; i < len(rs); {
		r := rs[i]
		j := i + 1
		switch {
		case unicode.IsSpace(r) || r == 0x200C || r == 0x200D || r == 0x200F || r == 0x200E || r == 0xFEFF:
			i++
			continue
		case isArabicLetter(r):
			for j < len(rs) && (isArabicLetter(rs[j]) || rs[j] == 0x200C || rs[j] == 0x200D) {
				j++
			}
			src := string(rs[i:j])
			norm := lightNorm(src)
			if norm == "" { // a lone diacritic or tatweel
				out = append(out, rawToken{text: src, norm: src, kind: rawPunct})
			} else {
				out = append(out, rawToken{text: src, norm: norm, heavy: heavyNorm(norm), kind: rawArabic})
			}
		case digitValue(r) >= 0:
			for j < len(rs) {
				if digitValue(rs[j]) >= 0 {
					j++
					continue
				}
				if j+1 < len(rs) && strings.ContainsRune(".,٫٬:/", rs[j]) && digitValue(rs[j+1]) >= 0 {
					j += 2
					continue
				}
				break
			}
			out = append(out, rawToken{text: string(rs[i:j]), norm: asciiNumber(rs[i:j]), kind: rawNumber})
		case unicode.IsLetter(r):
			for j < len(rs) && (unicode.IsLetter(rs[j]) && !isArabicLetter(rs[j]) || unicode.IsMark(rs[j]) ||
				digitValue(rs[j]) >= 0 || (strings.ContainsRune("'-’", rs[j]) && j+1 < len(rs) && unicode.IsLetter(rs[j+1]) && !isArabicLetter(rs[j+1]))) {
				j++
			}
			out = append(out, rawToken{text: string(rs[i:j]), kind: rawLatin})
		default:
			out = append(out, rawToken{text: string(r), kind: rawPunct})
		}
		i = j
	}
	return out
}

func asciiNumber(rs []rune) string {
	var b strings.Builder
	for _, r := range rs {
		if v := digitValue(r); v >= 0 {
			b.WriteByte(byte('0' + v))
			continue
		}
		switch r {
		case '٫':
			b.WriteByte('.')
		case '٬':
			b.WriteByte(',')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// latinPunct maps Arabic punctuation to its Latin form.
func latinPunct(s string) string {
	switch s {
	case "،":
		return ","
	case "؛":
		return ";"
	case "؟":
		return "?"
	case "٪":
		return "%"
	case "«", "»":
		return `"`
	case "۔":
		return "."
	}
	return s
}

// join writes tokens as one line: words separated by spaces, punctuation
// attached the English way.
func join(toks []Token) string {
	var b strings.Builder
	quoteOpen := false
	noSpace := true // after an opening bracket or at the start
	for _, t := range toks {
		g := t.Gloss
		if g == "" {
			continue
		}
		attachLeft := false
		opens := false
		if t.Kind == KindPunct {
			r, _ := utf8.DecodeRuneInString(g)
			switch {
			case strings.ContainsRune(",.;:!?)]}%…", r) || t.Source == "»" || g == "”" || g == "’":
				attachLeft = true
			case strings.ContainsRune("([{“‘", r) || t.Source == "«":
				opens = true
			case g == `"`:
				if quoteOpen {
					attachLeft = true
				} else {
					opens = true
				}
				quoteOpen = !quoteOpen
			}
		}
		if !attachLeft && !noSpace {
			b.WriteByte(' ')
		}
		b.WriteString(g)
		noSpace = opens
	}
	return b.String()
}
