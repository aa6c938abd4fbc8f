/* pool.h — slot storage: geometric chunks that never move, one packed atomic state word per slot,
 * generations, and a first-in first-out free list. */
#ifndef GPUREG_POOL_H
#define GPUREG_POOL_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "backend.h"

/* Slots live in chunks of 1024 that never move (resolve on other threads keeps reading the same
 * memory). A directory maps index >> 10 to its chunk; when it grows, the old directory is kept
 * until the registry dies, so a reader holding it still finds every chunk it names. One shift and
 * one mask per lookup: measured within ~10% of a flat array, where chunks of doubling size cost a
 * third more (the bit scan lengthens the dependent chain before the slot's cache miss). */
#define POOL_CHUNK_SHIFT 10u
#define POOL_CHUNK_SLOTS (1u << POOL_CHUNK_SHIFT)
#define POOL_CHUNK_MASK  (POOL_CHUNK_SLOTS - 1u)
#define POOL_INDEX_LIMIT 0xFFFFFC00u /* last chunk ends before index 2^32 - 1 */

/* State word: refcount, generation, lifecycle state and type change together in one CAS, so a
 * retain racing with the last release can never revive a slot that was reused meanwhile.
 * Generation and type sit at the same bits as in a handle (gpureg.h), so the fast paths compare a
 * word with a handle by masking, without shifting fields into place. */
#define WORD_RC_BITS     28u
#define WORD_RC_MAX      ((1ull << WORD_RC_BITS) - 1u)
#define WORD_STATE_SHIFT 28u
#define WORD_GC_BIT      (1ull << 30)
#define WORD_ADOPTED_BIT (1ull << 31)
#define WORD_GEN_SHIFT   32u
#define WORD_GEN_MASK    0xFFFFFull
#define WORD_TYPE_SHIFT  52u
/* Bits that identify "which object, in which state" — everything but the refcount. */
#define WORD_IDENTITY_MASK (~WORD_RC_MAX)
/* Generation, state and type: the part one masked compare checks on the fast paths. */
#define WORD_MATCH_MASK ((WORD_GEN_MASK << WORD_GEN_SHIFT) | (3ull << WORD_STATE_SHIFT) | (3ull << WORD_TYPE_SHIFT))

enum { SLOT_FREE = 0, SLOT_ALIVE = 1, SLOT_RELEASED = 2, SLOT_RETIRED = 3 };

static inline uint64_t word_rc(uint64_t w) { return w & WORD_RC_MAX; }
static inline uint32_t word_gen(uint64_t w) { return (uint32_t)((w >> WORD_GEN_SHIFT) & WORD_GEN_MASK); }
static inline uint32_t word_state(uint64_t w) { return (uint32_t)((w >> WORD_STATE_SHIFT) & 3u); }
static inline uint32_t word_type(uint64_t w) { return (uint32_t)((w >> WORD_TYPE_SHIFT) & 3u); }
static inline uint64_t word_make(uint64_t rc, uint32_t gen, uint32_t state, uint32_t type) {
    return rc | ((uint64_t)gen << WORD_GEN_SHIFT) | ((uint64_t)state << WORD_STATE_SHIFT) |
           ((uint64_t)type << WORD_TYPE_SHIFT);
}
static inline uint64_t word_with_state(uint64_t w, uint32_t state) {
    return (w & ~(3ull << WORD_STATE_SHIFT)) | ((uint64_t)state << WORD_STATE_SHIFT);
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

/* The word bits an ALIVE object named by handle h has under WORD_MATCH_MASK: the handle's own
 * generation and type bits, plus the ALIVE state. */
_Static_assert(WORD_GEN_SHIFT == HANDLE_GEN_SHIFT && WORD_TYPE_SHIFT == HANDLE_TYPE_SHIFT,
               "word and handle share the generation and type bits");
static inline uint64_t handle_alive_word(gpureg_handle h) {
    return (h & ((WORD_GEN_MASK << WORD_GEN_SHIFT) | (3ull << WORD_TYPE_SHIFT))) |
           ((uint64_t)SLOT_ALIVE << WORD_STATE_SHIFT);
}

/* What resolve, retain and release touch: 16 bytes at 16-byte steps from a 64-byte aligned
 * chunk, so a slot never straddles a cache line and a million of them (16 MiB) still fit a
 * typical last-level cache — which 32-byte slots did not. */
typedef struct gpureg__slot {
    _Atomic uint64_t word;
    _Atomic uint64_t native;
} gpureg__slot;

/* The rest of a slot, read by queries, reports and the counters: in a parallel array of the
 * same chunk. Fields other threads read are atomics, validated by re-reading `word`. */
typedef struct gpureg__slot_info {
    _Atomic uint64_t desc; /* packed texture or buffer desc (objects.c) */
    _Atomic uint64_t meta; /* site id (low 32) | frame created, saturated (high 32) */
} gpureg__slot_info;

/* Per-slot data only some objects need (labels, adopt callbacks, backend aux), allocated per
 * chunk on first use. A record stays with its slot for the registry's life, so a racing reader
 * of a stale handle never touches freed memory. */
typedef struct gpureg__cold {
    char *label; /* guarded by the registry's label lock */
    gpureg_adopt_destroy_fn destroy;
    void *destroy_user;
    _Atomic uint64_t aux[2];
} gpureg__cold;

#define POOL_ALIGN 64u
typedef struct gpureg__chunk {
    gpureg__slot slots[POOL_CHUNK_SLOTS]; /* first: slot_info finds info[] at a fixed distance */
    gpureg__slot_info info[POOL_CHUNK_SLOTS];
    uint32_t links[POOL_CHUNK_SLOTS]; /* index + 1 in the free list, inbox or retire queue; 0 ends */
    _Atomic(gpureg__cold *) cold;
    void *memory; /* the allocation this chunk was aligned inside */
} gpureg__chunk;

_Static_assert(offsetof(gpureg__chunk, slots) == 0 && sizeof(gpureg__slot) == sizeof(gpureg__slot_info),
               "info[i] lies at one fixed distance from slots[i]");

/* The info record of a slot (same chunk, same position). */
static inline gpureg__slot_info *slot_info(const gpureg__slot *slot) {
    return (gpureg__slot_info *)(void *)((char *)(uintptr_t)slot + offsetof(gpureg__chunk, info));
}

typedef struct gpureg__directory {
    uint32_t capacity; /* chunks it can name */
    struct gpureg__directory *older;
    _Atomic(gpureg__chunk *) chunks[];
} gpureg__directory;

/* The first 1024 chunks (1M slots) are also named inline in the pool, so those slots are found
 * with one dependent load less (no directory between registry and chunk): that load was a
 * quarter of a resolve at 1k live and a fifth at 1M. Costs 8 KiB per registry; the directory
 * still names every chunk, and only it names those beyond. */
#define POOL_NEAR_CHUNKS 1024u

typedef struct gpureg__pool {
    _Atomic(gpureg__chunk *) near[POOL_NEAR_CHUNKS];
    _Atomic(gpureg__directory *) directory;
    _Atomic uint32_t count;        /* slots ever handed out: indices [0, count) exist */
    uint32_t free_head, free_tail; /* index + 1; owner thread only */
    _Atomic uint64_t retired;      /* slots retired for good */
} gpureg__pool;

/* The chunk holding `index`, or NULL. Any thread, wait-free. */
static inline gpureg__chunk *pool_chunk(const gpureg__pool *pool, uint32_t index) {
    uint32_t c = index >> POOL_CHUNK_SHIFT;
#if defined(__GNUC__) || defined(__clang__)
    if (__builtin_expect(c < POOL_NEAR_CHUNKS, 1))
#else
    if (c < POOL_NEAR_CHUNKS)
#endif
        return atomic_load_explicit(&pool->near[c], memory_order_acquire);
    const gpureg__directory *d = atomic_load_explicit(&pool->directory, memory_order_acquire);
    if (!d || c >= d->capacity) return NULL;
    return atomic_load_explicit(&d->chunks[c], memory_order_acquire);
}

/* The slot at `index` if its chunk exists (it may never have been handed out: then it is zero,
 * generation 0 and FREE, which no handle matches). Any thread, wait-free. */
static inline gpureg__slot *pool_slot_any(const gpureg__pool *pool, uint32_t index) {
    gpureg__chunk *chunk = pool_chunk(pool, index);
    return chunk ? &chunk->slots[index & POOL_CHUNK_MASK] : NULL;
}

/* The slot at `index`, or NULL if it was never handed out. Any thread, wait-free. */
static inline gpureg__slot *pool_slot(const gpureg__pool *pool, uint32_t index) {
    if (index >= atomic_load_explicit(&pool->count, memory_order_acquire)) return NULL;
    return pool_slot_any(pool, index);
}

/* The list link of an existing slot. */
static inline uint32_t *pool_link(const gpureg__pool *pool, uint32_t index) {
    return &pool_chunk(pool, index)->links[index & POOL_CHUNK_MASK];
}

/* The cold record of `index`, or NULL if its chunk never needed one. Any thread. */
static inline gpureg__cold *pool_cold(const gpureg__pool *pool, uint32_t index) {
    gpureg__chunk *chunk = pool_chunk(pool, index);
    gpureg__cold *cold = chunk ? atomic_load_explicit(&chunk->cold, memory_order_acquire) : NULL;
    return cold ? &cold[index & POOL_CHUNK_MASK] : NULL;
}

struct gpureg_registry;
/* Owner thread. The index the next take will use, allocating its chunk if needed.
 * OUT_OF_MEMORY or HANDLES_EXHAUSTED on failure (nothing changed). */
gpureg_result pool_reserve(struct gpureg_registry *reg, uint32_t *out_index);
/* Owner thread. Remove the reserved index from the free list (or extend count). */
void pool_take(gpureg__pool *pool, uint32_t index);
/* Owner thread. The slot's object is destroyed: free it for reuse, or retire it when its
 * generation is exhausted. */
void pool_recycle(gpureg__pool *pool, uint32_t index, gpureg__slot *slot);
/* Any thread. The cold record for index, allocating its chunk on first use (NULL: out of memory). */
gpureg__cold *pool_cold_get(struct gpureg_registry *reg, uint32_t index);
/* Owner thread, at destroy. */
void pool_free_all(struct gpureg_registry *reg);

#endif /* GPUREG_POOL_H */
