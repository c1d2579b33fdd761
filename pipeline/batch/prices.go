package batch

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/tarjama/tarjama/pipeline"
)

// Price is a model's price in US dollars per million tokens.
type Price struct {
	Input  float64 `json:"input"`
	Output float64 `json:"output"`
}

// Prices maps a model name to its price. A model not listed is priced by
// the longest listed name it starts with ("gpt-4o-mini-2024-07-18" →
// "gpt-4o-mini"), else it is unknown and costs nothing in the estimate.
type Prices map[string]Price

//go:embed prices.json
var pricesJSON []byte

// DefaultPrices returns the embedded price table (list prices, see
// prices.json for the date; override with LoadPrices).
func DefaultPrices() Prices {
	var f struct {
		Models Prices `json:"models"`
	}
	if err := json.Unmarshal(pricesJSON, &f); err != nil {
		panic("batch: embedded prices.json: " + err.Error())
	}
	return f.Models
}

// LoadPrices reads a price file ({"models": {"name": {"input": 0.15,
// "output": 0.6}}}, dollars per million tokens) over the defaults.
func LoadPrices(path string) (Prices, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("price file: %w", err)
	}
	var f struct {
		Models Prices `json:"models"`
	}
	if err := json.Unmarshal(b, &f); err != nil || f.Models == nil {
		if err == nil {
			err = fmt.Errorf(`no "models" object`)
		}
		return nil, fmt.Errorf(`price file %s: %v: want {"models": {"gpt-4o-mini": {"input": 0.15, "output": 0.6}}}`, path, err)
	}
	p := DefaultPrices()
	for k, v := range f.Models {
		p[k] = v
	}
	return p, nil
}

// Lookup finds a model's price.
func (p Prices) Lookup(model string) (Price, bool) {
	if pr, ok := p[model]; ok {
		return pr, true
	}
	best := ""
	for k := range p {
		if strings.HasPrefix(model, k) && len(k) > len(best) {
			best = k
		}
	}
	if best == "" {
		return Price{}, false
	}
	return p[best], true
}

// Cost is the dollars for u on model; ok is false for an unknown model.
func (p Prices) Cost(model string, u pipeline.Usage) (float64, bool) {
	pr, ok := p.Lookup(model)
	return (float64(u.PromptTokens)*pr.Input + float64(u.CompletionTokens)*pr.Output) / 1e6, ok
}
