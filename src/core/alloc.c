/* alloc.c — host memory through the registry's allocator hooks, counted for stats. */
#include <stdlib.h>

#include "registry.h"

void *gpureg__alloc(gpureg_registry *reg, size_t size) {
    const gpureg_allocator *a = &reg->desc.allocator;
    void *p = a->alloc ? a->alloc(size, a->user) : malloc(size);
    if (p) atomic_fetch_add_explicit(&reg->host_bytes, size, memory_order_relaxed);
    return p;
}

void gpureg__free(gpureg_registry *reg, void *ptr, size_t size) {
    if (!ptr) return;
    const gpureg_allocator *a = &reg->desc.allocator;
    if (a->free)
        a->free(ptr, a->user);
    else
        free(ptr);
    atomic_fetch_sub_explicit(&reg->host_bytes, size, memory_order_relaxed);
}
