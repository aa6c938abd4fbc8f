/* counters.h — writing the per-kind counters (counters.c). Owner thread only. */
#ifndef GPUREG_COUNTERS_H
#define GPUREG_COUNTERS_H

#include "registry.h"

void counters_created(gpureg_registry *reg, uint32_t kind, uint64_t bytes);
void counters_drained(gpureg_registry *reg, uint32_t kind, uint64_t bytes); /* a release collected */
void counters_destroyed(gpureg_registry *reg, uint32_t kind, uint64_t bytes);

#endif /* GPUREG_COUNTERS_H */
