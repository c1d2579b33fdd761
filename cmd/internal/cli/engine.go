package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/tarjama/tarjama/pipeline"
	"github.com/tarjama/tarjama/pipeline/clean"
	"github.com/tarjama/tarjama/pipeline/detect"
	"github.com/tarjama/tarjama/pipeline/llm"
	"github.com/tarjama/tarjama/pipeline/llm/tokens"
	"github.com/tarjama/tarjama/pipeline/llmengine"
	"github.com/tarjama/tarjama/pipeline/offline"
	"github.com/tarjama/tarjama/pipeline/offline/gloss"
	"github.com/tarjama/tarjama/prompts"
)

// engines holds what is expensive to build and shared by every document of
// a run: the detector, the LLM clients (one per model), the cache, the rate
// limiter and the dictionary.
type engines struct {
	mu       sync.Mutex
	detector *detect.Detector
	clients  map[string]*llm.Client
	cache    *llm.Cache
	limiter  *llm.Limiter
	prompts  *prompts.Set
	dict     *gloss.Dict
	dictErr  error
	dictDone bool
	announce sync.Once
}

// Detector returns the shared language detector.
func (a *App) Detector() (*detect.Detector, error) {
	e := a.eng()
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.detector == nil {
		d, err := detect.New(detect.Options{})
		if err != nil {
			return nil, fmt.Errorf("language detector: %w", err)
		}
		e.detector = d
	}
	return e.detector, nil
}

func (a *App) eng() *engines {
	if a.engines == nil {
		a.engines = &engines{clients: map[string]*llm.Client{}}
	}
	return a.engines
}

// errNoEndpoint says how to configure an endpoint.
var errNoEndpoint = errors.New("no LLM endpoint configured: set OPENAI_API_KEY (OpenAI) or OPENAI_BASE_URL (Ollama, vLLM, llama.cpp, OpenRouter…) in the environment or .env (see .env.example), or use --engine offline")

// LLM returns the client for a stage ("translate", "summarize", "judge",
// "embed", "brief"); clients are shared per model. It fails when no endpoint
// is configured.
func (a *App) LLM(ctx context.Context, stage string) (*llm.Client, error) {
	if !a.Cfg.endpointConfigured() {
		return nil, usageError(errNoEndpoint)
	}
	e := a.eng()
	e.mu.Lock()
	defer e.mu.Unlock()
	model := a.Cfg.ModelFor(stage)
	if c, ok := e.clients[model]; ok {
		return c, nil
	}
	if e.cache == nil && a.Cfg.CacheMode != "off" {
		c, err := llm.NewCache(a.Cfg.CacheDir, a.Cfg.CacheMode)
		if err != nil {
			return nil, usageError(fmt.Errorf("cache: %w", err))
		}
		e.cache = c
	}
	if e.limiter == nil && (a.Cfg.RPM > 0 || a.Cfg.TPM > 0) {
		e.limiter = llm.NewLimiter(a.Cfg.RPM, a.Cfg.TPM)
	}
	baseURL := a.Cfg.BaseURL
	if baseURL == "" {
		baseURL = "https://api.openai.com/v1"
	}
	c, err := llm.New(llm.Config{
		BaseURL:        baseURL,
		APIKey:         a.Cfg.APIKey,
		Model:          model,
		APIType:        a.Cfg.APIType,
		APIVersion:     a.Cfg.APIVersion,
		EmbedModel:     a.Cfg.StageModels["embed"],
		RequestTimeout: a.Cfg.Timeout,
		Logger:         a.Logger,
		Cache:          e.cache,
		Limiter:        e.limiter,
		HTTPClient:     a.HTTPClient,
	})
	if err != nil {
		return nil, usageError(fmt.Errorf("LLM client: %w", err))
	}
	e.clients[model] = c
	return c, nil
}

// Limiter returns the shared client-side rate limiter, or nil.
func (a *App) Limiter() *llm.Limiter { return a.eng().limiter }

// Prompts returns the prompt set (embedded, overridden by --prompts).
func (a *App) Prompts() (*prompts.Set, error) {
	e := a.eng()
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.prompts == nil {
		p, err := prompts.Load(a.Cfg.PromptsDir)
		if err != nil {
			return nil, usageError(err)
		}
		e.prompts = p
	}
	return e.prompts, nil
}

// Dict returns the Arabic-English dictionary for the offline gloss, or an
// error saying why there is none.
func (a *App) Dict(ctx context.Context) (*gloss.Dict, error) {
	e := a.eng()
	e.mu.Lock()
	defer e.mu.Unlock()
	if !e.dictDone {
		e.dictDone = true
		path := a.Cfg.Dict
		if path == "" {
			if p, ok := gloss.Find(); ok {
				path = p
			}
		}
		if path == "" {
			e.dictErr = gloss.ErrNoDictionary
		} else {
			e.dict, e.dictErr = gloss.Open(ctx, path)
		}
	}
	return e.dict, e.dictErr
}

// localPipeline has only the local steps (clean, detect).
func (a *App) localPipeline() (*pipeline.Pipeline, error) {
	det, err := a.Detector()
	if err != nil {
		return nil, err
	}
	return &pipeline.Pipeline{Engine: "local", Detector: det, Cleaner: clean.New(), Logger: a.Logger}, nil
}

// Pipeline builds the document pipeline for the effective engine and says
// on stderr, once, which engine runs.
func (a *App) Pipeline(ctx context.Context) (*pipeline.Pipeline, error) {
	det, err := a.Detector()
	if err != nil {
		return nil, err
	}
	p := &pipeline.Pipeline{Detector: det, Cleaner: clean.New(), Logger: a.Logger}
	if a.Cfg.Glossary != "" {
		g, err := pipeline.LoadGlossary(a.Cfg.Glossary)
		if err != nil {
			return nil, usageError(err)
		}
		p.Options.Glossary = g
	}
	switch a.Cfg.EffectiveEngine() {
	case "llm":
		if err := a.wireLLM(ctx, p); err != nil {
			return nil, err
		}
	default:
		if err := a.wireOffline(ctx, p); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func (a *App) wireLLM(ctx context.Context, p *pipeline.Pipeline) error {
	tc, err := a.LLM(ctx, "translate")
	if err != nil {
		return err
	}
	sc, err := a.LLM(ctx, "summarize")
	if err != nil {
		return err
	}
	ps, err := a.Prompts()
	if err != nil {
		return err
	}
	eng, err := llmengine.New(llmengine.Config{Translate: tc, Analyze: sc, Prompts: ps, Count: tokens.Count, Logger: a.Logger})
	if err != nil {
		return err
	}
	p.Engine, p.Translator, p.Analyzer = "llm", eng, eng
	a.eng().announce.Do(func() {
		how := "set by --engine/TARJAMA_ENGINE"
		if a.Cfg.Engine == "auto" {
			how = "an endpoint is configured"
		}
		endpoint := tc.Endpoint()
		if a.Cfg.CacheMode == "replay" {
			endpoint = "the response cache (replay mode, no network)"
		}
		a.infof("engine: llm, model %s at %s (%s)", tc.Model(), endpoint, how)
	})
	return nil
}

func (a *App) wireOffline(ctx context.Context, p *pipeline.Pipeline) error {
	p.Engine = "offline"
	an := &offline.Analyzer{}
	dictNote := ""
	d, err := a.Dict(ctx)
	if err != nil && !errors.Is(err, gloss.ErrNoDictionary) {
		// A dictionary that is there but unreadable is a configuration
		// error, not a reason to carry on quietly without a gloss.
		return usageError(fmt.Errorf("dictionary: %w", err))
	}
	if err != nil {
		p.NoTranslatorReason = "no translation: " + err.Error()
		dictNote = "; no dictionary, so no English gloss: " + strings.TrimPrefix(err.Error(), "no Arabic-English dictionary found: ")
	} else {
		p.Translator = &gloss.Translator{Dict: d}
		an.Glosser = glosser{d}
		dictNote = "; English is a word-by-word dictionary gloss, not a translation"
	}
	p.Analyzer = an
	a.eng().announce.Do(func() {
		why := "set by --engine/TARJAMA_ENGINE"
		if a.Cfg.Engine == "auto" {
			why = "no API endpoint configured: set OPENAI_API_KEY or OPENAI_BASE_URL for LLM translation"
		}
		a.infof("engine: offline (%s)%s", why, dictNote)
	})
	return nil
}

// glosser adapts the dictionary to the offline analyzer's Glosser.
type glosser struct{ d *gloss.Dict }

func (g glosser) Gloss(_ context.Context, text string) (string, error) {
	return g.d.GlossText(text).Text, nil
}
