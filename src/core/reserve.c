/* reserve.c — address space reserved up front and made usable in steps (pool.h says why). */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, MAP_NORESERVE */
#include <sys/mman.h>

#include "registry.h"

/* Read-only and MAP_NORESERVE: the range costs no memory and no commit charge until committed
 * (a private mapping nobody can write is charged nothing), and a read before that sees the
 * kernel's shared zero page: a slot never handed out reads as FREE, generation 0, which no
 * handle matches. That is what lets resolve bound an index by segment 0's size alone, without
 * loading its committed count. */
void *gpureg__reserve(size_t bytes) {
    void *p = mmap(NULL, bytes, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

/* Committed pages read as zero, and take memory only once written. */
int gpureg__commit(void *at, size_t bytes) { return mprotect(at, bytes, PROT_READ | PROT_WRITE) == 0; }

void gpureg__unreserve(void *at, size_t bytes) {
    if (at) munmap(at, bytes);
}
