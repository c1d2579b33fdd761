package cli

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/tarjama/tarjama/pipeline"
	"github.com/tarjama/tarjama/pipeline/input"
)

// runOptions are the flags shared by run and the stage commands.
type runOptions struct {
	output         string
	format         string
	summaryWords   int
	summaryBullets int
	summaryLang    string
	maxKeywords    int
	lang           string
	noTranslate    bool
	maxBytes       int64
}

func (o *runOptions) addFlags(cmd *cobra.Command, formats string) {
	f := cmd.Flags()
	f.StringVarP(&o.output, "output", "o", "", "write results to FILE (default stdout)")
	f.StringVar(&o.format, "format", "json", "output format: "+formats)
	f.IntVar(&o.summaryWords, "summary-words", 0, "summary length in words (default 100 with an LLM, about 3 sentences offline)")
	f.IntVar(&o.summaryBullets, "bullets", 0, "write the summary as N bullets instead of prose")
	f.StringVar(&o.summaryLang, "summary-lang", "en", "language of the summary (e.g. ar to compare with Arabic references; LLM engine)")
	f.IntVar(&o.maxKeywords, "max-keywords", 0, "maximum number of keywords (default 12)")
	f.StringVar(&o.lang, "lang", "", "source language, skipping detection (e.g. ar)")
	f.BoolVar(&o.noTranslate, "no-translate", false, "do not translate (summary and keywords from the original text)")
	f.Int64Var(&o.maxBytes, "max-bytes", input.DefaultMaxBytes, "largest document accepted, in bytes")
}

func (o *runOptions) apply(p *pipeline.Pipeline) {
	p.Options.SummaryWords = o.summaryWords
	p.Options.SummaryBullets = o.summaryBullets
	p.Options.SummaryLang = o.summaryLang
	p.Options.MaxKeywords = o.maxKeywords
	p.Options.NoTranslate = o.noTranslate
}

func (o *runOptions) validate() error {
	if o.summaryWords < 0 || o.summaryBullets < 0 || o.maxKeywords < 0 {
		return usageErrorf("--summary-words, --bullets and --max-keywords must not be negative")
	}
	if o.maxBytes <= 0 {
		return usageErrorf("--max-bytes must be positive")
	}
	return nil
}

func newRunCmd(a *App) *cobra.Command {
	o := &runOptions{}
	cmd := &cobra.Command{
		Use:   "run [FILE|DIR|-]...",
		Short: "Run the whole pipeline: detect, clean, translate, summarize, keywords",
		Long: `Run the whole pipeline on each input: plain UTF-8 text files (one article
each), .jsonl/.json files of documents with "id" and "text" (optional
"title", "url", "published", "lang"), directories, or - for standard input.

Output: one JSON object per document (JSON Lines), or --format md for a
readable report. Bad inputs are reported on stderr, one line each, and the
other documents are still processed; the exit code is then 1.`,
		Example: `  tarjama run testdata/seed/qaani-kadhimi-2020-11-25.ar.txt --format md
  tarjama run news.jsonl -o results.jsonl
  cat article.txt | tarjama run -`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runPipeline(cmd.Context(), args, o, pipeline.AllSteps, nil)
		},
	}
	o.addFlags(cmd, "json, md")
	return cmd
}

// runPipeline runs steps over every input and writes the results.
func (a *App) runPipeline(ctx context.Context, args []string, o *runOptions, steps pipeline.Steps, text func(*pipeline.Result) string) error {
	if err := o.validate(); err != nil {
		return err
	}
	if text == nil && o.format == "text" {
		return usageErrorf("--format text is for the single stages (detect, translate, summarize, keywords)")
	}
	out, err := a.openOutput(o.output, o.format)
	if err != nil {
		return err
	}
	out.text = text
	out.pretty = o.output == "" && a.stdoutIsTerminal()
	var p *pipeline.Pipeline
	total, failed := 0, 0
	var usage pipeline.Usage
	werr := a.eachInput(ctx, args, input.Options{MaxBytes: o.maxBytes}, func(u unit) error {
		total++
		if u.err != nil {
			failed++
			a.reportInputError(u.err)
			return nil
		}
		if p == nil {
			var err error
			if steps == (pipeline.Steps{}) {
				p, err = a.localPipeline()
			} else {
				p, err = a.Pipeline(ctx)
			}
			if err != nil {
				return err
			}
			o.apply(p)
		}
		res := u.res
		if res == nil {
			if o.lang != "" {
				u.doc.Lang = o.lang
			}
			res = p.Prepare(u.doc)
		}
		res, err := p.Continue(ctx, res, steps)
		if err != nil {
			return err
		}
		if res.Failed() {
			failed++
			for _, e := range res.Errors {
				fmt.Fprintf(a.Stderr, "tarjama: %s: %s failed: %s\n", res.ID, e.Step, oneLine(e.Message))
			}
		}
		usage = usage.Add(res.Usage)
		if err := out.write(res); err != nil {
			return fmt.Errorf("writing output: %w", err)
		}
		return nil
	})
	// Whatever happened, what was processed is written out.
	if ferr := out.finish(); ferr != nil && werr == nil {
		werr = ferr
	}
	if werr != nil {
		return werr
	}
	if total == 0 {
		return usageErrorf("no documents found in %s", strings.Join(args, " "))
	}
	if usage.Calls > 0 {
		a.infof("%d documents, %d API calls, %d prompt + %d completion tokens", total, usage.Calls, usage.PromptTokens, usage.CompletionTokens)
	}
	if failed > 0 {
		return errSomeFailed(failed, total)
	}
	return nil
}

func (a *App) stdoutIsTerminal() bool {
	f, ok := a.Stdout.(*os.File)
	return ok && isTerminal(f)
}

func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }
