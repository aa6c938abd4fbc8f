/* vk_registry.c — the Vulkan backend: registry creation on the app's device, the format map,
 * textures and buffers, adopt, resolve and the frame-end variants. Memory, fences, transfers and
 * the debug messenger live in vk_memory.c, vk_fences.c, vk_transfer.c and vk_debug.c. */
#include <string.h>

#include "vk_backend.h"

/* Per (format, usage): the device's answer (vkGetPhysicalDeviceImageFormatProperties), asked
 * once, with what each create of that pair needs worked out then. */
typedef struct vk_format_entry {
    uint8_t state;                          /* 0 not asked, 1 supported, 2 not supported */
    uint32_t max_dim, max_layers, max_mips; /* the format's limits joined with the device's */
    VkImageUsageFlags usage;
    VkImageAspectFlags aspect;
} vk_format_entry;

/* Records of released textures and buffers, kept for the next create so that a steady
 * create/release cycle never calls the allocator (at most SPARES_MAX of each kind: a burst of
 * releases gives the rest back). The backend's destroy frees what is kept. */
#define SPARES_MAX 64u

typedef struct vk_registry {
    vk_backend vb; /* first: the ops get a vk_backend* */
    vk_format_entry formats[GPUREG_FORMAT_COUNT][GPUREG_TEXTURE_USAGE_ALL + 1];
    gpureg__spares spare_textures, spare_buffers;
} vk_registry;

static const VkFormat vk_formats[GPUREG_FORMAT_COUNT] = {
    [GPUREG_FORMAT_RGBA8_UNORM] = VK_FORMAT_R8G8B8A8_UNORM,
    [GPUREG_FORMAT_RGBA8_SRGB] = VK_FORMAT_R8G8B8A8_SRGB,
    [GPUREG_FORMAT_BGRA8_UNORM] = VK_FORMAT_B8G8R8A8_UNORM,
    [GPUREG_FORMAT_R8_UNORM] = VK_FORMAT_R8_UNORM,
    [GPUREG_FORMAT_RG8_UNORM] = VK_FORMAT_R8G8_UNORM,
    [GPUREG_FORMAT_RGBA16_FLOAT] = VK_FORMAT_R16G16B16A16_SFLOAT,
    [GPUREG_FORMAT_RGBA32_FLOAT] = VK_FORMAT_R32G32B32A32_SFLOAT,
    [GPUREG_FORMAT_D24_UNORM_S8_UINT] = VK_FORMAT_D24_UNORM_S8_UINT,
    [GPUREG_FORMAT_D32_FLOAT] = VK_FORMAT_D32_SFLOAT,
    [GPUREG_FORMAT_S8_UINT] = VK_FORMAT_S8_UINT,
};

/* The aspect of a texture's view and transfers: depth for the depth formats (D24S8's stencil is
 * copied on its own, see vk_transfer.c), stencil for the stencil-only format. */
static VkImageAspectFlags aspect_of(gpureg_format f) {
    if (f == GPUREG_FORMAT_D24_UNORM_S8_UINT || f == GPUREG_FORMAT_D32_FLOAT) return VK_IMAGE_ASPECT_DEPTH_BIT;
    if (f == GPUREG_FORMAT_S8_UINT) return VK_IMAGE_ASPECT_STENCIL_BIT;
    return VK_IMAGE_ASPECT_COLOR_BIT;
}

/* gpureg adds both transfer usages so that writes and reads always work. */
static VkImageUsageFlags image_usage(uint32_t u) {
    VkImageUsageFlags v = VK_IMAGE_USAGE_TRANSFER_SRC_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT;
    if (u & GPUREG_TEXTURE_USAGE_SAMPLED) v |= VK_IMAGE_USAGE_SAMPLED_BIT;
    if (u & GPUREG_TEXTURE_USAGE_COLOR_ATTACHMENT) v |= VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT;
    if (u & GPUREG_TEXTURE_USAGE_DEPTH_STENCIL_ATTACHMENT) v |= VK_IMAGE_USAGE_DEPTH_STENCIL_ATTACHMENT_BIT;
    if (u & GPUREG_TEXTURE_USAGE_STORAGE) v |= VK_IMAGE_USAGE_STORAGE_BIT;
    return v;
}

static VkBufferUsageFlags buffer_usage(uint32_t u) {
    VkBufferUsageFlags v = VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT;
    if (u & GPUREG_BUFFER_USAGE_VERTEX) v |= VK_BUFFER_USAGE_VERTEX_BUFFER_BIT;
    if (u & GPUREG_BUFFER_USAGE_INDEX) v |= VK_BUFFER_USAGE_INDEX_BUFFER_BIT;
    if (u & GPUREG_BUFFER_USAGE_UNIFORM) v |= VK_BUFFER_USAGE_UNIFORM_BUFFER_BIT;
    if (u & GPUREG_BUFFER_USAGE_STORAGE) v |= VK_BUFFER_USAGE_STORAGE_BUFFER_BIT;
    return v;
}

/* The format features a usage needs (the views gpureg makes and the app's attachments are
 * checked against them, e.g. VUID-VkImageViewCreateInfo-usage-02274). Devices differ most here
 * for the stencil-only and depth formats: S8_UINT is optional in Vulkan. */
static VkFormatFeatureFlags needed_features(uint32_t u) {
    VkFormatFeatureFlags f = VK_FORMAT_FEATURE_TRANSFER_SRC_BIT | VK_FORMAT_FEATURE_TRANSFER_DST_BIT;
    if (u & GPUREG_TEXTURE_USAGE_SAMPLED) f |= VK_FORMAT_FEATURE_SAMPLED_IMAGE_BIT;
    if (u & GPUREG_TEXTURE_USAGE_COLOR_ATTACHMENT) f |= VK_FORMAT_FEATURE_COLOR_ATTACHMENT_BIT;
    if (u & GPUREG_TEXTURE_USAGE_DEPTH_STENCIL_ATTACHMENT) f |= VK_FORMAT_FEATURE_DEPTH_STENCIL_ATTACHMENT_BIT;
    if (u & GPUREG_TEXTURE_USAGE_STORAGE) f |= VK_FORMAT_FEATURE_STORAGE_IMAGE_BIT;
    return f;
}

/* Ask the device once per (format, usage): 1 supported, 2 not, or a logged error. */
static gpureg_result ask_device_format(vk_backend *vb, const gpureg_texture_desc *d, vk_format_entry *e) {
    VkFormatProperties fp;
    vb->fn.vkGetPhysicalDeviceFormatProperties(vb->physical_device, vk_formats[d->format], &fp);
    VkFormatFeatureFlags need = needed_features(d->usage);
    if ((fp.optimalTilingFeatures & need) != need) {
        e->state = 2;
        return GPUREG_OK;
    }
    VkImageFormatProperties p;
    VkResult res =
        vb->fn.vkGetPhysicalDeviceImageFormatProperties(vb->physical_device, vk_formats[d->format], VK_IMAGE_TYPE_2D,
                                                        VK_IMAGE_TILING_OPTIMAL, image_usage(d->usage), 0, &p);
    if (res != VK_SUCCESS && res != VK_ERROR_FORMAT_NOT_SUPPORTED)
        return vk_check(vb, res, "vkGetPhysicalDeviceImageFormatProperties");
    e->state = res == VK_SUCCESS ? 1 : 2;
    if (res != VK_SUCCESS) return GPUREG_OK;
    const VkPhysicalDeviceLimits *limits = &vb->props.limits;
    e->max_dim = p.maxExtent.width < limits->maxImageDimension2D ? p.maxExtent.width : limits->maxImageDimension2D;
    e->max_layers = p.maxArrayLayers < limits->maxImageArrayLayers ? p.maxArrayLayers : limits->maxImageArrayLayers;
    e->max_mips = p.maxMipLevels;
    e->usage = image_usage(d->usage);
    e->aspect = aspect_of(d->format);
    return GPUREG_OK;
}

/* Device support and limits for a texture desc: UNSUPPORTED or INVALID_SIZE, distinctly. The
 * device's entry for the desc's (format, usage), or NULL after logging the failure in *r. */
static GPUREG_NOINLINE const vk_format_entry *check_device_texture(vk_registry *vr, const gpureg_texture_desc *d,
                                                                   gpureg_result *r) {
    vk_backend *vb = &vr->vb;
    vk_format_entry *e = &vr->formats[d->format][d->usage & GPUREG_TEXTURE_USAGE_ALL];
    if (!e->state && (*r = ask_device_format(vb, d, e)) != GPUREG_OK) return NULL;
    if (e->state == 2) {
        *r = gpureg__fail(vb->reg, GPUREG_ERR_UNSUPPORTED, "the device has no %s texture with usage 0x%x",
                          gpureg_format_name(d->format), d->usage);
        return NULL;
    }
    if (d->width > e->max_dim || d->height > e->max_dim || d->array_layers > e->max_layers) {
        *r = gpureg__fail(vb->reg, GPUREG_ERR_INVALID_SIZE, "%ux%u x %u layers exceeds the device limit %u / %u",
                          d->width, d->height, d->array_layers, e->max_dim, e->max_layers);
        return NULL;
    }
    if (d->mip_levels > e->max_mips) {
        *r = gpureg__fail(vb->reg, GPUREG_ERR_INVALID_ARGUMENT, "%u mip levels, the device allows %u", d->mip_levels,
                          e->max_mips);
        return NULL;
    }
    return e;
}

/* check_device_texture's answer, in one test for a pair asked before and a desc within its
 * limits. */
static const vk_format_entry *device_texture(vk_registry *vr, const gpureg_texture_desc *d, gpureg_result *r) {
    const vk_format_entry *e = &vr->formats[d->format][d->usage & GPUREG_TEXTURE_USAGE_ALL];
    if (e->state == 1 && d->width <= e->max_dim && d->height <= e->max_dim && d->array_layers <= e->max_layers &&
        d->mip_levels <= e->max_mips)
        return e;
    return check_device_texture(vr, d, r);
}

/* Destroy what a texture record holds; the record itself is left to the caller. */
static void texture_teardown(vk_backend *vb, VkImage image, vk_texture *t) {
    if (t->view) vb->fn.vkDestroyImageView(vb->device, t->view, NULL);
    if (image) vb->fn.vkDestroyImage(vb->device, image, NULL);
    vk_memory_free(vb, &t->mem);
}

/* A view needs one of these usages (VUID-VkImageViewCreateInfo-image-04441); a texture with only
 * TRANSFER_SRC / TRANSFER_DST gets none and keeps view == VK_NULL_HANDLE. */
#define VK_VIEW_USAGES                                                                                                 \
    (GPUREG_TEXTURE_USAGE_SAMPLED | GPUREG_TEXTURE_USAGE_STORAGE | GPUREG_TEXTURE_USAGE_COLOR_ATTACHMENT |             \
     GPUREG_TEXTURE_USAGE_DEPTH_STENCIL_ATTACHMENT)

static gpureg_result make_view(vk_backend *vb, VkImage image, const gpureg_texture_desc *d, vk_texture *t) {
    if (!(d->usage & VK_VIEW_USAGES)) return GPUREG_OK;
    VkImageViewCreateInfo vi = {
        /* Every member named, as in texture_create's ci. */
        .sType = VK_STRUCTURE_TYPE_IMAGE_VIEW_CREATE_INFO,
        .pNext = NULL,
        .flags = 0,
        .image = image,
        .viewType = d->array_layers > 1 ? VK_IMAGE_VIEW_TYPE_2D_ARRAY : VK_IMAGE_VIEW_TYPE_2D,
        .format = vk_formats[d->format],
        .components = {VK_COMPONENT_SWIZZLE_IDENTITY, VK_COMPONENT_SWIZZLE_IDENTITY, VK_COMPONENT_SWIZZLE_IDENTITY,
                       VK_COMPONENT_SWIZZLE_IDENTITY},
        .subresourceRange = {t->aspect, 0, d->mip_levels, 0, d->array_layers},
    };
    return vk_check(vb, vb->fn.vkCreateImageView(vb->device, &vi, NULL, &t->view), "vkCreateImageView");
}

static void name_object(void *be, gpureg_object_kind kind, uint64_t native, const gpureg__aux *aux, const char *name) {
    vk_backend *vb = be;
    if (kind == GPUREG_KIND_TEXTURE) {
        vk_debug_name(vb, VK_OBJECT_TYPE_IMAGE, native, name);
        vk_debug_name(vb, VK_OBJECT_TYPE_IMAGE_VIEW, aux->value[0], name);
    } else if (kind == GPUREG_KIND_BUFFER) {
        vk_debug_name(vb, VK_OBJECT_TYPE_BUFFER, native, name);
    } else {
        vk_object_name_kind(vb, kind, native, name);
    }
}

static gpureg_result texture_create(void *be, const gpureg_texture_desc *d, gpureg_handle handle, const char *name,
                                    uint64_t *native, gpureg__aux *aux) {
    vk_registry *vr = be;
    vk_backend *vb = &vr->vb;
    gpureg_result r;
    const vk_format_entry *e = device_texture(vr, d, &r);
    if (!e) return r;
    vk_texture *t = gpureg__spare_take(vb->reg, &vr->spare_textures, sizeof *t);
    if (!t) return GPUREG_ERR_OUT_OF_MEMORY;
    /* Field by field, here and in ci (every member named): compilers zero-fill a struct first
     * when an initializer leaves members out, which showed in the cost of a create. t->mem is
     * vk_memory_alloc's to fill; until then it holds no memory. */
    t->mem.memory = VK_NULL_HANDLE;
    t->view = VK_NULL_HANDLE;
    t->layout = VK_IMAGE_LAYOUT_UNDEFINED;
    t->aspect = e->aspect;
    t->adopted = 0;
    t->destroy = NULL;
    t->destroy_user = NULL;
    t->owner = NULL;
    VkImageCreateInfo ci = {.sType = VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO,
                            .pNext = NULL,
                            .flags = 0,
                            .imageType = VK_IMAGE_TYPE_2D,
                            .format = vk_formats[d->format],
                            .extent = {d->width, d->height, 1},
                            .mipLevels = d->mip_levels,
                            .arrayLayers = d->array_layers,
                            .samples = VK_SAMPLE_COUNT_1_BIT,
                            .tiling = VK_IMAGE_TILING_OPTIMAL,
                            .usage = e->usage,
                            .sharingMode = VK_SHARING_MODE_EXCLUSIVE,
                            .queueFamilyIndexCount = 0,
                            .pQueueFamilyIndices = NULL,
                            .initialLayout = VK_IMAGE_LAYOUT_UNDEFINED};
    VkImage image = VK_NULL_HANDLE;
    r = vk_check(vb, vb->fn.vkCreateImage(vb->device, &ci, NULL, &image), "vkCreateImage");
    if (r == GPUREG_OK) {
        VkMemoryRequirements req;
        vb->fn.vkGetImageMemoryRequirements(vb->device, image, &req);
        r = vk_memory_alloc(vb, &req, VK_MEMORY_DEVICE, 0, &t->mem);
    }
    if (r == GPUREG_OK)
        r = vk_check(vb, vb->fn.vkBindImageMemory(vb->device, image, t->mem.memory, t->mem.offset),
                     "vkBindImageMemory");
    if (r == GPUREG_OK) r = make_view(vb, image, d, t);
    if (r != GPUREG_OK) {
        texture_teardown(vb, image, t);
        gpureg__free(vb->reg, t, sizeof *t); /* a failed call frees what it allocated */
        return r;
    }
    *native = (uint64_t)(uintptr_t)image;
    aux->value[0] = (uint64_t)(uintptr_t)t->view;
    aux->value[1] = (uint64_t)(uintptr_t)t;
    if (*name) name_object(vb, GPUREG_KIND_TEXTURE, *native, aux, name); /* "": the registry runs unnamed */
    return GPUREG_OK;
}

/* The update hint picks the memory (documented in gpureg_vk.h, "Memory"); a mappable usage needs
 * host-visible memory whatever the hint. */
static vk_memory_use buffer_memory_use(const gpureg_buffer_desc *d) {
    if ((d->usage & GPUREG_BUFFER_USAGE_HOST_VISIBLE) || d->update == GPUREG_UPDATE_STREAM) return VK_MEMORY_HOST;
    if (d->update == GPUREG_UPDATE_DYNAMIC) return VK_MEMORY_DEVICE_HOST;
    return VK_MEMORY_DEVICE;
}

/* Destroy what a buffer record holds; the record itself is left to the caller. */
static void buffer_teardown(vk_backend *vb, VkBuffer buffer, vk_buffer *b) {
    if (buffer) vb->fn.vkDestroyBuffer(vb->device, buffer, NULL);
    vk_memory_free(vb, &b->mem);
}

static gpureg_result buffer_create(void *be, const gpureg_buffer_desc *d, gpureg_handle handle, const char *name,
                                   uint64_t *native, gpureg__aux *aux) {
    vk_registry *vr = be;
    vk_backend *vb = &vr->vb;
    vk_buffer *b = gpureg__spare_take(vb->reg, &vr->spare_buffers, sizeof *b);
    if (!b) return GPUREG_ERR_OUT_OF_MEMORY;
    *b = (vk_buffer){0};
    VkBufferCreateInfo ci = {.sType = VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO,
                             .size = d->size,
                             .usage = buffer_usage(d->usage),
                             .sharingMode = VK_SHARING_MODE_EXCLUSIVE};
    VkBuffer buffer = VK_NULL_HANDLE;
    gpureg_result r = vk_check(vb, vb->fn.vkCreateBuffer(vb->device, &ci, NULL, &buffer), "vkCreateBuffer");
    if (r == GPUREG_OK) {
        VkMemoryRequirements req;
        vb->fn.vkGetBufferMemoryRequirements(vb->device, buffer, &req);
        r = vk_memory_alloc(vb, &req, buffer_memory_use(d), 1, &b->mem);
    }
    if (r == GPUREG_OK)
        r = vk_check(vb, vb->fn.vkBindBufferMemory(vb->device, buffer, b->mem.memory, b->mem.offset),
                     "vkBindBufferMemory");
    if (r != GPUREG_OK) {
        buffer_teardown(vb, buffer, b);
        gpureg__free(vb->reg, b, sizeof *b); /* a failed call frees what it allocated */
        return r;
    }
    b->direct = (d->update == GPUREG_UPDATE_STREAM || d->update == GPUREG_UPDATE_DYNAMIC) && b->mem.coherent;
    *native = (uint64_t)(uintptr_t)buffer;
    aux->value[1] = (uint64_t)(uintptr_t)b;
    if (*name) name_object(vb, GPUREG_KIND_BUFFER, *native, aux, name); /* "": the registry runs unnamed */
    return GPUREG_OK;
}

static void object_destroy(void *be, gpureg_object_kind kind, uint64_t native, const gpureg__aux *aux) {
    vk_registry *vr = be;
    vk_backend *vb = &vr->vb;
    if (kind == GPUREG_KIND_TEXTURE) {
        vk_texture *t = (vk_texture *)(uintptr_t)aux->value[1];
        texture_teardown(vb, (VkImage)(uintptr_t)native, t);
        gpureg__spare_give(vb->reg, &vr->spare_textures, t, sizeof *t, SPARES_MAX);
    } else if (kind == GPUREG_KIND_BUFFER) {
        vk_buffer *b = (vk_buffer *)(uintptr_t)aux->value[1];
        buffer_teardown(vb, (VkBuffer)(uintptr_t)native, b);
        gpureg__spare_give(vb->reg, &vr->spare_buffers, b, sizeof *b, SPARES_MAX);
    } else {
        vk_object_destroy_kind(vb, kind, native);
    }
}

static void backend_stats(void *be, gpureg_stats *out) {
    gpureg_vk_memory_stats m;
    vk_memory_stats(be, &m);
    out->device_allocations = m.allocations;
    out->device_bytes = m.bytes;
}

static void backend_shutdown(void *be) { vk_debug_shutdown(be); }

static void backend_destroy(void *be) {
    vk_registry *vr = be;
    vk_backend *vb = &vr->vb;
    vk_transfer_shutdown(vb);
    vk_fences_shutdown(vb);
    vk_memory_shutdown(vb);
    gpureg__spares_free(vb->reg, &vr->spare_textures, sizeof(vk_texture));
    gpureg__spares_free(vb->reg, &vr->spare_buffers, sizeof(vk_buffer));
    gpureg__free(vb->reg, be, sizeof(vk_registry));
}

/* Two tables: the core formats a driver name for every create only when object_name is set, so
 * without VK_EXT_debug_utils the registry runs the table that has none. */
#define VK_BACKEND_OPS                                                                                                 \
    .name = "vulkan", .texture_create = texture_create, .buffer_create = buffer_create,                                \
    .object_create = vk_object_create,                                                                                 \
    .object_kinds = GPUREG__KIND_BIT(GPUREG_KIND_SAMPLER) | GPUREG__KIND_BIT(GPUREG_KIND_SHADER),                      \
    .object_destroy = object_destroy, .texture_write = vk_texture_write, .texture_read = vk_texture_read,              \
    .buffer_write = vk_buffer_write, .buffer_read = vk_buffer_read, .fence_insert = vk_fence_insert,                   \
    .fence_poll = vk_fence_poll, .fence_wait = vk_fence_wait, .stats = backend_stats, .shutdown = backend_shutdown,    \
    .destroy = backend_destroy
const gpureg__backend_ops vk_backend_ops = {VK_BACKEND_OPS, .object_name = name_object};
const gpureg__backend_ops vk_backend_ops_unnamed = {VK_BACKEND_OPS};

static gpureg_result check_vk_desc(gpureg_registry *reg, const gpureg_vk_desc *vk) {
    static const char fn[] = "gpureg_vk_create";
    if (!vk->instance || !vk->physical_device || !vk->device || !vk->queue || !vk->get_instance_proc_addr)
        return gpureg__fail(reg, GPUREG_ERR_NULL_POINTER,
                            "%s: instance, physical_device, device, queue and get_instance_proc_addr are required", fn);
    if (!vk->memory.allocate != !vk->memory.free)
        return gpureg__fail(reg, GPUREG_ERR_INVALID_ARGUMENT, "%s: memory needs both allocate and free, or neither",
                            fn);
    if (vk->disable_debug_utils > 1)
        return gpureg__fail(reg, GPUREG_ERR_INVALID_ARGUMENT, "%s: disable_debug_utils is not 0 or 1", fn);
    return GPUREG_OK;
}

/* Everything after the function table: device properties, then each part of the backend. */
static gpureg_result init_backend(vk_backend *vb, const gpureg_vk_desc *vk, uint32_t frames_in_flight) {
    vb->fn.vkGetPhysicalDeviceProperties(vb->physical_device, &vb->props);
    uint32_t api = vk->api_version ? vk->api_version : vb->props.apiVersion;
    if (VK_API_VERSION_MAJOR(api) == 1 && VK_API_VERSION_MINOR(api) < 1)
        return gpureg__fail(vb->reg, GPUREG_ERR_UNSUPPORTED, "gpureg_vk_create: Vulkan 1.1 is the minimum");
    vb->timeline = vb->fn.vkGetSemaphoreCounterValue && vb->fn.vkWaitSemaphores;
    vb->debug_utils_off = vk->disable_debug_utils || !vb->fn.vkCreateDebugUtilsMessengerEXT;
    vk_memory_init(vb, vk);
    gpureg_result r = vk_fences_init(vb, frames_in_flight);
    if (r == GPUREG_OK) r = vk_transfer_init(vb);
    if (r == GPUREG_OK) r = vk_debug_init(vb);
    return r;
}

gpureg_result gpureg_vk_create(const gpureg_vk_desc *vk, const gpureg_registry_desc *desc, gpureg_registry **out) {
    if (!out) return GPUREG_ERR_NULL_POINTER;
    *out = NULL;
    if (!vk) return GPUREG_ERR_NULL_POINTER;
    gpureg_registry *reg;
    gpureg_result r = gpureg__registry_create(desc, &reg);
    if (r != GPUREG_OK) return r;
    r = check_vk_desc(reg, vk);
    vk_registry *vr = r == GPUREG_OK ? gpureg__alloc(reg, sizeof *vr) : NULL;
    if (!vr) {
        gpureg__registry_free(reg);
        return r == GPUREG_OK ? GPUREG_ERR_OUT_OF_MEMORY : r;
    }
    memset(vr, 0, sizeof *vr);
    vk_backend *vb = &vr->vb;
    *vb = (vk_backend){.reg = reg,
                       .instance = vk->instance,
                       .physical_device = vk->physical_device,
                       .device = vk->device,
                       .queue = vk->queue,
                       .queue_family_index = vk->queue_family_index};
    r = vk_functions_load(reg, vk, &vb->fn);
    if (r == GPUREG_OK) {
        r = init_backend(vb, vk, gpureg__frames_in_flight(reg)); /* desc may be NULL: the core's default */
        if (r != GPUREG_OK) backend_shutdown(vb);
    }
    if (r != GPUREG_OK) {
        /* Each part frees only what it made, so this is safe at any point of init. */
        vk_transfer_shutdown(vb);
        vk_fences_shutdown(vb);
        vk_memory_shutdown(vb);
        gpureg__free(reg, vr, sizeof *vr);
        gpureg__registry_free(reg);
        return r;
    }
    gpureg__registry_attach(reg, vb->debug_utils_off ? &vk_backend_ops_unnamed : &vk_backend_ops, vr);
    *out = reg;
    return GPUREG_OK;
}

/* ---- Adopt ------------------------------------------------------------------------------------
 * The core calls an adopted object's destroy callback instead of object_destroy; ours is a
 * trampoline that runs the app's callback, or destroys what the app handed over, then frees the
 * record. Memory the app handed over is freed directly: it never was in our allocator's stats. */
static void adopted_texture_destroy(uint64_t native, void *user) {
    vk_texture *t = user;
    vk_backend *vb = t->owner;
    if (t->destroy) {
        t->destroy(native, t->destroy_user);
    } else {
        if (t->view) vb->fn.vkDestroyImageView(vb->device, t->view, NULL);
        vb->fn.vkDestroyImage(vb->device, (VkImage)(uintptr_t)native, NULL);
        if (t->mem.memory) vb->fn.vkFreeMemory(vb->device, t->mem.memory, NULL);
    }
    gpureg__free(vb->reg, t, sizeof *t);
}

static void adopted_buffer_destroy(uint64_t native, void *user) {
    vk_buffer *b = user;
    vk_backend *vb = b->owner;
    if (b->destroy) {
        b->destroy(native, b->destroy_user);
    } else {
        vb->fn.vkDestroyBuffer(vb->device, (VkBuffer)(uintptr_t)native, NULL);
        if (b->mem.memory) vb->fn.vkFreeMemory(vb->device, b->mem.memory, NULL);
    }
    gpureg__free(vb->reg, b, sizeof *b);
}

static gpureg_result adopt_prologue(gpureg_registry *reg, const void *desc, uint64_t native,
                                    const gpureg_vk_adopt_desc *adopt, const void *out, vk_backend **vb,
                                    const char *fn) {
    if (!reg) return GPUREG_ERR_NULL_POINTER;
    *vb = vk_backend_of(reg, fn);
    if (!*vb) return GPUREG_ERR_UNSUPPORTED;
    if (!desc || !adopt || !out)
        return gpureg__fail(reg, GPUREG_ERR_NULL_POINTER, "%s: desc, adopt and out are required", fn);
    if (!native) return gpureg__fail(reg, GPUREG_ERR_INVALID_ARGUMENT, "%s: the Vulkan object is VK_NULL_HANDLE", fn);
    return gpureg__check_owner(reg, fn);
}

gpureg_result gpureg_vk_texture_adopt_at(gpureg_registry *reg, const gpureg_texture_desc *desc, VkImage image,
                                         const gpureg_vk_adopt_desc *adopt, const gpureg_site *site,
                                         gpureg_texture *out) {
    static const char fn[] = "gpureg_vk_texture_adopt";
    if (out) out->id = 0;
    vk_backend *vb;
    gpureg_result r = adopt_prologue(reg, desc, (uint64_t)(uintptr_t)image, adopt, out, &vb, fn);
    if (r != GPUREG_OK) return r;
    vk_texture *t = gpureg__alloc(reg, sizeof *t);
    if (!t) return gpureg__fail(reg, GPUREG_ERR_OUT_OF_MEMORY, "%s: out of host memory", fn);
    *t = (vk_texture){.mem = {.memory = adopt->memory, .offset = adopt->offset},
                      .view = adopt->view,
                      .layout = adopt->layout,
                      .aspect = aspect_of(desc->format),
                      .adopted = 1,
                      .destroy = adopt->destroy,
                      .destroy_user = adopt->user,
                      .owner = vb};
    gpureg__aux aux = {{(uint64_t)(uintptr_t)adopt->view, (uint64_t)(uintptr_t)t}};
    r = gpureg__adopt(reg, GPUREG_TYPE_TEXTURE, desc, (uint64_t)(uintptr_t)image, &aux, adopted_texture_destroy, t,
                      site, &out->id, fn);
    if (r != GPUREG_OK) gpureg__free(reg, t, sizeof *t);
    return r;
}

gpureg_result gpureg_vk_buffer_adopt_at(gpureg_registry *reg, const gpureg_buffer_desc *desc, VkBuffer buffer,
                                        const gpureg_vk_adopt_desc *adopt, const gpureg_site *site,
                                        gpureg_buffer *out) {
    static const char fn[] = "gpureg_vk_buffer_adopt";
    if (out) out->id = 0;
    vk_backend *vb;
    gpureg_result r = adopt_prologue(reg, desc, (uint64_t)(uintptr_t)buffer, adopt, out, &vb, fn);
    if (r != GPUREG_OK) return r;
    vk_buffer *b = gpureg__alloc(reg, sizeof *b);
    if (!b) return gpureg__fail(reg, GPUREG_ERR_OUT_OF_MEMORY, "%s: out of host memory", fn);
    *b = (vk_buffer){.mem = {.memory = adopt->memory, .offset = adopt->offset},
                     .adopted = 1,
                     .destroy = adopt->destroy,
                     .destroy_user = adopt->user,
                     .owner = vb};
    gpureg__aux aux = {{0, (uint64_t)(uintptr_t)b}};
    r = gpureg__adopt(reg, GPUREG_TYPE_BUFFER, desc, (uint64_t)(uintptr_t)buffer, &aux, adopted_buffer_destroy, b, site,
                      &out->id, fn);
    if (r != GPUREG_OK) gpureg__free(reg, b, sizeof *b);
    return r;
}

vk_backend *vk_backend_of(const gpureg_registry *reg, const char *function) {
    vk_backend *vb = gpureg__backend_state(reg, &vk_backend_ops);
    if (!vb) vb = gpureg__backend_state(reg, &vk_backend_ops_unnamed);
    if (!vb && reg) gpureg__fail(reg, GPUREG_ERR_UNSUPPORTED, "%s: not a Vulkan registry", function);
    return vb;
}
