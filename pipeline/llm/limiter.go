package llm

import (
	"context"
	"net/http"
	"sync"
	"time"
)

// Limiter is a client-side rate limit shared by all the workers of a batch
// (give the same *Limiter to every Client, or share one Client). It holds two
// token buckets, requests per minute and tokens per minute, each starting
// full; a call's tokens are estimated before it is sent and corrected after.
//
// It adapts to the server: a 429, or x-ratelimit-remaining-requests/-tokens
// at 0 with a reset header, pauses the whole limiter, so every worker waits
// for the reset instead of each hammering the server and backing off alone.
type Limiter struct {
	mu          sync.Mutex
	rpm, tpm    float64 // 0: no budget of that kind
	reqs, toks  float64 // what is left in each bucket
	last        time.Time
	pausedUntil time.Time
	pauses      int

	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error
}

// NewLimiter returns a limiter allowing rpm requests and tpm tokens per
// minute; 0 leaves that budget unlimited (the limiter still pauses on the
// server's signals).
func NewLimiter(rpm, tpm int) *Limiter {
	l := &Limiter{rpm: float64(max(rpm, 0)), tpm: float64(max(tpm, 0)), now: time.Now, sleep: sleepCtx}
	l.reqs, l.toks = l.rpm, l.tpm
	l.last = l.now()
	return l
}

// PausedUntil is when the current server-imposed pause ends (zero if none
// has happened).
func (l *Limiter) PausedUntil() time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.pausedUntil
}

// Pauses counts the pauses the server has imposed.
func (l *Limiter) Pauses() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.pauses
}

func (l *Limiter) refill(now time.Time) {
	dt := now.Sub(l.last).Minutes()
	if dt <= 0 {
		return
	}
	l.last = now
	if l.rpm > 0 {
		l.reqs = min(l.rpm, l.reqs+dt*l.rpm)
	}
	if l.tpm > 0 {
		l.toks = min(l.tpm, l.toks+dt*l.tpm)
	}
}

// wait blocks until one request of about est tokens may be sent.
func (l *Limiter) wait(ctx context.Context, est int) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		l.mu.Lock()
		now := l.now()
		l.refill(now)
		need := min(float64(est), l.tpm)
		var d time.Duration
		switch {
		case now.Before(l.pausedUntil):
			d = l.pausedUntil.Sub(now)
		case l.rpm > 0 && l.reqs < 1:
			d = perMinute(1-l.reqs, l.rpm)
		case l.tpm > 0 && l.toks < need:
			d = perMinute(need-l.toks, l.tpm)
		default:
			if l.rpm > 0 {
				l.reqs--
			}
			if l.tpm > 0 {
				l.toks -= float64(est)
			}
			l.mu.Unlock()
			return nil
		}
		l.mu.Unlock()
		if err := l.sleep(ctx, max(d, time.Millisecond)); err != nil {
			return err
		}
	}
}

func perMinute(missing, rate float64) time.Duration {
	return time.Duration(missing / rate * float64(time.Minute))
}

// adjust corrects the token bucket once the real usage is known.
func (l *Limiter) adjust(est, actual int) {
	if l.tpm == 0 {
		return
	}
	l.mu.Lock()
	l.toks = min(l.tpm, l.toks+float64(est-actual))
	l.mu.Unlock()
}

// observe reads a response's status and rate-limit headers; hint is the
// wait the server asked for (Retry-After and friends).
func (l *Limiter) observe(status int, h http.Header, hint, maxWait time.Duration) {
	var d time.Duration
	if status == http.StatusTooManyRequests {
		d = hint
		if d <= 0 {
			d = resetWait(h)
		}
		if d <= 0 {
			d = time.Second
		}
	} else {
		if h.Get("x-ratelimit-remaining-requests") == "0" {
			if r, ok := parseResetDuration(h.Get("x-ratelimit-reset-requests")); ok {
				d = max(d, r)
			}
		}
		if h.Get("x-ratelimit-remaining-tokens") == "0" {
			if r, ok := parseResetDuration(h.Get("x-ratelimit-reset-tokens")); ok {
				d = max(d, r)
			}
		}
	}
	if d <= 0 {
		return
	}
	if maxWait > 0 && d > maxWait {
		d = maxWait
	}
	l.Pause(d)
}

// Pause stops every caller of the limiter for d (extending, never
// shortening, a pause in progress).
func (l *Limiter) Pause(d time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	until := l.now().Add(d)
	if until.After(l.pausedUntil) {
		l.pausedUntil = until
		l.pauses++
	}
}
