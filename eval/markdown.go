package eval

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// WorstItems returns up to n items with the lowest main metric (scaled to
// 0–1), worst first; ties keep dataset order.
func (r *Report) WorstItems(n int) []ItemReport {
	var items []ItemReport
	for _, it := range r.Items {
		if _, ok := it.Scores[it.Main]; ok && it.Main != "" {
			items = append(items, it)
		}
	}
	val := func(it ItemReport) float64 {
		def, _ := LookupMetric(it.Main)
		return it.Scores[it.Main] / def.Scale
	}
	sort.SliceStable(items, func(i, j int) bool { return val(items[i]) < val(items[j]) })
	return items[:min(n, len(items))]
}

// WriteMarkdown writes the pull-request comment: the verdict, the metric
// table (with the baseline comparison), the gate's checks and the five
// worst items with a word diff of hypothesis against reference.
func (r *Report) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	verdict := ""
	if r.Gate != nil {
		if r.Gate.Passed {
			verdict = " — ✅ gate passed"
		} else {
			verdict = " — ❌ regression"
		}
	}
	fmt.Fprintf(&b, "## tarjama eval%s\n\n", verdict)
	fmt.Fprintf(&b, "%d items", r.NItems)
	if r.Dataset != "" {
		fmt.Fprintf(&b, " from `%s`", r.Dataset)
	}
	if r.System.Engine != "" {
		fmt.Fprintf(&b, ", engine `%s`", r.System.Engine)
	}
	if len(r.System.Models) > 0 {
		fmt.Fprintf(&b, ", model `%s`", strings.Join(r.System.Models, "`, `"))
	}
	if len(r.System.Prompts) > 0 {
		fmt.Fprintf(&b, ", prompts `%s`", strings.Join(r.System.Prompts, "`, `"))
	}
	fmt.Fprintf(&b, ". 95%% bootstrap intervals (%d resamples, seed %d).\n\n", r.Config.Bootstrap, r.Config.Seed)

	base := r.Baseline != nil
	if base {
		b.WriteString("| metric | n | score | 95% CI | baseline | delta | p |\n|---|--:|--:|--:|--:|--:|--:|\n")
	} else {
		b.WriteString("| metric | n | score | 95% CI |\n|---|--:|--:|--:|\n")
	}
	for _, m := range r.tableMetrics() {
		fmt.Fprintf(&b, "| %s | %d | %s | %s – %s |", mdEscape(m.Name), m.N, fmtNum(m.Value), fmtNum(m.Low), fmtNum(m.High))
		if base {
			if c := m.Baseline; c != nil {
				p := fmt.Sprintf("%.4f", c.PValue)
				if c.Significant {
					p = "**" + p + "**"
				}
				fmt.Fprintf(&b, " %s | %s | %s |", fmtNum(c.Value), fmtSigned(c.Delta), p)
			} else {
				b.WriteString(" – | – | – |")
			}
		}
		b.WriteString("\n")
	}
	if base {
		fmt.Fprintf(&b, "\nBaseline: `%s`, %d matched items; p from a paired bootstrap, bold when below alpha = %g.\n", r.Baseline.Name, r.Baseline.Matched, r.Config.Alpha)
	}
	if r.Gate != nil {
		b.WriteString("\n### Gate\n\n")
		for _, c := range r.Gate.Checks {
			mark := "✅"
			if !c.Passed {
				mark = "❌"
			}
			fmt.Fprintf(&b, "- %s `%s`: %s\n", mark, c.Check, mdEscape(c.Reason))
		}
	}
	if len(r.Unstable) > 0 {
		fmt.Fprintf(&b, "\n**Unstable items** (main metric range > %g across %d runs): %s\n", r.Config.UnstableRange, r.Config.Repeat, mdEscape(strings.Join(r.Unstable, ", ")))
	}
	if worst := r.WorstItems(5); len(worst) > 0 {
		b.WriteString("\n<details><summary>Five worst items</summary>\n\n")
		for _, it := range worst {
			fmt.Fprintf(&b, "#### %s — %s %s\n\n", mdEscape(it.ID), it.Main, fmtNum(it.Scores[it.Main]))
			for _, e := range it.Errors {
				fmt.Fprintf(&b, "- error: %s\n", mdEscape(e))
			}
			if len(it.Errors) > 0 {
				b.WriteString("\n")
			}
			fmt.Fprintf(&b, "> %s\n\n", wordDiff(it.Ref, it.Hyp))
		}
		b.WriteString("~~struck~~: only in the reference; **bold**: only in the output.\n\n</details>\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
