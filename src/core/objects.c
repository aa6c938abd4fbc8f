/* objects.c — making an object of any kind (owner thread): through the backend or adopted; and
 * the texture and buffer create and adopt calls. */
#include <string.h>

#include "objects.h"

#include "counters.h"
#include "driver_name.h"
#include "errors.h"
#include "frames.h"
#include "labels.h"
#include "object_desc.h"
#include "pool.h"
#include "sites.h"

static gpureg_result backend_create(gpureg_registry *reg, const new_object *o, gpureg_handle h, const char *name,
                                    uint64_t *native, gpureg__aux *aux) {
    switch (o->type) {
    case GPUREG_TYPE_TEXTURE:
        return reg->ops->texture_create(reg->backend, &o->texture, h, name, native, aux);
    case GPUREG_TYPE_BUFFER:
        return reg->ops->buffer_create(reg->backend, &o->buffer, h, name, native, aux);
    default:
        return reg->ops->object_create ? reg->ops->object_create(reg->backend, o->spec, h, name, native, aux)
                                       : GPUREG_ERR_UNSUPPORTED;
    }
}

static uint64_t pack(const new_object *o) {
    switch (o->type) {
    case GPUREG_TYPE_TEXTURE:
        return object_pack_texture(&o->texture);
    case GPUREG_TYPE_BUFFER:
        return object_pack_buffer(&o->buffer);
    default:
        return object_pack_object(&o->object);
    }
}

/* Every step that can fail runs before the slot is published; each undoes what it did. */
gpureg_result object_make(gpureg_registry *reg, const new_object *o, gpureg_handle *out, const char *fn) {
    gpureg_result r = reg_check_owner(reg, fn);
    if (r == GPUREG_OK) r = gpureg__check_device(reg, fn);
    if (r != GPUREG_OK) return r;
    registry_collect_for_create(reg);
    if (reg_is_lost(reg)) return gpureg__check_device(reg, fn);

    uint32_t site = 0, index = 0;
    if (o->site && !(site = sites_cached(&reg->sites, o->site))) r = sites_intern(reg, o->site, &site);
    if (r == GPUREG_OK && !pool_next_free(&reg->pool, &index)) r = pool_reserve(reg, &index);
    if (r != GPUREG_OK) return gpureg__fail(reg, r, "%s: %s", fn, gpureg_result_string(r));

    const gpureg__segment *seg = pool_segment(&reg->pool, index); /* reserved: it exists */
    int adopted = o->adopt != NULL;
    uint32_t sampler = o->type == GPUREG_TYPE_TEXTURE ? object_pack_sampler(&o->texture.sampler) : 0;
    gpureg__cold *cold = NULL;
    char *label = NULL;
    size_t label_length = 0;
    if (o->label || adopted || sampler) {
        if (!(cold = segment_cold(seg, index)) && !(cold = pool_cold_get(reg, index)))
            return gpureg__fail(reg, GPUREG_ERR_OUT_OF_MEMORY, "%s: out of host memory", fn);
    }
    if (o->label && !(label = label_copy(reg, o->label, &label_length)))
        return gpureg__fail(reg, GPUREG_ERR_OUT_OF_MEMORY, "%s: out of host memory for the label", fn);

    gpureg__slot *slot = segment_slot(seg, index);
    uint32_t gen = word_gen(atomic_load_explicit(&slot->word, memory_order_relaxed)) + 1u;
    if (gen <= reg->generation_floor) gen = reg->generation_floor + 1u; /* a slot's first use here */
    if (gen > reg->generation_high) reg->generation_high = gen;
    gpureg_handle h = handle_make(index, gen, o->type, reg->tag);
    char name[GPUREG__DRIVER_NAME_SIZE];
    name[0] = '\0'; /* not "= {0}": zero-filling the whole buffer doubled the cost of a create */
    if (reg->ops->object_name) object_driver_name(reg, h, label, label_length, site, name, sizeof name);

    uint64_t native = adopted ? o->adopt->native : 0;
    gpureg__aux aux = adopted ? o->adopt->aux : (gpureg__aux){{0, 0}};
    if (!adopted) {
        registry_current_handle = h;
        r = backend_create(reg, o, h, name, &native, &aux);
        registry_current_handle = 0;
        if (r == GPUREG_OK && (aux.value[0] || aux.value[1]) && !cold && !(cold = pool_cold_get(reg, index))) {
            reg->ops->object_destroy(reg->backend, (gpureg_object_kind)object_kind(o->type, pack(o)), native, &aux);
            r = GPUREG_ERR_OUT_OF_MEMORY;
        }
        if (r != GPUREG_OK) {
            if (r == GPUREG_ERR_DEVICE_LOST) gpureg__set_device_lost(reg);
            label_free(reg, label);
            return gpureg__fail(reg, r, "%s: the backend could not create the object: %s", fn, gpureg_result_string(r));
        }
    } else if (reg->ops->object_name) {
        registry_current_handle = h;
        reg->ops->object_name(reg->backend, (gpureg_object_kind)object_kind(o->type, pack(o)), native, &aux, name);
        registry_current_handle = 0;
    }

    uint64_t desc = pack(o);
    uint64_t frame = registry_frame_serial(reg);
    if (cold) {
        /* Without the label lock: no other thread reads a slot's label before it has seen the
         * word below go ALIVE (get_label, set_label and the report check the word under the lock
         * first), and that release store orders this one before their reads. */
        cold->label = label;
        cold->destroy = adopted ? o->adopt->destroy : NULL;
        cold->destroy_user = adopted ? o->adopt->destroy_user : NULL;
        atomic_store_explicit(&cold->aux[0], aux.value[0], memory_order_relaxed);
        atomic_store_explicit(&cold->aux[1], aux.value[1], memory_order_relaxed);
        atomic_store_explicit(&cold->sampler, sampler, memory_order_relaxed);
    }
    /* Release fence before the native store: a reader that loads this native (a stale handle's
     * resolve, racing the slot's reuse) and then its acquire fence is ordered after the word's
     * earlier FREE store (pool_recycle), so its re-read sees the word changed and it misses. Free
     * on amd64; one barrier on arm64, on the create path only. (Found reasoning about the model,
     * tests/model: spin checks interleavings, not C11 orders.) */
    atomic_thread_fence(memory_order_release);
    atomic_store_explicit(&slot->native, native, memory_order_relaxed);
    atomic_store_explicit(&slot_info(slot)->desc, desc, memory_order_relaxed);
    atomic_store_explicit(&slot_info(slot)->meta, (uint64_t)site | (frame > UINT32_MAX ? UINT32_MAX : frame) << 32,
                          memory_order_relaxed);
    uint64_t number = atomic_load_explicit(&reg->creations, memory_order_relaxed) + 1u;
    atomic_store_explicit(&reg->creations, number, memory_order_relaxed);
    atomic_store_explicit(segment_order(seg, index),
                          number | (o->flags & GPUREG_OBJECT_EXPECTED_AT_SHUTDOWN ? ORDER_EXPECTED : 0),
                          memory_order_relaxed);
    pool_take(&reg->pool, index);
    atomic_store_explicit(&slot->word,
                          word_make(1, gen, SLOT_ALIVE, o->type, reg->tag) | (adopted ? WORD_ADOPTED_BIT : 0),
                          memory_order_release);
    counters_created(reg, object_kind(o->type, desc), object_bytes(o->type, desc));
    *out = h;
    return GPUREG_OK;
}

gpureg_result gpureg_texture_create_at(gpureg_registry *reg, const gpureg_texture_desc *desc, const gpureg_site *site,
                                       gpureg_texture *out) {
    static const char fn[] = "gpureg_texture_create";
    if (out) out->id = 0;
    if (!reg) return GPUREG_ERR_NULL_POINTER;
    if (!desc || !out) return gpureg__fail(reg, GPUREG_ERR_NULL_POINTER, "%s: desc and out are required", fn);
    new_object o;
    o.type = GPUREG_TYPE_TEXTURE, o.label = desc->label, o.flags = desc->flags, o.site = site, o.adopt = NULL,
    o.spec = NULL;
    gpureg_result r = object_check_texture(reg, fn, desc, &o.texture);
    return r != GPUREG_OK ? r : object_make(reg, &o, &out->id, fn);
}

gpureg_result gpureg_buffer_create_at(gpureg_registry *reg, const gpureg_buffer_desc *desc, const gpureg_site *site,
                                      gpureg_buffer *out) {
    static const char fn[] = "gpureg_buffer_create";
    if (out) out->id = 0;
    if (!reg) return GPUREG_ERR_NULL_POINTER;
    if (!desc || !out) return gpureg__fail(reg, GPUREG_ERR_NULL_POINTER, "%s: desc and out are required", fn);
    new_object o;
    o.type = GPUREG_TYPE_BUFFER, o.label = desc->label, o.flags = desc->flags, o.site = site, o.adopt = NULL,
    o.spec = NULL;
    gpureg_result r = object_check_buffer(reg, fn, desc, &o.buffer);
    return r != GPUREG_OK ? r : object_make(reg, &o, &out->id, fn);
}

gpureg_result gpureg__adopt(gpureg_registry *reg, gpureg_object_type type, const void *desc, uint64_t native,
                            const gpureg__aux *aux, gpureg_adopt_destroy_fn destroy, void *user,
                            const gpureg_site *site, gpureg_handle *out, const char *fn) {
    if (out) *out = 0;
    if (!reg) return GPUREG_ERR_NULL_POINTER;
    if (!desc || !out) return gpureg__fail(reg, GPUREG_ERR_NULL_POINTER, "%s: desc and out are required", fn);
    if (!native) return gpureg__fail(reg, GPUREG_ERR_INVALID_ARGUMENT, "%s: native object is 0", fn);
    object_adoption adopt = {native, aux ? *aux : (gpureg__aux){{0, 0}}, destroy, user};
    new_object o = {.type = (uint32_t)type, .site = site, .adopt = &adopt};
    gpureg_result r;
    if (type == GPUREG_TYPE_TEXTURE) {
        r = object_check_texture(reg, fn, desc, &o.texture);
        o.label = o.texture.label, o.flags = o.texture.flags;
    } else if (type == GPUREG_TYPE_BUFFER) {
        r = object_check_buffer(reg, fn, desc, &o.buffer);
        o.label = o.buffer.label, o.flags = o.buffer.flags;
    } else {
        r = object_check_object(reg, fn, desc, &o.object);
        o.label = o.object.label, o.flags = o.object.flags;
    }
    return r != GPUREG_OK ? r : object_make(reg, &o, out, fn);
}

gpureg_result gpureg_texture_adopt_at(gpureg_registry *reg, const gpureg_texture_desc *desc, uint64_t native,
                                      gpureg_adopt_destroy_fn destroy, void *user, const gpureg_site *site,
                                      gpureg_texture *out) {
    if (out) out->id = 0;
    return gpureg__adopt(reg, GPUREG_TYPE_TEXTURE, desc, native, NULL, destroy, user, site, out ? &out->id : NULL,
                         "gpureg_texture_adopt");
}

gpureg_result gpureg_buffer_adopt_at(gpureg_registry *reg, const gpureg_buffer_desc *desc, uint64_t native,
                                     gpureg_adopt_destroy_fn destroy, void *user, const gpureg_site *site,
                                     gpureg_buffer *out) {
    if (out) out->id = 0;
    return gpureg__adopt(reg, GPUREG_TYPE_BUFFER, desc, native, NULL, destroy, user, site, out ? &out->id : NULL,
                         "gpureg_buffer_adopt");
}
