package eval

import (
	"context"
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

// point is the corpus score of the items idx (all items when idx is nil);
// buf is scratch space, returned for reuse.
func (s series) point(tokenize string, idx []int, buf []float64) (float64, bool, []float64) {
	buf = buf[:0]
	if idx == nil {
		for _, st := range s.stats {
			buf = addTo(buf, st)
		}
	} else {
		for _, i := range idx {
			buf = addTo(buf, s.stats[i])
		}
	}
	v, ok := s.def.corpus(buf, tokenize)
	return v, ok, buf
}

// resampleIdx fills idx with the k-th bootstrap resample of n items (drawn
// with replacement). Each resample has its own PCG stream, derived from
// seed and k, so resamples can be drawn in parallel and the same seed gives
// the same resamples on every platform and core count.
func resampleIdx(seed uint64, k int, idx []int) {
	rng := rand.New(rand.NewPCG(seed, 0x7461726a616d61+uint64(k)))
	n := len(idx)
	for i := range idx {
		idx[i] = rng.IntN(n)
	}
}

// eachResample calls fn(k, idx, scratch) for k in [0,b) on all cores; idx
// and scratch belong to the calling goroutine.
func eachResample(ctx context.Context, n, b int, seed uint64, fn func(k int, idx []int, scratch *[]float64)) error {
	type state struct {
		idx     []int
		scratch []float64
	}
	// parallel hands out batches of k; one state per batch keeps it simple
	// and allocation-light (a batch is 64 resamples).
	const batch = 64
	nb := (b + batch - 1) / batch
	return parallel(ctx, nb, 0, 1, func(j int) {
		st := state{idx: make([]int, n)}
		for k := j * batch; k < min(b, (j+1)*batch); k++ {
			resampleIdx(seed, k, st.idx)
			fn(k, st.idx, &st.scratch)
		}
	})
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

// finite returns the non-NaN values, sorted.
func finite(v []float64) []float64 {
	out := make([]float64, 0, len(v))
	for _, x := range v {
		if !math.IsNaN(x) {
			out = append(out, x)
		}
	}
	slices.Sort(out)
	return out
}

// bootstrapCI computes, for every series, the corpus score and a 95%
// percentile bootstrap interval from b resamples of the items (the same
// resamples for every metric). Series without a value are left out of the
// answer.
func bootstrapCI(ctx context.Context, ss []series, tokenize string, b int, seed uint64) (map[string][3]float64, error) {
	out := map[string][3]float64{}
	n := 0
	var live []series
	for _, s := range ss {
		if v, ok, _ := s.point(tokenize, nil, nil); ok {
			out[s.def.Name] = [3]float64{v, v, v}
			live = append(live, s)
			n = len(s.stats)
		}
	}
	if b <= 0 || n < 2 || len(live) == 0 {
		return out, nil
	}
	samples := make([][]float64, len(live))
	for j := range samples {
		samples[j] = make([]float64, b)
	}
	err := eachResample(ctx, n, b, seed, func(k int, idx []int, scratch *[]float64) {
		for j, s := range live {
			v, ok, buf := s.point(tokenize, idx, *scratch)
			*scratch = buf
			if !ok {
				v = math.NaN()
			}
			samples[j][k] = v
		}
	})
	if err != nil {
		return nil, err
	}
	for j, s := range live {
		sorted := finite(samples[j])
		if len(sorted) == 0 {
			continue
		}
		p := out[s.def.Name]
		p[1], p[2] = percentile(sorted, 0.025), percentile(sorted, 0.975)
		out[s.def.Name] = p
	}
	return out, nil
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
func pairedBootstrap(ctx context.Context, base, cur series, tokenize string, b int, seed uint64) (pairedResult, bool, error) {
	bv, ok1, _ := base.point(tokenize, nil, nil)
	cv, ok2, _ := cur.point(tokenize, nil, nil)
	if !ok1 || !ok2 {
		return pairedResult{}, false, nil
	}
	r := pairedResult{base: bv, cur: cv, low: cv - bv, high: cv - bv, p: 1}
	n := len(cur.stats)
	if b <= 0 || n < 2 {
		return r, true, nil
	}
	diffs := make([]float64, b)
	err := eachResample(ctx, n, b, seed, func(k int, idx []int, scratch *[]float64) {
		x, ok1, buf := base.point(tokenize, idx, *scratch)
		y, ok2, buf := cur.point(tokenize, idx, buf)
		*scratch = buf
		diffs[k] = math.NaN()
		if ok1 && ok2 {
			diffs[k] = y - x
		}
	})
	if err != nil {
		return r, false, err
	}
	diffs = finite(diffs)
	if len(diffs) == 0 {
		return r, true, nil
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
	r.low, r.high = percentile(diffs, 0.025), percentile(diffs, 0.975)
	return r, true, nil
}
