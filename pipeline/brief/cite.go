package brief

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// inlineCites matches citation markers a model may leave in the text:
// "[3]", "[1, 4]", "[2][5]".
var inlineCites = regexp.MustCompile(`\s*\[(\d+(?:\s*[,،]\s*\d+)*)\]`)

// normalizeStatement moves inline citation markers out of the text into
// Cites and sorts and deduplicates Cites.
func normalizeStatement(s Statement) Statement {
	for _, m := range inlineCites.FindAllStringSubmatch(s.Text, -1) {
		for _, f := range strings.FieldsFunc(m[1], func(r rune) bool { return r == ',' || r == '،' || r == ' ' }) {
			if n, err := strconv.Atoi(f); err == nil {
				s.Cites = append(s.Cites, n)
			}
		}
	}
	s.Text = strings.TrimSpace(inlineCites.ReplaceAllString(s.Text, ""))
	s.Cites = sortedUnique(s.Cites)
	return s
}

func sortedUnique(xs []int) []int {
	out := slices.Clone(xs)
	slices.Sort(out)
	return slices.Compact(out)
}

// CheckStatements returns one message per citation problem in stmts, given
// the source numbers they may cite: a number that is not among allowed, a
// statement that cites nothing, or an empty statement. The messages are
// written to be quoted back to a model in a repair request.
func CheckStatements(stmts []Statement, allowed []int) []string {
	var probs []string
	for i, s := range stmts {
		s = normalizeStatement(s)
		switch {
		case s.Text == "":
			probs = append(probs, fmt.Sprintf("statement %d is empty", i+1))
		case len(s.Cites) == 0:
			probs = append(probs, fmt.Sprintf("statement %d (%q) cites no source; every statement must cite at least one of %s", i+1, clip(s.Text, 60), numList(allowed)))
		}
		for _, c := range s.Cites {
			if !slices.Contains(allowed, c) {
				probs = append(probs, fmt.Sprintf("statement %d cites [%d], which is not a source; the sources are %s", i+1, c, numList(allowed)))
			}
		}
	}
	return probs
}

// checkDisagreements is CheckStatements for the claims of disagreements.
func checkDisagreements(ds []Disagreement, allowed []int) []string {
	var probs []string
	for i, d := range ds {
		for j, c := range d.Claims {
			c.Cites = sortedUnique(c.Cites)
			if len(c.Cites) == 0 {
				probs = append(probs, fmt.Sprintf("disagreement %d (%q), claim %d cites no source", i+1, clip(d.Subject, 40), j+1))
			}
			for _, n := range c.Cites {
				if !slices.Contains(allowed, n) {
					probs = append(probs, fmt.Sprintf("disagreement %d (%q), claim %d cites [%d], which is not a source; the sources are %s", i+1, clip(d.Subject, 40), j+1, n, numList(allowed)))
				}
			}
		}
	}
	return probs
}

// flagStatements removes citations of numbers outside allowed and marks
// what was wrong in Flags, returning the problems for Briefing.Problems.
// Empty statements are dropped.
func flagStatements(where string, stmts []Statement, allowed []int) ([]Statement, []Problem) {
	var out []Statement
	var probs []Problem
	for _, s := range stmts {
		s = normalizeStatement(s)
		if s.Text == "" {
			continue
		}
		var kept []int
		for _, c := range s.Cites {
			if slices.Contains(allowed, c) {
				kept = append(kept, c)
				continue
			}
			s.Flags = append(s.Flags, fmt.Sprintf("unknown_source:%d", c))
			probs = append(probs, Problem{Where: where, Statement: s.Text, Problem: fmt.Sprintf("cited [%d], which is not a source; the citation was removed", c)})
		}
		s.Cites = kept
		if s.Cites == nil {
			s.Cites = []int{}
		}
		if len(kept) == 0 {
			s.Flags = append(s.Flags, "uncited")
			probs = append(probs, Problem{Where: where, Statement: s.Text, Problem: "cites no source"})
		}
		out = append(out, s)
	}
	return out, probs
}

// flagDisagreements drops citations outside allowed from claims and claims
// left with none, and a disagreement left with fewer than two claims.
func flagDisagreements(where string, ds []Disagreement, allowed []int) ([]Disagreement, []Problem) {
	var out []Disagreement
	var probs []Problem
	for _, d := range ds {
		var claims []Claim
		for _, c := range d.Claims {
			var kept []int
			for _, n := range sortedUnique(c.Cites) {
				if slices.Contains(allowed, n) {
					kept = append(kept, n)
				} else {
					probs = append(probs, Problem{Where: where, Statement: d.Subject + ": " + c.Text, Problem: fmt.Sprintf("cited [%d], which is not a source; the citation was removed", n)})
				}
			}
			if len(kept) == 0 {
				probs = append(probs, Problem{Where: where, Statement: d.Subject + ": " + c.Text, Problem: "claim cites no source; it was left out"})
				continue
			}
			c.Cites = kept
			claims = append(claims, c)
		}
		if len(claims) >= 2 {
			d.Claims = claims
			out = append(out, d)
		}
	}
	return out, probs
}

// numList writes source numbers compactly: "[1] [3] [5]–[9]".
func numList(ns []int) string { return SourceList(ns, " ", "–") }

// SourceList writes source numbers compactly, runs of three or more as a
// range: SourceList([]int{1, 3, 5, 6, 7}, ", ", " to ") is
// "[1], [3], [5] to [7]".
func SourceList(ns []int, sep, to string) string {
	ns = sortedUnique(ns)
	var parts []string
	for i := 0; i < len(ns); {
		j := i
		for j+1 < len(ns) && ns[j+1] == ns[j]+1 {
			j++
		}
		if j-i >= 2 {
			parts = append(parts, "["+strconv.Itoa(ns[i])+"]"+to+"["+strconv.Itoa(ns[j])+"]")
		} else {
			for k := i; k <= j; k++ {
				parts = append(parts, "["+strconv.Itoa(ns[k])+"]")
			}
		}
		i = j + 1
	}
	return strings.Join(parts, sep)
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
