/* render_target.c — a render target as one unit: a colour texture, an optional depth/stencil
 * renderbuffer and a framebuffer with both attached, the last two depending on the texture so
 * that all three die together after the texture's fence (depend.c). */
#include <stdio.h>

#include "formats.h"
#include "registry.h"

/* "<label><suffix>", or NULL for an unlabelled target (the core cuts it to the label limit). */
static const char *part_label(char *buf, size_t size, const char *label, const char *suffix) {
    if (!label) return NULL;
    snprintf(buf, size, "%s%s", label, suffix);
    return buf;
}

/* Release the parts of t, in the order their destruction needs (dependents first); with
 * skip_empty, parts that are 0 are left out (a create that failed half-way). */
static gpureg_result release_parts(gpureg_registry *reg, gpureg_render_target t, int skip_empty) {
    gpureg_handle parts[3] = {t.framebuffer.id, t.depth_stencil.id, t.color.id};
    gpureg_result first = GPUREG_OK;
    for (int i = 0; i < 3; i++) {
        if (!parts[i] && (skip_empty || i == 1)) continue; /* depth_stencil is optional */
        gpureg_result r = gpureg_release(reg, parts[i]);
        if (first == GPUREG_OK) first = r;
    }
    return first;
}

gpureg_result gpureg_render_target_create_at(gpureg_registry *reg, const gpureg_render_target_desc *desc,
                                             const gpureg_site *site, gpureg_render_target *out) {
    static const char fn[] = "gpureg_render_target_create";
    if (out) *out = (gpureg_render_target){{0}, {0}, {0}};
    if (!reg) return GPUREG_ERR_NULL_POINTER;
    if (!desc || !out) return gpureg__fail(reg, GPUREG_ERR_NULL_POINTER, "%s: desc and out are required", fn);
    if (desc->depth_stencil && !format_is_depth_or_stencil(desc->depth_stencil))
        return gpureg__fail(reg, GPUREG_ERR_INVALID_FORMAT, "%s: depth_stencil format %u is not a depth or stencil one",
                            fn, (unsigned)desc->depth_stencil);
    uint32_t needs = GPUREG__KIND_BIT(GPUREG_KIND_FRAMEBUFFER) |
                     (desc->depth_stencil ? GPUREG__KIND_BIT(GPUREG_KIND_RENDERBUFFER) : 0u);
    if ((reg->ops->object_kinds & needs) != needs)
        return gpureg__fail(reg, GPUREG_ERR_UNSUPPORTED, "%s: the %s backend makes no framebuffers%s", fn,
                            reg->ops->name, desc->depth_stencil ? " or renderbuffers" : "");
    gpureg_texture_desc color = desc->color;
    if (!color.usage) color.usage = GPUREG_TEXTURE_USAGE_SAMPLED | GPUREG_TEXTURE_USAGE_TRANSFER_DST;
    color.usage |= GPUREG_TEXTURE_USAGE_COLOR_ATTACHMENT;

    gpureg_render_target t = {{0}, {0}, {0}};
    gpureg_result r = gpureg_texture_create_at(reg, &color, site, &t.color);
    char label[GPUREG_MAX_LABEL_LENGTH + 32];
    if (r == GPUREG_OK && desc->depth_stencil) {
        gpureg_renderbuffer_desc rb = {color.width,
                                       color.height,
                                       desc->depth_stencil,
                                       1,
                                       part_label(label, sizeof label, color.label, " depth-stencil"),
                                       color.flags};
        r = gpureg_renderbuffer_create_at(reg, &rb, site, &t.depth_stencil);
    }
    if (r == GPUREG_OK) {
        gpureg_framebuffer_desc fb = {.color = {t.color},
                                      .depth_stencil = t.depth_stencil.id,
                                      .label = part_label(label, sizeof label, color.label, " framebuffer"),
                                      .flags = color.flags};
        r = gpureg_framebuffer_create_at(reg, &fb, site, &t.framebuffer);
    }
    if (r == GPUREG_OK) r = gpureg_object_depend(reg, t.framebuffer.id, t.color.id);
    if (r == GPUREG_OK && t.depth_stencil.id) r = gpureg_object_depend(reg, t.depth_stencil.id, t.color.id);
    if (r != GPUREG_OK) {
        release_parts(reg, t, 1); /* never used by the GPU: gone at the next collection */
        return r;
    }
    *out = t;
    return GPUREG_OK;
}

gpureg_result gpureg_render_target_release(gpureg_registry *reg, gpureg_render_target target) {
    if (!reg) return GPUREG_ERR_NULL_POINTER;
    return release_parts(reg, target, 0); /* every part, whatever an earlier one answered */
}
