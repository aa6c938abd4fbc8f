/* vk_api.c — the Vulkan-only public calls: resolve to Vulkan handles, layouts, the
 * frame-end variants, the app command buffer for uploads and memory statistics. */
#include "vk_backend.h"

/* The object behind a handle of a Vulkan registry, as gpureg_resolve checks it. */
static gpureg_result lookup(const gpureg_registry *reg, gpureg_handle h, gpureg_object_type type, const void *out,
                            gpureg__object *obj, const char *fn) {
    if (!reg) return GPUREG_ERR_NULL_POINTER;
    if (!vk_backend_of(reg, fn)) return GPUREG_ERR_UNSUPPORTED;
    if (!out) return gpureg__fail(reg, GPUREG_ERR_NULL_POINTER, "%s: out is NULL", fn);
    gpureg_result r = gpureg__check_device(reg, fn);
    return r == GPUREG_OK ? gpureg__lookup(reg, h, type, obj, fn) : r;
}

gpureg_result gpureg_vk_texture_image(const gpureg_registry *reg, gpureg_texture tex, VkImage *out) {
    gpureg__object o;
    if (out) *out = VK_NULL_HANDLE;
    gpureg_result r = lookup(reg, tex.id, GPUREG_TYPE_TEXTURE, out, &o, "gpureg_vk_texture_image");
    if (r == GPUREG_OK) *out = (VkImage)(uintptr_t)o.native;
    return r;
}

/* No view: gpureg makes none for a transfer-only usage, and an app may adopt an image without
 * one. UNSUPPORTED then, never OK with VK_NULL_HANDLE (as gpureg_vk_texture_memory without memory). */
gpureg_result gpureg_vk_texture_view(const gpureg_registry *reg, gpureg_texture tex, VkImageView *out) {
    static const char fn[] = "gpureg_vk_texture_view";
    gpureg__object o;
    if (out) *out = VK_NULL_HANDLE;
    gpureg_result r = lookup(reg, tex.id, GPUREG_TYPE_TEXTURE, out, &o, fn);
    if (r != GPUREG_OK) return r;
    VkImageView view = (VkImageView)(uintptr_t)o.aux.value[0];
    if (!view)
        return gpureg__fail(reg, GPUREG_ERR_UNSUPPORTED,
                            o.adopted ? "%s: the texture was adopted without a view (usage 0x%x)"
                                      : "%s: usage 0x%x has no view (none of SAMPLED, STORAGE, COLOR_ATTACHMENT, "
                                        "DEPTH_STENCIL_ATTACHMENT)",
                            fn, o.texture.usage);
    *out = view;
    return GPUREG_OK;
}

gpureg_result gpureg_vk_buffer_buffer(const gpureg_registry *reg, gpureg_buffer buf, VkBuffer *out) {
    gpureg__object o;
    if (out) *out = VK_NULL_HANDLE;
    gpureg_result r = lookup(reg, buf.id, GPUREG_TYPE_BUFFER, out, &o, "gpureg_vk_buffer_buffer");
    if (r == GPUREG_OK) *out = (VkBuffer)(uintptr_t)o.native;
    return r;
}

gpureg_result gpureg_vk_object_handle(const gpureg_registry *reg, gpureg_object obj, uint64_t *out,
                                      gpureg_object_kind *out_kind) {
    gpureg__object o;
    if (out) *out = 0;
    if (out_kind) *out_kind = GPUREG_KIND_UNDEFINED;
    gpureg_result r = lookup(reg, obj.id, GPUREG_TYPE_OBJECT, out, &o, "gpureg_vk_object_handle");
    if (r != GPUREG_OK) return r;
    *out = o.native;
    if (out_kind) *out_kind = o.kind;
    return GPUREG_OK;
}

/* Both record kinds start with their vk_alloc. */
static gpureg_result memory_of(const gpureg_registry *reg, gpureg_handle h, gpureg_object_type type,
                               VkDeviceMemory *out_memory, VkDeviceSize *out_offset, const char *fn) {
    gpureg__object o;
    if (out_memory) *out_memory = VK_NULL_HANDLE;
    if (out_offset) *out_offset = 0;
    gpureg_result r = lookup(reg, h, type, out_memory && out_offset ? out_memory : NULL, &o, fn);
    if (r != GPUREG_OK) return r;
    const vk_alloc *a = type == GPUREG_TYPE_TEXTURE ? &((const vk_texture *)(uintptr_t)o.aux.value[1])->mem
                                                    : &((const vk_buffer *)(uintptr_t)o.aux.value[1])->mem;
    if (!a->memory) return gpureg__fail(reg, GPUREG_ERR_UNSUPPORTED, "%s: adopted without its memory", fn);
    *out_memory = a->memory;
    *out_offset = a->offset;
    return GPUREG_OK;
}

gpureg_result gpureg_vk_texture_memory(const gpureg_registry *reg, gpureg_texture tex, VkDeviceMemory *out_memory,
                                       VkDeviceSize *out_offset) {
    return memory_of(reg, tex.id, GPUREG_TYPE_TEXTURE, out_memory, out_offset, "gpureg_vk_texture_memory");
}

gpureg_result gpureg_vk_buffer_memory(const gpureg_registry *reg, gpureg_buffer buf, VkDeviceMemory *out_memory,
                                      VkDeviceSize *out_offset) {
    return memory_of(reg, buf.id, GPUREG_TYPE_BUFFER, out_memory, out_offset, "gpureg_vk_buffer_memory");
}

gpureg_result gpureg_vk_buffer_mapped(const gpureg_registry *reg, gpureg_buffer buf, void **out) {
    static const char fn[] = "gpureg_vk_buffer_mapped";
    gpureg__object o;
    if (out) *out = NULL;
    gpureg_result r = lookup(reg, buf.id, GPUREG_TYPE_BUFFER, out, &o, fn);
    if (r != GPUREG_OK) return r;
    /* STREAM and DYNAMIC buffers may be mapped too, but only the usage bit promises a mapping
     * (on another device they may be in memory the host cannot see). */
    void *mapped = ((const vk_buffer *)(uintptr_t)o.aux.value[1])->mem.mapped;
    if (!(o.buffer.usage & GPUREG_BUFFER_USAGE_HOST_VISIBLE) || !mapped)
        return gpureg__fail(reg, GPUREG_ERR_UNSUPPORTED, "%s: the buffer is not HOST_VISIBLE", fn);
    *out = mapped;
    return GPUREG_OK;
}

/* The layout calls are owner-thread calls, the get form too: the layout is a plain field that
 * every owner-thread transfer and set_layout writes, so a read from another thread would race
 * those writes, and its answer would be stale before the owner's next transfer anyway. */
static gpureg_result texture_record(gpureg_registry *reg, gpureg_texture tex, const void *out, vk_texture **t,
                                    const char *fn) {
    gpureg__object o;
    gpureg_result r = lookup(reg, tex.id, GPUREG_TYPE_TEXTURE, out, &o, fn);
    if (r == GPUREG_OK) r = gpureg__check_owner(reg, fn);
    if (r == GPUREG_OK) *t = (vk_texture *)(uintptr_t)o.aux.value[1];
    return r;
}

gpureg_result gpureg_vk_texture_layout(gpureg_registry *reg, gpureg_texture tex, VkImageLayout *out) {
    vk_texture *t = NULL;
    if (out) *out = VK_IMAGE_LAYOUT_UNDEFINED;
    gpureg_result r = texture_record(reg, tex, out, &t, "gpureg_vk_texture_layout");
    if (r == GPUREG_OK) *out = t->layout;
    return r;
}

gpureg_result gpureg_vk_texture_set_layout(gpureg_registry *reg, gpureg_texture tex, VkImageLayout layout) {
    static const char fn[] = "gpureg_vk_texture_set_layout";
    vk_texture *t = NULL;
    gpureg_result r = texture_record(reg, tex, &t, &t, fn);
    if (r != GPUREG_OK) return r;
    if (layout == VK_IMAGE_LAYOUT_UNDEFINED || layout == VK_IMAGE_LAYOUT_PREINITIALIZED)
        return gpureg__fail(reg, GPUREG_ERR_INVALID_ARGUMENT, "%s: layout %d is not one an image can be left in", fn,
                            (int)layout);
    t->layout = layout;
    return GPUREG_OK;
}

/* Owner-checked access to the backend for the owner-only calls below. */
static gpureg_result owner_backend(gpureg_registry *reg, vk_backend **vb, const char *fn) {
    if (!reg) return GPUREG_ERR_NULL_POINTER;
    *vb = vk_backend_of(reg, fn);
    if (!*vb) return GPUREG_ERR_UNSUPPORTED;
    return gpureg__check_owner(reg, fn);
}

/* The frame-end calls say what the next fence_insert records, then run the core's frame end. */
static gpureg_result end_frame_with(gpureg_registry *reg, vk_backend *vb, vk_fence_kind kind) {
    vb->fences.next_kind = kind;
    gpureg_result r = gpureg_frame_end(reg);
    vb->fences.next_kind = VK_FRAME_OWN;
    return r;
}

gpureg_result gpureg_vk_frame_end_fence(gpureg_registry *reg, VkFence fence) {
    static const char fn[] = "gpureg_vk_frame_end_fence";
    vk_backend *vb;
    gpureg_result r = owner_backend(reg, &vb, fn);
    if (r != GPUREG_OK) return r;
    if (!fence) return gpureg__fail(reg, GPUREG_ERR_NULL_POINTER, "%s: fence is VK_NULL_HANDLE", fn);
    vb->fences.next_fence = fence;
    return end_frame_with(reg, vb, VK_FRAME_APP_FENCE);
}

gpureg_result gpureg_vk_frame_end_timeline(gpureg_registry *reg, VkSemaphore semaphore, uint64_t value) {
    static const char fn[] = "gpureg_vk_frame_end_timeline";
    vk_backend *vb;
    gpureg_result r = owner_backend(reg, &vb, fn);
    if (r != GPUREG_OK) return r;
    if (!semaphore) return gpureg__fail(reg, GPUREG_ERR_NULL_POINTER, "%s: semaphore is VK_NULL_HANDLE", fn);
    if (!vb->timeline)
        return gpureg__fail(reg, GPUREG_ERR_UNSUPPORTED, "%s: the device has no timeline semaphores", fn);
    vb->fences.next_semaphore = semaphore;
    vb->fences.next_value = value;
    return end_frame_with(reg, vb, VK_FRAME_TIMELINE);
}

gpureg_result gpureg_vk_set_command_buffer(gpureg_registry *reg, VkCommandBuffer cmd) {
    vk_backend *vb;
    gpureg_result r = owner_backend(reg, &vb, "gpureg_vk_set_command_buffer");
    if (r == GPUREG_OK) vb->transfer.app_cmd = cmd;
    return r;
}

gpureg_result gpureg_vk_get_memory_stats(const gpureg_registry *reg, gpureg_vk_memory_stats *out) {
    if (!reg) return GPUREG_ERR_NULL_POINTER;
    vk_backend *vb = vk_backend_of(reg, "gpureg_vk_get_memory_stats");
    if (!vb) return GPUREG_ERR_UNSUPPORTED;
    if (!out) return gpureg__fail(reg, GPUREG_ERR_NULL_POINTER, "gpureg_vk_get_memory_stats: out is NULL");
    vk_memory_stats(vb, out);
    return GPUREG_OK;
}
