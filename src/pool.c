/* pool.c — slot chunks, generations and the FIFO free list. */
#include <string.h>

#include "registry.h"

static size_t chunk_bytes(uint32_t k) {
    return (size_t)pool_chunk_size(k) * (sizeof(gpureg__slot) + sizeof(uint32_t)) + POOL_ALIGN;
}

gpureg_result pool_reserve(gpureg_registry *reg, uint32_t *out_index) {
    gpureg__pool *pool = &reg->pool;
    if (pool->free_head) {
        *out_index = pool->free_head - 1u;
        return GPUREG_OK;
    }
    uint32_t index = atomic_load_explicit(&pool->count, memory_order_relaxed);
    if (index >= POOL_INDEX_LIMIT) return GPUREG_ERR_HANDLES_EXHAUSTED;
    uint32_t offset;
    uint32_t k = pool_chunk_of(index, &offset);
    if (!atomic_load_explicit(&pool->chunks[k], memory_order_relaxed)) {
        size_t bytes = chunk_bytes(k);
        unsigned char *memory = gpureg__alloc(reg, bytes);
        if (!memory) return GPUREG_ERR_OUT_OF_MEMORY;
        memset(memory, 0, bytes); /* generation 0, state FREE: no handle matches */
        uintptr_t aligned = ((uintptr_t)memory + POOL_ALIGN - 1u) & ~(uintptr_t)(POOL_ALIGN - 1u);
        pool->chunk_memory[k] = memory;
        atomic_store_explicit(&pool->chunks[k], (gpureg__slot *)aligned, memory_order_release);
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
    gpureg__pool *pool = &reg->pool;
    uint32_t offset;
    uint32_t k = pool_chunk_of(index, &offset);
    gpureg__cold *chunk = atomic_load_explicit(&pool->cold[k], memory_order_acquire);
    if (!chunk) {
        size_t bytes = (size_t)pool_chunk_size(k) * sizeof(gpureg__cold);
        gpureg__cold *fresh = gpureg__alloc(reg, bytes);
        if (!fresh) return NULL;
        memset(fresh, 0, bytes);
        /* set_label may race with the owner here; the loser frees its copy. */
        if (atomic_compare_exchange_strong_explicit(&pool->cold[k], &chunk, fresh, memory_order_acq_rel,
                                                    memory_order_acquire))
            chunk = fresh;
        else
            gpureg__free(reg, fresh, bytes);
    }
    return &chunk[offset];
}

void pool_free_all(gpureg_registry *reg) {
    gpureg__pool *pool = &reg->pool;
    for (uint32_t k = 0; k < POOL_MAX_CHUNKS; k++) {
        gpureg__free(reg, pool->chunk_memory[k], chunk_bytes(k));
        pool->chunk_memory[k] = NULL;
        gpureg__cold *cold = atomic_load_explicit(&pool->cold[k], memory_order_relaxed);
        gpureg__free(reg, cold, (size_t)pool_chunk_size(k) * sizeof(gpureg__cold));
        atomic_store_explicit(&pool->chunks[k], NULL, memory_order_relaxed);
        atomic_store_explicit(&pool->cold[k], NULL, memory_order_relaxed);
    }
}
