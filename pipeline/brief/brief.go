// Package brief turns many pipeline results into one briefing: a bottom line
// up front, sections by story, an entity index and a numbered source list,
// with every statement citing its sources.
//
// Entry points: Builder.Build makes a *Briefing from []pipeline.Result;
// WriteMarkdown, WriteHTML and WriteJSON render it. ReadResults reads
// `tarjama run`/`tarjama batch` JSON Lines output.
//
// The builder is map-reduce. The map step is the pipeline's per-article
// summary, which Build never recomputes. The reduce steps are one
// Synthesizer call per story section (split into several calls, plus one
// merging call, when a section's digests exceed the token budget) and one
// call for the bottom line. Grouping articles into stories uses an Embedder
// when one is given and TF-IDF cosine otherwise. With no Synthesizer the
// sections are extractive: the best sentences of the group's summaries, each
// citing the article it came from.
//
// Citations are checked by CheckStatements: a statement that cites a number
// which is not one of the section's sources, or cites nothing, is sent back
// once for repair with the problem quoted; what is still wrong after that is
// kept but flagged in the output (Statement.Flags and Briefing.Problems),
// never shipped silently.
package brief

import "github.com/tarjama/tarjama/pipeline"

// SchemaVersion is written into every Briefing's JSON form; bump it when the
// shape changes incompatibly.
const SchemaVersion = "tarjama.brief/v1"

// Briefing is the whole briefing. Its JSON form is the `--format json`
// output.
type Briefing struct {
	Schema string `json:"schema"`
	Title  string `json:"title"`
	// Generated is the time the briefing was made, RFC 3339, only when the
	// caller supplied a clock (Options.Now): output is otherwise
	// reproducible.
	Generated string    `json:"generated,omitempty"`
	Period    DateRange `json:"period"`
	// Engine is "llm" when a Synthesizer wrote the syntheses, "offline" when
	// they are extractive.
	Engine string `json:"engine"`
	// Grouping is how articles were grouped: "embeddings" or "tfidf".
	Grouping string `json:"grouping"`
	// Lang is the language of the briefing's own text: "en", or the source
	// language(s) when no translation was available ("ar", "mixed").
	Lang string `json:"lang"`
	// Notes are caveats the reader must see (untranslated sources, flagged
	// citations, truncated inputs).
	Notes      []string    `json:"notes,omitempty"`
	BottomLine []Statement `json:"bottom_line"`
	Sections   []Section   `json:"sections"`
	Entities   []Entity    `json:"entities"`
	Sources    []Source    `json:"sources"`
	// Problems lists every citation problem left after repair.
	Problems []Problem `json:"problems,omitempty"`
	// Usage counts the model calls and tokens the briefing cost (not the
	// per-article pipeline's).
	Usage pipeline.Usage `json:"usage"`
	// Prompts are the prompt identities used (name@version).
	Prompts []string `json:"prompts,omitempty"`
}

// DateRange is the span of the articles' publication dates (YYYY-MM-DD);
// empty when no article has a date.
type DateRange struct {
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
}

// Statement is one sentence or bullet of the briefing and the numbers of the
// sources it rests on.
type Statement struct {
	Text string `json:"text"`
	// Lang is the language of Text ("en", "ar", ...).
	Lang string `json:"lang"`
	// Gloss is an English word-by-word gloss of a source-language Text.
	Gloss string `json:"gloss,omitempty"`
	Cites []int  `json:"cites"`
	// Flags name what is wrong with the statement's citations after repair:
	// "uncited", "unknown_source:N".
	Flags []string `json:"flags,omitempty"`
}

// Section is one story: the articles about the same event.
type Section struct {
	ID    int    `json:"id"`
	Title string `json:"title"`
	// TitleLang is the language of Title.
	TitleLang     string         `json:"title_lang"`
	Synthesis     []Statement    `json:"synthesis"`
	Disagreements []Disagreement `json:"disagreements,omitempty"`
	// Articles are the section's articles in source-number order, each
	// with its one-line summary.
	Articles []ArticleLine `json:"articles"`
	// Calls is the number of synthesis calls the section took (0 offline;
	// more than 1 when it was split for the token budget).
	Calls int `json:"calls,omitempty"`
}

// ArticleLine is one article's one-line summary under its section.
type ArticleLine struct {
	Source int    `json:"source"`
	Text   string `json:"text"`
	Lang   string `json:"lang"`
	Gloss  string `json:"gloss,omitempty"`
}

// Disagreement is a fact the sources state differently.
type Disagreement struct {
	// Subject is what is disputed, e.g. "killed".
	Subject string  `json:"subject"`
	Claims  []Claim `json:"claims"`
}

// Claim is one source's (or several agreeing sources') version of a
// disputed fact.
type Claim struct {
	Text  string `json:"text"`
	Lang  string `json:"lang"`
	Cites []int  `json:"cites"`
}

// Entity is a person, organization or place named across the briefing.
type Entity struct {
	Name string `json:"name"`
	// Type is "person", "organization" or "location".
	Type string `json:"type"`
	// Original are the original-script forms, as the articles write them.
	Original []string `json:"original,omitempty"`
	Sources  []int    `json:"sources"`
}

// Source is one article in the numbered source list.
type Source struct {
	N  int    `json:"n"`
	ID string `json:"id"`
	// Title is the article's own title in its language; TitleEnglish its
	// translation when there is one.
	Title        string `json:"title"`
	TitleEnglish string `json:"title_en,omitempty"`
	Outlet       string `json:"outlet,omitempty"`
	Published    string `json:"published,omitempty"`
	URL          string `json:"url,omitempty"`
	File         string `json:"file,omitempty"`
	// Lang is the article's original language.
	Lang string `json:"lang"`
	// Translation is "translation", "gloss" or "" (none).
	Translation string `json:"translation,omitempty"`
	Section     int    `json:"section"`
}

// Problem is a citation problem left in the output.
type Problem struct {
	// Where is "bottom_line" or "section N".
	Where     string `json:"where"`
	Statement string `json:"statement"`
	Problem   string `json:"problem"`
}
