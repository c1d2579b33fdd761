package metrics

import "math"

// chrfDense counts character n-gram matches of orders 1..6 without
// hashing: the n-grams of each order get dense class ids from the pair
// (class of the (n-1)-gram prefix, last character) through a direct-indexed
// table. Only reference n-grams create classes; a hypothesis n-gram whose
// pair has no class does not occur in the reference, and neither do its
// extensions.
type chrfDense struct {
	// table maps (prefix class, char) to a stamped class: a value v is a
	// class of the current order iff v > base (the stamp counter when the
	// order started), and the class is v-base. Stamps only grow, so the
	// table never needs clearing between orders or calls (only when the
	// counter nears overflow).
	table  []uint32
	stamp  uint32
	refCls []int32
	hypCls []int32
	cnt    []int32 // remaining reference count per class
}

// maxDenseCells bounds the table; larger inputs use the hash path.
const maxDenseCells = 1 << 22

// Prefix classes are character ids (order 1) or reference n-gram classes,
// so the table has max(refLen, nchars)+1 rows of nchars+1 cells.
func denseFits(refLen, nchars int) bool {
	return (max(refLen, nchars)+1)*(nchars+1) <= maxDenseCells
}

// matches fills match[n-1] for n = 1..maxOrder (maxOrder <= 6; hypothesis
// n-grams matched, clipped by reference counts). Symbol ids are in
// 1..nchars: characters, or word ids for the chrF++ word n-grams.
func (d *chrfDense) matches(hyp, ref []int32, nchars int, match *[chrfCharOrder]int, maxOrder int) {
	w := nchars + 1
	rows := max(len(ref), nchars) + 1
	if len(d.cnt) < rows {
		d.cnt = make([]int32, rows)
	}
	if cells := rows * w; len(d.table) < cells {
		d.table = make([]uint32, cells)
		d.stamp = 0
	}
	// Each order uses at most len(ref)+1 stamps.
	if d.stamp > math.MaxUint32-uint32(maxOrder*(len(ref)+2)) {
		clear(d.table)
		d.stamp = 0
	}
	table := d.table
	// Order 1: classes are the symbol ids. The reference symbols are also
	// marked in table row 0 (never a prefix class): a hypothesis symbol
	// absent from the reference starts no n-gram, its class becomes 0.
	d.stamp++
	mark := d.stamp
	cnt := d.cnt
	clear(cnt[:nchars+1])
	refCls := append(d.refCls[:0], ref...)
	for _, c := range ref {
		cnt[c]++
		table[c] = mark
	}
	hypCls := append(d.hypCls[:0], hyp...)
	for i, c := range hypCls {
		if cnt[c] > 0 {
			cnt[c]--
			match[0]++
		} else if table[c] != mark {
			hypCls[i] = 0
		}
	}
	w32 := int32(w)
	for n := 2; n <= maxOrder; n++ {
		base := d.stamp
		nr := len(ref) - n + 1
		if nr > 0 {
			rc, rl := refCls[:nr], ref[n-1:]
			rl = rl[:nr]
			for i := range rc {
				cell := rc[i]*w32 + rl[i]
				v := table[cell]
				if v <= base {
					d.stamp++
					v = d.stamp
					table[cell] = v
					cnt[v-base] = 0
				}
				cls := int32(v - base)
				cnt[cls]++
				rc[i] = cls
			}
		}
		refCls = refCls[:max(nr, 0)]
		nh := len(hyp) - n + 1
		m, alive := 0, 0
		if nh > 0 {
			hc, hl := hypCls[:nh], hyp[n-1:]
			hl = hl[:nh]
			for i := range hc {
				p := hc[i]
				if p == 0 {
					continue
				}
				v := table[p*w32+hl[i]]
				if v <= base {
					hc[i] = 0
					continue
				}
				cls := int32(v - base)
				hc[i] = cls
				alive++
				if cnt[cls] > 0 {
					cnt[cls]--
					m++
				}
			}
		}
		match[n-1] += m
		hypCls = hypCls[:max(nh, 0)]
		if alive == 0 {
			break // no longer hypothesis n-gram can match
		}
	}
	d.refCls, d.hypCls = refCls, hypCls
}
