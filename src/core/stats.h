/* stats.h — reading the counters (stats.c). Any thread. */
#ifndef GPUREG_STATS_H
#define GPUREG_STATS_H

#include "registry.h"

/* Objects alive (created and not released), all types. */
uint64_t stats_live_count(const gpureg_registry *reg);

#endif /* GPUREG_STATS_H */
