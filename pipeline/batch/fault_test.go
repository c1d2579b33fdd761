package batch

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tarjama/tarjama/pipeline"
	"github.com/tarjama/tarjama/pipeline/llm"
	"github.com/tarjama/tarjama/pipeline/llm/llmtest"
)

// llmProc is a one-call Processor around the real LLM client: enough to
// put the client's retries, timeouts and the shared limiter under a batch.
type llmProc struct{ c *llm.Client }

func (p llmProc) Run(ctx context.Context, d pipeline.Document) (*pipeline.Result, error) {
	res := &pipeline.Result{Schema: pipeline.SchemaVersion, ID: d.ID, Engine: "llm", Keywords: []pipeline.Keyword{}}
	resp, err := p.c.Chat(ctx, llm.Request{Messages: []llm.Message{{Role: "user", Content: d.ID + "|" + d.Text}}})
	tr := pipeline.Trace{Step: "translate", Engine: "llm", Model: p.c.Model()}
	if resp != nil {
		tr.Usage = pipeline.Usage{PromptTokens: resp.Usage.PromptTokens, CompletionTokens: resp.Usage.CompletionTokens, Calls: 1}
		tr.Attempts = resp.Attempts
	}
	res.Trace = append(res.Trace, tr)
	res.Usage = tr.Usage
	if err != nil {
		if ctx.Err() != nil {
			return res, ctx.Err()
		}
		res.Errors = []pipeline.StepError{{Step: "translate", Message: err.Error()}}
		return res, nil
	}
	res.Translation = &pipeline.Translation{Lang: "en", Paragraphs: []string{resp.Content}, Kind: "translation"}
	return res, nil
}

// faultPlan says, for document i, which fault its first attempts get.
func faultPlan(i int) (fault string, times int) {
	switch {
	case i%17 == 5:
		return "500 always", 1 << 30
	case i%23 == 6:
		return "429 always", 1 << 30
	}
	switch i % 10 {
	case 0:
		return "429", 2
	case 1:
		return "503", 1
	case 2:
		return "reset", 1
	case 3:
		return "hang", 1
	case 4:
		return "malformed", 1
	}
	return "", 0
}

func newClient(t *testing.T, url string, stats *Stats, lim *llm.Limiter) *llm.Client {
	t.Helper()
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 256
	c, err := llm.New(llm.Config{
		BaseURL: url, APIKey: "sk-test", Model: "test-model",
		RequestTimeout: 2 * time.Second, MaxRetries: 5,
		MinRetryWait: time.Millisecond, MaxRetryWait: 20 * time.Millisecond,
		Limiter: lim, HTTPClient: &http.Client{Transport: NewTransport(tr, stats)},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// 200 documents through the fake server with 429 bursts (Retry-After),
// 5xx, connection resets, hangs past the timeout and malformed bodies:
// every document ends as one result or one error record.
func TestFaultInjection(t *testing.T) {
	srv := llmtest.NewServer(t)
	var mu sync.Mutex
	tries := map[int]int{}
	srv.Handler = func(r llmtest.ChatRequest) llmtest.Reply {
		id, _, _ := strings.Cut(r.LastUser(), "|")
		i, _ := strconv.Atoi(strings.TrimPrefix(id, "d"))
		mu.Lock()
		tries[i]++
		n := tries[i]
		mu.Unlock()
		fault, times := faultPlan(i)
		if n <= times {
			switch fault {
			case "500 always":
				return llmtest.Error(500, "server_error", "", fmt.Sprintf("boom %d", n))
			case "429", "429 always":
				return llmtest.RateLimited("1")
			case "503":
				return llmtest.ServerError(503)
			case "reset":
				return llmtest.Reset()
			case "hang":
				return llmtest.Hang()
			case "malformed":
				return llmtest.Malformed()
			}
		}
		return llmtest.Echo(r)
	}
	stats := NewStats(nil)
	c := newClient(t, srv.URL, stats, llm.NewLimiter(0, 0))
	out := filepath.Join(t.TempDir(), "res.jsonl")
	ds := docs(200, "d")
	snap, err := Run(context.Background(), items(ds), llmProc{c}, Config{Out: out, Jobs: 16, Stats: stats})
	if err != nil {
		t.Fatal(err)
	}
	got := readOut(t, out) // fails on a duplicate or a half line
	checkAll(t, got, ds)
	wantFailed := 0
	for i, d := range ds {
		fault, _ := faultPlan(i)
		r := got[d.ID]
		always := strings.HasSuffix(fault, "always")
		if always {
			wantFailed++
		}
		switch {
		case always && len(r.Errors) == 0:
			t.Errorf("%s (%s) should have failed", d.ID, fault)
		case !always && len(r.Errors) > 0:
			t.Errorf("%s (%s) failed: %v", d.ID, fault, r.Errors)
		case !always && r.Translation.Paragraphs[0] != "echo: "+d.ID+"|"+d.Text:
			t.Errorf("%s: wrong answer %q", d.ID, r.Translation.Paragraphs[0])
		}
	}
	if int(snap.Failed) != wantFailed || snap.OK != int64(200-wantFailed) {
		t.Errorf("ok %d failed %d, want failed %d", snap.OK, snap.Failed, wantFailed)
	}
	for _, cause := range []string{"429", "5xx", "reset", "timeout"} {
		if snap.Retries[cause] == 0 {
			t.Errorf("no %s counted in retries %v", cause, snap.Retries)
		}
	}
	if snap.Attempts <= snap.Calls {
		t.Errorf("attempts %d should exceed calls %d", snap.Attempts, snap.Calls)
	}
}

// TestMain doubles as the helper process the SIGKILL test runs and kills.
func TestMain(m *testing.M) {
	if out := os.Getenv("TARJAMA_BATCH_HELPER_OUT"); out != "" {
		n, _ := strconv.Atoi(os.Getenv("TARJAMA_BATCH_HELPER_N"))
		p := newFake()
		p.delay = 2 * time.Millisecond
		_, err := Run(context.Background(), items(docs(n, "d")), p, Config{Out: out, Jobs: 8})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func countLines(path string) int {
	b, _ := os.ReadFile(path)
	return strings.Count(string(b), "\n")
}

// kill -9 in the middle of a run, several times, then finish: every
// document is in the output exactly once and no line is cut.
func TestSIGKILLResume(t *testing.T) {
	if testing.Short() {
		t.Skip("runs subprocesses")
	}
	out := filepath.Join(t.TempDir(), "res.jsonl")
	const n = 600
	run := func(killAfter int) {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "TARJAMA_BATCH_HELPER_OUT="+out, "TARJAMA_BATCH_HELPER_N="+strconv.Itoa(n))
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		if killAfter == 0 {
			if err := cmd.Wait(); err != nil {
				t.Fatalf("final run: %v", err)
			}
			return
		}
		deadline := time.Now().Add(30 * time.Second)
		for countLines(out) < killAfter && time.Now().Before(deadline) {
			time.Sleep(time.Millisecond)
		}
		cmd.Process.Kill() // SIGKILL
		cmd.Wait()
	}
	killed := 0
	for _, at := range []int{100, 250, 400} {
		run(at)
		b, _ := os.ReadFile(out)
		ck, _ := os.ReadFile(checkpointPath(out, false))
		if c := countLines(out); c >= n {
			t.Logf("run finished before the kill at %d", at)
		} else {
			killed++
			t.Logf("killed with %d output lines (torn: %v), %d checkpoint lines", c, len(b) > 0 && b[len(b)-1] != '\n', strings.Count(string(ck), "\n"))
		}
	}
	if killed == 0 {
		t.Fatal("no run was killed mid-way")
	}
	run(0)
	checkAll(t, readOut(t, out), docs(n, "d"))
}
