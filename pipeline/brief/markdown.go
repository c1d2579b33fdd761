package brief

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// WriteMarkdown writes b as Markdown: citations are [n] and the source list
// is numbered to match.
func WriteMarkdown(w io.Writer, b *Briefing) error {
	bw := bufio.NewWriter(w)
	p := func(format string, a ...any) { fmt.Fprintf(bw, format, a...) }
	p("# %s\n\n", mdLine(b.Title))
	meta := []string{periodText(b.Period), sourceCount(b), engineText(b)}
	if b.Generated != "" {
		meta = append(meta, "generated "+b.Generated)
	}
	p("*%s*\n\n", strings.Join(meta, " · "))
	for _, n := range b.Notes {
		p("> **Note:** %s\n\n", mdLine(n))
	}

	p("## Bottom line\n\n")
	for _, s := range b.BottomLine {
		p("- %s\n", mdStatement(s))
	}
	p("\n")

	for _, sec := range b.Sections {
		p("## %d. %s\n\n", sec.ID, mdLine(sec.Title))
		for _, s := range sec.Synthesis {
			p("- %s\n", mdStatement(s))
		}
		p("\n")
		if len(sec.Disagreements) > 0 {
			p("**Sources disagree:**\n\n")
			for _, d := range sec.Disagreements {
				p("- **%s**\n", mdLine(d.Subject))
				for _, c := range d.Claims {
					p("  - “%s” %s\n", mdLine(c.Text), citeText(c.Cites))
				}
			}
			p("\n")
		}
		p("**Articles:**\n\n")
		for _, a := range sec.Articles {
			src := b.source(a.Source)
			by := strings.TrimSpace(strings.Join(nonEmpty(src.Outlet, src.Published), ", "))
			line := fmt.Sprintf("- [%d] %s", a.Source, mdLine(a.Text))
			if by != "" {
				line += " — *" + mdLine(by) + "*"
			}
			p("%s\n", line)
			if a.Gloss != "" {
				p("  - *gloss:* %s\n", mdLine(a.Gloss))
			}
		}
		p("\n")
	}

	if len(b.Entities) > 0 {
		p("## Entities\n\n| Name | Type | Original | Sources |\n|---|---|---|---|\n")
		for _, e := range b.Entities {
			p("| %s | %s | %s | %s |\n", mdCell(e.Name), e.Type, mdCell(strings.Join(e.Original, "، ")), citeText(e.Sources))
		}
		p("\n")
	}

	p("## Sources\n\n")
	for _, s := range b.Sources {
		title := "**" + mdLine(s.Title) + "**"
		if s.TitleEnglish != "" {
			title += " (" + mdLine(s.TitleEnglish) + ")"
		}
		parts := nonEmpty(s.Outlet, s.Published, langName(s.Lang)+suffix(translationName(s)))
		p("%d. %s — %s", s.N, title, mdLine(strings.Join(parts, ", ")))
		switch {
		case isWebURL(s.URL):
			p(" <%s>", strings.NewReplacer("<", "%3C", ">", "%3E", " ", "%20").Replace(s.URL))
		case s.URL != "":
			p(" `%s`", strings.ReplaceAll(s.URL, "`", "'"))
		case s.File != "":
			p(" `%s`", strings.ReplaceAll(s.File, "`", "'"))
		}
		p("\n")
	}
	if len(b.Problems) > 0 {
		p("\n## Citation problems\n\n")
		for _, pr := range b.Problems {
			p("- %s: “%s” — %s\n", pr.Where, mdLine(clip(pr.Statement, 120)), mdLine(pr.Problem))
		}
	}
	return bw.Flush()
}

func (b *Briefing) source(n int) Source {
	for _, s := range b.Sources {
		if s.N == n {
			return s
		}
	}
	return Source{N: n}
}

func mdStatement(s Statement) string {
	t := withCite(mdLine(s.Text), citeText(s.Cites))
	if f := flagText(s.Flags); f != "" {
		t += " **" + f + "**"
	}
	if s.Gloss != "" {
		t += "<br>*gloss:* " + mdLine(s.Gloss)
	}
	return t
}

// mdLine keeps a text on one line and escapes what Markdown would read as
// markup or HTML.
func mdLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	r := strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "`", "\\`", "<", "&lt;", ">", "&gt;", "[", `\[`, "]", `\]`)
	return r.Replace(s)
}

func mdCell(s string) string { return strings.ReplaceAll(mdLine(s), "|", `\|`) }

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			out = append(out, s)
		}
	}
	return out
}

func suffix(s string) string {
	if s == "" {
		return ""
	}
	return " (" + s + ")"
}

// isWebURL reports whether u is an http(s) URL, the only kind written as a
// link.
func isWebURL(u string) bool {
	l := strings.ToLower(u)
	return strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "http://")
}
