package llm

import (
	"context"
	"net/http"
	"testing"
	"time"
)

// fakeClock makes a limiter's time move only when it sleeps.
func fakeClock(l *Limiter) *[]time.Duration {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var slept []time.Duration
	l.now = func() time.Time { return now }
	l.last = now
	l.sleep = func(_ context.Context, d time.Duration) error {
		slept = append(slept, d)
		now = now.Add(d)
		return nil
	}
	return &slept
}

func TestLimiterBuckets(t *testing.T) {
	ctx := t.Context()
	l := NewLimiter(60, 0) // one a second, burst 60
	slept := fakeClock(l)
	for range 60 {
		l.wait(ctx, 10)
	}
	if len(*slept) != 0 {
		t.Fatalf("burst of 60 waited %v", *slept)
	}
	l.wait(ctx, 10)
	if len(*slept) != 1 || (*slept)[0] != time.Second {
		t.Fatalf("61st request waited %v, want 1s", *slept)
	}

	l = NewLimiter(0, 600) // 10 tokens a second
	slept = fakeClock(l)
	l.wait(ctx, 500)
	l.wait(ctx, 500) // 100 left, needs 500: 40s
	if len(*slept) != 1 || (*slept)[0] != 40*time.Second {
		t.Fatalf("token wait %v, want 40s", *slept)
	}
	// The estimate was 500, the call used 100: 400 come back.
	l.adjust(500, 100)
	l.wait(ctx, 400)
	if len(*slept) != 1 {
		t.Fatalf("corrected tokens not returned: %v", *slept)
	}
	// A call larger than the whole budget still goes, once the bucket is full.
	l.wait(ctx, 5000)
	if len(*slept) != 2 {
		t.Fatalf("huge call: %v", *slept)
	}
}

func TestLimiterPauses(t *testing.T) {
	ctx := t.Context()
	l := NewLimiter(0, 0)
	slept := fakeClock(l)
	l.observe(429, http.Header{}, 5*time.Second, time.Minute)
	l.wait(ctx, 1)
	if len(*slept) != 1 || (*slept)[0] != 5*time.Second {
		t.Fatalf("after 429: %v", *slept)
	}
	h := http.Header{}
	h.Set("x-ratelimit-remaining-tokens", "0")
	h.Set("x-ratelimit-reset-tokens", "1.5s")
	h.Set("x-ratelimit-remaining-requests", "10")
	h.Set("x-ratelimit-reset-requests", "20s")
	l.observe(200, h, 0, time.Minute)
	l.wait(ctx, 1)
	if len(*slept) != 2 || (*slept)[1] != 1500*time.Millisecond {
		t.Fatalf("after remaining-tokens 0: %v", *slept)
	}
	l.observe(429, http.Header{}, time.Hour, time.Minute) // capped
	l.wait(ctx, 1)
	if (*slept)[2] != time.Minute || l.Pauses() != 3 {
		t.Fatalf("cap: %v, pauses %d", *slept, l.Pauses())
	}
	l.observe(200, http.Header{}, 0, time.Minute)
	l.wait(ctx, 1)
	if len(*slept) != 3 {
		t.Fatalf("a plain 200 paused: %v", *slept)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := l.wait(cctx, 1); err != context.Canceled {
		t.Errorf("cancelled wait: %v", err)
	}
}

func TestParseHeaders(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	for in, want := range map[string]time.Duration{
		"7": 7 * time.Second, "0.5": 500 * time.Millisecond, "Thu, 01 Jan 2026 12:00:30 GMT": 30 * time.Second,
		"Thu, 01 Jan 2026 11:00:00 GMT": 0,
	} {
		if got, ok := parseRetryAfter(in, now); !ok || got != want {
			t.Errorf("parseRetryAfter(%q) = %v %v, want %v", in, got, ok, want)
		}
	}
	for _, bad := range []string{"", "-1", "soon"} {
		if _, ok := parseRetryAfter(bad, now); ok {
			t.Errorf("parseRetryAfter(%q) accepted", bad)
		}
	}
	for in, want := range map[string]time.Duration{"1s": time.Second, "6m0s": 6 * time.Minute, "20ms": 20 * time.Millisecond, "1m30.5s": 90500 * time.Millisecond, "2": 2 * time.Second} {
		if got, ok := parseResetDuration(in); !ok || got != want {
			t.Errorf("parseResetDuration(%q) = %v %v, want %v", in, got, ok, want)
		}
	}
}
