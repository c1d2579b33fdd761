package llm_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tarjama/tarjama/pipeline/llm"
	"github.com/tarjama/tarjama/pipeline/llm/llmtest"
)

func TestCacheReadWriteThenReplay(t *testing.T) {
	dir := t.TempDir()
	srv := llmtest.NewServer(t)
	rw, err := llm.NewCache(dir, "readwrite")
	if err != nil {
		t.Fatal(err)
	}
	c, _ := newClient(t, srv, func(c *llm.Config) { c.Cache = rw })
	req := userReq("مرحبا")
	req.Prompt = "translate@3"
	first, err := c.Chat(t.Context(), req)
	if err != nil || first.Cached {
		t.Fatalf("first: %+v %v", first, err)
	}
	again, err := c.Chat(t.Context(), req)
	if err != nil || !again.Cached || again.Content != first.Content || again.Usage != (llm.Usage{}) || srv.Calls() != 1 {
		t.Fatalf("second: %+v %v (calls %d)", again, err, srv.Calls())
	}
	var s summary
	srv.Handler = func(llmtest.ChatRequest) llmtest.Reply { return llmtest.JSON(summary{"T", []string{"b"}}) }
	if _, err := c.ChatJSON(t.Context(), req, summarySchema, &s, validSummary(&s)); err != nil {
		t.Fatal(err)
	}
	if srv.Calls() != 2 {
		t.Fatalf("ChatJSON shares Chat's key: calls %d", srv.Calls())
	}

	// Entries: sharded, complete, original usage kept, no key, no temp files.
	var files []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if !d.IsDir() {
			files = append(files, p)
		}
		return err
	})
	if len(files) != 2 {
		t.Fatalf("files %v", files)
	}
	for _, f := range files {
		b, _ := os.ReadFile(f)
		if strings.Contains(string(b), testKey) || strings.Contains(filepath.Base(f), ".tmp") {
			t.Errorf("%s: key or temp file", f)
		}
		var e struct {
			Key   string
			Usage llm.Usage
		}
		json.Unmarshal(b, &e)
		if filepath.Base(filepath.Dir(f)) != e.Key[:2] || filepath.Base(f) != e.Key+".json" || e.Usage.CompletionTokens == 0 {
			t.Errorf("%s: entry %+v", f, e)
		}
	}

	// Replay: a server that would fail everything is never asked.
	dead := llmtest.NewServer(t)
	dead.Handler = func(llmtest.ChatRequest) llmtest.Reply { return llmtest.Unauthorized() }
	rp, err := llm.NewCache(dir, "replay")
	if err != nil {
		t.Fatal(err)
	}
	// Same endpoint in the key: point the replay client at the first URL.
	c2, err := llm.New(llm.Config{BaseURL: srv.URL, Model: "test-model", Cache: rp})
	if err != nil {
		t.Fatal(err)
	}
	srv.Close()
	r, err := c2.Chat(t.Context(), req)
	if err != nil || !r.Cached || r.Content != first.Content {
		t.Fatalf("replay: %+v %v", r, err)
	}
	s = summary{}
	if r, err := c2.ChatJSON(t.Context(), req, summarySchema, &s, validSummary(&s)); err != nil || !r.Cached || s.Title != "T" {
		t.Fatalf("replay json: %+v %v %+v", r, err, s)
	}
	req.Temperature = 0.5 // a different key
	_, err = c2.Chat(t.Context(), req)
	if !errors.Is(err, llm.ErrCacheMiss) || !strings.Contains(err.Error(), "cache miss in replay mode for ") || !strings.Contains(err.Error(), "run once with --cache-mode readwrite") {
		t.Errorf("miss: %v", err)
	}
	if dead.Calls() != 0 {
		t.Error("replay touched the network")
	}
}

func TestCacheKeyCoversInputs(t *testing.T) {
	dir := t.TempDir()
	srv := llmtest.NewServer(t)
	rw, _ := llm.NewCache(dir, "readwrite")
	c, _ := newClient(t, srv, func(c *llm.Config) { c.Cache = rw })
	seed := 1
	base := userReq("x")
	variants := []func(r *llm.Request){
		func(r *llm.Request) {},
		func(r *llm.Request) { r.Temperature = 0.2 },
		func(r *llm.Request) { r.MaxTokens = 7 },
		func(r *llm.Request) { r.Seed = &seed },
		func(r *llm.Request) { r.Prompt = "p@2" },
		func(r *llm.Request) { r.Model = "other" },
		func(r *llm.Request) { r.Messages = []llm.Message{{Role: "user", Content: "x "}} },
	}
	for _, v := range variants {
		r := base
		v(&r)
		if _, err := c.Chat(t.Context(), r); err != nil {
			t.Fatal(err)
		}
	}
	if srv.Calls() != len(variants) {
		t.Errorf("%d calls for %d distinct requests", srv.Calls(), len(variants))
	}
	// Errors are not cached.
	srv.Enqueue(llmtest.Truncated("cut"))
	r := base
	r.MaxTokens = 1
	c.Chat(t.Context(), r)
	if _, err := c.Chat(t.Context(), r); err != nil || srv.Calls() != len(variants)+2 {
		t.Errorf("truncated answer was cached: %v", err)
	}
}

func TestNewCache(t *testing.T) {
	if _, err := llm.NewCache("", "readwrite"); err == nil {
		t.Error("no dir accepted")
	}
	if _, err := llm.NewCache(t.TempDir(), "sometimes"); err == nil {
		t.Error("bad mode accepted")
	}
	c, err := llm.NewCache("", "")
	if err != nil || c.Mode != "off" {
		t.Errorf("%+v %v", c, err)
	}
}
