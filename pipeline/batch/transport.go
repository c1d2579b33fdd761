package batch

import (
	"context"
	"errors"
	"net"
	"net/http"
)

// NewTransport wraps base (http.DefaultTransport when nil) so that every
// failed HTTP attempt is counted in stats by cause: "429", "5xx",
// "timeout" or "reset" (any other network error). The LLM client retries
// these; the counts are the "retries by cause" of the summary (the last,
// given-up attempt of a failed call is counted too).
func NewTransport(base http.RoundTripper, stats *Stats) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	return &countingTransport{base: base, stats: stats}
}

type countingTransport struct {
	base  http.RoundTripper
	stats *Stats
}

func (t *countingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	switch {
	case err != nil:
		var ne net.Error
		switch {
		case errors.Is(err, context.Canceled):
			// The batch was interrupted: not the server's doing.
		case errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()):
			t.stats.AddRetry("timeout")
		default:
			t.stats.AddRetry("reset")
		}
	case resp.StatusCode == http.StatusTooManyRequests:
		t.stats.AddRetry("429")
	case resp.StatusCode >= 500:
		t.stats.AddRetry("5xx")
	}
	return resp, err
}
