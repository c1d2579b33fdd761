package metrics

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// randomText builds text from a small alphabet so that n-grams repeat and
// both fast and slow paths see matches, clipping and multi-references.
func randomText(r *rand.Rand) string {
	alpha := []string{"a", "b", "ab", "ba", "the", "cat", ".", ",", "-", "1", "2", "é", "ب", "اب", "(", ")", "👍", "\u00a0"}
	var sb strings.Builder
	n := r.IntN(30)
	for i := 0; i < n; i++ {
		sb.WriteString(alpha[r.IntN(len(alpha))])
		if r.IntN(3) > 0 {
			sb.WriteByte(' ')
		}
	}
	return sb.String()
}

func TestFastPathsMatchSlowPaths(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 500; i++ {
		hyp := randomText(r)
		refs := make([]string, 1+r.IntN(3))
		for k := range refs {
			refs[k] = randomText(r)
		}
		for _, tok := range []string{"13a", "intl", "none"} {
			opt := BLEUOptions{Tokenize: tok}
			if a, b := BLEUSegmentStats(hyp, refs, opt), bleuSegmentStatsSlow(hyp, refs, opt); a != b {
				t.Fatalf("BLEU %s fast %+v != slow %+v for %q vs %q", tok, a, b, hyp, refs)
			}
		}
		for _, wo := range []int{0, 1, 2} {
			opt := ChrFOptions{WordOrder: wo}
			if a, b := ChrFSegmentStats(hyp, refs, opt), chrfSegmentStatsSlow(hyp, refs, opt); !slices.Equal(a, b) {
				t.Fatalf("chrF(%d) fast %v != slow %v for %q vs %q", wo, a, b, hyp, refs)
			}
		}
	}
}

// Many distinct characters force the 10-bit and the map-based chrF paths.
func TestChrFWideAlphabets(t *testing.T) {
	var a, b strings.Builder
	for r := rune(0x4E00); r < 0x4E00+1100; r++ {
		a.WriteRune(r)
		if r%3 != 0 {
			b.WriteRune(r)
		}
	}
	for _, n := range []int{300, 1100} {
		ha, hb := string([]rune(a.String())[:n]), string([]rune(b.String())[:n*2/3])
		got := ChrFSegmentStats(ha, []string{hb}, ChrFOptions{WordOrder: 2})
		want := chrfSegmentStatsSlow(ha, []string{hb}, ChrFOptions{WordOrder: 2})
		if !slices.Equal(got, want) {
			t.Errorf("n=%d: fast %v != slow %v", n, got, want)
		}
	}
}

func TestTERPrefixReuseMatchesFullRecompute(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 60; i++ {
		mk := func(n int) []int32 {
			out := make([]int32, n)
			for k := range out {
				out[k] = int32(r.IntN(6))
			}
			return out
		}
		hyp, ref := mk(r.IntN(25)), mk(1+r.IntN(25))
		e1, l1 := translationEditRateOpt(hyp, ref, false)
		e2, l2 := translationEditRateOpt(hyp, ref, true)
		if e1 != e2 || l1 != l2 {
			t.Fatalf("reuse %d/%d != full %d/%d for %v vs %v", e1, l1, e2, l2, hyp, ref)
		}
	}
}

// A long reference over a wide alphabet exceeds the dense table and takes
// the hash path for character n-grams.
func TestChrFHashPath(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	mk := func(n int) string {
		rs := make([]rune, n)
		for i := range rs {
			rs[i] = 0x4E00 + rune(r.IntN(600))
		}
		return string(rs)
	}
	hyp, ref := mk(500), mk(8000)
	if denseFits(8000, 600) {
		t.Fatal("test input should not fit the dense table")
	}
	for _, wo := range []int{0, 2} {
		got := ChrFSegmentStats(hyp, []string{ref}, ChrFOptions{WordOrder: wo})
		want := chrfSegmentStatsSlow(hyp, []string{ref}, ChrFOptions{WordOrder: wo})
		if !slices.Equal(got, want) {
			t.Errorf("word order %d: fast %v != slow %v", wo, got, want)
		}
	}
}

// Thousands of distinct words exceed the dense word table: chrF++ word
// n-grams then take the hashed path, which must agree with the slow path.
func TestChrFManyWords(t *testing.T) {
	var h, r strings.Builder
	for i := range 2500 {
		w := fmt.Sprintf("w%d ", i)
		h.WriteString(w)
		if i%3 != 0 {
			r.WriteString(w)
		}
		if i%7 == 0 {
			r.WriteString("w1 w2 ")
		}
	}
	hyp, ref := h.String(), r.String()
	if denseFits(len(strings.Fields(ref)), 2500) {
		t.Fatal("test input fits the dense word table; make it larger")
	}
	opt := ChrFOptions{WordOrder: 2}
	got, want := ChrFSegmentStats(hyp, []string{ref}, opt), chrfSegmentStatsSlow(hyp, []string{ref}, opt)
	if !slices.Equal(got, want) {
		t.Fatalf("fast %v != slow %v", got, want)
	}
	if got[3*chrfCharOrder+2] == 0 {
		t.Fatal("no word unigram matched; the test does not exercise word matching")
	}
}
