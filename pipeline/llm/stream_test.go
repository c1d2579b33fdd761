package llm_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/tarjama/tarjama/pipeline/llm"
	"github.com/tarjama/tarjama/pipeline/llm/llmtest"
)

func TestChatStream(t *testing.T) {
	tests := []struct {
		name     string
		replies  []llmtest.Reply
		want     string
		sentinel error
	}{
		{"ok", []llmtest.Reply{llmtest.Text("the talks resume in Cairo")}, "the talks resume in Cairo", nil},
		{"retry then ok", []llmtest.Reply{llmtest.ServerError(503), llmtest.Text("fine")}, "fine", nil},
		{"error line mid-stream", []llmtest.Reply{llmtest.StreamError("the talks", "context shift is disabled")}, "the talks", llm.ErrBadResponse},
		{"error line, no content", []llmtest.Reply{llmtest.StreamError("", "boom")}, "", llm.ErrEmptyAnswer},
		{"empty stream", []llmtest.Reply{llmtest.Text("")}, "", llm.ErrEmptyAnswer},
		{"length", []llmtest.Reply{llmtest.Truncated("cut here")}, "cut here", llm.ErrTruncated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := llmtest.NewServer(t)
			srv.Enqueue(tt.replies...)
			c, _ := newClient(t, srv)
			var deltas []string
			r, err := c.ChatStream(t.Context(), userReq("x"), func(d string) { deltas = append(deltas, d) })
			if !errors.Is(err, tt.sentinel) || (tt.sentinel == nil) != (err == nil) {
				t.Fatalf("err = %v, want %v", err, tt.sentinel)
			}
			if r.Content != tt.want || strings.Join(deltas, "") != tt.want {
				t.Errorf("content %q, deltas %q, want %q", r.Content, deltas, tt.want)
			}
			if err == nil && (r.Usage.CompletionTokens == 0 || r.FinishReason != "stop" || r.Attempts != len(tt.replies)) {
				t.Errorf("response %+v", r)
			}
			if !srv.Requests()[0].Stream {
				t.Error("stream not requested")
			}
		})
	}
}
