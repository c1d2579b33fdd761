package batch

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"unicode"

	"github.com/tarjama/tarjama/pipeline"
	"github.com/tarjama/tarjama/pipeline/input"
)

// Processor takes one document through the steps. *pipeline.Pipeline
// satisfies it: a failed step is reported in Result.Errors and the error is
// non-nil only when ctx is done.
type Processor interface {
	Run(ctx context.Context, doc pipeline.Document) (*pipeline.Result, error)
}

var _ Processor = (*pipeline.Pipeline)(nil)

// DefaultJobs is the default number of documents processed at once.
const DefaultJobs = 8

// Config configures Run. The zero value writes JSON Lines to Stdout with
// DefaultJobs workers.
type Config struct {
	// Jobs is how many documents are processed at once; DefaultJobs when 0.
	Jobs int
	// Out is a JSON Lines file (".jsonl"/".ndjson"), or a directory (one
	// JSON file per document) when OutDir is set; "" or "-" writes JSON
	// Lines to Stdout with no checkpoint (no resume).
	Out    string
	OutDir bool
	Stdout io.Writer
	// RetryFailed processes again the documents whose last record is an
	// error record; otherwise they are skipped like finished ones.
	RetryFailed bool
	Shard       Shard
	// MaxCost stops the run, cleanly and resumably, once the estimated cost
	// reaches it (dollars; 0: no limit). Documents in flight finish, so it
	// can be overshot by up to Jobs documents.
	MaxCost float64
	Prices  Prices
	// NoDedup turns off the reuse of results for documents with the same
	// normalized title and text.
	NoDedup bool
	// Stats receives the live counters; one is made when nil.
	Stats *Stats
	// OnInputError is told about each bad input item (it is counted and
	// skipped); nil: ignored.
	OnInputError func(error)
	Logger       *slog.Logger
}

// ErrMaxCost is returned when the run stopped at Config.MaxCost.
var ErrMaxCost = errors.New("stopped at the --max-cost budget")

// dedupWindow is how many recent distinct texts are remembered for reuse;
// older duplicates are processed again (the response cache, when on, still
// saves the calls).
const dedupWindow = 1024

// flight is one text being (or having been) processed, shared by its
// duplicates.
type flight struct {
	done  chan struct{}
	res   *pipeline.Result
	owner string
}

type job struct {
	doc     pipeline.Document
	content string
	fl      *flight
	dupOf   *flight // set when this document reuses another's result
	// supersedes: the output already has a record for this id.
	supersedes bool
}

// Run processes items and writes one record per document, in completion
// order. It returns the final counters. The error is ErrMaxCost, ctx's
// error when interrupted (what finished is written), or an output error;
// documents that failed are not an error (see Snapshot.Failed).
func Run(ctx context.Context, items iter.Seq[input.Item], p Processor, cfg Config) (Snapshot, error) {
	stats := cfg.Stats
	if stats == nil {
		stats = NewStats(nil)
	}
	stats.restart()
	if cfg.Jobs <= 0 {
		cfg.Jobs = DefaultJobs
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	states := map[idKey]docState{}
	var sk sink
	var err error
	switch {
	case cfg.Out == "" || cfg.Out == "-":
		w := cfg.Stdout
		if w == nil {
			w = os.Stdout
		}
		sk = streamSink{w}
	case cfg.OutDir:
		sk, err = openDir(cfg.Out, states)
	default:
		sk, err = openJSONL(cfg.Out, states)
	}
	if err != nil {
		return stats.Snapshot(), err
	}

	// Workers stop on ctx (or when writing fails); the writer does not, so
	// what finished is kept.
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan job, cfg.Jobs)
	results := make(chan record, cfg.Jobs)
	var wg sync.WaitGroup
	for range cfg.Jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				if rec, ok := process(runCtx, p, j, stats, cfg.Prices, log); ok {
					results <- rec
				}
			}
		}()
	}
	writeErr := make(chan error, 1)
	go func() { writeErr <- writeLoop(sk, results, stats, cancel) }()

	var stopErr error
	recent := map[string]*flight{}
	var order []string
read:
	for it := range items {
		if it.Err != nil {
			stats.badInput.Add(1)
			if cfg.OnInputError != nil {
				cfg.OnInputError(it.Err)
			}
			continue
		}
		doc := it.Doc
		if !cfg.Shard.Has(doc.ID) {
			continue
		}
		k := keyOf(doc.ID)
		st, known := states[k]
		if !known {
			st.idx = -1
		}
		if st.seen {
			stats.badInput.Add(1)
			if cfg.OnInputError != nil {
				cfg.OnInputError(&input.Error{Source: doc.Source, Line: doc.Line,
					Msg: fmt.Sprintf("duplicate id %q: an earlier document has it; give each document its own id (this one is skipped)", doc.ID)})
			}
			continue
		}
		st.seen = true
		states[k] = st
		content := contentHash(doc)
		if st.idx >= 0 && st.content == shortHash(content) && !(st.failed && cfg.RetryFailed) {
			stats.skipped.Add(1)
			if st.failed {
				stats.skippedFailed.Add(1)
			}
			continue
		}
		if cfg.MaxCost > 0 && stats.Cost() >= cfg.MaxCost {
			stopErr = ErrMaxCost
			break
		}
		j := job{doc: doc, content: content, supersedes: st.idx >= 0}
		if !cfg.NoDedup {
			tk := textKey(doc)
			if fl, ok := recent[tk]; ok {
				j.dupOf = fl
			} else {
				j.fl = &flight{done: make(chan struct{}), owner: doc.ID}
				recent[tk] = j.fl
				order = append(order, tk)
				if len(order) > dedupWindow {
					delete(recent, order[0])
					order = order[1:]
				}
			}
		}
		select {
		case jobs <- j:
		case <-runCtx.Done():
			if j.fl != nil {
				close(j.fl.done)
			}
			break read
		}
	}
	close(jobs)
	wg.Wait()
	close(results)
	werr := <-writeErr
	cerr := sk.close()
	snap := stats.Snapshot()
	switch {
	case werr != nil:
		return snap, werr
	case cerr != nil:
		return snap, cerr
	case ctx.Err() != nil:
		return snap, fmt.Errorf("batch interrupted: %w", ctx.Err())
	}
	return snap, stopErr
}

// process runs one job; ok is false when the run was interrupted before
// the document finished (it is then not written, and done again on resume).
func process(ctx context.Context, p Processor, j job, stats *Stats, prices Prices, log *slog.Logger) (rec record, ok bool) {
	var res *pipeline.Result
	if j.dupOf != nil {
		select {
		case <-j.dupOf.done:
		case <-ctx.Done():
			return record{}, false
		}
		if j.dupOf.res == nil { // the original was interrupted
			return record{}, false
		}
		res = reuse(j.dupOf.res, j.doc, j.dupOf.owner)
		stats.deduped.Add(1)
	} else {
		var err error
		res, err = runSafe(ctx, p, j.doc)
		if err != nil && ctx.Err() != nil {
			if j.fl != nil {
				close(j.fl.done)
			}
			return record{}, false
		}
		if err != nil || res == nil {
			msg := "the processor returned no result"
			if err != nil {
				msg = err.Error()
			}
			log.Warn("document failed", "id", j.doc.ID, "err", msg)
			res = &pipeline.Result{Schema: pipeline.SchemaVersion, ID: j.doc.ID, Source: j.doc.Source, URL: j.doc.URL,
				Published: j.doc.Published, Keywords: []pipeline.Keyword{},
				Errors: []pipeline.StepError{{Step: "batch", Message: msg}}}
		}
		stats.addResult(res, prices)
		if j.fl != nil {
			j.fl.res = res
			close(j.fl.done)
		}
	}
	failed := res.Failed()
	line, err := json.Marshal(res)
	if err != nil {
		failed = true
		line, _ = json.Marshal(pipeline.Result{Schema: pipeline.SchemaVersion, ID: j.doc.ID, Keywords: []pipeline.Keyword{},
			Errors: []pipeline.StepError{{Step: "batch", Message: "encoding the result: " + err.Error()}}})
	}
	return record{id: j.doc.ID, content: j.content, failed: failed, line: line, supersedes: j.supersedes}, true
}

// runSafe turns a panic in the processor into a failed document.
func runSafe(ctx context.Context, p Processor, doc pipeline.Document) (res *pipeline.Result, err error) {
	defer func() {
		if r := recover(); r != nil {
			res, err = nil, fmt.Errorf("internal error (panic: %v); please report it", r)
		}
	}()
	return p.Run(ctx, doc)
}

// reuse copies another document's result for doc: same analysis, doc's
// identity, no tokens spent.
func reuse(orig *pipeline.Result, doc pipeline.Document, owner string) *pipeline.Result {
	r := *orig
	r.ID, r.Source, r.URL, r.Published = doc.ID, doc.Source, doc.URL, doc.Published
	r.Usage = pipeline.Usage{}
	r.Trace = make([]pipeline.Trace, len(orig.Trace))
	for i, t := range orig.Trace {
		t.Usage, t.Attempts, t.Cached = pipeline.Usage{}, 0, t.Engine == "llm"
		t.Notes = append(append([]string(nil), t.Notes...), "reused the result of "+owner+" (same text)")
		r.Trace[i] = t
	}
	return &r
}

// textKey identifies a document's text for deduplication: title, language
// and text with white space collapsed.
func textKey(d pipeline.Document) string {
	h := sha256.New()
	for _, s := range []string{d.Lang, d.Title, d.Text} {
		h.Write([]byte(strings.Join(strings.FieldsFunc(s, func(r rune) bool {
			return unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff'
		}), " ")))
		h.Write([]byte{0})
	}
	return string(h.Sum(nil))
}

// writeLoop writes records as they come, grouping those already waiting
// into one write and one fsync.
func writeLoop(sk sink, results <-chan record, stats *Stats, stop func()) error {
	var failed error
	group := make([]record, 0, 64)
	for rec := range results {
		if failed != nil {
			continue // drain so workers can finish
		}
		group = append(group[:0], rec)
	drain:
		for len(group) < cap(group) {
			select {
			case r, ok := <-results:
				if !ok {
					break drain
				}
				group = append(group, r)
			default:
				break drain
			}
		}
		if err := sk.write(group); err != nil {
			failed = err
			stop()
			continue
		}
		for _, r := range group {
			stats.done.Add(1)
			if r.failed {
				stats.failed.Add(1)
			} else {
				stats.ok.Add(1)
			}
		}
	}
	return failed
}

// OutIsDir decides whether --out names a directory: an existing directory,
// or a path ending in a separator. A path ending in .jsonl or .ndjson is a
// file; anything else is ambiguous and an error.
func OutIsDir(out string) (bool, error) {
	if st, err := os.Stat(out); err == nil && st.IsDir() {
		return true, nil
	}
	if strings.HasSuffix(out, "/") || strings.HasSuffix(out, string(filepath.Separator)) {
		return true, nil
	}
	switch strings.ToLower(filepath.Ext(out)) {
	case ".jsonl", ".ndjson":
		return false, nil
	}
	return false, fmt.Errorf("--out %s: say results.jsonl for a JSON Lines file or %s/ for a directory of JSON files", out, out)
}
