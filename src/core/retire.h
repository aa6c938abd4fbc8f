/* retire.h — deferred destruction: the lock-free release inbox and the retire queue keyed by
 * frame serial. */
#ifndef GPUREG_RETIRE_H
#define GPUREG_RETIRE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "gpureg/gpureg.h"

/* A run of consecutive retire-queue entries that wait for the same frame fence. */
typedef struct gpureg__marker {
    uint64_t serial;
    uint64_t count;
    uint64_t since_ns; /* when the run's first entry was queued */
} gpureg__marker;

/* What a releasing thread writes: an inbox (a Treiber stack of index + 1) and release counts per
 * object kind. Each thread picks one of 8 shards per registry, 320 bytes apart, so threads that
 * release at the same time do not fight over one cache line. */
#define RETIRE_SHARDS 8u
typedef struct gpureg__release_shard {
    _Atomic uint32_t inbox;
    _Atomic uint64_t count[GPUREG_FP_SHARD_KINDS], bytes[GPUREG_FP_SHARD_KINDS]; /* by gpureg_object_kind */
    char apart[56];
} gpureg__release_shard;

typedef struct gpureg__retire {
    char apart[64];                                  /* keeps shard 0 off the line of what precedes it */
    gpureg__release_shard shards[RETIRE_SHARDS];     /* any thread */
    _Atomic uint32_t next_shard;                     /* hands shards out to threads, round robin */
    uint32_t head, tail;                             /* retire queue (index + 1), oldest first; owner thread */
    uint32_t due_head, due_tail;                     /* drained after their fence signalled: due, no run; owner */
    gpureg__marker *markers;                         /* ring of runs, oldest first; owner thread */
    uint32_t marker_cap, marker_head, marker_count;  /* cap: a power of two */
    _Atomic uint64_t oldest_serial, oldest_since_ns; /* published for stats on any thread */
} gpureg__retire;

/* The shards handed out to a thread so far: only they can hold anything (one, for a
 * single-threaded app). */
static inline uint32_t retire_shards_used(const gpureg__retire *r) {
    uint32_t used = atomic_load_explicit(&r->next_shard, memory_order_acquire);
    return used < RETIRE_SHARDS ? used : RETIRE_SHARDS;
}

/* Owner: is anything released and not yet collected (in an inbox, queued or due)? A plain look
 * at a few words, for the create path, which collects only then. */
static inline bool retire_pending(const gpureg__retire *r) {
    if (r->marker_count || r->due_head) return true;
    for (uint32_t i = 0, used = retire_shards_used(r); i < used; i++)
        if (atomic_load_explicit(&r->shards[i].inbox, memory_order_relaxed)) return true;
    return false;
}

struct gpureg_registry;
/* Owner, at registry creation: room for the first runs, so collection never needs memory to start. */
gpureg_result retire_init(struct gpureg_registry *reg);
/* Any thread: count and queue a slot whose refcount just reached 0 (object `kind`, `bytes`).
 * Lock-free, no allocation. */
void retire_push(struct gpureg_registry *reg, uint32_t index, uint32_t kind, uint64_t bytes);
/* Owner: count a release that bypasses the queue (leaked objects destroyed by gpureg_destroy). */
void retire_count(struct gpureg_registry *reg, uint32_t kind, uint64_t bytes);
/* Any thread: objects released so far, and their bytes, of one kind (summed over the shards). */
void retire_released(const struct gpureg_registry *reg, uint32_t kind, uint64_t *count, uint64_t *bytes);
/* Owner: move the inbox into the retire queue, tied to fence `serial` (due at once when that
 * fence is known to have signalled and nothing waits before it). */
void retire_drain(struct gpureg_registry *reg, uint64_t serial);
/* Owner: take every queued object whose serial <= completed (and those due at once) off the
 * queue, oldest first, as a list of slot index + 1 linked through the pool's links and ended
 * by 0; returns its first (0: none is due). The caller destroys them (destroy.h). */
uint32_t retire_take_due(struct gpureg_registry *reg, uint64_t completed);
/* Any thread: serial and queue time of the oldest pending run (0, 0 if none). */
void retire_oldest(const struct gpureg_registry *reg, uint64_t *serial, uint64_t *since_ns);
void retire_free(struct gpureg_registry *reg);

#endif /* GPUREG_RETIRE_H */
