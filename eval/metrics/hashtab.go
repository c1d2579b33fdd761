package metrics

import (
	"encoding/binary"
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
	n     int // ids handed out (strings of both tables)
	ns    int // strings in keys/ids/gen
	limit int
	arena []byte // backing store of keys added by idBytes

	// Strings of at most 7 bytes are packed exactly into a uint64 (bytes
	// plus length) and interned in this second table: no string hashing or
	// comparison, which is most tokens of English text.
	pk    []pkSlot
	pkCur uint32
	pkN   int
}

type pkSlot struct {
	key uint64
	gen uint32
	id  int32
}

// packShort packs a string of at most 7 bytes injectively: the bytes in
// the low 7 bytes, the length in the top byte.
func packShort(s string) uint64 {
	k := uint64(len(s)) << 56
	for i := 0; i < len(s); i++ {
		k |= uint64(s[i]) << (8 * i)
	}
	return k
}

// idAt is id(s[start:end]). When 8 bytes can be read from s[start:], a
// short token is packed with one load and a mask instead of a byte loop
// (same key as packShort: little-endian byte order).
func (t *strTable) idAt(s string, start, end int) int32 {
	n := end - start
	if n > 7 || start+8 > len(s) {
		return t.id(s[start:end])
	}
	w := binary.LittleEndian.Uint64(unsafe.Slice(unsafe.StringData(s[start:]), 8))
	key := w&(1<<(8*n)-1) | uint64(n)<<56
	// The probe loop of idPacked, inlined: this is the hottest call of
	// chrF++ word splitting.
	if t.pkN >= len(t.pk)/2 {
		t.growPacked()
	}
	pk := t.pk
	mask := len(pk) - 1
	for i := int((key*0x9E3779B97F4A7C15)>>32) & mask; ; i = (i + 1) & mask {
		sl := &pk[i]
		if sl.gen != t.pkCur {
			t.n++
			t.pkN++
			*sl = pkSlot{key: key, gen: t.pkCur, id: int32(t.n)}
			return int32(t.n)
		}
		if sl.key == key {
			return sl.id
		}
	}
}

// idPacked is id for a key made by packShort.
func (t *strTable) idPacked(key uint64) int32 {
	if t.pkN >= len(t.pk)/2 {
		t.growPacked()
	}
	mask := len(t.pk) - 1
	i := int((key*0x9E3779B97F4A7C15)>>32) & mask
	for {
		s := &t.pk[i]
		if s.gen != t.pkCur {
			t.n++
			t.pkN++
			*s = pkSlot{key: key, gen: t.pkCur, id: int32(t.n)}
			return int32(t.n)
		}
		if s.key == key {
			return s.id
		}
		i = (i + 1) & mask
	}
}

func (t *strTable) growPacked() {
	old, oldCur := t.pk, t.pkCur
	t.pk = make([]pkSlot, max(256, 2*len(old)))
	t.pkCur = 1
	mask := len(t.pk) - 1
	for _, s := range old {
		if s.gen != oldCur {
			continue
		}
		i := int((s.key*0x9E3779B97F4A7C15)>>32) & mask
		for t.pk[i].gen == t.pkCur {
			i = (i + 1) & mask
		}
		t.pk[i] = s
		t.pk[i].gen = t.pkCur
	}
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
	t.n, t.ns, t.pkN = 0, 0, 0
	t.cur++
	if t.cur == 0 {
		clear(t.gen)
		t.cur = 1
	}
	if len(t.pk) > 1<<16 {
		t.pk = nil // growPacked reallocates small
	} else {
		t.pkCur++
		if t.pkCur == 0 {
			clear(t.pk)
			t.pkCur = 1
		}
	}
	// Keys of the previous use are unreachable (wrong generation), so the
	// arena can be overwritten.
	t.arena = t.arena[:0]
}

// idBytes is id for a transient byte slice: the key is copied into the
// arena only when it is new.
func (t *strTable) idBytes(b []byte) int32 {
	if len(b) <= 7 {
		return t.idPacked(packShort(unsafe.String(unsafe.SliceData(b), len(b))))
	}
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
	t.n, t.ns, t.pkN = 0, 0, 0
	t.pk = nil
	t.limit = size / 2
}

// id returns the id of s, adding it if new. The table keeps s, so s must
// stay valid until the next reset (it may alias caller memory).
func (t *strTable) id(s string) int32 {
	if len(s) <= 7 {
		return t.idPacked(packShort(s))
	}
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
	if t.ns >= t.limit {
		t.grow()
		return t.id(s)
	}
	t.n++
	t.ns++
	t.gen[i] = t.cur
	t.keys[i] = s
	t.ids[i] = int32(t.n)
	return int32(t.n)
}

func (t *strTable) grow() {
	oldK, oldI, oldG, oldCur := t.keys, t.ids, t.gen, t.cur
	n, ns, pk, pkCur, pkN := t.n, t.ns, t.pk, t.pkCur, t.pkN
	t.alloc(2 * len(oldK))
	t.pk, t.pkCur, t.pkN = pk, pkCur, pkN
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
	t.n, t.ns = n, ns
}
