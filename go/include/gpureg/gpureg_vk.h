/*
 * gpureg_vk.h — the Vulkan backend: a registry on the application's VkDevice and queue.
 *
 * The application keeps its instance, device and queue; gpureg creates VkImage / VkImageView /
 * VkBuffer / VkSampler / VkShaderModule objects (and memory) on that device, adopts the app's
 * own objects of those and the other kinds below, and destroys them after the fence of the last
 * frame that could use them. Every Vulkan function gpureg calls is loaded through the
 * vkGetInstanceProcAddr the desc passes (the loader's, volk's, or a test's wrapper), so gpureg
 * itself links no Vulkan library. Vulkan 1.1 is the minimum.
 *
 * Frames
 *   gpureg_frame_begin opens frame N; one of the frame-end calls records what signals when the
 *   GPU has finished frame N:
 *     gpureg_frame_end(reg)                     an empty vkQueueSubmit on the registry's queue with
 *                                               a fence from the registry's pool (the default);
 *     gpureg_vk_frame_end_fence(reg, fence)     the app's VkFence of the frame's last submit;
 *     gpureg_vk_frame_end_timeline(reg, s, v)   the app's timeline semaphore reaching value v.
 *   A fence or semaphore signal covers all earlier submissions on the same queue, so gpureg
 *   treats frame N as finished when the fence of any frame >= N has signalled. Call
 *   gpureg_frame_begin after waiting for an app fence and before resetting it: a fence reset
 *   before gpureg has seen it signalled only delays destruction (never hastens it). Work the app
 *   submits on other queues is covered only if the app's fence or semaphore waits for it.
 *
 * Textures
 *   gpureg adds TRANSFER_SRC | TRANSFER_DST to every image and buffer it creates, so writes and
 *   reads always work. A texture whose usage (gpureg_texture_desc.usage) has SAMPLED, STORAGE,
 *   COLOR_ATTACHMENT or DEPTH_STENCIL_ATTACHMENT gets a VkImageView (depth aspect for depth
 *   formats, stencil aspect for S8_UINT); a transfer-only texture (usage TRANSFER_SRC and/or
 *   TRANSFER_DST, nothing else) has no view, because Vulkan allows none of an image without such
 *   a usage (VUID-VkImageViewCreateInfo-image-04441): its writes, reads, image, query and report
 *   work as for any texture, and gpureg_vk_texture_view answers UNSUPPORTED.
 *   A texture is in layout UNDEFINED until its first gpureg transfer; after any gpureg transfer
 *   every subresource is in the texture's *resting layout*:
 *     SAMPLED                           VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL
 *     else STORAGE                      VK_IMAGE_LAYOUT_GENERAL
 *     else COLOR_ATTACHMENT             VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL
 *     else DEPTH_STENCIL_ATTACHMENT     VK_IMAGE_LAYOUT_DEPTH_STENCIL_ATTACHMENT_OPTIMAL
 *     else                              VK_IMAGE_LAYOUT_GENERAL
 *   An app that leaves a texture in another layout tells gpureg with gpureg_vk_texture_set_layout
 *   before the next gpureg transfer. D24S8 texel data is one uint32 per texel: depth in the low
 *   24 bits, stencil in the high 8 (gpureg copies the two aspects separately).
 *   A format is supported for a usage when the device's optimal-tiling format features have
 *   what the usage needs (vkGetPhysicalDeviceFormatProperties: SAMPLED_IMAGE, STORAGE_IMAGE,
 *   COLOR_ATTACHMENT, DEPTH_STENCIL_ATTACHMENT, and TRANSFER_SRC | TRANSFER_DST always) and
 *   vkGetPhysicalDeviceImageFormatProperties accepts it; otherwise creation answers UNSUPPORTED.
 *   S8_UINT (VK_FORMAT_S8_UINT, optional in Vulkan) depends on the device this way; its texels
 *   are one byte, copied through the stencil aspect.
 *
 * Memory
 *   By default gpureg sub-allocates: per memory type (and separately for images and buffers, so
 *   bufferImageGranularity never matters) it allocates blocks of min(64 MiB, heap size / 8) and
 *   places objects in them first-fit; an object larger than half a block gets its own
 *   allocation. One empty block per pool is kept for reuse. Alternatively the desc's memory
 *   callbacks (VMA, an engine's allocator) provide memory for every object.
 *   A buffer's memory follows its usage and update hint (gpureg_buffer_desc.update):
 *     usage HOST_VISIBLE, or STREAM   HOST_VISIBLE | HOST_COHERENT, device-local when such a type
 *                                     exists; stays mapped
 *     DYNAMIC                         DEVICE_LOCAL | HOST_VISIBLE | HOST_COHERENT when the device
 *                                     has it (integrated GPUs, resizable BAR), else DEVICE_LOCAL
 *     STATIC (the default)            DEVICE_LOCAL preferred (as textures)
 *   gpureg_buffer_write on a STREAM or DYNAMIC buffer whose memory is host-visible copies into
 *   the mapping at once: no staging, no submission, no wait, and no ordering with GPU work in
 *   flight (as a write through gpureg_vk_buffer_mapped): the app writes ranges no submitted
 *   work still reads, e.g. one range per frame in flight. Every other buffer write goes through
 *   staging, ordered on the queue (see "Transfers"). Reads always go through staging. With the
 *   desc's memory callbacks a DYNAMIC buffer is allocated with no required flags and written
 *   through staging (gpureg cannot know whether memory the app mapped is coherent).
 *   gpureg_vk_buffer_mapped answers for HOST_VISIBLE usage only, whatever the hint.
 *
 * Transfers
 *   gpureg_texture_write / gpureg_buffer_write copy through registry-owned staging memory. By
 *   default gpureg records, submits on the registry's queue and waits for that submission before
 *   returning (one scratch buffer, grown to the largest transfer). After
 *   gpureg_vk_set_command_buffer(reg, cmd) writes are recorded into the app's command buffer
 *   instead (an open frame is required; the app submits cmd in that frame). Their data goes into
 *   a staging ring: a few persistently mapped buffers (chunks, sub-allocated as buffers are) of
 *   which each write takes an aligned range; a chunk is reused once the fence of the last frame
 *   that wrote into it is seen signalled, so in the steady state a recorded write makes no
 *   vkCreateBuffer or vkAllocateMemory call. The first chunk is 1 MiB; when a frame needs more
 *   than the free chunks hold, the ring grows by a chunk twice the size of the last one, up to
 *   32 MiB; a single write larger than that gets a chunk of its own, freed after its frame's
 *   fence. A free chunk no frame used for 256 frames is freed (the one in use stays). Staging
 *   memory is host-visible and coherent where the device has such a type (with the desc's memory
 *   callbacks, required HOST_VISIBLE | HOST_COHERENT); else gpureg flushes each write's range.
 *   Reads always submit and wait, on the registry's queue: a read of a texture whose write is
 *   recorded in the app's command buffer but not yet submitted sees the texture as it was before
 *   that write (submit first).
 *
 * Other kinds (see "Object kinds" in gpureg.h)
 *   gpureg_sampler_create makes a VkSampler (mip NONE: mipmapMode NEAREST with maxLod 0.25, the
 *   spec's emulation of sampling level 0 only; no anisotropy, no compare; W wraps as U) and
 *   gpureg_shader_create a VkShaderModule from SPIR-V (code_size a multiple of 4 and 20 at least,
 *   starting with the magic number, else INVALID_ARGUMENT; code at an address that is not
 *   4-byte aligned is copied first). Renderbuffers, framebuffers, programs, vertex arrays and
 *   render targets answer UNSUPPORTED: make the Vulkan objects yourself and adopt them with
 *   gpureg_vk_object_adopt (image views, samplers, framebuffers, render passes, pipelines,
 *   pipeline layouts, descriptor set layouts, descriptor pools, shader modules). Each is named
 *   in the driver with its VkObjectType and destroyed, after its fence, with vkDestroy<Type>.
 *
 * Debug messages
 *   When the instance has VK_EXT_debug_utils, gpureg registers its own VkDebugUtilsMessenger
 *   (user data: the registry's guard token, never a pointer), names every object it creates or
 *   adopts `gpureg 0x<handle> "<label>" @ file:line (function)` with vkSetDebugUtilsObjectNameEXT
 *   and maps each message back to the handle it names (gpureg_message.handle).
 *
 * Threads: as gpureg.h. The owner thread is the one that records and submits on the registry's
 * queue; gpureg submits on it only from owner-thread calls (frame end, transfers), so the app
 * must not use the queue from another thread at the same time.
 */
#ifndef GPUREG_GPUREG_VK_H
#define GPUREG_GPUREG_VK_H

#include <vulkan/vulkan.h>

#include "gpureg/gpureg.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Memory the app's allocator hands gpureg for one object. */
typedef struct gpureg_vk_allocation {
    VkDeviceMemory memory;
    VkDeviceSize offset;
    VkDeviceSize size;
    void *mapped;    /* host pointer of `offset` when HOST_VISIBLE was required, else may be NULL */
    void *user_data; /* the allocator's own record (a VmaAllocation, ...), given back to free */
} gpureg_vk_allocation;

/* External device-memory allocator. Both functions set, or both NULL for gpureg's sub-allocator.
 * allocate: memory meeting `requirements` with all `required` property flags (HOST_VISIBLE |
 *   HOST_COHERENT for mappable buffers, which must then come back mapped; else DEVICE_LOCAL is
 *   preferred, not required). Return VK_SUCCESS, or an error VkResult
 *   (VK_ERROR_OUT_OF_DEVICE_MEMORY / VK_ERROR_OUT_OF_HOST_MEMORY -> GPUREG_ERR_OUT_OF_MEMORY).
 * free: called once per successful allocate, after the object is destroyed.
 * Both run on the owner thread inside gpureg calls; they must not call gpureg. */
typedef struct gpureg_vk_memory_callbacks {
    VkResult (*allocate)(const VkMemoryRequirements *requirements, VkMemoryPropertyFlags required,
                         gpureg_vk_allocation *out, void *user);
    void (*free)(const gpureg_vk_allocation *allocation, void *user);
    void *user;
} gpureg_vk_memory_callbacks;

/*
 * Vulkan registry desc. Zero-initialise; every member is required unless it says otherwise.
 */
typedef struct gpureg_vk_desc {
    VkInstance instance;
    VkPhysicalDevice physical_device;
    VkDevice device; /* created with Vulkan >= 1.1 */
    VkQueue queue;   /* the queue the app submits frames on; needs transfer (graphics or compute) */
    uint32_t queue_family_index;
    /* The loader entry point every function is loaded through (vkGetInstanceProcAddr, volk's,
     * or a wrapper). Device functions come from the vkGetDeviceProcAddr it returns. */
    PFN_vkGetInstanceProcAddr get_instance_proc_addr;
    /* Optional: the device's API version when it is above 1.1 and enabled features matter; 0 means
     * "ask the physical device". Timeline frames need the timelineSemaphore feature enabled. */
    uint32_t api_version;
    /* Optional external allocator; default gpureg's sub-allocator. */
    gpureg_vk_memory_callbacks memory;
    /* Optional: 1 = do not register a debug messenger or name objects even when the instance has
     * VK_EXT_debug_utils. Default 0. */
    uint32_t disable_debug_utils;
} gpureg_vk_desc;

/* Create a registry on the app's device. The calling thread becomes the owner thread.
 * desc may be NULL: every registry default.
 * @errors NULL_POINTER (vk, out, or a required handle of vk is 0), INVALID_ARGUMENT (desc
 *   member out of range, memory callbacks half set), UNSUPPORTED (a required Vulkan function
 *   is missing, device below Vulkan 1.1), OUT_OF_MEMORY, BACKEND (driver error). On error *out is NULL.
 * @thread_safety any thread. @pointer_lifetime both descs are read during the call only; the
 *   Vulkan handles must stay valid until gpureg_destroy returns. */
GPUREG_API gpureg_result gpureg_vk_create(const gpureg_vk_desc *vk, const gpureg_registry_desc *desc,
                                          gpureg_registry **out);

/* ---- Resolve (any thread, wait-free, like gpureg_resolve) ------------------------------------
 * @errors NULL_POINTER, UNSUPPORTED (not a Vulkan registry), the handle errors, DEVICE_LOST.
 * On error the outputs are VK_NULL_HANDLE / 0 / NULL.
 * @pointer_lifetime what they return stays valid while the caller holds a reference to the
 *   handle (and until the fence of the frame in which it drops it). */
GPUREG_API gpureg_result gpureg_vk_texture_image(const gpureg_registry *reg, gpureg_texture tex, VkImage *out);
/* The view gpureg made (2D, or 2D_ARRAY when array_layers > 1; depth aspect for depth formats);
 * for an adopted texture the view it was adopted with.
 * @errors as above, plus UNSUPPORTED when the texture has no view: its usage is transfer-only
 *   (none of SAMPLED, STORAGE, COLOR_ATTACHMENT, DEPTH_STENCIL_ATTACHMENT; see "Textures"), or it
 *   was adopted with view VK_NULL_HANDLE. OK never comes with VK_NULL_HANDLE. */
GPUREG_API gpureg_result gpureg_vk_texture_view(const gpureg_registry *reg, gpureg_texture tex, VkImageView *out);
GPUREG_API gpureg_result gpureg_vk_buffer_buffer(const gpureg_registry *reg, gpureg_buffer buf, VkBuffer *out);
/* Memory backing an object (offset within `memory`); UNSUPPORTED for adopted objects adopted
 * without memory. */
GPUREG_API gpureg_result gpureg_vk_texture_memory(const gpureg_registry *reg, gpureg_texture tex,
                                                  VkDeviceMemory *out_memory, VkDeviceSize *out_offset);
GPUREG_API gpureg_result gpureg_vk_buffer_memory(const gpureg_registry *reg, gpureg_buffer buf,
                                                 VkDeviceMemory *out_memory, VkDeviceSize *out_offset);
/* Host pointer to the start of a HOST_VISIBLE buffer (persistently mapped, coherent). Writes through
 * it are not ordered with GPU work: the app synchronises. UNSUPPORTED when not HOST_VISIBLE. */
GPUREG_API gpureg_result gpureg_vk_buffer_mapped(const gpureg_registry *reg, gpureg_buffer buf, void **out);

/* ---- Layouts (owner thread; not resolves) ---------------------------------------------------
 * Layout gpureg believes the texture is in (see "Textures" above) / tell it the app changed it.
 * @errors NULL_POINTER, UNSUPPORTED, handle errors, WRONG_THREAD (both: from a thread other
 *   than the owner; *out is then VK_IMAGE_LAYOUT_UNDEFINED), INVALID_ARGUMENT (set:
 *   VK_IMAGE_LAYOUT_UNDEFINED or PREINITIALIZED).
 * @thread_safety owner thread, the get form too: the layout is owner-thread state that every
 *   gpureg transfer and set_layout rewrite (not an atomic, unlike what the resolves read), and it
 *   only means something in order with the owner's recording and submits. */
GPUREG_API gpureg_result gpureg_vk_texture_layout(gpureg_registry *reg, gpureg_texture tex, VkImageLayout *out);
GPUREG_API gpureg_result gpureg_vk_texture_set_layout(gpureg_registry *reg, gpureg_texture tex, VkImageLayout layout);

/* ---- Adopt ------------------------------------------------------------------------------------ */

/* An app-made object handed to gpureg. */
typedef struct gpureg_vk_adopt_desc {
    VkImageView view;      /* textures: optional; destroyed with the image when destroy is NULL */
    VkDeviceMemory memory; /* optional; freed with the object when destroy is NULL */
    VkDeviceSize offset;   /* of the object in memory */
    VkImageLayout layout;  /* textures: current layout of every subresource (UNDEFINED is fine) */
    /* NULL: gpureg destroys view, image/buffer and frees memory itself after the fence.
     * Else called instead, once, on the owner thread, with the VkImage/VkBuffer as uint64_t. */
    gpureg_adopt_destroy_fn destroy;
    void *user;
} gpureg_vk_adopt_desc;

/* Put an app-created VkImage / VkBuffer under gpureg's refcount, deferred destruction and report.
 * The gpureg desc describes the object (its size, format, usage as created).
 * @errors as gpureg_texture_adopt_at, plus NULL_POINTER (adopt) and UNSUPPORTED (not Vulkan).
 *   On error the caller still owns everything.
 * @thread_safety owner thread. @pointer_lifetime descs are copied; `adopt->user` is kept until
 *   destroy has run. */
GPUREG_API gpureg_result gpureg_vk_texture_adopt_at(gpureg_registry *reg, const gpureg_texture_desc *desc,
                                                    VkImage image, const gpureg_vk_adopt_desc *adopt,
                                                    const gpureg_site *site, gpureg_texture *out);
#define gpureg_vk_texture_adopt(reg, desc, image, adopt, out)                                                          \
    gpureg_vk_texture_adopt_at((reg), (desc), (image), (adopt), GPUREG_SITE_HERE, (out))
GPUREG_API gpureg_result gpureg_vk_buffer_adopt_at(gpureg_registry *reg, const gpureg_buffer_desc *desc,
                                                   VkBuffer buffer, const gpureg_vk_adopt_desc *adopt,
                                                   const gpureg_site *site, gpureg_buffer *out);
#define gpureg_vk_buffer_adopt(reg, desc, buffer, adopt, out)                                                          \
    gpureg_vk_buffer_adopt_at((reg), (desc), (buffer), (adopt), GPUREG_SITE_HERE, (out))

/* Who destroys an adopted Vulkan object of a generic kind. */
typedef enum gpureg_vk_ownership {
    GPUREG_VK_ADOPT_DESTROY = 1, /* gpureg calls vkDestroy<Kind> with the registry's device and allocator */
    GPUREG_VK_ADOPT_KEEP = 2,    /* gpureg only tracks it; the app destroys it */
    GPUREG_VK_OWNERSHIP_FORCE32 = 0x7fffffff
} gpureg_vk_ownership;

/* Adopt an app-made VkImageView, VkSampler, VkFramebuffer, VkRenderPass, VkPipeline,
 * VkPipelineLayout, VkDescriptorSetLayout, VkDescriptorPool or VkShaderModule (desc->kind:
 * IMAGE_VIEW, SAMPLER, FRAMEBUFFER, RENDER_PASS, PIPELINE, PIPELINE_LAYOUT,
 * DESCRIPTOR_SET_LAYOUT, DESCRIPTOR_POOL, SHADER) of the registry's device: refcount, deferred
 * destruction after the fence, label (vkSetDebugUtilsObjectNameEXT) and report as gpureg's own.
 * @errors NULL_POINTER, INVALID_ARGUMENT (handle 0, a kind Vulkan has not, unknown ownership),
 *   the desc errors of gpureg_object_adopt_at, UNSUPPORTED (not a Vulkan registry),
 *   WRONG_THREAD, DEVICE_LOST. @thread_safety owner thread. @pointer_lifetime desc is copied. */
GPUREG_API gpureg_result gpureg_vk_object_adopt_at(gpureg_registry *reg, const gpureg_object_desc *desc,
                                                   uint64_t handle, gpureg_vk_ownership ownership,
                                                   const gpureg_site *site, gpureg_object *out);
#define gpureg_vk_object_adopt(reg, desc, handle, ownership, out)                                                      \
    gpureg_vk_object_adopt_at((reg), (desc), (handle), (ownership), GPUREG_SITE_HERE, (out))

/* The Vulkan handle of a live object of a generic kind (as uint64_t; cast to the kind's type),
 * and its kind (optional). @errors NULL_POINTER (reg, out), the handle errors (WRONG_TYPE for a
 * texture or buffer), UNSUPPORTED (not a Vulkan registry), DEVICE_LOST. On error *out is 0 and
 * *out_kind UNDEFINED. @thread_safety any thread (wait-free). @pointer_lifetime as the resolves. */
GPUREG_API gpureg_result gpureg_vk_object_handle(const gpureg_registry *reg, gpureg_object obj, uint64_t *out,
                                                 gpureg_object_kind *out_kind);

/* ---- Frames ----------------------------------------------------------------------------------- */

/* End the open frame with the app's fence: the one passed to the frame's last vkQueueSubmit on
 * the registry's queue (submitted before this call). Keep it alive until gpureg has seen it
 * signalled or until gpureg_destroy (see "Frames" above).
 * @errors as gpureg_frame_end, plus NULL_POINTER (fence is VK_NULL_HANDLE), UNSUPPORTED.
 * @thread_safety owner thread. */
GPUREG_API gpureg_result gpureg_vk_frame_end_fence(gpureg_registry *reg, VkFence fence);
/* End the open frame with a timeline semaphore value the frame's work signals (Vulkan 1.2
 * timelineSemaphore). Errors as gpureg_vk_frame_end_fence; UNSUPPORTED without timeline support. */
GPUREG_API gpureg_result gpureg_vk_frame_end_timeline(gpureg_registry *reg, VkSemaphore semaphore, uint64_t value);

/* ---- Transfers -------------------------------------------------------------------------------- */

/* Record later texture/buffer writes into `cmd` (in the recording state, on the registry's queue
 * family) instead of submitting them; VK_NULL_HANDLE goes back to submitting. While set, writes
 * need an open frame (FRAME_STATE otherwise) and the app must submit cmd in that frame.
 * @errors NULL_POINTER, UNSUPPORTED, WRONG_THREAD. @thread_safety owner thread. */
GPUREG_API gpureg_result gpureg_vk_set_command_buffer(gpureg_registry *reg, VkCommandBuffer cmd);

/* ---- Memory statistics -------------------------------------------------------------------------- */
typedef struct gpureg_vk_memory_stats {
    uint64_t allocate_calls;                  /* vkAllocateMemory calls (or external allocates) ever */
    uint64_t allocations;                     /* live device allocations (= stats.device_allocations) */
    uint64_t bytes;                           /* bytes in them (= stats.device_bytes) */
    uint64_t heap_bytes[VK_MAX_MEMORY_HEAPS]; /* the same bytes per memory heap */
    uint32_t heap_count;
    uint32_t reserved;
} gpureg_vk_memory_stats;
/* @errors NULL_POINTER, UNSUPPORTED. @thread_safety any thread (counters may be a moment apart). */
GPUREG_API gpureg_result gpureg_vk_get_memory_stats(const gpureg_registry *reg, gpureg_vk_memory_stats *out);

#ifdef __cplusplus
}
#endif
#endif /* GPUREG_GPUREG_VK_H */
