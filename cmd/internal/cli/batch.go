package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"runtime/pprof"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/tarjama/tarjama/pipeline"
	"github.com/tarjama/tarjama/pipeline/batch"
	"github.com/tarjama/tarjama/pipeline/input"
	"github.com/tarjama/tarjama/pipeline/llm/tokens"
)

// batchOptions are batch's own flags; the pipeline settings are run's.
type batchOptions struct {
	run         runOptions
	in          []string
	out         string
	jobs        int
	retryFailed bool
	shard       string
	maxCost     float64
	prices      string
	dryRun      bool
	noDedup     bool
	interval    time.Duration
	cpuProfile  string
}

func newBatchCmd(a *App) *cobra.Command {
	o := &batchOptions{}
	cmd := &cobra.Command{
		Use:   "batch --in PATH... --out FILE.jsonl|DIR/ [-j N]",
		Short: "Process thousands of documents: concurrent, resumable, exactly once",
		Long: `Run the pipeline over many documents with -j documents at a time, writing
one record per document (in completion order) to a JSON Lines file or a
directory of JSON files. A failed document gets an error record (its result
with "errors": [{"step", "message"}]) and the run goes on; bad input (an
unreadable file, a malformed line, an empty document) is reported on stderr
and skipped. The exit code is 1 when any document failed.

A checkpoint beside the output (FILE.checkpoint.jsonl, or
DIR/.tarjama-checkpoint.jsonl) makes the run resumable: after a crash,
kill -9 or Ctrl-C, run the same command again and only what is missing is
processed, each document exactly once. A document whose content changed is
processed again; --retry-failed also redoes the error records. Identical
documents are processed once.

--rpm/--tpm limit the whole job together and it slows down on 429s and
x-ratelimit headers. Cost is estimated from a price table (--prices to
override); --dry-run prints the estimate and calls nothing; --max-cost stops
cleanly at a budget (resumable). --shard K/N processes a deterministic 1/N
(K from 0) so N machines can split a corpus.`,
		Example: `  tarjama batch --in articles/ --out results.jsonl -j 16
  tarjama batch --in 'news/*.jsonl' --out results/ --max-cost 5
  tarjama batch --in corpus.jsonl --out part-$JOB_COMPLETION_INDEX.jsonl --shard $JOB_COMPLETION_INDEX/8
  tarjama batch --in corpus.jsonl --out results.jsonl --dry-run`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.in = append(o.in, args...)
			return a.runBatch(cmd.Context(), o)
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&o.in, "in", nil, "input: a directory (recursive: .txt .md .json .jsonl .ndjson), a file, a glob or - (repeatable; also as arguments)")
	f.StringVarP(&o.out, "out", "o", "", "output: a .jsonl file or a directory (ending in /) of JSON files; - or empty for stdout (no checkpoint, no resume)")
	f.IntVarP(&o.jobs, "jobs", "j", batch.DefaultJobs, "documents processed at once")
	f.BoolVar(&o.retryFailed, "retry-failed", false, "process again the documents whose record is an error record")
	f.StringVar(&o.shard, "shard", "", "process only shard K of N (K/N, 0 <= K < N), chosen by a hash of the id")
	f.Float64Var(&o.maxCost, "max-cost", 0, "stop cleanly (resumable) when the estimated cost reaches this many dollars (0: no limit)")
	f.StringVar(&o.prices, "prices", "", `price table overriding the built-in one: {"models": {"NAME": {"input": $/1M tokens, "output": $/1M tokens}}}`)
	f.BoolVar(&o.dryRun, "dry-run", false, "read the input and estimate documents, tokens and cost; call nothing, write nothing")
	f.BoolVar(&o.noDedup, "no-dedup", false, "process documents with identical text separately")
	f.DurationVar(&o.interval, "progress-interval", 5*time.Second, "how often JSON progress lines are printed when stderr is not a terminal")
	f.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of the run to FILE (for bench/batch)")
	f.MarkHidden("cpuprofile")
	r := &o.run
	f.IntVar(&r.summaryWords, "summary-words", 0, "summary length in words (default 100 with an LLM, about 3 sentences offline)")
	f.IntVar(&r.summaryBullets, "bullets", 0, "write the summary as N bullets instead of prose")
	f.StringVar(&r.summaryLang, "summary-lang", "en", "language of the summary")
	f.IntVar(&r.maxKeywords, "max-keywords", 0, "maximum number of keywords (default 12)")
	f.StringVar(&r.lang, "lang", "", "source language of documents that do not give one, skipping detection (e.g. ar)")
	f.BoolVar(&r.noTranslate, "no-translate", false, "do not translate (summary and keywords from the original text)")
	f.Int64Var(&r.maxBytes, "max-bytes", input.DefaultMaxBytes, "largest document accepted, in bytes")
	return cmd
}

func (a *App) runBatch(ctx context.Context, o *batchOptions) error {
	if err := o.run.validate(); err != nil {
		return err
	}
	if len(o.in) == 0 {
		return usageErrorf("no input: give --in PATH (a directory, file, glob or -)")
	}
	if o.jobs < 1 {
		return usageErrorf("-j must be at least 1")
	}
	if o.maxCost < 0 {
		return usageErrorf("--max-cost must not be negative")
	}
	if o.interval <= 0 {
		o.interval = 5 * time.Second
	}
	shard, err := batch.ParseShard(o.shard)
	if err != nil {
		return usageError(err)
	}
	prices := batch.DefaultPrices()
	if o.prices != "" {
		if prices, err = batch.LoadPrices(o.prices); err != nil {
			return usageError(err)
		}
	}
	// Progress, input errors, logs and the summary share stderr.
	lw := &lockedWriter{w: a.Stderr}
	a.Stderr = lw
	level := slog.LevelWarn
	if a.Cfg.Verbose {
		level = slog.LevelDebug
	}
	if a.Cfg.Quiet {
		level = slog.LevelError
	}
	a.Logger = slog.New(slog.NewTextHandler(lw, &slog.HandlerOptions{Level: level}))

	cfg := batch.Config{
		Jobs: o.jobs, Out: o.out, Stdout: a.Stdout, RetryFailed: o.retryFailed, Shard: shard,
		MaxCost: o.maxCost, Prices: prices, NoDedup: o.noDedup, Logger: a.Logger,
		OnInputError: a.reportInputError,
	}
	if o.out != "" && o.out != "-" {
		if cfg.OutDir, err = batch.OutIsDir(o.out); err != nil {
			return usageError(err)
		}
	} else if o.retryFailed {
		return usageErrorf("--retry-failed needs --out: the checkpoint lives beside the output")
	}
	opt := input.Options{MaxBytes: o.run.maxBytes}
	stdin := false
	for _, p := range o.in {
		stdin = stdin || p == "-"
	}
	walk := func() func(func(input.Item) bool) {
		return withLang(input.Walk(ctx, o.in, a.Stdin, opt), o.run.lang)
	}
	llmEngine := a.Cfg.EffectiveEngine() == "llm"
	ec := batch.EstimateConfig{Count: tokens.Count, Offline: !llmEngine,
		TranslateModel: a.Cfg.ModelFor("translate"), SummarizeModel: a.Cfg.ModelFor("summarize")}

	stats := batch.NewStats(nil)
	toDo := int64(-1) // unknown
	// A first pass gives the progress total and the dry-run estimate; stdin
	// can be read only once, so its total stays unknown.
	if o.dryRun || !stdin {
		pec := ec
		if !o.dryRun && o.maxCost == 0 {
			pec.Offline = true // only the count is needed: skip token counting
		}
		est, err := batch.Plan(ctx, walk(), cfg, pec)
		if err != nil {
			return usageError(err)
		}
		if o.dryRun {
			return a.printEstimate(est, ec, o)
		}
		stats.Total.Store(est.Docs)
		toDo = est.ToProcess
		if o.maxCost > 0 && est.CostUSD > o.maxCost && !a.Cfg.Quiet {
			a.infof("estimated cost $%.2f is over --max-cost $%.2f: the run will stop there (resumable)", est.CostUSD, o.maxCost)
		}
	}
	cfg.Stats = stats

	// Count HTTP attempts by cause; keep connections for every worker.
	base := a.HTTPClient
	if base == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost = max(o.jobs, 8)
		base = &http.Client{Transport: t}
	}
	hc := *base
	hc.Transport = batch.NewTransport(base.Transport, stats)
	a.HTTPClient = &hc

	// The engines are built when the first document needs them, so a run
	// with nothing left to do starts no model.
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	proc := &lazyPipeline{cancel: cancel, build: func() (*pipeline.Pipeline, error) {
		p, err := a.Pipeline(ctx)
		if err == nil {
			o.run.apply(p)
		}
		return p, err
	}}
	if toDo != 0 {
		// Build the engines now, so the run's clock (docs/s) starts after
		// them; a configuration error stops here.
		if err := proc.prepare(); err != nil {
			return err
		}
	}
	if o.cpuProfile != "" {
		pf, err := os.Create(o.cpuProfile)
		if err != nil {
			return usageError(err)
		}
		defer pf.Close()
		if err := pprof.StartCPUProfile(pf); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	stop := a.startProgress(stats, o.interval)
	snap, runErr := batch.Run(runCtx, walk(), proc, cfg)
	stop()
	if proc.err != nil {
		return proc.err
	}
	a.printSummary(snap)

	switch {
	case errors.Is(runErr, batch.ErrMaxCost):
		return &exitError{code: ExitFailed, err: fmt.Errorf("stopped at --max-cost $%.2f (estimated $%.2f spent): run the same command with a higher --max-cost to continue", o.maxCost, snap.CostUSD)}
	case runErr != nil:
		return runErr
	}
	if bad := snap.Failed + snap.SkippedFailed + snap.BadInput; bad > 0 {
		if snap.SkippedFailed > 0 {
			a.infof("%d documents failed in an earlier run and were not retried: add --retry-failed", snap.SkippedFailed)
		}
		return errSomeFailed(int(bad), int(snap.Done+snap.Skipped+snap.BadInput))
	}
	return nil
}

// lockedWriter serializes writes from several goroutines.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// lazyPipeline builds the pipeline on first use. A build error (say, no
// endpoint configured) stops the run through cancel, writing nothing for
// the documents in flight, and is returned by runBatch.
type lazyPipeline struct {
	build  func() (*pipeline.Pipeline, error)
	cancel func()
	once   sync.Once
	p      *pipeline.Pipeline
	err    error
}

func (l *lazyPipeline) prepare() error {
	l.once.Do(func() {
		if l.p, l.err = l.build(); l.err != nil {
			l.cancel()
		}
	})
	return l.err
}

func (l *lazyPipeline) Run(ctx context.Context, doc pipeline.Document) (*pipeline.Result, error) {
	if l.prepare() != nil {
		return nil, context.Canceled
	}
	return l.p.Run(ctx, doc)
}

// withLang sets the language of documents that do not give one.
func withLang(seq func(func(input.Item) bool), lang string) func(func(input.Item) bool) {
	if lang == "" {
		return seq
	}
	return func(yield func(input.Item) bool) {
		for it := range seq {
			if it.Err == nil && it.Doc.Lang == "" {
				it.Doc.Lang = lang
			}
			if !yield(it) {
				return
			}
		}
	}
}

// startProgress draws progress until the returned func is called: a bar on
// a terminal, else one JSON line every interval on stderr.
func (a *App) startProgress(stats *batch.Stats, interval time.Duration) (stop func()) {
	if a.Cfg.Quiet {
		return func() {}
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	if a.StderrIsTerminal {
		total := stats.Total.Load()
		if total == 0 {
			total = -1 // unknown: a spinner
		}
		bar := progressbar.NewOptions64(total,
			progressbar.OptionSetWriter(a.Stderr),
			progressbar.OptionSetItsString("docs"),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(200*time.Millisecond),
			progressbar.OptionSetWidth(30),
			progressbar.OptionShowDescriptionAtLineEnd(),
		)
		go func() {
			defer close(finished)
			tick := time.NewTicker(250 * time.Millisecond)
			defer tick.Stop()
			for {
				s := stats.Snapshot()
				bar.Describe(fmt.Sprintf("%s tokens, $%.4f", humanCount(s.PromptTokens+s.CompletionTokens), s.CostUSD))
				bar.Set64(s.Done + s.Skipped)
				select {
				case <-done:
					bar.Finish()
					fmt.Fprintln(a.Stderr)
					return
				case <-tick.C:
				}
			}
		}()
	} else {
		go func() {
			defer close(finished)
			tick := time.NewTicker(interval)
			defer tick.Stop()
			for {
				select {
				case <-done:
					return
				case <-tick.C:
					a.jsonLine("progress", stats.Snapshot())
				}
			}
		}()
	}
	return func() { close(done); <-finished }
}

func (a *App) jsonLine(event string, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		return
	}
	fmt.Fprintf(a.Stderr, `{"event":%q,%s`+"\n", event, b[1:])
}

func humanCount(n int64) string {
	switch {
	case n >= 10_000_000:
		return fmt.Sprintf("%.0fM", float64(n)/1e6)
	case n >= 1_000_000:
		return fmt.Sprintf("%.1fM", float64(n)/1e6)
	case n >= 10_000:
		return fmt.Sprintf("%.0fk", float64(n)/1e3)
	}
	return fmt.Sprint(n)
}

// printSummary writes the end-of-run summary on stderr: prose on a
// terminal, one JSON line otherwise.
func (a *App) printSummary(s batch.Snapshot) {
	if a.Cfg.Quiet {
		return
	}
	if !a.StderrIsTerminal {
		a.jsonLine("summary", s)
		return
	}
	w := a.Stderr
	fmt.Fprintf(w, "documents: %d ok, %d failed, %d skipped (done before", s.OK, s.Failed, s.Skipped)
	if s.SkippedFailed > 0 {
		fmt.Fprintf(w, ", %d of them error records", s.SkippedFailed)
	}
	fmt.Fprintf(w, "), %d bad input", s.BadInput)
	if s.Deduped > 0 {
		fmt.Fprintf(w, ", %d reused (same text)", s.Deduped)
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "time: %s, %.1f docs/s\n", time.Duration(s.ElapsedS*float64(time.Second)).Round(100*time.Millisecond), s.DocsPerS)
	if s.Calls > 0 || s.PromptTokens > 0 {
		fmt.Fprintf(w, "API: %d calls, %d attempts; tokens: %d in, %d out; estimated cost $%.4f\n",
			s.Calls, s.Attempts, s.PromptTokens, s.CompletionTokens, s.CostUSD)
		stages := make([]string, 0, len(s.ByStage))
		for k := range s.ByStage {
			stages = append(stages, k)
		}
		sort.Strings(stages)
		for _, k := range stages {
			u := s.ByStage[k]
			fmt.Fprintf(w, "  %-10s %6d calls %10d in %10d out\n", k, u.Calls, u.PromptTokens, u.CompletionTokens)
		}
	}
	if len(s.Retries) > 0 {
		var parts []string
		for k, v := range s.Retries {
			parts = append(parts, fmt.Sprintf("%s %d", k, v))
		}
		sort.Strings(parts)
		fmt.Fprintf(w, "failed attempts (retried) by cause: %s\n", strings.Join(parts, ", "))
	}
	if len(s.UnknownModels) > 0 {
		fmt.Fprintf(w, "no price for %s: its cost is counted as 0 (give --prices FILE)\n", strings.Join(s.UnknownModels, ", "))
	}
}

// printEstimate writes the dry-run estimate: JSON on stdout, a sentence on
// stderr.
func (a *App) printEstimate(e batch.Estimate, ec batch.EstimateConfig, o *batchOptions) error {
	b, err := json.MarshalIndent(e, "", "  ")
	if err != nil {
		return err
	}
	fmt.Fprintf(a.Stdout, "%s\n", b)
	if ec.Offline {
		a.infof("dry run: %d documents to process (%d done, %d duplicates, %d bad input) with the offline engine: no API cost", e.ToProcess, e.Skipped, e.Duplicates, e.BadInput)
		return nil
	}
	a.infof("dry run: %d documents to process (%d done, %d duplicates, %d bad input); about %d calls, %d tokens in, %d out; estimated $%.2f with %s/%s (±50%%)",
		e.ToProcess, e.Skipped, e.Duplicates, e.BadInput, e.Calls, e.PromptTokens, e.CompletionTokens, e.CostUSD, ec.TranslateModel, ec.SummarizeModel)
	if len(e.UnknownModels) > 0 {
		a.infof("no price for %s: give --prices FILE", strings.Join(e.UnknownModels, ", "))
	}
	return nil
}
