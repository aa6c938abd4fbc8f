//go:build cgo

package gpureg

import (
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
)

// The hot paths against what an engine would write by hand, in one `go test -bench` run: the
// fast path, the cgo path it replaces, a sync.Mutex-guarded map, a sync.Map, the floor (a slice
// of {generation, refcount, native} indexed by the handle's index, no thread safety) and the
// atomic floor (the same slice made safe for many goroutines the cheapest way: generation and
// refcount in one word, read with an atomic load and changed with one CAS, as any lock-free
// refcount must), at 1,000 and 1,000,000 live handles, each op on a handle drawn at random from
// the live set. The atomic floor is what thread safety alone costs: a locked instruction per
// retain and per release, which no design that keeps refcounts in shared memory avoids.
//
//	go test -run '^$' -bench 'HandleLookup' -count 5 .

type lookupImpl interface {
	resolve(h uint64) (uint64, bool)
	retain(h uint64) bool
	release(h uint64) bool
}

type fastImpl struct{ r *Registry }

func (f fastImpl) resolve(h uint64) (uint64, bool) {
	n, err := f.r.TextureNative(Texture(h))
	return n, err == nil
}
func (f fastImpl) retain(h uint64) bool  { return f.r.Retain(Handle(h)) == nil }
func (f fastImpl) release(h uint64) bool { return f.r.Release(Handle(h)) == nil }

type cgoImpl struct{ r *Registry }

func (c cgoImpl) resolve(h uint64) (uint64, bool) {
	n, err := c.r.resolveC("TextureNative", Handle(h), TypeTexture)
	return n, err == nil
}
func (c cgoImpl) retain(h uint64) bool  { return c.r.retainC(Handle(h)) == nil }
func (c cgoImpl) release(h uint64) bool { return c.r.releaseC(Handle(h)) == nil }

type lookupMapEntry struct {
	native uint64
	refs   int32
}

type lookupMutexMap struct {
	mu sync.Mutex
	m  map[uint64]*lookupMapEntry
}

func (m *lookupMutexMap) resolve(h uint64) (uint64, bool) {
	m.mu.Lock()
	e, ok := m.m[h]
	m.mu.Unlock()
	if !ok {
		return 0, false
	}
	return e.native, true
}
func (m *lookupMutexMap) retain(h uint64) bool {
	m.mu.Lock()
	e, ok := m.m[h]
	if ok {
		e.refs++
	}
	m.mu.Unlock()
	return ok
}
func (m *lookupMutexMap) release(h uint64) bool {
	m.mu.Lock()
	e, ok := m.m[h]
	if ok {
		e.refs--
	}
	m.mu.Unlock()
	return ok
}

type syncMap struct{ m sync.Map }

type syncEntry struct {
	native uint64
	refs   atomic.Int32
}

func (s *syncMap) resolve(h uint64) (uint64, bool) {
	e, ok := s.m.Load(h)
	if !ok {
		return 0, false
	}
	return e.(*syncEntry).native, true
}
func (s *syncMap) retain(h uint64) bool {
	e, ok := s.m.Load(h)
	if ok {
		e.(*syncEntry).refs.Add(1)
	}
	return ok
}
func (s *syncMap) release(h uint64) bool {
	e, ok := s.m.Load(h)
	if ok {
		e.(*syncEntry).refs.Add(-1)
	}
	return ok
}

// sliceFloor is the least a lookup can cost: index, compare a generation, load.
type sliceFloor struct {
	slots []struct {
		gen    uint32
		refs   int32
		native uint64
	}
}

func (s *sliceFloor) resolve(h uint64) (uint64, bool) {
	e := &s.slots[uint32(h)]
	if e.gen != uint32(h>>32)&0xFFFFF {
		return 0, false
	}
	return e.native, true
}
func (s *sliceFloor) retain(h uint64) bool {
	e := &s.slots[uint32(h)]
	if e.gen != uint32(h>>32)&0xFFFFF {
		return false
	}
	e.refs++
	return true
}
func (s *sliceFloor) release(h uint64) bool {
	e := &s.slots[uint32(h)]
	if e.gen != uint32(h>>32)&0xFFFFF {
		return false
	}
	e.refs--
	return true
}

// atomicFloor: word = generation << 32 | refcount, changed by CAS; the native beside it,
// validated by re-reading the word (a slot reused meanwhile changes its generation).
type atomicFloor struct {
	slots []struct {
		word   atomic.Uint64
		native atomic.Uint64
	}
}

func (s *atomicFloor) resolve(h uint64) (uint64, bool) {
	e := &s.slots[uint32(h)]
	w := e.word.Load()
	if w>>32 != h>>32&0xFFFFF || uint32(w) == 0 {
		return 0, false
	}
	n := e.native.Load()
	return n, e.word.Load() == w
}
func (s *atomicFloor) retain(h uint64) bool {
	e := &s.slots[uint32(h)]
	for w := e.word.Load(); w>>32 == h>>32&0xFFFFF && uint32(w) != 0; w = e.word.Load() {
		if e.word.CompareAndSwap(w, w+1) {
			return true
		}
	}
	return false
}
func (s *atomicFloor) release(h uint64) bool {
	e := &s.slots[uint32(h)]
	for w := e.word.Load(); w>>32 == h>>32&0xFFFFF && uint32(w) != 0; w = e.word.Load() {
		if e.word.CompareAndSwap(w, w-1) {
			return true
		}
	}
	return false
}

// randomOrder is a fixed pseudo-random sequence over hs (a power-of-two length for masking).
func randomOrder(hs []Handle) []uint64 {
	seq := make([]uint64, 1<<16)
	x := uint64(88172645463325252)
	for i := range seq {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		seq[i] = uint64(hs[x%uint64(len(hs))])
	}
	return seq
}

func BenchmarkHandleLookup(b *testing.B) {
	for _, live := range []int{1000, 1_000_000} {
		r, hs := benchReg(b, live)
		natives := make([]uint64, live)
		mm := &lookupMutexMap{m: make(map[uint64]*lookupMapEntry, live)}
		sm := &syncMap{}
		floor := &sliceFloor{}
		floor.slots = make([]struct {
			gen    uint32
			refs   int32
			native uint64
		}, uint32(hs[live-1])+1)
		for i, h := range hs {
			n, err := r.TextureNative(Texture(h))
			if err != nil {
				b.Fatal(err)
			}
			natives[i] = n
			mm.m[uint64(h)] = &lookupMapEntry{native: n, refs: 1}
			e := &syncEntry{native: n}
			e.refs.Store(1)
			sm.m.Store(uint64(h), e)
			s := &floor.slots[uint32(h)]
			s.gen, s.refs, s.native = uint32(h>>32)&0xFFFFF, 1, n
		}
		atomicF := &atomicFloor{}
		atomicF.slots = make([]struct {
			word   atomic.Uint64
			native atomic.Uint64
		}, uint32(hs[live-1])+1)
		for i, h := range hs {
			s := &atomicF.slots[uint32(h)]
			s.word.Store(uint64(h)>>32&0xFFFFF<<32 | 1)
			s.native.Store(natives[i])
		}
		seq := randomOrder(hs)
		impls := []struct {
			name string
			impl lookupImpl
		}{{"fast", fastImpl{r}}, {"cgo", cgoImpl{r}}, {"mutexmap", mm}, {"syncmap", sm}, {"floor", floor},
			{"floor-atomic", atomicF}}
		for _, im := range impls {
			impl := im.impl
			b.Run("live="+strconv.Itoa(live)+"/"+im.name+"/resolve", func(b *testing.B) {
				b.ReportAllocs()
				sum := uint64(0)
				for i := 0; i < b.N; i++ {
					n, ok := impl.resolve(seq[i&(len(seq)-1)])
					if !ok {
						b.Fatal("resolve failed")
					}
					sum += n
				}
				sink.Add(sum)
			})
			b.Run("live="+strconv.Itoa(live)+"/"+im.name+"/retain+release", func(b *testing.B) {
				b.ReportAllocs()
				for i := 0; i < b.N; i++ {
					h := seq[i&(len(seq)-1)]
					if !impl.retain(h) || !impl.release(h) {
						b.Fatal("retain/release failed")
					}
				}
			})
		}
	}
}

var sink atomic.Uint64
