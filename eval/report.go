package eval

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
)

// ReportSchema is written into every report; bump it when the JSON shape
// changes incompatibly.
const ReportSchema = "tarjama.eval/v1"

// Report is tarjama eval's result. Its JSON form (WriteJSON) is stable and
// is also the baseline format (--save-baseline / --baseline): it keeps each
// item's sufficient statistics so a later run can be compared item by
// item.
type Report struct {
	Schema  string       `json:"schema"`
	Dataset string       `json:"dataset,omitempty"`
	System  SystemInfo   `json:"system"`
	Config  ReportConfig `json:"config"`
	// Items is the number of dataset items.
	NItems  int            `json:"n_items"`
	Metrics []MetricReport `json:"metrics"`
	// Baseline names the baseline compared against, if any.
	Baseline *BaselineInfo `json:"baseline,omitempty"`
	Gate     *GateReport   `json:"gate,omitempty"`
	// Unstable lists the items whose main metric varied by more than
	// Config.UnstableRange across --repeat runs.
	Unstable []string     `json:"unstable,omitempty"`
	Items    []ItemReport `json:"items"`
}

// SystemInfo says what produced the outputs (from the results' traces).
type SystemInfo struct {
	Engine  string   `json:"engine,omitempty"`
	Models  []string `json:"models,omitempty"`
	Prompts []string `json:"prompts,omitempty"`
	Judge   string   `json:"judge,omitempty"`
}

// ReportConfig records the settings that affect the numbers.
type ReportConfig struct {
	Tokenize      string  `json:"tokenize"`
	Stem          bool    `json:"stem"`
	Normalize     bool    `json:"normalize"`
	Bootstrap     int     `json:"bootstrap"`
	Seed          uint64  `json:"seed"`
	Alpha         float64 `json:"alpha"`
	Repeat        int     `json:"repeat"`
	JudgeSamples  int     `json:"judge_samples,omitempty"`
	UnstableRange float64 `json:"unstable_range"`
}

// MetricReport is one corpus score with its 95% bootstrap interval.
type MetricReport struct {
	Name      string  `json:"name"`
	Group     string  `json:"group"`
	Direction int     `json:"direction"`
	N         int     `json:"n"` // items the metric applies to
	Value     float64 `json:"value"`
	Low       float64 `json:"ci_low"`
	High      float64 `json:"ci_high"`
	// Baseline is the comparison with the baseline, when there is one.
	Baseline *Comparison `json:"baseline,omitempty"`
}

// Comparison is a metric against the baseline on the items both have.
type Comparison struct {
	Value float64 `json:"value"` // the baseline's score on the matched items
	// Delta is current - baseline on the matched items (so for TER a
	// positive delta is worse); Low/High its 95% bootstrap interval.
	Delta  float64 `json:"delta"`
	Low    float64 `json:"ci_low"`
	High   float64 `json:"ci_high"`
	PValue float64 `json:"p_value"`
	// Significant: PValue < alpha.
	Significant bool `json:"significant"`
	N           int  `json:"n"`
}

// BaselineInfo describes the baseline a report was compared with.
type BaselineInfo struct {
	Name    string     `json:"name,omitempty"`
	System  SystemInfo `json:"system"`
	Matched int        `json:"matched"`
	// Missing counts current items absent from the baseline.
	Missing int `json:"missing,omitempty"`
}

// ItemReport is one item's scores.
type ItemReport struct {
	ID string `json:"id"`
	// Scores are per-item values: sentence BLEU (effective order),
	// sentence chrF/TER, ROUGE, keyword P/R/F1, ...; the mean over runs
	// with --repeat.
	Scores map[string]float64 `json:"scores"`
	// Stats are the sufficient statistics the corpus scores are made of
	// (summed over runs with --repeat).
	Stats map[string][]float64 `json:"stats"`
	// Main is the item's main metric (rougeL, else chrf, else
	// keywords.f1) and Hyp/Ref the texts it compares.
	Main   string      `json:"main,omitempty"`
	Hyp    string      `json:"hyp,omitempty"`
	Ref    string      `json:"ref,omitempty"`
	Spread *Spread     `json:"spread,omitempty"`
	Errors []string    `json:"errors,omitempty"`
	Judge  *JudgeScore `json:"judge,omitempty"`
}

// Spread is the main metric's variation across --repeat runs.
type Spread struct {
	Values   []float64 `json:"values"`
	Std      float64   `json:"std"`
	Range    float64   `json:"range"`
	Unstable bool      `json:"unstable"`
}

// Metric returns the named corpus score, nil when it has no value.
func (r *Report) Metric(name string) *MetricReport {
	for i := range r.Metrics {
		if r.Metrics[i].Name == name {
			return &r.Metrics[i]
		}
	}
	return nil
}

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}

// ReadReport reads a report written by WriteJSON (a baseline).
func ReadReport(rd io.Reader, name string) (*Report, error) {
	var r Report
	if err := json.NewDecoder(rd).Decode(&r); err != nil {
		return nil, dataErrorf("baseline %s: invalid JSON: %w", name, err)
	}
	if r.Schema != ReportSchema {
		return nil, dataErrorf("baseline %s: schema %q, want %q", name, r.Schema, ReportSchema)
	}
	return &r, nil
}

// LoadReport reads the report file at path.
func LoadReport(path string) (*Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, dataErrorf("open baseline: %w", err)
	}
	defer f.Close()
	return ReadReport(f, path)
}

// WriteFile writes the report JSON to path.
func (r *Report) WriteFile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	if err := r.WriteJSON(f); err != nil {
		f.Close()
		return fmt.Errorf("write report %s: %w", path, err)
	}
	return f.Close()
}
