/* vk_backend.h — the Vulkan backend's state, shared by vk_registry.c and the vk_*.c files. */
#ifndef GPUREG_VK_BACKEND_H
#define GPUREG_VK_BACKEND_H

#include <stdatomic.h>

#include "core/backend.h"
#include "gpureg/gpureg_vk.h"

typedef struct vk_backend vk_backend;

/* ---- Function table (vk_functions.c) ----------------------------------------------------------
 * X(name, required). Instance-level functions first, then device-level ones. */
#define VK_INSTANCE_FUNCTIONS(X)                                                                                       \
    X(vkGetDeviceProcAddr, 1)                                                                                          \
    X(vkGetPhysicalDeviceProperties, 1)                                                                                \
    X(vkGetPhysicalDeviceMemoryProperties, 1)                                                                          \
    X(vkGetPhysicalDeviceImageFormatProperties, 1)                                                                     \
    X(vkGetPhysicalDeviceFormatProperties, 1)                                                                          \
    X(vkCreateDebugUtilsMessengerEXT, 0)                                                                               \
    X(vkDestroyDebugUtilsMessengerEXT, 0)

#define VK_DEVICE_FUNCTIONS(X)                                                                                         \
    X(vkCreateImage, 1)                                                                                                \
    X(vkDestroyImage, 1)                                                                                               \
    X(vkCreateImageView, 1)                                                                                            \
    X(vkDestroyImageView, 1)                                                                                           \
    X(vkCreateBuffer, 1)                                                                                               \
    X(vkDestroyBuffer, 1)                                                                                              \
    X(vkGetImageMemoryRequirements, 1)                                                                                 \
    X(vkGetBufferMemoryRequirements, 1)                                                                                \
    X(vkAllocateMemory, 1)                                                                                             \
    X(vkFreeMemory, 1)                                                                                                 \
    X(vkBindImageMemory, 1)                                                                                            \
    X(vkBindBufferMemory, 1)                                                                                           \
    X(vkMapMemory, 1)                                                                                                  \
    X(vkUnmapMemory, 1)                                                                                                \
    X(vkFlushMappedMemoryRanges, 1)                                                                                    \
    X(vkCreateFence, 1)                                                                                                \
    X(vkDestroyFence, 1)                                                                                               \
    X(vkResetFences, 1)                                                                                                \
    X(vkGetFenceStatus, 1)                                                                                             \
    X(vkWaitForFences, 1)                                                                                              \
    X(vkQueueSubmit, 1)                                                                                                \
    X(vkCreateCommandPool, 1)                                                                                          \
    X(vkDestroyCommandPool, 1)                                                                                         \
    X(vkAllocateCommandBuffers, 1)                                                                                     \
    X(vkBeginCommandBuffer, 1)                                                                                         \
    X(vkEndCommandBuffer, 1)                                                                                           \
    X(vkResetCommandBuffer, 1)                                                                                         \
    X(vkCmdPipelineBarrier, 1)                                                                                         \
    X(vkCmdCopyBufferToImage, 1)                                                                                       \
    X(vkCmdCopyImageToBuffer, 1)                                                                                       \
    X(vkCmdCopyBuffer, 1)                                                                                              \
    X(vkCreateSampler, 1)                                                                                              \
    X(vkDestroySampler, 1)                                                                                             \
    X(vkCreateShaderModule, 1)                                                                                         \
    X(vkDestroyShaderModule, 1)                                                                                        \
    X(vkDestroyFramebuffer, 1)                                                                                         \
    X(vkDestroyRenderPass, 1)                                                                                          \
    X(vkDestroyPipeline, 1)                                                                                            \
    X(vkDestroyPipelineLayout, 1)                                                                                      \
    X(vkDestroyDescriptorSetLayout, 1)                                                                                 \
    X(vkDestroyDescriptorPool, 1)                                                                                      \
    X(vkGetSemaphoreCounterValue, 0)                                                                                   \
    X(vkWaitSemaphores, 0)                                                                                             \
    X(vkSetDebugUtilsObjectNameEXT, 0)

typedef struct vk_functions {
#define VK_FN_MEMBER(name, required) PFN_##name name;
    VK_INSTANCE_FUNCTIONS(VK_FN_MEMBER)
    VK_DEVICE_FUNCTIONS(VK_FN_MEMBER)
#undef VK_FN_MEMBER
} vk_functions;

/* Load every function; UNSUPPORTED naming the first required one missing. */
gpureg_result vk_functions_load(gpureg_registry *reg, const gpureg_vk_desc *desc, vk_functions *fn);

/* ---- Device memory (vk_memory.c) --------------------------------------------------------------- */
typedef struct vk_block vk_block;

/* Where an object's memory lives. */
typedef struct vk_alloc {
    VkDeviceMemory memory;
    VkDeviceSize offset, size;
    void *mapped;      /* host pointer of `offset`, or NULL */
    uint32_t coherent; /* mapped and HOST_COHERENT: host writes land without a flush */
    vk_block *block;   /* sub-allocated from this block; NULL: own allocation or external */
    uint32_t type_index;
    uint32_t external; /* from the desc's allocate callback; user_data is its record */
    void *user_data;
} vk_alloc;

#define VK_POOL_KINDS 2 /* images (optimal tiling) and buffers (linear) never share a block */
typedef struct vk_pool {
    vk_block *blocks;
    /* The range freed last, parked when first fit would place an object of its size there (it
     * lies before every free range of the first block): still used in its block, it goes to the
     * next allocation of its size that its offset is aligned for, without a search or a merge.
     * Any other allocation or free in the pool gives it back first, and a block holding nothing
     * else counts as empty, so placement and block releases stay exactly first fit's. */
    vk_block *parked; /* NULL: none */
    VkDeviceSize parked_offset, parked_size;
} vk_pool;

/* What an object's memory is for; each use has its own order of memory types to try. */
typedef enum vk_memory_use {
    VK_MEMORY_DEVICE = 0,      /* GPU access only (written through staging): device-local preferred */
    VK_MEMORY_HOST = 1,        /* host-visible and coherent, mapped; device-local preferred among those */
    VK_MEMORY_DEVICE_HOST = 2, /* device-local, and host-visible coherent too where the device has it */
    VK_MEMORY_STAGING = 3,     /* host-visible, mapped; coherent preferred, else flushed (vk_staging_ring.c) */
} vk_memory_use;
#define VK_MEMORY_USES 4

/* What vk_memory_pick answered last for a use: every create of a kind asks it the same. */
typedef struct vk_memory_picked {
    uint32_t bits, type; /* {0, UINT32_MAX} until asked, which is the answer for no bits */
} vk_memory_picked;

typedef struct vk_memory {
    VkPhysicalDeviceMemoryProperties props;
    VkDeviceSize block_size[VK_MAX_MEMORY_HEAPS];
    vk_pool pools[VK_POOL_KINDS][VK_MAX_MEMORY_TYPES];
    vk_memory_picked picked[VK_MEMORY_USES];
    gpureg_vk_memory_callbacks external;
    _Atomic uint64_t allocate_calls, allocations, bytes;
    _Atomic uint64_t heap_bytes[VK_MAX_MEMORY_HEAPS];
} vk_memory;

void vk_memory_init(vk_backend *vb, const gpureg_vk_desc *desc);
/* The memory type for `use` among `bits`, or UINT32_MAX if none fits. Pure: tests feed it the
 * memory properties of devices they do not have. */
uint32_t vk_memory_pick(const VkPhysicalDeviceMemoryProperties *props, uint32_t bits, vk_memory_use use);
/* Memory for `req` and `use`; `linear` picks the buffer pools. OUT_OF_MEMORY / BACKEND / UNSUPPORTED. */
gpureg_result vk_memory_alloc(vk_backend *vb, const VkMemoryRequirements *req, vk_memory_use use, int linear,
                              vk_alloc *out);
void vk_memory_free(vk_backend *vb, vk_alloc *a);
/* A buffer of `size` bytes bound to memory of `use` (the staging kinds: host-visible), its
 * memory offset and size rounded to multiples of `granule` (1: as the driver asks). On failure
 * nothing is left. The staging scratch and the staging ring's chunks are made with it. */
gpureg_result vk_memory_buffer_create(vk_backend *vb, VkDeviceSize size, VkBufferUsageFlags usage, vk_memory_use use,
                                      VkDeviceSize granule, VkBuffer *buffer, vk_alloc *mem);
void vk_memory_shutdown(vk_backend *vb); /* frees the blocks (all objects are gone) */
void vk_memory_stats(const vk_backend *vb, gpureg_vk_memory_stats *out);

/* ---- Fences (vk_fences.c) ---------------------------------------------------------------------- */
typedef enum vk_fence_kind { VK_FRAME_OWN = 0, VK_FRAME_APP_FENCE = 1, VK_FRAME_TIMELINE = 2 } vk_fence_kind;

typedef struct vk_frame_fence {
    uint64_t serial;
    vk_fence_kind kind;
    VkFence fence;         /* own or app fence */
    VkSemaphore semaphore; /* timeline */
    uint64_t value;
} vk_frame_fence;

#define VK_FRAME_RING 32u /* frames recorded and not yet seen finished */
typedef struct vk_fences {
    vk_frame_fence ring[VK_FRAME_RING];
    uint32_t head, count; /* oldest entry, entries */
    VkFence free_fences[VK_FRAME_RING];
    uint32_t free_count;
    /* What the next fence_insert records (set by the gpureg_vk_frame_end_* calls). */
    vk_fence_kind next_kind;
    VkFence next_fence;
    VkSemaphore next_semaphore;
    uint64_t next_value;
    uint64_t completed;
} vk_fences;

gpureg_result vk_fences_init(vk_backend *vb, uint32_t frames_in_flight);
void vk_fences_shutdown(vk_backend *vb);
gpureg__fence_insert_fn vk_fence_insert;
gpureg__fence_poll_fn vk_fence_poll;
gpureg__fence_wait_fn vk_fence_wait;

/* ---- Staging ring for writes recorded into app command buffers (vk_staging_ring.c) ------------
 * A few large persistently mapped buffers (chunks). Each recorded write takes an aligned range from
 * the open chunk; a chunk is tagged with the last frame that took from it and recycled once that
 * frame's fence is seen signalled. */
typedef struct vk_chunk vk_chunk;

typedef struct vk_staging_ring {
    vk_chunk *open;         /* ranges are taken from it; never trimmed */
    vk_chunk *busy;         /* retired, waiting for the fence of their last frame */
    vk_chunk *free;         /* recycled: every frame that used them has finished */
    VkDeviceSize next_size; /* of the next regular chunk: doubles from the first, capped */
    uint64_t chunks, bytes; /* live chunks and their bytes */
} vk_staging_ring;

/* Where one write's data goes: `size` bytes at `offset` of `buffer`, mapped at `mapped`. */
typedef struct vk_staging_range {
    VkBuffer buffer;
    VkDeviceSize offset, size;
    void *mapped;
    vk_chunk *chunk; /* NULL: the registry-submit path's scratch buffer */
} vk_staging_range;

/* A range of `size` bytes at a multiple of `align` for a write recorded in the open frame.
 * OUT_OF_MEMORY / BACKEND when a chunk is needed and cannot be made; nothing changes then. */
gpureg_result vk_staging_ring_take(vk_backend *vb, VkDeviceSize size, VkDeviceSize align, vk_staging_range *out);
/* After the host wrote the range: make the writes visible (a flush, for non-coherent memory). */
gpureg_result vk_staging_ring_flush(vk_backend *vb, const vk_staging_range *range);
/* Recycle chunks whose frames are <= completed; free dedicated and long-idle ones. */
void vk_staging_ring_reclaim(vk_backend *vb, uint64_t completed);
int vk_staging_ring_waiting(const vk_backend *vb); /* chunks wait for a fence */
void vk_staging_ring_shutdown(vk_backend *vb);     /* frees every chunk (the GPU is done or lost) */

/* ---- Transfers (vk_transfer.c) ---------------------------------------------------------------- */
typedef struct vk_staging vk_staging; /* the registry-submit path's scratch buffer */

typedef struct vk_transfer {
    VkCommandPool pool;
    VkCommandBuffer cmd;
    VkFence fence;
    VkCommandBuffer app_cmd; /* gpureg_vk_set_command_buffer */
    vk_staging *scratch;     /* the registry-submit path's staging buffer, grown as needed */
} vk_transfer;

/* A texture gpureg created or adopted: what transfers and resolves need beyond the VkImage. */
typedef struct vk_texture {
    vk_alloc mem;         /* memory.memory == 0: adopted without memory */
    VkImageView view;     /* VK_NULL_HANDLE: transfer-only usage, or adopted without one */
    VkImageLayout layout; /* owner thread only: transfers and set_layout write it plainly */
    VkImageAspectFlags aspect;
    uint32_t adopted;
    gpureg_adopt_destroy_fn destroy; /* adopted: the app's destroy, or NULL for gpureg's own */
    void *destroy_user;
    vk_backend *owner; /* adopted: the destroy trampoline gets only this record */
} vk_texture;

typedef struct vk_buffer {
    vk_alloc mem;
    uint32_t direct; /* STREAM / DYNAMIC in coherent mapped memory: writes are a memcpy */
    uint32_t adopted;
    gpureg_adopt_destroy_fn destroy;
    void *destroy_user;
    vk_backend *owner;
} vk_buffer;

gpureg_result vk_transfer_init(vk_backend *vb);
void vk_transfer_shutdown(vk_backend *vb);
gpureg__texture_write_fn vk_texture_write;
gpureg__texture_read_fn vk_texture_read;
gpureg__buffer_write_fn vk_buffer_write;
gpureg__buffer_read_fn vk_buffer_read;
VkImageLayout vk_resting_layout(uint32_t usage);

/* ---- Every other kind (vk_objects.c) ----------------------------------------------------------- */
gpureg__object_create_fn vk_object_create;
/* Destroy / name a native object of a generic kind (no-ops for kinds Vulkan has not). */
void vk_object_destroy_kind(vk_backend *vb, gpureg_object_kind kind, uint64_t native);
void vk_object_name_kind(vk_backend *vb, gpureg_object_kind kind, uint64_t native, const char *name);

/* ---- Debug utils (vk_debug.c) ------------------------------------------------------------------ */
gpureg_result vk_debug_init(vk_backend *vb);
void vk_debug_shutdown(vk_backend *vb);
void vk_debug_name(vk_backend *vb, VkObjectType type, uint64_t object, const char *name);

/* ---- The backend state ------------------------------------------------------------------------- */
struct vk_backend {
    gpureg_registry *reg;
    vk_functions fn;
    VkInstance instance;
    VkPhysicalDevice physical_device;
    VkDevice device;
    VkQueue queue;
    uint32_t queue_family_index;
    VkPhysicalDeviceProperties props;
    uint32_t timeline; /* vkGetSemaphoreCounterValue / vkWaitSemaphores are loaded */
    uint32_t debug_utils_off;
    VkDebugUtilsMessengerEXT messenger;
    vk_memory memory;
    vk_fences fences;
    vk_transfer transfer;
    vk_staging_ring staging;
};

extern const gpureg__backend_ops vk_backend_ops, vk_backend_ops_unnamed;
/* The backend of a Vulkan registry, or NULL after logging UNSUPPORTED naming `function`
 * (vk_registry.c). */
vk_backend *vk_backend_of(const gpureg_registry *reg, const char *function);

/* Map a VkResult to a gpureg result (DEVICE_LOST marks the registry lost), logging `what`.
 * Success is answered inline, as every Vulkan call of a create passes here; vk_fail (vk_result.c)
 * maps and logs the rest. */
gpureg_result vk_fail(vk_backend *vb, VkResult vr, const char *what);
static inline gpureg_result vk_check(vk_backend *vb, VkResult vr, const char *what) {
    return vr == VK_SUCCESS ? GPUREG_OK : vk_fail(vb, vr, what);
}

#endif /* GPUREG_VK_BACKEND_H */
