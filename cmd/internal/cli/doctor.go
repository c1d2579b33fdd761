package cli

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/spf13/cobra"

	"github.com/tarjama/tarjama/pipeline/llm"
)

func newDoctorCmd(a *App) *cobra.Command {
	return &cobra.Command{
		Use:   "doctor",
		Short: "Show the effective configuration and check that the endpoint and model work",
		Long: `Show the effective configuration (the API key masked) and where each
setting came from, then check the engine: for the LLM engine, that the
endpoint answers and the model exists; for the offline engine, the language
detector and the dictionary. Each problem is one line that says what to fix.
Exit code 0 when everything works, 2 otherwise.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.doctor(cmd.Context())
		},
	}
}

func (a *App) doctor(ctx context.Context) error {
	w := a.Stdout
	c := &a.Cfg
	show := func(name, val, key string) {
		src := c.Sources[key]
		if val == "" {
			val, src = "(not set)", ""
		}
		if src != "" {
			src = "  [" + src + "]"
		}
		fmt.Fprintf(w, "  %-16s %s%s\n", name, val, src)
	}
	fmt.Fprintln(w, "configuration (flags > environment > .env > defaults):")
	show("engine", fmt.Sprintf("%s → %s", c.Engine, c.EffectiveEngine()), "TARJAMA_ENGINE")
	show("api key", llm.MaskKey(c.APIKey), "OPENAI_API_KEY")
	show("base url", c.BaseURL, "OPENAI_BASE_URL")
	show("api type", c.APIType, "OPENAI_API_TYPE")
	show("model", c.Model, "TARJAMA_MODEL")
	stages := make([]string, 0, len(c.StageModels))
	for st := range c.StageModels {
		stages = append(stages, st)
	}
	sort.Strings(stages)
	for _, st := range stages {
		show("model ("+st+")", c.StageModels[st], "TARJAMA_MODEL_"+st)
	}
	show("cache", c.CacheDir, "TARJAMA_CACHE_DIR")
	show("cache mode", c.CacheMode, "TARJAMA_CACHE_MODE")
	show("dictionary", c.Dict, "TARJAMA_DICT")
	fmt.Fprintln(w)

	problems := 0
	check := func(what string, err error, ok string) {
		if err != nil {
			problems++
			fmt.Fprintf(w, "  FAIL %-18s %s\n", what, oneLine(err.Error()))
			return
		}
		fmt.Fprintf(w, "  ok   %-18s %s\n", what, ok)
	}
	fmt.Fprintln(w, "checks:")
	t0 := time.Now()
	_, err := a.Detector()
	check("language detector", err, fmt.Sprintf("ready in %v", time.Since(t0).Round(time.Millisecond)))
	_, err = a.Prompts()
	check("prompts", err, "loaded")
	if c.EffectiveEngine() == "llm" {
		for _, stage := range []string{"translate", "summarize"} {
			cl, err := a.LLM(ctx, stage)
			if err != nil {
				check("model ("+stage+")", err, "")
				continue
			}
			if c.CacheMode == "replay" {
				check("model ("+stage+")", nil, cl.Model()+": replay mode, the endpoint is not contacted")
				continue
			}
			cctx, cancel := context.WithTimeout(ctx, 20*time.Second)
			err = cl.CheckModel(cctx)
			cancel()
			check("model ("+stage+")", err, cl.Model()+" at "+cl.Endpoint())
		}
	} else {
		_, err := a.Dict(ctx)
		if err != nil {
			// Not a failure of the offline engine: it works without one,
			// with no English gloss.
			fmt.Fprintf(w, "  note %-18s %s\n", "dictionary", oneLine(err.Error()))
		} else {
			check("dictionary", nil, "loaded (offline English gloss available)")
		}
		if !c.endpointConfigured() {
			fmt.Fprintf(w, "  note %-18s %s\n", "llm", errNoEndpoint.Error())
		}
	}
	if problems > 0 {
		return &exitError{code: ExitUsage, err: fmt.Errorf("doctor found %d problem(s); see above", problems)}
	}
	return nil
}
