/* retire.h — deferred destruction: the lock-free release inbox and the retire queue keyed by
 * frame serial. */
#ifndef GPUREG_RETIRE_H
#define GPUREG_RETIRE_H

#include <stdatomic.h>
#include <stdint.h>

#include "gpureg/gpureg.h"

/* A run of consecutive retire-queue entries that wait for the same frame fence. */
typedef struct gpureg__marker {
    uint64_t serial;
    uint64_t count;
    uint64_t since_ns; /* when the run's first entry was queued */
} gpureg__marker;

typedef struct gpureg__retire {
    _Atomic uint32_t inbox;  /* index + 1 of the last released slot (a Treiber stack); any thread */
    uint32_t head, tail;     /* retire queue (index + 1), oldest first; owner thread */
    gpureg__marker *markers; /* ring of runs, oldest first; owner thread */
    uint32_t marker_cap, marker_head, marker_count;
    _Atomic uint64_t oldest_serial, oldest_since_ns; /* published for stats on any thread */
} gpureg__retire;

struct gpureg_registry;
/* Owner, at registry creation: room for the first runs, so collection never needs memory to start. */
gpureg_result retire_init(struct gpureg_registry *reg);
/* Any thread: queue a slot whose refcount just reached 0. Lock-free, no allocation. */
void retire_push(struct gpureg_registry *reg, uint32_t index);
/* Owner: move the inbox into the retire queue, tied to fence `serial`. */
void retire_drain(struct gpureg_registry *reg, uint64_t serial);
/* Owner: destroy queued objects whose serial <= completed. Returns how many. */
uint32_t retire_collect(struct gpureg_registry *reg, uint64_t completed);
/* Any thread: serial and queue time of the oldest pending run (0, 0 if none). */
void retire_oldest(const struct gpureg_registry *reg, uint64_t *serial, uint64_t *since_ns);
void retire_free(struct gpureg_registry *reg);

#endif /* GPUREG_RETIRE_H */
