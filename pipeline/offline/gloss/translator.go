package gloss

import (
	"context"
	"strings"
	"time"

	"github.com/tarjama/tarjama/pipeline"
)

// Method names the gloss in traces.
const Method = "gloss:freedict-ara-eng"

// Translator adapts a Dict to pipeline.Translator. What it returns is a
// word-by-word gloss (Translation.Kind "gloss"), not a translation.
type Translator struct {
	Dict *Dict
}

var _ pipeline.Translator = (*Translator)(nil)

// Translate glosses the title and each paragraph, one output paragraph per
// input paragraph. Glossary entries win over the dictionary. With no Dict
// it returns ErrNoDictionary.
func (t *Translator) Translate(ctx context.Context, req pipeline.TranslateRequest) (*pipeline.Translation, []pipeline.Trace, error) {
	if t == nil || t.Dict == nil {
		return nil, nil, ErrNoDictionary
	}
	start := time.Now()
	o := Options{Glossary: req.Glossary}
	tr := &pipeline.Translation{
		Lang:       "en",
		Kind:       "gloss",
		Paragraphs: make([]string, len(req.Paragraphs)),
	}
	var words, found int
	var src, out strings.Builder
	if req.Title != "" {
		r := t.Dict.Gloss(req.Title, o)
		tr.Title = r.Text
		words, found = words+r.Words, found+r.Found
		src.WriteString(req.Title + "\n")
		out.WriteString(r.Text + "\n")
	}
	for i, p := range req.Paragraphs {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		r := t.Dict.Gloss(p, o)
		tr.Paragraphs[i] = r.Text
		words, found = words+r.Words, found+r.Found
		src.WriteString(p + "\n")
		out.WriteString(r.Text + "\n")
	}
	if words > 0 {
		tr.Coverage = float64(found) / float64(words)
	}
	tr.GlossaryMisses = req.Glossary.Misses(src.String(), out.String())
	d := time.Since(start)
	trace := pipeline.Trace{
		Step:       "translate",
		Engine:     "offline",
		Method:     Method,
		Duration:   d,
		DurationMS: float64(d.Microseconds()) / 1000,
		Notes: []string{
			"word-by-word gloss, not a translation",
			"dictionary: " + t.Dict.Name + " (" + t.Dict.Index + ")",
		},
	}
	return tr, []pipeline.Trace{trace}, nil
}
