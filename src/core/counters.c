/* counters.c — the per-kind counters the owner thread writes on create, collection and destroy
 * (stats.c reads them from any thread). */
#include "counters.h"

/* Counters have one writer, the owner thread, so a load and a store suffice: no locked
 * read-modify-write on the create and destroy paths. Other threads only read them. */
static void add(_Atomic uint64_t *counter, uint64_t delta) {
    atomic_store_explicit(counter, atomic_load_explicit(counter, memory_order_relaxed) + delta, memory_order_relaxed);
}

static void raise_to(_Atomic uint64_t *high, uint64_t value) {
    if (value > atomic_load_explicit(high, memory_order_relaxed))
        atomic_store_explicit(high, value, memory_order_relaxed);
}

void counters_created(gpureg_registry *reg, uint32_t kind, uint64_t bytes) {
    gpureg__counters *c = &reg->counters[kind];
    add(&c->created, 1);
    add(&c->created_bytes, bytes);
    raise_to(&c->live_count_high_water, ++c->owner_live);
    raise_to(&c->live_bytes_high_water, c->owner_live_bytes += bytes);
}

void counters_drained(gpureg_registry *reg, uint32_t kind, uint64_t bytes) {
    gpureg__counters *c = &reg->counters[kind];
    c->owner_live--;
    c->owner_live_bytes -= bytes;
}

void counters_destroyed(gpureg_registry *reg, uint32_t kind, uint64_t bytes) {
    gpureg__counters *c = &reg->counters[kind];
    add(&c->destroyed, 1);
    add(&c->destroyed_bytes, bytes);
}
