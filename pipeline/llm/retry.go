package llm

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// callState follows one logical call (Chat, Embed, ...) through
// retryablehttp's loop. It travels in the request's context, which go-openai
// passes through, so CheckRetry and PrepareRetry can see it.
type callState struct {
	mu          sync.Mutex
	attempts    int
	retries     map[string]int
	pendingWait time.Duration
	pendingWhy  string
	last500     []byte
	noRetry     bool
	estTokens   int
}

type stateKey struct{}

func withState(ctx context.Context, st *callState) context.Context {
	return context.WithValue(ctx, stateKey{}, st)
}

func stateFrom(ctx context.Context) *callState {
	st, _ := ctx.Value(stateKey{}).(*callState)
	return st
}

func (st *callState) snapshot() (int, map[string]int) {
	st.mu.Lock()
	defer st.mu.Unlock()
	var m map[string]int
	if len(st.retries) > 0 {
		m = make(map[string]int, len(st.retries))
		for k, v := range st.retries {
			m[k] = v
		}
	}
	return st.attempts, m
}

// checkRetry is retryablehttp's CheckRetry: it decides whether to retry,
// computes the wait (server hints first, then jittered exponential backoff,
// capped) and tells the limiter what the server said about its budget.
func (c *Client) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	st := stateFrom(ctx)
	if st == nil {
		st = &callState{noRetry: true}
	}
	st.mu.Lock()
	st.attempts++
	n := st.attempts
	st.mu.Unlock()

	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	var hint time.Duration
	if resp != nil {
		hint = c.serverHint(resp)
		if c.cfg.Limiter != nil {
			c.cfg.Limiter.observe(resp.StatusCode, resp.Header, hint, c.cfg.MaxRetryWait)
		}
	}
	why, retry := retryCause(resp, err)
	if !retry || st.noRetry {
		return false, nil
	}
	if resp != nil && resp.StatusCode == http.StatusTooManyRequests &&
		bytes.Contains(peekBody(resp, 64<<10), []byte("insufficient_quota")) {
		return false, nil // out of credit: waiting will not help
	}
	if resp != nil && resp.StatusCode == http.StatusInternalServerError {
		// A deterministic 500 (llama-server answers malformed or unsupported
		// requests with one) repeats byte for byte: stop after the second.
		body := peekBody(resp, 64<<10)
		st.mu.Lock()
		same := st.last500 != nil && bytes.Equal(st.last500, body)
		st.last500 = body
		st.mu.Unlock()
		if same {
			return false, nil
		}
	}
	wait := hint
	if wait <= 0 {
		wait = c.backoff(n - 1)
	}
	if wait > c.cfg.MaxRetryWait {
		wait = c.cfg.MaxRetryWait
	}
	st.mu.Lock()
	st.pendingWait, st.pendingWhy = wait, why
	st.mu.Unlock()
	return true, nil
}

// prepareRetry runs after retryablehttp's own (zero) wait: it sleeps the
// computed wait through Config.Sleep, so tests can record it and ctx
// cancellation ends it, then waits for the limiter.
func (c *Client) prepareRetry(req *http.Request) error {
	ctx := req.Context()
	st := stateFrom(ctx)
	if st == nil {
		return nil
	}
	st.mu.Lock()
	wait, why := st.pendingWait, st.pendingWhy
	if st.retries == nil {
		st.retries = map[string]int{}
	}
	st.retries[why]++
	n := st.attempts
	est := st.estTokens
	st.mu.Unlock()
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
		return &deadlineError{wait: wait}
	}
	c.log.Info("llm: retrying", "cause", why, "wait", wait, "attempt", n+1, "endpoint", c.endpoint)
	if err := c.cfg.Sleep(ctx, wait); err != nil {
		return err
	}
	if c.cfg.Limiter != nil {
		return c.cfg.Limiter.wait(ctx, est)
	}
	return nil
}

type deadlineError struct{ wait time.Duration }

func (e *deadlineError) Error() string {
	return "the server asked to wait " + e.wait.String() + ", past the call's deadline"
}

func (e *deadlineError) Is(target error) bool { return target == context.DeadlineExceeded }

// backoff is jittered exponential backoff: between half and all of
// MinRetryWait·2^n, capped at MaxRetryWait.
func (c *Client) backoff(n int) time.Duration {
	d := c.cfg.MinRetryWait
	for i := 0; i < n && d < c.cfg.MaxRetryWait; i++ {
		d *= 2
	}
	if d > c.cfg.MaxRetryWait {
		d = c.cfg.MaxRetryWait
	}
	half := d / 2
	if half <= 0 {
		return d
	}
	return half + rand.N(half+1)
}

// retryCause says whether a failed attempt is worth retrying and why.
func retryCause(resp *http.Response, err error) (string, bool) {
	if err != nil {
		var dnsErr *net.DNSError
		switch {
		case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
			return "", false
		case isTimeout(err):
			return "timeout", true
		case isPermanentTransportError(err):
			return "", false
		}
		return "reset", true
	}
	switch s := resp.StatusCode; {
	case s == http.StatusTooManyRequests:
		return "429", true
	case s == http.StatusRequestTimeout:
		return "timeout", true
	case s == http.StatusConflict:
		return "409", true
	case s == http.StatusNotImplemented:
		return "", false
	case s >= 500 && s <= 599:
		return "5xx", true
	}
	return "", false
}

func isTimeout(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func isPermanentTransportError(err error) bool {
	s := err.Error()
	for _, p := range []string{"unsupported protocol scheme", "stopped after", "invalid header", "certificate", "x509:"} {
		if strings.Contains(s, p) {
			return true
		}
	}
	return false
}

// serverHint is how long the server asked us to wait, from Retry-After
// (seconds or HTTP date), retry-after-ms, or OpenAI's x-ratelimit-reset-*
// headers; 0 if it said nothing.
func (c *Client) serverHint(resp *http.Response) time.Duration {
	if resp.StatusCode < 400 {
		return 0
	}
	h := resp.Header
	if v := h.Get("retry-after-ms"); v != "" {
		if ms, err := strconv.ParseFloat(v, 64); err == nil && ms >= 0 {
			return time.Duration(ms * float64(time.Millisecond))
		}
	}
	if d, ok := parseRetryAfter(h.Get("Retry-After"), c.now()); ok {
		return d
	}
	if resp.StatusCode != http.StatusTooManyRequests {
		return 0
	}
	return resetWait(h)
}

// resetWait reads x-ratelimit-reset-requests/-tokens: the reset of the
// exhausted budget, or the longer of the two when neither says it is empty.
func resetWait(h http.Header) time.Duration {
	rq, okR := parseResetDuration(h.Get("x-ratelimit-reset-requests"))
	tk, okT := parseResetDuration(h.Get("x-ratelimit-reset-tokens"))
	remR, remT := h.Get("x-ratelimit-remaining-requests"), h.Get("x-ratelimit-remaining-tokens")
	switch {
	case okR && remR == "0" && okT && remT == "0":
		return max(rq, tk)
	case okR && remR == "0":
		return rq
	case okT && remT == "0":
		return tk
	}
	return max(rq, tk)
}

// parseRetryAfter reads a Retry-After value: delay-seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil {
		if s < 0 {
			return 0, false
		}
		return time.Duration(s * float64(time.Second)), true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := t.Sub(now)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}

// parseResetDuration reads OpenAI's reset durations ("1s", "6m0s", "20ms")
// and, leniently, plain seconds.
func parseResetDuration(v string) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if d, err := time.ParseDuration(v); err == nil && d >= 0 {
		return d, true
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil && s >= 0 {
		return time.Duration(s * float64(time.Second)), true
	}
	return 0, false
}

// peekBody reads up to limit bytes of resp.Body and puts them back.
func peekBody(resp *http.Response, limit int64) []byte {
	b, _ := io.ReadAll(io.LimitReader(resp.Body, limit))
	resp.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(b), resp.Body), resp.Body}
	if b == nil {
		b = []byte{}
	}
	return b
}

// sleepCtx waits d or until ctx is done.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
