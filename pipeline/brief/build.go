package brief

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/tarjama/tarjama/pipeline"
)

// Embedder computes one vector per text (an OpenAI-compatible
// /v1/embeddings endpoint, or a fake in tests).
type Embedder interface {
	Embed(ctx context.Context, texts []string) ([][]float32, pipeline.Usage, error)
}

// Synthesizer writes the reduce steps: a section's synthesis from its
// articles' digests, and the bottom line from the sections.
type Synthesizer interface {
	Section(ctx context.Context, req SectionRequest) (*SectionDraft, error)
	BottomLine(ctx context.Context, req BottomLineRequest) (*BottomLineDraft, error)
}

// Digest is one article as a synthesizer sees it: its source number and its
// per-article summary (the map step's output), not its full text.
type Digest struct {
	N         int
	Title     string
	Outlet    string
	Published string
	// Lang is the language of Summary.
	Lang    string
	Summary string
}

// SectionRequest asks for one section's synthesis.
type SectionRequest struct {
	// Sources are the numbers the answer may cite.
	Sources []int
	// Digests are the articles to synthesize; empty on a merging call.
	Digests []Digest
	// Partials, when set, are statements written earlier over parts of a
	// section too big for one call; the answer merges them.
	Partials      []Statement
	MaxStatements int
	// Lang is the language to write in ("en").
	Lang string
	// Repair quotes the problems of the previous answer when this is the
	// one repair attempt.
	Repair string
}

// SectionDraft is a synthesizer's answer for a section.
type SectionDraft struct {
	Title         string
	Statements    []Statement
	Disagreements []Disagreement
	Usage         pipeline.Usage
	Prompt        string // name@version
}

// SectionDigest is one section as the bottom-line call sees it.
type SectionDigest struct {
	ID         int
	Title      string
	Articles   int
	Statements []Statement
}

// BottomLineRequest asks for the bottom line up front.
type BottomLineRequest struct {
	Sections []SectionDigest
	Max      int
	Lang     string
	Repair   string
}

// BottomLineDraft is a synthesizer's bottom line.
type BottomLineDraft struct {
	Statements []Statement
	Usage      pipeline.Usage
	Prompt     string
}

// Options are the briefing's settings; the zero value is usable.
type Options struct {
	// Title is the briefing's title; "Briefing" when empty.
	Title string
	// Now, when set, stamps Briefing.Generated; nil leaves it out so that
	// the same input gives the same output.
	Now func() time.Time
	// TFIDFThreshold and EmbeddingThreshold are the mean cosine similarity
	// at which two groups of articles merge into one story, for each way of
	// grouping; 0 means DefaultTFIDFThreshold or DefaultEmbeddingThreshold.
	TFIDFThreshold, EmbeddingThreshold float64
	// MaxBottomLine is the number of bottom-line bullets (3–5; default 5).
	MaxBottomLine int
	// MaxStatements is the number of synthesis statements per section
	// (default 3).
	MaxStatements int
	// TokenBudget bounds the digest tokens in one section call; a bigger
	// section is split (default DefaultTokenBudget).
	TokenBudget int
	// CountTokens counts tokens for the budget; a bytes/4 estimate when nil.
	CountTokens func(string) int
	// Lang is the briefing's language (default "en").
	Lang string
	// Concurrency is how many sections are synthesized at once (default
	// 4); the Synthesizer must then be safe for concurrent use.
	Concurrency int
}

// Defaults. The thresholds were chosen on testdata/brief (see the package
// README section); embeddings from a real model usually separate stories
// between 0.5 and 0.7.
const (
	DefaultTFIDFThreshold     = 0.12
	DefaultEmbeddingThreshold = 0.6
	DefaultTokenBudget        = 3000
)

// Builder makes briefings. Synthesizer and Embedder are optional: without a
// Synthesizer the syntheses are extractive, without an Embedder grouping is
// TF-IDF.
type Builder struct {
	Synthesizer Synthesizer
	Embedder    Embedder
	Logger      *slog.Logger
	Options     Options
}

// ErrNoArticles is returned when no result has text or a summary.
var ErrNoArticles = errors.New("no usable articles: every result is empty or failed")

// Build makes the briefing. It fails only when there is nothing to brief
// or ctx ends; a failing model call falls back to the extractive synthesis
// for that part and says so in Notes.
func (b *Builder) Build(ctx context.Context, results []pipeline.Result) (*Briefing, error) {
	log := b.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	opt := b.Options
	if opt.Title == "" {
		opt.Title = "Briefing"
	}
	if opt.MaxBottomLine <= 0 {
		opt.MaxBottomLine = 5
	}
	opt.MaxBottomLine = max(3, min(opt.MaxBottomLine, 5))
	if opt.MaxStatements <= 0 {
		opt.MaxStatements = 3
	}
	if opt.TokenBudget <= 0 {
		opt.TokenBudget = DefaultTokenBudget
	}
	if opt.CountTokens == nil {
		opt.CountTokens = func(s string) int { return (len(s) + 3) / 4 }
	}
	if opt.Lang == "" {
		opt.Lang = "en"
	}
	if opt.Concurrency <= 0 {
		opt.Concurrency = 4
	}

	br := &Briefing{Schema: SchemaVersion, Title: opt.Title, Engine: "offline", Grouping: "tfidf", Lang: opt.Lang}
	if b.Synthesizer != nil {
		br.Engine = "llm"
	}
	if opt.Now != nil {
		br.Generated = opt.Now().UTC().Format(time.RFC3339)
	}
	var arts []*article
	skipped := 0
	for i := range results {
		if a, ok := newArticle(i, &results[i]); ok {
			arts = append(arts, a)
		} else {
			skipped++
		}
	}
	if len(arts) == 0 {
		return nil, ErrNoArticles
	}
	if skipped > 0 {
		br.Notes = append(br.Notes, fmt.Sprintf("%d of %d results had no text and no summary and were left out.", skipped, len(results)))
	}

	// Group.
	var sim [][]float64
	if b.Embedder != nil {
		inputs := make([]string, len(arts))
		for i, a := range arts {
			inputs[i] = embeddingText(a)
		}
		vs, u, err := b.Embedder.Embed(ctx, inputs)
		br.Usage = br.Usage.Add(u)
		switch {
		case err != nil && ctx.Err() != nil:
			return nil, ctx.Err()
		case err != nil:
			log.Warn("embeddings failed; grouping with TF-IDF", "err", err)
			br.Notes = append(br.Notes, "Embeddings failed ("+oneLine(err.Error())+"); articles were grouped by TF-IDF similarity instead.")
		case len(vs) != len(arts):
			br.Notes = append(br.Notes, fmt.Sprintf("The embeddings endpoint returned %d vectors for %d articles; articles were grouped by TF-IDF similarity instead.", len(vs), len(arts)))
		default:
			sim = embeddingSimilarity(vs)
			br.Grouping = "embeddings"
		}
	}
	if sim == nil {
		sim = tfidfSimilarity(arts)
	}
	threshold := cmp.Or(opt.TFIDFThreshold, DefaultTFIDFThreshold)
	if br.Grouping == "embeddings" {
		threshold = cmp.Or(opt.EmbeddingThreshold, DefaultEmbeddingThreshold)
	}
	groups := orderGroups(cluster(sim, threshold), arts)

	// Number the sources in reading order: section by section, by date.
	n := 0
	sections := make([]*sectionWork, len(groups))
	for gi, g := range groups {
		sw := &sectionWork{id: gi + 1}
		for _, i := range g {
			n++
			arts[i].n = n
			sw.arts = append(sw.arts, arts[i])
			sw.idx = append(sw.idx, i)
		}
		sections[gi] = sw
	}
	for _, sw := range sections {
		sw.sim = subMatrix(sim, sw.idx)
	}
	all := make([]*article, 0, len(arts))
	for _, sw := range sections {
		all = append(all, sw.arts...)
	}

	// Reduce: the sections, opt.Concurrency at a time (each into its own
	// scratch briefing, merged in order so the output does not depend on
	// timing), then the bottom line.
	secs := make([]Section, len(sections))
	accs := make([]*Briefing, len(sections))
	errs := make([]error, len(sections))
	// Workers take the sections in order, so with one worker the calls
	// are made in reading order.
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(opt.Concurrency, len(sections)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				accs[i] = &Briefing{}
				secs[i], errs[i] = b.section(ctx, sections[i], opt, accs[i])
			}
		}()
	}
	for i := range sections {
		next <- i
	}
	close(next)
	wg.Wait()
	for i := range sections {
		if errs[i] != nil {
			return nil, errs[i]
		}
		br.Sections = append(br.Sections, secs[i])
		br.Usage = br.Usage.Add(accs[i].Usage)
		br.Prompts = append(br.Prompts, accs[i].Prompts...)
		br.Notes = append(br.Notes, accs[i].Notes...)
		br.Problems = append(br.Problems, accs[i].Problems...)
	}
	if err := b.bottomLine(ctx, opt, br); err != nil {
		return nil, err
	}

	br.Entities = entities(all)
	br.Sources = sourceList(all, sections)
	br.Period = period(all)
	br.Lang = briefingLang(br, opt.Lang)
	br.Notes = append(br.Notes, languageNotes(all, br)...)
	if len(br.Problems) > 0 {
		br.Notes = append(br.Notes, fmt.Sprintf("%d citation problem(s) remain after repair; the statements concerned are marked and listed under Citation problems.", len(br.Problems)))
	}
	slices.Sort(br.Prompts)
	br.Prompts = slices.Compact(br.Prompts)
	return br, nil
}

type sectionWork struct {
	id   int
	arts []*article
	idx  []int       // indices into the full article list
	sim  [][]float64 // similarity among arts
}

func (sw *sectionWork) sources() []int {
	out := make([]int, len(sw.arts))
	for i, a := range sw.arts {
		out[i] = a.n
	}
	return out
}

// orderGroups sorts each group's members by date then input order, and the
// groups by size (largest story first), then by their first article.
func orderGroups(groups [][]int, arts []*article) [][]int {
	for _, g := range groups {
		sort.SliceStable(g, func(i, j int) bool {
			a, b := arts[g[i]], arts[g[j]]
			if !a.when.Equal(b.when) {
				if a.when.IsZero() || b.when.IsZero() {
					return !a.when.IsZero()
				}
				return a.when.Before(b.when)
			}
			return a.idx < b.idx
		})
	}
	sort.SliceStable(groups, func(i, j int) bool {
		if len(groups[i]) != len(groups[j]) {
			return len(groups[i]) > len(groups[j])
		}
		return slices.Min(groups[i]) < slices.Min(groups[j])
	})
	return groups
}

func subMatrix(sim [][]float64, idx []int) [][]float64 {
	out := make([][]float64, len(idx))
	for i, a := range idx {
		out[i] = make([]float64, len(idx))
		for j, b := range idx {
			out[i][j] = sim[a][b]
		}
	}
	return out
}

// embeddingText is what is embedded: the title and summary in the best
// available language, and the gloss of a summary not in English, bounded
// in length.
func embeddingText(a *article) string {
	t, _ := a.displayTitle()
	s := t + "\n" + strings.Join(a.summary, " ")
	if !isEnglish(a.summaryLang) {
		// An English-only embedding model still gets the gloss.
		s += "\n" + strings.Join(a.glosses, " ") + a.glossAll
	}
	if len(s) > 4000 {
		s = s[:4000]
		for !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
	}
	return s
}

// lineOf is an article's one-line summary: the first summary sentence.
func lineOf(a *article) ArticleLine {
	l := ArticleLine{Source: a.n, Lang: a.summaryLang}
	if len(a.summary) > 0 {
		l.Text = a.summary[0]
		if len(a.glosses) > 0 {
			l.Gloss = a.glosses[0]
		} else {
			l.Gloss = a.glossAll
		}
	} else {
		l.Text, l.Lang = a.displayTitle()
	}
	return l
}

func oneLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i] + " …"
	}
	return clip(s, 200)
}

// sourceList is the numbered source list.
func sourceList(all []*article, sections []*sectionWork) []Source {
	secOf := map[int]int{}
	for _, sw := range sections {
		for _, a := range sw.arts {
			secOf[a.n] = sw.id
		}
	}
	out := make([]Source, len(all))
	for i, a := range all {
		s := Source{N: a.n, ID: a.res.ID, Title: a.title, Outlet: a.outlet, Published: a.date, URL: a.res.URL, Lang: baseLang(a.lang), Section: secOf[a.n]}
		if s.Title == "" {
			s.Title = a.res.ID
		}
		if a.titleEn != "" && a.titleEn != a.title {
			s.TitleEnglish = a.titleEn
		}
		if a.res.URL == "" {
			s.File = a.res.Source
		}
		if tr := a.res.Translation; tr != nil {
			s.Translation = tr.Kind
		}
		out[i] = s
	}
	return out
}

func period(all []*article) DateRange {
	var dates []string
	for _, a := range all {
		if !a.when.IsZero() {
			dates = append(dates, a.date)
		}
	}
	if len(dates) == 0 {
		return DateRange{}
	}
	slices.Sort(dates)
	return DateRange{From: dates[0], To: dates[len(dates)-1]}
}

// briefingLang is want when every statement is in it, the one other
// language when all are in that, else "mixed".
func briefingLang(br *Briefing, want string) string {
	langs := map[string]bool{}
	add := func(ss []Statement) {
		for _, s := range ss {
			langs[baseLang(s.Lang)] = true
		}
	}
	add(br.BottomLine)
	for _, s := range br.Sections {
		add(s.Synthesis)
	}
	switch len(langs) {
	case 0:
		return want
	case 1:
		for l := range langs {
			return l
		}
	}
	return "mixed"
}

// languageNotes say plainly where the briefing is not in English.
func languageNotes(all []*article, br *Briefing) []string {
	var notes []string
	var untranslated, glossed []int
	for _, a := range all {
		if isEnglish(a.lang) {
			continue
		}
		tr := a.res.Translation
		switch {
		case tr != nil && tr.Kind == "translation":
		case tr != nil && tr.Kind == "gloss":
			glossed = append(glossed, a.n)
		default:
			untranslated = append(untranslated, a.n)
		}
	}
	if len(glossed) == 1 {
		notes = append(notes, fmt.Sprintf("Source %s has only an offline word-by-word gloss, not a translation.", numList(glossed)))
	} else if len(glossed) > 1 {
		notes = append(notes, fmt.Sprintf("Sources %s have only an offline word-by-word gloss, not a translation.", numList(glossed)))
	}
	if len(untranslated) == 1 {
		notes = append(notes, fmt.Sprintf("Source %s was not translated.", numList(untranslated)))
	} else if len(untranslated) > 1 {
		notes = append(notes, fmt.Sprintf("Sources %s were not translated.", numList(untranslated)))
	}
	if br.Lang != "en" && br.Lang != "" {
		var secs []string
		for _, s := range br.Sections {
			for _, st := range s.Synthesis {
				if !isEnglish(st.Lang) {
					secs = append(secs, fmt.Sprint(s.ID))
					break
				}
			}
		}
		if len(secs) > 0 {
			notes = append(notes, fmt.Sprintf("No English summary was available for section(s) %s: their statements are quoted in the source language, with a word-by-word gloss where the offline engine made one.", strings.Join(secs, ", ")))
		}
	}
	return notes
}
