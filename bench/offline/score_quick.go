package main

import (
	"strings"
	"unicode"
)

// Temporary whitespace-token ROUGE until eval/metrics.ScoreRouge lands.

type prf struct{ Precision, Recall, F1 float64 }
type rouge struct{ R1, R2, RL prf }

func qtoks(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

func mk(o, nh, nr int) prf {
	if o == 0 || nh == 0 || nr == 0 {
		return prf{}
	}
	p, r := float64(o)/float64(nh), float64(o)/float64(nr)
	return prf{p, r, 2 * p * r / (p + r)}
}

func ngramOverlap(h, r []string, n int) (int, int, int) {
	count := func(t []string) map[string]int {
		m := map[string]int{}
		for i := 0; i+n <= len(t); i++ {
			m[strings.Join(t[i:i+n], " ")]++
		}
		return m
	}
	hm, rm := count(h), count(r)
	o := 0
	for k, v := range hm {
		o += min(v, rm[k])
	}
	return o, max(len(h)-n+1, 0), max(len(r)-n+1, 0)
}

func score(hyp, ref string) rouge {
	h, r := qtoks(hyp), qtoks(ref)
	o1, a1, b1 := ngramOverlap(h, r, 1)
	o2, a2, b2 := ngramOverlap(h, r, 2)
	// LCS
	dp := make([]int, len(r)+1)
	for i := 1; i <= len(h); i++ {
		prev := 0
		for j := 1; j <= len(r); j++ {
			tmp := dp[j]
			if h[i-1] == r[j-1] {
				dp[j] = prev + 1
			} else if dp[j-1] > dp[j] {
				dp[j] = dp[j-1]
			}
			prev = tmp
		}
	}
	return rouge{mk(o1, a1, b1), mk(o2, a2, b2), mk(dp[len(r)], len(h), len(r))}
}
