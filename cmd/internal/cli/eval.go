package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/tarjama/tarjama/eval"
	"github.com/tarjama/tarjama/eval/llmjudge"
	"github.com/tarjama/tarjama/pipeline/llm"
)

// evalOptions are tarjama eval's flags.
type evalOptions struct {
	data, outputs          string
	baseline, saveBaseline string
	failUnder, maxDrop     []string
	alpha                  float64
	bootstrap              int
	seed                   uint64
	repeat                 int
	workers                int
	judge                  string
	judgeSamples           int
	reportJSON, junit, md  string
	format                 string
	stem, normalize        bool
	tokenize               string
	unstableRange          float64
}

func newEvalCmd(a *App) *cobra.Command {
	o := &evalOptions{}
	cmd := &cobra.Command{
		Use:   "eval --data DATASET.jsonl",
		Short: "Evaluate the pipeline on a dataset, compare with a baseline, gate regressions",
		Long: `Run the pipeline over a dataset (or read a previous run with --outputs), score
summaries (ROUGE), translations (BLEU, chrF, chrF++, TER), keywords (P/R/F1,
exact and partial), length, compression and a cheap faithfulness signal, each
corpus score with a 95% bootstrap confidence interval.

Dataset lines: {"id", "text", "lang"?, "title"?, "reference_summary"?,
"summary_lang"?, "reference_translation"?, "reference_keywords"?, "meta"?}.

With --baseline (a report saved with --save-baseline or --report-json), every
metric is compared on the items both runs have, with a paired bootstrap
p-value. The gate: --fail-under METRIC=VALUE fails when the score is below
VALUE; --max-drop METRIC=DELTA fails when the score dropped by more than DELTA
from the baseline AND the drop is significant at --alpha (for ter a drop is an
increase).

Exit codes: 0 pass, 1 regression (the report says which check failed and
why), 2 usage or data error.`,
		Example: `  tarjama eval --data testdata/eval/eval.jsonl --engine offline
  tarjama eval --data testdata/eval/eval.jsonl --cache testdata/eval/cache --cache-mode replay \
      --baseline testdata/eval/baseline.json --max-drop rougeL=0.02 --max-drop chrf=1 \
      --junit eval.xml --markdown eval.md
  tarjama eval --data eval.jsonl --outputs results.jsonl --save-baseline baseline.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.evaluate(cmd.Context(), o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.data, "data", "", "dataset, JSON Lines")
	f.StringVar(&o.outputs, "outputs", "", "score these results (JSON Lines as tarjama run writes them) instead of running the pipeline")
	f.StringVar(&o.baseline, "baseline", "", "compare with this saved report")
	f.StringVar(&o.saveBaseline, "save-baseline", "", "save this run's report (with per-item statistics) as a baseline")
	f.StringArrayVar(&o.failUnder, "fail-under", nil, "fail when METRIC's corpus score is below VALUE (METRIC=VALUE, repeatable)")
	f.StringArrayVar(&o.maxDrop, "max-drop", nil, "fail when METRIC dropped from the baseline by more than DELTA, significantly (METRIC=DELTA, repeatable)")
	f.Float64Var(&o.alpha, "alpha", 0.05, "significance level for --max-drop")
	f.IntVar(&o.bootstrap, "bootstrap", 1000, "bootstrap resamples for intervals and p-values (0: none)")
	f.Uint64Var(&o.seed, "seed", 1, "bootstrap seed")
	f.IntVar(&o.repeat, "repeat", 1, "run each item K times and report the per-item spread")
	f.IntVar(&o.workers, "workers", 4, "documents run in parallel")
	f.StringVar(&o.judge, "judge", "", "rate summaries with this LLM (faithfulness, coverage, fluency 1-5)")
	f.IntVar(&o.judgeSamples, "judge-samples", 1, "judge answers averaged per item")
	f.StringVar(&o.reportJSON, "report-json", "", "write the JSON report to FILE")
	f.StringVar(&o.junit, "junit", "", "write a JUnit XML report to FILE")
	f.StringVar(&o.md, "markdown", "", "write a Markdown report (for a pull-request comment) to FILE")
	f.StringVar(&o.format, "format", "table", "stdout format: table, json, md")
	f.BoolVar(&o.stem, "stem", false, "ROUGE and keywords with stemming")
	f.BoolVar(&o.normalize, "normalize", false, "Arabic normalization before ROUGE")
	f.StringVar(&o.tokenize, "tokenize", "13a", "BLEU tokenizer: 13a, intl, none")
	f.Float64Var(&o.unstableRange, "unstable-range", 0.05, "with --repeat, flag items whose main metric (0-1 scale) varies by more than this")
	return cmd
}

func (o *evalOptions) config() (eval.Config, error) {
	var cfg eval.Config
	switch {
	case o.data == "":
		return cfg, usageErrorf("--data DATASET.jsonl is required")
	case o.alpha <= 0 || o.alpha >= 1:
		return cfg, usageErrorf("--alpha %g: want a level between 0 and 1, e.g. 0.05", o.alpha)
	case o.bootstrap < 0:
		return cfg, usageErrorf("--bootstrap must not be negative")
	case o.repeat < 1:
		return cfg, usageErrorf("--repeat must be at least 1")
	case o.repeat > 1 && o.outputs != "":
		return cfg, usageErrorf("--repeat runs the pipeline; it cannot be used with --outputs")
	case o.judgeSamples < 1:
		return cfg, usageErrorf("--judge-samples must be at least 1")
	case o.workers < 1:
		return cfg, usageErrorf("--workers must be at least 1")
	case len(o.maxDrop) > 0 && o.baseline == "":
		return cfg, usageErrorf("--max-drop needs --baseline")
	}
	switch o.format {
	case "table", "json", "md":
	default:
		return cfg, usageErrorf("--format %q: want table, json or md", o.format)
	}
	tok, err := eval.CheckTokenize(o.tokenize)
	if err != nil {
		return cfg, usageErrorf("--tokenize: %v", err)
	}
	cfg = eval.Config{
		ScoreConfig:   eval.ScoreConfig{Stem: o.stem, Normalize: o.normalize, Tokenize: tok},
		Bootstrap:     o.bootstrap,
		Seed:          o.seed,
		Alpha:         o.alpha,
		JudgeSamples:  o.judgeSamples,
		UnstableRange: o.unstableRange,
		Dataset:       o.data,
	}
	if o.bootstrap == 0 {
		cfg.Bootstrap = -1
	}
	for _, kv := range []struct {
		kind  string
		specs []string
	}{{"fail-under", o.failUnder}, {"max-drop", o.maxDrop}} {
		for _, s := range kv.specs {
			c, err := eval.ParseCheck(kv.kind, s)
			if err != nil {
				return cfg, usageError(err)
			}
			cfg.Checks = append(cfg.Checks, c)
		}
	}
	return cfg, nil
}

func (a *App) evaluate(ctx context.Context, o *evalOptions) error {
	cfg, err := o.config()
	if err != nil {
		return err
	}
	items, err := eval.LoadDataset(o.data)
	if err != nil {
		return usageError(err)
	}
	if o.baseline != "" {
		b, err := eval.LoadReport(o.baseline)
		if err != nil {
			return usageError(err)
		}
		cfg.Baseline, cfg.BaselineName = b, o.baseline
	}
	if o.judge != "" {
		j, err := a.judge(ctx, o)
		if err != nil {
			return err
		}
		cfg.Judge, cfg.JudgeName = j, o.judge
	}

	start := time.Now()
	var runs eval.Runs
	if o.outputs != "" {
		outs, err := eval.LoadOutputs(o.outputs)
		if err != nil {
			return usageError(err)
		}
		if runs, err = eval.OutputsFor(items, outs, o.outputs); err != nil {
			return usageError(err)
		}
	} else {
		p, err := a.Pipeline(ctx)
		if err != nil {
			return err
		}
		runs, err = eval.Run(ctx, items, eval.PipelineRunner(p, items), eval.RunOptions{Repeat: o.repeat, Workers: o.workers})
		if err != nil {
			return err
		}
	}
	rep, err := eval.Score(ctx, items, runs, cfg)
	if err != nil {
		if errors.Is(err, eval.ErrData) {
			return usageError(err)
		}
		return err
	}
	a.infof("evaluated %d items in %s", len(items), time.Since(start).Round(time.Millisecond))

	if err := a.writeEvalReports(rep, o); err != nil {
		return err
	}
	if f := rep.Gate.Failures(); len(f) > 0 {
		msgs := make([]string, len(f))
		for i, c := range f {
			msgs[i] = c.Reason
		}
		return &exitError{code: ExitFailed, err: fmt.Errorf("regression: %s", strings.Join(msgs, "; "))}
	}
	return nil
}

func (a *App) writeEvalReports(rep *eval.Report, o *evalOptions) error {
	var err error
	switch o.format {
	case "json":
		err = rep.WriteJSON(a.Stdout)
	case "md":
		err = rep.WriteMarkdown(a.Stdout)
	default:
		err = rep.WriteTable(a.Stdout)
	}
	if err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	files := []struct {
		path  string
		write func(f *os.File) error
	}{
		{o.reportJSON, func(f *os.File) error { return rep.WriteJSON(f) }},
		{o.saveBaseline, func(f *os.File) error { return rep.WriteJSON(f) }},
		{o.junit, func(f *os.File) error { return rep.WriteJUnit(f) }},
		{o.md, func(f *os.File) error { return rep.WriteMarkdown(f) }},
	}
	for _, fw := range files {
		if fw.path == "" {
			continue
		}
		if err := writeFile(fw.path, fw.write); err != nil {
			return err
		}
	}
	return nil
}

func writeFile(path string, write func(*os.File) error) error {
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return usageErrorf("report %s: %v", path, err)
		}
	}
	f, err := os.Create(path)
	if err != nil {
		return usageErrorf("report %s: %v", path, err)
	}
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("write report %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write report %s: %w", path, err)
	}
	return nil
}

// judge builds the LLM judge. Its answers are cached apart from the
// pipeline's, in DIR/judge under --cache DIR, keyed by the judge prompt's
// version and the judge model.
func (a *App) judge(ctx context.Context, o *evalOptions) (eval.JudgeModel, error) {
	var chat llmjudge.Chatter
	if a.Cfg.CacheMode == "off" {
		c, err := a.LLM(ctx, "judge")
		if err != nil {
			return nil, err
		}
		chat = c
	} else {
		if !a.Cfg.endpointConfigured() {
			return nil, usageError(errNoEndpoint)
		}
		cache, err := llm.NewCache(filepath.Join(a.Cfg.CacheDir, "judge"), a.Cfg.CacheMode)
		if err != nil {
			return nil, usageErrorf("judge cache: %v", err)
		}
		baseURL := a.Cfg.BaseURL
		if baseURL == "" {
			baseURL = "https://api.openai.com/v1"
		}
		c, err := llm.New(llm.Config{
			BaseURL: baseURL, APIKey: a.Cfg.APIKey, Model: o.judge,
			APIType: a.Cfg.APIType, APIVersion: a.Cfg.APIVersion,
			RequestTimeout: a.Cfg.Timeout, Logger: a.Logger, Cache: cache,
			Limiter: a.Limiter(), HTTPClient: a.HTTPClient,
		})
		if err != nil {
			return nil, usageErrorf("judge LLM client: %v", err)
		}
		chat = c
	}
	ps, err := a.Prompts()
	if err != nil {
		return nil, err
	}
	temp := 0.0
	if o.judgeSamples > 1 {
		temp = 0.7
	}
	return llmjudge.New(chat, ps, llmjudge.Config{Model: o.judge, Temperature: temp}), nil
}
