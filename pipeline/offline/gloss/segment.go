package gloss

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// Clitic segmentation. An Arabic written word is often several English
// words: وبالكتاب is wa+bi+al+kitab, "and with the book"; كتابهم is
// kitab+hum, "their book". When the whole word is not in the dictionary the
// segmenter tries proclitics (و ف, then ب ل ك or the future س, then the
// article ال) and one suffix (a pronoun, or a plural, dual, feminine or
// nisba ending), cheapest split first, and keeps the first split whose stem
// the dictionary knows.

// clitic is one proclitic with its English glue.
type clitic struct{ ar, en string }

var (
	conjs = []clitic{{"و", "and"}, {"ف", "so"}}
	preps = []clitic{{"ب", "in/with"}, {"ل", "for/to"}, {"ك", "like"}}
	fut   = clitic{"س", "will"}
	art   = clitic{"ال", "the"}
)

// suffix kinds.
const (
	sufPronoun = iota + 1
	sufPlural  // ات ون ين: regular plurals
	sufDual    // ان تان تين
	sufFem     // ة: the masculine form is in the dictionary
	sufNisba   // ي ية: adjective of relation (إيراني: Iranian)
	sufNisbaPl // يون يين
	sufAcc     // ا: the accusative tanween (عاماً, written عاما)
	sufVerbPl  // وا: third person plural of the past tense (قالوا)
)

type suffix struct {
	ar   string
	kind int
	// poss and obj are the English pronoun as a possessive ("their book")
	// and as an object ("from them").
	poss, obj string
}

// suffixes, longest first so that هما is tried before ها and ه.
var suffixes = func() []suffix {
	s := []suffix{
		{"هما", sufPronoun, "their", "them both"},
		{"كما", sufPronoun, "your", "you both"},
		{"ها", sufPronoun, "her", "her"},
		{"هم", sufPronoun, "their", "them"},
		{"هن", sufPronoun, "their", "them"},
		{"كم", sufPronoun, "your", "you"},
		{"كن", sufPronoun, "your", "you"},
		{"نا", sufPronoun, "our", "us"},
		{"ني", sufPronoun, "", "me"},
		{"ه", sufPronoun, "his", "him"},
		{"ك", sufPronoun, "your", "you"},
		{"ي", sufPronoun, "", "me"},
		{"ات", sufPlural, "", ""},
		{"ون", sufPlural, "", ""},
		{"ين", sufPlural, "", ""},
		{"تان", sufDual, "", ""},
		{"تين", sufDual, "", ""},
		{"ان", sufDual, "", ""},
		{"ة", sufFem, "", ""},
		{"يون", sufNisbaPl, "", ""},
		{"يين", sufNisbaPl, "", ""},
		{"ية", sufNisba, "", ""},
		{"ي", sufNisba, "", ""},
		{"ا", sufAcc, "", ""},
		{"وا", sufVerbPl, "", ""},
	}
	slices.SortStableFunc(s, func(a, b suffix) int { return len(b.ar) - len(a.ar) })
	return s
}()

// prefixSet is one sequence of proclitics and its written form.
type prefixSet struct {
	ar    string
	parts []clitic
	art   bool
	fut   bool
}

// prefixes lists every allowed proclitic sequence: [و|ف] [ب|ل|ك] [ال],
// with ل+ال written لل, and [و|ف] س for the future.
var prefixes = func() []prefixSet {
	var out []prefixSet
	for _, c := range append([]clitic{{}}, conjs...) {
		for _, p := range append([]clitic{{}}, preps...) {
			for _, a := range []bool{false, true} {
				var ps prefixSet
				for _, x := range []clitic{c, p} {
					if x.ar != "" {
						ps.parts = append(ps.parts, x)
						ps.ar += x.ar
					}
				}
				if a {
					ps.parts = append(ps.parts, art)
					ps.art = true
					if p.ar == "ل" {
						ps.ar += "ل" // ل + ال = لل
					} else {
						ps.ar += art.ar
					}
				}
				out = append(out, ps)
			}
		}
		out = append(out, prefixSet{ar: c.ar + fut.ar, parts: appendNonEmpty(c, fut), fut: true})
	}
	return out
}()

func appendNonEmpty(cs ...clitic) []clitic {
	var out []clitic
	for _, c := range cs {
		if c.ar != "" {
			out = append(out, c)
		}
	}
	return out
}

// analysis is one way to read a word.
type analysis struct {
	pre      prefixSet
	suf      suffix // zero when none
	stem     string // the key that matched
	implicit bool   // matched as ال+stem though the word had no article
	e        entry
	cost     int
}

// segCandidate is a split waiting to be looked up.
type segCandidate struct {
	pre      prefixSet
	suf      suffix
	stem     string
	implicit bool
	cost     int
}

// candidates lists the splits of a light-normalized word, cheapest first.
// The whole word itself is not among them.
func candidates(w string) []segCandidate {
	var out []segCandidate
	n := runeCount(w)
	add := func(pre prefixSet, suf suffix, stem string, extra int) {
		if stem == "" {
			return
		}
		cost := 10*(n-runeCount(stem)) + extra
		if stem != w || pre.ar != "" || suf.ar != "" {
			out = append(out, segCandidate{pre: pre, suf: suf, stem: stem, cost: cost})
		}
		if !pre.art && suf.kind != sufPronoun && !strings.HasPrefix(stem, "ال") {
			// FreeDict lists many nouns only with the article (الحكومة,
			// الشركة): trying that costs less than stripping a letter.
			out = append(out, segCandidate{pre: pre, suf: suf, stem: "ال" + stem, implicit: true, cost: cost + 1})
		}
	}
	for _, pre := range prefixes {
		if !strings.HasPrefix(w, pre.ar) {
			continue
		}
		rest := w[len(pre.ar):]
		if runeCount(rest) < 2 {
			continue
		}
		if pre.fut && !startsImperfect(rest) {
			continue
		}
		if (pre.ar == "ف" || pre.ar == "ك") && runeCount(rest) < 4 {
			continue // فيلم is not ف+يلم, كافة not ك+افة
		}
		pc := prefixCost(pre)
		add(pre, suffix{}, rest, pc)
		for _, s := range suffixes {
			if !strings.HasSuffix(rest, s.ar) {
				continue
			}
			stem := rest[:len(rest)-len(s.ar)]
			if runeCount(stem) < 2 {
				continue
			}
			switch s.kind {
			case sufPronoun:
				if pre.art {
					continue // no article before a possessive
				}
				if r, ok := strings.CutSuffix(stem, "ي"); ok {
					add(pre, s, r+"ى", pc) // عليه → على+ه, before علي (Ali)
				}
				add(pre, s, stem, pc+1)
				if r, ok := strings.CutSuffix(stem, "ت"); ok {
					add(pre, s, r+"ة", pc+1) // كتابته → كتابة+ه
				}
				if r, ok := strings.CutSuffix(stem, "ا"); ok {
					add(pre, s, r+"ى", pc+1) // مستواه → مستوى+ه
				}
			case sufPlural, sufDual:
				add(pre, s, stem, pc+2)
				if s.ar == "ات" || s.ar == "تان" || s.ar == "تين" {
					add(pre, s, stem+"ة", pc+1)
				} else {
					add(pre, s, stem+"ة", pc+4) // ان/ين on a feminine stem
				}
			case sufFem:
				add(pre, s, stem, pc)
			case sufAcc:
				// The accusative tanween marks an indefinite noun: never
				// after the article, and rarer than any other ending.
				if !pre.art && !strings.HasPrefix(stem, "ال") {
					add(pre, s, stem, pc+8)
				}
			case sufVerbPl:
				if !pre.art {
					add(pre, s, stem, pc+2)
				}
			case sufNisba, sufNisbaPl:
				add(pre, s, stem, pc+3)
			}
		}
	}
	slices.SortStableFunc(out, func(a, b segCandidate) int { return a.cost - b.cost })
	return out
}

// prefixCost makes the rarer proclitics dearer: ك (like) and ف (so) begin
// many words of their own (كبيرة is not ك+بيرة), و and ب far fewer.
func prefixCost(p prefixSet) int {
	c := 0
	for _, x := range p.parts {
		switch x.ar {
		case "ك":
			c += 8
		case "ف":
			c += 5
		case "س":
			c += 3
		}
	}
	return c
}

// startsImperfect reports an imperfect-verb prefix, which the future س
// must precede (سيقول).
func startsImperfect(s string) bool {
	for _, p := range []string{"ي", "ت", "ن", "أ"} {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

func runeCount(s string) int { return utf8.RuneCountInString(s) }

// analyze finds the most plausible reading of one light-normalized word:
// the word whole, then its splits cheapest first. ok is false when nothing
// matches.
func (d *Dict) analyze(w string, o Options) (analysis, bool) {
	if e, ok := d.lookup(w, !o.NoCore); ok {
		return analysis{stem: w, e: e}, true
	}
	if o.NoSegment {
		return analysis{}, false
	}
	for _, c := range candidates(w) {
		e, ok := d.lookup(c.stem, !o.NoCore)
		if !ok {
			continue
		}
		minLen := 3
		if e.core {
			minLen = 2
		}
		n := runeCount(c.stem)
		if strings.HasPrefix(c.stem, "ال") {
			n -= 2 // بالين is not ب+الين (the yen)
		}
		if n < minLen {
			continue
		}
		if c.suf.kind == sufPronoun && c.suf.poss == "" && !e.prep {
			continue // ي/ني on a noun is far more often a nisba or a verb
		}
		return analysis{pre: c.pre, suf: c.suf, stem: c.stem, implicit: c.implicit, e: e, cost: c.cost}, true
	}
	return analysis{}, false
}

// render writes an analysis in English: proclitic glue, a possessive, the
// stem's gloss (inflected), an object pronoun.
func (a analysis) render() string {
	var parts []string
	for _, c := range a.pre.parts {
		if c == art {
			continue // placed below, where it is known whether it is needed
		}
		parts = append(parts, c.en)
	}
	g := a.e.gloss
	switch a.suf.kind {
	case sufPlural:
		g = pluralize(g)
	case sufDual:
		g = "two " + pluralize(g)
	case sufNisba:
		g = nisba(g)
	case sufNisbaPl:
		g = pluralize(nisba(g))
	case sufVerbPl:
		g = "they " + g
	}
	if a.suf.kind == sufPronoun && !a.e.prep && a.suf.poss != "" {
		g = a.suf.poss + " " + g
	}
	if a.hasArticle() && !(a.e.core && !a.pre.art) {
		// A construct form ("government of") loses its "of" after the
		// article: للحكومة is "for the government".
		g = strings.TrimSuffix(g, " of")
		adjective := a.suf.kind == sufNisba || a.suf.kind == sufNisbaPl
		if (adjective || !a.e.name) && !strings.HasPrefix(g, "the ") && !strings.HasPrefix(g, "of ") {
			g = "the " + g
		}
	}
	parts = append(parts, g)
	if a.suf.kind == sufPronoun && (a.e.prep || a.suf.poss == "") {
		parts = append(parts, a.suf.obj)
	}
	return strings.Join(parts, " ")
}

// hasArticle reports an article in the word, split off as a proclitic or
// part of the headword that matched (FreeDict has الكتاب as a headword).
func (a analysis) hasArticle() bool {
	return a.pre.art || (!a.implicit && strings.HasPrefix(a.stem, "ال") && runeCount(a.stem) > 3)
}

// lemma shows the split: "و+ب+ال+كتاب+هم".
func (a analysis) lemma() string {
	var parts []string
	for _, c := range a.pre.parts {
		parts = append(parts, c.ar)
	}
	stem := a.stem
	if a.implicit {
		stem = strings.TrimPrefix(stem, "ال")
	} else if a.hasArticle() && !a.pre.art && !a.e.core {
		parts = append(parts, "ال")
		stem = strings.TrimPrefix(stem, "ال")
	}
	parts = append(parts, stem)
	if a.suf.ar != "" {
		parts = append(parts, a.suf.ar)
	}
	return strings.Join(parts, "+")
}

// pluralize makes a rough English plural of a gloss's last word.
func pluralize(g string) string {
	if g == "" || strings.HasSuffix(g, "s") {
		return g
	}
	head, last := "", g
	if i := strings.LastIndexByte(g, ' '); i >= 0 {
		head, last = g[:i+1], g[i+1:]
	}
	switch {
	case strings.HasSuffix(last, "ch"), strings.HasSuffix(last, "sh"), strings.HasSuffix(last, "x"), strings.HasSuffix(last, "z"):
		last += "es"
	case strings.HasSuffix(last, "y") && len(last) > 1 && !strings.ContainsAny(last[len(last)-2:len(last)-1], "aeiou"):
		last = last[:len(last)-1] + "ies"
	default:
		last += "s"
	}
	return head + last
}

// nisba makes a rough English adjective of relation: Iran → Iranian,
// Syria → Syrian, history → historic(al) is beyond it ("history-ian" is
// avoided by marking common nouns "of history").
func nisba(g string) string {
	if g == "" {
		return g
	}
	if first := []rune(g)[0]; first < 'A' || first > 'Z' {
		return "of " + g
	}
	switch {
	case strings.HasSuffix(g, "a"):
		return g + "n"
	case strings.HasSuffix(g, "e"), strings.HasSuffix(g, "y"), strings.HasSuffix(g, "i"):
		return g[:len(g)-1] + "ian"
	case strings.HasSuffix(g, "q"):
		return g + "i"
	}
	return g + "ian"
}
