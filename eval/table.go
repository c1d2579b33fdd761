package eval

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// WriteTable writes the terminal table: one row per headline metric with
// its interval and, against a baseline, the delta and p-value; then the
// gate's verdict.
func (r *Report) WriteTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	base := r.Baseline != nil
	if base {
		fmt.Fprintln(tw, "metric\tn\tscore\t95% CI\tbaseline\tdelta\tp\t")
	} else {
		fmt.Fprintln(tw, "metric\tn\tscore\t95% CI\t")
	}
	for _, m := range r.tableMetrics() {
		fmt.Fprintf(tw, "%s\t%d\t%s\t[%s, %s]\t", m.Name, m.N, fmtNum(m.Value), fmtNum(m.Low), fmtNum(m.High))
		if base {
			if c := m.Baseline; c != nil {
				mark := ""
				if c.Significant {
					mark = " *"
				}
				fmt.Fprintf(tw, "%s\t%s\t%.4f%s\t", fmtNum(c.Value), fmtSigned(c.Delta), c.PValue, mark)
			} else {
				fmt.Fprint(tw, "-\t-\t-\t")
			}
		}
		fmt.Fprintln(tw)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "%d items", r.NItems)
	if r.System.Engine != "" {
		fmt.Fprintf(w, ", engine %s", r.System.Engine)
	}
	if len(r.System.Models) > 0 {
		fmt.Fprintf(w, ", model %s", strings.Join(r.System.Models, ","))
	}
	fmt.Fprintf(w, "; %d bootstrap resamples, seed %d", r.Config.Bootstrap, r.Config.Seed)
	if base {
		fmt.Fprintf(w, "; * = significant at alpha %g (paired bootstrap, %d matched items)", r.Config.Alpha, r.Baseline.Matched)
	}
	fmt.Fprintln(w)
	if len(r.Unstable) > 0 {
		fmt.Fprintf(w, "unstable across %d runs (main metric range > %g): %s\n", r.Config.Repeat, r.Config.UnstableRange, strings.Join(r.Unstable, ", "))
	}
	if n := r.itemsWithErrors(); n > 0 {
		fmt.Fprintf(w, "%d items had step errors (see the JSON report)\n", n)
	}
	if r.Gate != nil {
		if r.Gate.Passed {
			fmt.Fprintf(w, "gate: PASS (%d checks)\n", len(r.Gate.Checks))
		} else {
			fmt.Fprintln(w, "gate: FAIL")
		}
		for _, c := range r.Gate.Checks {
			v := "ok  "
			if !c.Passed {
				v = "FAIL"
			}
			fmt.Fprintf(w, "  %s %s: %s\n", v, c.Check, c.Reason)
		}
	}
	return nil
}

func (r *Report) tableMetrics() []MetricReport {
	var out []MetricReport
	for _, m := range r.Metrics {
		if def, ok := LookupMetric(m.Name); ok && def.Table {
			out = append(out, m)
		}
	}
	return out
}

func (r *Report) itemsWithErrors() int {
	n := 0
	for _, it := range r.Items {
		if len(it.Errors) > 0 {
			n++
		}
	}
	return n
}
