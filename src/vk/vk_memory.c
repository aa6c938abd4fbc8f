/* vk_memory.c — device memory: a first-fit sub-allocator over large blocks per memory type, or
 * the app's allocator through the desc's callbacks.
 *
 * Why blocks: drivers cap live vkAllocateMemory allocations (maxMemoryAllocationCount, often
 * 4096) and each call is slow, so 100,000 small textures must share allocations. Images and
 * buffers use separate pools so bufferImageGranularity never separates neighbours. All of this
 * runs on the owner thread; only the counters are read elsewhere. */
#include <string.h>

#include "vk_backend.h"

#define BLOCK_MAX (64ull << 20)
#define BLOCK_MIN (1ull << 20)

typedef struct vk_range {
    VkDeviceSize offset, size;
} vk_range;

struct vk_block {
    vk_block *next;
    vk_pool *pool;
    VkDeviceMemory memory;
    VkDeviceSize size, used;
    void *mapped;
    uint32_t type_index;
    uint32_t live; /* allocations in the block */
    uint32_t free_count, free_cap;
    vk_range *free; /* free ranges, sorted by offset, never adjacent: at most live + 1 */
};

static void add(_Atomic uint64_t *c, uint64_t d) { atomic_fetch_add_explicit(c, d, memory_order_relaxed); }
static void sub(_Atomic uint64_t *c, uint64_t d) { atomic_fetch_sub_explicit(c, d, memory_order_relaxed); }

void vk_memory_init(vk_backend *vb, const gpureg_vk_desc *desc) {
    vk_memory *m = &vb->memory;
    vb->fn.vkGetPhysicalDeviceMemoryProperties(vb->physical_device, &m->props);
    for (uint32_t h = 0; h < m->props.memoryHeapCount; h++) {
        VkDeviceSize s = m->props.memoryHeaps[h].size / 8;
        m->block_size[h] = s > BLOCK_MAX ? BLOCK_MAX : s < BLOCK_MIN ? BLOCK_MIN : s;
    }
    m->external = desc->memory;
    for (int u = 0; u < VK_MEMORY_USES; u++)
        m->picked[u] = (vk_memory_picked){0, UINT32_MAX};
}

static uint32_t heap_of(const vk_memory *m, uint32_t type) { return m->props.memoryTypes[type].heapIndex; }

#define MEM_HOST_COHERENT (VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT)
#define MEM_DEVICE_LOCAL  VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT

/* Property flags each use tries, best first; the last is what it cannot do without. DEVICE_HOST
 * puts a buffer the app rewrites now and then where the GPU reads it fast, and lets the host
 * write it in place where the device has such memory (integrated GPUs, resizable BAR); elsewhere
 * it is device-local memory written through staging, as DEVICE is. STAGING takes the first
 * host-visible coherent type (drivers list system memory before the BAR window, which staging
 * should not fill), and a non-coherent one where that is all there is (the ring flushes). */
static const VkMemoryPropertyFlags use_wants[VK_MEMORY_USES][3] = {
    [VK_MEMORY_DEVICE] = {MEM_DEVICE_LOCAL, 0},
    [VK_MEMORY_HOST] = {MEM_HOST_COHERENT | MEM_DEVICE_LOCAL, MEM_HOST_COHERENT},
    [VK_MEMORY_DEVICE_HOST] = {MEM_DEVICE_LOCAL | MEM_HOST_COHERENT, MEM_DEVICE_LOCAL, 0},
    [VK_MEMORY_STAGING] = {MEM_HOST_COHERENT, VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT},
};
static const uint32_t use_want_count[VK_MEMORY_USES] = {2, 2, 3, 2};

uint32_t vk_memory_pick(const VkPhysicalDeviceMemoryProperties *props, uint32_t bits, vk_memory_use use) {
    for (uint32_t w = 0; w < use_want_count[use]; w++)
        for (uint32_t i = 0; i < props->memoryTypeCount; i++) {
            VkMemoryPropertyFlags want = use_wants[use][w];
            if ((bits & (1u << i)) && (props->memoryTypes[i].propertyFlags & want) == want) return i;
        }
    return UINT32_MAX;
}

/* One vkAllocateMemory (mapped when the type is host visible), counted in the stats. */
static gpureg_result device_alloc(vk_backend *vb, uint32_t type, VkDeviceSize size, VkDeviceMemory *out,
                                  void **mapped) {
    vk_memory *m = &vb->memory;
    VkMemoryAllocateInfo ai = {VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO, NULL, size, type};
    add(&m->allocate_calls, 1);
    gpureg_result r = vk_check(vb, vb->fn.vkAllocateMemory(vb->device, &ai, NULL, out), "vkAllocateMemory");
    if (r != GPUREG_OK) return r;
    *mapped = NULL;
    if (m->props.memoryTypes[type].propertyFlags & VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT) {
        r = vk_check(vb, vb->fn.vkMapMemory(vb->device, *out, 0, VK_WHOLE_SIZE, 0, mapped), "vkMapMemory");
        if (r != GPUREG_OK) {
            vb->fn.vkFreeMemory(vb->device, *out, NULL);
            return r;
        }
    }
    add(&m->allocations, 1);
    add(&m->bytes, size);
    add(&m->heap_bytes[heap_of(m, type)], size);
    return GPUREG_OK;
}

static void device_free(vk_backend *vb, uint32_t type, VkDeviceSize size, VkDeviceMemory memory) {
    vk_memory *m = &vb->memory;
    vb->fn.vkFreeMemory(vb->device, memory, NULL); /* unmaps implicitly */
    sub(&m->allocations, 1);
    sub(&m->bytes, size);
    sub(&m->heap_bytes[heap_of(m, type)], size);
}

static int ranges_reserve(vk_backend *vb, vk_block *b, uint32_t need) {
    if (need <= b->free_cap) return 1;
    uint32_t cap = b->free_cap ? b->free_cap * 2 : 16;
    vk_range *n = gpureg__alloc(vb->reg, cap * sizeof *n);
    if (!n) return 0;
    if (b->free_count) memcpy(n, b->free, b->free_count * sizeof *n);
    if (b->free) gpureg__free(vb->reg, b->free, b->free_cap * sizeof *n);
    b->free = n;
    b->free_cap = cap;
    return 1;
}

/* First fit in one block; splitting a range may add one. 0 if it does not fit. */
static int block_take(vk_backend *vb, vk_block *b, VkDeviceSize size, VkDeviceSize align, VkDeviceSize *out) {
    for (uint32_t i = 0; i < b->free_count; i++) {
        vk_range *f = &b->free[i];
        VkDeviceSize start = (f->offset + align - 1) / align * align;
        if (start + size > f->offset + f->size) continue;
        VkDeviceSize head = start - f->offset, tail = f->offset + f->size - (start + size);
        if (head && tail) {
            if (!ranges_reserve(vb, b, b->free_count + 1)) return 0;
            f = &b->free[i];
            memmove(&b->free[i + 2], &b->free[i + 1], (b->free_count - i - 1) * sizeof *f);
            b->free[i + 1] = (vk_range){start + size, tail};
            f->size = head;
            b->free_count++;
        } else if (head) {
            f->size = head;
        } else if (tail) {
            *f = (vk_range){start + size, tail};
        } else {
            memmove(&b->free[i], &b->free[i + 1], (b->free_count - i - 1) * sizeof *f);
            b->free_count--;
        }
        b->used += size;
        *out = start;
        return 1;
    }
    return 0;
}

/* Give a range back, merging with its neighbours. Reserving first keeps this infallible. */
static void block_give(vk_block *b, VkDeviceSize offset, VkDeviceSize size) {
    uint32_t i = 0;
    while (i < b->free_count && b->free[i].offset < offset)
        i++;
    int left = i > 0 && b->free[i - 1].offset + b->free[i - 1].size == offset;
    int right = i < b->free_count && offset + size == b->free[i].offset;
    if (left && right) {
        b->free[i - 1].size += size + b->free[i].size;
        memmove(&b->free[i], &b->free[i + 1], (b->free_count - i - 1) * sizeof *b->free);
        b->free_count--;
    } else if (left) {
        b->free[i - 1].size += size;
    } else if (right) {
        b->free[i].offset = offset;
        b->free[i].size += size;
    } else {
        memmove(&b->free[i + 1], &b->free[i], (b->free_count - i) * sizeof *b->free);
        b->free[i] = (vk_range){offset, size};
        b->free_count++;
    }
    b->used -= size;
}

static void block_destroy(vk_backend *vb, vk_block *b) {
    device_free(vb, b->type_index, b->size, b->memory);
    if (b->free) gpureg__free(vb->reg, b->free, b->free_cap * sizeof *b->free);
    gpureg__free(vb->reg, b, sizeof *b);
}

static gpureg_result block_create(vk_backend *vb, uint32_t type, vk_block **out) {
    vk_block *b = gpureg__alloc(vb->reg, sizeof *b);
    if (!b) return GPUREG_ERR_OUT_OF_MEMORY;
    *b = (vk_block){.type_index = type, .size = vb->memory.block_size[heap_of(&vb->memory, type)]};
    if (!ranges_reserve(vb, b, 16)) {
        gpureg__free(vb->reg, b, sizeof *b);
        return GPUREG_ERR_OUT_OF_MEMORY;
    }
    gpureg_result r = device_alloc(vb, type, b->size, &b->memory, &b->mapped);
    if (r != GPUREG_OK) {
        gpureg__free(vb->reg, b->free, b->free_cap * sizeof *b->free);
        gpureg__free(vb->reg, b, sizeof *b);
        return r;
    }
    b->free[0] = (vk_range){0, b->size};
    b->free_count = 1;
    *out = b;
    return GPUREG_OK;
}

/* The app's allocator is told only what is required: HOST_VISIBLE | HOST_COHERENT for mapped
 * buffers, nothing for the rest. A DEVICE_HOST buffer is then written through staging, as gpureg
 * cannot know whether memory the app mapped anyway is coherent. */
static gpureg_result external_alloc(vk_backend *vb, const VkMemoryRequirements *req, vk_memory_use use, vk_alloc *out) {
    vk_memory *m = &vb->memory;
    VkMemoryPropertyFlags required = use == VK_MEMORY_HOST || use == VK_MEMORY_STAGING ? MEM_HOST_COHERENT : 0;
    gpureg_vk_allocation a = {0};
    add(&m->allocate_calls, 1);
    VkResult vr = m->external.allocate(req, required, &a, m->external.user);
    if (vr != VK_SUCCESS) return vk_check(vb, vr, "memory.allocate callback");
    if (!a.memory || (required && !a.mapped)) {
        m->external.free(&a, m->external.user);
        return gpureg__fail(vb->reg, GPUREG_ERR_BACKEND, "memory.allocate callback returned no memory%s",
                            a.memory ? " mapping for a HOST_VISIBLE buffer" : "");
    }
    *out = (vk_alloc){.memory = a.memory,
                      .offset = a.offset,
                      .size = a.size ? a.size : req->size,
                      .mapped = a.mapped,
                      .coherent = required != 0,
                      .external = 1,
                      .user_data = a.user_data};
    add(&m->allocations, 1);
    add(&m->bytes, out->size);
    return GPUREG_OK;
}

/* No allocation in the block but the pool's parked range. */
static int block_empty(const vk_pool *pool, const vk_block *b) {
    return b->used == (pool->parked == b ? pool->parked_size : 0);
}

/* Keep at most one empty block per pool, so a create/release cycle does not allocate each time. */
static void maybe_release_block(vk_backend *vb, vk_pool *pool, vk_block *b) {
    if (!block_empty(pool, b)) return;
    vk_block **link = &pool->blocks, *other_empty = NULL;
    for (vk_block *p = pool->blocks; p; p = p->next)
        if (p != b && block_empty(pool, p)) other_empty = p;
    if (!other_empty) return;
    while (*link != b)
        link = &(*link)->next;
    *link = b->next;
    if (pool->parked == b) pool->parked = NULL;
    block_destroy(vb, b);
}

/* Give the parked range back to its block. Whether the block goes was decided when the range
 * was parked (it counted as free then). */
static GPUREG_NOINLINE void unpark(vk_pool *pool) {
    vk_block *b = pool->parked;
    if (!b) return;
    pool->parked = NULL;
    block_give(b, pool->parked_offset, pool->parked_size);
    b->live--;
}

/* First fit over the pool's blocks, or a new block. */
static gpureg_result pool_take(vk_backend *vb, vk_pool *pool, uint32_t type, const VkMemoryRequirements *req,
                               vk_block **out, VkDeviceSize *offset) {
    vk_block *b;
    for (b = pool->blocks; b; b = b->next)
        if (b->size - b->used >= req->size && block_take(vb, b, req->size, req->alignment, offset)) break;
    if (!b) {
        gpureg_result r = block_create(vb, type, &b);
        if (r != GPUREG_OK) return r;
        if (!block_take(vb, b, req->size, req->alignment, offset)) { /* cannot happen: fresh block */
            block_destroy(vb, b);
            return GPUREG_ERR_OUT_OF_MEMORY;
        }
        b->next = pool->blocks;
        b->pool = pool;
        pool->blocks = b;
    }
    /* Free ranges are separated by allocations, so live + 1 of them always fit: block_give
     * (on the destroy path, which cannot fail) never needs to grow the array. */
    if (!ranges_reserve(vb, b, b->live + 2)) {
        block_give(b, *offset, req->size);
        return GPUREG_ERR_OUT_OF_MEMORY;
    }
    b->live++;
    *out = b;
    return GPUREG_OK;
}

/* The memory type for `use` among `bits`, remembered per use. */
static uint32_t pick_type(vk_memory *m, uint32_t bits, vk_memory_use use) {
    vk_memory_picked *picked = &m->picked[use];
    if (picked->bits != bits) *picked = (vk_memory_picked){bits, vk_memory_pick(&m->props, bits, use)};
    return picked->type;
}

static uint32_t type_coherent(const vk_memory *m, uint32_t type) {
    return (m->props.memoryTypes[type].propertyFlags & MEM_HOST_COHERENT) == MEM_HOST_COHERENT;
}

/* Every allocation but a parked range taken back. */
static GPUREG_NOINLINE gpureg_result alloc_searched(vk_backend *vb, const VkMemoryRequirements *req, vk_memory_use use,
                                                    int linear, vk_alloc *out) {
    vk_memory *m = &vb->memory;
    *out = (vk_alloc){0};
    if (m->external.allocate) return external_alloc(vb, req, use, out);
    uint32_t type = pick_type(m, req->memoryTypeBits, use);
    if (type == UINT32_MAX)
        return gpureg__fail(vb->reg, GPUREG_ERR_UNSUPPORTED, "no memory type with flags 0x%x for bits 0x%x",
                            (unsigned)use_wants[use][use_want_count[use] - 1], req->memoryTypeBits);
    out->type_index = type;
    out->size = req->size;
    /* Host-visible memory is always mapped (device_alloc); coherent memory needs no flush. */
    out->coherent = type_coherent(m, type);
    /* Large objects get their own allocation: they would fragment a block and gain nothing. */
    if (req->size > m->block_size[heap_of(m, type)] / 2) {
        return device_alloc(vb, type, req->size, &out->memory, &out->mapped);
    }
    vk_pool *pool = &m->pools[linear ? 1 : 0][type];
    unpark(pool);
    vk_block *b;
    VkDeviceSize offset = 0;
    gpureg_result r = pool_take(vb, pool, type, req, &b, &offset);
    if (r != GPUREG_OK) return r;
    out->memory = b->memory;
    out->offset = offset;
    out->mapped = b->mapped ? (char *)b->mapped + offset : NULL;
    out->block = b;
    return GPUREG_OK;
}

gpureg_result vk_memory_alloc(vk_backend *vb, const VkMemoryRequirements *req, vk_memory_use use, int linear,
                              vk_alloc *out) {
    /* A steady create/release cycle takes back the range it parked: no search, no merge. Only
     * sub-allocations park, so the range is from the pools (no app allocator) and small. */
    vk_memory *m = &vb->memory;
    const vk_memory_picked *picked = &m->picked[use];
    uint32_t type = picked->type;
    if (picked->bits != req->memoryTypeBits || type == UINT32_MAX) return alloc_searched(vb, req, use, linear, out);
    vk_pool *pool = &m->pools[linear ? 1 : 0][type];
    vk_block *b = pool->parked;
    if (!b || pool->parked_size != req->size || pool->parked_offset % req->alignment)
        return alloc_searched(vb, req, use, linear, out);
    pool->parked = NULL;
    VkDeviceSize offset = pool->parked_offset;
    *out = (vk_alloc){.memory = b->memory,
                      .offset = offset,
                      .size = req->size,
                      .mapped = b->mapped ? (char *)b->mapped + offset : NULL,
                      .coherent = type_coherent(m, type),
                      .block = b,
                      .type_index = type};
    return GPUREG_OK;
}

/* Memory of its own or the app's: given back at once. */
static GPUREG_NOINLINE void free_unpooled(vk_backend *vb, const vk_alloc *a) {
    vk_memory *m = &vb->memory;
    if (a->external) {
        gpureg_vk_allocation e = {a->memory, a->offset, a->size, a->mapped, a->user_data};
        m->external.free(&e, m->external.user);
        sub(&m->allocations, 1);
        sub(&m->bytes, a->size);
    } else {
        device_free(vb, a->type_index, a->size, a->memory);
    }
}

void vk_memory_free(vk_backend *vb, vk_alloc *a) {
    if (!a->memory) return;
    vk_block *b = a->block;
    if (b) {
        vk_pool *pool = b->pool;
        if (pool->parked) unpark(pool);
        if (b == pool->blocks && (!b->free_count || b->free[0].offset > a->offset)) {
            pool->parked = b; /* first fit's place for its size: see vk_pool */
            pool->parked_offset = a->offset;
            pool->parked_size = a->size;
        } else {
            block_give(b, a->offset, a->size);
            b->live--;
        }
        maybe_release_block(vb, pool, b);
    } else {
        free_unpooled(vb, a);
    }
    *a = (vk_alloc){0};
}

void vk_memory_shutdown(vk_backend *vb) {
    for (int k = 0; k < VK_POOL_KINDS; k++)
        for (uint32_t t = 0; t < VK_MAX_MEMORY_TYPES; t++) {
            vk_block *b = vb->memory.pools[k][t].blocks;
            while (b) {
                vk_block *next = b->next;
                block_destroy(vb, b);
                b = next;
            }
            vb->memory.pools[k][t].blocks = NULL;
            vb->memory.pools[k][t].parked = NULL;
        }
}

void vk_memory_stats(const vk_backend *vb, gpureg_vk_memory_stats *out) {
    const vk_memory *m = &vb->memory;
    *out = (gpureg_vk_memory_stats){0};
    out->allocate_calls = atomic_load_explicit(&m->allocate_calls, memory_order_relaxed);
    out->allocations = atomic_load_explicit(&m->allocations, memory_order_relaxed);
    out->bytes = atomic_load_explicit(&m->bytes, memory_order_relaxed);
    out->heap_count = m->props.memoryHeapCount;
    for (uint32_t h = 0; h < m->props.memoryHeapCount; h++)
        out->heap_bytes[h] = atomic_load_explicit(&m->heap_bytes[h], memory_order_relaxed);
}

/* The granule joins the driver's alignment as their least common multiple (neither need be a
 * power of two: nonCoherentAtomSize is only required to be one by convention). */
static VkDeviceSize gcd(VkDeviceSize a, VkDeviceSize b) {
    while (b) {
        VkDeviceSize t = a % b;
        a = b;
        b = t;
    }
    return a;
}

gpureg_result vk_memory_buffer_create(vk_backend *vb, VkDeviceSize size, VkBufferUsageFlags usage, vk_memory_use use,
                                      VkDeviceSize granule, VkBuffer *buffer, vk_alloc *mem) {
    VkBufferCreateInfo ci = {.sType = VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO,
                             .size = size,
                             .usage = usage,
                             .sharingMode = VK_SHARING_MODE_EXCLUSIVE};
    gpureg_result r = vk_check(vb, vb->fn.vkCreateBuffer(vb->device, &ci, NULL, buffer), "vkCreateBuffer");
    if (r != GPUREG_OK) return r;
    VkMemoryRequirements req;
    vb->fn.vkGetBufferMemoryRequirements(vb->device, *buffer, &req);
    if (granule > 1) {
        VkDeviceSize a = req.alignment ? req.alignment : 1;
        req.alignment = a / gcd(a, granule) * granule;
        req.size = (req.size + granule - 1) / granule * granule;
    }
    r = vk_memory_alloc(vb, &req, use, 1, mem);
    if (r == GPUREG_OK && !mem->mapped) r = gpureg__fail(vb->reg, GPUREG_ERR_BACKEND, "staging memory is not mapped");
    if (r == GPUREG_OK)
        r = vk_check(vb, vb->fn.vkBindBufferMemory(vb->device, *buffer, mem->memory, mem->offset),
                     "vkBindBufferMemory");
    if (r != GPUREG_OK) {
        vb->fn.vkDestroyBuffer(vb->device, *buffer, NULL);
        if (mem->memory) vk_memory_free(vb, mem);
        *buffer = VK_NULL_HANDLE;
    }
    return r;
}
