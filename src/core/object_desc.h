/* object_desc.h — checking, packing and sizing object descs (object_desc.c). */
#ifndef GPUREG_OBJECT_DESC_H
#define GPUREG_OBJECT_DESC_H

#include "formats.h"
#include "registry.h"

/* Apply the documented defaults of `in` into `d` and check it; the result names what is wrong. */
gpureg_result object_check_texture(const gpureg_registry *reg, const char *fn, const gpureg_texture_desc *in,
                                   gpureg_texture_desc *d);
gpureg_result object_check_buffer(const gpureg_registry *reg, const char *fn, const gpureg_buffer_desc *in,
                                  gpureg_buffer_desc *d);
/* A generic kind's desc (adopt; the create calls fill one from their own desc). */
gpureg_result object_check_object(const gpureg_registry *reg, const char *fn, const gpureg_object_desc *in,
                                  gpureg_object_desc *d);
/* Sampling state: of a texture (DEFAULT members stay), or of a sampler (all members set). */
gpureg_result object_check_sampler(const gpureg_registry *reg, const char *fn, const gpureg_sampler_state *s);
gpureg_sampler_state object_sampler_defaults(gpureg_sampler_state s);
/* A texture's sampling state as the 32-bit value its per-slot record keeps (0: all DEFAULT). */
static inline uint32_t object_pack_sampler(const gpureg_sampler_state *s) {
    return (uint32_t)s->min_filter | (uint32_t)s->mag_filter << 2 | (uint32_t)s->mip_filter << 4 |
           (uint32_t)s->wrap_u << 6 | (uint32_t)s->wrap_v << 8;
}
gpureg_sampler_state object_unpack_sampler(uint32_t packed);

/* A checked desc as the 64-bit value a slot keeps (labels are kept apart). An OBJECT's packed
 * desc has its kind in bits 59..63 (GPUREG_FP_DESC_KIND_SHIFT); a renderbuffer's storage in
 * width-1 (16) | height-1 (16) | format (4) | log2 samples (3); a shader's stage at bit 40. */
static inline uint64_t object_pack_texture(const gpureg_texture_desc *d) {
    return (uint64_t)(d->width - 1u) | (uint64_t)(d->height - 1u) << 16 | (uint64_t)(d->array_layers - 1u) << 32 |
           (uint64_t)(d->mip_levels - 1u) << 48 | (uint64_t)d->format << 53 | (uint64_t)d->usage << 57;
}
/* object_pack_texture's inverse (label NULL, sampler state all DEFAULT: the slot's record keeps
 * it). Inline: every texture transfer decodes its target. */
static inline gpureg_texture_desc object_unpack_texture(uint64_t p) {
    return (gpureg_texture_desc){
        .width = (uint32_t)(p & 0xFFFF) + 1u,
        .height = (uint32_t)(p >> 16 & 0xFFFF) + 1u,
        .array_layers = (uint32_t)(p >> 32 & 0xFFFF) + 1u,
        .mip_levels = (uint32_t)(p >> 48 & 0x1F) + 1u,
        .format = (gpureg_format)(p >> 53 & 0xF),
        .usage = (uint32_t)(p >> 57 & 0x3F),
    };
}
static inline uint64_t object_pack_buffer(const gpureg_buffer_desc *d) {
    return d->size | (uint64_t)d->usage << 41 | (uint64_t)d->update << 48;
}
uint64_t object_pack_object(const gpureg_object_desc *d);
/* Unpack into the one of tex, buf, obj that `type` says (label NULL; a texture's sampler state
 * is not in the packed desc: the caller adds it from the slot's record). */
void object_unpack(uint32_t type, uint64_t packed_desc, gpureg_texture_desc *tex, gpureg_buffer_desc *buf,
                   gpureg_object_desc *obj);
/* Bytes of a packed desc: object_bytes answers a buffer and a one-level texture inline (it runs
 * at every create, release, collection and destroy), object_bytes_other the rest. */
uint64_t object_bytes_other(uint32_t type, uint64_t packed_desc);
static inline uint64_t object_bytes(uint32_t type, uint64_t p) {
    /* 16-bit fields read as such: one zero-extending move each. */
    if (type == GPUREG_TYPE_TEXTURE && !(p & 0x1Full << 48))
        return ((uint64_t)(uint16_t)p + 1u) * ((uint64_t)(uint16_t)(p >> 16) + 1u) *
               ((uint64_t)(uint16_t)(p >> 32) + 1u) * format_texel_bytes[p >> 53 & 0xF];
    if (type == GPUREG_TYPE_BUFFER) return p & ((1ull << 41) - 1u);
    return object_bytes_other(type, p);
}

/* The kind of an object from its slot's type and packed desc: on the release path, so inline. */
static inline uint32_t object_kind(uint32_t type, uint64_t packed_desc) {
    return type == GPUREG_TYPE_OBJECT ? (uint32_t)(packed_desc >> GPUREG_FP_DESC_KIND_SHIFT) : type;
}

#endif /* GPUREG_OBJECT_DESC_H */
