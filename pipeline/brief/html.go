package brief

import (
	"fmt"
	"html/template"
	"io"
	"strings"
)

// WriteHTML writes b as one self-contained HTML file: inline CSS with print
// rules, no scripts or external assets, right-to-left text marked with
// dir="rtl" (dir="auto" where scripts mix), and citations linking to the
// numbered source list (#src-N).
func WriteHTML(w io.Writer, b *Briefing) error {
	if err := htmlTmpl.Execute(w, b); err != nil {
		return fmt.Errorf("writing the briefing as HTML: %w", err)
	}
	return nil
}

var htmlTmpl = template.Must(template.New("brief").Funcs(template.FuncMap{
	"cites": func(cites []int) template.HTML {
		if len(cites) == 0 {
			return ""
		}
		var sb strings.Builder
		sb.WriteString(`<span class="cites">[`)
		for i, c := range cites {
			if i > 0 {
				sb.WriteString(", ")
			}
			fmt.Fprintf(&sb, `<a href="#src-%d">%d</a>`, c, c)
		}
		sb.WriteString("]</span>")
		return template.HTML(sb.String())
	},
	// dir returns the dir and lang attributes for a text in lang, with a
	// leading space, or nothing for left-to-right text.
	"dir": func(s, lang string) template.HTMLAttr {
		d := dirOf(s)
		if d == "" {
			return ""
		}
		attr := ` dir="` + d + `"`
		if l := baseLang(lang); d == "rtl" && l != "" && l != "en" {
			attr += ` lang="` + template.HTMLEscapeString(l) + `"`
		}
		return template.HTMLAttr(attr)
	},
	"flag":   flagText,
	"period": periodText,
	"count":  sourceCount,
	"engine": engineText,
	"lname":  langName,
	"tname":  translationName,
	"source": func(b *Briefing, n int) Source { return b.source(n) },
	"join":   strings.Join,
	"clip":   clip,
	"slice1": func(n int) []int { return []int{n} },
}).Parse(htmlSource))

const htmlSource = `<!DOCTYPE html>
<html lang="en" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI","Noto Sans","Noto Naskh Arabic",Tahoma,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;color:#111;background:#fff}
h1{font-size:1.6rem;margin-bottom:.2rem}
h2{font-size:1.25rem;border-bottom:1px solid #ccc;padding-bottom:.2rem;margin-top:2rem}
.meta{color:#555;font-size:.9rem}
.note{background:#fff8e1;border-left:4px solid #f0b400;padding:.4rem .8rem;margin:.5rem 0}
.bluf{background:#f3f6fb;border:1px solid #d5deea;padding:.6rem 1rem .6rem 2rem}
.cites{font-size:.85em;white-space:nowrap}
.cites a{text-decoration:none}
.flag{color:#b00020;font-weight:bold;font-size:.9em}
.gloss{display:block;color:#555;font-style:italic;font-size:.9em}
.articles{font-size:.95rem}
.by{color:#555}
[dir="rtl"]{font-family:"Noto Naskh Arabic","Amiri","Geeza Pro","Arabic Typesetting",Tahoma,serif;font-size:1.05em}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border:1px solid #ddd;padding:.25rem .5rem;text-align:start;vertical-align:top}
ol.sources li{margin:.3rem 0}
ol.sources li:target{background:#fff3b0}
@media print{
body{max-width:none;margin:0;font-size:11pt;color:#000}
a{color:#000;text-decoration:none}
.bluf,.note{background:none}
h2{break-after:avoid}
section,li,tr{break-inside:avoid}
}
</style>
</head>
<body>
<header>
<h1{{dir .Title "" }}>{{.Title}}</h1>
<p class="meta">{{period .Period}} · {{count .}} · {{engine .}}{{if .Generated}} · generated {{.Generated}}{{end}}</p>
{{range .Notes}}<p class="note">{{.}}</p>
{{end -}}
</header>
<section id="bottom-line">
<h2>Bottom line</h2>
<ul class="bluf">
{{range .BottomLine}}{{template "stmt" .}}{{end -}}
</ul>
</section>
{{range .Sections}}{{$b := $}}
<section id="section-{{.ID}}">
<h2{{dir .Title .TitleLang}}>{{.ID}}. {{.Title}}</h2>
<ul>
{{range .Synthesis}}{{template "stmt" .}}{{end -}}
</ul>
{{- if .Disagreements}}
<p><strong>Sources disagree:</strong></p>
<ul class="disagreements">
{{range .Disagreements}}<li><strong{{dir .Subject ""}}>{{.Subject}}</strong>
<ul>
{{range .Claims}}<li><q{{dir .Text .Lang}}>{{.Text}}</q> {{cites .Cites}}</li>
{{end -}}
</ul>
</li>
{{end -}}
</ul>
{{- end}}
<p><strong>Articles:</strong></p>
<ul class="articles">
{{range .Articles}}{{$s := source $b .Source}}<li>{{cites (slice1 .Source)}} <span{{dir .Text .Lang}}>{{.Text}}</span>{{if or $s.Outlet $s.Published}} <span class="by">— <span{{dir $s.Outlet ""}}>{{$s.Outlet}}</span>{{if and $s.Outlet $s.Published}}, {{end}}{{$s.Published}}</span>{{end}}{{if .Gloss}}<span class="gloss">gloss: {{.Gloss}}</span>{{end}}</li>
{{end -}}
</ul>
</section>
{{end}}
{{- if .Entities}}
<section id="entities">
<h2>Entities</h2>
<table>
<thead><tr><th>Name</th><th>Type</th><th>Original</th><th>Sources</th></tr></thead>
<tbody>
{{range .Entities}}<tr><td{{dir .Name ""}}>{{.Name}}</td><td>{{.Type}}</td><td>{{range $i, $o := .Original}}{{if $i}}، {{end}}<span{{dir $o ""}}>{{$o}}</span>{{end}}</td><td>{{cites .Sources}}</td></tr>
{{end -}}
</tbody>
</table>
</section>
{{- end}}
<section id="sources">
<h2>Sources</h2>
<ol class="sources">
{{range .Sources}}<li id="src-{{.N}}" value="{{.N}}"><strong{{dir .Title .Lang}}>{{.Title}}</strong>{{if .TitleEnglish}} ({{.TitleEnglish}}){{end}} — {{if .Outlet}}<span{{dir .Outlet ""}}>{{.Outlet}}</span>, {{end}}{{if .Published}}{{.Published}}, {{end}}{{lname .Lang}}{{with tname .}} ({{.}}){{end}}{{if .URL}} · <a href="{{.URL}}">{{.URL}}</a>{{else if .File}} · <code>{{.File}}</code>{{end}}</li>
{{end -}}
</ol>
</section>
{{- if .Problems}}
<section id="problems">
<h2>Citation problems</h2>
<ul>
{{range .Problems}}<li>{{.Where}}: <q{{dir .Statement ""}}>{{clip .Statement 120}}</q> — {{.Problem}}</li>
{{end -}}
</ul>
</section>
{{- end}}
</body>
</html>
{{define "stmt"}}<li{{dir .Text .Lang}}>{{.Text}} {{cites .Cites}}{{with flag .Flags}} <span class="flag">{{.}}</span>{{end}}{{if .Gloss}}<span class="gloss" dir="ltr" lang="en">gloss: {{.Gloss}}</span>{{end}}</li>
{{end}}`
