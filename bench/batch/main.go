// Command batchbench measures `tarjama batch`: throughput against the fake
// OpenAI-compatible server with a fixed latency, compared with the ideal
// (j / (latency × calls per document)); API calls and tokens per document;
// tarjama's own CPU time per document and peak memory (the tarjama binary
// runs as a subprocess, so its rusage is its own, not the fake server's).
//
//	go build -o /tmp/tarjama ./cmd/tarjama
//	go run ./bench/batch -tarjama /tmp/tarjama -latency 200ms
//	go run ./bench/batch -mode mem -docs 1000,100000
//
// -mode mem runs batch.Run in this process with a zero-latency processor
// and reports the peak heap (HeapInuse sampled every 5 ms) and VmHWM, to
// show that memory does not grow with the number of documents.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/tarjama/tarjama/pipeline"
	"github.com/tarjama/tarjama/pipeline/batch"
	"github.com/tarjama/tarjama/pipeline/input"
	"github.com/tarjama/tarjama/pipeline/llm/llmtest"
	"github.com/tarjama/tarjama/pipeline/llmengine/fakemodel"
)

func main() {
	mode := flag.String("mode", "throughput", "throughput (tarjama binary vs fake server) or mem (in-process, zero latency)")
	bin := flag.String("tarjama", "/tmp/tarjama", "tarjama binary (go build -o /tmp/tarjama ./cmd/tarjama)")
	latency := flag.Duration("latency", 200*time.Millisecond, "fake server latency per call")
	jobs := flag.String("j", "1,8,64,256", "concurrency levels")
	docsFlag := flag.String("docs", "", "documents per level (default: 2000 for j >= 64, 25×j otherwise; mem mode: 1000,100000)")
	noDedup := flag.Bool("no-dedup", false, "mem mode: turn deduplication off")
	flag.Parse()
	var err error
	if *mode == "mem" {
		err = memBench(*docsFlag, *noDedup)
	} else {
		err = throughput(*bin, *latency, *jobs, *docsFlag)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "batchbench:", err)
		os.Exit(1)
	}
}

var sentences = []string{
	"قال مسؤولون إن الاجتماع ناقش الأوضاع الأمنية في المنطقة.",
	"وأضافت المصادر أن الطرفين اتفقا على مواصلة المشاورات الأسبوع المقبل.",
	"وأعلنت الحكومة عن خطة جديدة لدعم الاقتصاد المحلي.",
	"ونقلت وكالة الأنباء عن شهود عيان أن الحركة عادت إلى طبيعتها.",
}

// writeDocs writes n short, distinct Arabic documents as JSON Lines.
func writeDocs(path string, n int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	for i := range n {
		text := fmt.Sprintf("%s (%d)\n\n%s", sentences[i%4], i, sentences[(i+1)%4])
		b, _ := json.Marshal(map[string]string{"id": fmt.Sprintf("doc-%06d", i), "title": fmt.Sprintf("خبر رقم %d", i), "text": text, "lang": "ar"})
		w.Write(b)
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}

func throughput(bin string, latency time.Duration, jobs, docsFlag string) error {
	srv := llmtest.New()
	defer srv.Close()
	srv.Latency = latency
	srv.Handler = fakemodel.Handler
	dir, err := os.MkdirTemp("", "batchbench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	// An empty env file keeps the developer's .env out of the measurement.
	if err := os.WriteFile(filepath.Join(dir, "none.env"), nil, 0o644); err != nil {
		return err
	}
	fmt.Printf("latency %v; tarjama %s; %d CPUs\n\n", latency, bin, runtime.NumCPU())
	// A one-document run measures the start-up CPU (language models,
	// tokenizer), subtracted for the marginal CPU per document.
	var base []time.Duration
	for range 3 {
		r, err := runOnce(bin, srv, dir, 1, 1)
		if err != nil {
			return err
		}
		base = append(base, r.cpu)
	}
	sort.Slice(base, func(a, b int) bool { return base[a] < base[b] })
	baseCPU := result{cpu: base[1]} // the median
	fmt.Printf("start-up CPU (median of three one-document runs): %.2fs\n\n", baseCPU.cpu.Seconds())
	fmt.Println("| j | docs | calls/doc | tokens/doc (in+out) | docs/s (batch) | ideal docs/s | % of ideal | wall incl. start-up | CPU ms/doc (total) | CPU ms/doc (marginal) | peak RSS |")
	fmt.Println("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
	for _, js := range strings.Split(jobs, ",") {
		j, err := strconv.Atoi(js)
		if err != nil {
			return err
		}
		n := 2000
		if j < 64 {
			n = 25 * j
		}
		if docsFlag != "" {
			if n, err = strconv.Atoi(docsFlag); err != nil {
				return err
			}
		}
		calls0 := srv.Calls()
		r, err := runOnce(bin, srv, dir, j, n)
		if err != nil {
			return err
		}
		calls := float64(srv.Calls()-calls0) / float64(n)
		ideal := float64(j) / (latency.Seconds() * calls)
		fmt.Printf("| %d | %d | %.2f | %.0f | %.1f | %.1f | %.0f%% | %.1fs | %.2f | %.2f | %d MB |\n",
			j, n, calls, float64(r.sum.PromptTokens+r.sum.CompletionTokens)/float64(n), r.sum.DocsPerS, ideal,
			100*r.sum.DocsPerS/ideal, r.wall.Seconds(), ms(r.cpu)/float64(n), ms(r.cpu-baseCPU.cpu)/float64(n-1), r.maxRSS>>20)
	}
	return nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

type result struct {
	sum    batch.Snapshot
	wall   time.Duration
	cpu    time.Duration
	maxRSS int64
}

// runOnce runs the tarjama binary on n generated documents at -j j.
func runOnce(bin string, srv *llmtest.Server, dir string, j, n int) (result, error) {
	runDir, err := os.MkdirTemp(dir, "run")
	if err != nil {
		return result{}, err
	}
	in, out := filepath.Join(runDir, "in.jsonl"), filepath.Join(runDir, "out.jsonl")
	if err := writeDocs(in, n); err != nil {
		return result{}, err
	}
	cmd := exec.Command(bin, "batch", "--in", in, "--out", out, "-j", strconv.Itoa(j),
		"--engine", "llm", "--base-url", srv.URL, "--model", "fake-model", "--no-dedup", "--env-file", filepath.Join(dir, "none.env"))
	cmd.Env = append(os.Environ(), "OPENAI_API_KEY=sk-bench")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	t0 := time.Now()
	err = cmd.Run()
	r := result{wall: time.Since(t0)}
	if err != nil {
		return r, fmt.Errorf("j=%d: %v\n%s", j, err, stderr.String())
	}
	for _, l := range strings.Split(stderr.String(), "\n") {
		if strings.Contains(l, `"event":"summary"`) {
			json.Unmarshal([]byte(l), &r.sum)
		}
	}
	if r.sum.OK != int64(n) {
		return r, fmt.Errorf("j=%d: %d of %d documents ok\n%s", j, r.sum.OK, n, stderr.String())
	}
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	r.cpu = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	r.maxRSS = ru.Maxrss << 10
	return r, nil
}

// zeroProc answers at once with a result of realistic size.
type zeroProc struct{}

func (zeroProc) Run(_ context.Context, d pipeline.Document) (*pipeline.Result, error) {
	paras := pipeline.SplitParagraphs(d.Text)
	en := make([]string, len(paras))
	for i, p := range paras {
		en[i] = "EN: " + p
	}
	return &pipeline.Result{Schema: pipeline.SchemaVersion, ID: d.ID, Engine: "zero", Keywords: []pipeline.Keyword{{Text: "meeting"}},
		Language:    pipeline.Detection{Lang: "ar", Confidence: 1},
		Clean:       pipeline.Cleaned{Title: d.Title, Paragraphs: paras},
		Translation: &pipeline.Translation{Lang: "en", Paragraphs: en, Kind: "translation"},
		Summary:     &pipeline.Summary{Lang: "en", Text: "A summary.", Kind: "abstractive"},
		Trace:       []pipeline.Trace{{Step: "translate", Engine: "llm", Model: "gpt-4o-mini", Usage: pipeline.Usage{PromptTokens: 300, CompletionTokens: 120, Calls: 1}}},
	}, nil
}

func vmHWM() string {
	b, _ := os.ReadFile("/proc/self/status")
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmHWM:") {
			return strings.TrimSpace(strings.TrimPrefix(l, "VmHWM:"))
		}
	}
	return "?"
}

func memBench(docsFlag string, noDedup bool) error {
	if docsFlag == "" {
		docsFlag = "1000,100000"
	}
	dir, err := os.MkdirTemp("", "batchmem")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	fmt.Println("| docs | peak HeapInuse | VmHWM (process so far) | docs/s | CPU µs/doc (batch machinery) |")
	fmt.Println("| ---: | ---: | ---: | ---: | ---: |")
	for _, ns := range strings.Split(docsFlag, ",") {
		n, err := strconv.Atoi(ns)
		if err != nil {
			return err
		}
		in := filepath.Join(dir, fmt.Sprintf("in-%d.jsonl", n))
		if err := writeDocs(in, n); err != nil {
			return err
		}
		runtime.GC()
		var peak atomic.Uint64
		stop := make(chan struct{})
		done := make(chan struct{})
		go func() {
			defer close(done)
			var ms runtime.MemStats
			for {
				runtime.ReadMemStats(&ms)
				if ms.HeapInuse > peak.Load() {
					peak.Store(ms.HeapInuse)
				}
				select {
				case <-stop:
					return
				case <-time.After(5 * time.Millisecond):
				}
			}
		}()
		var ru0, ru1 syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &ru0)
		t0 := time.Now()
		snap, err := batch.Run(context.Background(), input.Walk(context.Background(), []string{in}, nil, input.Options{}), zeroProc{},
			batch.Config{Out: filepath.Join(dir, fmt.Sprintf("out-%d.jsonl", n)), Jobs: 64, Prices: batch.DefaultPrices(), NoDedup: noDedup})
		el := time.Since(t0)
		syscall.Getrusage(syscall.RUSAGE_SELF, &ru1)
		close(stop)
		<-done
		if err != nil {
			return err
		}
		if snap.OK != int64(n) {
			return fmt.Errorf("%d of %d ok", snap.OK, n)
		}
		cpu := (ru1.Utime.Nano() + ru1.Stime.Nano()) - (ru0.Utime.Nano() + ru0.Stime.Nano())
		fmt.Printf("| %d | %.1f MB | %s | %.0f | %.0f |\n", n, float64(peak.Load())/1e6, vmHWM(), float64(n)/el.Seconds(), float64(cpu)/1e3/float64(n))
	}
	return nil
}
