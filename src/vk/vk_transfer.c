/* vk_transfer.c — uploads and readback through registry-owned staging memory, with the layout
 * transitions around them.
 *
 * By default a transfer is recorded into the registry's command buffer, submitted on the
 * registry's queue and waited for, so it returns with the data in place (a fence signal covers
 * earlier submissions, so a readback also sees all prior GPU work); it reuses one scratch buffer.
 * With an app command buffer set, writes are recorded there and their data goes into a range of
 * the staging ring (vk_staging_ring.c), free again after the open frame's fence. */
#include <string.h>

#include "vk_backend.h"

struct vk_staging {
    VkBuffer buffer;
    vk_alloc mem;
    VkDeviceSize size;
};

VkImageLayout vk_resting_layout(uint32_t usage) {
    if (usage & GPUREG_TEXTURE_USAGE_SAMPLED) return VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL;
    if (usage & GPUREG_TEXTURE_USAGE_STORAGE) return VK_IMAGE_LAYOUT_GENERAL;
    if (usage & GPUREG_TEXTURE_USAGE_COLOR_ATTACHMENT) return VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL;
    if (usage & GPUREG_TEXTURE_USAGE_DEPTH_STENCIL_ATTACHMENT) return VK_IMAGE_LAYOUT_DEPTH_STENCIL_ATTACHMENT_OPTIMAL;
    return VK_IMAGE_LAYOUT_GENERAL;
}

static void staging_destroy(vk_backend *vb, vk_staging *s) {
    vb->fn.vkDestroyBuffer(vb->device, s->buffer, NULL);
    vk_memory_free(vb, &s->mem);
    gpureg__free(vb->reg, s, sizeof *s);
}

static gpureg_result staging_create(vk_backend *vb, VkDeviceSize size, vk_staging **out) {
    vk_staging *s = gpureg__alloc(vb->reg, sizeof *s);
    if (!s) return GPUREG_ERR_OUT_OF_MEMORY;
    *s = (vk_staging){.size = size};
    gpureg_result r =
        vk_memory_buffer_create(vb, size, VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT,
                                VK_MEMORY_HOST, 1, &s->buffer, &s->mem);
    if (r != GPUREG_OK) {
        gpureg__free(vb->reg, s, sizeof *s);
        return r;
    }
    *out = s;
    return GPUREG_OK;
}

gpureg_result vk_transfer_init(vk_backend *vb) {
    vk_transfer *t = &vb->transfer;
    VkCommandPoolCreateInfo pi = {
        VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO, NULL,
        VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT | VK_COMMAND_POOL_CREATE_TRANSIENT_BIT, vb->queue_family_index};
    gpureg_result r = vk_check(vb, vb->fn.vkCreateCommandPool(vb->device, &pi, NULL, &t->pool), "vkCreateCommandPool");
    if (r != GPUREG_OK) return r;
    VkCommandBufferAllocateInfo ai = {VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO, NULL, t->pool,
                                      VK_COMMAND_BUFFER_LEVEL_PRIMARY, 1};
    r = vk_check(vb, vb->fn.vkAllocateCommandBuffers(vb->device, &ai, &t->cmd), "vkAllocateCommandBuffers");
    if (r != GPUREG_OK) return r;
    VkFenceCreateInfo fi = {VK_STRUCTURE_TYPE_FENCE_CREATE_INFO, NULL, 0};
    return vk_check(vb, vb->fn.vkCreateFence(vb->device, &fi, NULL, &t->fence), "vkCreateFence");
}

void vk_transfer_shutdown(vk_backend *vb) {
    vk_transfer *t = &vb->transfer;
    vk_staging_ring_shutdown(vb); /* the core waited for every frame first, or the device is lost */
    if (t->scratch) staging_destroy(vb, t->scratch);
    t->scratch = NULL;
    if (t->fence) vb->fn.vkDestroyFence(vb->device, t->fence, NULL);
    if (t->pool) vb->fn.vkDestroyCommandPool(vb->device, t->pool, NULL); /* frees t->cmd */
    t->fence = VK_NULL_HANDLE;
    t->pool = VK_NULL_HANDLE;
}

/* A recording: the command buffer, and the staging range holding `size` bytes of data. */
typedef struct recording {
    VkCommandBuffer cmd;
    vk_staging_range staging;
    int own; /* recorded into the registry's command buffer: submit and wait at the end */
} recording;

/* `align`: what the copy needs of the staging offset (a recorded write's range is one of many). */
static gpureg_result begin(vk_backend *vb, VkDeviceSize size, VkDeviceSize align, int readback, recording *rec) {
    vk_transfer *t = &vb->transfer;
    gpureg_result r;
    rec->own = readback || !t->app_cmd;
    if (!rec->own) {
        if (!gpureg__frame_is_open(vb->reg))
            return gpureg__fail(vb->reg, GPUREG_ERR_FRAME_STATE,
                                "writes into the app's command buffer need an open frame");
        r = vk_staging_ring_take(vb, size, align, &rec->staging);
        if (r != GPUREG_OK) return r;
        rec->cmd = t->app_cmd;
        return GPUREG_OK;
    }
    /* The registry's own path reuses one scratch buffer, grown to the largest transfer. */
    if (!t->scratch || t->scratch->size < size) {
        VkDeviceSize want = size < (1u << 20) ? (1u << 20) : size;
        vk_staging *s;
        r = staging_create(vb, want, &s);
        if (r != GPUREG_OK) return r;
        if (t->scratch) staging_destroy(vb, t->scratch);
        t->scratch = s;
    }
    rec->staging = (vk_staging_range){.buffer = t->scratch->buffer, .size = size, .mapped = t->scratch->mem.mapped};
    rec->cmd = t->cmd;
    VkCommandBufferBeginInfo bi = {VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO, NULL,
                                   VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT, NULL};
    return vk_check(vb, vb->fn.vkBeginCommandBuffer(t->cmd, &bi), "vkBeginCommandBuffer");
}

/* Submit and wait (own), or make the host's writes visible (app command buffer: the ring range
 * waits for the open frame's fence). */
static gpureg_result finish(vk_backend *vb, recording *rec) {
    vk_transfer *t = &vb->transfer;
    if (!rec->own) return vk_staging_ring_flush(vb, &rec->staging);
    gpureg_result r = vk_check(vb, vb->fn.vkEndCommandBuffer(rec->cmd), "vkEndCommandBuffer");
    VkSubmitInfo si = {.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO, .commandBufferCount = 1, .pCommandBuffers = &rec->cmd};
    if (r == GPUREG_OK) r = vk_check(vb, vb->fn.vkQueueSubmit(vb->queue, 1, &si, t->fence), "vkQueueSubmit");
    if (r == GPUREG_OK) {
        r = vk_check(vb, vb->fn.vkWaitForFences(vb->device, 1, &t->fence, VK_TRUE, UINT64_MAX), "vkWaitForFences");
        if (r == GPUREG_OK) r = vk_check(vb, vb->fn.vkResetFences(vb->device, 1, &t->fence), "vkResetFences");
    }
    if (r == GPUREG_OK || r != GPUREG_ERR_DEVICE_LOST)
        vb->fn.vkResetCommandBuffer(rec->cmd, 0); /* back to the initial state for the next transfer */
    return r;
}

static void memory_barrier(vk_backend *vb, VkCommandBuffer cmd, VkPipelineStageFlags src_stage,
                           VkAccessFlags src_access, VkPipelineStageFlags dst_stage, VkAccessFlags dst_access) {
    VkMemoryBarrier mb = {VK_STRUCTURE_TYPE_MEMORY_BARRIER, NULL, src_access, dst_access};
    vb->fn.vkCmdPipelineBarrier(cmd, src_stage, dst_stage, 0, 1, &mb, 0, NULL, 0, NULL);
}

/* Every subresource from `from` to `to`, ordered after (before) any other use of the image. */
static void image_barrier(vk_backend *vb, VkCommandBuffer cmd, VkImage image, const vk_texture *tex,
                          const gpureg_texture_desc *desc, VkImageLayout from, VkImageLayout to, int into_transfer) {
    VkAccessFlags any = VK_ACCESS_MEMORY_READ_BIT | VK_ACCESS_MEMORY_WRITE_BIT;
    VkAccessFlags xfer = VK_ACCESS_TRANSFER_READ_BIT | VK_ACCESS_TRANSFER_WRITE_BIT;
    /* The view of a depth/stencil texture shows depth only; a barrier must cover both aspects. */
    VkImageAspectFlags aspect = desc->format == GPUREG_FORMAT_D24_UNORM_S8_UINT
                                    ? VK_IMAGE_ASPECT_DEPTH_BIT | VK_IMAGE_ASPECT_STENCIL_BIT
                                    : tex->aspect;
    VkImageMemoryBarrier b = {.sType = VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER,
                              .srcAccessMask = into_transfer ? (from == VK_IMAGE_LAYOUT_UNDEFINED ? 0 : any) : xfer,
                              .dstAccessMask = into_transfer ? xfer : any,
                              .oldLayout = from,
                              .newLayout = to,
                              .srcQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED,
                              .dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED,
                              .image = image,
                              .subresourceRange = {aspect, 0, desc->mip_levels, 0, desc->array_layers}};
    VkPipelineStageFlags src = into_transfer ? VK_PIPELINE_STAGE_ALL_COMMANDS_BIT : VK_PIPELINE_STAGE_TRANSFER_BIT;
    VkPipelineStageFlags dst = into_transfer ? VK_PIPELINE_STAGE_TRANSFER_BIT : VK_PIPELINE_STAGE_ALL_COMMANDS_BIT;
    vb->fn.vkCmdPipelineBarrier(cmd, src, dst, 0, 0, NULL, 0, NULL, 1, &b);
}

/* D24S8 crosses as one uint32 per texel (depth in the low 24 bits, stencil in the high 8), but
 * Vulkan copies each aspect on its own: depth as X8_D24 words, then stencil as bytes. */
static void d24s8_split(uint32_t *depth, uint8_t *stencil, const void *in, size_t texels) {
    for (size_t i = 0; i < texels; i++) {
        uint32_t v;
        memcpy(&v, (const char *)in + i * 4u, 4);
        depth[i] = v & 0xFFFFFFu;
        stencil[i] = (uint8_t)(v >> 24);
    }
}

static void d24s8_join(void *out, const void *staging, size_t texels) {
    const uint32_t *depth = staging;
    const uint8_t *stencil = (const uint8_t *)staging + texels * 4u;
    for (size_t i = 0; i < texels; i++) {
        uint32_t v = (depth[i] & 0xFFFFFFu) | (uint32_t)stencil[i] << 24;
        memcpy((char *)out + i * 4u, &v, 4);
    }
}

/* What a buffer-image copy needs of its buffer offset: a multiple of the texel size, and of 4 for
 * depth/stencil formats (VUID-vkCmdCopyBufferToImage-srcImage-04053), at the device's optimal
 * alignment for speed. */
static VkDeviceSize copy_alignment(const vk_backend *vb, gpureg_format format) {
    VkDeviceSize a = gpureg_format_texel_bytes(format), b = vb->props.limits.optimalBufferCopyOffsetAlignment;
    if (a < 4) a = 4; /* lcm(texel, 4): texel sizes are 1, 2, 4, 8 or 16 */
    if (!b || a % b == 0) return a;
    if (b % a == 0) return b;
    return a * b; /* not powers of two: a common multiple */
}

/* Copy a texture region between the image and staging, in either direction (`out` set: read). */
static gpureg_result texture_copy(vk_backend *vb, uint64_t native, const gpureg__aux *aux,
                                  const gpureg_texture_desc *desc, const gpureg_texture_region *rg, const void *in,
                                  uint32_t row_bytes, void *out) {
    vk_texture *tex = (vk_texture *)(uintptr_t)aux->value[1];
    int readback = out != NULL, ds = desc->format == GPUREG_FORMAT_D24_UNORM_S8_UINT;
    size_t tight = (size_t)rg->width * gpureg_format_texel_bytes(desc->format), texels = (size_t)rg->width * rg->height;
    VkDeviceSize bytes = (VkDeviceSize)tight * rg->height;
    recording rec;
    gpureg_result r = begin(vb, ds ? bytes + texels : bytes, copy_alignment(vb, desc->format), readback, &rec);
    if (r != GPUREG_OK) return r;
    void *mapped = rec.staging.mapped;
    for (uint32_t y = 0; in && y < rg->height; y++) {
        const char *row = (const char *)in + (size_t)y * row_bytes;
        if (ds)
            d24s8_split((uint32_t *)mapped + (size_t)y * rg->width, (uint8_t *)mapped + bytes + (size_t)y * rg->width,
                        row, rg->width);
        else
            memcpy((char *)mapped + y * tight, row, tight);
    }
    VkBufferImageCopy copy[2] = {{.bufferOffset = rec.staging.offset,
                                  .imageSubresource = {tex->aspect, rg->mip_level, rg->array_layer, 1},
                                  .imageOffset = {(int32_t)rg->x, (int32_t)rg->y, 0},
                                  .imageExtent = {rg->width, rg->height, 1}}};
    if (ds) {
        copy[1] = copy[0];
        copy[1].bufferOffset = rec.staging.offset + bytes;
        copy[1].imageSubresource.aspectMask = VK_IMAGE_ASPECT_STENCIL_BIT;
    }
    VkImage image = (VkImage)(uintptr_t)native;
    VkImageLayout rest = vk_resting_layout(desc->usage);
    VkImageLayout xfer = readback ? VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL : VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL;
    image_barrier(vb, rec.cmd, image, tex, desc, tex->layout, xfer, 1);
    if (readback)
        vb->fn.vkCmdCopyImageToBuffer(rec.cmd, image, xfer, rec.staging.buffer, ds ? 2u : 1u, copy);
    else
        vb->fn.vkCmdCopyBufferToImage(rec.cmd, rec.staging.buffer, image, xfer, ds ? 2u : 1u, copy);
    image_barrier(vb, rec.cmd, image, tex, desc, xfer, rest, 0);
    if (readback)
        memory_barrier(vb, rec.cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_ACCESS_TRANSFER_WRITE_BIT,
                       VK_PIPELINE_STAGE_HOST_BIT, VK_ACCESS_HOST_READ_BIT);
    tex->layout = rest;
    r = finish(vb, &rec);
    if (r == GPUREG_OK && readback) {
        if (ds)
            d24s8_join(out, rec.staging.mapped, texels);
        else
            memcpy(out, rec.staging.mapped, (size_t)bytes);
    }
    return r;
}

gpureg_result vk_texture_write(void *be, uint64_t native, const gpureg__aux *aux, const gpureg_texture_desc *desc,
                               const gpureg_texture_region *rg, const void *data, uint32_t row_bytes) {
    return texture_copy(be, native, aux, desc, rg, data, row_bytes, NULL);
}

gpureg_result vk_texture_read(void *be, uint64_t native, const gpureg__aux *aux, const gpureg_texture_desc *desc,
                              const gpureg_texture_region *rg, void *data) {
    return texture_copy(be, native, aux, desc, rg, NULL, 0, data);
}

/* Copy a byte range between a buffer and staging, in either direction. */
static gpureg_result buffer_copy(vk_backend *vb, VkBuffer buffer, uint64_t offset, uint64_t size, const void *in,
                                 void *out) {
    recording rec;
    int readback = out != NULL;
    gpureg_result r = begin(vb, size, 4, readback, &rec);
    if (r != GPUREG_OK) return r;
    if (in) memcpy(rec.staging.mapped, in, (size_t)size);
    VkAccessFlags any = VK_ACCESS_MEMORY_READ_BIT | VK_ACCESS_MEMORY_WRITE_BIT;
    VkAccessFlags xfer = VK_ACCESS_TRANSFER_READ_BIT | VK_ACCESS_TRANSFER_WRITE_BIT;
    memory_barrier(vb, rec.cmd, VK_PIPELINE_STAGE_ALL_COMMANDS_BIT, any, VK_PIPELINE_STAGE_TRANSFER_BIT, xfer);
    VkBufferCopy region = {readback ? offset : rec.staging.offset, readback ? rec.staging.offset : offset, size};
    if (readback)
        vb->fn.vkCmdCopyBuffer(rec.cmd, buffer, rec.staging.buffer, 1, &region);
    else
        vb->fn.vkCmdCopyBuffer(rec.cmd, rec.staging.buffer, buffer, 1, &region);
    memory_barrier(vb, rec.cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_ACCESS_TRANSFER_WRITE_BIT,
                   readback ? VK_PIPELINE_STAGE_HOST_BIT : VK_PIPELINE_STAGE_ALL_COMMANDS_BIT,
                   readback ? VK_ACCESS_HOST_READ_BIT : any);
    r = finish(vb, &rec);
    if (r == GPUREG_OK && readback) memcpy(out, rec.staging.mapped, (size_t)size);
    return r;
}

/* A STREAM or DYNAMIC buffer in coherent mapped memory is written in place: no staging, no
 * submit, no wait, which is what rewriting it every frame needs. Like a write through
 * gpureg_vk_buffer_mapped it is not ordered with GPU work in flight (see gpureg_vk.h). */
gpureg_result vk_buffer_write(void *be, uint64_t native, const gpureg__aux *aux, const gpureg_buffer_desc *desc,
                              uint64_t offset, const void *data, uint64_t size) {
    const vk_buffer *b = (const vk_buffer *)(uintptr_t)aux->value[1];
    if (b->direct) {
        memcpy((char *)b->mem.mapped + offset, data, (size_t)size);
        return GPUREG_OK;
    }
    return buffer_copy(be, (VkBuffer)(uintptr_t)native, offset, size, data, NULL);
}

gpureg_result vk_buffer_read(void *be, uint64_t native, const gpureg__aux *aux, const gpureg_buffer_desc *desc,
                             uint64_t offset, void *data, uint64_t size) {
    return buffer_copy(be, (VkBuffer)(uintptr_t)native, offset, size, NULL, data);
}
