package eval

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// WriteJUnit writes the report as JUnit XML: one test suite per metric
// group, one test case per headline metric (its value, interval and
// baseline comparison in system-out), failed when a gate check on that
// metric failed.
func (r *Report) WriteJUnit(w io.Writer) error {
	fails := map[string][]CheckResult{}
	for _, c := range r.Gate.Failures() {
		fails[c.Metric] = append(fails[c.Metric], c)
	}
	doc := junitSuites{Name: "tarjama eval"}
	idx := map[string]int{}
	gated := map[string]bool{}
	if r.Gate != nil {
		for _, c := range r.Gate.Checks {
			gated[c.Metric] = true
		}
	}
	for _, m := range r.Metrics {
		def, _ := LookupMetric(m.Name)
		if !def.Table && !gated[m.Name] {
			continue
		}
		i, ok := idx[m.Group]
		if !ok {
			i = len(doc.Suites)
			idx[m.Group] = i
			doc.Suites = append(doc.Suites, junitSuite{Name: "eval." + m.Group})
		}
		var out strings.Builder
		fmt.Fprintf(&out, "%s = %s (95%% CI %s..%s, n=%d)", m.Name, fmtNum(m.Value), fmtNum(m.Low), fmtNum(m.High), m.N)
		if c := m.Baseline; c != nil {
			fmt.Fprintf(&out, "; baseline %s, delta %s, p=%.4f", fmtNum(c.Value), fmtSigned(c.Delta), c.PValue)
		}
		tc := junitCase{Name: m.Name, Classname: "eval." + m.Group, SystemOut: out.String()}
		if fs := fails[m.Name]; len(fs) > 0 {
			var msgs []string
			for _, f := range fs {
				msgs = append(msgs, f.Check.String()+": "+f.Reason)
			}
			tc.Failure = &junitFailure{Message: msgs[0], Type: "regression", Text: strings.Join(msgs, "\n")}
			doc.Suites[i].Failures++
			doc.Failures++
		}
		doc.Suites[i].Cases = append(doc.Suites[i].Cases, tc)
		doc.Suites[i].Tests++
		doc.Tests++
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("junit: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}
