package batch

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/tarjama/tarjama/pipeline/llm"
	"github.com/tarjama/tarjama/pipeline/llm/llmtest"
)

// BenchmarkThroughput runs batches of one-call documents against the fake
// server with 200 ms latency and reports throughput as a share of the
// ideal j / latency. 8×j documents per batch (j=1: 8, j=256: 2,048).
// cpu-ms/doc includes the in-process fake server; bench/batch measures the
// tarjama binary alone.
//
//	go test -run '^$' -bench Throughput -benchtime 1x ./pipeline/batch
func BenchmarkThroughput(b *testing.B) {
	const latency = 200 * time.Millisecond
	for _, j := range []int{1, 8, 64, 256} {
		b.Run(fmt.Sprintf("j=%d", j), func(b *testing.B) {
			srv := llmtest.NewServer(b)
			srv.Latency = latency
			tr := http.DefaultTransport.(*http.Transport).Clone()
			tr.MaxIdleConnsPerHost = 512
			c, err := llm.New(llm.Config{BaseURL: srv.URL, APIKey: "sk-bench", Model: "test-model", HTTPClient: &http.Client{Transport: tr}})
			if err != nil {
				b.Fatal(err)
			}
			n := 8 * j
			ds := docs(n, "d")
			var rate, cpu float64
			for i := 0; i < b.N; i++ {
				out := filepath.Join(b.TempDir(), "res.jsonl")
				var ru0, ru1 syscall.Rusage
				syscall.Getrusage(syscall.RUSAGE_SELF, &ru0)
				t0 := time.Now()
				snap, err := Run(context.Background(), items(ds), llmProc{c}, Config{Out: out, Jobs: j, NoDedup: true})
				el := time.Since(t0)
				syscall.Getrusage(syscall.RUSAGE_SELF, &ru1)
				if err != nil || snap.OK != int64(n) {
					b.Fatalf("%v, %d ok", err, snap.OK)
				}
				rate += float64(n) / el.Seconds()
				cpu += float64((ru1.Utime.Nano()+ru1.Stime.Nano())-(ru0.Utime.Nano()+ru0.Stime.Nano())) / 1e6 / float64(n)
			}
			ideal := float64(j) / latency.Seconds()
			b.ReportMetric(rate/float64(b.N), "docs/s")
			b.ReportMetric(100*rate/float64(b.N)/ideal, "%ideal")
			b.ReportMetric(cpu/float64(b.N), "cpu-ms/doc")
		})
	}
}
