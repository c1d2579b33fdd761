package llmtest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tarjama/tarjama/pipeline/llm"
	"github.com/tarjama/tarjama/pipeline/llm/llmtest"
)

func post(t *testing.T, ctx context.Context, url, body string, hdr ...string) (*http.Response, []byte, error) {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, "POST", url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, b, err
}

const chatBody = `{"model":"m","temperature":0,"messages":[{"role":"system","content":"s"},{"role":"user","content":"hi"}]}`

func TestQueueThenHandlerThenEcho(t *testing.T) {
	srv := llmtest.NewServer(t)
	srv.Enqueue(llmtest.Text("queued"))
	var got []string
	for i := range 3 {
		if i == 2 {
			srv.Handler = func(r llmtest.ChatRequest) llmtest.Reply { return llmtest.Text(fmt.Sprintf("handled %d", r.N)) }
		}
		_, b, err := post(t, t.Context(), srv.URL+"/chat/completions", chatBody, "Authorization", "Bearer sk-secret-key")
		if err != nil {
			t.Fatal(err)
		}
		var r struct {
			Choices []struct{ Message struct{ Content string } }
		}
		json.Unmarshal(b, &r)
		got = append(got, r.Choices[0].Message.Content)
	}
	if want := []string{"queued", "echo: hi", "handled 3"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %q, want %q", got, want)
	}
	r := srv.Requests()[0]
	if r.Temperature == nil || *r.Temperature != 0 || !r.Fields["temperature"] || r.System() != "s" || r.LastUser() != "hi" {
		t.Errorf("recorded %+v", r)
	}
	if r.Authorization.Reveal() != "sk-secret-key" || r.Header.Get("Authorization") != "" {
		t.Error("authorization not kept apart")
	}
	for _, s := range []string{fmt.Sprint(r), fmt.Sprintf("%+v", r), fmt.Sprintf("%#v", r), fmt.Sprint(r.Authorization)} {
		if strings.Contains(s, "sk-secret-key") {
			t.Errorf("secret printed: %s", s)
		}
	}
	if srv.Calls() != 3 {
		t.Errorf("calls %d", srv.Calls())
	}
}

func TestFaultShapes(t *testing.T) {
	tests := []struct {
		name   string
		reply  llmtest.Reply
		status int
		body   string
		header string
	}{
		{"429", llmtest.RateLimited("2").WithHeader("x-ratelimit-reset-requests", "1s"), 429, `"rate_limit_exceeded"`, "2"},
		{"500", llmtest.ServerError(500), 500, `"server_error"`, ""},
		{"context", llmtest.ContextLengthExceeded(), 400, `{"error":{"code":"context_length_exceeded","message":"This model's maximum context length is`, ""},
		{"401", llmtest.Unauthorized(), 401, `"invalid_api_key"`, ""},
		{"404", llmtest.ModelNotFound("gpt-x"), 404, "The model `gpt-x` does not exist", ""},
		{"json_schema", llmtest.RejectJSONSchema(), 400, "response_format", ""},
		{"malformed", llmtest.Malformed(), 200, "not json", ""},
		{"length", llmtest.Truncated("cut"), 200, `"finish_reason":"length"`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := llmtest.NewServer(t)
			srv.Enqueue(tt.reply)
			resp, b, err := post(t, t.Context(), srv.URL+"/chat/completions", chatBody)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tt.status || !strings.Contains(string(b), tt.body) || resp.Header.Get("Retry-After") != tt.header {
				t.Errorf("status %d body %s retry-after %q", resp.StatusCode, b, resp.Header.Get("Retry-After"))
			}
			if tt.status != 200 && !json.Valid(b) {
				t.Errorf("error body is not JSON: %s", b)
			}
		})
	}
	t.Run("reset and truncated body", func(t *testing.T) {
		srv := llmtest.NewServer(t)
		srv.Enqueue(llmtest.Reset(), llmtest.TruncatedBody("a longer answer"))
		if _, _, err := post(t, t.Context(), srv.URL+"/chat/completions", chatBody); err == nil {
			t.Error("reset: no error")
		}
		if _, _, err := post(t, t.Context(), srv.URL+"/chat/completions", chatBody); err == nil || !strings.Contains(err.Error(), "unexpected EOF") {
			t.Errorf("truncated body: %v", err)
		}
	})
	t.Run("reject formats", func(t *testing.T) {
		srv := llmtest.NewServer(t)
		srv.RejectFormats = map[string]bool{"json_schema": true}
		resp, b, _ := post(t, t.Context(), srv.URL+"/chat/completions", `{"model":"m","messages":[],"response_format":{"type":"json_schema","json_schema":{"name":"x","schema":{},"strict":true}}}`)
		if resp.StatusCode != 400 || !strings.Contains(string(b), "response_format") {
			t.Errorf("%d %s", resp.StatusCode, b)
		}
		resp, b, _ = post(t, t.Context(), srv.URL+"/chat/completions", `{"model":"m","messages":[{"role":"user","content":"q"}],"response_format":{"type":"json_object"}}`)
		if resp.StatusCode != 200 || !strings.Contains(string(b), `{\"echo\":\"q\"}`) {
			t.Errorf("%d %s", resp.StatusCode, b)
		}
		if srv.Requests()[0].ResponseFormat.JSONSchema.Name != "x" {
			t.Error("json_schema not recorded")
		}
	})
}

// Close ends hanging handlers: nothing is left running.
func TestHangEndsOnCancelAndClose(t *testing.T) {
	before := runtime.NumGoroutine()
	srv := llmtest.New()
	srv.Enqueue(llmtest.Hang(), llmtest.Hang())
	ctx, cancel := context.WithCancel(t.Context())
	errs := make(chan error, 2)
	go func() { _, _, err := post(t, ctx, srv.URL+"/chat/completions", chatBody); errs <- err }()
	for srv.Calls() < 1 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-errs; err == nil {
		t.Error("cancelled request: no error")
	}
	go func() { _, _, err := post(t, t.Context(), srv.URL+"/chat/completions", chatBody); errs <- err }()
	for srv.Calls() < 2 {
		time.Sleep(time.Millisecond)
	}
	srv.Close() // must not block on the hanging handler
	if err := <-errs; err == nil {
		t.Error("request hanging at Close: no error")
	}
	http.DefaultClient.CloseIdleConnections()
	var n int
	for range 200 {
		if n = runtime.NumGoroutine(); n <= before {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	buf := make([]byte, 1<<16)
	t.Errorf("goroutines: %d before, %d after Close\n%s", before, n, buf[:runtime.Stack(buf, true)])
}

func TestLatencyScalesToManyConcurrentRequests(t *testing.T) {
	srv := llmtest.NewServer(t)
	srv.Latency = 200 * time.Millisecond
	tr := &http.Transport{MaxIdleConnsPerHost: 300}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr}
	var wg sync.WaitGroup
	errs := make(chan error, 300)
	for range 300 {
		wg.Go(func() {
			resp, err := hc.Post(srv.URL+"/chat/completions", "application/json", strings.NewReader(chatBody))
			if err != nil {
				errs <- err
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				errs <- fmt.Errorf("status %d", resp.StatusCode)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if srv.Calls() != 300 {
		t.Errorf("calls %d", srv.Calls())
	}
}

func TestEmbeddingsAndModels(t *testing.T) {
	srv := llmtest.NewServer(t)
	_, b, err := post(t, t.Context(), srv.URL+"/embeddings", `{"model":"e","input":["gaza ceasefire talks","ceasefire talks in gaza","oil prices rise"]}`)
	if err != nil {
		t.Fatal(err)
	}
	var r struct {
		Data []struct {
			Index     int
			Embedding []float32
		}
	}
	if err := json.Unmarshal(b, &r); err != nil || len(r.Data) != 3 {
		t.Fatalf("%s %v", b, err)
	}
	dot := func(a, b []float32) (s float32) {
		for i := range a {
			s += a[i] * b[i]
		}
		return s
	}
	same, diff := dot(r.Data[0].Embedding, r.Data[1].Embedding), dot(r.Data[0].Embedding, r.Data[2].Embedding)
	if same < 0.8 || diff >= same {
		t.Errorf("similar texts %v, different texts %v", same, diff)
	}
	resp, err := http.Get(srv.URL + "/models")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	buf.ReadFrom(resp.Body)
	resp.Body.Close()
	if !strings.Contains(buf.String(), `"id":"test-model"`) || srv.ModelCalls() != 1 || srv.EmbedCalls() != 1 {
		t.Errorf("models %s", buf.String())
	}
}

func TestAzurePath(t *testing.T) {
	srv := llmtest.NewServer(t)
	resp, _, err := post(t, t.Context(), srv.BaseURL()+"/openai/deployments/dep1/chat/completions?api-version=2024-06-01", chatBody, "api-key", "azure-secret")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("%v %v", resp, err)
	}
	r := srv.Requests()[0]
	if r.Deployment != "dep1" || r.Authorization.Reveal() != "azure-secret" || r.Header.Get("api-key") != "" {
		t.Errorf("%+v", r)
	}
}

func TestConfigRecordsWaits(t *testing.T) {
	srv := llmtest.NewServer(t)
	srv.Enqueue(llmtest.RateLimited("9"))
	c, err := llm.New(srv.Config())
	if err != nil {
		t.Fatal(err)
	}
	r, err := c.Chat(t.Context(), llm.Request{Messages: []llm.Message{{Role: "user", Content: "hi"}}})
	if err != nil || r.Content != "echo: hi" {
		t.Fatalf("%+v %v", r, err)
	}
	if w := srv.Waits(); len(w) != 1 || w[0] != 9*time.Second {
		t.Errorf("waits %v", w)
	}
	if srv.Requests()[1].Authorization.Reveal() != llmtest.TestKey {
		t.Error("key")
	}
}
