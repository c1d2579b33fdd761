package eval

import (
	"fmt"
	"strconv"
	"strings"
)

// Check is one gate condition.
type Check struct {
	// Kind is "fail-under" (fails when the corpus score is below Value) or
	// "max-drop" (fails when the score dropped from the baseline by more
	// than Value and the drop is significant at Config.Alpha). A drop is a
	// decrease for higher-is-better metrics and an increase for TER.
	Kind   string  `json:"kind"`
	Metric string  `json:"metric"`
	Value  float64 `json:"value"`
}

// ParseCheck parses "METRIC=VALUE" for the given kind ("fail-under" or
// "max-drop").
func ParseCheck(kind, spec string) (Check, error) {
	name, val, ok := strings.Cut(spec, "=")
	if !ok {
		return Check{}, fmt.Errorf("--%s %q: want METRIC=VALUE, e.g. rougeL=0.25", kind, spec)
	}
	name = strings.TrimSpace(name)
	m, found := LookupMetric(name)
	if !found {
		return Check{}, fmt.Errorf("--%s %q: unknown metric %q (see tarjama eval --help)", kind, spec, name)
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
	if err != nil {
		return Check{}, fmt.Errorf("--%s %q: %q is not a number", kind, spec, val)
	}
	switch kind {
	case "fail-under":
	case "max-drop":
		if m.Direction == 0 {
			return Check{}, fmt.Errorf("--max-drop %q: %s has no better direction", spec, name)
		}
		if v < 0 {
			return Check{}, fmt.Errorf("--max-drop %q: the delta must be >= 0", spec)
		}
	default:
		return Check{}, fmt.Errorf("unknown check kind %q", kind)
	}
	return Check{Kind: kind, Metric: name, Value: v}, nil
}

func (c Check) String() string {
	return fmt.Sprintf("--%s %s=%g", c.Kind, c.Metric, c.Value)
}

// CheckResult is a check's outcome.
type CheckResult struct {
	Check
	// Actual is the corpus score.
	Actual float64 `json:"actual"`
	// For max-drop: the baseline score, the drop (positive = worse) and
	// the paired bootstrap p-value.
	Baseline *float64 `json:"baseline,omitempty"`
	Drop     *float64 `json:"drop,omitempty"`
	PValue   *float64 `json:"p_value,omitempty"`
	Passed   bool     `json:"passed"`
	// Reason says in one sentence why the check passed or failed.
	Reason string `json:"reason"`
}

// GateReport is the gate's outcome.
type GateReport struct {
	Passed bool          `json:"passed"`
	Alpha  float64       `json:"alpha"`
	Checks []CheckResult `json:"checks"`
}

// Failures lists the failed checks.
func (g *GateReport) Failures() []CheckResult {
	if g == nil {
		return nil
	}
	var out []CheckResult
	for _, c := range g.Checks {
		if !c.Passed {
			out = append(out, c)
		}
	}
	return out
}

// gate evaluates the checks against r's metrics (and their comparisons
// with the baseline).
func gate(r *Report, checks []Check, alpha float64) (*GateReport, error) {
	g := &GateReport{Passed: true, Alpha: alpha}
	for _, c := range checks {
		m := r.Metric(c.Metric)
		if m == nil {
			return nil, dataErrorf("%s: the metric %s has no value on this dataset (no item has the reference it needs)", c, c.Metric)
		}
		res := CheckResult{Check: c, Actual: m.Value, Passed: true}
		switch c.Kind {
		case "fail-under":
			if m.Value < c.Value {
				res.Passed = false
				res.Reason = fmt.Sprintf("%s = %s is below %s", c.Metric, fmtNum(m.Value), fmtNum(c.Value))
			} else {
				res.Reason = fmt.Sprintf("%s = %s >= %s", c.Metric, fmtNum(m.Value), fmtNum(c.Value))
			}
		case "max-drop":
			if m.Baseline == nil {
				return nil, dataErrorf("%s: the baseline has no %s", c, c.Metric)
			}
			b := m.Baseline
			def, _ := LookupMetric(c.Metric)
			drop := -float64(def.Direction) * b.Delta
			p := b.PValue
			res.Baseline, res.Drop, res.PValue = &b.Value, &drop, &p
			switch {
			case drop > c.Value && p < alpha:
				res.Passed = false
				res.Reason = fmt.Sprintf("%s dropped by %s (from %s to %s), more than %s, and the drop is significant (p = %.4f < %g)",
					c.Metric, fmtNum(drop), fmtNum(b.Value), fmtNum(m.Value), fmtNum(c.Value), p, alpha)
			case drop > c.Value:
				res.Reason = fmt.Sprintf("%s dropped by %s, more than %s, but not significantly (p = %.4f >= %g)",
					c.Metric, fmtNum(drop), fmtNum(c.Value), p, alpha)
			default:
				res.Reason = fmt.Sprintf("%s changed by %s from %s (allowed drop %s)", c.Metric, fmtSigned(-drop), fmtNum(b.Value), fmtNum(c.Value))
			}
		}
		if !res.Passed {
			g.Passed = false
		}
		g.Checks = append(g.Checks, res)
	}
	return g, nil
}

func fmtNum(v float64) string { return strconv.FormatFloat(v, 'f', 4, 64) }

func fmtSigned(v float64) string {
	if v >= 0 {
		return "+" + fmtNum(v)
	}
	return fmtNum(v)
}
