package brief

import (
	"net/url"
	"path/filepath"
	"strings"
	"time"
	"unicode"

	"github.com/tarjama/tarjama/pipeline"
	"github.com/tarjama/tarjama/pipeline/text"
)

// article is one usable result with what the briefing needs from it.
type article struct {
	idx int // input order
	n   int // source number, set after grouping
	res *pipeline.Result

	lang    string // original language
	title   string // original title
	titleEn string // English title, "" when none
	outlet  string
	date    string // YYYY-MM-DD or the input string when unparsable
	when    time.Time

	// body is the best text for grouping and numbers: the translation, the
	// English original, the gloss or the original, in that order.
	body     string
	bodyLang string

	// summary is the per-article summary (the map step) split into
	// sentences, in summaryLang; glosses line up with it when the gloss has
	// the same number of sentences.
	summary     []string
	summaryLang string
	glosses     []string
	glossAll    string
}

func baseLang(l string) string {
	b, _, _ := strings.Cut(strings.ReplaceAll(l, "_", "-"), "-")
	return strings.ToLower(b)
}

func isEnglish(l string) bool { return baseLang(l) == "en" }

// newArticle extracts what the briefing uses from r; ok is false when r has
// neither a summary nor any text.
func newArticle(idx int, r *pipeline.Result) (*article, bool) {
	a := &article{idx: idx, res: r, lang: r.Language.Lang, title: strings.TrimSpace(r.Clean.Title)}
	if a.lang == "" || a.lang == "und" {
		a.lang = guessLang(a.title + " " + strings.Join(r.Clean.Paragraphs, " "))
	}
	tr := r.Translation
	switch {
	case isEnglish(a.lang):
		a.titleEn = a.title
		a.body, a.bodyLang = strings.Join(r.Clean.Paragraphs, "\n"), "en"
	case tr != nil && tr.Kind == "translation" && len(tr.Paragraphs) > 0:
		a.titleEn = strings.TrimSpace(tr.Title)
		a.body, a.bodyLang = strings.Join(tr.Paragraphs, "\n"), baseLang(tr.Lang)
	case tr != nil && tr.Kind == "gloss" && len(tr.Paragraphs) > 0:
		a.body, a.bodyLang = strings.Join(tr.Paragraphs, "\n"), "en-gloss"
	default:
		a.body, a.bodyLang = strings.Join(r.Clean.Paragraphs, "\n"), baseLang(a.lang)
	}
	if a.bodyLang == "" {
		a.bodyLang = "en"
	}
	if s := r.Summary; s != nil {
		a.summaryLang = baseLang(s.Lang)
		if a.summaryLang == "" {
			a.summaryLang = baseLang(a.lang)
		}
		if len(s.Bullets) > 0 {
			a.summary = trimAll(s.Bullets)
		} else {
			a.summary = sentences(s.Text)
		}
		if s.Gloss != "" {
			if g := sentences(s.Gloss); len(g) == len(a.summary) {
				a.glosses = g
			} else {
				// The gloss does not split like the summary (it is word by
				// word, without the capitals that mark sentences): it is
				// shown whole under the article's line.
				a.glossAll = clip(strings.TrimSpace(s.Gloss), 400)
			}
		}
	}
	if len(a.summary) == 0 {
		// No summary: the lead of the best text stands in for it.
		lead := firstN(sentences(a.body), 2)
		if a.bodyLang == "en-gloss" || len(lead) == 0 {
			lead, a.summaryLang = firstN(sentences(strings.Join(r.Clean.Paragraphs, "\n")), 2), baseLang(a.lang)
		} else {
			a.summaryLang = a.bodyLang
		}
		a.summary = lead
	}
	if len(a.summary) == 0 && a.title == "" {
		return nil, false
	}
	a.outlet = outletOf(r)
	a.date, a.when = parseDate(r.Published)
	return a, true
}

// displayTitle is the English title when there is one, else the original.
func (a *article) displayTitle() (string, string) {
	if a.titleEn != "" {
		return a.titleEn, "en"
	}
	if a.title != "" {
		return a.title, baseLang(a.lang)
	}
	return a.res.ID, "en"
}

func trimAll(ss []string) []string {
	var out []string
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func firstN(ss []string, n int) []string {
	if len(ss) > n {
		return ss[:n]
	}
	return ss
}

func sentences(s string) []string {
	var out []string
	for _, sp := range text.Sentences(s) {
		out = append(out, sp.In(s))
	}
	return out
}

// guessLang is a script test for results that lack a detected language.
func guessLang(s string) string {
	ar, lat := 0, 0
	for _, r := range s {
		switch {
		case text.IsArabic(r):
			ar++
		case unicode.IsLetter(r) && r < 0x250:
			lat++
		}
	}
	if ar > lat {
		return "ar"
	}
	return "en"
}

// outletOf names the publisher: from the article's source line
// ("المصدر | الخليج الجديد + ميدل إيست آي", "Source: Reuters"), else the
// URL's host, else the file name.
func outletOf(r *pipeline.Result) string {
	if s := strings.TrimSpace(r.Clean.SourceLine); s != "" {
		for _, sep := range []string{"|", ":", "：", "-"} {
			if head, tail, ok := strings.Cut(s, sep); ok && isSourceWord(head) {
				s = strings.TrimSpace(tail)
				break
			}
		}
		if s != "" {
			return s
		}
	}
	if r.URL != "" {
		if u, err := url.Parse(r.URL); err == nil && u.Hostname() != "" {
			return strings.TrimPrefix(u.Hostname(), "www.")
		}
	}
	if r.Source != "" {
		return filepath.Base(r.Source)
	}
	return ""
}

func isSourceWord(s string) bool {
	switch text.Normalize(strings.TrimSpace(s)) {
	case "المصدر", "مصدر", "source", "sources", "المصادر":
		return true
	}
	return false
}

var dateLayouts = []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02", "2006/01/02", "02/01/2006", time.RFC1123Z, time.RFC1123}

// parseDate returns the date as YYYY-MM-DD when it parses, else the input.
func parseDate(s string) (string, time.Time) {
	s = strings.TrimSpace(s)
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.Format("2006-01-02"), t
		}
	}
	return s, time.Time{}
}
