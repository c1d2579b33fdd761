package llm_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/tarjama/tarjama/pipeline/llm"
	"github.com/tarjama/tarjama/pipeline/llm/llmtest"
)

// BenchmarkChat is the client's own overhead per call against a local fake.
func BenchmarkChat(b *testing.B) {
	srv := llmtest.New()
	defer srv.Close()
	c, _ := llm.New(llm.Config{BaseURL: srv.URL, APIKey: "k", Model: "m"})
	req := userReq("قال الرئيس إن المفاوضات ستستأنف الأسبوع المقبل في القاهرة.")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Chat(b.Context(), req); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkChatConcurrent: many workers, one client, a server answering in
// 100ms. calls/s should approach workers/latency.
func BenchmarkChatConcurrent(b *testing.B) {
	for _, workers := range []int{16, 64, 256} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			srv := llmtest.New()
			defer srv.Close()
			srv.Latency = 100 * time.Millisecond
			c, _ := llm.New(llm.Config{BaseURL: srv.URL, APIKey: "k", Model: "m", Limiter: llm.NewLimiter(0, 0)})
			req := userReq("x")
			start := time.Now()
			n := 0
			for b.Loop() {
				var wg sync.WaitGroup
				for range workers {
					wg.Go(func() {
						if _, err := c.Chat(b.Context(), req); err != nil {
							b.Error(err)
						}
					})
				}
				wg.Wait()
				n += workers
			}
			b.ReportMetric(float64(n)/time.Since(start).Seconds(), "calls/s")
		})
	}
}

// BenchmarkCacheHit is a readwrite cache hit (no network).
func BenchmarkCacheHit(b *testing.B) {
	srv := llmtest.New()
	defer srv.Close()
	cache, _ := llm.NewCache(b.TempDir(), "readwrite")
	c, _ := llm.New(llm.Config{BaseURL: srv.URL, APIKey: "k", Model: "m", Cache: cache})
	req := userReq("x")
	c.Chat(b.Context(), req)
	b.ReportAllocs()
	for b.Loop() {
		if r, err := c.Chat(b.Context(), req); err != nil || !r.Cached {
			b.Fatal(err)
		}
	}
}

// BenchmarkExtractJSON on a fenced answer with prose around it.
func BenchmarkExtractJSON(b *testing.B) {
	s := "Sure! Here is the summary you asked for:\n```json\n{\"title\": \"غزة\", \"bullets\": [\"one\", \"two\", \"three\"], \"entities\": [{\"name\": \"x\", \"type\": \"person\"}]}\n```\nLet me know if you need anything else."
	for b.Loop() {
		llm.ExtractJSON(s)
	}
}
