//go:build cgo

package gpureg

/*
#include "gpureg/gpureg_fastpath.h"

// The export, by value: out-parameters live on the C stack, not in Go memory.
typedef struct gr_fastpath_result {
    gpureg_fastpath fp;
    const char *backend; // gpureg_backend_name, in the same crossing
    int32_t result;
} gr_fastpath_result;

static gr_fastpath_result gr_fastpath_export(uintptr_t reg) {
    gr_fastpath_result r;
    r.result = (int32_t)gpureg_fastpath_export((const gpureg_registry *)reg, &r.fp);
    r.backend = gpureg_backend_name((const gpureg_registry *)reg);
    return r;
}
#cgo nocallback gr_fastpath_export
#cgo noescape gr_fastpath_export
*/
import "C"

import (
	"runtime"
	"sync/atomic"
	"unsafe"
)

// fastPath is the registry's hot-path memory, read and written with sync/atomic by Resolve,
// Retain and Release without a cgo call, as include/gpureg/gpureg_fastpath.h lays it out and
// argues it sound on amd64 and arm64 (the only architectures it is enabled on). Every pointer
// here is C memory that neither moves nor is freed before Close; the Go GC ignores it. A call
// the fast path cannot answer (a miss: a stale, forged, foreign or released handle, a lost
// device, a slot beyond segment 0, a refcount at its limit) goes to the C call, which answers
// precisely: the fast path only ever says "OK" where the C call would.
type fastPath struct {
	enabled    bool
	backend    backendKind    // which typed resolves the native answers
	slots      unsafe.Pointer // segment 0's slots (GPUREG_FP_SLOT_SIZE bytes each)
	committed  unsafe.Pointer // *uint32: segment 0's readable slots
	aliveKey   unsafe.Pointer // *uint64
	links      unsafe.Pointer // segment 0's list links (uint32 each)
	shard      unsafe.Pointer // the release shard Go's releases use
	texelBytes unsafe.Pointer // [16]uint8
	cold       unsafe.Pointer // segment 0's per-block record pointers
	coldShift  uint32
	coldSize   uintptr
	coldAux    uintptr
}

// Layout facts of GPUREG_FASTPATH_VERSION 2, from the contract header.
const (
	fpVersion       = C.GPUREG_FASTPATH_VERSION
	fpSlotSize      = C.GPUREG_FP_SLOT_SIZE
	fpNativeOffset  = C.GPUREG_FP_NATIVE_OFFSET
	fpInfoOffset    = C.GPUREG_FP_INFO_OFFSET
	fpSegmentSlots  = 1 << C.GPUREG_FP_SEGMENT_SHIFT
	fpRCMask        = C.GPUREG_FP_WORD_RC_MASK
	fpGCBit         = C.GPUREG_FP_WORD_GC_BIT
	fpStateShift    = C.GPUREG_FP_WORD_STATE_SHIFT
	fpStateMask     = C.GPUREG_FP_WORD_STATE_MASK
	fpStateReleased = C.GPUREG_FP_STATE_RELEASED
	fpTypeShift     = C.GPUREG_FP_WORD_TYPE_SHIFT
	fpKeyShift      = C.GPUREG_FP_KEY_SHIFT
	fpAliveKey      = C.GPUREG_FP_ALIVE_KEY
	fpShardCount    = C.GPUREG_FP_SHARD_COUNT
	fpShardBytes    = C.GPUREG_FP_SHARD_BYTES
	fpShardInbox    = C.GPUREG_FP_SHARD_INBOX
	fpDescKindShift = C.GPUREG_FP_DESC_KIND_SHIFT
)

// backendKind is the registry's backend, looked up once at export so the typed resolves
// compare a byte, not a string.
type backendKind uint8

const (
	backendOther backendKind = iota
	backendGL
	backendVulkan
)

func backendOf(name string) backendKind {
	switch name {
	case "gl":
		return backendGL
	case "vulkan":
		return backendVulkan
	}
	return backendOther
}

// fastPathArch: the memory-model argument of the contract holds on these two.
const fastPathArch = runtime.GOARCH == "amd64" || runtime.GOARCH == "arm64"

// newFastPath exports the registry's layout; a registry whose layout this package does not
// know keeps every call in C.
func newFastPath(addr C.uintptr_t) fastPath {
	r := C.gr_fastpath_export(addr)
	if !fastPathArch || r.result != 0 || r.fp.version != fpVersion || r.fp.size != C.sizeof_gpureg_fastpath ||
		r.fp.segment_shift != C.GPUREG_FP_SEGMENT_SHIFT {
		return fastPath{}
	}
	// A release shard of this registry's own for every release Go makes, taken as a C thread
	// takes its shard (the owner drains only the shards handed out so far). One shard keeps
	// releases in the order they were made, as one C thread's are.
	shard := atomic.AddUint32((*uint32)(unsafe.Pointer(r.fp.next_shard)), 1) - 1
	shard %= uint32(r.fp.release_shard_count)
	return fastPath{
		enabled:    true,
		backend:    backendOf(C.GoString(r.backend)),
		slots:      r.fp.segment0_base,
		committed:  unsafe.Pointer(r.fp.segment0_committed),
		aliveKey:   unsafe.Pointer(r.fp.alive_key),
		links:      unsafe.Add(r.fp.segment0_base, uintptr(r.fp.links_offset)),
		shard:      unsafe.Add(r.fp.release_shards, uintptr(shard)*uintptr(r.fp.release_shard_size)),
		texelBytes: unsafe.Pointer(r.fp.texel_bytes),
		cold:       unsafe.Pointer(r.fp.segment0_cold),
		coldShift:  uint32(r.fp.cold_block_shift),
		coldSize:   uintptr(r.fp.cold_record_size),
		coldAux:    uintptr(r.fp.cold_aux_offset),
	}
}

// slot is the state word of h's slot, or nil when the fast path does not read that slot.
func (f *fastPath) slot(h uint64) *uint64 {
	index := uint32(h)
	if !f.enabled || index >= atomic.LoadUint32((*uint32)(f.committed)) { // never above segment 0's size
		return nil
	}
	return (*uint64)(unsafe.Add(f.slots, uintptr(index)*fpSlotSize))
}

// alive is the contract's one-operation test: w holds the ALIVE object h names (key: the
// registry's alive key, or fpAliveKey for releases, which work after device loss).
// h's index is below the committed count (slot), so the bits the test compares above it are the
// handle's own.
func alive(w, h, key uint64) bool { return (w^h^key)>>fpKeyShift == 0 }

// aliveWord: h's state word and its value when it holds the ALIVE object h names, the first
// half of every read; the caller reads what it wants, then re-reads the word (unchanged: the
// value read was h's object's, not a reused slot's).
func (f *fastPath) aliveWord(h uint64) (*uint64, uint64, bool) {
	word := f.slot(h)
	if word == nil {
		return nil, 0, false
	}
	w := atomic.LoadUint64(word)
	return word, w, alive(w, h, atomic.LoadUint64((*uint64)(f.aliveKey)))
}

// resolve: the native of h's ALIVE object (of h's own type: a caller that expects one type
// checks h's first, as wantType does), or false to ask C. Written flat, within Go's inlining
// budget, so that a hit costs the one call TextureNative and its kin make: the committed count
// alone bounds the index (it never exceeds segment 0's size), the native is read before the
// alive test (a value read from a word that turns out not to be h's is dropped), and the re-read
// confirms it.
func (f *fastPath) resolve(h uint64) (uint64, bool) {
	index := uint32(h)
	if !f.enabled || index >= atomic.LoadUint32((*uint32)(f.committed)) {
		return 0, false
	}
	word := (*uint64)(unsafe.Add(f.slots, uintptr(index)*fpSlotSize))
	w := atomic.LoadUint64(word)
	native := atomic.LoadUint64((*uint64)(unsafe.Add(unsafe.Pointer(word), fpNativeOffset)))
	return native, alive(w, h, atomic.LoadUint64((*uint64)(f.aliveKey))) && atomic.LoadUint64(word) == w
}

// wantType: h is of type expected, or expected is 0 (either type).
func wantType(h uint64, expected uint32) bool {
	return uint32(h>>fpTypeShift)&3 == expected || expected == 0
}

// on: this registry's natives are backend's objects and h is of type expected, the test a typed
// call of one backend (GLTexture on GL, VkImage on Vulkan) makes before resolve; on another
// backend the C call answers.
func (f *fastPath) on(backend backendKind, h uint64, expected uint32) bool {
	return f.backend == backend && wantType(h, expected)
}

// vkView: a Vulkan registry's texture's VkImageView, from its per-slot record (aux[0]), read
// between the word and its re-read as the native is; false asks C (no view: UNSUPPORTED).
func (f *fastPath) vkView(h uint64) (uint64, bool) {
	if f.backend != backendVulkan || uint32(h>>fpTypeShift)&3 != uint32(TypeTexture) {
		return 0, false
	}
	word, w, ok := f.aliveWord(h)
	if !ok {
		return 0, false
	}
	index := uint32(h)
	blocks := (*unsafe.Pointer)(unsafe.Add(f.cold, uintptr(index>>f.coldShift)*unsafe.Sizeof(uintptr(0))))
	block := atomic.LoadPointer(blocks)
	if block == nil {
		return 0, false
	}
	record := unsafe.Add(block, uintptr(index&(1<<f.coldShift-1))*f.coldSize)
	view := atomic.LoadUint64((*uint64)(unsafe.Add(record, f.coldAux)))
	return view, view != 0 && atomic.LoadUint64(word) == w
}

// object: the native (GL name, Vulkan handle) and kind of h's ALIVE object of type OBJECT on
// one backend, for GLObject and VkObject. The kind is in the slot's packed desc, which the
// owner stores with the native (after the same release fence, before the word is published),
// so it is read as the native is: after the word, before the re-read. false asks C.
func (f *fastPath) object(backend backendKind, h uint64) (uint64, Kind, bool) {
	if f.backend != backend || uint32(h>>fpTypeShift)&3 != uint32(TypeObject) {
		return 0, 0, false
	}
	word, w, ok := f.aliveWord(h)
	if !ok {
		return 0, 0, false
	}
	native := atomic.LoadUint64((*uint64)(unsafe.Add(unsafe.Pointer(word), fpNativeOffset)))
	desc := atomic.LoadUint64((*uint64)(unsafe.Add(f.slots, fpInfoOffset+uintptr(uint32(h))*16)))
	return native, Kind(desc >> fpDescKindShift), atomic.LoadUint64(word) == w
}

// state: h's object is ALIVE (1) or RELEASED (2) by the word, or 0 to ask C.
func (f *fastPath) state(h uint64) uint32 {
	word := f.slot(h)
	if word == nil {
		return 0
	}
	w := atomic.LoadUint64(word)
	if (w^h)>>32 != 0 {
		return 0 // another generation, type or tag: stale, forged or foreign, as C says
	}
	switch s := uint32(w&fpStateMask) >> fpStateShift; s {
	case 1, fpStateReleased:
		return s
	}
	return 0
}

// retain adds a reference; false asks C (a miss, or the refcount at its limit: OVERFLOW).
func (f *fastPath) retain(h uint64) bool {
	word := f.slot(h)
	if word == nil {
		return false
	}
	key := atomic.LoadUint64((*uint64)(f.aliveKey))
	for w := atomic.LoadUint64(word); alive(w, h, key) && w&fpRCMask < fpRCMask; w = atomic.LoadUint64(word) {
		if atomic.CompareAndSwapUint64(word, w, w+1) {
			return true
		}
	}
	return false
}

// release drops a reference; the release that takes it to zero marks the object RELEASED (gc:
// by a GC cleanup) and queues it for the owner. false asks C.
func (f *fastPath) release(h uint64, gc bool) bool {
	word := f.slot(h)
	if word == nil {
		return false
	}
	for w := atomic.LoadUint64(word); alive(w, h, fpAliveKey); w = atomic.LoadUint64(word) {
		next := w - 1
		last := next&fpRCMask == 0
		if last {
			next = next&^uint64(fpStateMask) | fpStateReleased<<fpStateShift
			if gc {
				next |= fpGCBit
			}
		}
		if atomic.CompareAndSwapUint64(word, w, next) {
			if last {
				f.queue(uint32(h), uint32(h>>fpTypeShift)&3)
			}
			return true
		}
	}
	return false
}

// queue counts the released object of slot index (type t) under its kind and pushes it on the
// release shard of Go's, as the contract's release says.
func (f *fastPath) queue(index, t uint32) {
	shard := f.shard
	desc := atomic.LoadUint64((*uint64)(unsafe.Add(f.slots, fpInfoOffset+uintptr(index)*16)))
	kind := uintptr(t)
	if t == uint32(TypeObject) {
		kind = uintptr(desc >> fpDescKindShift)
	}
	atomic.AddUint64((*uint64)(unsafe.Add(shard, fpShardCount+kind*8)), 1)
	atomic.AddUint64((*uint64)(unsafe.Add(shard, fpShardBytes+kind*8)), f.bytes(t, desc))
	link := (*uint32)(unsafe.Add(f.links, uintptr(index)*4))
	inbox := (*uint32)(unsafe.Add(shard, fpShardInbox))
	for {
		head := atomic.LoadUint32(inbox)
		atomic.StoreUint32(link, head)
		if atomic.CompareAndSwapUint32(inbox, head, index+1) {
			return
		}
	}
}

// bytes of an object from its packed desc, by the contract's formula.
func (f *fastPath) bytes(t uint32, p uint64) uint64 {
	switch t {
	case uint32(TypeBuffer):
		return p & (1<<41 - 1)
	case uint32(TypeObject):
		if p>>fpDescKindShift != uint64(KindRenderbuffer) {
			return 0
		}
		texel := uint64(*(*uint8)(unsafe.Add(f.texelBytes, p>>32&0xF)))
		return (p&0xFFFF + 1) * (p>>16&0xFFFF + 1) * texel << (p >> 36 & 7)
	}
	w, h, layers := p&0xFFFF+1, p>>16&0xFFFF+1, p>>32&0xFFFF+1
	mips := p>>48&0x1F + 1
	texels := uint64(0)
	for m := uint64(0); m < mips; m++ {
		texels += w * h
		w, h = max(w/2, 1), max(h/2, 1)
	}
	texel := uint64(*(*uint8)(unsafe.Add(f.texelBytes, p>>53&0xF)))
	return texels * texel * layers
}
