/* objects.c — creating, adopting and destroying textures and buffers (owner thread). */
#include <string.h>

#include "registry.h"

GPUREG_TLS gpureg_handle registry_current_handle;

gpureg_handle gpureg__current_handle(void) { return registry_current_handle; }

/* Packed descs (one 64-bit slot field). Texture: width-1 (16) | height-1 (16) | layers-1 (16) |
 * mips-1 (5) | format (4) | usage (6). Buffer: size (41) | usage (7). */
static uint64_t pack_texture(const gpureg_texture_desc *d) {
    return (uint64_t)(d->width - 1u) | (uint64_t)(d->height - 1u) << 16 | (uint64_t)(d->array_layers - 1u) << 32 |
           (uint64_t)(d->mip_levels - 1u) << 48 | (uint64_t)d->format << 53 | (uint64_t)d->usage << 57;
}
static uint64_t pack_buffer(const gpureg_buffer_desc *d) { return d->size | (uint64_t)d->usage << 41; }

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
    return texels * registry_texel_bytes[p >> 53 & 0xF] * layers;
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

static gpureg_result check_texture(const gpureg_registry *reg, const char *fn, const gpureg_texture_desc *in,
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
    if (d->mip_levels > max_mips(d->width, d->height))
        return gpureg__fail(reg, GPUREG_ERR_INVALID_ARGUMENT, "%s: %u mip levels, a %ux%u texture has at most %u", fn,
                            d->mip_levels, d->width, d->height, max_mips(d->width, d->height));
    return GPUREG_OK;
}

static gpureg_result check_buffer(const gpureg_registry *reg, const char *fn, const gpureg_buffer_desc *in,
                                  gpureg_buffer_desc *d) {
    *d = *in;
    if (!d->usage) d->usage = GPUREG_BUFFER_USAGE_VERTEX | GPUREG_BUFFER_USAGE_TRANSFER_DST;
    if (!d->size || d->size > GPUREG_MAX_BUFFER_SIZE)
        return gpureg__fail(reg, GPUREG_ERR_INVALID_SIZE, "%s: buffer size %llu outside 1..%llu", fn,
                            (unsigned long long)d->size, (unsigned long long)GPUREG_MAX_BUFFER_SIZE);
    if (d->usage & ~(uint32_t)GPUREG_BUFFER_USAGE_ALL)
        return gpureg__fail(reg, GPUREG_ERR_INVALID_USAGE, "%s: unknown buffer usage bits 0x%x", fn,
                            d->usage & ~(uint32_t)GPUREG_BUFFER_USAGE_ALL);
    return GPUREG_OK;
}

/* The driver name is built on every create of a backend that names objects, so it is appended
 * by hand: two snprintf calls cost as much as the rest of a create. Truncates at cap. */
typedef struct name_builder {
    char *buf;
    size_t cap, length;
} name_builder;

static void append(name_builder *b, const char *text, size_t n) {
    size_t room = b->cap - 1u - b->length;
    if (n > room) n = room;
    memcpy(b->buf + b->length, text, n);
    b->length += n;
}

static void append_text(name_builder *b, const char *text) { append(b, text, strlen(text)); }

static void append_hex64(name_builder *b, uint64_t value) {
    static const char digits[] = "0123456789abcdef";
    char hex[16];
    for (int i = 15; i >= 0; i--, value >>= 4)
        hex[i] = digits[value & 15u];
    append(b, hex, sizeof hex);
}

static void append_u32(name_builder *b, uint32_t value) {
    char text[10];
    int i = (int)sizeof text;
    do
        text[--i] = (char)('0' + value % 10u);
    while (value /= 10u);
    append(b, text + i, sizeof text - (size_t)i);
}

void object_driver_name(const gpureg_registry *reg, gpureg_handle h, const char *label, uint32_t site, char *buf,
                        size_t cap) {
    if (!cap) return;
    name_builder b = {buf, cap, 0};
    append_text(&b, "gpureg 0x"); /* gpureg__handle_from_text reads it back */
    append_hex64(&b, h);
    append_text(&b, " \"");
    append_text(&b, label ? label : "");
    append_text(&b, "\" @ ");
    const gpureg__site_entry *e = sites_get(reg, site);
    if (e) {
        append_text(&b, e->file);
        append_text(&b, ":");
        append_u32(&b, e->line);
        append_text(&b, " (");
        append_text(&b, e->function);
        append_text(&b, ")");
    } else {
        append_text(&b, "?");
    }
    buf[b.length] = '\0';
}

static char *copy_label(gpureg_registry *reg, const char *label, size_t *out_size) {
    size_t n = strnlen(label, GPUREG_MAX_LABEL_LENGTH);
    char *c = gpureg__alloc(reg, n + 1);
    if (c) {
        memcpy(c, label, n);
        c[n] = '\0';
    }
    *out_size = n + 1;
    return c;
}

/* What an adopted object brings with it. */
typedef struct adoption {
    uint64_t native;
    gpureg__aux aux;
    gpureg_adopt_destroy_fn destroy;
    void *destroy_user;
} adoption;

/* What a new object is made of: 64 bytes set field by field, because zero-filling a larger
 * struct (rep stos) was a tenth of a create. */
typedef struct new_object {
    uint32_t type;
    union {
        gpureg_texture_desc texture;
        gpureg_buffer_desc buffer;
    };
    const char *label;
    const gpureg_site *site;
    const adoption *adopt; /* NULL: create through the backend */
} new_object;

/* Every step that can fail runs before the slot is published; each undoes what it did. */
static gpureg_result make_object(gpureg_registry *reg, const new_object *o, gpureg_handle *out, const char *fn) {
    gpureg_result r = gpureg__check_owner(reg, fn);
    if (r == GPUREG_OK) r = gpureg__check_device(reg, fn);
    if (r != GPUREG_OK) return r;
    registry_collect(reg, NULL, COLLECT_IF_PENDING);
    if (reg_is_lost(reg)) return gpureg__check_device(reg, fn);

    uint32_t site = 0, index = 0;
    r = sites_intern(reg, o->site, &site);
    if (r == GPUREG_OK) r = pool_reserve(reg, &index);
    if (r != GPUREG_OK) return gpureg__fail(reg, r, "%s: %s", fn, gpureg_result_string(r));

    int adopted = o->adopt != NULL;
    gpureg__cold *cold = NULL;
    char *label = NULL;
    size_t label_size = 0;
    if (o->label || adopted) {
        cold = pool_cold_get(reg, index);
        if (!cold) return gpureg__fail(reg, GPUREG_ERR_OUT_OF_MEMORY, "%s: out of host memory", fn);
    }
    if (o->label && !(label = copy_label(reg, o->label, &label_size)))
        return gpureg__fail(reg, GPUREG_ERR_OUT_OF_MEMORY, "%s: out of host memory for the label", fn);

    gpureg__slot *slot = pool_slot_reserved(&reg->pool, index);
    uint32_t gen = word_gen(atomic_load_explicit(&slot->word, memory_order_relaxed)) + 1u;
    gpureg_handle h = handle_make(index, gen, o->type, reg->tag);
    char name[GPUREG__DRIVER_NAME_SIZE];
    name[0] = '\0'; /* not "= {0}": zero-filling the whole buffer doubled the cost of a create */
    if (reg->ops->object_name) object_driver_name(reg, h, label, site, name, sizeof name);

    uint64_t native = adopted ? o->adopt->native : 0;
    gpureg__aux aux = adopted ? o->adopt->aux : (gpureg__aux){{0, 0}};
    if (!adopted) {
        registry_current_handle = h;
        r = o->type == GPUREG_TYPE_TEXTURE ? reg->ops->texture_create(reg->backend, &o->texture, h, name, &native, &aux)
                                           : reg->ops->buffer_create(reg->backend, &o->buffer, h, name, &native, &aux);
        registry_current_handle = 0;
        if (r == GPUREG_OK && (aux.value[0] || aux.value[1]) && !cold && !(cold = pool_cold_get(reg, index))) {
            reg->ops->object_destroy(reg->backend, (gpureg_object_type)o->type, native, &aux);
            r = GPUREG_ERR_OUT_OF_MEMORY;
        }
        if (r != GPUREG_OK) {
            if (r == GPUREG_ERR_DEVICE_LOST) gpureg__set_device_lost(reg);
            gpureg__free(reg, label, label_size);
            return gpureg__fail(reg, r, "%s: the backend could not create the object: %s", fn, gpureg_result_string(r));
        }
    } else if (reg->ops->object_name) {
        registry_current_handle = h;
        reg->ops->object_name(reg->backend, (gpureg_object_type)o->type, native, &aux, name);
        registry_current_handle = 0;
    }

    uint64_t desc = o->type == GPUREG_TYPE_TEXTURE ? pack_texture(&o->texture) : pack_buffer(&o->buffer);
    uint64_t frame = gpureg__frame_serial(reg);
    if (cold) {
        pthread_mutex_lock(&reg->label_lock);
        cold->label = label;
        pthread_mutex_unlock(&reg->label_lock);
        cold->destroy = adopted ? o->adopt->destroy : NULL;
        cold->destroy_user = adopted ? o->adopt->destroy_user : NULL;
        atomic_store_explicit(&cold->aux[0], aux.value[0], memory_order_relaxed);
        atomic_store_explicit(&cold->aux[1], aux.value[1], memory_order_relaxed);
    }
    atomic_store_explicit(&slot->native, native, memory_order_relaxed);
    atomic_store_explicit(&slot_info(slot)->desc, desc, memory_order_relaxed);
    atomic_store_explicit(&slot_info(slot)->meta, (uint64_t)site | (frame > UINT32_MAX ? UINT32_MAX : frame) << 32,
                          memory_order_relaxed);
    pool_take(&reg->pool, index);
    atomic_store_explicit(&slot->word, word_make(1, gen, SLOT_ALIVE, o->type) | (adopted ? WORD_ADOPTED_BIT : 0),
                          memory_order_release);
    counters_created(reg, o->type, object_bytes(o->type, desc));
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
    o.type = GPUREG_TYPE_TEXTURE, o.label = desc->label, o.site = site, o.adopt = NULL;
    gpureg_result r = check_texture(reg, fn, desc, &o.texture);
    return r != GPUREG_OK ? r : make_object(reg, &o, &out->id, fn);
}

gpureg_result gpureg_buffer_create_at(gpureg_registry *reg, const gpureg_buffer_desc *desc, const gpureg_site *site,
                                      gpureg_buffer *out) {
    static const char fn[] = "gpureg_buffer_create";
    if (out) out->id = 0;
    if (!reg) return GPUREG_ERR_NULL_POINTER;
    if (!desc || !out) return gpureg__fail(reg, GPUREG_ERR_NULL_POINTER, "%s: desc and out are required", fn);
    new_object o;
    o.type = GPUREG_TYPE_BUFFER, o.label = desc->label, o.site = site, o.adopt = NULL;
    gpureg_result r = check_buffer(reg, fn, desc, &o.buffer);
    return r != GPUREG_OK ? r : make_object(reg, &o, &out->id, fn);
}

gpureg_result gpureg__adopt(gpureg_registry *reg, gpureg_object_type type, const void *desc, uint64_t native,
                            const gpureg__aux *aux, gpureg_adopt_destroy_fn destroy, void *user,
                            const gpureg_site *site, gpureg_handle *out, const char *fn) {
    if (out) *out = 0;
    if (!reg) return GPUREG_ERR_NULL_POINTER;
    if (!desc || !out) return gpureg__fail(reg, GPUREG_ERR_NULL_POINTER, "%s: desc and out are required", fn);
    if (!native) return gpureg__fail(reg, GPUREG_ERR_INVALID_ARGUMENT, "%s: native object is 0", fn);
    adoption adopt = {native, aux ? *aux : (gpureg__aux){{0, 0}}, destroy, user};
    new_object o = {.type = (uint32_t)type, .site = site, .adopt = &adopt};
    gpureg_result r;
    if (type == GPUREG_TYPE_TEXTURE) {
        r = check_texture(reg, fn, desc, &o.texture);
        o.label = o.texture.label;
    } else {
        r = check_buffer(reg, fn, desc, &o.buffer);
        o.label = o.buffer.label;
    }
    return r != GPUREG_OK ? r : make_object(reg, &o, out, fn);
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

void object_destroy(gpureg_registry *reg, uint32_t index) {
    gpureg__slot *slot = pool_slot(&reg->pool, index);
    uint64_t w = atomic_load_explicit(&slot->word, memory_order_relaxed);
    uint32_t type = word_type(w);
    uint64_t native = atomic_load_explicit(&slot->native, memory_order_relaxed);
    gpureg__cold *cold = pool_cold(&reg->pool, index);
    gpureg__aux aux = {{0, 0}};
    if (cold) {
        aux.value[0] = atomic_load_explicit(&cold->aux[0], memory_order_relaxed);
        aux.value[1] = atomic_load_explicit(&cold->aux[1], memory_order_relaxed);
    }
    if (w & WORD_ADOPTED_BIT) {
        if (cold && cold->destroy) cold->destroy(native, cold->destroy_user);
    } else {
        reg->ops->object_destroy(reg->backend, (gpureg_object_type)type, native, &aux);
    }
    if (cold) {
        pthread_mutex_lock(&reg->label_lock);
        char *label = cold->label;
        cold->label = NULL;
        pthread_mutex_unlock(&reg->label_lock);
        if (label) gpureg__free(reg, label, strlen(label) + 1);
        cold->destroy = NULL;
        cold->destroy_user = NULL;
        atomic_store_explicit(&cold->aux[0], 0, memory_order_relaxed);
        atomic_store_explicit(&cold->aux[1], 0, memory_order_relaxed);
    }
    counters_destroyed(reg, type,
                       object_bytes(type, atomic_load_explicit(&slot_info(slot)->desc, memory_order_relaxed)));
    pool_recycle(&reg->pool, index, slot);
}
