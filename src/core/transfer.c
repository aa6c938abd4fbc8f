/* transfer.c — writes and reads: every bound checked here, the copy done by the backend; and
 * registry-owned staging memory for bindings. */
#include <string.h>

#include "errors.h"
#include "formats.h"
#include "handles.h"
#include "object_desc.h"
#include "pool.h"
#include "transfer.h"

/* Owner, device and handle checks shared by every transfer call. */
static gpureg_result begin_transfer(gpureg_registry *reg, gpureg_handle h, gpureg_object_type type, const void *data,
                                    gpureg__object *obj, const char *fn) {
    if (!data) return gpureg__fail(reg, GPUREG_ERR_NULL_POINTER, "%s: data is NULL", fn);
    gpureg_result r = reg_check_owner(reg, fn);
    if (r == GPUREG_OK) r = gpureg__check_device(reg, fn);
    if (r == GPUREG_OK) r = gpureg__lookup(reg, h, type, obj, fn);
    return r;
}

/* A backend op's failure: the device marked lost if it was, and the error logged. */
static GPUREG_COLD gpureg_result transfer_failed(gpureg_registry *reg, gpureg_result r, const char *fn) {
    if (r == GPUREG_ERR_DEVICE_LOST) gpureg__set_device_lost(reg);
    return gpureg__fail(reg, r, "%s: %s", fn, gpureg_result_string(r));
}

static inline gpureg_result finish(gpureg_registry *reg, gpureg_result r, const char *fn) {
    registry_current_handle = 0;
    return POOL_LIKELY(r == GPUREG_OK) ? r : transfer_failed(reg, r, fn);
}

/* What a texture transfer hands the backend: the object's view and its texture desc. */
typedef struct texture_target {
    handle_view view;
    gpureg_texture_desc desc;
} texture_target;

/* The target of a texture transfer whose arguments, thread, device and handle all pass, in one
 * inline test and a read of the slot; false: begin_texture_slow decides. */
static inline bool texture_hit(const gpureg_registry *reg, gpureg_texture tex, const gpureg_texture_region *region,
                               const void *data, texture_target *t) {
    if (!POOL_LIKELY(region && data && reg_is_owner(reg) && !reg_is_lost(reg) &&
                     handle_view_hit(reg, tex.id, GPUREG_TYPE_TEXTURE, &t->view)))
        return false;
    t->desc = object_unpack_texture(t->view.desc);
    return true;
}

/* Every check before the region, in order, the long way: the logged error, or the target of a
 * handle the hit path does not take (beyond segment 0; its word changed meanwhile). */
static GPUREG_COLD gpureg_result begin_texture_slow(gpureg_registry *reg, gpureg_texture tex,
                                                    const gpureg_texture_region *region, const void *data,
                                                    texture_target *t, const char *fn) {
    if (!region) return gpureg__fail(reg, GPUREG_ERR_NULL_POINTER, "%s: region is NULL", fn);
    gpureg__object obj;
    gpureg_result r = begin_transfer(reg, tex.id, GPUREG_TYPE_TEXTURE, data, &obj, fn);
    if (r != GPUREG_OK) return r;
    t->view.native = obj.native;
    t->view.aux = obj.aux;
    t->desc = obj.texture;
    return GPUREG_OK;
}

/* Why a region does not fit its texture (resolve_region). */
enum { REGION_FITS, REGION_NO_SUCH_LEVEL, REGION_OFFSET_OUTSIDE, REGION_TOO_LARGE };

/* A level's extent along one axis: halved per level, never below 1. */
static inline uint32_t level_extent(uint32_t extent, uint32_t mip) {
    uint32_t e = extent >> mip;
    return e ? e : 1;
}

/* Resolve a region against the texture's level into *out: the caller's region itself when its
 * width and height are set, else *whole, a copy with the rest of the level filled in. Answers
 * REGION_FITS or why not. */
static inline int resolve_region(const gpureg_texture_desc *d, const gpureg_texture_region *in,
                                 gpureg_texture_region *whole, const gpureg_texture_region **out) {
    if (in->mip_level >= d->mip_levels || in->array_layer >= d->array_layers) return REGION_NO_SUCH_LEVEL;
    uint32_t lw = level_extent(d->width, in->mip_level), lh = level_extent(d->height, in->mip_level);
    if (in->x >= lw || in->y >= lh) return REGION_OFFSET_OUTSIDE;
    *out = in;
    if (!in->width || !in->height) {
        *whole = *in;
        if (!whole->width) whole->width = lw - in->x;
        if (!whole->height) whole->height = lh - in->y;
        *out = whole;
    }
    if ((uint64_t)in->x + (*out)->width > lw || (uint64_t)in->y + (*out)->height > lh) return REGION_TOO_LARGE;
    return REGION_FITS;
}

/* The logged error for a region resolve_region refused; rg is what it resolved so far. */
static GPUREG_COLD gpureg_result region_failed(const gpureg_registry *reg, const gpureg_texture_desc *d,
                                               const gpureg_texture_region *in, const gpureg_texture_region *rg,
                                               int why, const char *fn) {
    if (why == REGION_NO_SUCH_LEVEL)
        return gpureg__fail(reg, GPUREG_ERR_OUT_OF_BOUNDS, "%s: mip %u / layer %u of a texture with %u / %u", fn,
                            in->mip_level, in->array_layer, d->mip_levels, d->array_layers);
    uint32_t lw = level_extent(d->width, in->mip_level), lh = level_extent(d->height, in->mip_level);
    if (why == REGION_OFFSET_OUTSIDE)
        return gpureg__fail(reg, GPUREG_ERR_OUT_OF_BOUNDS, "%s: offset (%u, %u) outside the %ux%u level", fn, in->x,
                            in->y, lw, lh);
    return gpureg__fail(reg, GPUREG_ERR_OUT_OF_BOUNDS, "%s: region %ux%u at (%u, %u) exceeds the %ux%u level", fn,
                        rg->width, rg->height, in->x, in->y, lw, lh);
}

/* The logged error for a write gpureg_texture_write refused after the region: rows shorter than
 * the region's, too little data, or a backend without texture writes. */
static GPUREG_COLD gpureg_result write_refused(gpureg_registry *reg, uint32_t row_bytes, uint64_t pitch, uint64_t tight,
                                               size_t data_size, uint64_t need, const char *fn) {
    if (pitch < tight)
        return gpureg__fail(reg, GPUREG_ERR_INVALID_ARGUMENT, "%s: row_bytes %u is less than a row (%llu)", fn,
                            row_bytes, (unsigned long long)tight);
    if (data_size < need)
        return gpureg__fail(reg, GPUREG_ERR_OUT_OF_BOUNDS, "%s: %zu bytes of data, the region needs %llu", fn,
                            data_size, (unsigned long long)need);
    return finish(reg, GPUREG_ERR_UNSUPPORTED, fn);
}

/* gpureg_texture_write once its target is known. Inline in both callers, so that the hit path
 * keeps no argument across a call. */
static inline gpureg_result write_texture(gpureg_registry *reg, gpureg_texture tex, const gpureg_texture_region *region,
                                          const void *data, size_t data_size, uint32_t row_bytes, texture_target *t,
                                          const char *fn) {
    gpureg_texture_region whole;
    const gpureg_texture_region *rg = NULL;
    int why = resolve_region(&t->desc, region, &whole, &rg);
    if (why != REGION_FITS) return region_failed(reg, &t->desc, region, rg, why, fn);
    uint64_t tight = (uint64_t)rg->width * format_texel_bytes[t->desc.format];
    uint64_t pitch = row_bytes ? row_bytes : tight;
    uint64_t need = pitch * (rg->height - 1u) + tight;
    if (!POOL_LIKELY(pitch >= tight && data_size >= need && reg->ops->texture_write))
        return write_refused(reg, row_bytes, pitch, tight, data_size, need, fn);
    registry_current_handle = tex.id;
    return finish(
        reg, reg->ops->texture_write(reg->backend, t->view.native, &t->view.aux, &t->desc, rg, data, (uint32_t)pitch),
        fn);
}

static GPUREG_COLD gpureg_result write_texture_slow(gpureg_registry *reg, gpureg_texture tex,
                                                    const gpureg_texture_region *region, const void *data,
                                                    size_t data_size, uint32_t row_bytes, const char *fn) {
    texture_target t;
    gpureg_result r = begin_texture_slow(reg, tex, region, data, &t, fn);
    return r == GPUREG_OK ? write_texture(reg, tex, region, data, data_size, row_bytes, &t, fn) : r;
}

gpureg_result gpureg_texture_write(gpureg_registry *reg, gpureg_texture tex, const gpureg_texture_region *region,
                                   const void *data, size_t data_size, uint32_t row_bytes) {
    static const char fn[] = "gpureg_texture_write";
    if (!reg) return GPUREG_ERR_NULL_POINTER;
    texture_target t;
    if (POOL_LIKELY(texture_hit(reg, tex, region, data, &t)))
        return write_texture(reg, tex, region, data, data_size, row_bytes, &t, fn);
    return write_texture_slow(reg, tex, region, data, data_size, row_bytes, fn);
}

gpureg_result gpureg_texture_read(gpureg_registry *reg, gpureg_texture tex, const gpureg_texture_region *region,
                                  void *data, size_t data_size) {
    static const char fn[] = "gpureg_texture_read";
    if (!reg) return GPUREG_ERR_NULL_POINTER;
    texture_target t;
    if (!texture_hit(reg, tex, region, data, &t)) {
        gpureg_result r = begin_texture_slow(reg, tex, region, data, &t, fn);
        if (r != GPUREG_OK) return r;
    }
    gpureg_texture_region whole;
    const gpureg_texture_region *rg = NULL;
    int why = resolve_region(&t.desc, region, &whole, &rg);
    if (why != REGION_FITS) return region_failed(reg, &t.desc, region, rg, why, fn);
    uint64_t need = (uint64_t)rg->width * rg->height * format_texel_bytes[t.desc.format];
    if (data_size < need)
        return gpureg__fail(reg, GPUREG_ERR_OUT_OF_BOUNDS, "%s: %zu bytes of room, the region needs %llu", fn,
                            data_size, (unsigned long long)need);
    if (!reg->ops->texture_read) return finish(reg, GPUREG_ERR_UNSUPPORTED, fn);
    registry_current_handle = tex.id;
    return finish(reg, reg->ops->texture_read(reg->backend, t.view.native, &t.view.aux, &t.desc, rg, data), fn);
}

static gpureg_result check_range(const gpureg_registry *reg, const gpureg_buffer_desc *d, uint64_t offset,
                                 uint64_t size, const char *fn) {
    if (!size) return gpureg__fail(reg, GPUREG_ERR_INVALID_SIZE, "%s: size is 0", fn);
    if (offset > d->size || size > d->size - offset)
        return gpureg__fail(reg, GPUREG_ERR_OUT_OF_BOUNDS, "%s: range [%llu, +%llu) outside a %llu-byte buffer", fn,
                            (unsigned long long)offset, (unsigned long long)size, (unsigned long long)d->size);
    return GPUREG_OK;
}

static gpureg_result begin_buffer(gpureg_registry *reg, gpureg_buffer buf, uint64_t offset, uint64_t size,
                                  const void *data, gpureg__object *obj, const char *fn) {
    gpureg_result r = begin_transfer(reg, buf.id, GPUREG_TYPE_BUFFER, data, obj, fn);
    return r == GPUREG_OK ? check_range(reg, &obj->buffer, offset, size, fn) : r;
}

gpureg_result gpureg_buffer_write(gpureg_registry *reg, gpureg_buffer buf, uint64_t offset, const void *data,
                                  uint64_t size) {
    static const char fn[] = "gpureg_buffer_write";
    if (!reg) return GPUREG_ERR_NULL_POINTER;
    gpureg__object obj;
    gpureg_result r = begin_buffer(reg, buf, offset, size, data, &obj, fn);
    if (r != GPUREG_OK) return r;
    if (!reg->ops->buffer_write) return finish(reg, GPUREG_ERR_UNSUPPORTED, fn);
    registry_current_handle = buf.id;
    return finish(reg, reg->ops->buffer_write(reg->backend, obj.native, &obj.aux, &obj.buffer, offset, data, size), fn);
}

gpureg_result gpureg_buffer_read(gpureg_registry *reg, gpureg_buffer buf, uint64_t offset, void *data, uint64_t size) {
    static const char fn[] = "gpureg_buffer_read";
    if (!reg) return GPUREG_ERR_NULL_POINTER;
    gpureg__object obj;
    gpureg_result r = begin_buffer(reg, buf, offset, size, data, &obj, fn);
    if (r != GPUREG_OK) return r;
    if (!reg->ops->buffer_read) return finish(reg, GPUREG_ERR_UNSUPPORTED, fn);
    registry_current_handle = buf.id;
    return finish(reg, reg->ops->buffer_read(reg->backend, obj.native, &obj.aux, &obj.buffer, offset, data, size), fn);
}

/* Staging blocks are kept on a list so gpureg_destroy frees what a binding forgot. */
typedef struct gpureg__staging {
    struct gpureg__staging *prev, *next;
    size_t size;
    size_t pad; /* keeps the payload 16-byte aligned on LP64 */
} gpureg__staging;

gpureg_result gpureg_staging_alloc(gpureg_registry *reg, size_t size, void **out) {
    if (out) *out = NULL;
    if (!reg) return GPUREG_ERR_NULL_POINTER;
    if (!out) return gpureg__fail(reg, GPUREG_ERR_NULL_POINTER, "gpureg_staging_alloc: out is NULL");
    if (!size || size > GPUREG_MAX_BUFFER_SIZE)
        return gpureg__fail(reg, GPUREG_ERR_INVALID_SIZE, "gpureg_staging_alloc: size %zu", size);
    gpureg__staging *s = gpureg__alloc(reg, sizeof *s + size);
    if (!s) return gpureg__fail(reg, GPUREG_ERR_OUT_OF_MEMORY, "gpureg_staging_alloc: %zu bytes", size);
    s->size = size;
    s->prev = NULL;
    pthread_mutex_lock(&reg->staging_lock);
    s->next = reg->staging;
    if (s->next) s->next->prev = s;
    reg->staging = s;
    pthread_mutex_unlock(&reg->staging_lock);
    *out = s + 1;
    return GPUREG_OK;
}

void gpureg_staging_free(gpureg_registry *reg, void *ptr) {
    if (!reg || !ptr) return;
    gpureg__staging *s = (gpureg__staging *)ptr - 1;
    pthread_mutex_lock(&reg->staging_lock);
    if (s->prev)
        s->prev->next = s->next;
    else
        reg->staging = s->next;
    if (s->next) s->next->prev = s->prev;
    pthread_mutex_unlock(&reg->staging_lock);
    gpureg__free(reg, s, sizeof *s + s->size);
}

void staging_free_all(gpureg_registry *reg) {
    while (reg->staging)
        gpureg_staging_free(reg, reg->staging + 1);
}
