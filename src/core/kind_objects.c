/* kind_objects.c — the create and adopt calls of the generic kinds (framebuffers, renderbuffers,
 * vertex arrays, samplers, shaders, programs; any kind adopted). Each checks its desc, resolves
 * the gpureg objects it names to natives for the backend, and hands over to object_make. */
#include "objects.h"

#include "formats.h"
#include "object_desc.h"

#define SHADER_CODE_MAX (16u << 20)

/* The start of every create: pointers, flags, and *out zeroed. */
static gpureg_result begin(gpureg_registry *reg, const void *desc, gpureg_object *out, uint32_t flags, const char *fn) {
    if (out) out->id = 0;
    if (!reg) return GPUREG_ERR_NULL_POINTER;
    if (!desc || !out) return gpureg__fail(reg, GPUREG_ERR_NULL_POINTER, "%s: desc and out are required", fn);
    if (flags & ~(uint32_t)GPUREG_OBJECT_FLAGS_ALL)
        return gpureg__fail(reg, GPUREG_ERR_INVALID_ARGUMENT, "%s: unknown flag bits 0x%x", fn,
                            flags & ~(uint32_t)GPUREG_OBJECT_FLAGS_ALL);
    return GPUREG_OK;
}

static gpureg_result make(gpureg_registry *reg, const gpureg_object_desc *what, const gpureg__object_spec *spec,
                          const gpureg_site *site, gpureg_object *out, const char *fn) {
    new_object o;
    o.type = GPUREG_TYPE_OBJECT, o.object = *what, o.label = what->label, o.flags = what->flags, o.site = site,
    o.adopt = NULL, o.spec = spec;
    return object_make(reg, &o, &out->id, fn);
}

gpureg_result gpureg_renderbuffer_create_at(gpureg_registry *reg, const gpureg_renderbuffer_desc *desc,
                                            const gpureg_site *site, gpureg_object *out) {
    static const char fn[] = "gpureg_renderbuffer_create";
    gpureg_result r = begin(reg, desc, out, desc ? desc->flags : 0, fn);
    if (r != GPUREG_OK) return r;
    gpureg_object_desc what = {
        GPUREG_KIND_RENDERBUFFER, desc->label, desc->flags, desc->width, desc->height, desc->format, desc->samples,
        GPUREG_STAGE_UNDEFINED};
    if (!what.format) return gpureg__fail(reg, GPUREG_ERR_INVALID_FORMAT, "%s: a renderbuffer needs a format", fn);
    if (!what.width || !what.height)
        return gpureg__fail(reg, GPUREG_ERR_INVALID_SIZE, "%s: renderbuffer size %ux%u", fn, what.width, what.height);
    r = object_check_object(reg, fn, &what, &what);
    if (r != GPUREG_OK) return r;
    gpureg__object_spec spec = {.kind = GPUREG_KIND_RENDERBUFFER, .renderbuffer = *desc};
    spec.renderbuffer.samples = what.samples;
    spec.renderbuffer.label = NULL;
    return make(reg, &what, &spec, site, out, fn);
}

/* Attachments are 2D textures: an array texture's layer is not an attachment gpureg makes (the
 * backends attach whole images; GL would attach an array layered). */
static gpureg_result single_layer(gpureg_registry *reg, const gpureg__object *obj, gpureg_handle h, const char *fn) {
    if (obj->kind == GPUREG_KIND_TEXTURE && obj->texture.array_layers > 1)
        return gpureg__fail(reg, GPUREG_ERR_INVALID_ARGUMENT,
                            "%s: texture 0x%016llx has %u array layers; attachments are 2D textures", fn,
                            (unsigned long long)h, obj->texture.array_layers);
    return GPUREG_OK;
}

/* A colour attachment: an ALIVE texture of a colour format made to be one. */
static gpureg_result color_attachment(gpureg_registry *reg, gpureg_texture t, gpureg__object *obj, const char *fn) {
    gpureg_result r = gpureg__lookup(reg, t.id, GPUREG_TYPE_TEXTURE, obj, fn);
    if (r != GPUREG_OK) return r;
    if (!(obj->texture.usage & GPUREG_TEXTURE_USAGE_COLOR_ATTACHMENT))
        return gpureg__fail(reg, GPUREG_ERR_INVALID_USAGE,
                            "%s: texture 0x%016llx was not made with GPUREG_TEXTURE_USAGE_COLOR_ATTACHMENT", fn,
                            (unsigned long long)t.id);
    return single_layer(reg, obj, t.id, fn);
}

/* The depth/stencil attachment: a depth-format texture made to be one, or a renderbuffer of a
 * depth or stencil format. */
static gpureg_result depth_attachment(gpureg_registry *reg, gpureg_handle h, gpureg__object *obj, uint32_t *w,
                                      uint32_t *height, gpureg_format *format, const char *fn) {
    gpureg_result r = gpureg__lookup(reg, h, GPUREG_TYPE_UNDEFINED, obj, fn);
    if (r != GPUREG_OK) return r;
    if (obj->kind == GPUREG_KIND_TEXTURE && (obj->texture.usage & GPUREG_TEXTURE_USAGE_DEPTH_STENCIL_ATTACHMENT)) {
        *w = obj->texture.width, *height = obj->texture.height, *format = obj->texture.format;
        return single_layer(reg, obj, h, fn);
    }
    if (obj->kind == GPUREG_KIND_RENDERBUFFER && format_is_depth_or_stencil(obj->object.format)) {
        *w = obj->object.width, *height = obj->object.height, *format = obj->object.format;
        return GPUREG_OK;
    }
    return gpureg__fail(reg, GPUREG_ERR_INVALID_ARGUMENT,
                        "%s: depth_stencil 0x%016llx is neither a depth/stencil-attachment texture nor a depth or "
                        "stencil renderbuffer",
                        fn, (unsigned long long)h);
}

gpureg_result gpureg_framebuffer_create_at(gpureg_registry *reg, const gpureg_framebuffer_desc *desc,
                                           const gpureg_site *site, gpureg_object *out) {
    static const char fn[] = "gpureg_framebuffer_create";
    gpureg_result r = begin(reg, desc, out, desc ? desc->flags : 0, fn);
    if (r != GPUREG_OK) return r;
    gpureg__object_spec spec = {.kind = GPUREG_KIND_FRAMEBUFFER};
    uint32_t count = 0;
    while (count < GPUREG_MAX_COLOR_ATTACHMENTS && desc->color[count].id)
        count++;
    for (uint32_t i = count; i < GPUREG_MAX_COLOR_ATTACHMENTS; i++)
        if (desc->color[i].id)
            return gpureg__fail(reg, GPUREG_ERR_INVALID_ARGUMENT, "%s: colour attachment %u follows an empty one", fn,
                                i);
    if (!count && !desc->depth_stencil) return gpureg__fail(reg, GPUREG_ERR_INVALID_ARGUMENT, "%s: no attachment", fn);
    for (uint32_t i = 0; i < count; i++) {
        gpureg__object obj;
        if ((r = color_attachment(reg, desc->color[i], &obj, fn)) != GPUREG_OK) return r;
        if (i && (obj.texture.width != spec.framebuffer.width || obj.texture.height != spec.framebuffer.height))
            return gpureg__fail(reg, GPUREG_ERR_INVALID_SIZE, "%s: colour attachment %u is %ux%u, the first %ux%u", fn,
                                i, obj.texture.width, obj.texture.height, spec.framebuffer.width,
                                spec.framebuffer.height);
        spec.framebuffer.color[i] = obj.native;
        spec.framebuffer.width = obj.texture.width, spec.framebuffer.height = obj.texture.height;
    }
    spec.framebuffer.color_count = count;
    if (desc->depth_stencil) {
        gpureg__object obj;
        uint32_t w = 0, h = 0;
        r = depth_attachment(reg, desc->depth_stencil, &obj, &w, &h, &spec.framebuffer.depth_stencil_format, fn);
        if (r != GPUREG_OK) return r;
        if (count && (w != spec.framebuffer.width || h != spec.framebuffer.height))
            return gpureg__fail(reg, GPUREG_ERR_INVALID_SIZE, "%s: depth_stencil is %ux%u, the colour %ux%u", fn, w, h,
                                spec.framebuffer.width, spec.framebuffer.height);
        spec.framebuffer.depth_stencil = obj.native;
        spec.framebuffer.depth_stencil_kind = obj.kind;
        spec.framebuffer.width = w, spec.framebuffer.height = h;
    }
    gpureg_object_desc what = {.kind = GPUREG_KIND_FRAMEBUFFER, .label = desc->label, .flags = desc->flags};
    return make(reg, &what, &spec, site, out, fn);
}

gpureg_result gpureg_sampler_create_at(gpureg_registry *reg, const gpureg_sampler_desc *desc, const gpureg_site *site,
                                       gpureg_object *out) {
    static const char fn[] = "gpureg_sampler_create";
    gpureg_result r = begin(reg, desc, out, desc ? desc->flags : 0, fn);
    if (r == GPUREG_OK) r = object_check_sampler(reg, fn, &desc->state);
    if (r != GPUREG_OK) return r;
    gpureg__object_spec spec = {.kind = GPUREG_KIND_SAMPLER, .sampler = object_sampler_defaults(desc->state)};
    gpureg_object_desc what = {.kind = GPUREG_KIND_SAMPLER, .label = desc->label, .flags = desc->flags};
    return make(reg, &what, &spec, site, out, fn);
}

gpureg_result gpureg_shader_create_at(gpureg_registry *reg, const gpureg_shader_desc *desc, const gpureg_site *site,
                                      gpureg_object *out) {
    static const char fn[] = "gpureg_shader_create";
    gpureg_result r = begin(reg, desc, out, desc ? desc->flags : 0, fn);
    if (r != GPUREG_OK) return r;
    if (!desc->code) return gpureg__fail(reg, GPUREG_ERR_NULL_POINTER, "%s: code is NULL", fn);
    if ((unsigned)desc->stage == GPUREG_STAGE_UNDEFINED || (unsigned)desc->stage > GPUREG_STAGE_COMPUTE)
        return gpureg__fail(reg, GPUREG_ERR_INVALID_ARGUMENT, "%s: unknown shader stage %u", fn, (unsigned)desc->stage);
    if (!desc->code_size || desc->code_size > SHADER_CODE_MAX)
        return gpureg__fail(reg, GPUREG_ERR_INVALID_SIZE, "%s: code_size %zu outside 1..%u", fn, desc->code_size,
                            SHADER_CODE_MAX);
    gpureg__object_spec spec = {.kind = GPUREG_KIND_SHADER, .shader = *desc};
    spec.shader.label = NULL;
    gpureg_object_desc what = {
        .kind = GPUREG_KIND_SHADER, .label = desc->label, .flags = desc->flags, .stage = desc->stage};
    return make(reg, &what, &spec, site, out, fn);
}

gpureg_result gpureg_program_create_at(gpureg_registry *reg, const gpureg_program_desc *desc, const gpureg_site *site,
                                       gpureg_object *out) {
    static const char fn[] = "gpureg_program_create";
    gpureg_result r = begin(reg, desc, out, desc ? desc->flags : 0, fn);
    if (r != GPUREG_OK) return r;
    gpureg__object_spec spec = {.kind = GPUREG_KIND_PROGRAM};
    if (!desc->shaders) return gpureg__fail(reg, GPUREG_ERR_NULL_POINTER, "%s: shaders is NULL", fn);
    uint32_t most = (uint32_t)(sizeof spec.program.shaders / sizeof spec.program.shaders[0]);
    if (!desc->shader_count || desc->shader_count > most)
        return gpureg__fail(reg, GPUREG_ERR_INVALID_ARGUMENT, "%s: %u shaders, 1..%u", fn, desc->shader_count, most);
    for (uint32_t i = 0; i < desc->shader_count; i++) {
        gpureg__object obj;
        if ((r = gpureg__lookup(reg, desc->shaders[i].id, GPUREG_TYPE_OBJECT, &obj, fn)) != GPUREG_OK) return r;
        if (obj.kind != GPUREG_KIND_SHADER)
            return gpureg__fail(reg, GPUREG_ERR_INVALID_ARGUMENT, "%s: shaders[%u] is a %s, not a shader", fn, i,
                                gpureg_kind_name(obj.kind));
        for (uint32_t j = 0; j < i; j++)
            if (desc->shaders[j].id == desc->shaders[i].id)
                return gpureg__fail(reg, GPUREG_ERR_INVALID_ARGUMENT, "%s: shaders[%u] is shaders[%u] again", fn, i, j);
        spec.program.shaders[i] = obj.native;
    }
    spec.program.count = desc->shader_count;
    gpureg_object_desc what = {.kind = GPUREG_KIND_PROGRAM, .label = desc->label, .flags = desc->flags};
    return make(reg, &what, &spec, site, out, fn);
}

gpureg_result gpureg_vertex_array_create_at(gpureg_registry *reg, const gpureg_vertex_array_desc *desc,
                                            const gpureg_site *site, gpureg_object *out) {
    static const char fn[] = "gpureg_vertex_array_create";
    gpureg_result r = begin(reg, desc, out, desc ? desc->flags : 0, fn);
    if (r != GPUREG_OK) return r;
    gpureg__object_spec spec = {.kind = GPUREG_KIND_VERTEX_ARRAY};
    gpureg_object_desc what = {.kind = GPUREG_KIND_VERTEX_ARRAY, .label = desc->label, .flags = desc->flags};
    return make(reg, &what, &spec, site, out, fn);
}

gpureg_result gpureg_object_adopt_at(gpureg_registry *reg, const gpureg_object_desc *desc, uint64_t native,
                                     gpureg_adopt_destroy_fn destroy, void *user, const gpureg_site *site,
                                     gpureg_object *out) {
    if (out) out->id = 0;
    return gpureg__adopt(reg, GPUREG_TYPE_OBJECT, desc, native, NULL, destroy, user, site, out ? &out->id : NULL,
                         "gpureg_object_adopt");
}
