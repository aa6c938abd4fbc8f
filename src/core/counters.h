/* counters.h — writing the per-kind counters the owner thread keeps on create, collection and
 * destroy (stats.c reads them from any thread). Owner thread only. */
#ifndef GPUREG_COUNTERS_H
#define GPUREG_COUNTERS_H

#include "registry.h"

/* Counters have one writer, the owner thread, so a load and a store suffice: no locked
 * read-modify-write on the create and destroy paths. Other threads only read them. Inline:
 * each create, collection and destroy counts. */
static inline void counters_add(_Atomic uint64_t *counter, uint64_t delta) {
    atomic_store_explicit(counter, atomic_load_explicit(counter, memory_order_relaxed) + delta, memory_order_relaxed);
}

static inline void counters_raise_to(_Atomic uint64_t *high, uint64_t value) {
    if (value > atomic_load_explicit(high, memory_order_relaxed))
        atomic_store_explicit(high, value, memory_order_relaxed);
}

static inline void counters_created(gpureg_registry *reg, uint32_t kind, uint64_t bytes) {
    gpureg__counters *c = &reg->counters[kind];
    counters_add(&c->created, 1);
    counters_add(&c->created_bytes, bytes);
    counters_raise_to(&c->live_count_high_water, ++c->owner_live);
    counters_raise_to(&c->live_bytes_high_water, c->owner_live_bytes += bytes);
}

/* A release collected. */
static inline void counters_drained(gpureg_registry *reg, uint32_t kind, uint64_t bytes) {
    gpureg__counters *c = &reg->counters[kind];
    c->owner_live--;
    c->owner_live_bytes -= bytes;
}

static inline void counters_destroyed(gpureg_registry *reg, uint32_t kind, uint64_t bytes) {
    gpureg__counters *c = &reg->counters[kind];
    counters_add(&c->destroyed, 1);
    counters_add(&c->destroyed_bytes, bytes);
}

#endif /* GPUREG_COUNTERS_H */
