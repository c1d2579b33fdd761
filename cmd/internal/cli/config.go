package cli

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/joho/godotenv"
)

// Config is the effective configuration: flags > environment > .env file >
// defaults. It is built once per command by loadConfig.
type Config struct {
	Engine     string // auto, llm, offline
	BaseURL    string
	APIKey     string
	Model      string
	APIType    string // openai, azure
	APIVersion string
	// StageModels overrides Model per stage: translate, summarize, judge,
	// embed.
	StageModels map[string]string
	CacheDir    string
	CacheMode   string // off, readwrite, replay
	PromptsDir  string
	Glossary    string
	Dict        string
	Timeout     time.Duration
	RPM, TPM    int
	Verbose     bool
	Quiet       bool
	EnvFile     string
	// Sources says where each setting came from (flag, env, .env, default),
	// for doctor.
	Sources map[string]string
}

// DefaultModel is used when an endpoint is configured without a model.
const DefaultModel = "gpt-4o-mini"

// envVars are the environment variables tarjama reads, documented in
// .env.example.
var envVars = []string{
	"OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_API_TYPE", "OPENAI_API_VERSION",
	"TARJAMA_MODEL", "TARJAMA_MODEL_TRANSLATE", "TARJAMA_MODEL_SUMMARIZE", "TARJAMA_MODEL_JUDGE", "TARJAMA_MODEL_EMBED",
	"TARJAMA_ENGINE", "TARJAMA_CACHE_DIR", "TARJAMA_CACHE_MODE", "TARJAMA_DICT", "TARJAMA_TIMEOUT",
	"TARJAMA_RPM", "TARJAMA_TPM",
}

// envLookup merges the process environment over the .env file.
type envLookup struct {
	getenv  func(string) string
	dotenv  map[string]string
	dotFile string
}

func (e envLookup) get(key string) (val, source string) {
	if v := e.getenv(key); v != "" {
		return v, "env"
	}
	if v := e.dotenv[key]; v != "" {
		return v, e.dotFile
	}
	return "", ""
}

// readDotenv reads the .env file if it exists. A missing default .env is
// fine; a missing explicit --env-file is an error.
func readDotenv(path string, explicit bool) (map[string]string, error) {
	if _, err := os.Stat(path); err != nil {
		if !explicit && os.IsNotExist(err) {
			return nil, nil
		}
		return nil, usageErrorf("env file %s: %v", path, err)
	}
	m, err := godotenv.Read(path)
	if err != nil {
		return nil, usageErrorf("env file %s is not valid .env syntax: %v", path, err)
	}
	return m, nil
}

// resolve fills the fields not set by flags from the environment, the .env
// file and defaults. flagSet reports whether a flag was given.
func (c *Config) resolve(env envLookup, flagSet func(string) bool) error {
	c.Sources = map[string]string{}
	pick := func(field *string, flag, key, def string) {
		switch {
		case flag != "" && flagSet(flag):
			c.Sources[key] = "flag --" + flag
		default:
			if v, src := env.get(key); v != "" {
				*field = v
				c.Sources[key] = src
			} else if *field == "" {
				*field = def
				if def != "" {
					c.Sources[key] = "default"
				}
			} else {
				c.Sources[key] = "default"
			}
		}
	}
	pick(&c.APIKey, "", "OPENAI_API_KEY", "")
	pick(&c.BaseURL, "base-url", "OPENAI_BASE_URL", "")
	pick(&c.APIType, "", "OPENAI_API_TYPE", "openai")
	pick(&c.APIVersion, "", "OPENAI_API_VERSION", "")
	pick(&c.Model, "model", "TARJAMA_MODEL", "")
	pick(&c.Engine, "engine", "TARJAMA_ENGINE", "auto")
	pick(&c.CacheDir, "cache", "TARJAMA_CACHE_DIR", "")
	pick(&c.CacheMode, "cache-mode", "TARJAMA_CACHE_MODE", "")
	pick(&c.Dict, "dict", "TARJAMA_DICT", "")
	c.StageModels = map[string]string{}
	for _, st := range []string{"translate", "summarize", "judge", "embed"} {
		if v, _ := env.get("TARJAMA_MODEL_" + strings.ToUpper(st)); v != "" {
			c.StageModels[st] = v
		}
	}
	if !flagSet("timeout") {
		if v, _ := env.get("TARJAMA_TIMEOUT"); v != "" {
			d, err := time.ParseDuration(v)
			if err != nil {
				return usageErrorf("TARJAMA_TIMEOUT=%q is not a duration (e.g. 90s, 2m)", v)
			}
			c.Timeout = d
		}
	}
	for _, kv := range []struct {
		flag, key string
		dst       *int
	}{{"rpm", "TARJAMA_RPM", &c.RPM}, {"tpm", "TARJAMA_TPM", &c.TPM}} {
		if !flagSet(kv.flag) {
			if v, _ := env.get(kv.key); v != "" {
				if _, err := fmt.Sscan(v, kv.dst); err != nil {
					return usageErrorf("%s=%q is not a number", kv.key, v)
				}
			}
		}
	}

	switch c.Engine {
	case "auto", "llm", "offline":
	default:
		return usageErrorf("--engine %q: want auto, llm or offline", c.Engine)
	}
	if c.CacheMode == "" {
		if c.CacheDir != "" {
			c.CacheMode = "readwrite"
		} else {
			c.CacheMode = "off"
		}
	}
	switch c.CacheMode {
	case "off", "readwrite", "replay":
	default:
		return usageErrorf("--cache-mode %q: want off, readwrite or replay", c.CacheMode)
	}
	if c.CacheMode != "off" && c.CacheDir == "" {
		return usageErrorf("--cache-mode %s needs --cache DIR", c.CacheMode)
	}
	if c.APIType != "openai" && c.APIType != "azure" {
		return usageErrorf("OPENAI_API_TYPE=%q: want openai or azure", c.APIType)
	}
	if c.BaseURL != "" && !strings.HasPrefix(c.BaseURL, "http://") && !strings.HasPrefix(c.BaseURL, "https://") {
		return usageErrorf("base URL %q must start with http:// or https:// (e.g. http://localhost:11434/v1 for Ollama)", c.BaseURL)
	}
	if c.Model == "" && c.endpointConfigured() {
		c.Model = DefaultModel
		c.Sources["TARJAMA_MODEL"] = "default"
	}
	return nil
}

// endpointConfigured reports whether an LLM endpoint is configured: a base
// URL (local servers need no key) or an API key (for OpenAI itself), or a
// replay cache, which needs no network at all.
func (c *Config) endpointConfigured() bool {
	return c.BaseURL != "" || c.APIKey != "" || c.CacheMode == "replay"
}

// EffectiveEngine resolves "auto".
func (c *Config) EffectiveEngine() string {
	if c.Engine != "auto" {
		return c.Engine
	}
	if c.endpointConfigured() {
		return "llm"
	}
	return "offline"
}

// ModelFor returns the model for a stage.
func (c *Config) ModelFor(stage string) string {
	if m := c.StageModels[stage]; m != "" {
		return m
	}
	return c.Model
}
