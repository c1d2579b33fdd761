package eval

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tarjama/tarjama/pipeline/text"
)

// EntitySupport is the cheap faithfulness signal: the share of the
// summary's sentences whose every "checkable" token appears in at least one
// of the sources (the article, its title, its translation). Checkable
// tokens are numbers (digits, Arabic-Indic digits folded to ASCII,
// thousands separators removed), names in quotes ("…", “…”, «…») and
// capitalized words that are not the first word of their sentence.
// Matching is case-insensitive, on word boundaries for numbers and words.
// A sentence with nothing checkable counts as supported. ok is false when
// the summary has no sentence.
//
// It catches invented numbers and names; it cannot see a wrong relation
// between right names, and a Latin-script name is only checkable against
// an English source or translation.
func EntitySupport(summary string, sources ...string) (share float64, ok bool) {
	spans := text.Sentences(summary)
	if len(spans) == 0 {
		return 0, false
	}
	words := map[string]bool{}
	nums := map[string]bool{}
	var joined strings.Builder
	for _, src := range sources {
		for _, t := range text.Tokens(src) {
			w := strings.ToLower(t.Text)
			words[w] = true
			if n, isNum := number(t.Text); isNum {
				nums[n] = true
			}
		}
		joined.WriteString(strings.ToLower(src))
		joined.WriteByte('\n')
	}
	all := joined.String()
	supported := 0
	for _, sp := range spans {
		if sentenceSupported(sp.In(summary), words, nums, all) {
			supported++
		}
	}
	return float64(supported) / float64(len(spans)), true
}

func sentenceSupported(sent string, words, nums map[string]bool, all string) bool {
	toks := text.Tokens(sent)
	for i, t := range toks {
		if n, isNum := number(t.Text); isNum {
			if !nums[n] {
				return false
			}
			continue
		}
		r, _ := utf8.DecodeRuneInString(t.Text)
		if i > 0 && unicode.IsUpper(r) && !words[strings.ToLower(t.Text)] {
			return false
		}
	}
	for _, q := range quoted(sent) {
		if !strings.Contains(all, strings.ToLower(q)) {
			return false
		}
	}
	return true
}

// number reports whether tok is a number and returns it with Arabic-Indic
// digits folded to ASCII and separators removed ("2,100" and "٢١٠٠" are
// both "2100").
func number(tok string) (string, bool) {
	var b strings.Builder
	digits := 0
	for _, r := range tok {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
			digits++
		case r >= '٠' && r <= '٩':
			b.WriteRune('0' + (r - '٠'))
			digits++
		case r >= '۰' && r <= '۹':
			b.WriteRune('0' + (r - '۰'))
			digits++
		case r == ',' || r == '٬':
		case r == '.' || r == '٫':
			b.WriteByte('.')
		default:
			return "", false
		}
	}
	return b.String(), digits > 0
}

// quoted returns the text inside double quotes, curly quotes and
// guillemets (at most 60 bytes each: longer spans are quotations, not
// names).
func quoted(s string) []string {
	var out []string
	pairs := []struct{ open, close string }{{"\"", "\""}, {"“", "”"}, {"«", "»"}}
	for _, p := range pairs {
		rest := s
		for {
			i := strings.Index(rest, p.open)
			if i < 0 {
				break
			}
			rest = rest[i+len(p.open):]
			j := strings.Index(rest, p.close)
			if j < 0 {
				break
			}
			if q := strings.TrimSpace(rest[:j]); q != "" && len(q) <= 60 {
				out = append(out, q)
			}
			rest = rest[j+len(p.close):]
		}
	}
	return out
}
