// Package clean separates a scraped news article into title, dateline, body
// and trailing page furniture (source line, the page's keyword tags, related
// headlines, share/copyright lines). Nothing is thrown away: what leaves the
// body is returned in Cleaned.Dropped, and the page's tags are kept as
// metadata because they are the publisher's own keywords.
//
// Entry point: New().Clean(doc). It implements pipeline.Cleaner.
package clean

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tarjama/tarjama/pipeline"
)

// Cleaner is rule-based and stateless; the zero value is ready to use.
type Cleaner struct{}

// New returns a Cleaner.
func New() *Cleaner { return &Cleaner{} }

var _ pipeline.Cleaner = (*Cleaner)(nil)

var (
	// Lines that introduce the page's keyword tags.
	tagMarkers = []string{"كلمات مفتاحية", "الكلمات المفتاحية", "كلمات دالة", "الكلمات الدالة", "وسوم", "الوسوم", "tags", "keywords", "mots-clés", "mots clés"}
	// Lines that introduce related stories.
	relatedMarkers = []string{"اقرأ أيضا", "اقرأ أيضاً", "إقرأ أيضا", "إقرأ أيضاً", "مواضيع ذات صلة", "مقالات ذات صلة", "أخبار ذات صلة", "شاهد أيضا", "شاهد أيضاً", "read more", "related", "related articles", "related stories", "lire aussi", "à lire aussi", "sur le même sujet"}
	sourceRE       = regexp.MustCompile(`^(المصدر|مصدر|source|sources|ﺍﻟﻤﺼﺪﺭ)\s*[|:：\-–]`)
	boilerRE       = regexp.MustCompile(`(?i)^(©|جميع الحقوق محفوظة|all rights reserved|share (this|on)|شارك(ها)? (على|عبر)|تابعونا|follow us|subscribe|اشترك في|advertisement|إعلان)`)
	timeRE         = regexp.MustCompile(`\b\d{1,2}:\d{2}\b`)
	yearRE         = regexp.MustCompile(`\b(19|20)\d{2}\b`)
	dateWords      = []string{
		"يناير", "فبراير", "مارس", "أبريل", "ابريل", "إبريل", "مايو", "يونيو", "يوليو", "أغسطس", "اغسطس", "سبتمبر", "أكتوبر", "اكتوبر", "نوفمبر", "ديسمبر",
		"كانون", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول", "تشرين",
		"السبت", "الأحد", "الاثنين", "الإثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة",
		"january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
		"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
		"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre",
		"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "updated", "published", "تحديث", "نشر في",
	}
)

// Clean splits doc into its parts.
func (Cleaner) Clean(doc pipeline.Document) pipeline.Cleaned {
	paras := pipeline.SplitParagraphs(doc.Text)
	var out pipeline.Cleaned
	out.Title = strings.TrimSpace(doc.Title)

	// Head: a title line (when the input has no title field) and a dateline.
	if len(paras) > 1 && out.Title == "" && looksLikeTitle(paras[0]) {
		out.Title, paras = paras[0], paras[1:]
	} else if len(paras) > 1 && out.Title != "" && sameText(paras[0], out.Title) {
		paras = paras[1:]
	}
	for i := 0; i < 2 && i < len(paras)-1; i++ {
		if looksLikeDateline(paras[i]) {
			out.Dateline = paras[i]
			paras = append(paras[:i:i], paras[i+1:]...)
			break
		}
	}

	// Tail: everything from the first trailing marker on is page furniture.
	cut := len(paras)
	for i := len(paras) - 1; i >= len(paras)/2 && i > 0; i-- {
		if isSourceLine(paras[i]) || isMarker(paras[i], tagMarkers) != "" || isMarker(paras[i], relatedMarkers) != "" {
			cut = i
		}
	}
	body, tail := paras[:cut], paras[cut:]
	bodyText := strings.Join(body, "\n")
	mode := "related_headline"
	for _, p := range tail {
		switch {
		case isSourceLine(p):
			out.SourceLine = p
			out.Dropped = append(out.Dropped, pipeline.Dropped{Kind: "source_line", Text: p})
			mode = "related_headline"
		case isMarker(p, tagMarkers) != "":
			rest := isMarker(p, tagMarkers)
			out.Dropped = append(out.Dropped, pipeline.Dropped{Kind: "tags", Text: p})
			mode = "tags"
			if rest != p && strings.TrimSpace(rest) != "" {
				out.Tags = append(out.Tags, splitTags(rest, bodyText, out.Title)...)
				mode = "related_headline"
			}
		case isMarker(p, relatedMarkers) != "":
			out.Dropped = append(out.Dropped, pipeline.Dropped{Kind: "related_marker", Text: p})
			mode = "related_headline"
		case mode == "tags":
			out.Tags = append(out.Tags, splitTags(p, bodyText, out.Title)...)
			out.Dropped = append(out.Dropped, pipeline.Dropped{Kind: "tags", Text: p})
			mode = "related_headline"
		default:
			out.Dropped = append(out.Dropped, pipeline.Dropped{Kind: mode, Text: p})
		}
	}

	// Share/copyright lines anywhere in the body.
	for _, p := range body {
		if isBoilerplate(p) {
			out.Dropped = append(out.Dropped, pipeline.Dropped{Kind: "boilerplate", Text: p})
			continue
		}
		out.Paragraphs = append(out.Paragraphs, p)
	}
	if out.Paragraphs == nil {
		out.Paragraphs = []string{}
	}
	return out
}

func sameText(a, b string) bool {
	return strings.Join(strings.Fields(a), " ") == strings.Join(strings.Fields(b), " ")
}

func wordCount(s string) int { return len(strings.Fields(s)) }

// looksLikeTitle: a short single line that does not end like a sentence.
func looksLikeTitle(p string) bool {
	if strings.Contains(p, "\n") || wordCount(p) > 25 || wordCount(p) == 0 {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(strings.TrimSpace(p))
	return r != '.' && r != ':' && r != '،' && r != ','
}

func looksLikeDateline(p string) bool {
	if wordCount(p) > 14 || strings.Contains(p, "\n") {
		return false
	}
	score := 0
	if timeRE.MatchString(p) {
		score++
	}
	if yearRE.MatchString(p) {
		score++
	}
	lp := strings.ToLower(p)
	for _, w := range dateWords {
		if containsWord(lp, w) {
			score++
			break
		}
	}
	return score >= 2
}

func containsWord(s, w string) bool {
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsMark(r) }) {
		if f == w {
			return true
		}
	}
	return false
}

func isSourceLine(p string) bool {
	return wordCount(p) <= 20 && sourceRE.MatchString(strings.ToLower(strings.TrimSpace(p)))
}

func isBoilerplate(p string) bool {
	return wordCount(p) <= 15 && boilerRE.MatchString(strings.TrimSpace(p))
}

// isMarker reports whether p starts with one of markers; it returns what
// follows the marker (p itself when the marker is the whole line, "" when p
// is not a marker).
func isMarker(p string, markers []string) string {
	t := strings.TrimSpace(p)
	lt := strings.ToLower(t)
	for _, m := range markers {
		if !strings.HasPrefix(lt, m) {
			continue
		}
		rest := strings.TrimLeft(t[len(m):], " :：|-–\t")
		if rest == "" {
			return p
		}
		// "Related: ..." on one line; but not a sentence that merely starts
		// with the word.
		if len(t) > len(m) && strings.ContainsAny(t[len(m):len(m)+1], ":：|") {
			return rest
		}
	}
	return ""
}

// splitTags splits a tag line. Pages join multi-word tags with spaces
// ("فيلق القدس الكاظمي العراق"), so when no separator is present the words
// are grouped greedily into the longest runs that occur in the article.
func splitTags(line, body, title string) []string {
	line = strings.TrimSpace(line)
	for _, sep := range []string{"،", ",", "|", "#", "؛", ";", "\n", "\t", " - "} {
		if strings.Contains(line, sep) {
			var out []string
			for _, t := range strings.Split(line, sep) {
				if t = strings.TrimSpace(strings.Trim(t, "#")); t != "" {
					out = append(out, t)
				}
			}
			return out
		}
	}
	words := strings.Fields(line)
	hay := " " + strings.Join(strings.Fields(body+" "+title), " ") + " "
	var out []string
	for i := 0; i < len(words); {
		j := i + 1
		for k := len(words); k > i+1; k-- {
			if strings.Contains(hay, " "+strings.Join(words[i:k], " ")) {
				j = k
				break
			}
		}
		out = append(out, strings.Join(words[i:j], " "))
		i = j
	}
	return out
}
