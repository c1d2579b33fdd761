package brief

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode"

	"github.com/tarjama/tarjama/pipeline"
	"github.com/tarjama/tarjama/pipeline/text"
)

// WriteJSON writes b as indented JSON (schema tarjama.brief/v1, documented
// in the README).
func WriteJSON(w io.Writer, b *Briefing) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(b); err != nil {
		return fmt.Errorf("writing the briefing as JSON: %w", err)
	}
	return nil
}

// ReadResults reads pipeline results, one JSON object per line, as `tarjama
// run` and `tarjama batch` write them. Blank lines are skipped; a line that
// is not a result is an error naming the line. When an id appears again (a
// batch resumed with failed documents retried appends a new record), the
// later record replaces the earlier one in its place.
func ReadResults(r io.Reader) ([]pipeline.Result, error) {
	var out []pipeline.Result
	at := map[string]int{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 64<<20)
	line := 0
	for sc.Scan() {
		line++
		b := strings.TrimSpace(sc.Text())
		if b == "" {
			continue
		}
		var res pipeline.Result
		if err := json.Unmarshal([]byte(b), &res); err != nil {
			return nil, fmt.Errorf("line %d is not a tarjama result: %w", line, err)
		}
		if res.ID == "" && len(res.Clean.Paragraphs) == 0 && res.Summary == nil {
			return nil, fmt.Errorf("line %d is not a tarjama result: no id, text or summary", line)
		}
		if i, ok := at[res.ID]; ok && res.ID != "" {
			out[i] = res
			continue
		}
		at[res.ID] = len(out)
		out = append(out, res)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading results after line %d: %w", line, err)
	}
	return out, nil
}

// citeText writes citations as "[1, 3]".
func citeText(cites []int) string {
	if len(cites) == 0 {
		return ""
	}
	parts := make([]string, len(cites))
	for i, c := range cites {
		parts[i] = fmt.Sprint(c)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// flagText explains a statement's flags to the reader.
func flagText(flags []string) string {
	var parts []string
	for _, f := range flags {
		switch {
		case f == "uncited":
			parts = append(parts, "no source cited")
		case strings.HasPrefix(f, "unknown_source:"):
			parts = append(parts, "cited ["+strings.TrimPrefix(f, "unknown_source:")+"], which is not a source")
		default:
			parts = append(parts, f)
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "⚠ unverified: " + strings.Join(parts, "; ")
}

// dirOf is the HTML dir attribute for a text: "rtl" when it is mostly in a
// right-to-left script, "auto" when it mixes scripts, "" when it is
// left-to-right.
func dirOf(s string) string {
	rtl, ltr := 0, 0
	for _, r := range s {
		switch {
		case isRTL(r):
			rtl++
		case unicode.IsLetter(r):
			ltr++
		}
	}
	switch {
	case rtl == 0:
		return ""
	case ltr == 0 || rtl >= 4*ltr:
		return "rtl"
	}
	return "auto"
}

func isRTL(r rune) bool {
	return text.IsArabic(r) || unicode.Is(unicode.Hebrew, r) || unicode.Is(unicode.Syriac, r) || unicode.Is(unicode.Thaana, r)
}

// langName is the human name of a language code in the source list.
func langName(l string) string {
	switch baseLang(l) {
	case "ar":
		return "Arabic"
	case "en":
		return "English"
	case "fr":
		return "French"
	case "fa":
		return "Persian"
	case "ur":
		return "Urdu"
	case "he":
		return "Hebrew"
	case "tr":
		return "Turkish"
	case "":
		return "unknown language"
	}
	return l
}

func translationName(s Source) string {
	if baseLang(s.Lang) == "en" {
		return ""
	}
	switch s.Translation {
	case "translation":
		return "translated"
	case "gloss":
		return "word-by-word gloss only"
	}
	return "not translated"
}

// withCite places the citation before the sentence's final punctuation.
func withCite(t, cite string) string {
	if cite == "" {
		return t
	}
	trimmed := strings.TrimRightFunc(t, func(r rune) bool { return strings.ContainsRune(".!?؟。", r) })
	return trimmed + " " + cite + t[len(trimmed):]
}

func sourceCount(b *Briefing) string {
	if len(b.Sources) == 1 {
		return "1 source"
	}
	return fmt.Sprintf("%d sources", len(b.Sources))
}

func engineText(b *Briefing) string {
	e := "model-written syntheses"
	if b.Engine != "llm" {
		e = "extractive syntheses (offline)"
	}
	g := "grouped by TF-IDF similarity"
	if b.Grouping == "embeddings" {
		g = "grouped by embeddings"
	}
	return e + ", " + g
}

func periodText(p DateRange) string {
	switch {
	case p.From == "":
		return "undated"
	case p.From == p.To:
		return p.From
	}
	return p.From + " – " + p.To
}
