package brief

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/tarjama/tarjama/pipeline"
)

// section makes one section: the extractive synthesis offline, the
// Synthesizer's otherwise (with one repair attempt and a split when the
// digests exceed the token budget).
func (b *Builder) section(ctx context.Context, sw *sectionWork, opt Options, br *Briefing) (Section, error) {
	sec := Section{ID: sw.id, Disagreements: []Disagreement{}}
	for _, a := range sw.arts {
		sec.Articles = append(sec.Articles, lineOf(a))
	}
	sec.Title, sec.TitleLang = offlineTitle(sw)
	where := fmt.Sprintf("section %d", sw.id)
	allowed := sw.sources()

	if b.Synthesizer != nil {
		d, calls, err := b.synthesizeSection(ctx, sw, opt, br)
		sec.Calls = calls
		switch {
		case err != nil && ctx.Err() != nil:
			return sec, ctx.Err()
		case err != nil:
			br.Notes = append(br.Notes, fmt.Sprintf("Section %d: the model call failed (%s); its synthesis is extractive.", sw.id, oneLine(err.Error())))
		default:
			if t := strings.TrimSpace(d.Title); t != "" {
				sec.Title, sec.TitleLang = t, opt.Lang
			}
			for i := range d.Statements {
				if d.Statements[i].Lang == "" {
					d.Statements[i].Lang = opt.Lang
				}
			}
			var probs []Problem
			sec.Synthesis, probs = flagStatements(where, d.Statements, allowed)
			br.Problems = append(br.Problems, probs...)
			for i := range d.Disagreements {
				for j := range d.Disagreements[i].Claims {
					if d.Disagreements[i].Claims[j].Lang == "" {
						d.Disagreements[i].Claims[j].Lang = opt.Lang
					}
				}
			}
			sec.Disagreements, probs = flagDisagreements(where, d.Disagreements, allowed)
			br.Problems = append(br.Problems, probs...)
			if sec.Disagreements == nil {
				sec.Disagreements = []Disagreement{}
			}
			if len(sec.Synthesis) > 0 {
				return sec, nil
			}
			br.Notes = append(br.Notes, fmt.Sprintf("Section %d: the model wrote no usable statement; its synthesis is extractive.", sw.id))
		}
	}
	sec.Synthesis = extractive(sw, opt)
	if ds := numberDisagreements(sw.arts); len(ds) > 0 {
		sec.Disagreements = ds
	}
	return sec, nil
}

// digestOf is the article as a synthesizer sees it.
func digestOf(a *article) Digest {
	t, _ := a.displayTitle()
	return Digest{N: a.n, Title: t, Outlet: a.outlet, Published: a.date, Lang: a.summaryLang, Summary: strings.Join(a.summary, " ")}
}

func digestTokens(d Digest, count func(string) int) int {
	return count(d.Title+d.Outlet+d.Published+d.Summary) + 16
}

// chunkDigests splits digests, in order, into runs whose tokens fit budget
// (a single digest over the budget is a run of its own).
func chunkDigests(ds []Digest, budget int, count func(string) int) [][]Digest {
	var out [][]Digest
	var cur []Digest
	used := 0
	for _, d := range ds {
		t := digestTokens(d, count)
		if len(cur) > 0 && used+t > budget {
			out = append(out, cur)
			cur, used = nil, 0
		}
		cur = append(cur, d)
		used += t
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// synthesizeSection is the reduce step for one section: one call, or, for a
// section over the budget, one call per chunk and a merging call.
func (b *Builder) synthesizeSection(ctx context.Context, sw *sectionWork, opt Options, br *Briefing) (*SectionDraft, int, error) {
	digests := make([]Digest, len(sw.arts))
	for i, a := range sw.arts {
		digests[i] = digestOf(a)
	}
	allowed := sw.sources()
	chunks := chunkDigests(digests, opt.TokenBudget, opt.CountTokens)
	if len(chunks) == 1 {
		return b.sectionCall(ctx, SectionRequest{Sources: allowed, Digests: digests, MaxStatements: opt.MaxStatements, Lang: opt.Lang}, allowed, br)
	}
	calls := 0
	var partials []Statement
	var disagreements []Disagreement
	for _, c := range chunks {
		var chunkAllowed []int
		for _, d := range c {
			chunkAllowed = append(chunkAllowed, d.N)
		}
		d, n, err := b.sectionCall(ctx, SectionRequest{Sources: chunkAllowed, Digests: c, MaxStatements: opt.MaxStatements, Lang: opt.Lang}, chunkAllowed, br)
		calls += n
		if err != nil {
			return nil, calls, err
		}
		kept, _ := flagStatements("", d.Statements, chunkAllowed)
		for _, s := range kept {
			if len(s.Flags) == 0 {
				partials = append(partials, s)
			}
		}
		disagreements = append(disagreements, d.Disagreements...)
	}
	// The merging call sees the partial statements and their citations,
	// not the articles again, so it stays within the budget however big
	// the section. (Partials over the budget are a section of thousands of
	// articles; they are sent as they are.)
	d, n, err := b.sectionCall(ctx, SectionRequest{Sources: allowed, Partials: partials, MaxStatements: opt.MaxStatements, Lang: opt.Lang}, allowed, br)
	calls += n
	if err != nil {
		return nil, calls, err
	}
	seen := map[string]bool{}
	var all []Disagreement
	for _, x := range append(d.Disagreements, disagreements...) {
		k := strings.ToLower(strings.TrimSpace(x.Subject))
		if !seen[k] {
			seen[k] = true
			all = append(all, x)
		}
	}
	d.Disagreements = all
	return d, calls, nil
}

// sectionCall is one synthesizer call checked for citations, with one
// repair attempt that quotes the problems.
func (b *Builder) sectionCall(ctx context.Context, req SectionRequest, allowed []int, br *Briefing) (*SectionDraft, int, error) {
	d, err := b.Synthesizer.Section(ctx, req)
	if d != nil {
		account(br, d.Usage, d.Prompt)
	}
	if err != nil {
		return nil, 1, err
	}
	probs := append(CheckStatements(d.Statements, allowed), checkDisagreements(d.Disagreements, allowed)...)
	if len(d.Statements) == 0 {
		probs = append(probs, "the answer has no statements")
	}
	if len(probs) == 0 {
		return d, 1, nil
	}
	req.Repair = strings.Join(probs, "\n")
	d2, err := b.Synthesizer.Section(ctx, req)
	if d2 != nil {
		account(br, d2.Usage, d2.Prompt)
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, 2, ctx.Err()
		}
		return d, 2, nil // the first answer, flagged
	}
	return d2, 2, nil
}

// account adds one call's usage and prompt to the briefing.
func account(br *Briefing, u pipeline.Usage, prompt string) {
	if u.Calls == 0 {
		u.Calls = 1
	}
	br.Usage = br.Usage.Add(u)
	if prompt != "" {
		br.Prompts = append(br.Prompts, prompt)
	}
}

// offlineTitle is the English title of the section's most central article
// (the one most similar to the others), else its original title.
func offlineTitle(sw *sectionWork) (string, string) {
	best, bestScore := -1, math.Inf(-1)
	for i, a := range sw.arts {
		var s float64
		for j := range sw.arts {
			if j != i {
				s += sw.sim[i][j]
			}
		}
		if a.titleEn == "" {
			s -= 1000 // prefer any English title
		}
		if s > bestScore {
			best, bestScore = i, s
		}
	}
	return sw.arts[best].displayTitle()
}

// extractive picks the section's best summary sentences: those most like
// the other articles' sentences (what several sources say), the lead
// sentence of each summary favoured, near-duplicates skipped, and each
// cited to the article it came from. Sentences in opt.Lang are used when
// any article has them.
func extractive(sw *sectionWork, opt Options) []Statement {
	type cand struct {
		a     *article
		pos   int
		text  string
		gloss string
		v     vec
		score float64
	}
	want := false
	for _, a := range sw.arts {
		if baseLang(a.summaryLang) == baseLang(opt.Lang) {
			want = true
		}
	}
	var cs []*cand
	for _, a := range sw.arts {
		if want && baseLang(a.summaryLang) != baseLang(opt.Lang) {
			continue
		}
		for i, s := range a.summary {
			c := &cand{a: a, pos: i, text: s}
			if i < len(a.glosses) {
				c.gloss = a.glosses[i]
			}
			cs = append(cs, c)
		}
	}
	docs := make([][]string, len(cs))
	for i, c := range cs {
		docs[i] = terms(c.text)
	}
	vs := tfidf(docs)
	for i, c := range cs {
		c.v = vs[i]
		var sum float64
		others := 0
		for j, o := range cs {
			if o.a != c.a {
				sum += dot(vs[i], vs[j])
				others++
			}
		}
		if others > 0 {
			c.score = sum / float64(others)
		}
		c.score += 0.3 / float64(c.pos+1)
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].score > cs[j].score })
	var chosen []*cand
	used := map[*article]int{}
	for len(chosen) < opt.MaxStatements {
		var best *cand
		bestScore := math.Inf(-1)
		for _, c := range cs {
			if contains(chosen, c) {
				continue
			}
			dup := false
			for _, k := range chosen {
				if dot(c.v, k.v) >= 0.5 {
					dup = true
				}
			}
			if dup {
				continue
			}
			s := c.score * math.Pow(0.6, float64(used[c.a]))
			if s > bestScore {
				best, bestScore = c, s
			}
		}
		if best == nil {
			break
		}
		chosen = append(chosen, best)
		used[best.a]++
	}
	out := make([]Statement, len(chosen))
	for i, c := range chosen {
		out[i] = Statement{Text: c.text, Lang: c.a.summaryLang, Gloss: c.gloss, Cites: []int{c.a.n}}
	}
	return out
}

func contains[T comparable](xs []T, x T) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// bottomLine writes the bottom line: the Synthesizer's over the sections'
// syntheses, or offline the lead statement of each of the biggest sections.
func (b *Builder) bottomLine(ctx context.Context, opt Options, br *Briefing) error {
	all := make([]int, 0, len(br.Sources))
	for _, s := range br.Sections {
		for _, a := range s.Articles {
			all = append(all, a.Source)
		}
	}
	if b.Synthesizer != nil {
		var digests []SectionDigest
		used := 0
		for _, s := range br.Sections {
			var good []Statement
			for _, st := range s.Synthesis {
				if len(st.Flags) == 0 {
					good = append(good, st)
				}
			}
			t := 0
			for _, st := range good {
				t += opt.CountTokens(st.Text) + 4
			}
			if len(digests) > 0 && used+t > opt.TokenBudget {
				br.Notes = append(br.Notes, fmt.Sprintf("The bottom line was written from the %d largest sections of %d (token budget).", len(digests), len(br.Sections)))
				break
			}
			used += t
			digests = append(digests, SectionDigest{ID: s.ID, Title: s.Title, Articles: len(s.Articles), Statements: good})
		}
		req := BottomLineRequest{Sections: digests, Max: opt.MaxBottomLine, Lang: opt.Lang}
		d, err := b.Synthesizer.BottomLine(ctx, req)
		if d != nil {
			account(br, d.Usage, d.Prompt)
		}
		if err == nil {
			probs := CheckStatements(d.Statements, all)
			if len(d.Statements) == 0 {
				probs = append(probs, "the answer has no statements")
			}
			if len(probs) > 0 {
				req.Repair = strings.Join(probs, "\n")
				d2, err2 := b.Synthesizer.BottomLine(ctx, req)
				if d2 != nil {
					account(br, d2.Usage, d2.Prompt)
				}
				if err2 == nil {
					d = d2
				} else if ctx.Err() != nil {
					return ctx.Err()
				}
			}
			for i := range d.Statements {
				if d.Statements[i].Lang == "" {
					d.Statements[i].Lang = opt.Lang
				}
			}
			if len(d.Statements) > opt.MaxBottomLine {
				d.Statements = d.Statements[:opt.MaxBottomLine]
			}
			var probs2 []Problem
			br.BottomLine, probs2 = flagStatements("bottom_line", d.Statements, all)
			br.Problems = append(br.Problems, probs2...)
			if len(br.BottomLine) > 0 {
				return nil
			}
		} else if ctx.Err() != nil {
			return ctx.Err()
		} else {
			br.Notes = append(br.Notes, "The bottom line: the model call failed ("+oneLine(err.Error())+"); it is made of the sections' lead statements.")
		}
	}
	br.BottomLine = leadStatements(br.Sections, opt.MaxBottomLine)
	return nil
}

// leadStatements takes the first statement of each section in order, then
// the second ones, until max statements (and at least 3 when there are).
// Flagged statements are left out: the bottom line repeats only what is
// sourced.
func leadStatements(secs []Section, maxN int) []Statement {
	good := make([][]Statement, len(secs))
	for i, s := range secs {
		for _, st := range s.Synthesis {
			if len(st.Flags) == 0 {
				good[i] = append(good[i], st)
			}
		}
	}
	var out []Statement
	for round := 0; ; round++ {
		added := false
		for _, g := range good {
			if len(out) >= maxN || (round > 0 && len(out) >= 3) {
				return out
			}
			if round < len(g) {
				out = append(out, g[round])
				added = true
			}
		}
		if !added {
			return out
		}
	}
}
