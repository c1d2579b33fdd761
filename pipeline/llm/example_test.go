package llm_test

import (
	"context"
	"fmt"

	"github.com/tarjama/tarjama/pipeline/llm"
	"github.com/tarjama/tarjama/pipeline/llm/llmtest"
)

// A client against the fake server, as another package's test builds it
// (there: srv := llmtest.NewServer(t), and ctx := t.Context()).
func Example() {
	srv := llmtest.New()
	defer srv.Close()
	srv.Handler = func(r llmtest.ChatRequest) llmtest.Reply { return llmtest.Text("EN: " + r.LastUser()) }
	c, err := llm.New(srv.Config())
	if err != nil {
		panic(err)
	}
	r, err := c.Chat(context.Background(), llm.Request{Messages: []llm.Message{{Role: "user", Content: "مرحبا"}}})
	fmt.Println(r.Content, err, srv.Calls())
	// Output: EN: مرحبا <nil> 1
}
