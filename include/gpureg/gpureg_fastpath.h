/* gpureg_fastpath.h — the fast-path contract: the memory layout that resolve, retain and release
 * read and write, for lock-free readers written in another language (the Go package resolves,
 * retains and releases over it with sync/atomic and no cgo call).
 *
 * ===========================================================================================
 *  CONTRACT (layout version GPUREG_FASTPATH_VERSION)
 * ===========================================================================================
 *
 * What it is
 *   gpureg_fastpath_export fills a gpureg_fastpath with plain values and pointers into the
 *   registry's own memory. The C hot paths (src/core/handles.c, src/core/retire.c) are written
 *   against the macros below and nothing else, so the two sides cannot drift: the layout version
 *   changes whenever a macro or a field changes meaning. A reader checks `version` first and
 *   falls back to the C calls when it does not know it.
 *
 * Where slots are
 *   Slot index i lives in segment i >> segment_shift, at (i & (segment_slots - 1)). Segment 0's
 *   base is `segment0_base`, and its slots [0, *segment0_committed) may be read. Segments 1 and
 *   up are found through `*directory` (NULL until the pool first outgrows segment 0; then an
 *   array of segment_count pointers, each NULL until made) pointing at a segment record whose
 *   base is at offset segment_base_offset and whose committed count (_Atomic uint32_t) is at
 *   segment_committed_offset. Reading any slot outside those committed ranges is forbidden
 *   (the memory may be unmapped). Memory never moves and is never unmapped while the registry
 *   lives: a pointer computed once for an index stays valid.
 *   A slot is GPUREG_FP_SLOT_SIZE bytes at base + (i & mask) * GPUREG_FP_SLOT_SIZE: the state
 *   word (_Atomic uint64_t) at offset 0, the native handle (_Atomic uint64_t) at
 *   GPUREG_FP_NATIVE_OFFSET. The packed desc (_Atomic uint64_t) of slot i is at base +
 *   GPUREG_FP_INFO_OFFSET + (i & mask) * 16; its list link (uint32_t) at base + links_offset +
 *   (i & mask) * 4.
 *
 * The state word
 *   bits  0..25  refcount (GPUREG_FP_WORD_RC_MASK)
 *   bit  26      released by a GC cleanup (GPUREG_FP_WORD_GC_BIT)
 *   bit  27      adopted (GPUREG_FP_WORD_ADOPTED_BIT)
 *   bits 28..29  state: FREE 0, ALIVE 1, RELEASED 2, RETIRED 3
 *   bits 30..31  always 0
 *   bits 32..51  generation, bits 52..53 type, bits 54..63 registry tag: the handle's own bits
 *   So a handle h names the ALIVE object of slot i exactly when
 *       ((word ^ h ^ *alive_key) >> GPUREG_FP_KEY_SHIFT) == 0
 *   with i = (uint32_t)h < 2^28 (bits 28..31 of such a handle are 0): generation, type, tag and
 *   state compared in one operation. *alive_key is GPUREG_FP_ALIVE_KEY while the device works
 *   and GPUREG_FP_ALIVE_KEY | GPUREG_FP_KEY_LOST once it is lost, so resolve and retain then fail
 *   that test (release and queries still work; the C calls say DEVICE_LOST). A handle of index
 *   2^28 or more, or one that fails the test, goes to the C call, which answers precisely.
 *
 * Resolve (any thread, wait-free)
 *   w = load_acquire(word); test it as above; n = load_relaxed(native); acquire fence;
 *   w2 = load_relaxed(word); if w2 == w the answer is n. Otherwise (a retain or release
 *   changed the refcount meanwhile, or the slot was destroyed and reused) ask the C call.
 *   Expected type: the handle's type bits (52..53) must equal it (0 accepts any).
 * Retain (any thread, lock-free)
 *   CAS word from w to w + 1 while w passes the test and rc(w) < GPUREG_FP_WORD_RC_MASK;
 *   on rc == RC_MASK, or a w that stops passing, ask the C call (it answers OVERFLOW or the
 *   handle error).
 * Release (any thread, lock-free; works after device loss: compare with GPUREG_FP_ALIVE_KEY)
 *   CAS word from w to w - 1; when that takes rc to 0 the new word is also given state RELEASED
 *   (and GPUREG_FP_WORD_GC_BIT for a GC cleanup's release). The thread whose CAS took rc to 0,
 *   and only it, then queues the slot: with a shard s (below), bytes b of the object (below) and
 *   kind k (the type for a texture or buffer; p >> GPUREG_FP_DESC_KIND_SHIFT of the packed desc p
 *   for type 3, OBJECT): atomic add 1 to shard.count[k] and b to shard.bytes[k] (relaxed), then push i + 1 on
 *   shard.inbox, a Treiber stack of index + 1 through the link array: store link[i] = head, CAS
 *   inbox from head to i + 1 (release), retry from reading head on failure. The owner thread
 *   takes a whole inbox with one exchange (acquire).
 *   Shards: release_shard_count shards of release_shard_size bytes from release_shards; in each,
 *   inbox (_Atomic uint32_t) at GPUREG_FP_SHARD_INBOX, count[16] and bytes[16] (_Atomic uint64_t,
 *   indexed by kind) at GPUREG_FP_SHARD_COUNT and GPUREG_FP_SHARD_BYTES. The owner drains only
 *   shards below *next_shard: a releaser takes shard s by s = fetch_add(*next_shard, 1) once
 *   (its own, kept for its lifetime) and uses s % release_shard_count. Any shard is correct; one
 *   per thread only keeps releasers off each other's cache lines.
 *   Bytes of an object, from its packed desc p (type t): buffer: p & ((1 << 41) - 1); texture:
 *   w = (p & 0xFFFF) + 1, h = (p >> 16 & 0xFFFF) + 1, layers = (p >> 32 & 0xFFFF) + 1,
 *   mips = (p >> 48 & 0x1F) + 1, texel = texel_bytes[p >> 53 & 0xF]; bytes = layers * texel *
 *   (sum over the mips of w * h, halving each, never below 1). texel_bytes is a 16-byte table.
 *   OBJECT: a renderbuffer (kind 4) has (p & 0xFFFF) + 1 times (p >> 16 & 0xFFFF) + 1 texels of
 *   texel_bytes[p >> 32 & 0xF] bytes, times 1 << (p >> 36 & 7) samples; other kinds 0 bytes.
 *
 * Per-slot records (a Vulkan texture's view)
 *   Slot i's record is in block i >> cold_block_shift of segment 0's block array
 *   (segment0_cold; an _Atomic pointer, NULL when the block was never needed), at
 *   (i & ((1 << cold_block_shift) - 1)) * cold_record_size; its aux[0] (_Atomic uint64_t at
 *   cold_aux_offset) is a Vulkan texture's VkImageView. Written before the slot's word is
 *   published, so it is read as the native is: after the word, before the re-read.
 *
 * Memory model
 *   Every field above that two threads touch is a C11 _Atomic of 4 or 8 bytes, naturally aligned,
 *   accessed by C with atomic_load/store/exchange/compare_exchange at acquire, release, acq_rel
 *   or relaxed order. On amd64 and arm64 such C11 atomics compile to the plain aligned loads and
 *   stores (amd64: mov; arm64: ldar/stlr or ldr/str) and to lock cmpxchg / xchg / lock xadd
 *   (amd64) or ldaxr/stlxr loops or LSE cas/swp/ldadd (arm64), which are atomic with respect to
 *   every other atomic instruction of the machine whoever issues it. Go's sync/atomic operations
 *   are sequentially consistent (the Go memory model: "like C++ seq_cst atomics") and compile to
 *   the same instructions or stronger ones (amd64: xchg for stores; arm64: ldar/stlr and LSE or
 *   exclusive loops), so a Go atomic on one of these words is at least as strong as the C side's
 *   and the two interleave as two C threads would: every acquire/release pairing C relies on
 *   (publish a slot: store word release / load word acquire; inbox push release / drain exchange
 *   acquire) holds with Go on either side. The owner issues a release fence before it stores a
 *   reused slot's new native, so a reader that loads that native and then fences (acquire) is
 *   ordered after the slot's FREE store: its re-read sees the word changed and it misses. This is a property of these
 * two architectures, which the Go package limits its fast path to (build constraint amd64 || arm64); elsewhere it uses
 *   the C calls.
 *   What the Go side must never do: write any field other than the word (through CAS only), a
 *   shard's inbox (CAS only), counts and bytes (atomic add only) and the link of a slot it is
 *   releasing to zero (before its inbox CAS); use a non-atomic access on any shared word; keep a
 *   pointer into these tables as a Go pointer the GC follows (use uintptr arithmetic converted
 *   with unsafe.Pointer only at the access, which checkptr accepts for non-Go memory); touch the
 *   memory after the registry is destroyed (the Go Registry guards Close against in-flight
 *   calls); or read a slot whose index is not below the committed count it just loaded.
 */
#ifndef GPUREG_FASTPATH_H
#define GPUREG_FASTPATH_H

#include <stddef.h>
#include <stdint.h>

#include "gpureg/gpureg.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GPUREG_FASTPATH_VERSION 2u

/* Slots and their arrays. */
#define GPUREG_FP_SLOT_SIZE     16u /* state word, native */
#define GPUREG_FP_NATIVE_OFFSET 8u
#define GPUREG_FP_SEGMENT_SHIFT 20u /* slots per segment: 2^20 */
#define GPUREG_FP_INFO_OFFSET   ((size_t)GPUREG_FP_SLOT_SIZE << GPUREG_FP_SEGMENT_SHIFT)

/* The state word. */
#define GPUREG_FP_WORD_RC_MASK     0x3FFFFFFull /* 2^26 - 1: the most references an object can hold */
#define GPUREG_FP_WORD_GC_BIT      (1ull << 26)
#define GPUREG_FP_WORD_ADOPTED_BIT (1ull << 27)
#define GPUREG_FP_WORD_STATE_SHIFT 28u
#define GPUREG_FP_WORD_STATE_MASK  (3ull << GPUREG_FP_WORD_STATE_SHIFT)
#define GPUREG_FP_STATE_FREE       0u
#define GPUREG_FP_STATE_ALIVE      1u
#define GPUREG_FP_STATE_RELEASED   2u
#define GPUREG_FP_STATE_RETIRED    3u
#define GPUREG_FP_WORD_GEN_SHIFT   32u
#define GPUREG_FP_WORD_GEN_MASK    0xFFFFFull /* after the shift */
#define GPUREG_FP_WORD_TYPE_SHIFT  52u
#define GPUREG_FP_WORD_TAG_SHIFT   54u
/* The one-operation test: ((word ^ handle ^ alive_key) >> KEY_SHIFT) == 0 for an ALIVE object. */
#define GPUREG_FP_KEY_SHIFT 28u
#define GPUREG_FP_ALIVE_KEY ((uint64_t)GPUREG_FP_STATE_ALIVE << GPUREG_FP_WORD_STATE_SHIFT)
#define GPUREG_FP_KEY_LOST  (1ull << 30) /* set in *alive_key once the device is lost */
/* Bits that name "which object, in which state": all but the refcount (the re-read compares these). */
#define GPUREG_FP_WORD_IDENTITY_MASK (~GPUREG_FP_WORD_RC_MASK)

/* A release shard. */
#define GPUREG_FP_SHARD_INBOX 0u
#define GPUREG_FP_SHARD_KINDS 16u  /* entries of count and bytes: kinds 0..15 */
#define GPUREG_FP_SHARD_COUNT 8u   /* _Atomic uint64_t count[GPUREG_FP_SHARD_KINDS] */
#define GPUREG_FP_SHARD_BYTES 136u /* _Atomic uint64_t bytes[GPUREG_FP_SHARD_KINDS] */
/* The kind of an object of type GPUREG_TYPE_OBJECT, from its packed desc: desc >> KIND_SHIFT.
 * (A texture's or buffer's kind is its type.) */
#define GPUREG_FP_DESC_KIND_SHIFT 59u

typedef struct gpureg_fastpath {
    uint32_t version; /* GPUREG_FASTPATH_VERSION */
    uint32_t size;    /* sizeof(gpureg_fastpath) */
    uint32_t tag;     /* this registry's tag (handle bits 54..63) */
    uint32_t segment_shift, segment_count;
    uint32_t segment_base_offset, segment_committed_offset; /* within a segment record */
    uint32_t links_offset;                                  /* within a segment's reservation */
    uint32_t release_shard_count, release_shard_size;
    const volatile uint64_t *alive_key; /* _Atomic uint64_t */
    void *segment0_base;
    const volatile uint32_t *segment0_committed; /* _Atomic uint32_t */
    void *const volatile *directory;             /* _Atomic(segment *_Atomic *) */
    void *release_shards;
    volatile uint32_t *next_shard; /* _Atomic uint32_t */
    const uint8_t *texel_bytes;    /* 16 entries, by packed format */
    /* Per-slot records some objects have (a Vulkan texture's view): segment 0's array of block
     * pointers (_Atomic pointers, one per 2^cold_block_shift slots, NULL until the block exists),
     * each block an array of cold_record_size-byte records whose aux words (_Atomic uint64_t) sit
     * at cold_aux_offset. A Vulkan registry keeps a texture's VkImageView in aux[0] (0: none). */
    void *const volatile *segment0_cold;
    uint32_t cold_block_shift, cold_record_size, cold_aux_offset, reserved;
} gpureg_fastpath;

/* Fill *out with this registry's fast-path layout. Valid until gpureg_destroy.
 * @errors NULL_POINTER (reg, out). @thread_safety any thread. @pointer_lifetime the pointers in
 *   *out point into the registry and die with it. */
GPUREG_API gpureg_result gpureg_fastpath_export(const gpureg_registry *reg, gpureg_fastpath *out);

#ifdef __cplusplus
}
#endif

#endif /* GPUREG_FASTPATH_H */
