/* object_desc.c — what an object is: its desc checked and defaulted, packed into one 64-bit slot
 * field, unpacked again, and its size in bytes. */
#include "object_desc.h"

#include "formats.h"

/* Packed descs (one 64-bit slot field). Texture: width-1 (16) | height-1 (16) | layers-1 (16) |
 * mips-1 (5) | format (4) | usage (6). Buffer: size (41) | usage (7) | update (2). Object: see
 * object_desc.h. */

static uint32_t log2_of(uint32_t power_of_two) {
    uint32_t n = 0;
    while (power_of_two > 1u) {
        power_of_two >>= 1;
        n++;
    }
    return n;
}

uint64_t object_pack_object(const gpureg_object_desc *d) {
    uint64_t p = (uint64_t)d->kind << GPUREG_FP_DESC_KIND_SHIFT;
    if (d->kind == GPUREG_KIND_RENDERBUFFER && d->width)
        p |= (uint64_t)(d->width - 1u) | (uint64_t)(d->height - 1u) << 16 | (uint64_t)d->format << 32 |
             (uint64_t)log2_of(d->samples) << 36;
    if (d->kind == GPUREG_KIND_SHADER) p |= (uint64_t)d->stage << 40;
    return p;
}

void object_unpack(uint32_t type, uint64_t p, gpureg_texture_desc *tex, gpureg_buffer_desc *buf,
                   gpureg_object_desc *obj) {
    if (type == GPUREG_TYPE_OBJECT) {
        *obj = (gpureg_object_desc){.kind = (gpureg_object_kind)(p >> GPUREG_FP_DESC_KIND_SHIFT)};
        if (obj->kind == GPUREG_KIND_RENDERBUFFER && (p & 0x7FFFFFFFFFull)) {
            obj->width = (uint32_t)(p & 0xFFFF) + 1u;
            obj->height = (uint32_t)(p >> 16 & 0xFFFF) + 1u;
            obj->format = (gpureg_format)(p >> 32 & 0xF);
            obj->samples = 1u << (p >> 36 & 7);
        }
        if (obj->kind == GPUREG_KIND_SHADER) obj->stage = (gpureg_shader_stage)(p >> 40 & 3);
        return;
    }
    if (type == GPUREG_TYPE_TEXTURE) {
        *tex = object_unpack_texture(p);
    } else if (type == GPUREG_TYPE_BUFFER) {
        *buf = (gpureg_buffer_desc){.size = p & ((1ull << 41) - 1u),
                                    .usage = (uint32_t)(p >> 41 & 0x7F),
                                    .update = (gpureg_buffer_update)(p >> 48 & 3)};
    }
}

/* Bytes of a packed desc, straight from its bits: neither unpacking the whole desc nor calling
 * out for the texel size. */
uint64_t object_bytes_other(uint32_t type, uint64_t p) {
    if (type == GPUREG_TYPE_BUFFER) return p & ((1ull << 41) - 1u);
    if (type == GPUREG_TYPE_OBJECT) {
        /* A renderbuffer adopted without its storage packs width-1 = height-1 = format = 0 and
         * so counts 0 bytes (format 0 has texel size 0). */
        if (p >> GPUREG_FP_DESC_KIND_SHIFT != GPUREG_KIND_RENDERBUFFER) return 0;
        return ((p & 0xFFFF) + 1u) * ((p >> 16 & 0xFFFF) + 1u) * format_texel_bytes[p >> 32 & 0xF] << (p >> 36 & 7);
    }
    if (type != GPUREG_TYPE_TEXTURE) return 0;
    uint64_t w = (p & 0xFFFF) + 1u, h = (p >> 16 & 0xFFFF) + 1u, layers = (p >> 32 & 0xFFFF) + 1u;
    uint32_t mips = (uint32_t)(p >> 48 & 0x1F) + 1u;
    uint64_t texels = w * h;
    for (uint32_t m = 1; m < mips; m++) {
        w = w > 1 ? w >> 1 : 1;
        h = h > 1 ? h >> 1 : 1;
        texels += w * h;
    }
    return texels * format_texel_bytes[p >> 53 & 0xF] * layers;
}

/* floor(log2(max(w, h))) + 1 */
static uint32_t max_mips(uint32_t w, uint32_t h) {
    uint32_t s = w > h ? w : h;
#if defined(__GNUC__) || defined(__clang__)
    return 32u - (uint32_t)__builtin_clz(s); /* s >= 1: checked before */
#else
    uint32_t m = 1;
    while (s >>= 1)
        m++;
    return m;
#endif
}

gpureg_result object_check_texture(const gpureg_registry *reg, const char *fn, const gpureg_texture_desc *in,
                                   gpureg_texture_desc *d) {
    *d = *in;
    if (!d->mip_levels) d->mip_levels = 1;
    if (!d->array_layers) d->array_layers = 1;
    if (!d->usage) d->usage = GPUREG_TEXTURE_USAGE_SAMPLED | GPUREG_TEXTURE_USAGE_TRANSFER_DST;
    if (!d->width || !d->height || d->width > GPUREG_MAX_TEXTURE_DIMENSION || d->height > GPUREG_MAX_TEXTURE_DIMENSION)
        return gpureg__fail(reg, GPUREG_ERR_INVALID_SIZE, "%s: texture size %ux%u outside 1..%u", fn, d->width,
                            d->height, GPUREG_MAX_TEXTURE_DIMENSION);
    if (d->array_layers > GPUREG_MAX_ARRAY_LAYERS)
        return gpureg__fail(reg, GPUREG_ERR_INVALID_SIZE, "%s: %u array layers, at most %u", fn, d->array_layers,
                            GPUREG_MAX_ARRAY_LAYERS);
    if ((unsigned)d->format == 0 || (unsigned)d->format >= GPUREG_FORMAT_COUNT)
        return gpureg__fail(reg, GPUREG_ERR_INVALID_FORMAT, "%s: unknown format %u", fn, (unsigned)d->format);
    if (d->usage & ~(uint32_t)GPUREG_TEXTURE_USAGE_ALL)
        return gpureg__fail(reg, GPUREG_ERR_INVALID_USAGE, "%s: unknown texture usage bits 0x%x", fn,
                            d->usage & ~(uint32_t)GPUREG_TEXTURE_USAGE_ALL);
    uint32_t wrong = format_is_depth_or_stencil(d->format)
                         ? (GPUREG_TEXTURE_USAGE_COLOR_ATTACHMENT | GPUREG_TEXTURE_USAGE_STORAGE)
                         : GPUREG_TEXTURE_USAGE_DEPTH_STENCIL_ATTACHMENT;
    if (d->usage & wrong)
        return gpureg__fail(reg, GPUREG_ERR_INVALID_USAGE, "%s: usage 0x%x is not possible for format %s", fn, d->usage,
                            gpureg_format_name(d->format));
    if (d->flags & ~(uint32_t)GPUREG_OBJECT_FLAGS_ALL)
        return gpureg__fail(reg, GPUREG_ERR_INVALID_ARGUMENT, "%s: unknown flag bits 0x%x", fn,
                            d->flags & ~(uint32_t)GPUREG_OBJECT_FLAGS_ALL);
    if (d->mip_levels > max_mips(d->width, d->height))
        return gpureg__fail(reg, GPUREG_ERR_INVALID_ARGUMENT, "%s: %u mip levels, a %ux%u texture has at most %u", fn,
                            d->mip_levels, d->width, d->height, max_mips(d->width, d->height));
    return object_check_sampler(reg, fn, &d->sampler);
}

gpureg_result object_check_sampler(const gpureg_registry *reg, const char *fn, const gpureg_sampler_state *s) {
    if ((unsigned)s->min_filter > GPUREG_FILTER_LINEAR || (unsigned)s->mag_filter > GPUREG_FILTER_LINEAR ||
        (unsigned)s->mip_filter > GPUREG_MIP_FILTER_LINEAR || (unsigned)s->wrap_u > GPUREG_WRAP_MIRRORED_REPEAT ||
        (unsigned)s->wrap_v > GPUREG_WRAP_MIRRORED_REPEAT)
        return gpureg__fail(reg, GPUREG_ERR_INVALID_ARGUMENT,
                            "%s: unknown sampler state (filters %u/%u, mip filter %u, wrap %u/%u)", fn,
                            (unsigned)s->min_filter, (unsigned)s->mag_filter, (unsigned)s->mip_filter,
                            (unsigned)s->wrap_u, (unsigned)s->wrap_v);
    return GPUREG_OK;
}

gpureg_sampler_state object_sampler_defaults(gpureg_sampler_state s) {
    if (!s.min_filter) s.min_filter = GPUREG_FILTER_LINEAR;
    if (!s.mag_filter) s.mag_filter = GPUREG_FILTER_LINEAR;
    if (!s.mip_filter) s.mip_filter = GPUREG_MIP_FILTER_NONE;
    if (!s.wrap_u) s.wrap_u = GPUREG_WRAP_REPEAT;
    if (!s.wrap_v) s.wrap_v = GPUREG_WRAP_REPEAT;
    return s;
}

/* 2 bits each (checked values are 0..3): min | mag | mip | wrap u | wrap v. */

gpureg_sampler_state object_unpack_sampler(uint32_t p) {
    return (gpureg_sampler_state){(gpureg_filter)(p & 3), (gpureg_filter)(p >> 2 & 3), (gpureg_mip_filter)(p >> 4 & 3),
                                  (gpureg_wrap)(p >> 6 & 3), (gpureg_wrap)(p >> 8 & 3)};
}

static int is_power_of_two(uint32_t v) { return v && !(v & (v - 1u)); }

gpureg_result object_check_object(const gpureg_registry *reg, const char *fn, const gpureg_object_desc *in,
                                  gpureg_object_desc *d) {
    *d = *in;
    if ((unsigned)d->kind < GPUREG_KIND_FRAMEBUFFER || (unsigned)d->kind >= GPUREG_KIND_COUNT)
        return gpureg__fail(reg, GPUREG_ERR_INVALID_ARGUMENT,
                            "%s: kind %u is not one of the generic kinds (framebuffer .. descriptor_pool)", fn,
                            (unsigned)d->kind);
    if (d->flags & ~(uint32_t)GPUREG_OBJECT_FLAGS_ALL)
        return gpureg__fail(reg, GPUREG_ERR_INVALID_ARGUMENT, "%s: unknown flag bits 0x%x", fn,
                            d->flags & ~(uint32_t)GPUREG_OBJECT_FLAGS_ALL);
    if (d->kind != GPUREG_KIND_SHADER && d->stage)
        return gpureg__fail(reg, GPUREG_ERR_INVALID_ARGUMENT, "%s: a stage is only a shader's", fn);
    if ((unsigned)d->stage > GPUREG_STAGE_COMPUTE)
        return gpureg__fail(reg, GPUREG_ERR_INVALID_ARGUMENT, "%s: unknown shader stage %u", fn, (unsigned)d->stage);
    int storage = d->width || d->height || d->format || d->samples;
    if (!storage) return GPUREG_OK;
    if (d->kind != GPUREG_KIND_RENDERBUFFER)
        return gpureg__fail(reg, GPUREG_ERR_INVALID_ARGUMENT,
                            "%s: width, height, format and samples are only a "
                            "renderbuffer's",
                            fn);
    if (!d->samples) d->samples = 1;
    if (!d->width || !d->height || d->width > GPUREG_MAX_TEXTURE_DIMENSION || d->height > GPUREG_MAX_TEXTURE_DIMENSION)
        return gpureg__fail(reg, GPUREG_ERR_INVALID_SIZE, "%s: renderbuffer size %ux%u outside 1..%u", fn, d->width,
                            d->height, GPUREG_MAX_TEXTURE_DIMENSION);
    if ((unsigned)d->format == 0 || (unsigned)d->format >= GPUREG_FORMAT_COUNT)
        return gpureg__fail(reg, GPUREG_ERR_INVALID_FORMAT, "%s: unknown format %u", fn, (unsigned)d->format);
    if (!is_power_of_two(d->samples) || d->samples > 64u)
        return gpureg__fail(reg, GPUREG_ERR_INVALID_ARGUMENT, "%s: %u samples, not a power of two up to 64", fn,
                            d->samples);
    return GPUREG_OK;
}

gpureg_result object_check_buffer(const gpureg_registry *reg, const char *fn, const gpureg_buffer_desc *in,
                                  gpureg_buffer_desc *d) {
    *d = *in;
    if (!d->usage) d->usage = GPUREG_BUFFER_USAGE_VERTEX | GPUREG_BUFFER_USAGE_TRANSFER_DST;
    if (!d->size || d->size > GPUREG_MAX_BUFFER_SIZE)
        return gpureg__fail(reg, GPUREG_ERR_INVALID_SIZE, "%s: buffer size %llu outside 1..%llu", fn,
                            (unsigned long long)d->size, (unsigned long long)GPUREG_MAX_BUFFER_SIZE);
    if (d->usage & ~(uint32_t)GPUREG_BUFFER_USAGE_ALL)
        return gpureg__fail(reg, GPUREG_ERR_INVALID_USAGE, "%s: unknown buffer usage bits 0x%x", fn,
                            d->usage & ~(uint32_t)GPUREG_BUFFER_USAGE_ALL);
    if (d->flags & ~(uint32_t)GPUREG_OBJECT_FLAGS_ALL)
        return gpureg__fail(reg, GPUREG_ERR_INVALID_ARGUMENT, "%s: unknown flag bits 0x%x", fn,
                            d->flags & ~(uint32_t)GPUREG_OBJECT_FLAGS_ALL);
    if (!d->update) d->update = GPUREG_UPDATE_STATIC;
    if ((unsigned)d->update > GPUREG_UPDATE_STREAM)
        return gpureg__fail(reg, GPUREG_ERR_INVALID_ARGUMENT, "%s: unknown update frequency %u", fn,
                            (unsigned)d->update);
    return GPUREG_OK;
}
