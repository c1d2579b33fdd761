package llm

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Cache modes.
const (
	CacheOff       = "off"       // no cache
	CacheReadWrite = "readwrite" // answer from the cache, store new answers
	CacheReplay    = "replay"    // answer only from the cache; a miss is an error
)

// Cache stores answers on disk, one JSON file per request under Dir, in
// directories sharded by the key's first two hex digits. Only complete,
// valid answers are stored. Safe for concurrent use by many processes:
// writes are atomic (temp file + rename).
type Cache struct {
	Dir  string
	Mode string
}

// NewCache checks mode and creates dir if the mode needs it.
func NewCache(dir, mode string) (*Cache, error) {
	switch mode {
	case "", CacheOff:
		return &Cache{Dir: dir, Mode: CacheOff}, nil
	case CacheReadWrite, CacheReplay:
	default:
		return nil, fmt.Errorf("llm: cache mode %q: want off, readwrite or replay", mode)
	}
	if dir == "" {
		return nil, fmt.Errorf("llm: cache mode %s needs a cache directory", mode)
	}
	if mode == CacheReadWrite {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("llm: cache directory: %w", err)
		}
	}
	return &Cache{Dir: dir, Mode: mode}, nil
}

func (c *Cache) active() bool { return c != nil && (c.Mode == CacheReadWrite || c.Mode == CacheReplay) }

// cacheEntry is the file format. It keeps the original usage; a hit reports
// zero new usage.
type cacheEntry struct {
	Key          string    `json:"key"`
	Created      time.Time `json:"created"`
	Endpoint     string    `json:"endpoint"`
	Model        string    `json:"model"`
	Prompt       string    `json:"prompt,omitempty"`
	Content      string    `json:"content"`
	FinishReason string    `json:"finish_reason"`
	Format       string    `json:"format,omitempty"`
	Usage        Usage     `json:"usage"`
}

func (c *Cache) path(key string) string { return filepath.Join(c.Dir, key[:2], key+".json") }

func (c *Cache) get(key string) (*cacheEntry, error) {
	b, err := os.ReadFile(c.path(key))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("llm: cache: %w", err)
	}
	var e cacheEntry
	if err := json.Unmarshal(b, &e); err != nil || e.Key != key {
		return nil, nil // a damaged entry is a miss; readwrite overwrites it
	}
	return &e, nil
}

func (c *Cache) put(e *cacheEntry) error {
	dir := filepath.Dir(c.path(e.Key))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	b, err := json.MarshalIndent(e, "", "  ")
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return err
	}
	_, werr := f.Write(append(b, '\n'))
	cerr := f.Close()
	if werr != nil || cerr != nil {
		os.Remove(f.Name())
		return errors.Join(werr, cerr)
	}
	if err := os.Rename(f.Name(), c.path(e.Key)); err != nil {
		os.Remove(f.Name())
		return err
	}
	return nil
}

// keyMaterial is everything that changes an answer. The API key is not in
// it: the answer does not depend on who pays.
type keyMaterial struct {
	Endpoint    string          `json:"endpoint"`
	Model       string          `json:"model"`
	Prompt      string          `json:"prompt"`
	Temperature float64         `json:"temperature"`
	MaxTokens   int             `json:"max_tokens"`
	Seed        *int            `json:"seed"`
	Format      string          `json:"format"`
	Schema      json.RawMessage `json:"schema,omitempty"`
	Messages    []Message       `json:"messages"`
}

func (c *Client) cacheKey(req Request, format string, schema json.RawMessage) string {
	if !c.cfg.Cache.active() {
		return ""
	}
	model := req.Model
	if model == "" {
		model = c.cfg.Model
	}
	b, _ := json.Marshal(keyMaterial{c.endpoint, model, req.Prompt, req.Temperature, req.MaxTokens, req.Seed, format, schema, req.Messages})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// cacheGet returns a cached Response, or nil on a miss (an error in replay
// mode).
func (c *Client) cacheGet(key string) (*Response, error) {
	if key == "" {
		return nil, nil
	}
	e, err := c.cfg.Cache.get(key)
	if err != nil {
		return nil, err
	}
	if e == nil {
		if c.cfg.Cache.Mode == CacheReplay {
			return nil, fmt.Errorf("%w in replay mode for %s: run once with --cache-mode readwrite", ErrCacheMiss, key)
		}
		return nil, nil
	}
	c.log.Debug("llm: cache hit", "key", key)
	return &Response{Content: e.Content, FinishReason: e.FinishReason, Model: e.Model, Cached: true, Format: e.Format}, nil
}

func (c *Client) cachePut(key string, req Request, r *Response) {
	if key == "" || c.cfg.Cache.Mode != CacheReadWrite {
		return
	}
	e := &cacheEntry{Key: key, Created: time.Now().UTC(), Endpoint: c.endpoint, Model: r.Model, Prompt: req.Prompt,
		Content: r.Content, FinishReason: r.FinishReason, Format: r.Format, Usage: r.Usage}
	if err := c.cfg.Cache.put(e); err != nil {
		c.log.Warn("llm: cannot write cache entry", "key", key, "error", err)
	}
}
