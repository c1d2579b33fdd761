package llm_test

import (
	"sync"
	"testing"
	"time"

	"github.com/tarjama/tarjama/pipeline/llm"
	"github.com/tarjama/tarjama/pipeline/llm/llmtest"
)

// One worker's 429 pauses every worker sharing the limiter until the reset.
func TestLimiterPausesAllWorkersOn429(t *testing.T) {
	srv := llmtest.NewServer(t)
	srv.Enqueue(llmtest.RateLimited("").
		WithHeader("x-ratelimit-remaining-requests", "0").
		WithHeader("x-ratelimit-reset-requests", "300ms"))
	lim := llm.NewLimiter(0, 0)
	c, sl := newClient(t, srv, func(c *llm.Config) { c.Limiter = lim })

	var wg sync.WaitGroup
	errs := make(chan error, 8)
	wg.Go(func() {
		_, err := c.Chat(t.Context(), userReq("first"))
		errs <- err
	})
	for lim.PausedUntil().IsZero() {
		time.Sleep(time.Millisecond)
	}
	until := lim.PausedUntil()
	for range 5 {
		wg.Go(func() {
			_, err := c.Chat(t.Context(), userReq("other"))
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	reqs := srv.Requests()
	if len(reqs) != 7 {
		t.Fatalf("%d requests, want 7", len(reqs))
	}
	for _, r := range reqs[1:] {
		if r.Arrived.Before(until) {
			t.Errorf("request %d (%s) arrived %v before the pause ended", r.N, r.LastUser(), until.Sub(r.Arrived))
		}
	}
	// The worker that got the 429 waited the reset too (recorded, not slept).
	if w := sl.waits(); len(w) != 1 || w[0] != 300*time.Millisecond {
		t.Errorf("backoff waits %v", w)
	}
	if lim.Pauses() != 1 {
		t.Errorf("pauses %d", lim.Pauses())
	}
}
