// Package llmtest is a fake OpenAI-compatible server for tests: NewServer
// (or New, for benchmarks) starts it on httptest. It serves
// /v1/chat/completions (also streamed), /v1/embeddings and /v1/models, and
// Azure's /openai/deployments/{name}/... form.
//
// Answers come from, in order: the queue (Enqueue), else Handler, else the
// default echo handler. A Reply is either an answer (Text, JSON, Truncated)
// or a fault (RateLimited, ServerError, Reset, Hang, Malformed,
// TruncatedBody, ContextLengthExceeded, Unauthorized, ModelNotFound,
// RejectJSONSchema, StreamError). Every request is recorded (Requests) and
// counted (Calls); the API key is kept as a Secret that never prints.
//
// In another package's test:
//
//	srv := llmtest.NewServer(t)
//	srv.Handler = func(r llmtest.ChatRequest) llmtest.Reply { return llmtest.Text("EN: " + r.LastUser()) }
//	c, err := llm.New(srv.Config()) // backoff waits are recorded, not slept
//	...
//	got := srv.Requests() // what the code under test sent
package llmtest

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tarjama/tarjama/pipeline/llm"
)

// Secret is a credential seen by the server. It prints masked; Reveal gives
// the real value for assertions.
type Secret string

func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return "<redacted>"
}

// GoString masks the value in %#v too.
func (s Secret) GoString() string { return `"<redacted>"` }

// Reveal returns the real value.
func (s Secret) Reveal() string { return string(s) }

// Message is one chat message as received.
type Message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// ResponseFormat is the request's response_format.
type ResponseFormat struct {
	Type       string `json:"type"`
	JSONSchema *struct {
		Name   string          `json:"name"`
		Schema json.RawMessage `json:"schema"`
		Strict bool            `json:"strict"`
	} `json:"json_schema,omitempty"`
}

// ChatRequest is a recorded chat request.
type ChatRequest struct {
	N                   int // 1-based order of arrival among chat requests
	Path                string
	Deployment          string // Azure deployment from the path
	Model               string
	Messages            []Message
	Temperature         *float64
	MaxTokens           *int
	MaxCompletionTokens *int
	Seed                *int
	Stream              bool
	ResponseFormat      *ResponseFormat
	// Fields are the top-level keys present in the JSON body.
	Fields map[string]bool
	// Body is the raw JSON body.
	Body []byte
	// Header holds the request headers minus Authorization and api-key,
	// which are in Authorization.
	Header        http.Header
	Authorization Secret
	Arrived       time.Time
}

// Format is the response_format type, "" if none was sent.
func (r ChatRequest) Format() string {
	if r.ResponseFormat == nil {
		return ""
	}
	return r.ResponseFormat.Type
}

// LastUser is the content of the last user message.
func (r ChatRequest) LastUser() string {
	for i := len(r.Messages) - 1; i >= 0; i-- {
		if r.Messages[i].Role == "user" {
			return r.Messages[i].Content
		}
	}
	return ""
}

// System is the content of the first system message.
func (r ChatRequest) System() string {
	for _, m := range r.Messages {
		if m.Role == "system" {
			return m.Content
		}
	}
	return ""
}

// Reply is what the server does with one chat request.
type Reply struct {
	Content      string
	FinishReason string // default "stop"
	// Usage; zero means estimated from the text (about 4 bytes a token).
	PromptTokens, CompletionTokens int
	// Status and Body, when Status is set, are sent as they are (an error).
	Status int
	Body   string
	Header map[string]string
	// Delay is waited before answering (after Server.Latency).
	Delay time.Duration
	fault fault
}

type fault int

const (
	noFault fault = iota
	faultReset
	faultHang
	faultTruncatedBody
	faultStreamError
)

// WithHeader returns r with a response header added.
func (r Reply) WithHeader(k, v string) Reply {
	h := make(map[string]string, len(r.Header)+1)
	for a, b := range r.Header {
		h[a] = b
	}
	h[k] = v
	r.Header = h
	return r
}

// Text answers content with finish_reason "stop".
func Text(content string) Reply { return Reply{Content: content} }

// JSON answers v marshalled as JSON.
func JSON(v any) Reply {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return Reply{Content: string(b)}
}

// Fenced answers v as JSON inside a ```json fence with prose around it,
// as a model does when the server ignores response_format.
func Fenced(v any) Reply {
	r := JSON(v)
	r.Content = "Sure! Here is the JSON you asked for:\n```json\n" + r.Content + "\n```\nLet me know if you need anything else."
	return r
}

// Truncated answers content with finish_reason "length".
func Truncated(content string) Reply { return Reply{Content: content, FinishReason: "length"} }

// Error is an error status with OpenAI's body shape.
func Error(status int, typ, code, msg string) Reply {
	e := map[string]any{"message": msg, "type": typ, "param": nil, "code": nil}
	if code != "" {
		e["code"] = code
	}
	b, _ := json.Marshal(map[string]any{"error": e})
	return Reply{Status: status, Body: string(b)}
}

// RateLimited is a 429; retryAfter ("2", an HTTP date, or "") goes in
// Retry-After. Add x-ratelimit-* headers with WithHeader.
func RateLimited(retryAfter string) Reply {
	r := Error(429, "requests", "rate_limit_exceeded", "Rate limit reached for requests")
	if retryAfter != "" {
		r = r.WithHeader("Retry-After", retryAfter)
	}
	return r
}

// ServerError is a 5xx (500, 502, 503, ...) with OpenAI's body shape.
func ServerError(status int) Reply {
	return Error(status, "server_error", "", fmt.Sprintf("The server had an error while processing your request (%d)", status))
}

// ContextLengthExceeded is OpenAI's 400 for an over-long prompt.
func ContextLengthExceeded() Reply {
	return Error(400, "invalid_request_error", "context_length_exceeded",
		"This model's maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens. Please reduce the length of the messages.")
}

// Unauthorized is OpenAI's 401.
func Unauthorized() Reply {
	return Error(401, "invalid_request_error", "invalid_api_key", "Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.")
}

// ModelNotFound is OpenAI's 404 for an unknown model.
func ModelNotFound(model string) Reply {
	return Error(404, "invalid_request_error", "model_not_found", fmt.Sprintf("The model `%s` does not exist or you do not have access to it.", model))
}

// RejectJSONSchema is a 400 refusing response_format json_schema.
func RejectJSONSchema() Reply {
	return Error(400, "invalid_request_error", "", "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model.")
}

// Reset closes the connection without answering (hijack, RST).
func Reset() Reply { return Reply{fault: faultReset} }

// Hang never answers; the handler returns when the client gives up or the
// server is closed.
func Hang() Reply { return Reply{fault: faultHang} }

// Malformed answers 200 with a body that is not JSON.
func Malformed() Reply {
	return Reply{Status: 200, Body: `{"id":"chatcmpl-x","choices":[{"message":{"role":"assistant","content":"hi"` + "\x00not json"}
}

// TruncatedBody answers 200 announcing a longer body than it sends, then
// closes the connection.
func TruncatedBody(content string) Reply { return Reply{Content: content, fault: faultTruncatedBody} }

// StreamError, for a streamed request, sends content then an SSE `error:`
// line and [DONE] with status 200, as llama-server does; for a plain
// request it is a 500.
func StreamError(content, msg string) Reply {
	return Reply{Content: content, Body: msg, fault: faultStreamError}
}

// Server is the fake API. Set its fields before the first request.
type Server struct {
	*httptest.Server
	// URL is the base URL to give the client (ends in /v1).
	URL string
	// Handler answers chat requests when the queue is empty; nil: Echo.
	Handler func(ChatRequest) Reply
	// Latency is waited before every chat and embeddings answer.
	Latency time.Duration
	// Models is what /v1/models lists.
	Models []string
	// RejectFormats makes the server answer 400 to these response_format
	// types ("json_schema", "json_object").
	RejectFormats map[string]bool
	// EmbedDim is the embeddings' length (default 16).
	EmbedDim int
	// ModelsError, when its Status is set, is the answer to /v1/models.
	ModelsError Reply

	mu         sync.Mutex
	queue      []Reply
	embedQueue []Reply
	requests   []ChatRequest
	chats      atomic.Int64
	embeds     atomic.Int64
	models     atomic.Int64
	closing    chan struct{}
	once       sync.Once
	sleeps     []time.Duration
}

// TestKey is the API key Config uses.
const TestKey = "sk-llmtest-0000000000000000"

// Config is an llm.Config for this server: model "test-model", TestKey,
// and backoff waits recorded (see Waits) instead of slept, so retries cost
// no time. Change what you need before llm.New.
func (s *Server) Config() llm.Config {
	return llm.Config{BaseURL: s.URL, APIKey: TestKey, Model: "test-model", Sleep: s.sleep}
}

func (s *Server) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.sleeps = append(s.sleeps, d)
	s.mu.Unlock()
	return ctx.Err()
}

// Waits returns the backoff waits clients built with Config asked for.
func (s *Server) Waits() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.sleeps...)
}

// NewServer starts a server closed at the end of the test.
func NewServer(t testing.TB) *Server {
	s := New()
	t.Cleanup(s.Close)
	return s
}

// New starts a server; call Close.
func New() *Server {
	s := &Server{Models: []string{"test-model", "test-embed"}, EmbedDim: 16, closing: make(chan struct{})}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/chat/completions", s.chat)
	mux.HandleFunc("POST /v1/embeddings", s.embeddings)
	mux.HandleFunc("GET /v1/models", s.listModels)
	mux.HandleFunc("POST /openai/deployments/{dep}/chat/completions", s.chat)
	mux.HandleFunc("POST /openai/deployments/{dep}/embeddings", s.embeddings)
	mux.HandleFunc("GET /openai/models", s.listModels)
	s.Server = httptest.NewUnstartedServer(mux)
	s.Server.Config.ErrorLog = nil
	s.Server.Start()
	s.URL = s.Server.URL + "/v1"
	return s
}

// BaseURL is the server's root URL, for Azure clients (no /v1).
func (s *Server) BaseURL() string { return s.Server.URL }

// Close ends hanging handlers, then shuts the server down.
func (s *Server) Close() {
	s.once.Do(func() { close(s.closing) })
	s.Server.CloseClientConnections()
	s.Server.Close()
}

// SetHandler replaces Handler safely while requests may be in flight.
func (s *Server) SetHandler(h func(ChatRequest) Reply) {
	s.mu.Lock()
	s.Handler = h
	s.mu.Unlock()
}

// Enqueue adds replies used, in order, before Handler.
func (s *Server) Enqueue(r ...Reply) {
	s.mu.Lock()
	s.queue = append(s.queue, r...)
	s.mu.Unlock()
}

// EnqueueEmbed adds replies (usually faults) used, in order, for
// embeddings requests before the normal answer.
func (s *Server) EnqueueEmbed(r ...Reply) {
	s.mu.Lock()
	s.embedQueue = append(s.embedQueue, r...)
	s.mu.Unlock()
}

// Requests returns a copy of the chat requests received so far.
func (s *Server) Requests() []ChatRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]ChatRequest(nil), s.requests...)
}

// Calls is the number of chat requests received.
func (s *Server) Calls() int { return int(s.chats.Load()) }

// EmbedCalls is the number of embeddings requests received.
func (s *Server) EmbedCalls() int { return int(s.embeds.Load()) }

// ModelCalls is the number of models requests received.
func (s *Server) ModelCalls() int { return int(s.models.Load()) }

// Echo is the default handler: "echo: <last user message>", or for a JSON
// response_format {"echo": "<last user message>"}.
func Echo(r ChatRequest) Reply {
	if f := r.Format(); f == "json_object" || f == "json_schema" {
		return JSON(map[string]string{"echo": r.LastUser()})
	}
	return Text("echo: " + r.LastUser())
}

func (s *Server) chat(w http.ResponseWriter, hr *http.Request) {
	body, err := io.ReadAll(hr.Body)
	if err != nil {
		return
	}
	req := ChatRequest{Path: hr.URL.Path, Deployment: hr.PathValue("dep"), Body: body, Header: hr.Header.Clone(), Arrived: time.Now()}
	if a := hr.Header.Get("Authorization"); a != "" {
		req.Authorization = Secret(strings.TrimPrefix(a, "Bearer "))
	} else {
		req.Authorization = Secret(hr.Header.Get("api-key"))
	}
	req.Header.Del("Authorization")
	req.Header.Del("api-key")
	var wire struct {
		Model               string          `json:"model"`
		Messages            []Message       `json:"messages"`
		Temperature         *float64        `json:"temperature"`
		MaxTokens           *int            `json:"max_tokens"`
		MaxCompletionTokens *int            `json:"max_completion_tokens"`
		Seed                *int            `json:"seed"`
		Stream              bool            `json:"stream"`
		ResponseFormat      *ResponseFormat `json:"response_format"`
	}
	var fields map[string]json.RawMessage
	if json.Unmarshal(body, &wire) != nil || json.Unmarshal(body, &fields) != nil {
		writeReply(w, Error(400, "invalid_request_error", "", "could not parse the JSON body"))
		return
	}
	req.Model, req.Messages, req.Temperature = wire.Model, wire.Messages, wire.Temperature
	req.MaxTokens, req.MaxCompletionTokens, req.Seed = wire.MaxTokens, wire.MaxCompletionTokens, wire.Seed
	req.Stream, req.ResponseFormat = wire.Stream, wire.ResponseFormat
	req.Fields = make(map[string]bool, len(fields))
	for k := range fields {
		req.Fields[k] = true
	}

	s.mu.Lock()
	req.N = int(s.chats.Add(1))
	s.requests = append(s.requests, req)
	var reply Reply
	queued := len(s.queue) > 0
	if queued {
		reply, s.queue = s.queue[0], s.queue[1:]
	}
	h := s.Handler
	s.mu.Unlock()
	if !queued {
		if f := req.Format(); s.RejectFormats[f] {
			reply = Error(400, "invalid_request_error", "", fmt.Sprintf("response_format type %q is not supported", f))
		} else if h != nil {
			reply = h(req)
		} else {
			reply = Echo(req)
		}
	}
	if !s.wait(hr, s.Latency+reply.Delay) {
		return
	}
	model := req.Model
	if req.Deployment != "" {
		model = req.Deployment
	}
	switch reply.fault {
	case faultReset:
		reset(w)
		return
	case faultHang:
		select {
		case <-hr.Context().Done():
		case <-s.closing:
			panic(http.ErrAbortHandler) // drop the connection: no empty 200
		}
		return
	case faultTruncatedBody:
		b := completionBody(model, req, reply)
		hijackWrite(w, fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", len(b), b[:len(b)/2]))
		return
	case faultStreamError:
		if !req.Stream {
			writeReply(w, Error(500, "server_error", "", reply.Body))
			return
		}
	}
	if reply.Status != 0 {
		writeReply(w, reply)
		return
	}
	if req.Stream {
		s.stream(w, model, req, reply)
		return
	}
	for k, v := range reply.Header {
		w.Header().Set(k, v)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(completionBody(model, req, reply))
}

// wait sleeps d unless the client leaves or the server closes.
func (s *Server) wait(hr *http.Request, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-hr.Context().Done():
	case <-s.closing:
		panic(http.ErrAbortHandler) // drop the connection: no empty 200
	}
	return false
}

func writeReply(w http.ResponseWriter, r Reply) {
	for k, v := range r.Header {
		w.Header().Set(k, v)
	}
	if w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(r.Status)
	io.WriteString(w, r.Body)
}

func usageOf(req ChatRequest, r Reply) (int, int) {
	p, c := r.PromptTokens, r.CompletionTokens
	if p == 0 {
		for _, m := range req.Messages {
			p += len(m.Content)/4 + 4
		}
	}
	if c == 0 {
		c = len(r.Content)/4 + 1
	}
	return p, c
}

func completionBody(model string, req ChatRequest, r Reply) []byte {
	fr := r.FinishReason
	if fr == "" {
		fr = "stop"
	}
	p, c := usageOf(req, r)
	b, _ := json.Marshal(map[string]any{
		"id": fmt.Sprintf("chatcmpl-%d", req.N), "object": "chat.completion", "created": req.Arrived.Unix(), "model": model,
		"choices": []any{map[string]any{"index": 0, "message": map[string]any{"role": "assistant", "content": r.Content}, "finish_reason": fr}},
		"usage":   map[string]int{"prompt_tokens": p, "completion_tokens": c, "total_tokens": p + c},
	})
	return b
}

// stream sends the answer as SSE chunks, word by word; like llama-server,
// usage and the finish reason come in the last chunk.
func (s *Server) stream(w http.ResponseWriter, model string, req ChatRequest, r Reply) {
	w.Header().Set("Content-Type", "text/event-stream")
	fl, _ := w.(http.Flusher)
	chunk := func(delta map[string]any, fr any, usage any) {
		m := map[string]any{"id": fmt.Sprintf("chatcmpl-%d", req.N), "object": "chat.completion.chunk", "model": model,
			"choices": []any{map[string]any{"index": 0, "delta": delta, "finish_reason": fr}}}
		if usage != nil {
			m["usage"] = usage
		}
		b, _ := json.Marshal(m)
		fmt.Fprintf(w, "data: %s\n\n", b)
		if fl != nil {
			fl.Flush()
		}
	}
	for _, word := range strings.SplitAfter(r.Content, " ") {
		if word != "" {
			chunk(map[string]any{"content": word}, nil, nil)
		}
	}
	if r.fault == faultStreamError {
		b, _ := json.Marshal(map[string]any{"error": map[string]any{"message": r.Body, "type": "server_error"}})
		fmt.Fprintf(w, "error: %s\n\ndata: [DONE]\n\n", b)
		return
	}
	fr := r.FinishReason
	if fr == "" {
		fr = "stop"
	}
	p, c := usageOf(req, r)
	chunk(map[string]any{}, fr, map[string]int{"prompt_tokens": p, "completion_tokens": c, "total_tokens": p + c})
	io.WriteString(w, "data: [DONE]\n\n")
}

func reset(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		return
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		return
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		tc.SetLinger(0) // RST instead of FIN
	}
	conn.Close()
}

func hijackWrite(w http.ResponseWriter, raw string) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		return
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		return
	}
	defer conn.Close()
	buf.WriteString(raw)
	buf.Flush()
}

func (s *Server) embeddings(w http.ResponseWriter, hr *http.Request) {
	s.embeds.Add(1)
	var req struct {
		Input any    `json:"input"`
		Model string `json:"model"`
	}
	if err := json.NewDecoder(hr.Body).Decode(&req); err != nil {
		writeReply(w, Error(400, "invalid_request_error", "", "could not parse the JSON body"))
		return
	}
	if !s.wait(hr, s.Latency) {
		return
	}
	s.mu.Lock()
	var fault *Reply
	if len(s.embedQueue) > 0 {
		fault, s.embedQueue = &s.embedQueue[0], s.embedQueue[1:]
	}
	s.mu.Unlock()
	if fault != nil {
		switch {
		case fault.fault == faultReset:
			reset(w)
		case fault.fault == faultHang:
			s.wait(hr, time.Duration(math.MaxInt64))
		default:
			writeReply(w, *fault)
		}
		return
	}
	var inputs []string
	switch v := req.Input.(type) {
	case string:
		inputs = []string{v}
	case []any:
		for _, x := range v {
			str, _ := x.(string)
			inputs = append(inputs, str)
		}
	}
	data := make([]any, len(inputs))
	toks := 0
	for i, in := range inputs {
		data[i] = map[string]any{"object": "embedding", "index": i, "embedding": Embedding(in, s.EmbedDim)}
		toks += len(in)/4 + 1
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"object": "list", "model": req.Model, "data": data,
		"usage": map[string]int{"prompt_tokens": toks, "total_tokens": toks}})
}

// Embedding is the fake server's deterministic embedding: a unit-length
// bag of hashed words, so texts sharing words are close.
func Embedding(text string, dim int) []float32 {
	if dim <= 0 {
		dim = 16
	}
	v := make([]float32, dim)
	for _, w := range strings.Fields(strings.ToLower(text)) {
		h := fnv.New32a()
		h.Write([]byte(w))
		v[h.Sum32()%uint32(dim)]++
	}
	var n float64
	for _, x := range v {
		n += float64(x * x)
	}
	if n == 0 {
		v[0] = 1
		return v
	}
	n = math.Sqrt(n)
	for i := range v {
		v[i] = float32(float64(v[i]) / n)
	}
	return v
}

func (s *Server) listModels(w http.ResponseWriter, _ *http.Request) {
	s.models.Add(1)
	if s.ModelsError.Status != 0 {
		writeReply(w, s.ModelsError)
		return
	}
	data := make([]any, len(s.Models))
	for i, m := range s.Models {
		data[i] = map[string]any{"id": m, "object": "model", "owned_by": "llmtest"}
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"object": "list", "data": data})
}
