/* transfer.c — writes and reads: every bound checked here, the copy done by the backend; and
 * registry-owned staging memory for bindings. */
#include <string.h>

#include "errors.h"
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

static gpureg_result finish(gpureg_registry *reg, gpureg_result r, const char *fn) {
    registry_current_handle = 0;
    if (r == GPUREG_ERR_DEVICE_LOST) gpureg__set_device_lost(reg);
    return r == GPUREG_OK ? r : gpureg__fail(reg, r, "%s: %s", fn, gpureg_result_string(r));
}

/* Resolve a region against the texture's level; *rows_bytes is the tight row size. */
static gpureg_result check_region(const gpureg_registry *reg, const gpureg_texture_desc *d,
                                  const gpureg_texture_region *in, gpureg_texture_region *out, const char *fn) {
    *out = *in;
    if (in->mip_level >= d->mip_levels || in->array_layer >= d->array_layers)
        return gpureg__fail(reg, GPUREG_ERR_OUT_OF_BOUNDS, "%s: mip %u / layer %u of a texture with %u / %u", fn,
                            in->mip_level, in->array_layer, d->mip_levels, d->array_layers);
    uint32_t lw = d->width >> in->mip_level, lh = d->height >> in->mip_level;
    lw = lw ? lw : 1;
    lh = lh ? lh : 1;
    if (in->x >= lw || in->y >= lh)
        return gpureg__fail(reg, GPUREG_ERR_OUT_OF_BOUNDS, "%s: offset (%u, %u) outside the %ux%u level", fn, in->x,
                            in->y, lw, lh);
    if (!out->width) out->width = lw - in->x;
    if (!out->height) out->height = lh - in->y;
    if ((uint64_t)in->x + out->width > lw || (uint64_t)in->y + out->height > lh)
        return gpureg__fail(reg, GPUREG_ERR_OUT_OF_BOUNDS, "%s: region %ux%u at (%u, %u) exceeds the %ux%u level", fn,
                            out->width, out->height, in->x, in->y, lw, lh);
    return GPUREG_OK;
}

/* Everything a texture transfer checks before the backend runs: arguments, thread, device,
 * handle and region. */
static gpureg_result begin_texture(gpureg_registry *reg, gpureg_texture tex, const gpureg_texture_region *region,
                                   const void *data, gpureg__object *obj, gpureg_texture_region *rg, const char *fn) {
    if (!region) return gpureg__fail(reg, GPUREG_ERR_NULL_POINTER, "%s: region is NULL", fn);
    gpureg_result r = begin_transfer(reg, tex.id, GPUREG_TYPE_TEXTURE, data, obj, fn);
    return r == GPUREG_OK ? check_region(reg, &obj->texture, region, rg, fn) : r;
}

gpureg_result gpureg_texture_write(gpureg_registry *reg, gpureg_texture tex, const gpureg_texture_region *region,
                                   const void *data, size_t data_size, uint32_t row_bytes) {
    static const char fn[] = "gpureg_texture_write";
    if (!reg) return GPUREG_ERR_NULL_POINTER;
    gpureg__object obj;
    gpureg_texture_region rg;
    gpureg_result r = begin_texture(reg, tex, region, data, &obj, &rg, fn);
    if (r != GPUREG_OK) return r;
    uint64_t tight = (uint64_t)rg.width * gpureg_format_texel_bytes(obj.texture.format);
    uint64_t pitch = row_bytes ? row_bytes : tight;
    if (pitch < tight)
        return gpureg__fail(reg, GPUREG_ERR_INVALID_ARGUMENT, "%s: row_bytes %u is less than a row (%llu)", fn,
                            row_bytes, (unsigned long long)tight);
    uint64_t need = pitch * (rg.height - 1u) + tight;
    if (data_size < need)
        return gpureg__fail(reg, GPUREG_ERR_OUT_OF_BOUNDS, "%s: %zu bytes of data, the region needs %llu", fn,
                            data_size, (unsigned long long)need);
    if (!reg->ops->texture_write) return finish(reg, GPUREG_ERR_UNSUPPORTED, fn);
    registry_current_handle = tex.id;
    return finish(
        reg, reg->ops->texture_write(reg->backend, obj.native, &obj.aux, &obj.texture, &rg, data, (uint32_t)pitch), fn);
}

gpureg_result gpureg_texture_read(gpureg_registry *reg, gpureg_texture tex, const gpureg_texture_region *region,
                                  void *data, size_t data_size) {
    static const char fn[] = "gpureg_texture_read";
    if (!reg) return GPUREG_ERR_NULL_POINTER;
    gpureg__object obj;
    gpureg_texture_region rg;
    gpureg_result r = begin_texture(reg, tex, region, data, &obj, &rg, fn);
    if (r != GPUREG_OK) return r;
    uint64_t need = (uint64_t)rg.width * rg.height * gpureg_format_texel_bytes(obj.texture.format);
    if (data_size < need)
        return gpureg__fail(reg, GPUREG_ERR_OUT_OF_BOUNDS, "%s: %zu bytes of room, the region needs %llu", fn,
                            data_size, (unsigned long long)need);
    if (!reg->ops->texture_read) return finish(reg, GPUREG_ERR_UNSUPPORTED, fn);
    registry_current_handle = tex.id;
    return finish(reg, reg->ops->texture_read(reg->backend, obj.native, &obj.aux, &obj.texture, &rg, data), fn);
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
