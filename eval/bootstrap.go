package eval

import (
	"math"
	"math/rand/v2"
	"slices"
)

// series is one metric's per-item statistics (nil for an item the metric
// does not apply to).
type series struct {
	def   MetricDef
	stats [][]float64
}

func (s series) point(tokenize string, idx []int) (float64, bool) {
	var sum []float64
	if idx == nil {
		for _, st := range s.stats {
			sum = addTo(sum, st)
		}
	} else {
		for _, i := range idx {
			sum = addTo(sum, s.stats[i])
		}
	}
	return s.def.corpus(sum, tokenize)
}

// newRNG is the bootstrap's random source: PCG seeded with seed, so the
// same seed gives the same resamples on every platform.
func newRNG(seed uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, 0x7461726a616d61))
}

// resample draws b resamples of n indices (with replacement) and calls
// fn(b, idx) for each; idx is reused between calls.
func resample(n, b int, seed uint64, fn func(k int, idx []int)) {
	rng := newRNG(seed)
	idx := make([]int, n)
	for k := range b {
		for i := range idx {
			idx[i] = rng.IntN(n)
		}
		fn(k, idx)
	}
}

// percentile is the q-quantile of sorted values with linear interpolation
// between order statistics (numpy's default).
func percentile(sorted []float64, q float64) float64 {
	if len(sorted) == 0 {
		return math.NaN()
	}
	h := q * float64(len(sorted)-1)
	lo := int(math.Floor(h))
	hi := min(lo+1, len(sorted)-1)
	return sorted[lo] + (h-float64(lo))*(sorted[hi]-sorted[lo])
}

// bootstrapCI computes, for every series, the corpus score and a 95%
// percentile bootstrap interval from b resamples of the items (the same
// resamples for every metric). Series without a value are left out of the
// answer.
func bootstrapCI(ss []series, tokenize string, b int, seed uint64) map[string][3]float64 {
	out := map[string][3]float64{}
	n := 0
	var live []series
	for _, s := range ss {
		if v, ok := s.point(tokenize, nil); ok {
			out[s.def.Name] = [3]float64{v, v, v}
			live = append(live, s)
			n = len(s.stats)
		}
	}
	if b <= 0 || n < 2 {
		return out
	}
	samples := make([][]float64, len(live))
	for j := range samples {
		samples[j] = make([]float64, 0, b)
	}
	resample(n, b, seed, func(_ int, idx []int) {
		for j, s := range live {
			if v, ok := s.point(tokenize, idx); ok {
				samples[j] = append(samples[j], v)
			}
		}
	})
	for j, s := range live {
		if len(samples[j]) == 0 {
			continue
		}
		slices.Sort(samples[j])
		p := out[s.def.Name]
		p[1], p[2] = percentile(samples[j], 0.025), percentile(samples[j], 0.975)
		out[s.def.Name] = p
	}
	return out
}

// pairedResult is one metric's paired comparison.
type pairedResult struct {
	base, cur float64
	// low, high is the 95% bootstrap interval of cur-base.
	low, high float64
	p         float64
}

// pairedBootstrap is sacrebleu's paired bootstrap resampling test (Koehn
// 2004, as in sacrebleu's paired_bs): draw b resamples of the n matched
// items, compute both systems' corpus scores on each and their difference
// d_k; centre the differences on their mean (the null hypothesis of no
// difference) and count how often a centred difference is at least as large
// in absolute value as the observed one. The two-sided p-value is
// (1 + count) / (1 + b). Identical systems give d = 0 everywhere and p = 1.
func pairedBootstrap(base, cur series, tokenize string, b int, seed uint64) (pairedResult, bool) {
	bv, ok1 := base.point(tokenize, nil)
	cv, ok2 := cur.point(tokenize, nil)
	if !ok1 || !ok2 {
		return pairedResult{}, false
	}
	r := pairedResult{base: bv, cur: cv, low: cv - bv, high: cv - bv, p: 1}
	n := len(cur.stats)
	if b <= 0 || n < 2 {
		return r, true
	}
	diffs := make([]float64, 0, b)
	resample(n, b, seed, func(_ int, idx []int) {
		x, ok1 := base.point(tokenize, idx)
		y, ok2 := cur.point(tokenize, idx)
		if ok1 && ok2 {
			diffs = append(diffs, y-x)
		}
	})
	if len(diffs) == 0 {
		return r, true
	}
	mean := 0.0
	for _, d := range diffs {
		mean += d
	}
	mean /= float64(len(diffs))
	obs := math.Abs(cv - bv)
	count := 0
	for _, d := range diffs {
		// A tiny tolerance so that float noise in identical systems
		// still counts as "at least as large".
		if math.Abs(d-mean) >= obs-1e-12 {
			count++
		}
	}
	r.p = float64(1+count) / float64(1+len(diffs))
	slices.Sort(diffs)
	r.low, r.high = percentile(diffs, 0.025), percentile(diffs, 0.975)
	return r, true
}
