package metrics

import (
	"hash/maphash"
	"math/bits"
	"unsafe"
)

// countTable is an open-addressing hash table from uint64 n-gram keys to
// counts, cleared in O(1) by bumping a generation number. It replaces Go
// maps in the hot loops of BLEU and chrF. Slots are stored together so a
// probe touches one cache line.
//
// For each key it keeps cnt (count in the current reference, see stamp) and
// max (the running maximum over references, or the count of a single
// reference).
type countTable struct {
	slots []countSlot
	cur   uint32
	shift uint
	mask  int
}

type countSlot struct {
	key   uint64
	gen   uint32
	cnt   int32
	max   int32
	stamp int32
}

// reset empties the table and makes room for n insertions at load <= 1/2.
func (t *countTable) reset(n int) {
	size := 64
	if n > 16 {
		size = 1 << bits.Len(uint(2*n))
	}
	if len(t.slots) < size || len(t.slots) > 16*size {
		t.slots = make([]countSlot, size)
		t.cur = 1
		t.mask = size - 1
		t.shift = uint(64 - bits.TrailingZeros(uint(size)))
		return
	}
	t.cur++
	if t.cur == 0 {
		clear(t.slots)
		t.cur = 1
	}
}

func (t *countTable) find(key uint64) (*countSlot, bool) {
	i := int((key * 0x9E3779B97F4A7C15) >> t.shift)
	for {
		s := &t.slots[i]
		if s.gen != t.cur {
			return s, false
		}
		if s.key == key {
			return s, true
		}
		i = (i + 1) & t.mask
	}
}

// addRef counts one occurrence of key in reference number ref and keeps the
// maximum count over references in max.
func (t *countTable) addRef(key uint64, ref int32) {
	s, ok := t.find(key)
	if !ok {
		*s = countSlot{key: key, gen: t.cur, cnt: 1, max: 1, stamp: ref}
		return
	}
	if s.stamp != ref {
		s.stamp = ref
		s.cnt = 0
	}
	s.cnt++
	if s.cnt > s.max {
		s.max = s.cnt
	}
}

// take consumes one occurrence of key if the references have one left and
// reports whether it did; summing take over the hypothesis n-grams gives
// sum(min(hyp count, max ref count)).
func (t *countTable) take(key uint64) bool {
	s, ok := t.find(key)
	if ok && s.max > 0 {
		s.max--
		return true
	}
	return false
}

// multiset is a lean countTable for one reference: key -> remaining count,
// 16 bytes per slot.
type multiset struct {
	slots []msSlot
	cur   uint32
	shift uint
	mask  int
}

type msSlot struct {
	key uint64
	gen uint32
	n   int32
}

func (t *multiset) reset(n int) {
	size := 64
	if n > 16 {
		size = 1 << bits.Len(uint(2*n))
	}
	if len(t.slots) < size || len(t.slots) > 16*size {
		t.slots = make([]msSlot, size)
		t.cur = 1
		t.mask = size - 1
		t.shift = uint(64 - bits.TrailingZeros(uint(size)))
		return
	}
	t.cur++
	if t.cur == 0 {
		clear(t.slots)
		t.cur = 1
	}
}

func (t *multiset) find(key uint64) (*msSlot, bool) {
	i := int((key * 0x9E3779B97F4A7C15) >> t.shift)
	for {
		s := &t.slots[i]
		if s.gen != t.cur {
			return s, false
		}
		if s.key == key {
			return s, true
		}
		i = (i + 1) & t.mask
	}
}

func (t *multiset) add(key uint64) {
	s, ok := t.find(key)
	if !ok {
		*s = msSlot{key: key, gen: t.cur, n: 1}
		return
	}
	s.n++
}

// strTable interns strings to dense ids 1, 2, ... with O(1) clearing.
type strTable struct {
	seed  maphash.Seed
	keys  []string
	ids   []int32
	gen   []uint32
	cur   uint32
	mask  int
	n     int
	limit int
	arena []byte // backing store of keys added by idBytes
}

func (t *strTable) reset() {
	if t.keys == nil {
		t.seed = maphash.MakeSeed()
		t.alloc(256)
		return
	}
	if len(t.keys) > 1<<16 {
		t.alloc(256)
		return
	}
	t.n = 0
	t.cur++
	if t.cur == 0 {
		clear(t.gen)
		t.cur = 1
	}
	// Keys of the previous use are unreachable (wrong generation), so the
	// arena can be overwritten.
	t.arena = t.arena[:0]
}

// idBytes is id for a transient byte slice: the key is copied into the
// arena only when it is new.
func (t *strTable) idBytes(b []byte) int32 {
	h := maphash.Bytes(t.seed, b)
	i := int(h) & t.mask
	for {
		if t.gen[i] != t.cur {
			break
		}
		if t.keys[i] == string(b) {
			return t.ids[i]
		}
		i = (i + 1) & t.mask
	}
	// New key: copy it into the arena. A full arena is replaced, never
	// grown in place, so earlier keys stay valid.
	if cap(t.arena)-len(t.arena) < len(b) {
		t.arena = make([]byte, 0, max(4096, 2*len(b)))
	}
	start := len(t.arena)
	t.arena = append(t.arena, b...)
	var s string
	if len(b) > 0 {
		s = unsafe.String(&t.arena[start], len(b))
	}
	return t.id(s)
}

func (t *strTable) alloc(size int) {
	t.keys = make([]string, size)
	t.ids = make([]int32, size)
	t.gen = make([]uint32, size)
	t.cur = 1
	t.mask = size - 1
	t.n = 0
	t.limit = size / 2
}

// id returns the id of s, adding it if new. The table keeps s, so s must
// stay valid until the next reset (it may alias caller memory).
func (t *strTable) id(s string) int32 {
	h := maphash.String(t.seed, s)
	i := int(h) & t.mask
	for {
		if t.gen[i] != t.cur {
			break
		}
		if t.keys[i] == s {
			return t.ids[i]
		}
		i = (i + 1) & t.mask
	}
	if t.n >= t.limit {
		t.grow()
		return t.id(s)
	}
	t.n++
	t.gen[i] = t.cur
	t.keys[i] = s
	t.ids[i] = int32(t.n)
	return int32(t.n)
}

func (t *strTable) grow() {
	oldK, oldI, oldG, oldCur := t.keys, t.ids, t.gen, t.cur
	n := t.n
	t.alloc(2 * len(oldK))
	for i, g := range oldG {
		if g != oldCur {
			continue
		}
		h := maphash.String(t.seed, oldK[i])
		j := int(h) & t.mask
		for t.gen[j] == t.cur {
			j = (j + 1) & t.mask
		}
		t.gen[j] = t.cur
		t.keys[j] = oldK[i]
		t.ids[j] = oldI[i]
	}
	t.n = n
}
