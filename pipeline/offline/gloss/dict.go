package gloss

import (
	"context"
	"fmt"
	"os"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Dict is a loaded Arabic-English dictionary, indexed for word-by-word
// glossing. It is safe for concurrent use once Open returns.
type Dict struct {
	// Name is the dictionary's base name ("freedict-ara-eng").
	Name string
	// Index and Data are the files it was read from.
	Index, Data string
	// Headwords counts the distinct headwords read.
	Headwords int

	light map[string]entry // light-normalized single word → entry
	// heavy holds the heavy forms of the words whose spelling it changes
	// (أخبار under اخبار); a plain spelling is its own heavy form.
	heavy   map[string]entry
	phrases map[string]entry // heavy-normalized words joined by " " → entry
	// maxPhrase is the longest phrase, in words.
	maxPhrase int

	// The built-in function-word table (core.go), consulted first.
	coreLight, coreHeavy, corePhrases map[string]entry
	// phraseStart holds the first words of all phrases, to skip the
	// phrase lookups quickly at most words.
	phraseStart map[string]bool
}

// entry is what a lookup returns: the chosen English gloss.
type entry struct {
	gloss string
	// name: the gloss is a proper noun (it sounds like the Arabic), so it
	// keeps its capital and takes no "the".
	name bool
	// prep: a preposition or a verb, whose pronoun suffix is an object
	// ("from them"), not a possessive.
	prep bool
	core bool // from the built-in function-word table
}

// Open reads a dictd dictionary. path is the .index file, the .dict or
// .dict.dz file, or a directory holding them; an empty path means Find().
// A missing dictionary yields an error matching ErrNoDictionary; unreadable
// data yields a *CorruptError (errors.Is(err, ErrCorrupt)).
func Open(ctx context.Context, path string) (*Dict, error) {
	if path == "" {
		p, ok := Find()
		if !ok {
			return nil, ErrNoDictionary
		}
		path = p
	}
	f, err := resolve(path)
	if err != nil {
		return nil, err
	}
	data, err := readData(ctx, f.data)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ib, err := os.ReadFile(f.index)
	if err != nil {
		return nil, fmt.Errorf("dictionary: %w", err)
	}
	idx, err := parseIndex(f.index, ib, len(data))
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	d := build(idx, data, sharedRanker())
	d.Index, d.Data = f.index, f.data
	d.Name = strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(baseName(f.index), ".index"), ".dict"), ".dz")
	if d.Headwords == 0 {
		return nil, &CorruptError{File: f.index, Msg: "no Arabic headwords"}
	}
	return d, nil
}

func baseName(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}

// maxPhraseWords bounds multi-word lookups; longer dictionary headwords
// are definitions more than phrases met in running text.
const maxPhraseWords = 4

// best is the winning sense of a key so far.
type best struct {
	sense    string
	score    int
	headword string // of the entry the sense came from, for the name test
}

// build indexes the entries: for every key, all senses of all entries with
// that key compete and the most usual English word wins (the earliest on a
// tie).
func build(idx []indexEntry, data []byte, rk ranker) *Dict {
	light := make(map[string]best, len(idx))
	heavy := make(map[string]best, len(idx))
	phr := map[string]best{}
	scores := make(map[string]int, len(idx))
	d := &Dict{}
	seen := make(map[string]bool, len(idx))
	offer := func(m map[string]best, key, hw, sense string, score int) {
		if b, ok := m[key]; !ok || score < b.score {
			m[key] = best{sense: sense, score: score, headword: hw}
		}
	}
	for _, e := range idx {
		hw := strings.TrimSpace(e.headword)
		if strings.HasPrefix(hw, "00database") || strings.HasPrefix(hw, "00-database") || !hasArabic(hw) {
			continue
		}
		senses := parseSenses(data[e.off : e.off+e.length])
		if len(senses) == 0 {
			continue
		}
		words := strings.Fields(lightNorm(hw))
		if len(words) == 0 {
			continue
		}
		if !seen[hw] {
			seen[hw] = true
			d.Headwords++
		}
		var lk, hk string
		if len(words) == 1 {
			lk, hk = words[0], heavyNorm(words[0])
		} else {
			for i, w := range words {
				words[i] = heavyNorm(w)
			}
			hk = strings.Join(words, " ")
			d.maxPhrase = max(d.maxPhrase, len(words))
		}
		for _, sense := range senses {
			sc, ok := scores[sense]
			if !ok {
				sc = rk.score(sense)
				scores[sense] = sc
			}
			if lk != "" {
				offer(light, lk, hw, sense, sc)
				if hk != lk { // plain spellings are found in light by their heavy form
					offer(heavy, hk, hw, sense, sc)
				}
			} else {
				offer(phr, hk, hw, sense, sc)
			}
		}
	}
	made := make(map[best]entry, len(light))
	choose := func(m map[string]best) map[string]entry {
		out := make(map[string]entry, len(m))
		for k, b := range m {
			b.score = 0
			e, ok := made[b]
			if !ok {
				e = makeEntry(b.headword, b.sense, rk)
				made[b] = e
			}
			out[k] = e
		}
		return out
	}
	d.light, d.heavy, d.phrases = choose(light), choose(heavy), choose(phr)
	d.coreLight, d.coreHeavy, d.corePhrases = coreTables()
	d.maxPhrase = min(max(d.maxPhrase, 2), maxPhraseWords)
	d.phraseStart = map[string]bool{}
	for _, m := range []map[string]entry{d.phrases, d.corePhrases} {
		for k := range m {
			first, _, _ := strings.Cut(k, " ")
			d.phraseStart[first] = true
		}
	}
	return d
}

// makeEntry decides the case of a gloss. Dictionary senses are all
// capitalized, so a one-word sense keeps its capital only when it is a name:
// when the English vocabulary writes it capitalized (Iraq, American), or,
// for words it does not know, when it sounds like the Arabic headword
// (إيران → Iran).
func makeEntry(headword, sense string, rk ranker) entry {
	if strings.IndexByte(sense, ' ') < 0 && strings.IndexByte(sense, '-') < 0 {
		// The vocabulary alone over-reports names (" Tiger" outranks
		// " tiger"), so a word it also knows in lower case must sound like
		// the Arabic too.
		name, known := rk.name(sense)
		if !known || (name && rk.hasLower(sense)) {
			name = soundsLike(headword, sense)
		}
		if name {
			return entry{gloss: sense, name: true}
		}
	}
	if isAcronym(sense) {
		return entry{gloss: sense}
	}
	return entry{gloss: lowerFirst(sense)}
}

func isAcronym(s string) bool {
	n := 0
	for _, r := range s {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsUpper(r) {
			n++
		}
	}
	return n >= 2
}

func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError || !unicode.IsUpper(r) {
		return s
	}
	// Keep "I" and words whose second letter is upper-case (acronyms).
	if rest := s[n:]; rest != "" {
		r2, _ := utf8.DecodeRuneInString(rest)
		if unicode.IsUpper(r2) {
			return s
		}
	}
	return string(unicode.ToLower(r)) + s[n:]
}

// parseSenses reads one dictd entry as FreeDict writes it: the headword
// line ("الكتاب /ʔalkitˈaːb/"), then either one sense on its own line or
// numbered senses ("1. Book"). Each sense is trimmed to a short gloss: notes
// in brackets dropped, cut at the first ";" or ",", at most five words.
func parseSenses(b []byte) []string {
	s := string(b)
	nl := strings.IndexByte(s, '\n')
	if nl < 0 {
		return nil
	}
	s = s[nl+1:]
	var out []string
	for s != "" {
		var l string
		if i := strings.IndexByte(s, '\n'); i >= 0 {
			l, s = s[:i], s[i+1:]
		} else {
			l, s = s, ""
		}
		l = strings.TrimSpace(trimSenseNumber(strings.TrimSpace(l)))
		if l == "" || l[0] == '/' {
			continue
		}
		if g := shortGloss(l); g != "" {
			out = append(out, g)
		}
	}
	return out
}

// trimSenseNumber drops a leading "12. ".
func trimSenseNumber(l string) string {
	i := 0
	for i < len(l) && l[i] >= '0' && l[i] <= '9' {
		i++
	}
	if i > 0 && i < len(l) && l[i] == '.' {
		return l[i+1:]
	}
	return l
}

func shortGloss(s string) string {
	if strings.ContainsAny(s, "([<") {
		s = dropBrackets(s)
	}
	if i := strings.IndexAny(s, ";,"); i >= 0 {
		s = s[:i]
	}
	s = strings.TrimSpace(s)
	if strings.Count(s, " ") >= 5 || strings.ContainsAny(s, "\t\r") {
		f := strings.Fields(s)
		if len(f) > 5 {
			f = f[:5]
		}
		s = strings.Join(f, " ")
	}
	if !utf8.ValidString(s) || !hasLetter(s) {
		return ""
	}
	return s
}

// dropBrackets removes bracketed notes: "Bank (of a river)" → "Bank".
func dropBrackets(s string) string {
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch r {
		case '(', '[', '<':
			depth++
			continue
		case ')', ']', '>':
			if depth > 0 {
				depth--
				continue
			}
		}
		if depth == 0 {
			b.WriteRune(r)
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

func hasArabic(s string) bool {
	for _, r := range s {
		if isArabicLetter(r) {
			return true
		}
	}
	return false
}

// lookup finds a single normalized word: the built-in table, then the
// dictionary, first by the light form, then by the heavy one.
func (d *Dict) lookup(w string, useCore bool) (entry, bool) {
	if useCore {
		if e, ok := d.coreLight[w]; ok {
			return e, true
		}
	}
	if e, ok := d.light[w]; ok {
		return e, true
	}
	h := heavyNorm(w)
	if useCore {
		if e, ok := d.coreHeavy[h]; ok {
			return e, true
		}
	}
	if e, ok := d.heavy[h]; ok {
		return e, true
	}
	e, ok := d.light[h]
	return e, ok
}
