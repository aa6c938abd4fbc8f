/* object_desc.c — what an object is: its desc checked and defaulted, packed into one 64-bit slot
 * field, unpacked again, and its size in bytes. */
#include "object_desc.h"

#include "formats.h"

/* Packed descs (one 64-bit slot field). Texture: width-1 (16) | height-1 (16) | layers-1 (16) |
 * mips-1 (5) | format (4) | usage (6). Buffer: size (41) | usage (7). */
uint64_t object_pack_texture(const gpureg_texture_desc *d) {
    return (uint64_t)(d->width - 1u) | (uint64_t)(d->height - 1u) << 16 | (uint64_t)(d->array_layers - 1u) << 32 |
           (uint64_t)(d->mip_levels - 1u) << 48 | (uint64_t)d->format << 53 | (uint64_t)d->usage << 57;
}
uint64_t object_pack_buffer(const gpureg_buffer_desc *d) { return d->size | (uint64_t)d->usage << 41; }

void object_unpack(uint32_t type, uint64_t p, gpureg_texture_desc *tex, gpureg_buffer_desc *buf) {
    if (type == GPUREG_TYPE_TEXTURE) {
        *tex = (gpureg_texture_desc){
            .width = (uint32_t)(p & 0xFFFF) + 1u,
            .height = (uint32_t)(p >> 16 & 0xFFFF) + 1u,
            .array_layers = (uint32_t)(p >> 32 & 0xFFFF) + 1u,
            .mip_levels = (uint32_t)(p >> 48 & 0x1F) + 1u,
            .format = (gpureg_format)(p >> 53 & 0xF),
            .usage = (uint32_t)(p >> 57 & 0x3F),
        };
    } else if (type == GPUREG_TYPE_BUFFER) {
        *buf = (gpureg_buffer_desc){.size = p & ((1ull << 41) - 1u), .usage = (uint32_t)(p >> 41 & 0x7F)};
    }
}

/* Bytes of a packed desc, straight from its bits: this runs at every create, release and
 * destroy, so it neither unpacks the whole desc nor calls out for the texel size. */
uint64_t object_bytes(uint32_t type, uint64_t p) {
    if (type == GPUREG_TYPE_BUFFER) return p & ((1ull << 41) - 1u);
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

static int is_depth(gpureg_format f) { return f == GPUREG_FORMAT_D24_UNORM_S8_UINT || f == GPUREG_FORMAT_D32_FLOAT; }

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
    uint32_t wrong = is_depth(d->format) ? (GPUREG_TEXTURE_USAGE_COLOR_ATTACHMENT | GPUREG_TEXTURE_USAGE_STORAGE)
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
    return GPUREG_OK;
}
