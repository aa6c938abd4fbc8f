/* stats.c — counters kept by the owner thread, read from any thread. */
#include "registry.h"

/* Counters have one writer, the owner thread, so a load and a store suffice: no locked
 * read-modify-write on the create and destroy paths. Other threads only read them. */
static void add(_Atomic uint64_t *counter, uint64_t delta) {
    atomic_store_explicit(counter, atomic_load_explicit(counter, memory_order_relaxed) + delta, memory_order_relaxed);
}

static void raise_to(_Atomic uint64_t *high, uint64_t value) {
    if (value > atomic_load_explicit(high, memory_order_relaxed)) atomic_store_explicit(high, value, memory_order_relaxed);
}

void counters_created(gpureg_registry *reg, uint32_t type, uint64_t bytes) {
    gpureg__counters *c = &reg->counters[type];
    add(&c->live_count, 1);
    add(&c->live_bytes, bytes);
    add(&c->created_total, 1);
    raise_to(&c->live_count_high_water, atomic_load_explicit(&c->live_count, memory_order_relaxed));
    raise_to(&c->live_bytes_high_water, atomic_load_explicit(&c->live_bytes, memory_order_relaxed));
}

void counters_released(gpureg_registry *reg, uint32_t type, uint64_t bytes) {
    gpureg__counters *c = &reg->counters[type];
    add(&c->live_count, (uint64_t)-1);
    add(&c->live_bytes, (uint64_t)0 - bytes);
    add(&c->pending_count, 1);
    add(&c->pending_bytes, bytes);
}

void counters_destroyed(gpureg_registry *reg, uint32_t type, uint64_t bytes) {
    gpureg__counters *c = &reg->counters[type];
    add(&c->pending_count, (uint64_t)-1);
    add(&c->pending_bytes, (uint64_t)0 - bytes);
    add(&c->destroyed_total, 1);
}

static gpureg_type_stats read_counters(const gpureg__counters *c) {
    return (gpureg_type_stats){
        .live_count = atomic_load_explicit(&c->live_count, memory_order_relaxed),
        .live_bytes = atomic_load_explicit(&c->live_bytes, memory_order_relaxed),
        .pending_count = atomic_load_explicit(&c->pending_count, memory_order_relaxed),
        .pending_bytes = atomic_load_explicit(&c->pending_bytes, memory_order_relaxed),
        .created_total = atomic_load_explicit(&c->created_total, memory_order_relaxed),
        .destroyed_total = atomic_load_explicit(&c->destroyed_total, memory_order_relaxed),
        .live_count_high_water = atomic_load_explicit(&c->live_count_high_water, memory_order_relaxed),
        .live_bytes_high_water = atomic_load_explicit(&c->live_bytes_high_water, memory_order_relaxed),
    };
}

gpureg_result gpureg_get_stats(const gpureg_registry *reg, gpureg_stats *out) {
    if (!reg) return GPUREG_ERR_NULL_POINTER;
    if (!out) return gpureg__fail(reg, GPUREG_ERR_NULL_POINTER, "gpureg_get_stats: out is NULL");
    *out = (gpureg_stats){0};
    out->texture = read_counters(&reg->counters[GPUREG_TYPE_TEXTURE]);
    out->buffer = read_counters(&reg->counters[GPUREG_TYPE_BUFFER]);
    out->frame_serial = gpureg__frame_serial(reg);
    out->completed_serial = atomic_load_explicit(&reg->completed, memory_order_relaxed);
    uint64_t serial, since;
    retire_oldest(reg, &serial, &since);
    if (since) {
        out->pending_oldest_frames = out->frame_serial > serial ? out->frame_serial - serial : 0;
        uint64_t now = monotonic_ns();
        out->pending_oldest_ns = now > since ? now - since : 0;
    }
    out->slot_capacity = atomic_load_explicit(&reg->pool.count, memory_order_relaxed);
    out->slots_retired = atomic_load_explicit(&reg->pool.retired, memory_order_relaxed);
    out->host_bytes = atomic_load_explicit(&reg->host_bytes, memory_order_relaxed);
    uint64_t errors;
    ring_counts(reg->ring, &out->messages_queued, &out->messages_dropped, &errors);
    out->late_callbacks = gpureg__guard_late_total();
    if (reg->ops && reg->ops->stats) reg->ops->stats(reg->backend, out);
    return GPUREG_OK;
}
