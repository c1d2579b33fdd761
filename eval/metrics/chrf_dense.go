package metrics

// chrfDense counts character n-gram matches of orders 1..6 without
// hashing: the n-grams of each order get dense class ids from the pair
// (class of the (n-1)-gram prefix, last character) through a direct-indexed
// table. Only reference n-grams create classes; a hypothesis n-gram whose
// pair has no class does not occur in the reference, and neither do its
// extensions.
type chrfDense struct {
	table   []int32 // (prefix class, char) -> class of the current order
	touched []int32 // table cells to clear before the next order
	refCls  []int32
	hypCls  []int32
	cnt     []int32 // remaining reference count per class
}

// maxDenseCells bounds the table; larger inputs use the hash path.
const maxDenseCells = 1 << 22

// Prefix classes are character ids (order 1) or reference n-gram classes,
// so the table has max(refLen, nchars)+1 rows of nchars+1 cells.
func denseFits(refLen, nchars int) bool {
	return (max(refLen, nchars)+1)*(nchars+1) <= maxDenseCells
}

// matches fills match[n-1] for n = 1..6 (hypothesis n-grams matched,
// clipped by reference counts). Character ids are in 1..nchars.
func (d *chrfDense) matches(hyp, ref []int32, nchars int, match *[chrfCharOrder]int) {
	w := nchars + 1
	if len(d.cnt) < max(len(ref), nchars)+1 {
		d.cnt = make([]int32, max(len(ref), nchars)+1)
	}
	// Order 1: classes are the character ids.
	d.refCls = append(d.refCls[:0], ref...)
	d.hypCls = append(d.hypCls[:0], hyp...)
	cnt := d.cnt
	clear(cnt[:nchars+1])
	for _, c := range ref {
		cnt[c]++
	}
	for _, c := range hyp {
		if cnt[c] > 0 {
			cnt[c]--
			match[0]++
		}
	}
	// A hypothesis character absent from the reference starts no n-gram.
	// cnt was consumed, so mark absent characters through a second pass on
	// the reference: characters seen in ref are exactly those with a class.
	seen := d.touched[:0]
	if cells := (max(len(ref), nchars) + 1) * w; cap(d.table) < cells {
		d.table = make([]int32, cells)
	}
	table := d.table[:cap(d.table)]
	// Use table row 0 as the "character occurs in ref" marker for order 1.
	for _, c := range ref {
		if table[c] == 0 {
			table[c] = 1
			seen = append(seen, c)
		}
	}
	for i, c := range d.hypCls {
		if table[c] == 0 {
			d.hypCls[i] = 0
		}
	}
	for _, c := range seen {
		table[c] = 0
	}
	seen = seen[:0]
	refCls, hypCls := d.refCls, d.hypCls
	w32 := int32(w)
	for n := 2; n <= chrfCharOrder; n++ {
		next := int32(0)
		nr := len(ref) - n + 1
		if nr > 0 {
			rc, rl := refCls[:nr], ref[n-1:]
			rl = rl[:nr]
			for i := range rc {
				cell := rc[i]*w32 + rl[i]
				cls := table[cell]
				if cls == 0 {
					next++
					cls = next
					table[cell] = cls
					seen = append(seen, cell)
					cnt[cls] = 0
				}
				cnt[cls]++
				rc[i] = cls
			}
		}
		refCls = refCls[:max(nr, 0)]
		nh := len(hyp) - n + 1
		m := 0
		if nh > 0 {
			hc, hl := hypCls[:nh], hyp[n-1:]
			hl = hl[:nh]
			for i := range hc {
				p := hc[i]
				if p == 0 {
					continue
				}
				cls := table[p*w32+hl[i]]
				hc[i] = cls
				if cls != 0 && cnt[cls] > 0 {
					cnt[cls]--
					m++
				}
			}
		}
		match[n-1] += m
		hypCls = hypCls[:max(nh, 0)]
		for _, cell := range seen {
			table[cell] = 0
		}
		seen = seen[:0]
	}
	d.refCls, d.hypCls = refCls, hypCls
	d.touched = seen
}
