package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/tarjama/tarjama/pipeline"
	"github.com/tarjama/tarjama/pipeline/brief"
	"github.com/tarjama/tarjama/pipeline/brief/llmbrief"
	"github.com/tarjama/tarjama/pipeline/input"
	"github.com/tarjama/tarjama/pipeline/llm/tokens"
)

// briefOptions are brief's flags.
type briefOptions struct {
	in, from    string
	title       string
	format      string
	output      string
	grouping    string
	threshold   float64
	maxBullets  int
	maxStmts    int
	tokenBudget int
	lang        string
	maxBytes    int64
	timestamp   bool
	jobs        int
}

func newBriefCmd(a *App) *cobra.Command {
	o := &briefOptions{}
	cmd := &cobra.Command{
		Use:   "brief [FILE|DIR|-]... [--in PATH | --from RESULTS.jsonl]",
		Short: "Write one briefing from many articles, every statement citing its sources",
		Long: `Write one briefing from many articles: a bottom line up front, sections by
story (articles about the same event grouped together), an entity index and
a numbered source list. Every statement cites its sources as [n]; citations
are checked, and a statement citing no source or a number that is not a
source is repaired once or flagged in the output, never shipped silently.
Numbers that differ between sources (death tolls, amounts) are stated side
by side, not averaged.

Inputs are run through the pipeline first (translate, summarize, keywords),
unless they are already tarjama results: --from RESULTS.jsonl reads the
output of tarjama run or tarjama batch and translates nothing again.

With an LLM endpoint the sections and the bottom line are written by the
model (one call per section, split when a section exceeds --token-budget,
plus one for the bottom line) and articles are grouped by embeddings;
offline, grouping is TF-IDF and the syntheses are extractive.`,
		Example: `  tarjama batch articles/ -o results.jsonl && tarjama brief --from results.jsonl --format html -o brief.html
  tarjama brief articles/*.txt --title "Yemen, morning of 12 March"
  tarjama --engine offline brief --from results.jsonl --format json`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.briefRun(cmd.Context(), args, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.in, "in", "", "read articles from PATH (a file or directory; same as giving it as an argument)")
	f.StringVar(&o.from, "from", "", "read tarjama run/batch results (JSON Lines; - for stdin) instead of articles")
	f.StringVar(&o.title, "title", "", "the briefing's title (default \"Briefing\")")
	f.StringVar(&o.format, "format", "md", "output format: md, html (one self-contained file), json")
	f.StringVarP(&o.output, "output", "o", "", "write the briefing to FILE (default stdout)")
	f.StringVar(&o.grouping, "grouping", "auto", "how to group articles into stories: auto (embeddings with an LLM endpoint, else tfidf), embeddings, tfidf")
	f.Float64Var(&o.threshold, "group-threshold", 0, fmt.Sprintf("similarity at which articles join one story (default %.2f for tfidf, %.2f for embeddings)", brief.DefaultTFIDFThreshold, brief.DefaultEmbeddingThreshold))
	f.IntVar(&o.maxBullets, "bullets", 5, "bottom-line bullets (3-5)")
	f.IntVar(&o.maxStmts, "statements", 3, "synthesis statements per section")
	f.IntVar(&o.tokenBudget, "token-budget", brief.DefaultTokenBudget, "most article-digest tokens in one model call; bigger sections are split")
	f.StringVar(&o.lang, "lang", "", "source language of the articles, skipping detection (e.g. ar)")
	f.Int64Var(&o.maxBytes, "max-bytes", input.DefaultMaxBytes, "largest document accepted, in bytes")
	f.IntVarP(&o.jobs, "jobs", "j", 4, "sections synthesized at once (model calls in flight)")
	f.BoolVar(&o.timestamp, "timestamp", false, "stamp the briefing with the time it was made (off: the same input gives the same output)")
	return cmd
}

func (o *briefOptions) validate(args []string) error {
	switch o.format {
	case "md", "markdown", "html", "json":
	default:
		return usageErrorf("--format %q: want md, html or json", o.format)
	}
	switch o.grouping {
	case "auto", "embeddings", "tfidf":
	default:
		return usageErrorf("--grouping %q: want auto, embeddings or tfidf", o.grouping)
	}
	if o.from != "" && (len(args) > 0 || o.in != "") {
		return usageErrorf("--from reads results; do not also give articles (FILES or --in)")
	}
	if o.threshold < 0 || o.threshold > 1 {
		return usageErrorf("--group-threshold must be between 0 and 1")
	}
	if o.maxBullets < 3 || o.maxBullets > 5 {
		return usageErrorf("--bullets must be 3, 4 or 5")
	}
	if o.jobs < 1 {
		return usageErrorf("--jobs must be at least 1")
	}
	if o.maxStmts < 1 || o.tokenBudget < 100 {
		return usageErrorf("--statements must be at least 1 and --token-budget at least 100")
	}
	if o.maxBytes <= 0 {
		return usageErrorf("--max-bytes must be positive")
	}
	return nil
}

func (a *App) briefRun(ctx context.Context, args []string, o *briefOptions) error {
	if err := o.validate(args); err != nil {
		return err
	}
	results, failed, err := a.briefInputs(ctx, args, o)
	if err != nil {
		return err
	}
	if len(results) == 0 {
		return usageErrorf("no articles to brief")
	}

	b := &brief.Builder{Logger: a.Logger, Options: brief.Options{
		Title:         o.title,
		MaxBottomLine: o.maxBullets,
		MaxStatements: o.maxStmts,
		TokenBudget:   o.tokenBudget,
		CountTokens:   tokens.Count,
		Concurrency:   o.jobs,
	}}
	if o.timestamp {
		b.Options.Now = time.Now
	}
	if a.Cfg.EffectiveEngine() == "llm" {
		c, err := a.LLM(ctx, "brief")
		if err != nil {
			return err
		}
		ps, err := a.Prompts()
		if err != nil {
			return err
		}
		b.Synthesizer = &llmbrief.Synthesizer{Client: c, Prompts: ps}
		if o.grouping != "tfidf" {
			ec, err := a.LLM(ctx, "embed")
			if err != nil {
				return err
			}
			b.Embedder = &llmbrief.Embedder{Client: ec}
		}
	} else if o.grouping == "embeddings" {
		return usageErrorf("--grouping embeddings needs an LLM endpoint (the offline engine groups with tfidf)")
	}
	// The threshold is for the grouping asked for; a TF-IDF fallback after
	// failed embeddings keeps its default.
	if b.Embedder != nil {
		b.Options.EmbeddingThreshold = o.threshold
	} else {
		b.Options.TFIDFThreshold = o.threshold
	}

	br, err := b.Build(ctx, results)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("brief: %w", err)
	}
	var buf bytes.Buffer
	switch o.format {
	case "html":
		err = brief.WriteHTML(&buf, br)
	case "json":
		err = brief.WriteJSON(&buf, br)
	default:
		err = brief.WriteMarkdown(&buf, br)
	}
	if err != nil {
		return err
	}
	if err := a.writeBriefing(o.output, buf.Bytes()); err != nil {
		return err
	}
	a.infof("brief: %d articles in %d sections (%s, grouped by %s); %d model calls, %d prompt + %d completion tokens",
		len(br.Sources), len(br.Sections), br.Engine, br.Grouping, br.Usage.Calls, br.Usage.PromptTokens, br.Usage.CompletionTokens)
	if len(br.Problems) > 0 {
		a.infof("brief: %d citation problem(s) remain; they are flagged in the briefing", len(br.Problems))
	}
	if failed > 0 {
		return errSomeFailed(failed, len(results)+failed)
	}
	return nil
}

// briefInputs collects the results to brief: read from --from, or made by
// the pipeline from articles (inputs that already are tarjama results are
// used as they are). failed counts inputs that could not be read or whose
// pipeline run failed entirely.
func (a *App) briefInputs(ctx context.Context, args []string, o *briefOptions) ([]pipeline.Result, int, error) {
	if o.from != "" {
		var r io.Reader = a.Stdin
		if o.from != "-" {
			f, err := os.Open(o.from)
			if err != nil {
				return nil, 0, usageErrorf("--from: %v", err)
			}
			defer f.Close()
			r = f
		}
		rs, err := brief.ReadResults(r)
		if err != nil {
			return nil, 0, usageErrorf("--from %s: %v", o.from, err)
		}
		return rs, 0, nil
	}
	if o.in != "" {
		args = append(args, o.in)
	}
	var (
		results []pipeline.Result
		failed  int
		p       *pipeline.Pipeline
	)
	err := a.eachInput(ctx, args, input.Options{MaxBytes: o.maxBytes}, func(u unit) error {
		if u.err != nil {
			failed++
			a.reportInputError(u.err)
			return nil
		}
		if u.res != nil {
			results = append(results, *u.res)
			return nil
		}
		if p == nil {
			var err error
			if p, err = a.Pipeline(ctx); err != nil {
				return err
			}
		}
		if o.lang != "" {
			u.doc.Lang = o.lang
		}
		res, err := p.Continue(ctx, p.Prepare(u.doc), pipeline.AllSteps)
		if err != nil {
			return err
		}
		for _, e := range res.Errors {
			a.Logger.Warn("document step failed", "id", res.ID, "step", e.Step, "error", e.Message)
		}
		results = append(results, *res)
		return nil
	})
	if err != nil {
		return nil, failed, err
	}
	if len(results) == 0 && failed == 0 {
		return nil, 0, usageErrorf("no documents found in %s", strings.Join(args, " "))
	}
	return results, failed, nil
}

// writeBriefing writes the finished briefing to path, or stdout.
func (a *App) writeBriefing(path string, data []byte) error {
	if path == "" || path == "-" {
		_, err := a.Stdout.Write(data)
		return err
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return usageErrorf("writing the briefing: %v", err)
	}
	return nil
}
