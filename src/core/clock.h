/* clock.h — the clock that dates pending destructions. */
#ifndef GPUREG_CLOCK_H
#define GPUREG_CLOCK_H

#include <stdint.h>
#include <time.h>

/* Ages of pending entries only: the coarse clock (a few ms resolution) costs a fifth of the
 * precise one, and a release-to-destroy cycle stamps one marker. */
static inline uint64_t monotonic_ns(void) {
    struct timespec ts;
#ifdef CLOCK_MONOTONIC_COARSE
    clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
#else
    clock_gettime(CLOCK_MONOTONIC, &ts);
#endif
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

#endif /* GPUREG_CLOCK_H */
