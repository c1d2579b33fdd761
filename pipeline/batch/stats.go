package batch

import (
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tarjama/tarjama/pipeline"
)

// Stats are a run's live counters, safe for concurrent use. Run updates
// them; the caller reads Snapshot to draw progress however it likes.
type Stats struct {
	// Total is the number of good documents (in the shard) the run will
	// see, Estimate.Docs from Plan; 0 when unknown (stdin).
	Total atomic.Int64

	done, ok, failed, skipped, skippedFailed, deduped, badInput atomic.Int64
	calls, attempts, promptTokens, completionTokens             atomic.Int64
	costNano                                                    atomic.Int64 // dollars × 1e9

	mu            sync.Mutex
	start         time.Time
	now           func() time.Time
	byStage       map[string]pipeline.Usage
	retries       map[string]int64
	unknownModels map[string]bool
}

// NewStats starts the clock.
func NewStats(now func() time.Time) *Stats {
	if now == nil {
		now = time.Now
	}
	return &Stats{start: now(), now: now, byStage: map[string]pipeline.Usage{}, retries: map[string]int64{}, unknownModels: map[string]bool{}}
}

// restart sets the clock's start to now: elapsed time and rates count from
// Run, not from when the caller built its engines.
func (s *Stats) restart() {
	s.mu.Lock()
	s.start = s.now()
	s.mu.Unlock()
}

// AddRetry counts one failed HTTP attempt by cause ("429", "5xx",
// "timeout", "reset").
func (s *Stats) AddRetry(cause string) {
	s.mu.Lock()
	s.retries[cause]++
	s.mu.Unlock()
}

// Cost is the running estimate in dollars.
func (s *Stats) Cost() float64 { return float64(s.costNano.Load()) / 1e9 }

// addResult counts what one processed document spent.
func (s *Stats) addResult(r *pipeline.Result, prices Prices) {
	var cost float64
	s.mu.Lock()
	for _, t := range r.Trace {
		if t.Usage == (pipeline.Usage{}) && t.Attempts == 0 {
			continue
		}
		s.byStage[t.Step] = s.byStage[t.Step].Add(t.Usage)
		s.calls.Add(int64(t.Usage.Calls))
		s.attempts.Add(int64(t.Attempts))
		s.promptTokens.Add(int64(t.Usage.PromptTokens))
		s.completionTokens.Add(int64(t.Usage.CompletionTokens))
		c, ok := prices.Cost(t.Model, t.Usage)
		if !ok && t.Model != "" && t.Usage.PromptTokens+t.Usage.CompletionTokens > 0 {
			s.unknownModels[t.Model] = true
		}
		cost += c
	}
	s.mu.Unlock()
	s.costNano.Add(int64(cost * 1e9))
}

// Snapshot is a point-in-time copy of Stats, also the JSON progress line
// and the end-of-run summary.
type Snapshot struct {
	Total int64 `json:"total,omitempty"`
	// Done counts records written in this run (OK + Failed).
	Done   int64 `json:"done"`
	OK     int64 `json:"ok"`
	Failed int64 `json:"failed"`
	// Skipped were already in the output (checkpoint); SkippedFailed of them
	// are error records not retried (see --retry-failed).
	Skipped       int64 `json:"skipped"`
	SkippedFailed int64 `json:"skipped_failed,omitempty"`
	// Deduped reused the result of a document with the same text.
	Deduped int64 `json:"deduped,omitempty"`
	// BadInput are unreadable files, malformed lines, empty documents.
	BadInput         int64                     `json:"bad_input,omitempty"`
	Calls            int64                     `json:"calls"`
	Attempts         int64                     `json:"attempts"`
	PromptTokens     int64                     `json:"prompt_tokens"`
	CompletionTokens int64                     `json:"completion_tokens"`
	CostUSD          float64                   `json:"cost_usd"`
	ElapsedS         float64                   `json:"elapsed_s"`
	DocsPerS         float64                   `json:"docs_per_s"`
	ETAS             float64                   `json:"eta_s,omitempty"`
	ByStage          map[string]pipeline.Usage `json:"by_stage,omitempty"`
	// Retries counts failed HTTP attempts by cause.
	Retries       map[string]int64 `json:"retries,omitempty"`
	UnknownModels []string         `json:"unknown_price_models,omitempty"`
}

// Snapshot copies the counters.
func (s *Stats) Snapshot() Snapshot {
	sn := Snapshot{
		Total: s.Total.Load(), Done: s.done.Load(), OK: s.ok.Load(), Failed: s.failed.Load(),
		Skipped: s.skipped.Load(), SkippedFailed: s.skippedFailed.Load(), Deduped: s.deduped.Load(), BadInput: s.badInput.Load(),
		Calls: s.calls.Load(), Attempts: s.attempts.Load(),
		PromptTokens: s.promptTokens.Load(), CompletionTokens: s.completionTokens.Load(),
		CostUSD: s.Cost(),
	}
	s.mu.Lock()
	el := s.now().Sub(s.start)
	s.mu.Unlock()
	sn.ElapsedS = el.Seconds()
	if el > 0 {
		sn.DocsPerS = float64(sn.Done) / el.Seconds()
	}
	if left := sn.Total - sn.Done - sn.Skipped; sn.Total > 0 && sn.DocsPerS > 0 && left > 0 {
		sn.ETAS = float64(left) / sn.DocsPerS
	}
	s.mu.Lock()
	if len(s.byStage) > 0 {
		sn.ByStage = make(map[string]pipeline.Usage, len(s.byStage))
		for k, v := range s.byStage {
			sn.ByStage[k] = v
		}
	}
	if len(s.retries) > 0 {
		sn.Retries = make(map[string]int64, len(s.retries))
		for k, v := range s.retries {
			sn.Retries[k] = v
		}
	}
	for m := range s.unknownModels {
		sn.UnknownModels = append(sn.UnknownModels, m)
	}
	s.mu.Unlock()
	sort.Strings(sn.UnknownModels)
	return sn
}
