/* reserve.c — address space reserved up front and made usable in steps (pool.h says why). */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, MAP_NORESERVE */
#include <sys/mman.h>

#include "registry.h"

/* PROT_NONE and MAP_NORESERVE: the range costs no memory and no commit charge until committed. */
void *gpureg__reserve(size_t bytes) {
    void *p = mmap(NULL, bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

/* Committed pages read as zero, and take memory only once written. */
int gpureg__commit(void *at, size_t bytes) { return mprotect(at, bytes, PROT_READ | PROT_WRITE) == 0; }

void gpureg__unreserve(void *at, size_t bytes) {
    if (at) munmap(at, bytes);
}
