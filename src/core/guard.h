/* guard.h — the process-wide guard table behind debug-callback tokens (guard.c). */
#ifndef GPUREG_GUARD_H
#define GPUREG_GUARD_H

#include <stdint.h>

#include "backend.h"

/* Open a guard entry whose callbacks reach `ring`: its token, the registry tag it gives, and the
 * highest handle generation earlier registries with that tag issued (the new registry's handles
 * must stay above it). TOO_MANY_REGISTRIES when no entry is free or every free tag is worn out. */
gpureg_result guard_open(gpureg__ring *ring, uint64_t *out_token, uint32_t *out_tag, uint32_t *out_generation_floor);
/* Close it: later callbacks are dropped; waits for those still inside. generation_high is the
 * highest handle generation the closing registry issued (0 if it issued none). */
void guard_close(uint64_t token, uint32_t generation_high);

#endif /* GPUREG_GUARD_H */
