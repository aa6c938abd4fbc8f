/* guard.c — the debug-callback lifetime guard: a process-wide table of tokens.
 *
 * Drivers call debug callbacks on their own threads, sometimes after the owner thought it had
 * unregistered them. So the callback's user data is a token (table index + generation), never a
 * pointer. A callback enters only while the token's entry is open (an in-flight count is raised);
 * teardown marks the entry closing, waits for the in-flight count to reach zero, then bumps the
 * generation, after which every late call with the old token is counted and dropped.
 *
 * This table is the only global state in gpureg. Its index also gives each live registry a
 * distinct handle tag. */
#include <sched.h>

#include "guard.h"
#include "registry.h"

#define GUARD_CAPACITY HANDLE_TAG_MAX /* tags 1..1023 */

/* state: generation (high 32) | open (bit 31) | closing (bit 30) | callbacks in flight (30 bits) */
#define GUARD_OPEN          (1ull << 31)
#define GUARD_CLOSING       (1ull << 30)
#define GUARD_INFLIGHT_MASK (GUARD_CLOSING - 1u)

typedef struct guard_entry {
    _Atomic uint64_t state;
    _Atomic(gpureg__ring *) ring;
    /* The highest handle generation issued by the registries that had this entry's tag. The next
     * registry starts above it, so no handle of theirs can ever name one of its objects. */
    _Atomic uint32_t generation_floor;
} guard_entry;

/* A tag with fewer generations left than this is worn out: its registries would retire slots
 * after only a few reuses each. */
#define GUARD_GENERATIONS_KEPT 65536u

static guard_entry guard_table[GUARD_CAPACITY];
static _Atomic uint32_t guard_cursor; /* round robin, so a closed entry's tag is not reused at once */
static _Atomic uint64_t guard_late;

static uint32_t token_index(uint64_t token) { return (uint32_t)token - 1u; }
static uint64_t token_gen(uint64_t token) { return token >> 32; }

gpureg_result guard_open(gpureg__ring *ring, uint64_t *out_token, uint32_t *out_tag, uint32_t *out_generation_floor) {
    uint32_t start = atomic_fetch_add_explicit(&guard_cursor, 1, memory_order_relaxed);
    for (uint32_t n = 0; n < GUARD_CAPACITY; n++) {
        uint32_t i = (start + n) % GUARD_CAPACITY;
        guard_entry *e = &guard_table[i];
        uint64_t s = atomic_load_explicit(&e->state, memory_order_acquire);
        if (s & (GUARD_OPEN | GUARD_CLOSING)) continue;
        uint64_t gen = (s >> 32) + 1u;
        if (gen > UINT32_MAX) continue; /* entry worn out */
        uint32_t floor = atomic_load_explicit(&e->generation_floor, memory_order_relaxed);
        if (floor > GPUREG_MAX_GENERATION - GUARD_GENERATIONS_KEPT) continue; /* tag worn out */
        uint64_t opened = (gen << 32) | GUARD_OPEN;
        if (!atomic_compare_exchange_strong_explicit(&e->state, &s, opened, memory_order_acq_rel, memory_order_relaxed))
            continue;
        /* No callback can hold the new token before we return it. */
        atomic_store_explicit(&e->ring, ring, memory_order_release);
        atomic_fetch_add_explicit(&guard_cursor, n, memory_order_relaxed);
        *out_token = (gen << 32) | (i + 1u);
        *out_tag = i + 1u;
        *out_generation_floor = floor;
        return GPUREG_OK;
    }
    return GPUREG_ERR_TOO_MANY_REGISTRIES;
}

gpureg__ring *gpureg__guard_enter(uint64_t token) {
    uint32_t i = token_index(token);
    if (i >= GUARD_CAPACITY) {
        atomic_fetch_add_explicit(&guard_late, 1, memory_order_relaxed);
        return NULL;
    }
    guard_entry *e = &guard_table[i];
    uint64_t s = atomic_load_explicit(&e->state, memory_order_acquire);
    for (;;) {
        if ((s >> 32) != token_gen(token) || !(s & GUARD_OPEN) || (s & GUARD_CLOSING) ||
            (s & GUARD_INFLIGHT_MASK) == GUARD_INFLIGHT_MASK) {
            atomic_fetch_add_explicit(&guard_late, 1, memory_order_relaxed);
            return NULL;
        }
        if (atomic_compare_exchange_weak_explicit(&e->state, &s, s + 1u, memory_order_acquire, memory_order_acquire)) {
            gpureg__ring *ring = atomic_load_explicit(&e->ring, memory_order_acquire);
            if (ring) return ring;
            gpureg__guard_leave(token); /* a guessed token of an entry still opening */
            atomic_fetch_add_explicit(&guard_late, 1, memory_order_relaxed);
            return NULL;
        }
    }
}

void gpureg__guard_leave(uint64_t token) {
    uint32_t i = token_index(token);
    if (i < GUARD_CAPACITY) atomic_fetch_sub_explicit(&guard_table[i].state, 1u, memory_order_release);
}

void guard_close(uint64_t token, uint32_t generation_high) {
    uint32_t i = token_index(token);
    if (!token || i >= GUARD_CAPACITY) return;
    guard_entry *e = &guard_table[i];
    uint64_t s = atomic_load_explicit(&e->state, memory_order_acquire);
    while ((s >> 32) == token_gen(token) && (s & GUARD_OPEN) &&
           !atomic_compare_exchange_weak_explicit(&e->state, &s, s | GUARD_CLOSING, memory_order_acq_rel,
                                                  memory_order_acquire)) {
    }
    /* Wait for callbacks already inside to copy their message and leave. They never block. */
    while ((atomic_load_explicit(&e->state, memory_order_acquire) & GUARD_INFLIGHT_MASK) != 0)
        sched_yield();
    atomic_store_explicit(&e->ring, NULL, memory_order_relaxed);
    if (generation_high > atomic_load_explicit(&e->generation_floor, memory_order_relaxed))
        atomic_store_explicit(&e->generation_floor, generation_high, memory_order_relaxed);
    /* Release: the next guard_open of this entry (acquire) sees the floor. */
    atomic_store_explicit(&e->state, token_gen(token) << 32, memory_order_release);
}

uint64_t gpureg__guard_late_total(void) { return atomic_load_explicit(&guard_late, memory_order_relaxed); }
