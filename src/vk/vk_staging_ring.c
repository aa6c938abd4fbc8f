/* vk_staging_ring.c — staging for writes recorded into the app's command buffer: a per-frame ring
 * of a few large, persistently mapped chunks.
 *
 * Why: a recorded write cannot reuse one scratch buffer as the submit path does (the GPU reads the
 * data only after the app submits), and one VkBuffer per write costs a vkCreateBuffer, a
 * sub-allocation and ~7 KB of host memory per texture until the frame's fence. Here each write
 * takes an aligned range of the open chunk (a bump pointer). A chunk remembers the last frame that
 * took from it; once the fence of that frame is seen signalled (vk_fence_poll / vk_fence_wait call
 * vk_staging_ring_reclaim with the completed serial) every range in it is free again. So in steady
 * state a write makes no Vulkan call but the copy it records.
 *
 * Policy
 *   - The first chunk is RING_CHUNK_FIRST bytes; when a write fits neither the open chunk nor a
 *     free one, a new chunk is made, each twice the previous, up to RING_CHUNK_MAX.
 *   - A write larger than RING_CHUNK_MAX gets a dedicated chunk of its own size, freed after the
 *     fence of its frame.
 *   - A free chunk that no frame used for RING_TRIM_FRAMES frames is freed at the next poll; the
 *     open chunk stays, so an app that uploads now and then keeps one chunk. The next new chunk is
 *     then sized from the largest one left.
 *   - Chunks are sub-allocated from the buffer pools (vk_memory.c), host-visible; ranges flush by
 *     nonCoherentAtomSize when the memory is not coherent.
 * Device loss and registry destroy free every chunk (vk_staging_ring_shutdown, after the core has
 * waited for the GPU or given up on it). */
#include "vk_backend.h"

#define RING_CHUNK_FIRST (1ull << 20)
#define RING_CHUNK_MAX   (32ull << 20)
#define RING_TRIM_FRAMES 256u

struct vk_chunk {
    vk_chunk *next;
    VkBuffer buffer;
    vk_alloc mem;
    VkDeviceSize size, used;
    uint64_t serial;    /* last frame that took a range; 0: none yet */
    uint32_t dedicated; /* one write larger than RING_CHUNK_MAX: freed after its fence */
};

static VkDeviceSize ring_align_up(VkDeviceSize v, VkDeviceSize a) { return (v + a - 1) / a * a; }

static VkDeviceSize ring_atom(const vk_backend *vb) {
    VkDeviceSize atom = vb->props.limits.nonCoherentAtomSize;
    return atom ? atom : 1;
}

static void chunk_destroy(vk_backend *vb, vk_chunk *c) {
    vk_staging_ring *ring = &vb->staging;
    vb->fn.vkDestroyBuffer(vb->device, c->buffer, NULL);
    vk_memory_free(vb, &c->mem);
    ring->chunks--;
    ring->bytes -= c->size;
    gpureg__free(vb->reg, c, sizeof *c);
}

/* A chunk of `size` bytes (a multiple of the atom), mapped, at an atom-aligned memory offset so a
 * flush of any range rounded out to atoms stays inside the chunk's memory. */
static gpureg_result chunk_create(vk_backend *vb, VkDeviceSize size, uint32_t dedicated, vk_chunk **out) {
    vk_staging_ring *ring = &vb->staging;
    vk_chunk *c = gpureg__alloc(vb->reg, sizeof *c);
    if (!c) return GPUREG_ERR_OUT_OF_MEMORY;
    *c = (vk_chunk){.size = size, .dedicated = dedicated};
    gpureg_result r = vk_memory_buffer_create(vb, size, VK_BUFFER_USAGE_TRANSFER_SRC_BIT, VK_MEMORY_STAGING,
                                              ring_atom(vb), &c->buffer, &c->mem);
    if (r != GPUREG_OK) {
        gpureg__free(vb->reg, c, sizeof *c);
        return r;
    }
    ring->chunks++;
    ring->bytes += size;
    *out = c;
    return GPUREG_OK;
}

static void busy_push(vk_staging_ring *ring, vk_chunk *c) {
    c->next = ring->busy;
    ring->busy = c;
}

/* Take `size` bytes at a multiple of `align` from c, or return 0 if they do not fit. */
static int chunk_take(vk_chunk *c, VkDeviceSize size, VkDeviceSize align, uint64_t serial, vk_staging_range *out) {
    VkDeviceSize at = ring_align_up(c->used, align);
    if (at > c->size || size > c->size - at) return 0;
    c->used = at + size;
    c->serial = serial;
    *out = (vk_staging_range){
        .buffer = c->buffer, .offset = at, .size = size, .mapped = (char *)c->mem.mapped + at, .chunk = c};
    return 1;
}

/* The open chunk cannot hold the write: retire it (to wait for its fence, or straight to the free
 * list when no frame used it), then open a free chunk that is large enough or a new one. */
static gpureg_result ring_open_for(vk_backend *vb, VkDeviceSize need) {
    vk_staging_ring *ring = &vb->staging;
    vk_chunk *open = ring->open;
    ring->open = NULL;
    if (open && open->used) {
        busy_push(ring, open);
    } else if (open) {
        open->next = ring->free;
        ring->free = open;
    }
    for (vk_chunk **link = &ring->free; *link; link = &(*link)->next)
        if ((*link)->size >= need) {
            ring->open = *link;
            *link = ring->open->next;
            ring->open->next = NULL;
            return GPUREG_OK;
        }
    if (!ring->next_size) ring->next_size = RING_CHUNK_FIRST;
    VkDeviceSize size = ring->next_size;
    while (size < need)
        size *= 2;
    size = ring_align_up(size < RING_CHUNK_MAX ? size : RING_CHUNK_MAX, ring_atom(vb));
    gpureg_result r = chunk_create(vb, size, 0, &ring->open);
    if (r != GPUREG_OK) return r;
    ring->next_size = size * 2 < RING_CHUNK_MAX ? size * 2 : RING_CHUNK_MAX;
    return GPUREG_OK;
}

gpureg_result vk_staging_ring_take(vk_backend *vb, VkDeviceSize size, VkDeviceSize align, vk_staging_range *out) {
    vk_staging_ring *ring = &vb->staging;
    uint64_t serial = gpureg__frame_serial(vb->reg);
    VkDeviceSize need = size ? size : 1;
    if (need > RING_CHUNK_MAX) {
        vk_chunk *c;
        gpureg_result r = chunk_create(vb, ring_align_up(need, ring_atom(vb)), 1, &c);
        if (r != GPUREG_OK) return r;
        chunk_take(c, need, 1, serial, out);
        busy_push(ring, c);
        return GPUREG_OK;
    }
    vk_chunk *open = ring->open;
    /* Every frame that took from the open chunk has finished: it is empty again. */
    if (open && open->serial <= vb->fences.completed) open->used = 0;
    if (open && chunk_take(open, need, align, serial, out)) return GPUREG_OK;
    gpureg_result r = ring_open_for(vb, need);
    if (r != GPUREG_OK) return r;
    chunk_take(ring->open, need, align, serial, out); /* fits: the chunk is empty and large enough */
    return GPUREG_OK;
}

gpureg_result vk_staging_ring_flush(vk_backend *vb, const vk_staging_range *range) {
    const vk_chunk *c = range->chunk;
    if (!c || c->mem.coherent) return GPUREG_OK;
    VkDeviceSize atom = ring_atom(vb);
    VkDeviceSize first = range->offset / atom * atom;
    VkDeviceSize end = ring_align_up(range->offset + range->size, atom); /* <= c->size, a multiple of atom */
    VkMappedMemoryRange mr = {VK_STRUCTURE_TYPE_MAPPED_MEMORY_RANGE, NULL, c->mem.memory, c->mem.offset + first,
                              end - first};
    return vk_check(vb, vb->fn.vkFlushMappedMemoryRanges(vb->device, 1, &mr), "vkFlushMappedMemoryRanges");
}

/* Free chunks no frame used for RING_TRIM_FRAMES frames; size the next new chunk from what is left. */
static void ring_trim(vk_backend *vb, uint64_t serial) {
    vk_staging_ring *ring = &vb->staging;
    if (serial < RING_TRIM_FRAMES) return;
    int trimmed = 0;
    for (vk_chunk **link = &ring->free; *link;) {
        vk_chunk *c = *link;
        if (c->serial + RING_TRIM_FRAMES <= serial) {
            *link = c->next;
            chunk_destroy(vb, c);
            trimmed = 1;
        } else {
            link = &c->next;
        }
    }
    if (!trimmed) return;
    VkDeviceSize largest = ring->open ? ring->open->size : 0;
    for (const vk_chunk *c = ring->free; c; c = c->next)
        largest = c->size > largest ? c->size : largest;
    for (const vk_chunk *c = ring->busy; c; c = c->next)
        largest = !c->dedicated && c->size > largest ? c->size : largest;
    ring->next_size = largest ? (largest * 2 < RING_CHUNK_MAX ? largest * 2 : RING_CHUNK_MAX) : 0;
}

static GPUREG_NOINLINE void ring_reclaim(vk_backend *vb, uint64_t completed) {
    vk_staging_ring *ring = &vb->staging;
    /* A handful of chunks: look at each rather than rely on an order. */
    for (vk_chunk **link = &ring->busy; *link;) {
        vk_chunk *c = *link;
        if (c->serial > completed) {
            link = &c->next;
            continue;
        }
        *link = c->next;
        if (c->dedicated) {
            chunk_destroy(vb, c);
            continue;
        }
        c->used = 0;
        c->next = ring->free;
        ring->free = c;
    }
    ring_trim(vb, gpureg__frame_serial(vb->reg));
}

void vk_staging_ring_reclaim(vk_backend *vb, uint64_t completed) {
    /* No chunk waits and none is free to trim: every poll of a registry that never recorded a
     * write (or keeps only its open chunk) ends here. */
    if (vb->staging.busy || vb->staging.free) ring_reclaim(vb, completed);
}

int vk_staging_ring_waiting(const vk_backend *vb) { return vb->staging.busy != NULL; }

void vk_staging_ring_shutdown(vk_backend *vb) {
    vk_staging_ring *ring = &vb->staging;
    vk_chunk *lists[3] = {ring->open, ring->busy, ring->free};
    for (int i = 0; i < 3; i++)
        while (lists[i]) {
            vk_chunk *next = i == 0 ? NULL : lists[i]->next;
            chunk_destroy(vb, lists[i]);
            lists[i] = next;
        }
    *ring = (vk_staging_ring){0};
}
