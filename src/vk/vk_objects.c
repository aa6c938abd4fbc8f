/* vk_objects.c — every kind but textures and buffers: the samplers and shader modules gpureg
 * creates, and the views, framebuffers, render passes, pipelines, layouts, descriptor pools,
 * samplers and shader modules an app hands over (gpureg_vk_object_adopt).
 *
 * One table says, per kind, the Vulkan type (and so its vkDestroy call) and the VkObjectType of
 * its debug name, so destroy, name and adopt cannot disagree about which kinds Vulkan has. */
#include <string.h>

#include "vk_backend.h"

/* X(gpureg kind, the Vulkan type without its Vk, the VkObjectType without VK_OBJECT_TYPE_) */
#define VK_GENERIC_KINDS(X)                                                                                            \
    X(IMAGE_VIEW, ImageView, IMAGE_VIEW)                                                                               \
    X(SAMPLER, Sampler, SAMPLER)                                                                                       \
    X(FRAMEBUFFER, Framebuffer, FRAMEBUFFER)                                                                           \
    X(RENDER_PASS, RenderPass, RENDER_PASS)                                                                            \
    X(PIPELINE, Pipeline, PIPELINE)                                                                                    \
    X(PIPELINE_LAYOUT, PipelineLayout, PIPELINE_LAYOUT)                                                                \
    X(DESCRIPTOR_SET_LAYOUT, DescriptorSetLayout, DESCRIPTOR_SET_LAYOUT)                                               \
    X(DESCRIPTOR_POOL, DescriptorPool, DESCRIPTOR_POOL)                                                                \
    X(SHADER, ShaderModule, SHADER_MODULE)

/* gpureg's own objects and DESTROY adoptions alike: the registry's device, and no allocation
 * callbacks, as for everything else gpureg destroys. */
void vk_object_destroy_kind(vk_backend *vb, gpureg_object_kind kind, uint64_t native) {
    switch (kind) {
#define VK_KIND_DESTROY(k, type, object_type)                                                                          \
    case GPUREG_KIND_##k:                                                                                              \
        vb->fn.vkDestroy##type(vb->device, (Vk##type)(uintptr_t)native, NULL);                                         \
        break;
        VK_GENERIC_KINDS(VK_KIND_DESTROY)
#undef VK_KIND_DESTROY
    default:
        break; /* gpureg makes no other kind here, and adopts none it would have to destroy */
    }
}

static VkObjectType object_type_of(gpureg_object_kind kind) {
    switch (kind) {
#define VK_KIND_OBJECT_TYPE(k, type, object_type)                                                                      \
    case GPUREG_KIND_##k:                                                                                              \
        return VK_OBJECT_TYPE_##object_type;
        VK_GENERIC_KINDS(VK_KIND_OBJECT_TYPE)
#undef VK_KIND_OBJECT_TYPE
    default:
        return VK_OBJECT_TYPE_UNKNOWN;
    }
}

/* A kind Vulkan has not (a renderbuffer adopted with gpureg_object_adopt to be tracked) is no
 * Vulkan object: naming its number would hand the driver a handle it never made. */
void vk_object_name_kind(vk_backend *vb, gpureg_object_kind kind, uint64_t native, const char *name) {
    VkObjectType type = object_type_of(kind);
    if (type != VK_OBJECT_TYPE_UNKNOWN) vk_debug_name(vb, type, native, name);
}

/* ---- Samplers ---------------------------------------------------------------------------------- */

/* The core hands every member set (no DEFAULT); a value outside the enums is refused rather
 * than read past the tables. */
static int sampler_info(const gpureg_sampler_state *s, VkSamplerCreateInfo *ci) {
    static const VkFilter filters[] = {
        [GPUREG_FILTER_NEAREST] = VK_FILTER_NEAREST, [GPUREG_FILTER_LINEAR] = VK_FILTER_LINEAR};
    static const VkSamplerAddressMode wraps[] = {[GPUREG_WRAP_REPEAT] = VK_SAMPLER_ADDRESS_MODE_REPEAT,
                                                 [GPUREG_WRAP_CLAMP_TO_EDGE] = VK_SAMPLER_ADDRESS_MODE_CLAMP_TO_EDGE,
                                                 [GPUREG_WRAP_MIRRORED_REPEAT] =
                                                     VK_SAMPLER_ADDRESS_MODE_MIRRORED_REPEAT};
    unsigned min = (unsigned)s->min_filter, mag = (unsigned)s->mag_filter, mip = (unsigned)s->mip_filter;
    unsigned u = (unsigned)s->wrap_u, v = (unsigned)s->wrap_v;
    if (min - 1u > 1u || mag - 1u > 1u || mip - 1u > 2u || u - 1u > 2u || v - 1u > 2u) return 0;
    *ci = (VkSamplerCreateInfo){.sType = VK_STRUCTURE_TYPE_SAMPLER_CREATE_INFO,
                                .magFilter = filters[mag],
                                .minFilter = filters[min],
                                .addressModeU = wraps[u],
                                .addressModeV = wraps[v],
                                .addressModeW = wraps[u], /* 2D textures never read it */
                                .maxLod = VK_LOD_CLAMP_NONE};
    /* Vulkan has no "level 0 only" mode: the spec's emulation of GL_NEAREST / GL_LINEAR
     * minification is mipmapMode NEAREST with minLod 0 and maxLod 0.25. */
    if (s->mip_filter == GPUREG_MIP_FILTER_NONE) ci->maxLod = 0.25f;
    ci->mipmapMode =
        s->mip_filter == GPUREG_MIP_FILTER_LINEAR ? VK_SAMPLER_MIPMAP_MODE_LINEAR : VK_SAMPLER_MIPMAP_MODE_NEAREST;
    return 1;
}

static gpureg_result create_sampler(vk_backend *vb, const gpureg_sampler_state *s, uint64_t *native) {
    VkSamplerCreateInfo ci;
    if (!sampler_info(s, &ci))
        return gpureg__fail(vb->reg, GPUREG_ERR_INVALID_ARGUMENT, "sampler state out of range (%d %d %d %d %d)",
                            (int)s->min_filter, (int)s->mag_filter, (int)s->mip_filter, (int)s->wrap_u, (int)s->wrap_v);
    VkSampler sampler = VK_NULL_HANDLE;
    gpureg_result r = vk_check(vb, vb->fn.vkCreateSampler(vb->device, &ci, NULL, &sampler), "vkCreateSampler");
    if (r == GPUREG_OK) *native = (uint64_t)(uintptr_t)sampler;
    return r;
}

/* ---- Shader modules ---------------------------------------------------------------------------- */
#define SPIRV_MAGIC        0x07230203u
#define SPIRV_HEADER_BYTES 20u /* magic, version, generator, bound, schema */

/* Refused here, with a reason, rather than by the driver: SPIR-V that is not whole words or does
 * not start with the magic number is undefined behaviour for vkCreateShaderModule. */
static gpureg_result check_spirv(vk_backend *vb, const gpureg_shader_desc *d) {
    if (d->code_size % 4u || d->code_size < SPIRV_HEADER_BYTES)
        return gpureg__fail(vb->reg, GPUREG_ERR_INVALID_ARGUMENT,
                            "SPIR-V is whole 32-bit words, the 5-word header at least: code_size %zu", d->code_size);
    uint32_t magic;
    memcpy(&magic, d->code, sizeof magic);
    if (magic != SPIRV_MAGIC)
        return gpureg__fail(vb->reg, GPUREG_ERR_INVALID_ARGUMENT,
                            "not SPIR-V: the first word is 0x%08x, not the magic number 0x%08x", magic, SPIRV_MAGIC);
    return GPUREG_OK;
}

static gpureg_result create_shader(vk_backend *vb, const gpureg_shader_desc *d, uint64_t *native) {
    gpureg_result r = check_spirv(vb, d);
    if (r != GPUREG_OK) return r;
    /* pCode is a uint32_t pointer: code at an odd address (bytes read from a file into a char
     * buffer) is copied to an aligned one rather than refused. */
    const void *code = d->code;
    void *copy = NULL;
    size_t copy_size = d->code_size + sizeof(uint32_t) - 1u;
    if ((uintptr_t)code % sizeof(uint32_t)) {
        copy = gpureg__alloc(vb->reg, copy_size);
        if (!copy) return gpureg__fail(vb->reg, GPUREG_ERR_OUT_OF_MEMORY, "out of host memory copying SPIR-V");
        void *aligned = (void *)(((uintptr_t)copy + sizeof(uint32_t) - 1u) & ~(uintptr_t)(sizeof(uint32_t) - 1u));
        code = memcpy(aligned, d->code, d->code_size);
    }
    VkShaderModuleCreateInfo ci = {.sType = VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO,
                                   .codeSize = d->code_size,
                                   .pCode = (const uint32_t *)code};
    VkShaderModule module = VK_NULL_HANDLE;
    r = vk_check(vb, vb->fn.vkCreateShaderModule(vb->device, &ci, NULL, &module), "vkCreateShaderModule");
    if (copy) gpureg__free(vb->reg, copy, copy_size);
    if (r == GPUREG_OK) *native = (uint64_t)(uintptr_t)module;
    return r;
}

gpureg_result vk_object_create(void *be, const gpureg__object_spec *spec, gpureg_handle handle, const char *name,
                               uint64_t *native, gpureg__aux *aux) {
    vk_backend *vb = be;
    gpureg_result r;
    switch (spec->kind) {
    case GPUREG_KIND_SAMPLER:
        r = create_sampler(vb, &spec->sampler, native);
        break;
    case GPUREG_KIND_SHADER:
        r = create_shader(vb, &spec->shader, native);
        break;
    default:
        /* Renderbuffers, vertex arrays and programs are GL's; a VkFramebuffer needs the app's
         * render pass. The core logs it; an app's Vulkan object can be adopted instead. */
        return GPUREG_ERR_UNSUPPORTED;
    }
    if (r != GPUREG_OK) return r;
    *aux = (gpureg__aux){{0, 0}};
    vk_object_name_kind(vb, spec->kind, *native, name);
    return GPUREG_OK;
}

/* ---- Adopt ------------------------------------------------------------------------------------ *
 * A DESTROY adoption's destroy callback gets the backend as its user data and knows its kind, so
 * an adopted object needs no record of its own: one function per kind, from the table. */
#define VK_KIND_ADOPTED_DESTROY(k, type, object_type)                                                                  \
    static void adopted_destroy_##k(uint64_t native, void *user) {                                                     \
        vk_object_destroy_kind(user, GPUREG_KIND_##k, native);                                                         \
    }
VK_GENERIC_KINDS(VK_KIND_ADOPTED_DESTROY)
#undef VK_KIND_ADOPTED_DESTROY

/* Also the answer to "does Vulkan have this kind": NULL for every other one. */
static const gpureg_adopt_destroy_fn adopted_destroy[GPUREG_KIND_COUNT] = {
#define VK_KIND_ADOPTED_ENTRY(k, type, object_type) [GPUREG_KIND_##k] = adopted_destroy_##k,
    VK_GENERIC_KINDS(VK_KIND_ADOPTED_ENTRY)
#undef VK_KIND_ADOPTED_ENTRY
};

gpureg_result gpureg_vk_object_adopt_at(gpureg_registry *reg, const gpureg_object_desc *desc, uint64_t handle,
                                        gpureg_vk_ownership ownership, const gpureg_site *site, gpureg_object *out) {
    static const char fn[] = "gpureg_vk_object_adopt";
    if (out) out->id = 0;
    if (!reg) return GPUREG_ERR_NULL_POINTER;
    vk_backend *vb = vk_backend_of(reg, fn);
    if (!vb) return GPUREG_ERR_UNSUPPORTED;
    if (!desc || !out) return gpureg__fail(reg, GPUREG_ERR_NULL_POINTER, "%s: desc and out are required", fn);
    if (!handle) return gpureg__fail(reg, GPUREG_ERR_INVALID_ARGUMENT, "%s: the Vulkan object is VK_NULL_HANDLE", fn);
    if ((unsigned)desc->kind >= GPUREG_KIND_COUNT || !adopted_destroy[desc->kind])
        return gpureg__fail(reg, GPUREG_ERR_INVALID_ARGUMENT,
                            "%s: kind %d (%s) is no Vulkan object gpureg adopts here (images and buffers: "
                            "gpureg_vk_texture_adopt, gpureg_vk_buffer_adopt)",
                            fn, (int)desc->kind, gpureg_kind_name(desc->kind));
    if (ownership != GPUREG_VK_ADOPT_DESTROY && ownership != GPUREG_VK_ADOPT_KEEP)
        return gpureg__fail(reg, GPUREG_ERR_INVALID_ARGUMENT, "%s: ownership %d is neither DESTROY nor KEEP", fn,
                            (int)ownership);
    gpureg_result r = gpureg__check_owner(reg, fn);
    if (r != GPUREG_OK) return r;
    gpureg__aux aux = {{0, 0}};
    gpureg_adopt_destroy_fn destroy = ownership == GPUREG_VK_ADOPT_DESTROY ? adopted_destroy[desc->kind] : NULL;
    return gpureg__adopt(reg, GPUREG_TYPE_OBJECT, desc, handle, &aux, destroy, destroy ? vb : NULL, site, &out->id, fn);
}
