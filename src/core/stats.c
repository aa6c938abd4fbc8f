/* stats.c — gpureg_get_stats: the counters, the retire queue, the pool and the message ring as
 * any thread may read them. */
#include "registry.h"

#include "clock.h"
#include "guard.h"
#include "pool.h"
#include "retire.h"
#include "ring.h"

/* Read oldest-written first (destroyed, released, created), so the differences never go negative. */
static gpureg_type_stats read_counters(const gpureg_registry *reg, uint32_t kind) {
    const gpureg__counters *c = &reg->counters[kind];
    uint64_t destroyed = atomic_load_explicit(&c->destroyed, memory_order_acquire);
    uint64_t destroyed_bytes = atomic_load_explicit(&c->destroyed_bytes, memory_order_acquire);
    uint64_t released, released_bytes;
    retire_released(reg, kind, &released, &released_bytes);
    uint64_t created = atomic_load_explicit(&c->created, memory_order_acquire);
    uint64_t created_bytes = atomic_load_explicit(&c->created_bytes, memory_order_acquire);
    return (gpureg_type_stats){
        .live_count = created - released,
        .live_bytes = created_bytes - released_bytes,
        .pending_count = released - destroyed,
        .pending_bytes = released_bytes - destroyed_bytes,
        .created_total = created,
        .destroyed_total = destroyed,
        .live_count_high_water = atomic_load_explicit(&c->live_count_high_water, memory_order_relaxed),
        .live_bytes_high_water = atomic_load_explicit(&c->live_bytes_high_water, memory_order_relaxed),
    };
}

gpureg_result gpureg_get_stats(const gpureg_registry *reg, gpureg_stats *out) {
    if (!reg) return GPUREG_ERR_NULL_POINTER;
    if (!out) return gpureg__fail(reg, GPUREG_ERR_NULL_POINTER, "gpureg_get_stats: out is NULL");
    *out = (gpureg_stats){0};
    for (uint32_t k = 1; k < GPUREG_KIND_COUNT; k++)
        out->by_kind[k] = read_counters(reg, k);
    out->texture = out->by_kind[GPUREG_KIND_TEXTURE];
    out->buffer = out->by_kind[GPUREG_KIND_BUFFER];
    out->frame_serial = registry_frame_serial(reg);
    out->completed_serial = atomic_load_explicit(&reg->completed, memory_order_relaxed);
    uint64_t serial, since;
    retire_oldest(reg, &serial, &since);
    if (since) {
        out->pending_oldest_frames = out->frame_serial > serial ? out->frame_serial - serial : 0;
        uint64_t now = monotonic_ns();
        out->pending_oldest_ns = now > since ? now - since : 0;
    }
    /* Retired slots are never handed out again: they are no capacity. */
    out->slots_retired = atomic_load_explicit(&reg->pool.retired, memory_order_relaxed);
    out->slot_capacity = atomic_load_explicit(&reg->pool.count, memory_order_relaxed) - out->slots_retired;
    out->host_bytes = atomic_load_explicit(&reg->host_bytes, memory_order_relaxed);
    out->host_bytes_os = pool_committed_bytes(&reg->pool);
    uint64_t errors;
    ring_counts(reg->ring, &out->messages_queued, &out->messages_dropped, &errors);
    out->late_callbacks = gpureg__guard_late_total();
    if (reg->ops && reg->ops->stats) reg->ops->stats(reg->backend, out);
    return GPUREG_OK;
}
