/* guard.h — the process-wide guard table behind debug-callback tokens (guard.c). */
#ifndef GPUREG_GUARD_H
#define GPUREG_GUARD_H

#include <stdint.h>

#include "backend.h"

/* Open a guard entry whose callbacks reach `ring`; its token and the registry tag it gives. */
gpureg_result guard_open(gpureg__ring *ring, uint64_t *out_token, uint32_t *out_tag);
/* Close it: later callbacks are dropped; waits for those still inside. */
void guard_close(uint64_t token);

#endif /* GPUREG_GUARD_H */
