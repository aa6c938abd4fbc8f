/* ring.h — the bounded, lock-free debug message ring (ring.c). */
#ifndef GPUREG_RING_H
#define GPUREG_RING_H

#include "registry.h"

gpureg__ring *ring_create(gpureg_registry *reg, uint32_t capacity, const _Atomic uint64_t *serial);
void ring_destroy(gpureg_registry *reg, gpureg__ring *ring);
size_t ring_pop(gpureg__ring *ring, gpureg_message *out, size_t capacity);
void ring_counts(const gpureg__ring *ring, uint64_t *queued, uint64_t *dropped, uint64_t *errors);

#endif /* GPUREG_RING_H */
