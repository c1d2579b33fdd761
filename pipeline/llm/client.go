package llm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-retryablehttp"
	openai "github.com/sashabaranov/go-openai"

	"github.com/tarjama/tarjama/pipeline/llm/tokens"
)

// Config configures a Client. Zero values take the documented defaults.
type Config struct {
	BaseURL, APIKey, Model string
	// APIType is "openai" (default) or "azure" (deployment = Model).
	APIType    string
	APIVersion string // azure; default "2024-06-01"
	// EmbedModel is used by Embed when it is given no model; default
	// "text-embedding-3-small".
	EmbedModel string

	// ContextWindow is the model's context size in tokens, if known: a
	// request whose prompt plus max_tokens cannot fit fails with
	// ErrContextLength before it is sent. 0: unknown.
	ContextWindow int
	// CountTokens counts a text's tokens for the context checks; default
	// tokens.Count (o200k_base, built on first use: ~0.8 s, 22 MB).
	CountTokens func(string) int

	RequestTimeout time.Duration // per attempt, default 120s
	Deadline       time.Duration // overall per call incl. retries, default 10m
	MaxRetries     int           // default 4; negative means none
	MaxRetryWait   time.Duration // cap on any single wait, default 60s
	MinRetryWait   time.Duration // first backoff step, default 1s

	Logger     *slog.Logger // nil: discard
	Cache      *Cache       // nil: no cache
	Limiter    *Limiter     // nil: no client-side limit
	HTTPClient *http.Client // optional base transport (tests)
	// Sleep is how backoff waits are slept; default a real sleep that ends
	// when ctx is done. Tests record waits with it.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Message is one chat message.
type Message struct{ Role, Content string }

// Request is one chat request.
type Request struct {
	Model       string // "" = Config.Model
	Messages    []Message
	Temperature float64 // 0 means 0 (really sent)
	MaxTokens   int
	Seed        *int
	Prompt      string // prompt name@version, for the cache key and trace
}

// Usage counts tokens.
type Usage struct{ PromptTokens, CompletionTokens int }

// Response is a chat answer.
type Response struct {
	Content      string
	FinishReason string
	Model        string
	Usage        Usage
	Cached       bool
	Attempts     int            // HTTP attempts incl. retries
	Format       string         // "json_schema", "json_object", "text", "" for plain chat
	Retries      map[string]int // cause → count ("429", "5xx", "reset", "timeout", "409")
}

// Client talks to one OpenAI-compatible endpoint. It is safe for concurrent
// use.
type Client struct {
	cfg      Config
	oa       *openai.Client
	log      *slog.Logger
	endpoint string
	now      func() time.Time
	// format is the first structured-output format worth trying (an index
	// into formats); it only moves forward.
	format atomic.Int32
}

// New checks cfg, fills in defaults and builds a Client.
func New(cfg Config) (*Client, error) {
	if cfg.BaseURL == "" {
		return nil, errors.New("llm: no base URL configured")
	}
	u, err := url.Parse(cfg.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("llm: base URL %q is not an http(s) URL", redact(cfg.BaseURL))
	}
	if cfg.Model == "" {
		return nil, errors.New("llm: no model configured")
	}
	if cfg.APIType == "" {
		cfg.APIType = "openai"
	}
	if cfg.APIType != "openai" && cfg.APIType != "azure" {
		return nil, fmt.Errorf("llm: API type %q: want openai or azure", cfg.APIType)
	}
	if cfg.EmbedModel == "" {
		cfg.EmbedModel = "text-embedding-3-small"
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = 120 * time.Second
	}
	if cfg.Deadline <= 0 {
		cfg.Deadline = 10 * time.Minute
	}
	if cfg.MaxRetries == 0 {
		cfg.MaxRetries = 4
	} else if cfg.MaxRetries < 0 {
		cfg.MaxRetries = 0
	}
	if cfg.MaxRetryWait <= 0 {
		cfg.MaxRetryWait = 60 * time.Second
	}
	if cfg.MinRetryWait <= 0 {
		cfg.MinRetryWait = time.Second
	}
	if cfg.Sleep == nil {
		cfg.Sleep = sleepCtx
	}
	if cfg.CountTokens == nil {
		cfg.CountTokens = tokens.Count
	}
	c := &Client{cfg: cfg, endpoint: redact(cfg.BaseURL), now: time.Now}
	c.log = cfg.Logger
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}

	inner := &http.Client{}
	if cfg.HTTPClient != nil {
		*inner = *cfg.HTTPClient
	} else {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost = 256
		inner.Transport = t
	}
	inner.Timeout = cfg.RequestTimeout

	rc := retryablehttp.NewClient()
	rc.HTTPClient = inner
	rc.Logger = nil
	if cfg.Logger != nil {
		rc.Logger = leveled{cfg.Logger}
	}
	rc.RetryMax = cfg.MaxRetries
	rc.RetryWaitMin, rc.RetryWaitMax = 0, 0
	// The real wait happens in prepareRetry, through cfg.Sleep.
	rc.Backoff = func(_, _ time.Duration, _ int, _ *http.Response) time.Duration { return 0 }
	rc.CheckRetry = c.checkRetry
	rc.PrepareRetry = c.prepareRetry
	rc.ErrorHandler = passthrough

	var oc openai.ClientConfig
	if cfg.APIType == "azure" {
		oc = openai.DefaultAzureConfig(cfg.APIKey, strings.TrimRight(cfg.BaseURL, "/"))
		oc.APIVersion = cfg.APIVersion
		if oc.APIVersion == "" {
			oc.APIVersion = "2024-06-01"
		}
		oc.AzureModelMapperFunc = func(model string) string { return model }
	} else {
		oc = openai.DefaultConfig(cfg.APIKey)
		oc.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	}
	oc.HTTPClient = rc.StandardClient()
	c.oa = openai.NewClientWithConfig(oc)
	return c, nil
}

// Model is the configured chat model.
func (c *Client) Model() string { return c.cfg.Model }

// Endpoint is the base URL, without credentials; it never holds the key.
func (c *Client) Endpoint() string { return c.endpoint }

// Chat sends one chat request and returns the answer. A truncated answer
// (ErrTruncated) and an empty one (ErrEmptyAnswer) are errors. With an
// error, the Response, when not nil, says what was spent (Attempts, Retries,
// Usage, and the partial Content of a truncated answer): record it in the
// trace, never use it as a result.
func (c *Client) Chat(ctx context.Context, req Request) (*Response, error) {
	key := c.cacheKey(req, "", nil)
	if r, err := c.cacheGet(key); r != nil || err != nil {
		return r, err
	}
	r, err := c.chat(ctx, req, nil)
	if err != nil {
		return r, err
	}
	c.cachePut(key, req, r)
	return r, nil
}

// chat is one logical call: limiter, deadline, retries, error mapping. A
// malformed 200 body is tried once more.
func (c *Client) chat(ctx context.Context, req Request, rf *openai.ChatCompletionResponseFormat) (*Response, error) {
	if len(req.Messages) == 0 {
		return nil, errors.New("llm: chat request has no messages")
	}
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Deadline)
	defer cancel()
	model := req.Model
	if model == "" {
		model = c.cfg.Model
	}
	est := 0
	for _, m := range req.Messages {
		est += tokens.Estimate(m.Content) + 4
	}
	est += req.MaxTokens
	if err := c.checkFits(req, model, est); err != nil {
		return nil, err
	}
	st := &callState{estTokens: est}
	ctx = withState(ctx, st)

	oreq := c.openaiRequest(model, req, rf)
	var (
		resp openai.ChatCompletionResponse
		err  error
	)
	for try := 0; try < 2; try++ {
		if c.cfg.Limiter != nil {
			if err := c.cfg.Limiter.wait(ctx, est); err != nil {
				return nil, c.wrapCtx(ctx, err)
			}
		}
		resp, err = c.oa.CreateChatCompletion(ctx, oreq)
		if err == nil || !isDecodeError(err) || ctx.Err() != nil {
			break
		}
		c.log.Info("llm: malformed response, trying once more", "endpoint", c.endpoint, "error", err)
	}
	attempts, retries := st.snapshot()
	if err != nil {
		if c.cfg.Limiter != nil {
			c.cfg.Limiter.adjust(est, 0)
		}
		return &Response{Model: model, Attempts: attempts, Retries: retries}, c.mapError(ctx, err, model, attempts)
	}
	u := Usage{resp.Usage.PromptTokens, resp.Usage.CompletionTokens}
	if c.cfg.Limiter != nil {
		c.cfg.Limiter.adjust(est, u.PromptTokens+u.CompletionTokens)
	}
	r := &Response{Model: resp.Model, Usage: u, Attempts: attempts, Retries: retries}
	if r.Model == "" {
		r.Model = model
	}
	if err := c.checkPromptCut(req, model, u.PromptTokens, est); err != nil {
		return r, err
	}
	if len(resp.Choices) == 0 {
		return r, fmt.Errorf("llm: %s: no choices in the answer: %w", c.endpoint, ErrEmptyAnswer)
	}
	ch := resp.Choices[0]
	r.Content, r.FinishReason = ch.Message.Content, string(ch.FinishReason)
	if ch.FinishReason == openai.FinishReasonLength {
		return r, fmt.Errorf("llm: model %s stopped after %d tokens (max_tokens %d): %w", model, u.CompletionTokens, req.MaxTokens, ErrTruncated)
	}
	if strings.TrimSpace(r.Content) == "" {
		return r, fmt.Errorf("llm: model %s at %s (finish_reason %q): %w", model, c.endpoint, r.FinishReason, ErrEmptyAnswer)
	}
	return r, nil
}

// promptTokens counts the prompt offline (by default with o200k_base;
// other models' tokenizers differ by some 10–20%).
func (c *Client) promptTokens(req Request) int {
	n := 0
	for _, m := range req.Messages {
		n += c.cfg.CountTokens(m.Content) + 4
	}
	return n
}

// checkFits refuses, before sending, a prompt that cannot fit
// Config.ContextWindow.
func (c *Client) checkFits(req Request, model string, est int) error {
	if c.cfg.ContextWindow <= 0 || est < c.cfg.ContextWindow/2 {
		return nil // the cheap estimate leans high: clearly fits
	}
	if n := c.promptTokens(req) + req.MaxTokens; n > c.cfg.ContextWindow {
		return &APIError{Kind: "context_length", Model: model, Endpoint: c.endpoint,
			Message: fmt.Sprintf("about %d tokens (prompt + max_tokens %d) do not fit the %d-token context window; not sent", n, req.MaxTokens, c.cfg.ContextWindow)}
	}
	return nil
}

// checkPromptCut catches a server that silently cut an over-long prompt to
// fit its context (llama-server drops the start, system prompt first, and
// answers 200): it reports far fewer prompt tokens than were sent.
func (c *Client) checkPromptCut(req Request, model string, reported, est int) error {
	// est leans high: if the server counted half of it, all is well, and
	// the exact (slower) count is only paid for when something looks wrong.
	if reported <= 0 || est-req.MaxTokens < 1000 || reported >= (est-req.MaxTokens)/2 {
		return nil
	}
	sent := c.promptTokens(req)
	if sent < 1000 || reported >= sent/2 {
		return nil
	}
	return &APIError{Kind: "context_length", Model: model, Endpoint: c.endpoint,
		Message: fmt.Sprintf("the server answered but counted only %d prompt tokens of about %d sent: it probably cut the prompt to fit its context window (llama-server does by default)", reported, sent)}
}

// openaiRequest builds go-openai's request, working around its omitempty
// temperature and its client-side checks for reasoning models.
func (c *Client) openaiRequest(model string, req Request, rf *openai.ChatCompletionResponseFormat) openai.ChatCompletionRequest {
	msgs := make([]openai.ChatCompletionMessage, len(req.Messages))
	for i, m := range req.Messages {
		msgs[i] = openai.ChatCompletionMessage{Role: m.Role, Content: m.Content}
	}
	o := openai.ChatCompletionRequest{
		Model:          model,
		Messages:       msgs,
		MaxTokens:      req.MaxTokens,
		Temperature:    float32(req.Temperature),
		Seed:           req.Seed,
		ResponseFormat: rf,
	}
	if req.Temperature == 0 {
		// omitempty would drop 0 and leave the server's default (often 0.8).
		o.Temperature = math.SmallestNonzeroFloat32
	}
	if openai.NewReasoningValidator().Validate(o) != nil {
		// o1/o3/o4/gpt-5 models refuse max_tokens and any temperature but 1.
		o.MaxCompletionTokens, o.MaxTokens = o.MaxTokens, 0
		o.Temperature = 0
	}
	return o
}

func isDecodeError(err error) bool {
	var ue *url.Error
	var oe *openai.APIError
	var re *openai.RequestError
	if errors.As(err, &ue) || errors.As(err, &oe) || errors.As(err, &re) {
		return false // transport failure, not a body we could not decode
	}
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	return errors.As(err, &se) || errors.As(err, &te) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF)
}

// mapError turns go-openai's and net/http's errors into the project's.
func (c *Client) mapError(ctx context.Context, err error, model string, attempts int) error {
	var oe *openai.APIError
	var re *openai.RequestError
	switch {
	case errors.As(err, &oe):
		code := ""
		if oe.Code != nil {
			code = fmt.Sprint(oe.Code)
		}
		return &APIError{Status: oe.HTTPStatusCode, Kind: classifyStatus(oe.HTTPStatusCode, code, oe.Type, oe.Message),
			Message: c.scrub(oe.Message), Code: code, Type: oe.Type, Model: model, Endpoint: c.endpoint, Attempts: attempts}
	case errors.As(err, &re):
		msg := strings.TrimSpace(string(re.Body))
		if len(msg) > 300 {
			msg = msg[:300] + "…"
		}
		return &APIError{Status: re.HTTPStatusCode, Kind: classifyStatus(re.HTTPStatusCode, "", "", msg),
			Message: c.scrub(msg), Model: model, Endpoint: c.endpoint, Attempts: attempts}
	case ctx.Err() != nil:
		return c.wrapCtx(ctx, err)
	case errors.As(err, new(*deadlineError)):
		return fmt.Errorf("llm: %s after %d attempts: %w (Deadline %s)", c.endpoint, attempts, err, c.cfg.Deadline)
	case isTimeout(err):
		return fmt.Errorf("llm: %s did not answer within %s (per attempt) after %d attempts: %w", c.endpoint, c.cfg.RequestTimeout, attempts, err)
	case isDecodeError(err):
		return fmt.Errorf("llm: %s: %w: %s", c.endpoint, ErrBadResponse, c.scrub(err.Error()))
	}
	return fmt.Errorf("llm: %s after %d attempts: %w", c.endpoint, attempts, err)
}

// wrapCtx explains a context error: cancelled by the user, or our deadline.
func (c *Client) wrapCtx(ctx context.Context, err error) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("llm: no answer from %s within the %s deadline: %w", c.endpoint, c.cfg.Deadline, context.DeadlineExceeded)
	}
	if ctx.Err() != nil {
		return fmt.Errorf("llm: %s: %w", c.endpoint, ctx.Err())
	}
	return fmt.Errorf("llm: %s: %w", c.endpoint, err)
}

// scrub hides the API key if a server echoes it.
func (c *Client) scrub(s string) string {
	if k := c.cfg.APIKey; len(k) >= 4 {
		s = strings.ReplaceAll(s, k, MaskKey(k))
	}
	return s
}

// redact drops userinfo and query from a URL for display.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "<invalid URL>"
	}
	u.User = nil
	u.RawQuery = ""
	return strings.TrimRight(u.String(), "/")
}

// passthrough is retryablehttp's PassthroughErrorHandler, which keeps the
// last response so go-openai can read the API's error, except that it never
// returns a response together with an error (net/http would log a complaint
// to the standard logger and drop the response anyway).
func passthrough(resp *http.Response, err error, n int) (*http.Response, error) {
	if err != nil {
		if resp != nil {
			resp.Body.Close()
		}
		return nil, err
	}
	return retryablehttp.PassthroughErrorHandler(resp, err, n)
}

// leveled adapts *slog.Logger to retryablehttp's LeveledLogger. All its
// lines go to Debug: the client reports retries and errors itself.
type leveled struct{ l *slog.Logger }

func (w leveled) Error(msg string, kv ...any) { w.l.Debug("retryablehttp: "+msg, kv...) }
func (w leveled) Info(msg string, kv ...any)  { w.l.Debug("retryablehttp: "+msg, kv...) }
func (w leveled) Debug(msg string, kv ...any) { w.l.Debug("retryablehttp: "+msg, kv...) }
func (w leveled) Warn(msg string, kv ...any)  { w.l.Debug("retryablehttp: "+msg, kv...) }

var _ retryablehttp.LeveledLogger = leveled{}

// String shows the configuration with the API key masked, so printing a
// Config never leaks the key.
func (c Config) String() string {
	return fmt.Sprintf("llm.Config{BaseURL: %s, APIKey: %s, Model: %s, APIType: %s, RequestTimeout: %s, Deadline: %s, MaxRetries: %d}",
		redact(c.BaseURL), MaskKey(c.APIKey), c.Model, c.APIType, c.RequestTimeout, c.Deadline, c.MaxRetries)
}

// GoString masks the key in %#v too.
func (c Config) GoString() string { return c.String() }

// LogValue masks the key when a Config is logged with slog.
func (c Config) LogValue() slog.Value { return slog.StringValue(c.String()) }
