/* pool.c — segments, generations and the FIFO free list. */
#include <string.h>
#include <unistd.h>

#include "registry.h"

static gpureg_result segment_init(gpureg__segment *seg) {
    memset(seg, 0, sizeof *seg);
    seg->base = gpureg__reserve(POOL_SEGMENT_BYTES);
    return seg->base ? GPUREG_OK : GPUREG_ERR_OUT_OF_MEMORY;
}

gpureg_result pool_init(gpureg_registry *reg) {
    /* Every array's committed part must end on a page boundary: the links array (4 bytes a
     * slot) needs the most slots for that. */
    long page = sysconf(_SC_PAGESIZE);
    size_t step = POOL_BLOCK_SLOTS;
    while (page > 0 && step * sizeof(uint32_t) % (size_t)page)
        step *= 2u;
    reg->pool.commit_step = (uint32_t)step;
    return segment_init(&reg->pool.segment0);
}

/* Make the next commit_step slots of a segment usable: its slots, infos, orders and links at once. */
static gpureg_result segment_grow(gpureg_registry *reg, gpureg__segment *seg) {
    uint32_t from = atomic_load_explicit(&seg->committed, memory_order_relaxed), n = reg->pool.commit_step;
    if (!gpureg__commit(seg->base + (size_t)from * sizeof(gpureg__slot), (size_t)n * sizeof(gpureg__slot)) ||
        !gpureg__commit(seg->base + POOL_INFO_OFFSET + (size_t)from * sizeof(gpureg__slot_info),
                        (size_t)n * sizeof(gpureg__slot_info)) ||
        !gpureg__commit(seg->base + POOL_ORDER_OFFSET + (size_t)from * sizeof(uint64_t),
                        (size_t)n * sizeof(uint64_t)) ||
        !gpureg__commit(seg->base + POOL_LINKS_OFFSET + (size_t)from * sizeof(uint32_t), (size_t)n * sizeof(uint32_t)))
        return GPUREG_ERR_OUT_OF_MEMORY; /* what was committed stays so and is used next time */
    atomic_fetch_add_explicit(&reg->host_bytes, (uint64_t)n * POOL_SLOT_BYTES, memory_order_relaxed);
    atomic_store_explicit(&seg->committed, from + n, memory_order_release);
    return GPUREG_OK;
}

/* Segment s (>= 1), made on first use with the directory that names it. */
static gpureg__segment *far_segment(gpureg_registry *reg, uint32_t s) {
    gpureg__pool *pool = &reg->pool;
    _Atomic(gpureg__segment *) *d = atomic_load_explicit(&pool->directory, memory_order_relaxed);
    gpureg__segment *seg = d ? atomic_load_explicit(&d[s], memory_order_relaxed) : NULL;
    if (seg) return seg;
    if (!d) {
        size_t bytes = POOL_SEGMENTS * sizeof *d;
        if (!(d = gpureg__alloc(reg, bytes))) return NULL;
        for (uint32_t i = 0; i < POOL_SEGMENTS; i++)
            atomic_init(&d[i], NULL);
        atomic_store_explicit(&pool->directory, d, memory_order_release);
    }
    if (!(seg = gpureg__alloc(reg, sizeof *seg))) return NULL;
    if (segment_init(seg) != GPUREG_OK) {
        gpureg__free(reg, seg, sizeof *seg);
        return NULL;
    }
    atomic_store_explicit(&d[s], seg, memory_order_release);
    return seg;
}

gpureg_result pool_reserve(gpureg_registry *reg, uint32_t *out_index) {
    gpureg__pool *pool = &reg->pool;
    if (pool->free_head) {
        *out_index = pool->free_head - 1u;
        return GPUREG_OK;
    }
    uint32_t index = atomic_load_explicit(&pool->count, memory_order_relaxed);
    if (index >= POOL_INDEX_LIMIT) return GPUREG_ERR_HANDLES_EXHAUSTED;
    gpureg__segment *seg = index < POOL_SEGMENT_SLOTS ? &pool->segment0 : far_segment(reg, index >> POOL_SEGMENT_SHIFT);
    if (!seg) return GPUREG_ERR_OUT_OF_MEMORY;
    if ((index & POOL_SEGMENT_MASK) >= atomic_load_explicit(&seg->committed, memory_order_relaxed)) {
        gpureg_result r = segment_grow(reg, seg);
        if (r != GPUREG_OK) return r;
    }
    *out_index = index;
    return GPUREG_OK;
}

gpureg__cold *pool_cold_get(gpureg_registry *reg, uint32_t index) {
    gpureg__segment *seg = (gpureg__segment *)pool_segment(&reg->pool, index);
    _Atomic(gpureg__cold *) *block = &seg->cold[(index & POOL_SEGMENT_MASK) >> POOL_BLOCK_SHIFT];
    gpureg__cold *cold = atomic_load_explicit(block, memory_order_acquire);
    if (!cold) {
        size_t bytes = POOL_BLOCK_SLOTS * sizeof(gpureg__cold);
        gpureg__cold *fresh = gpureg__alloc(reg, bytes);
        if (!fresh) return NULL;
        memset(fresh, 0, bytes);
        /* set_label may race with the owner here; the loser frees its copy. */
        if (atomic_compare_exchange_strong_explicit(block, &cold, fresh, memory_order_acq_rel, memory_order_acquire))
            cold = fresh;
        else
            gpureg__free(reg, fresh, bytes);
    }
    return &cold[index & (POOL_BLOCK_SLOTS - 1u)];
}

uint64_t pool_committed_bytes(const gpureg__pool *pool) {
    uint64_t slots = atomic_load_explicit(&pool->segment0.committed, memory_order_relaxed);
    _Atomic(gpureg__segment *) *d = atomic_load_explicit(&pool->directory, memory_order_acquire);
    for (uint32_t s = 1; d && s < POOL_SEGMENTS; s++) {
        const gpureg__segment *seg = atomic_load_explicit(&d[s], memory_order_acquire);
        if (seg) slots += atomic_load_explicit(&seg->committed, memory_order_relaxed);
    }
    return slots * POOL_SLOT_BYTES;
}

static void segment_free(gpureg_registry *reg, gpureg__segment *seg) {
    for (uint32_t b = 0; b < POOL_SEGMENT_SLOTS >> POOL_BLOCK_SHIFT; b++)
        gpureg__free(reg, atomic_load_explicit(&seg->cold[b], memory_order_relaxed),
                     POOL_BLOCK_SLOTS * sizeof(gpureg__cold));
    uint32_t committed = atomic_load_explicit(&seg->committed, memory_order_relaxed);
    atomic_fetch_sub_explicit(&reg->host_bytes, (uint64_t)committed * POOL_SLOT_BYTES, memory_order_relaxed);
    gpureg__unreserve(seg->base, POOL_SEGMENT_BYTES);
    memset(seg, 0, sizeof *seg);
}

void pool_free_all(gpureg_registry *reg) {
    gpureg__pool *pool = &reg->pool;
    segment_free(reg, &pool->segment0);
    _Atomic(gpureg__segment *) *d = atomic_load_explicit(&pool->directory, memory_order_relaxed);
    if (!d) return;
    for (uint32_t s = 1; s < POOL_SEGMENTS; s++) {
        gpureg__segment *seg = atomic_load_explicit(&d[s], memory_order_relaxed);
        if (!seg) continue;
        segment_free(reg, seg);
        gpureg__free(reg, seg, sizeof *seg);
    }
    gpureg__free(reg, (void *)d, POOL_SEGMENTS * sizeof *d);
    atomic_store_explicit(&pool->directory, NULL, memory_order_relaxed);
}
