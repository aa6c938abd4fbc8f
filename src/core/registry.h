/* registry.h — the registry object every file of the core works on, and the few facts about it
 * that are read everywhere. Not installed. What each part of the core offers the others is in
 * that part's own header (pool.h, retire.h, frames.h, ...); backends see only backend.h. */
#ifndef GPUREG_REGISTRY_H
#define GPUREG_REGISTRY_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "backend.h"
#include "pool.h"
#include "retire.h"
#include "sites.h"
#include "spin.h"

/* Monotonic counts per type, written by the owner only. With the release counts kept by the
 * releasing threads (retire.h): live = created - released, pending = released - destroyed, so a
 * release shows in the stats at once. */
typedef struct gpureg__counters {
    _Atomic uint64_t created, created_bytes;
    _Atomic uint64_t destroyed, destroyed_bytes;
    _Atomic uint64_t live_count_high_water, live_bytes_high_water;
    /* Live as the owner sees it: created minus releases it has drained. The high-water marks
     * follow this, so they cost nothing on create (a release counts once collected). */
    uint64_t owner_live, owner_live_bytes;
} gpureg__counters;

struct gpureg_registry {
    const gpureg__backend_ops *ops;
    void *backend;
    gpureg_registry_desc desc; /* defaults applied; caller pointers inside are callbacks only */
    uint64_t owner;            /* registry_thread_identity() of the owner thread */
    uint32_t tag;              /* registry tag in handles (guard table index + 1) */
    /* Generations at or below the floor were issued by earlier registries with this tag: every
     * slot starts above it, and a handle at or below it is foreign. The high mark is the highest
     * generation this registry issued (owner), handed to the tag's next registry at destroy. */
    uint32_t generation_floor, generation_high;
    /* XOR key of the fast-path test (gpureg_fastpath.h): GPUREG_FP_ALIVE_KEY until the device is
     * lost, then with GPUREG_FP_KEY_LOST too, so resolve and retain need no separate lost check. */
    _Atomic uint64_t alive_key;
    uint64_t guard_token;
    gpureg__ring *ring;

    gpureg__pool pool;
    gpureg__retire retire;
    gpureg__sites sites;

    _Atomic uint64_t creations; /* objects created so far: the next one's number minus 1 (owner writes) */
    _Atomic uint64_t serial;    /* open frame, or last ended when !frame_open */
    _Atomic uint64_t completed; /* last serial seen signalled */
    bool frame_open;
    _Atomic int lost;

    gpureg__counters counters[GPUREG_KIND_COUNT]; /* indexed by gpureg_object_kind (0 unused) */
    _Atomic uint64_t host_bytes;

    gpureg__spin label_lock; /* labels: set from any thread, read by report/get_label */
    /* Label blocks of 32, 64, 128 and 256 bytes the owner freed, kept for its next creates
     * (labels.c): a label then costs no allocator call. Owner thread only. */
    gpureg__spares label_blocks[4];
    pthread_mutex_t staging_lock; /* staging list */
    struct gpureg__staging *staging;
};

/* An identity of the calling thread that no other thread of the process ever has, unlike a
 * pthread_t, which a new thread may get once the old one has exited (errors.c). Never 0. */
uint64_t registry_thread_identity(void);
/* This thread's identity once it has asked for one, else 0: no owner's, since the owner asked
 * when it made its registry. */
extern GPUREG_TLS uint64_t registry_thread_id;

static inline bool reg_is_owner(const gpureg_registry *reg) { return reg->owner == registry_thread_id; }
/* gpureg__check_owner with its answer for the owner inline: the hot paths call it every time. */
static inline gpureg_result reg_check_owner(const gpureg_registry *reg, const char *function) {
    return POOL_LIKELY(reg_is_owner(reg)) ? GPUREG_OK : gpureg__check_owner(reg, function);
}
static inline bool reg_is_lost(const gpureg_registry *reg) {
    return atomic_load_explicit(&reg->lost, memory_order_relaxed) != 0;
}

/* Serial of the open frame (or the last ended one). Any thread. */
static inline uint64_t registry_frame_serial(const gpureg_registry *reg) {
    return atomic_load_explicit(&reg->serial, memory_order_relaxed);
}

#endif /* GPUREG_REGISTRY_H */
