/* pool.c — slot chunks, generations and the FIFO free list. */
#include <string.h>

#include "registry.h"

/* A directory able to name `capacity` chunks, with the current one's entries copied. */
static gpureg__directory *grow_directory(gpureg_registry *reg, const gpureg__directory *old, uint32_t capacity) {
    size_t bytes = sizeof(gpureg__directory) + (size_t)capacity * sizeof(gpureg__chunk *);
    gpureg__directory *d = gpureg__alloc(reg, bytes);
    if (!d) return NULL;
    memset(d, 0, bytes);
    d->capacity = capacity;
    d->older = (gpureg__directory *)old;
    for (uint32_t i = 0; old && i < old->capacity; i++)
        atomic_store_explicit(&d->chunks[i], atomic_load_explicit(&old->chunks[i], memory_order_relaxed),
                              memory_order_relaxed);
    return d;
}

/* Allocations first, then one publication, so a failure leaves the pool exactly as it was. */
static gpureg_result add_chunk(gpureg_registry *reg, uint32_t c) {
    gpureg__pool *pool = &reg->pool;
    gpureg__directory *d = atomic_load_explicit(&pool->directory, memory_order_relaxed);
    unsigned char *memory = gpureg__alloc(reg, sizeof(gpureg__chunk) + POOL_ALIGN);
    if (!memory) return GPUREG_ERR_OUT_OF_MEMORY;
    gpureg__directory *grown = d;
    if (!d || c >= d->capacity) {
        uint32_t capacity = d ? d->capacity * 2u : 16u;
        while (capacity <= c)
            capacity *= 2u;
        if (!(grown = grow_directory(reg, d, capacity))) {
            gpureg__free(reg, memory, sizeof(gpureg__chunk) + POOL_ALIGN);
            return GPUREG_ERR_OUT_OF_MEMORY;
        }
    }
    gpureg__chunk *chunk = (gpureg__chunk *)(((uintptr_t)memory + POOL_ALIGN - 1u) & ~(uintptr_t)(POOL_ALIGN - 1u));
    memset(chunk, 0, sizeof *chunk); /* generation 0, state FREE: no handle matches */
    chunk->memory = memory;
    atomic_store_explicit(&grown->chunks[c], chunk, memory_order_release);
    if (grown != d) atomic_store_explicit(&pool->directory, grown, memory_order_release);
    if (c < POOL_NEAR_CHUNKS) atomic_store_explicit(&pool->near[c], chunk, memory_order_release);
    return GPUREG_OK;
}

gpureg_result pool_reserve(gpureg_registry *reg, uint32_t *out_index) {
    gpureg__pool *pool = &reg->pool;
    if (pool->free_head) {
        *out_index = pool->free_head - 1u;
        return GPUREG_OK;
    }
    uint32_t index = atomic_load_explicit(&pool->count, memory_order_relaxed);
    if (index >= POOL_INDEX_LIMIT) return GPUREG_ERR_HANDLES_EXHAUSTED;
    if (!pool_chunk(pool, index)) {
        gpureg_result r = add_chunk(reg, index >> POOL_CHUNK_SHIFT);
        if (r != GPUREG_OK) return r;
    }
    *out_index = index;
    return GPUREG_OK;
}

void pool_take(gpureg__pool *pool, uint32_t index) {
    if (pool->free_head == index + 1u) {
        uint32_t *link = pool_link(pool, index);
        pool->free_head = *link;
        if (!pool->free_head) pool->free_tail = 0;
        *link = 0;
    } else {
        atomic_store_explicit(&pool->count, index + 1u, memory_order_release);
    }
}

void pool_recycle(gpureg__pool *pool, uint32_t index, gpureg__slot *slot) {
    uint64_t w = atomic_load_explicit(&slot->word, memory_order_relaxed);
    uint32_t gen = word_gen(w);
    uint32_t type = word_type(w);
    if (gen >= GPUREG_MAX_GENERATION) {
        /* No generation left: reusing the slot would let an old handle alias a new object. */
        atomic_store_explicit(&slot->word, word_make(0, gen, SLOT_RETIRED, type), memory_order_release);
        atomic_fetch_add_explicit(&pool->retired, 1, memory_order_relaxed);
        return;
    }
    atomic_store_explicit(&slot->word, word_make(0, gen, SLOT_FREE, type), memory_order_release);
    *pool_link(pool, index) = 0;
    if (pool->free_tail)
        *pool_link(pool, pool->free_tail - 1u) = index + 1u;
    else
        pool->free_head = index + 1u;
    pool->free_tail = index + 1u;
}

gpureg__cold *pool_cold_get(gpureg_registry *reg, uint32_t index) {
    gpureg__chunk *chunk = pool_chunk(&reg->pool, index);
    gpureg__cold *cold = atomic_load_explicit(&chunk->cold, memory_order_acquire);
    if (!cold) {
        size_t bytes = POOL_CHUNK_SLOTS * sizeof(gpureg__cold);
        gpureg__cold *fresh = gpureg__alloc(reg, bytes);
        if (!fresh) return NULL;
        memset(fresh, 0, bytes);
        /* set_label may race with the owner here; the loser frees its copy. */
        if (atomic_compare_exchange_strong_explicit(&chunk->cold, &cold, fresh, memory_order_acq_rel,
                                                    memory_order_acquire))
            cold = fresh;
        else
            gpureg__free(reg, fresh, bytes);
    }
    return &cold[index & POOL_CHUNK_MASK];
}

void pool_free_all(gpureg_registry *reg) {
    gpureg__pool *pool = &reg->pool;
    gpureg__directory *d = atomic_load_explicit(&pool->directory, memory_order_relaxed);
    for (uint32_t c = 0; d && c < d->capacity; c++) {
        gpureg__chunk *chunk = atomic_load_explicit(&d->chunks[c], memory_order_relaxed);
        if (!chunk) continue;
        gpureg__free(reg, atomic_load_explicit(&chunk->cold, memory_order_relaxed),
                     POOL_CHUNK_SLOTS * sizeof(gpureg__cold));
        gpureg__free(reg, chunk->memory, sizeof(gpureg__chunk) + POOL_ALIGN);
    }
    while (d) {
        gpureg__directory *older = d->older;
        gpureg__free(reg, d, sizeof(gpureg__directory) + (size_t)d->capacity * sizeof(gpureg__chunk *));
        d = older;
    }
    atomic_store_explicit(&pool->directory, NULL, memory_order_relaxed);
    for (uint32_t c = 0; c < POOL_NEAR_CHUNKS; c++)
        atomic_store_explicit(&pool->near[c], NULL, memory_order_relaxed);
}
