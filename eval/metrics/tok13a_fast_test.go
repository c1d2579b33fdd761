package metrics

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// tok13aReference tokenizes with the multi-pass tok13a and a Python split,
// then interns, for comparison with the one-pass tok13aIDs.
func tok13aReference(seg string) []string {
	var a, b []byte
	return pySplit(nil, string(tok13a(pyRstrip(seg), &a, &b)))
}

// checkTok13a fails if tok13aIDs accepts seg but disagrees with tok13a.
// It reports whether the one-pass path accepted seg.
func checkTok13a(t *testing.T, seg string) bool {
	t.Helper()
	var words strTable
	words.reset()
	ids, ok := tok13aIDs(nil, pyRstrip(seg), &words)
	if !ok {
		return false
	}
	want := tok13aReference(seg)
	// Same token sequence <=> same id sequence under a fresh interning of
	// the expected tokens.
	var ref strTable
	ref.reset()
	var wantIDs []int32
	for _, w := range want {
		wantIDs = append(wantIDs, ref.id(w))
	}
	if !slices.Equal(ids, wantIDs) {
		t.Fatalf("tok13aIDs(%q) = ids %v, tok13a gives %q (ids %v)", seg, ids, want, wantIDs)
	}
	return true
}

func TestTok13aOnePassMatchesPasses(t *testing.T) {
	// Hand-picked cases around the rules: '.'/',' between digits, '-' after
	// a digit, punct13a next to them, '&'/'<' without entities, non-ASCII
	// spaces, and inputs that must take the general path.
	accepted := []string{
		"", "a", "The cat sat.", "3.5 and 1,000 and 3.5.6", "a.b,c", "U.S. troops",
		"1-2 a-b 1- -1 a1-b 3.- -. 1-.", "£ 2,100 a year -- £ 17,800", ".5 5. ,5 5,",
		"dagenham & redbridge", "a<b c < d", "x\u00a0y\u2003z\u3000w\u0085v", "e\u00e9\u2019s",
		"(1.5) [2,5] {3-4}", "tab\there\rand\vformfeed\f", "\u200bzero-width",
	}
	for _, s := range accepted {
		if !checkTok13a(t, s) {
			t.Errorf("tok13aIDs rejected %q; the one-pass path should handle it", s)
		}
	}
	general := []string{"a..b", "1,.2", "&amp; co", "&quot;hi&quot;", "x &lt; y", "a <skipped> b", "line-\nbreak"}
	for _, s := range general {
		if checkTok13a(t, s) {
			t.Errorf("tok13aIDs accepted %q; it needs the general path", s)
		}
	}
	// Random strings over the characters the rules are about.
	alpha := []string{"a", "b", "1", "2", ".", ",", "-", " ", "&", "<", ">", "(", "'", "é", "\u00a0", "\u2009", "\t", "amp;", "skipped>"}
	r := rand.New(rand.NewPCG(7, 11))
	n := 0
	for range 20000 {
		var sb strings.Builder
		for range r.IntN(14) {
			sb.WriteString(alpha[r.IntN(len(alpha))])
		}
		if checkTok13a(t, sb.String()) {
			n++
		}
	}
	if n < 5000 {
		t.Fatalf("only %d of 20000 random strings took the one-pass path", n)
	}
}

func FuzzTok13aOnePass(f *testing.F) {
	for _, s := range []string{"3.5 a.b 1-2", "£ 2,100", "a & b < c", "x\u00a0y", "\xe2\x80"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkTok13a(t, s)
	})
}
