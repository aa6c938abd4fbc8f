/* registry.h — the registry object shared by the core's files. Not installed. */
#ifndef GPUREG_REGISTRY_H
#define GPUREG_REGISTRY_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "backend.h"
#include "pool.h"
#include "retire.h"
#include "sites.h"

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
    pthread_t owner;
    uint32_t tag; /* registry tag in handles (guard table index + 1) */
    /* The tag resolve and retain accept: `tag` until the device is lost, then one no handle has,
     * so those fast paths need no separate lost check. */
    _Atomic uint32_t usable_tag;
#define USABLE_TAG_LOST 0xFFFFFFFFu /* handle tags have 10 bits */
    uint64_t guard_token;
    gpureg__ring *ring;

    gpureg__pool pool;
    gpureg__retire retire;
    gpureg__sites sites;

    _Atomic uint64_t serial;    /* open frame, or last ended when !frame_open */
    _Atomic uint64_t completed; /* last serial seen signalled */
    bool frame_open;
    _Atomic int lost;

    gpureg__counters counters[3]; /* indexed by gpureg_object_type (0 unused) */
    _Atomic uint64_t host_bytes;

    pthread_mutex_t label_lock;   /* labels: set from any thread, read by report/get_label */
    pthread_mutex_t staging_lock; /* staging list */
    struct gpureg__staging *staging;
};

/* Thread-locals of the library: initial-exec, so that a hot path reads one without a call to
 * __tls_get_addr (the library is linked at start-up, as Mesa links its own TLS). */
#if defined(__GNUC__) || defined(__clang__)
#define GPUREG_TLS _Thread_local __attribute__((tls_model("initial-exec")))
#else
#define GPUREG_TLS _Thread_local
#endif

static inline bool reg_is_owner(const gpureg_registry *reg) { return pthread_equal(reg->owner, pthread_self()); }
static inline bool reg_is_lost(const gpureg_registry *reg) {
    return atomic_load_explicit(&reg->lost, memory_order_relaxed) != 0;
}

/* Classify a handle for this registry without touching a slot: OK or INVALID/FOREIGN/WRONG_TYPE. */
gpureg_result handle_check_bits(const gpureg_registry *reg, gpureg_handle h, gpureg_object_type expected);
/* Classify a handle against its slot's word: OK (alive) or the handle error. */
gpureg_result handle_check_word(gpureg_handle h, uint64_t word);
/* The slot of a handle whose bits check out (NULL: never issued). */
gpureg__slot *handle_slot(const gpureg_registry *reg, gpureg_handle h);

/* The handle a backend op is working on in this thread (see gpureg__current_handle); set right
 * before the op, cleared right after, so a message never names an object it is not about. */
extern GPUREG_TLS gpureg_handle registry_current_handle;

/* Bytes per texel by format value (errors.c); 16 entries, so any 4-bit packed format indexes it.
 * The public gpureg_format_texel_bytes reads it too. */
extern const uint8_t registry_texel_bytes[16];

/* Objects (objects.c). */
uint64_t object_bytes(uint32_t type, uint64_t packed_desc);
void object_unpack(uint32_t type, uint64_t packed_desc, gpureg_texture_desc *tex, gpureg_buffer_desc *buf);
void object_destroy(gpureg_registry *reg, uint32_t index); /* owner: backend/adopt destroy + recycle */
void object_driver_name(const gpureg_registry *reg, gpureg_handle h, const char *label, uint32_t site, char *buf,
                        size_t cap);

/* Counters (stats.c). */
void counters_created(gpureg_registry *reg, uint32_t type, uint64_t bytes);
void counters_drained(gpureg_registry *reg, uint32_t type, uint64_t bytes); /* owner: a release collected */
uint64_t counters_live(const gpureg_registry *reg);
void counters_destroyed(gpureg_registry *reg, uint32_t type, uint64_t bytes);

/* Collection (frames.c): drain the inbox with the current tag, poll fences, destroy what finished. */
enum { COLLECT_IF_PENDING = 0, COLLECT_POLL = 1 };
gpureg_result registry_collect(gpureg_registry *reg, uint32_t *out_destroyed, int poll);
uint64_t monotonic_ns(void);

/* Guard internals (guard.c / ring.c). */
gpureg_result guard_open(gpureg__ring *ring, uint64_t *out_token, uint32_t *out_tag);
void guard_close(uint64_t token);
gpureg__ring *ring_create(gpureg_registry *reg, uint32_t capacity, const _Atomic uint64_t *serial);
void ring_destroy(gpureg_registry *reg, gpureg__ring *ring);
size_t ring_pop(gpureg__ring *ring, gpureg_message *out, size_t capacity);
void ring_counts(const gpureg__ring *ring, uint64_t *queued, uint64_t *dropped, uint64_t *errors);

void staging_free_all(gpureg_registry *reg);

/* Report (report.c): print the leak report as the desc and environment say; returns live count. */
int report_at_destroy(gpureg_registry *reg);

#endif /* GPUREG_REGISTRY_H */
