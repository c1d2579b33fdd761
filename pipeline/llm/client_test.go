package llm_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tarjama/tarjama/pipeline/llm"
	"github.com/tarjama/tarjama/pipeline/llm/llmtest"
	"github.com/tarjama/tarjama/pipeline/llm/tokens"
)

const testKey = "sk-test-SECRET-0123456789abcd"

// sleeps records the backoff waits instead of sleeping.
type sleeps struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *sleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.d = append(s.d, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleeps) waits() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.d...)
}

func newClient(t *testing.T, srv *llmtest.Server, edit ...func(*llm.Config)) (*llm.Client, *sleeps) {
	t.Helper()
	sl := &sleeps{}
	cfg := llm.Config{BaseURL: srv.URL, APIKey: testKey, Model: "test-model", Sleep: sl.sleep}
	for _, e := range edit {
		e(&cfg)
	}
	c, err := llm.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c, sl
}

func userReq(text string) llm.Request {
	return llm.Request{Messages: []llm.Message{{Role: "system", Content: "You translate."}, {Role: "user", Content: text}}, MaxTokens: 100}
}

func TestChatEchoAndUsage(t *testing.T) {
	srv := llmtest.NewServer(t)
	c, _ := newClient(t, srv)
	r, err := c.Chat(t.Context(), userReq("مرحبا"))
	if err != nil {
		t.Fatal(err)
	}
	if r.Content != "echo: مرحبا" || r.FinishReason != "stop" || r.Attempts != 1 || r.Cached {
		t.Errorf("got %+v", r)
	}
	if r.Usage.PromptTokens == 0 || r.Usage.CompletionTokens == 0 {
		t.Errorf("usage not reported: %+v", r.Usage)
	}
	got := srv.Requests()[0]
	if got.Authorization.Reveal() != testKey {
		t.Errorf("server saw key %q", got.Authorization.Reveal())
	}
	if s := fmt.Sprintf("%v %+v %#v", got, got, got); strings.Contains(s, testKey) {
		t.Errorf("recorded request prints the key")
	}
}

func TestTemperatureZeroIsSent(t *testing.T) {
	srv := llmtest.NewServer(t)
	c, _ := newClient(t, srv)
	seed := 7
	req := userReq("x")
	req.Seed = &seed
	if _, err := c.Chat(t.Context(), req); err != nil {
		t.Fatal(err)
	}
	req.Temperature = 0.7
	if _, err := c.Chat(t.Context(), req); err != nil {
		t.Fatal(err)
	}
	rs := srv.Requests()
	if !rs[0].Fields["temperature"] || rs[0].Temperature == nil || *rs[0].Temperature > 1e-6 {
		t.Errorf("temperature 0 not sent as ~0: body %s", rs[0].Body)
	}
	if rs[1].Temperature == nil || *rs[1].Temperature < 0.69 || *rs[1].Temperature > 0.71 {
		t.Errorf("temperature 0.7 sent as %v", rs[1].Temperature)
	}
	if rs[0].MaxTokens == nil || *rs[0].MaxTokens != 100 || rs[0].Fields["max_completion_tokens"] {
		t.Errorf("want max_tokens 100 and no max_completion_tokens: %s", rs[0].Body)
	}
	if rs[0].Seed == nil || *rs[0].Seed != 7 {
		t.Errorf("seed not sent: %s", rs[0].Body)
	}
}

func TestReasoningModelAvoidsClientSideRejection(t *testing.T) {
	srv := llmtest.NewServer(t)
	c, _ := newClient(t, srv, func(c *llm.Config) { c.Model = "o3-mini" })
	if _, err := c.Chat(t.Context(), userReq("x")); err != nil {
		t.Fatal(err)
	}
	r := srv.Requests()[0]
	if r.MaxCompletionTokens == nil || *r.MaxCompletionTokens != 100 || r.Fields["max_tokens"] || r.Fields["temperature"] {
		t.Errorf("reasoning model body: %s", r.Body)
	}
}

func TestRetries(t *testing.T) {
	future := time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)
	tests := []struct {
		name      string
		replies   []llmtest.Reply
		cfg       func(*llm.Config)
		wantCalls int
		wantWaits []time.Duration // exact; nil: only count
		nWaits    int
		wantCause string
	}{
		{"retry-after seconds", []llmtest.Reply{llmtest.RateLimited("7")}, nil, 2, []time.Duration{7 * time.Second}, 1, "429"},
		{"retry-after date capped", []llmtest.Reply{llmtest.RateLimited(future)}, nil, 2, []time.Duration{60 * time.Second}, 1, "429"},
		{"retry-after over custom cap", []llmtest.Reply{llmtest.RateLimited("120")}, func(c *llm.Config) { c.MaxRetryWait = 5 * time.Second }, 2, []time.Duration{5 * time.Second}, 1, "429"},
		{"x-ratelimit-reset-requests", []llmtest.Reply{llmtest.RateLimited("").
			WithHeader("x-ratelimit-remaining-requests", "0").WithHeader("x-ratelimit-reset-requests", "6m0s").
			WithHeader("x-ratelimit-remaining-tokens", "1000").WithHeader("x-ratelimit-reset-tokens", "20ms")},
			func(c *llm.Config) { c.MaxRetryWait = 10 * time.Minute }, 2, []time.Duration{6 * time.Minute}, 1, "429"},
		{"x-ratelimit-reset-tokens", []llmtest.Reply{llmtest.RateLimited("").
			WithHeader("x-ratelimit-remaining-tokens", "0").WithHeader("x-ratelimit-reset-tokens", "20ms")},
			nil, 2, []time.Duration{20 * time.Millisecond}, 1, "429"},
		{"retry-after-ms", []llmtest.Reply{llmtest.RateLimited("").WithHeader("retry-after-ms", "250")}, nil, 2, []time.Duration{250 * time.Millisecond}, 1, "429"},
		{"500 then ok", []llmtest.Reply{llmtest.ServerError(500)}, nil, 2, nil, 1, "5xx"},
		{"502 503 then ok", []llmtest.Reply{llmtest.ServerError(502), llmtest.ServerError(503)}, nil, 3, nil, 2, "5xx"},
		{"503 with retry-after", []llmtest.Reply{llmtest.ServerError(503).WithHeader("Retry-After", "3")}, nil, 2, []time.Duration{3 * time.Second}, 1, "5xx"},
		{"connection reset", []llmtest.Reply{llmtest.Reset(), llmtest.Reset()}, nil, 3, nil, 2, "reset"},
		{"408", []llmtest.Reply{{Status: 408, Body: "timeout"}}, nil, 2, nil, 1, "timeout"},
		{"409", []llmtest.Reply{{Status: 409, Body: "conflict"}}, nil, 2, nil, 1, "409"},
		{"hang hits per-attempt timeout", []llmtest.Reply{llmtest.Hang()}, func(c *llm.Config) { c.RequestTimeout = 100 * time.Millisecond }, 2, nil, 1, "timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := llmtest.NewServer(t)
			srv.Enqueue(tt.replies...)
			var edits []func(*llm.Config)
			if tt.cfg != nil {
				edits = append(edits, tt.cfg)
			}
			c, sl := newClient(t, srv, edits...)
			r, err := c.Chat(t.Context(), userReq("hello"))
			if err != nil {
				t.Fatal(err)
			}
			if r.Content != "echo: hello" {
				t.Errorf("content %q", r.Content)
			}
			if srv.Calls() != tt.wantCalls || r.Attempts != tt.wantCalls {
				t.Errorf("calls %d, attempts %d, want %d", srv.Calls(), r.Attempts, tt.wantCalls)
			}
			waits := sl.waits()
			if len(waits) != tt.nWaits {
				t.Fatalf("waits %v, want %d", waits, tt.nWaits)
			}
			if tt.wantWaits != nil {
				for i, w := range tt.wantWaits {
					// An HTTP date is read against the clock: allow a second.
					if d := waits[i] - w; d > 0 || d < -time.Second {
						t.Errorf("wait %d = %v, want %v", i, waits[i], w)
					}
				}
			}
			for _, w := range waits {
				if w <= 0 || w > 60*time.Second && tt.cfg == nil {
					t.Errorf("wait %v outside (0, cap]", w)
				}
			}
			if r.Retries[tt.wantCause] != tt.nWaits {
				t.Errorf("retries %v, want %d × %q", r.Retries, tt.nWaits, tt.wantCause)
			}
		})
	}
}

func TestBackoffGrowsJitteredAndCapped(t *testing.T) {
	srv := llmtest.NewServer(t)
	for range 5 {
		srv.Enqueue(llmtest.ServerError(503))
	}
	c, sl := newClient(t, srv, func(c *llm.Config) { c.MaxRetries = 4; c.MaxRetryWait = 5 * time.Second })
	_, err := c.Chat(t.Context(), userReq("x"))
	var ae *llm.APIError
	if !errors.As(err, &ae) || ae.Kind != "server" || ae.Status != 503 || ae.Attempts != 5 {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(err.Error(), "after 5 attempts") {
		t.Errorf("message %q", err)
	}
	waits := sl.waits()
	if srv.Calls() != 5 || len(waits) != 4 {
		t.Fatalf("calls %d waits %v", srv.Calls(), waits)
	}
	// Step n is in [base·2^n / 2, base·2^n], capped at 5s.
	for n, w := range waits {
		hi := min(time.Second<<n, 5*time.Second)
		if w < hi/2 || w > hi {
			t.Errorf("wait %d = %v, want in [%v, %v]", n, w, hi/2, hi)
		}
	}
}

func TestIdentical500StopsEarly(t *testing.T) {
	srv := llmtest.NewServer(t)
	srv.Handler = func(llmtest.ChatRequest) llmtest.Reply {
		return llmtest.Error(500, "server_error", "", "Unsupported param: n")
	}
	c, _ := newClient(t, srv)
	_, err := c.Chat(t.Context(), userReq("x"))
	var ae *llm.APIError
	if !errors.As(err, &ae) || ae.Status != 500 || !strings.Contains(err.Error(), "Unsupported param") {
		t.Fatalf("err = %v", err)
	}
	if srv.Calls() != 2 {
		t.Errorf("an identical 500 was tried %d times, want 2", srv.Calls())
	}
}

func TestNoRetryOnClientErrors(t *testing.T) {
	tests := []struct {
		name     string
		reply    llmtest.Reply
		kind     string
		sentinel error
		want     string
	}{
		{"401", llmtest.Unauthorized(), "auth", nil, "the API key was refused (401): check OPENAI_API_KEY"},
		{"403", llmtest.Error(403, "permission", "", "no"), "auth", nil, "access denied (403)"},
		{"404 model", llmtest.ModelNotFound("test-model"), "not_found", nil, "model test-model not found at "},
		{"404 plain", llmtest.Reply{Status: 404, Body: "404 page not found"}, "not_found", nil, "model test-model not found at "},
		{"context length", llmtest.ContextLengthExceeded(), "context_length", llm.ErrContextLength, "prompt too long"},
		{"400", llmtest.Error(400, "invalid_request_error", "", "bad thing"), "bad_request", nil, "request rejected"},
		{"429 out of quota", llmtest.Error(429, "insufficient_quota", "insufficient_quota", "You exceeded your current quota"), "rate_limit", nil, "out of quota"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := llmtest.NewServer(t)
			srv.Enqueue(tt.reply)
			c, sl := newClient(t, srv)
			r, err := c.Chat(t.Context(), userReq("x"))
			if err == nil {
				t.Fatalf("no error, got %+v", r)
			}
			var ae *llm.APIError
			if !errors.As(err, &ae) || ae.Kind != tt.kind {
				t.Fatalf("err %v (%T), want kind %s", err, err, tt.kind)
			}
			if tt.sentinel != nil && !errors.Is(err, tt.sentinel) {
				t.Errorf("errors.Is(%v, %v) = false", err, tt.sentinel)
			}
			if tt.sentinel == nil && errors.Is(err, llm.ErrContextLength) {
				t.Errorf("%v matches ErrContextLength", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("message %q lacks %q", err, tt.want)
			}
			if srv.Calls() != 1 || len(sl.waits()) != 0 {
				t.Errorf("calls %d waits %v, want exactly one request", srv.Calls(), sl.waits())
			}
		})
	}
}

func TestTimeoutEveryAttempt(t *testing.T) {
	srv := llmtest.NewServer(t)
	srv.Handler = func(llmtest.ChatRequest) llmtest.Reply { return llmtest.Hang() }
	c, sl := newClient(t, srv, func(c *llm.Config) { c.RequestTimeout = 30 * time.Millisecond; c.MaxRetries = 2 })
	_, err := c.Chat(t.Context(), userReq("x"))
	if err == nil || !strings.Contains(err.Error(), "did not answer within 30ms (per attempt) after 3 attempts") {
		t.Fatalf("err = %v", err)
	}
	if srv.Calls() != 3 || len(sl.waits()) != 2 {
		t.Errorf("calls %d waits %v", srv.Calls(), sl.waits())
	}
}

func TestAnswerFaults(t *testing.T) {
	tests := []struct {
		name      string
		replies   []llmtest.Reply
		sentinel  error
		wantCalls int
	}{
		{"truncated", []llmtest.Reply{llmtest.Truncated("half a sen")}, llm.ErrTruncated, 1},
		{"empty", []llmtest.Reply{llmtest.Text("  ")}, llm.ErrEmptyAnswer, 1},
		{"malformed twice", []llmtest.Reply{llmtest.Malformed(), llmtest.Malformed()}, llm.ErrBadResponse, 2},
		{"truncated body twice", []llmtest.Reply{llmtest.TruncatedBody("abc"), llmtest.TruncatedBody("abc")}, llm.ErrBadResponse, 2},
		{"no choices", []llmtest.Reply{{Status: 200, Body: `{"choices":[]}`}}, llm.ErrEmptyAnswer, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := llmtest.NewServer(t)
			srv.Enqueue(tt.replies...)
			c, _ := newClient(t, srv)
			r, err := c.Chat(t.Context(), userReq("x"))
			if !errors.Is(err, tt.sentinel) {
				t.Fatalf("err = %v, want %v", err, tt.sentinel)
			}
			if srv.Calls() != tt.wantCalls {
				t.Errorf("calls %d, want %d", srv.Calls(), tt.wantCalls)
			}
			if tt.sentinel == llm.ErrTruncated && (r == nil || r.Content != "half a sen" || r.Usage.CompletionTokens == 0) {
				t.Errorf("truncated answer should come with its partial content and usage: %+v", r)
			}
		})
	}
	t.Run("malformed once then ok", func(t *testing.T) {
		srv := llmtest.NewServer(t)
		srv.Enqueue(llmtest.Malformed())
		c, _ := newClient(t, srv)
		r, err := c.Chat(t.Context(), userReq("x"))
		if err != nil || r.Content != "echo: x" || srv.Calls() != 2 {
			t.Errorf("r %+v err %v calls %d", r, err, srv.Calls())
		}
	})
}

func TestCancel(t *testing.T) {
	t.Run("during a hang", func(t *testing.T) {
		srv := llmtest.NewServer(t)
		srv.Enqueue(llmtest.Hang())
		c, _ := newClient(t, srv)
		ctx, cancel := context.WithCancel(t.Context())
		go func() {
			for srv.Calls() == 0 {
				time.Sleep(time.Millisecond)
			}
			cancel()
		}()
		_, err := c.Chat(ctx, userReq("x"))
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
		if srv.Calls() != 1 {
			t.Errorf("calls %d after cancel", srv.Calls())
		}
	})
	t.Run("during a backoff", func(t *testing.T) {
		srv := llmtest.NewServer(t)
		srv.Enqueue(llmtest.RateLimited("30"))
		ctx, cancel := context.WithCancel(t.Context())
		var slept time.Duration
		c, err := llm.New(llm.Config{BaseURL: srv.URL, APIKey: testKey, Model: "m",
			Sleep: func(ctx context.Context, d time.Duration) error {
				slept = d
				cancel() // Ctrl-C arrives while we wait
				<-ctx.Done()
				return ctx.Err()
			}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Chat(ctx, userReq("x"))
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
		if slept != 30*time.Second || srv.Calls() != 1 {
			t.Errorf("slept %v, calls %d", slept, srv.Calls())
		}
	})
	t.Run("real sleep is interrupted", func(t *testing.T) {
		srv := llmtest.NewServer(t)
		srv.Enqueue(llmtest.RateLimited("3600"))
		c, err := llm.New(llm.Config{BaseURL: srv.URL, APIKey: testKey, Model: "m", MaxRetryWait: 5 * time.Minute})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(t.Context())
		go func() {
			for srv.Calls() == 0 {
				time.Sleep(time.Millisecond)
			}
			time.Sleep(20 * time.Millisecond)
			cancel()
		}()
		if _, err := c.Chat(ctx, userReq("x")); !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("wait past deadline gives up at once", func(t *testing.T) {
		srv := llmtest.NewServer(t)
		srv.Enqueue(llmtest.RateLimited("50"))
		c, sl := newClient(t, srv, func(c *llm.Config) { c.Deadline = 10 * time.Second })
		_, err := c.Chat(t.Context(), userReq("x"))
		if !errors.Is(err, context.DeadlineExceeded) || len(sl.waits()) != 0 || !strings.Contains(err.Error(), "asked to wait 50s, past the call's deadline") {
			t.Fatalf("err = %v, waits %v", err, sl.waits())
		}
	})
}

func TestKeyNeverLogged(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv := llmtest.NewServer(t)
	srv.Enqueue(llmtest.RateLimited("1"), llmtest.ServerError(500), llmtest.Reset(), llmtest.Malformed(),
		// a server that echoes the key in its error
		llmtest.Error(401, "invalid_request_error", "", "Incorrect API key provided: "+testKey))
	c, _ := newClient(t, srv, func(c *llm.Config) { c.Logger = log })
	_, err := c.Chat(t.Context(), userReq("x"))
	if err == nil {
		t.Fatal("want the 401")
	}
	if strings.Contains(err.Error(), testKey) {
		t.Errorf("error shows the key: %v", err)
	}
	if !strings.Contains(err.Error(), llm.MaskKey(testKey)) {
		t.Errorf("error should show the masked key: %v", err)
	}
	if buf.Len() == 0 || !strings.Contains(buf.String(), "retryablehttp") {
		t.Fatalf("expected debug logs, got %q", buf.String())
	}
	if strings.Contains(buf.String(), testKey) || strings.Contains(buf.String(), "SECRET") {
		t.Errorf("log shows the key:\n%s", buf.String())
	}
	cfg := llm.Config{BaseURL: "http://x/v1", APIKey: testKey}
	log.Info("config", "cfg", cfg)
	if s := fmt.Sprintf("%v %+v %#v %s", cfg, cfg, cfg, buf.String()); strings.Contains(s, testKey) {
		t.Errorf("printing a Config shows the key: %s", s)
	}
	if strings.Contains(c.Endpoint(), "SECRET") {
		t.Error("endpoint shows the key")
	}
}

func TestMaskKey(t *testing.T) {
	for in, want := range map[string]string{"": "", "short": "…", "sk-proj-abcdefgh1234": "sk-…1234", "azurekey0123456789": "…6789"} {
		if got := llm.MaskKey(in); got != want {
			t.Errorf("MaskKey(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNewValidates(t *testing.T) {
	for _, cfg := range []llm.Config{
		{},
		{BaseURL: "localhost:8080", Model: "m"},
		{BaseURL: "http://x/v1"},
		{BaseURL: "http://x/v1", Model: "m", APIType: "vertex"},
	} {
		if _, err := llm.New(cfg); err == nil {
			t.Errorf("New(%+v) accepted", cfg)
		}
	}
	c, err := llm.New(llm.Config{BaseURL: "https://user:pw@example.com/v1/?key=k", Model: "m"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Endpoint() != "https://example.com/v1" || c.Model() != "m" {
		t.Errorf("Endpoint %q", c.Endpoint())
	}
}

func TestAzure(t *testing.T) {
	srv := llmtest.NewServer(t)
	c, err := llm.New(llm.Config{BaseURL: srv.BaseURL(), APIKey: testKey, Model: "my-gpt4o", APIType: "azure", APIVersion: "2024-06-01"})
	if err != nil {
		t.Fatal(err)
	}
	r, err := c.Chat(t.Context(), userReq("x"))
	if err != nil {
		t.Fatal(err)
	}
	got := srv.Requests()[0]
	if got.Path != "/openai/deployments/my-gpt4o/chat/completions" || got.Deployment != "my-gpt4o" || r.Model != "my-gpt4o" {
		t.Errorf("path %q deployment %q model %q", got.Path, got.Deployment, r.Model)
	}
	if got.Authorization.Reveal() != testKey {
		t.Error("api-key header not sent")
	}
	if v, _, err := c.Embed(t.Context(), "my-embed", []string{"a b"}); err != nil || len(v) != 1 || srv.EmbedCalls() != 1 {
		t.Errorf("azure embed: %v", err)
	}
	if err := c.CheckModel(t.Context()); err != nil || srv.ModelCalls() != 1 {
		t.Errorf("azure models: %v", err)
	}
}

func TestEmbed(t *testing.T) {
	srv := llmtest.NewServer(t)
	srv.EnqueueEmbed(llmtest.ServerError(503))
	c, sl := newClient(t, srv)
	in := make([]string, 300) // three batches
	for i := range in {
		in[i] = fmt.Sprintf("story %d about gaza", i%7)
	}
	vecs, u, err := c.Embed(t.Context(), "", in)
	if err != nil {
		t.Fatal(err)
	}
	if len(vecs) != 300 || u.PromptTokens == 0 || srv.EmbedCalls() != 4 || len(sl.waits()) != 1 {
		t.Fatalf("vecs %d usage %+v calls %d waits %v", len(vecs), u, srv.EmbedCalls(), sl.waits())
	}
	for i, v := range vecs {
		want := llmtest.Embedding(in[i], 16)
		if fmt.Sprint(v) != fmt.Sprint(want) {
			t.Fatalf("vector %d out of order", i)
		}
	}
	srv.EnqueueEmbed(llmtest.Unauthorized())
	if _, _, err := c.Embed(t.Context(), "e", []string{"a"}); err == nil || !strings.Contains(err.Error(), "401") {
		t.Errorf("err = %v", err)
	}
}

func TestCheckModel(t *testing.T) {
	srv := llmtest.NewServer(t)
	c, _ := newClient(t, srv)
	if err := c.CheckModel(t.Context()); err != nil {
		t.Fatalf("CheckModel: %v", err)
	}
	other, _ := newClient(t, srv, func(c *llm.Config) { c.Model = "gpt-9" })
	err := other.CheckModel(t.Context())
	if err == nil || !strings.Contains(err.Error(), "model gpt-9 not found at "+srv.URL) || !strings.Contains(err.Error(), "test-model") {
		t.Errorf("missing model: %v", err)
	}

	srv401 := llmtest.NewServer(t)
	srv401.ModelsError = llmtest.Unauthorized()
	c401, _ := newClient(t, srv401)
	if err := c401.CheckModel(t.Context()); err == nil || !strings.Contains(err.Error(), "check OPENAI_API_KEY") || srv401.ModelCalls() != 1 {
		t.Errorf("401: %v (calls %d)", err, srv401.ModelCalls())
	}

	srv404 := llmtest.NewServer(t)
	srv404.ModelsError = llmtest.Reply{Status: 404, Body: "404 page not found"}
	c404, _ := newClient(t, srv404)
	if err := c404.CheckModel(t.Context()); err == nil || !strings.Contains(err.Error(), "ends in /v1") {
		t.Errorf("404: %v", err)
	}

	// A closed port: connection refused, not retried.
	dead := llmtest.New()
	url := dead.URL
	dead.Close()
	cd, err := llm.New(llm.Config{BaseURL: url, Model: "m"})
	if err != nil {
		t.Fatal(err)
	}
	if err := cd.CheckModel(t.Context()); err == nil || !strings.Contains(err.Error(), "connection refused") {
		t.Errorf("refused: %v", err)
	}

	// DNS failure and timeout, without the network: a dialer that fails
	// the way the resolver would, and one that never connects.
	for _, tt := range []struct {
		name string
		dial func(ctx context.Context, network, addr string) (net.Conn, error)
		want string
	}{
		{"dns", func(context.Context, string, string) (net.Conn, error) {
			return nil, &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: "api.example.invalid", IsNotFound: true}}
		}, "cannot resolve host api.example.invalid"},
		{"timeout", func(ctx context.Context, _, _ string) (net.Conn, error) {
			<-ctx.Done()
			return nil, ctx.Err()
		}, "no answer from http://api.example.invalid/v1 within 50ms"},
	} {
		hc := &http.Client{Transport: &http.Transport{DialContext: tt.dial}}
		c, err := llm.New(llm.Config{BaseURL: "http://api.example.invalid/v1", Model: "m", HTTPClient: hc, RequestTimeout: 50 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		if err := c.CheckModel(t.Context()); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		}
	}
}

func TestStreamFakeSendsErrorLine(t *testing.T) {
	// The client does not stream; this checks the fake's SSE for engines
	// that do.
	srv := llmtest.NewServer(t)
	srv.Enqueue(llmtest.StreamError("partial answer", "context shift disabled"), llmtest.Text("all of it"))
	post := func() string {
		body := `{"model":"m","stream":true,"messages":[{"role":"user","content":"x"}]}`
		resp, err := http.Post(srv.URL+"/chat/completions", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b bytes.Buffer
		b.ReadFrom(resp.Body)
		return b.String()
	}
	s := post()
	if !strings.Contains(s, "data: {") || !strings.Contains(s, "\nerror: {") || !strings.HasSuffix(s, "data: [DONE]\n\n") {
		t.Errorf("stream:\n%s", s)
	}
	s = post()
	if strings.Contains(s, "error:") || !strings.Contains(s, `"finish_reason":"stop"`) || !strings.Contains(s, `"usage"`) {
		t.Errorf("stream:\n%s", s)
	}
	var chunk map[string]any
	first := strings.TrimPrefix(strings.SplitN(s, "\n", 2)[0], "data: ")
	if err := json.Unmarshal([]byte(first), &chunk); err != nil {
		t.Errorf("chunk %q: %v", first, err)
	}
}

func TestContextWindow(t *testing.T) {
	long := strings.Repeat("قال الرئيس إن المفاوضات ستستأنف الأسبوع المقبل في القاهرة. ", 400) // ~8k tokens
	t.Run("refused before sending", func(t *testing.T) {
		srv := llmtest.NewServer(t)
		c, _ := newClient(t, srv, func(c *llm.Config) { c.ContextWindow = 4096; c.CountTokens = tokens.Estimate })
		_, err := c.Chat(t.Context(), userReq(long))
		if !errors.Is(err, llm.ErrContextLength) || !strings.Contains(err.Error(), "do not fit the 4096-token context window") || srv.Calls() != 0 {
			t.Errorf("err = %v, calls %d", err, srv.Calls())
		}
		if _, err := c.Chat(t.Context(), userReq("short")); err != nil {
			t.Error(err)
		}
	})
	t.Run("silently cut by the server", func(t *testing.T) {
		srv := llmtest.NewServer(t)
		srv.Handler = func(llmtest.ChatRequest) llmtest.Reply {
			r := llmtest.Text("a summary of the end only")
			r.PromptTokens = 2048 // what a 2k-context llama-server reports after cutting
			return r
		}
		c, _ := newClient(t, srv, func(c *llm.Config) { c.CountTokens = tokens.Estimate })
		r, err := c.Chat(t.Context(), userReq(long))
		var ae *llm.APIError
		if !errors.Is(err, llm.ErrContextLength) || !errors.As(err, &ae) || !strings.Contains(err.Error(), "counted only 2048 prompt tokens") {
			t.Fatalf("err = %v", err)
		}
		if r == nil || r.Usage.PromptTokens != 2048 {
			t.Errorf("usage spent should be reported: %+v", r)
		}
		// A short prompt is never second-guessed.
		if _, err := c.Chat(t.Context(), userReq("short")); err != nil {
			t.Error(err)
		}
	})
}
