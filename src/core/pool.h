/* pool.h — slot storage: segments of address space that never move, one packed atomic state word
 * per slot, generations, and a first-in first-out free list. */
#ifndef GPUREG_POOL_H
#define GPUREG_POOL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backend.h"
#include "gpureg/gpureg_fastpath.h"

/* Slots live in segments of 2^20 (one million). A segment is one range of address space
 * reserved from the OS and committed a block at a time as the pool grows, so nothing ever moves
 * (resolve on other threads keeps reading the same memory) and a segment's slots are one
 * contiguous array, as a bare array's are. Chunks of 1024 {slots, info, links} from the allocator
 * spread the hot 16 bytes over more than twice the address range and put a chunk-table load
 * before each slot: at a million live handles retain + release went from 1.60-1.76x the bare
 * array to 1.53-1.63x without them. The first segment's base sits in the pool itself; the others
 * are found through a directory made when the pool first outgrows it. */
#define POOL_SEGMENT_SHIFT GPUREG_FP_SEGMENT_SHIFT
#define POOL_SEGMENT_SLOTS (1u << POOL_SEGMENT_SHIFT)
#define POOL_SEGMENT_MASK  (POOL_SEGMENT_SLOTS - 1u)
#define POOL_SEGMENTS      (1u << (32u - POOL_SEGMENT_SHIFT))
#define POOL_BLOCK_SHIFT   10u /* cold records come per block of 1024 slots */
#define POOL_BLOCK_SLOTS   (1u << POOL_BLOCK_SHIFT)
#define POOL_INDEX_LIMIT   0xFFFFFC00u /* the last block ends before index 2^32 - 1 */

/* State word: refcount, generation, lifecycle state, type and registry tag change together in
 * one CAS, so a retain racing with the last release can never revive a slot that was reused
 * meanwhile. Its layout is the public fast-path contract (gpureg_fastpath.h), which the C hot
 * paths use as it is: generation, type and tag sit at the handle's own bits and the state right
 * below, so one XOR and one shift compare a word with a handle. */
#define WORD_RC_MAX        GPUREG_FP_WORD_RC_MASK
#define WORD_STATE_SHIFT   GPUREG_FP_WORD_STATE_SHIFT
#define WORD_GC_BIT        GPUREG_FP_WORD_GC_BIT
#define WORD_ADOPTED_BIT   GPUREG_FP_WORD_ADOPTED_BIT
#define WORD_GEN_SHIFT     GPUREG_FP_WORD_GEN_SHIFT
#define WORD_GEN_MASK      GPUREG_FP_WORD_GEN_MASK
#define WORD_TYPE_SHIFT    GPUREG_FP_WORD_TYPE_SHIFT
#define WORD_TAG_SHIFT     GPUREG_FP_WORD_TAG_SHIFT
#define WORD_IDENTITY_MASK GPUREG_FP_WORD_IDENTITY_MASK

enum {
    SLOT_FREE = GPUREG_FP_STATE_FREE,
    SLOT_ALIVE = GPUREG_FP_STATE_ALIVE,
    SLOT_RELEASED = GPUREG_FP_STATE_RELEASED,
    SLOT_RETIRED = GPUREG_FP_STATE_RETIRED
};

static inline uint64_t word_rc(uint64_t w) { return w & WORD_RC_MAX; }
static inline uint32_t word_gen(uint64_t w) { return (uint32_t)((w >> WORD_GEN_SHIFT) & WORD_GEN_MASK); }
static inline uint32_t word_state(uint64_t w) { return (uint32_t)((w >> WORD_STATE_SHIFT) & 3u); }
static inline uint32_t word_type(uint64_t w) { return (uint32_t)((w >> WORD_TYPE_SHIFT) & 3u); }
static inline uint64_t word_make(uint64_t rc, uint32_t gen, uint32_t state, uint32_t type, uint32_t tag) {
    return rc | ((uint64_t)gen << WORD_GEN_SHIFT) | ((uint64_t)state << WORD_STATE_SHIFT) |
           ((uint64_t)type << WORD_TYPE_SHIFT) | ((uint64_t)tag << WORD_TAG_SHIFT);
}
static inline uint64_t word_with_state(uint64_t w, uint32_t state) {
    return (w & ~(3ull << WORD_STATE_SHIFT)) | ((uint64_t)state << WORD_STATE_SHIFT);
}
/* Does word w hold the ALIVE object handle h names? key is GPUREG_FP_ALIVE_KEY, or the
 * registry's alive_key (which fails every word once the device is lost). Exact for indices
 * below 2^28; for larger ones it answers false and the caller asks word_names_alive. */
static inline bool word_is_alive_for(uint64_t w, gpureg_handle h, uint64_t key) {
    return ((w ^ h ^ key) >> GPUREG_FP_KEY_SHIFT) == 0;
}
/* The same test for any index: generation, type, tag and state, ignoring the index bits. */
static inline bool word_names_alive(uint64_t w, gpureg_handle h) {
    return ((w ^ h) >> WORD_GEN_SHIFT) == 0 && word_state(w) == SLOT_ALIVE;
}

/* Handle layout (documented in gpureg.h). */
#define HANDLE_GEN_SHIFT  32u
#define HANDLE_TYPE_SHIFT 52u
#define HANDLE_TAG_SHIFT  54u
#define HANDLE_TAG_MAX    1023u
static inline uint32_t handle_index(gpureg_handle h) { return (uint32_t)h; }
static inline uint32_t handle_gen(gpureg_handle h) { return (uint32_t)((h >> HANDLE_GEN_SHIFT) & 0xFFFFFu); }
static inline uint32_t handle_type(gpureg_handle h) { return (uint32_t)((h >> HANDLE_TYPE_SHIFT) & 3u); }
static inline uint32_t handle_tag(gpureg_handle h) { return (uint32_t)(h >> HANDLE_TAG_SHIFT); }
static inline gpureg_handle handle_make(uint32_t index, uint32_t gen, uint32_t type, uint32_t tag) {
    return (uint64_t)index | ((uint64_t)gen << HANDLE_GEN_SHIFT) | ((uint64_t)type << HANDLE_TYPE_SHIFT) |
           ((uint64_t)tag << HANDLE_TAG_SHIFT);
}

_Static_assert(WORD_GEN_SHIFT == HANDLE_GEN_SHIFT && WORD_TYPE_SHIFT == HANDLE_TYPE_SHIFT &&
                   WORD_TAG_SHIFT == HANDLE_TAG_SHIFT,
               "word and handle share the generation, type and tag bits");

/* What resolve, retain and release touch: 16 bytes at 16-byte steps from a page-aligned
 * segment, so a slot never straddles a cache line and a million of them (16 MiB) still fit a
 * typical last-level cache — which 32-byte slots did not. */
typedef struct gpureg__slot {
    _Atomic uint64_t word;
    _Atomic uint64_t native;
} gpureg__slot;
_Static_assert(sizeof(gpureg__slot) == GPUREG_FP_SLOT_SIZE && offsetof(gpureg__slot, native) == GPUREG_FP_NATIVE_OFFSET,
               "the slot is laid out as the fast-path contract says");

/* The rest of a slot, read by queries, reports and the counters: in a parallel array of the
 * same segment. Fields other threads read are atomics, validated by re-reading `word`. */
typedef struct gpureg__slot_info {
    _Atomic uint64_t desc; /* packed texture or buffer desc (objects.c) */
    _Atomic uint64_t meta; /* site id (low 32) | frame created, saturated (high 32) */
} gpureg__slot_info;

/* A slot's order word, in an array of its own (pool_order): the creation number of its object in
 * the registry (ORDER_NUMBER_MASK; checkpoints compare numbers) | ORDER_EXPECTED, set for an
 * object expected to live until shutdown (never counted as a leak). Read by reports only. */
#define ORDER_EXPECTED    (1ull << 63)
#define ORDER_NUMBER_MASK (ORDER_EXPECTED - 1u)

/* Per-slot data only some objects need (labels, adopt callbacks, backend aux), allocated per
 * block on first use. A record stays with its slot for the registry's life, so a racing reader
 * of a stale handle never touches freed memory. */
typedef struct gpureg__cold {
    char *label; /* guarded by the registry's label lock */
    gpureg_adopt_destroy_fn destroy;
    void *destroy_user;
    _Atomic uint64_t aux[2];
    /* Dependents (depend.c; owner thread writes, queries read): the parent this object waits
     * for (0: none), and the released dependents waiting for this one (index + 1 lists). */
    _Atomic uint64_t parent;
    uint32_t waiting, waiting_next;
    _Atomic uint32_t sampler; /* a texture's packed sampling state (object_pack_sampler) */
    /* Owner thread only: this object's dependents that exist and are not on its waiting list
     * yet (alive, or released before their fence), and whether it is released and due but held
     * back until they are. */
    uint32_t dependents : 31;
    uint32_t held : 1;
} gpureg__cold;

/* A segment's reservation: its slots, then their info records, their order words and their list
 * links (index + 1 of the next entry in the free list, inbox or retire queue; 0 ends), each an
 * array over the whole segment, so every slot's info is at one fixed distance from it. */
#define POOL_INFO_OFFSET   GPUREG_FP_INFO_OFFSET
#define POOL_ORDER_OFFSET  (POOL_INFO_OFFSET + (size_t)POOL_SEGMENT_SLOTS * sizeof(gpureg__slot_info))
#define POOL_LINKS_OFFSET  (POOL_ORDER_OFFSET + (size_t)POOL_SEGMENT_SLOTS * sizeof(uint64_t))
#define POOL_SEGMENT_BYTES (POOL_LINKS_OFFSET + (size_t)POOL_SEGMENT_SLOTS * sizeof(uint32_t))
/* Host memory a committed slot stands for (reported in host_bytes). */
#define POOL_SLOT_BYTES (sizeof(gpureg__slot) + sizeof(gpureg__slot_info) + sizeof(uint64_t) + sizeof(uint32_t))

static inline gpureg__slot_info *slot_info(const gpureg__slot *slot) {
    return (gpureg__slot_info *)(void *)((char *)(uintptr_t)slot + POOL_INFO_OFFSET);
}

typedef struct gpureg__segment {
    unsigned char *base;        /* POOL_SEGMENT_BYTES reserved */
    _Atomic uint32_t committed; /* slots readable from the start of each array; grows, owner writes */
    _Atomic(gpureg__cold *) cold[POOL_SEGMENT_SLOTS >> POOL_BLOCK_SHIFT];
} gpureg__segment;

typedef struct gpureg__pool {
    /* First, the fields every resolve, retain and release read (the directory for slots beyond
     * segment 0): they share a cache line with the registry's tag, which nothing writes either;
     * the fields the owner writes on every create sit 8 KiB further on. */
    _Atomic(_Atomic(gpureg__segment *) *) directory; /* segments 1 and up (POOL_SEGMENTS entries),
                                                        made when the pool first outgrows segment 0 */
    gpureg__segment segment0;
    uint32_t commit_step;          /* slots per commit: 1024, more where pages exceed 4 KiB */
    _Atomic uint32_t count;        /* slots ever handed out: indices [0, count) exist */
    uint32_t free_head, free_tail; /* index + 1; owner thread only */
    _Atomic uint64_t retired;      /* slots retired for good */
} gpureg__pool;

#if defined(__GNUC__) || defined(__clang__)
#define POOL_LIKELY(x) __builtin_expect(!!(x), 1)
#else
#define POOL_LIKELY(x) (x)
#endif

/* The segment holding `index`, or NULL if it was never made. Any thread, wait-free. */
static inline const gpureg__segment *pool_segment(const gpureg__pool *pool, uint32_t index) {
    uint32_t s = index >> POOL_SEGMENT_SHIFT;
    if (POOL_LIKELY(s == 0)) return &pool->segment0;
    _Atomic(gpureg__segment *) *d = atomic_load_explicit(&pool->directory, memory_order_acquire);
    return d ? atomic_load_explicit(&d[s], memory_order_acquire) : NULL;
}

static inline gpureg__slot *segment_slot(const gpureg__segment *seg, uint32_t index) {
    return (gpureg__slot *)(void *)(seg->base + (size_t)(index & POOL_SEGMENT_MASK) * sizeof(gpureg__slot));
}

/* Segment 0's slots readable now (its committed count never exceeds its size, so one compare
 * with it also says the index is in segment 0). Any thread. */
static inline uint32_t pool_first_readable(const gpureg__pool *pool) {
    return atomic_load_explicit(&pool->segment0.committed, memory_order_acquire);
}

/* The slot at an index below pool_first_readable: an add, no check. */
static inline gpureg__slot *pool_first_slot(const gpureg__pool *pool, uint32_t index) {
    return (gpureg__slot *)(void *)pool->segment0.base + index;
}

/* The slot at an index from pool_first_readable on if its memory may be read, else NULL (a
 * slot never handed out reads as zero: generation 0 and FREE, which no handle matches). */
static inline gpureg__slot *pool_slot_beyond(const gpureg__pool *pool, uint32_t index) {
    if (index < POOL_SEGMENT_SLOTS) return NULL;
    const gpureg__segment *seg = pool_segment(pool, index);
    if (!seg || (index & POOL_SEGMENT_MASK) >= atomic_load_explicit(&seg->committed, memory_order_acquire)) return NULL;
    return segment_slot(seg, index);
}

/* The slot of an index the pool has handed out, or the owner reserved (pool_reserve) and is
 * about to take: its segment exists and its memory is committed. */
static inline gpureg__slot *pool_slot_reserved(const gpureg__pool *pool, uint32_t index) {
    return segment_slot(pool_segment(pool, index), index);
}

/* The slot at `index`, or NULL if it was never handed out (its memory may not be committed).
 * Any thread, wait-free. */
static inline gpureg__slot *pool_slot(const gpureg__pool *pool, uint32_t index) {
    if (index >= atomic_load_explicit(&pool->count, memory_order_acquire)) return NULL;
    return pool_slot_reserved(pool, index);
}

/* A slot's parts in its segment (pool_segment): the paths that touch several parts of one slot
 * (create, collection, destroy) find the segment once. */
static inline uint32_t *segment_link(const gpureg__segment *seg, uint32_t index) {
    return (uint32_t *)(void *)(seg->base + POOL_LINKS_OFFSET + (size_t)(index & POOL_SEGMENT_MASK) * sizeof(uint32_t));
}
static inline _Atomic uint64_t *segment_order(const gpureg__segment *seg, uint32_t index) {
    return (_Atomic uint64_t *)(void *)(seg->base + POOL_ORDER_OFFSET +
                                        (size_t)(index & POOL_SEGMENT_MASK) * sizeof(uint64_t));
}
/* The cold record, or NULL if its block never needed one. */
static inline gpureg__cold *segment_cold(const gpureg__segment *seg, uint32_t index) {
    gpureg__cold *cold =
        atomic_load_explicit(&seg->cold[(index & POOL_SEGMENT_MASK) >> POOL_BLOCK_SHIFT], memory_order_acquire);
    return cold ? &cold[index & (POOL_BLOCK_SLOTS - 1u)] : NULL;
}

/* The list link of an existing slot. */
static inline uint32_t *pool_link(const gpureg__pool *pool, uint32_t index) {
    return segment_link(pool_segment(pool, index), index);
}

/* The order word (creation number | ORDER_EXPECTED) of an existing slot. */
static inline _Atomic uint64_t *pool_order(const gpureg__pool *pool, uint32_t index) {
    return segment_order(pool_segment(pool, index), index);
}

/* The cold record of `index`, or NULL if its block never needed one. Any thread. */
static inline gpureg__cold *pool_cold(const gpureg__pool *pool, uint32_t index) {
    if (index >= atomic_load_explicit(&pool->count, memory_order_acquire)) return NULL;
    return segment_cold(pool_segment(pool, index), index);
}

/* pool_cold for an index below pool_first_readable, whose record block is found in segment 0
 * without the checks. */
static inline gpureg__cold *pool_first_cold(const gpureg__pool *pool, uint32_t index) {
    return segment_cold(&pool->segment0, index);
}

struct gpureg_registry;
/* At registry creation: reserve segment 0. OUT_OF_MEMORY when the OS refuses. */
gpureg_result pool_init(struct gpureg_registry *reg);
/* Owner thread. The index the next take will use, committing its block (and making its
 * segment) if needed.
 * OUT_OF_MEMORY or HANDLES_EXHAUSTED on failure (nothing changed). */
gpureg_result pool_reserve(struct gpureg_registry *reg, uint32_t *out_index);
/* Owner thread. The free list's first index, the one pool_reserve would answer, without a
 * call: false when the list is empty (then pool_reserve extends the pool). */
static inline bool pool_next_free(const gpureg__pool *pool, uint32_t *out_index) {
    *out_index = pool->free_head - 1u;
    return pool->free_head != 0;
}
/* Owner thread. Remove the reserved index from the free list (or extend count). Inline, as
 * pool_recycle: once per create and destroy. */
static inline void pool_take(gpureg__pool *pool, uint32_t index) {
    if (pool->free_head == index + 1u) {
        uint32_t *link = pool_link(pool, index);
        pool->free_head = *link;
        if (!pool->free_head) pool->free_tail = 0;
        *link = 0;
    } else {
        atomic_store_explicit(&pool->count, index + 1u, memory_order_release);
    }
}
/* Owner thread. The slot's object is destroyed: free it for reuse, or retire it when its
 * generation is exhausted. */
static inline void pool_recycle(gpureg__pool *pool, uint32_t index, gpureg__slot *slot) {
    uint64_t w = atomic_load_explicit(&slot->word, memory_order_relaxed);
    uint32_t gen = word_gen(w);
    uint32_t type = word_type(w);
    if (gen >= GPUREG_MAX_GENERATION) {
        /* No generation left: reusing the slot would let an old handle alias a new object. */
        atomic_store_explicit(&slot->word, word_make(0, gen, SLOT_RETIRED, type, 0), memory_order_release);
        atomic_fetch_add_explicit(&pool->retired, 1, memory_order_relaxed);
        return;
    }
    atomic_store_explicit(&slot->word, word_make(0, gen, SLOT_FREE, type, 0), memory_order_release);
    *pool_link(pool, index) = 0;
    if (pool->free_tail)
        *pool_link(pool, pool->free_tail - 1u) = index + 1u;
    else
        pool->free_head = index + 1u;
    pool->free_tail = index + 1u;
}
/* Any thread, for an index handed out or reserved. Its cold record, allocating its block's on
 * first use (NULL: out of memory). */
gpureg__cold *pool_cold_get(struct gpureg_registry *reg, uint32_t index);
/* Bytes of slot tables committed (part of host_bytes). Any thread; exact on the owner's. */
uint64_t pool_committed_bytes(const gpureg__pool *pool);
/* Owner thread, at destroy (also after a failed or skipped pool_init). */
void pool_free_all(struct gpureg_registry *reg);

/* Address space from the OS (reserve.c), outside the allocator hooks: an allocator cannot hand
 * out address space without memory. Reserve a range (NULL on failure), commit page-aligned
 * parts of it (0 on failure), give it back. */
void *gpureg__reserve(size_t bytes);
int gpureg__commit(void *at, size_t bytes);
void gpureg__unreserve(void *at, size_t bytes);

#endif /* GPUREG_POOL_H */
