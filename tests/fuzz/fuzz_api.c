/* fuzz_api.c — libFuzzer target: bytes become a sequence of gpureg calls on a null registry,
 * with forged, mutated, stale and foreign handles mixed in, and every answer is checked against a
 * small model of the registry (slots with generations, refcounts, the FIFO free list, the retire
 * queue with the serial each release is tied to, frames and signalled fences, labels, stats).
 * Any mismatch prints what differed and aborts.
 *
 * The same function is linked into tests/unit's replay driver (fuzz_replay.c), which runs the
 * seed corpus in tests/fuzz/corpus/ as an ordinary test; see make_corpus.py for the encoding. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpureg/gpureg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Operation codes (one byte each, modulo OP_COUNT); keep in step with make_corpus.py. */
enum {
    OP_CREATE_TEXTURE,
    OP_CREATE_BUFFER,
    OP_ADOPT,
    OP_RETAIN,
    OP_RELEASE,
    OP_RELEASE_GC,
    OP_RESOLVE,
    OP_QUERY,
    OP_QUERY_STATE,
    OP_FRAME_BEGIN,
    OP_FRAME_END,
    OP_SIGNAL,
    OP_COLLECT,
    OP_SET_LABEL,
    OP_GET_LABEL,
    OP_MANY,
    OP_REPORT,
    OP_FOREIGN_CALL,
    OP_COUNT
};
/* Handle picks (one byte, modulo PICK_COUNT). */
enum { PICK_REAL, PICK_RANDOM_BITS, PICK_FORGED_OURS, PICK_MUTATED, PICK_OTHER_REGISTRY, PICK_ZERO, PICK_COUNT };

#define MAX_OBJECTS       128
#define MAX_SLOTS         (MAX_OBJECTS + 8)
#define ADOPT_NATIVE_BASE 0x40000000ull

enum { M_FREE, M_ALIVE, M_RELEASED, M_DESTROYED };

typedef struct mobject {
    gpureg_handle handle;
    uint32_t type;
    uint32_t refcount;
    int state;
    int gc;
    int adopted;
    unsigned destroy_calls;
    uint64_t native;
    uint64_t bytes;
    uint64_t tag_serial; /* serial its release is tied to */
    uint64_t frame_created;
    uint32_t width, height, mips, layers, usage;
    gpureg_format format;
    uint64_t size;
    char label[GPUREG_MAX_LABEL_LENGTH + 1];
    int has_label;
} mobject;

typedef struct mslot {
    uint32_t gen;
    uint32_t type;
    int state; /* M_FREE (also after destruction), M_ALIVE, M_RELEASED */
    int object;
} mslot;

typedef struct model {
    gpureg_registry *reg, *other;
    gpureg_handle other_handles[2];
    uint32_t tag;
    uint32_t generation_floor; /* generations issued under this tag by earlier registries */
    mobject objects[MAX_OBJECTS];
    int nobjects;
    mslot slots[MAX_SLOTS];
    uint32_t count; /* slots handed out */
    uint32_t free_list[MAX_SLOTS];
    uint32_t free_head, free_len;
    int pending[MAX_OBJECTS]; /* object ids in release order */
    int pending_head, pending_len;
    uint64_t serial, ended, signalled;
    int frame_open;
    uint64_t adopted_natives;
    size_t op_index;
} model;

typedef struct reader {
    const uint8_t *p, *end;
} reader;

static uint8_t u8(reader *r) { return r->p < r->end ? *r->p++ : 0; }
static uint16_t u16(reader *r) { return (uint16_t)(u8(r) | (uint16_t)u8(r) << 8); }
static uint64_t u64(reader *r) {
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v |= (uint64_t)u8(r) << (8 * i);
    return v;
}

static model *current; /* for messages */

#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 1, 2), noreturn))
#endif
static void
mismatch(const char *fmt, ...) {
    va_list args;
    va_start(args, fmt);
    fprintf(stderr, "fuzz_api: model mismatch at op %zu: ", current ? current->op_index : 0);
    vfprintf(stderr, fmt, args);
    fputc('\n', stderr);
    va_end(args);
    abort();
}

#define EXPECT_RESULT(got, want, what)                                                                                 \
    do {                                                                                                               \
        gpureg_result got_ = (got), want_ = (want);                                                                    \
        if (got_ != want_)                                                                                             \
            mismatch("%s: got %s, expected %s", (what), gpureg_result_string(got_), gpureg_result_string(want_));      \
    } while (0)

static uint64_t handle_compose(uint32_t index, uint32_t gen, uint32_t type, uint32_t tag) {
    return (uint64_t)index | ((uint64_t)(gen & 0xFFFFFu) << 32) | ((uint64_t)(type & 3u) << 52) |
           ((uint64_t)(tag & 1023u) << 54);
}

/* ---- the model's answer for any handle ------------------------------------------------------ */

static gpureg_result classify(const model *m, gpureg_handle h, uint32_t expected, int *object) {
    *object = -1;
    if (!h) return GPUREG_ERR_INVALID_HANDLE;
    if ((uint32_t)(h >> 54) != m->tag) return GPUREG_ERR_FOREIGN_HANDLE;
    uint32_t type = (uint32_t)(h >> 52) & 3u;
    if (type == GPUREG_TYPE_UNDEFINED) return GPUREG_ERR_INVALID_HANDLE; /* 3 is OBJECT: a type like the others */
    if (expected && type != expected) return GPUREG_ERR_WRONG_TYPE;
    uint32_t gen = (uint32_t)(h >> 32) & 0xFFFFFu;
    if (!gen) return GPUREG_ERR_INVALID_HANDLE;
    if (gen <= m->generation_floor) return GPUREG_ERR_FOREIGN_HANDLE;
    uint32_t index = (uint32_t)h;
    if (index >= m->count) return GPUREG_ERR_INVALID_HANDLE;
    const mslot *s = &m->slots[index];
    if (gen > s->gen) return GPUREG_ERR_INVALID_HANDLE;
    if (gen < s->gen) return GPUREG_ERR_STALE_HANDLE;
    if (s->type != type) return GPUREG_ERR_INVALID_HANDLE;
    *object = s->object;
    switch (s->state) {
    case M_ALIVE:
        return GPUREG_OK;
    case M_RELEASED:
        return GPUREG_ERR_RELEASED;
    default:
        return GPUREG_ERR_STALE_HANDLE;
    }
}

static gpureg_handle pick_handle(model *m, reader *r) {
    switch (u8(r) % PICK_COUNT) {
    case PICK_REAL:
        return m->nobjects ? m->objects[u8(r) % m->nobjects].handle : 0;
    case PICK_RANDOM_BITS:
        return u64(r);
    case PICK_FORGED_OURS: {
        uint32_t index = u8(r) % (m->count + 2u);
        uint32_t gen = index < m->count ? m->slots[index].gen : m->generation_floor + 1u;
        uint8_t g = u8(r);
        gen = (g & 0x80) ? (uint32_t)(g & 0x7F) : gen + (uint32_t)(g % 3) - 1u; /* near the slot's generation */
        return handle_compose(index, gen, u8(r) % 4u, m->tag);
    }
    case PICK_MUTATED:
        if (!m->nobjects) return 0;
        {
            gpureg_handle h = m->objects[u8(r) % m->nobjects].handle;
            return h ^ (1ull << (u8(r) % 64));
        }
    case PICK_OTHER_REGISTRY:
        return m->other_handles[u8(r) & 1];
    default:
        return 0;
    }
}

/* ---- collections ----------------------------------------------------------------------------- */

static void destroy_object(model *m, int id) {
    mobject *o = &m->objects[id];
    o->state = M_DESTROYED;
    uint32_t index = (uint32_t)o->handle;
    mslot *s = &m->slots[index];
    s->state = M_FREE;
    if (s->gen < GPUREG_MAX_GENERATION) { /* (unreachable in a fuzz run: a retired slot is never freed) */
        m->free_list[(m->free_head + m->free_len) % MAX_SLOTS] = index;
        m->free_len++;
    }
}

/* What every collection does: the inbox is tied to the serial open at the time (the model ties
 * each release to the serial at release, which is the same: serials only change in frame calls,
 * and those drain the inbox first), then everything whose fence has signalled is destroyed,
 * oldest release first. */
static unsigned collect_model(model *m) {
    unsigned destroyed = 0;
    while (m->pending_len && m->objects[m->pending[m->pending_head]].tag_serial <= m->signalled) {
        destroy_object(m, m->pending[m->pending_head]);
        m->pending_head = (m->pending_head + 1) % MAX_OBJECTS;
        m->pending_len--;
        destroyed++;
    }
    return destroyed;
}

/* ---- checks after every operation ----------------------------------------------------------- */

static void check_stats(model *m) {
    gpureg_stats s;
    EXPECT_RESULT(gpureg_get_stats(m->reg, &s), GPUREG_OK, "get_stats");
    uint64_t live[3] = {0}, live_bytes[3] = {0}, pending[3] = {0}, pending_bytes[3] = {0}, created[3] = {0},
             destroyed[3] = {0};
    for (int i = 0; i < m->nobjects; i++) {
        const mobject *o = &m->objects[i];
        created[o->type]++;
        if (o->state == M_ALIVE) {
            live[o->type]++;
            live_bytes[o->type] += o->bytes;
        } else if (o->state == M_RELEASED) {
            pending[o->type]++;
            pending_bytes[o->type] += o->bytes;
        } else {
            destroyed[o->type]++;
        }
        gpureg_state want = o->state == M_ALIVE      ? GPUREG_STATE_ALIVE
                            : o->state == M_RELEASED ? GPUREG_STATE_RELEASED
                                                     : GPUREG_STATE_DESTROYED;
        gpureg_state got = gpureg_query_state(m->reg, o->handle);
        if (got != want)
            mismatch("object %d (0x%016llx): state %d, expected %d", i, (unsigned long long)o->handle, (int)got,
                     (int)want);
        if (o->adopted && o->destroy_calls != (o->state == M_DESTROYED ? 1u : 0u))
            mismatch("adopted object %d destroyed %u times in state %d", i, o->destroy_calls, o->state);
    }
    const gpureg_type_stats *t[3] = {NULL, &s.texture, &s.buffer};
    for (int k = 1; k <= 2; k++) {
        if (t[k]->live_count != live[k] || t[k]->live_bytes != live_bytes[k] || t[k]->pending_count != pending[k] ||
            t[k]->pending_bytes != pending_bytes[k] || t[k]->created_total != created[k] ||
            t[k]->destroyed_total != destroyed[k])
            mismatch("stats of type %d: live %llu/%llu B pending %llu/%llu B created %llu destroyed %llu; expected "
                     "%llu/%llu B, %llu/%llu B, %llu, %llu",
                     k, (unsigned long long)t[k]->live_count, (unsigned long long)t[k]->live_bytes,
                     (unsigned long long)t[k]->pending_count, (unsigned long long)t[k]->pending_bytes,
                     (unsigned long long)t[k]->created_total, (unsigned long long)t[k]->destroyed_total,
                     (unsigned long long)live[k], (unsigned long long)live_bytes[k], (unsigned long long)pending[k],
                     (unsigned long long)pending_bytes[k], (unsigned long long)created[k],
                     (unsigned long long)destroyed[k]);
    }
    if (s.frame_serial != m->serial)
        mismatch("frame serial %llu, expected %llu", (unsigned long long)s.frame_serial, (unsigned long long)m->serial);
    if (s.slot_capacity != m->count)
        mismatch("slot capacity %llu, expected %u", (unsigned long long)s.slot_capacity, m->count);
}

/* ---- descs ----------------------------------------------------------------------------------- */

static uint32_t max_mips(uint32_t w, uint32_t h) {
    uint32_t n = 1, s = w > h ? w : h;
    while (s >>= 1)
        n++;
    return n;
}

static int is_depth(gpureg_format f) {
    return f == GPUREG_FORMAT_D24_UNORM_S8_UINT || f == GPUREG_FORMAT_D32_FLOAT || f == GPUREG_FORMAT_S8_UINT;
}

static uint64_t texture_bytes(uint32_t w, uint32_t h, uint32_t mips, uint32_t layers, gpureg_format f) {
    uint64_t texels = 0;
    for (uint32_t i = 0; i < mips; i++) {
        uint64_t a = w >> i, b = h >> i;
        texels += (a ? a : 1) * (b ? b : 1);
    }
    return texels * gpureg_format_texel_bytes(f) * layers;
}

static void read_label(reader *r, char *label, int *has_label, char *stored) {
    uint8_t n = u8(r);
    *has_label = n != 0;
    size_t len = n ? (size_t)n - 1u : 0;
    if (n == 255) len = 300; /* longer than the limit */
    for (size_t i = 0; i < len; i++)
        label[i] = (char)u8(r);
    label[len] = '\0';
    size_t kept = strnlen(label, GPUREG_MAX_LABEL_LENGTH);
    memcpy(stored, label, kept);
    stored[kept] = '\0';
}

/* Decode a texture or buffer desc; *expected is OK or the single error the decoder injected. */
static void read_texture_desc(reader *r, gpureg_texture_desc *d, mobject *o, gpureg_result *expected) {
    uint8_t kind = u8(r);
    memset(d, 0, sizeof *d);
    d->width = 1u + u8(r) % 64u;
    d->height = 1u + u8(r) % 64u;
    d->format = (gpureg_format)(1 + u8(r) % (GPUREG_FORMAT_COUNT - 1));
    uint32_t mm = max_mips(d->width, d->height);
    d->mip_levels = u8(r) % (mm + 1u);
    d->array_layers = u8(r) % 4u;
    d->usage = u8(r) & (uint32_t)GPUREG_TEXTURE_USAGE_ALL;
    if (is_depth(d->format))
        d->usage &= ~(uint32_t)(GPUREG_TEXTURE_USAGE_COLOR_ATTACHMENT | GPUREG_TEXTURE_USAGE_STORAGE);
    else
        d->usage &= ~(uint32_t)GPUREG_TEXTURE_USAGE_DEPTH_STENCIL_ATTACHMENT;
    *expected = GPUREG_OK;
    switch (kind % 16) {
    case 12:
        d->width = 0;
        *expected = GPUREG_ERR_INVALID_SIZE;
        break;
    case 13:
        d->format = (kind & 0x10) ? GPUREG_FORMAT_UNDEFINED : GPUREG_FORMAT_COUNT;
        *expected = GPUREG_ERR_INVALID_FORMAT;
        break;
    case 14:
        d->usage |= 1u << 6;
        *expected = GPUREG_ERR_INVALID_USAGE;
        break;
    case 15:
        d->mip_levels = mm + 1u;
        *expected = GPUREG_ERR_INVALID_ARGUMENT;
        break;
    default:
        break;
    }
    o->type = GPUREG_TYPE_TEXTURE;
    o->width = d->width;
    o->height = d->height;
    o->mips = d->mip_levels ? d->mip_levels : 1u;
    o->layers = d->array_layers ? d->array_layers : 1u;
    o->format = d->format;
    o->usage = d->usage ? d->usage : (GPUREG_TEXTURE_USAGE_SAMPLED | GPUREG_TEXTURE_USAGE_TRANSFER_DST);
    if (*expected == GPUREG_OK) o->bytes = texture_bytes(o->width, o->height, o->mips, o->layers, o->format);
}

static void read_buffer_desc(reader *r, gpureg_buffer_desc *d, mobject *o, gpureg_result *expected) {
    uint8_t kind = u8(r);
    memset(d, 0, sizeof *d);
    d->size = 1u + (uint64_t)u16(r);
    d->usage = u8(r) & (uint32_t)GPUREG_BUFFER_USAGE_ALL;
    *expected = GPUREG_OK;
    switch (kind % 8) {
    case 6:
        d->size = (kind & 0x10) ? 0 : GPUREG_MAX_BUFFER_SIZE + 1u;
        *expected = GPUREG_ERR_INVALID_SIZE;
        break;
    case 7:
        d->usage |= 1u << 7;
        *expected = GPUREG_ERR_INVALID_USAGE;
        break;
    default:
        break;
    }
    o->type = GPUREG_TYPE_BUFFER;
    o->size = d->size;
    o->usage = d->usage ? d->usage : (GPUREG_BUFFER_USAGE_VERTEX | GPUREG_BUFFER_USAGE_TRANSFER_DST);
    o->bytes = d->size;
}

static void adopt_destroyed(uint64_t native, void *user) {
    model *m = user;
    for (int i = 0; i < m->nobjects; i++)
        if (m->objects[i].adopted && m->objects[i].native == native) {
            m->objects[i].destroy_calls++;
            return;
        }
    mismatch("adopt destroy called with unknown native 0x%llx", (unsigned long long)native);
}

/* The handle the model predicts for the next object (FIFO free list, else a new slot). */
static gpureg_handle predict_handle(const model *m, uint32_t type) {
    uint32_t index = m->free_len ? m->free_list[m->free_head] : m->count;
    uint32_t gen = index < m->count ? m->slots[index].gen + 1u : m->generation_floor + 1u;
    return handle_compose(index, gen, type, m->tag);
}

static void take_slot(model *m, gpureg_handle h, int id) {
    uint32_t index = (uint32_t)h;
    if (m->free_len && m->free_list[m->free_head] == index) {
        m->free_head = (m->free_head + 1) % MAX_SLOTS;
        m->free_len--;
    } else {
        m->count = index + 1u;
    }
    m->slots[index] = (mslot){(uint32_t)(h >> 32) & 0xFFFFFu, (uint32_t)(h >> 52) & 3u, M_ALIVE, id};
}

static void op_create(model *m, reader *r, int kind) {
    mobject o;
    memset(&o, 0, sizeof o);
    gpureg_result expected;
    gpureg_texture_desc td;
    gpureg_buffer_desc bd;
    char label[301];
    int is_texture = kind == OP_CREATE_TEXTURE || (kind == OP_ADOPT && (u8(r) & 1));
    if (is_texture)
        read_texture_desc(r, &td, &o, &expected);
    else
        read_buffer_desc(r, &bd, &o, &expected);
    read_label(r, label, &o.has_label, o.label);
    if (is_texture)
        td.label = o.has_label ? label : NULL;
    else
        bd.label = o.has_label ? label : NULL;
    if (m->nobjects >= MAX_OBJECTS) return;

    gpureg_handle h = 0;
    gpureg_result got;
    if (kind == OP_ADOPT) {
        o.adopted = 1;
        o.native = ADOPT_NATIVE_BASE + ++m->adopted_natives;
        if (is_texture) {
            gpureg_texture t = {1};
            got = gpureg_texture_adopt(m->reg, &td, o.native, adopt_destroyed, m, &t);
            h = t.id;
        } else {
            gpureg_buffer b = {1};
            got = gpureg_buffer_adopt(m->reg, &bd, o.native, adopt_destroyed, m, &b);
            h = b.id;
        }
    } else if (is_texture) {
        gpureg_texture t = {1};
        got = gpureg_texture_create(m->reg, &td, &t);
        h = t.id;
    } else {
        gpureg_buffer b = {1};
        got = gpureg_buffer_create(m->reg, &bd, &b);
        h = b.id;
    }
    EXPECT_RESULT(got, expected, "create");
    if (expected != GPUREG_OK) {
        if (h) mismatch("failed create left handle 0x%016llx", (unsigned long long)h);
        return;
    }
    collect_model(m); /* every create collects first */
    gpureg_handle want = predict_handle(m, o.type);
    if (h != want)
        mismatch("create gave handle 0x%016llx, expected 0x%016llx", (unsigned long long)h, (unsigned long long)want);
    o.handle = h;
    o.refcount = 1;
    o.state = M_ALIVE;
    o.frame_created = m->serial;
    if (!o.adopted) {
        EXPECT_RESULT(gpureg_resolve(m->reg, h, GPUREG_TYPE_UNDEFINED, &o.native), GPUREG_OK, "resolve after create");
        for (int i = 0; i < m->nobjects; i++)
            if (!m->objects[i].adopted && m->objects[i].native == o.native)
                mismatch("native %llu handed out twice", (unsigned long long)o.native);
    }
    int id = m->nobjects++;
    m->objects[id] = o;
    take_slot(m, h, id);
}

static void apply_release(model *m, int id, int gc) {
    mobject *o = &m->objects[id];
    if (--o->refcount == 0) {
        o->state = M_RELEASED;
        o->gc = gc;
        o->tag_serial = m->serial;
        m->slots[(uint32_t)o->handle].state = M_RELEASED;
        m->pending[(m->pending_head + m->pending_len) % MAX_OBJECTS] = id;
        m->pending_len++;
    }
}

static void op_retain_release(model *m, reader *r, int op) {
    gpureg_handle h = pick_handle(m, r);
    int id;
    gpureg_result want = classify(m, h, GPUREG_TYPE_UNDEFINED, &id);
    gpureg_result got = op == OP_RETAIN    ? gpureg_retain(m->reg, h)
                        : op == OP_RELEASE ? gpureg_release(m->reg, h)
                                           : gpureg_release_from_gc(m->reg, h);
    EXPECT_RESULT(got, want, op == OP_RETAIN ? "retain" : "release");
    if (want != GPUREG_OK) return;
    if (op == OP_RETAIN)
        m->objects[id].refcount++;
    else
        apply_release(m, id, op == OP_RELEASE_GC);
}

static void op_resolve(model *m, reader *r) {
    /* Mostly a real type or UNDEFINED; now and then a value no type has (3 up to 2^31-1). */
    uint32_t pick = u8(r), expected = pick < 240u ? pick % 3u : (pick & 1u) ? pick - 237u : 0x7fffffffu - pick;
    gpureg_handle h = pick_handle(m, r);
    int id;
    gpureg_result want = classify(m, h, expected, &id);
    uint64_t native = 77;
    EXPECT_RESULT(gpureg_resolve(m->reg, h, (gpureg_object_type)expected, &native), want, "resolve");
    uint64_t want_native = want == GPUREG_OK ? m->objects[id].native : 0;
    if (native != want_native)
        mismatch("resolve gave native %llu, expected %llu", (unsigned long long)native,
                 (unsigned long long)want_native);
}

static void op_query(model *m, reader *r) {
    gpureg_handle h = pick_handle(m, r);
    int id;
    gpureg_result want = classify(m, h, GPUREG_TYPE_UNDEFINED, &id);
    if (want == GPUREG_ERR_RELEASED) want = GPUREG_OK; /* released objects are described */
    gpureg_object_info info;
    EXPECT_RESULT(gpureg_query(m->reg, h, &info), want, "query");
    if (want != GPUREG_OK) return;
    const mobject *o = &m->objects[id];
    int ok = info.type == (gpureg_object_type)o->type && info.refcount == o->refcount &&
             info.state == (o->state == M_ALIVE ? GPUREG_STATE_ALIVE : GPUREG_STATE_RELEASED) &&
             info.released_by_gc == (uint32_t)(o->state == M_RELEASED && o->gc) &&
             info.adopted == (uint32_t)o->adopted && info.native == o->native && info.bytes == o->bytes &&
             info.frame_created == o->frame_created;
    if (ok && o->type == GPUREG_TYPE_TEXTURE)
        ok = info.texture.width == o->width && info.texture.height == o->height && info.texture.mip_levels == o->mips &&
             info.texture.array_layers == o->layers && info.texture.format == o->format &&
             info.texture.usage == o->usage && !info.texture.label;
    if (ok && o->type == GPUREG_TYPE_BUFFER)
        ok = info.buffer.size == o->size && info.buffer.usage == o->usage && !info.buffer.label;
    if (!ok)
        mismatch("query of object %d (0x%016llx) differs from the model (refcount %u vs %u)", id, (unsigned long long)h,
                 info.refcount, o->refcount);
}

static void op_query_state(model *m, reader *r) {
    gpureg_handle h = pick_handle(m, r);
    int id;
    gpureg_result c = classify(m, h, GPUREG_TYPE_UNDEFINED, &id);
    gpureg_state want = c == GPUREG_OK                 ? GPUREG_STATE_ALIVE
                        : c == GPUREG_ERR_RELEASED     ? GPUREG_STATE_RELEASED
                        : c == GPUREG_ERR_STALE_HANDLE ? GPUREG_STATE_DESTROYED
                                                       : GPUREG_STATE_INVALID;
    gpureg_state got = gpureg_query_state(m->reg, h);
    if (got != want) mismatch("query_state(0x%016llx) = %d, expected %d", (unsigned long long)h, (int)got, (int)want);
}

static void op_frame_begin(model *m) {
    gpureg_result want = m->frame_open ? GPUREG_ERR_FRAME_STATE : GPUREG_OK;
    EXPECT_RESULT(gpureg_frame_begin(m->reg), want, "frame_begin");
    if (want != GPUREG_OK) return;
    collect_model(m);
    m->serial++;
    m->frame_open = 1;
}

static void op_frame_end(model *m) {
    gpureg_result want = m->frame_open ? GPUREG_OK : GPUREG_ERR_FRAME_STATE;
    EXPECT_RESULT(gpureg_frame_end(m->reg), want, "frame_end");
    if (want != GPUREG_OK) return;
    m->frame_open = 0;
    m->ended = m->serial;
    collect_model(m);
}

static void op_signal(model *m, reader *r) {
    uint8_t b = u8(r);
    uint64_t serial = (b & 0x80) ? m->ended + 1u + (b & 1u) : (m->ended > (uint64_t)(b % 3u) ? m->ended - b % 3u : 0);
    gpureg_result want = serial > m->ended ? GPUREG_ERR_INVALID_ARGUMENT : GPUREG_OK;
    EXPECT_RESULT(gpureg_null_signal(m->reg, serial), want, "null_signal");
    if (want == GPUREG_OK && serial > m->signalled) m->signalled = serial;
}

static void op_collect(model *m) {
    uint32_t destroyed = 12345;
    EXPECT_RESULT(gpureg_collect(m->reg, &destroyed), GPUREG_OK, "collect");
    unsigned want = collect_model(m);
    if (destroyed != want) mismatch("collect destroyed %u, expected %u", destroyed, want);
}

static void op_set_label(model *m, reader *r) {
    gpureg_handle h = pick_handle(m, r);
    char label[301], stored[GPUREG_MAX_LABEL_LENGTH + 1];
    int has_label;
    read_label(r, label, &has_label, stored);
    int id;
    gpureg_result want = classify(m, h, GPUREG_TYPE_UNDEFINED, &id);
    EXPECT_RESULT(gpureg_set_label(m->reg, h, has_label ? label : NULL), want, "set_label");
    if (want != GPUREG_OK) return;
    mobject *o = &m->objects[id];
    o->has_label = has_label;
    memcpy(o->label, stored, sizeof stored);
}

static void op_get_label(model *m, reader *r) {
    gpureg_handle h = pick_handle(m, r);
    size_t cap = u8(r) % 64u == 0 ? 0 : 300;
    int id;
    gpureg_result want = classify(m, h, GPUREG_TYPE_UNDEFINED, &id);
    if (want == GPUREG_ERR_RELEASED) want = GPUREG_OK;
    char buf[300];
    size_t length = 999;
    EXPECT_RESULT(gpureg_get_label(m->reg, h, cap ? buf : NULL, cap, &length), want, "get_label");
    if (want != GPUREG_OK) return;
    const mobject *o = &m->objects[id];
    const char *label = o->has_label ? o->label : "";
    if (length != strlen(label) || (cap && strcmp(buf, label) != 0))
        mismatch("get_label of object %d: \"%s\" (%zu), expected \"%s\"", id, cap ? buf : "", length, label);
}

static void op_many(model *m, reader *r) {
    uint8_t b = u8(r);
    int retain = b & 1;
    size_t n = 1u + (b >> 1) % 4u;
    gpureg_handle handles[4];
    for (size_t i = 0; i < n; i++)
        handles[i] = pick_handle(m, r);
    gpureg_result results[4], want[4];
    size_t want_failed = 0;
    for (size_t i = 0; i < n; i++) {
        int id;
        want[i] = classify(m, handles[i], GPUREG_TYPE_UNDEFINED, &id);
        if (want[i] != GPUREG_OK)
            want_failed++;
        else if (retain)
            m->objects[id].refcount++;
        else
            apply_release(m, id, 0);
    }
    size_t failed =
        retain ? gpureg_retain_many(m->reg, handles, n, results) : gpureg_release_many(m->reg, handles, n, results);
    if (failed != want_failed)
        mismatch("%s_many: %zu failed, expected %zu", retain ? "retain" : "release", failed, want_failed);
    for (size_t i = 0; i < n; i++)
        EXPECT_RESULT(results[i], want[i], "batched call");
}

typedef struct report_text {
    char buf[1 << 16];
    size_t len;
    int overflow;
} report_text;

static void report_write(const char *bytes, size_t length, void *user) {
    report_text *t = user;
    if (t->len + length >= sizeof t->buf) {
        t->overflow = 1;
        return;
    }
    memcpy(t->buf + t->len, bytes, length);
    t->len += length;
}

static void op_report(model *m) {
    static report_text text;
    text.len = 0;
    text.overflow = 0;
    EXPECT_RESULT(gpureg_report(m->reg, GPUREG_REPORT_JSON, report_write, &text), GPUREG_OK, "report");
    if (text.overflow) return;
    text.buf[text.len] = '\0';
    unsigned long long live, pending;
    if (sscanf(text.buf, "{\"live\": %llu, \"pending\": %llu,", &live, &pending) != 2)
        mismatch("report does not start with live and pending counts");
    unsigned long long want_live = 0, want_pending = 0;
    for (int i = 0; i < m->nobjects; i++) {
        want_live += m->objects[i].state == M_ALIVE;
        want_pending += m->objects[i].state == M_RELEASED;
    }
    if (live != want_live || pending != want_pending)
        mismatch("report: live %llu pending %llu, expected %llu and %llu", live, pending, want_live, want_pending);
    for (int i = 0; i < m->nobjects; i++) {
        if (m->objects[i].state == M_DESTROYED) continue;
        char key[40];
        snprintf(key, sizeof key, "\"0x%016llx\"", (unsigned long long)m->objects[i].handle);
        if (!strstr(text.buf, key)) mismatch("report lacks object %d", i);
    }
}

/* Calls on the second registry with this registry's handles: always FOREIGN. */
static void op_foreign_call(model *m, reader *r) {
    if (!m->nobjects) return;
    gpureg_handle h = m->objects[u8(r) % m->nobjects].handle;
    uint64_t native = 5;
    EXPECT_RESULT(gpureg_retain(m->other, h), GPUREG_ERR_FOREIGN_HANDLE, "retain on another registry");
    EXPECT_RESULT(gpureg_release(m->other, h), GPUREG_ERR_FOREIGN_HANDLE, "release on another registry");
    EXPECT_RESULT(gpureg_resolve(m->other, h, GPUREG_TYPE_UNDEFINED, &native), GPUREG_ERR_FOREIGN_HANDLE,
                  "resolve on another registry");
    if (gpureg_query_state(m->other, h) != GPUREG_STATE_INVALID) mismatch("query_state on another registry");
}

/* ---- the target ------------------------------------------------------------------------------ */

static gpureg_registry *new_registry(void) {
    gpureg_registry_desc rd = {0};
    rd.report_format = GPUREG_REPORT_OFF;
    rd.message_capacity = 1;
    gpureg_registry *reg = NULL;
    if (gpureg_null_create(&rd, &reg) != GPUREG_OK) mismatch("registry creation failed");
    return reg;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static model m;
    memset(&m, 0, sizeof m);
    current = &m;
    m.reg = new_registry();
    m.other = new_registry();
    gpureg_texture_desc td = {.width = 1, .height = 1, .format = GPUREG_FORMAT_R8_UNORM};
    gpureg_buffer_desc bd = {.size = 1};
    gpureg_texture ot;
    gpureg_buffer ob;
    if (gpureg_texture_create(m.other, &td, &ot) != GPUREG_OK || gpureg_buffer_create(m.other, &bd, &ob) != GPUREG_OK)
        mismatch("setup of the second registry failed");
    m.other_handles[0] = ot.id;
    m.other_handles[1] = ob.id;
    /* Learn this registry's tag from a first object, which the model then tracks like any other. */
    gpureg_texture first;
    if (gpureg_texture_create(m.reg, &td, &first) != GPUREG_OK) mismatch("first create failed");
    m.tag = (uint32_t)(first.id >> 54);
    m.generation_floor = (uint32_t)(first.id >> 32 & 0xFFFFFu) - 1u; /* slot 0's first use */
    if (m.tag == (uint32_t)(ot.id >> 54)) mismatch("two live registries share tag %u", m.tag);
    mobject *o = &m.objects[m.nobjects++];
    *o = (mobject){.handle = first.id,
                   .type = GPUREG_TYPE_TEXTURE,
                   .refcount = 1,
                   .state = M_ALIVE,
                   .bytes = 1,
                   .width = 1,
                   .height = 1,
                   .mips = 1,
                   .layers = 1,
                   .format = GPUREG_FORMAT_R8_UNORM,
                   .usage = GPUREG_TEXTURE_USAGE_SAMPLED | GPUREG_TEXTURE_USAGE_TRANSFER_DST};
    if (gpureg_resolve(m.reg, first.id, GPUREG_TYPE_TEXTURE, &o->native) != GPUREG_OK) mismatch("first resolve failed");
    take_slot(&m, first.id, 0);

    reader r = {data, data + size};
    while (r.p < r.end) {
        m.op_index++;
        int op = u8(&r) % OP_COUNT;
        switch (op) {
        case OP_CREATE_TEXTURE:
        case OP_CREATE_BUFFER:
        case OP_ADOPT:
            op_create(&m, &r, op);
            break;
        case OP_RETAIN:
        case OP_RELEASE:
        case OP_RELEASE_GC:
            op_retain_release(&m, &r, op);
            break;
        case OP_RESOLVE:
            op_resolve(&m, &r);
            break;
        case OP_QUERY:
            op_query(&m, &r);
            break;
        case OP_QUERY_STATE:
            op_query_state(&m, &r);
            break;
        case OP_FRAME_BEGIN:
            op_frame_begin(&m);
            break;
        case OP_FRAME_END:
            op_frame_end(&m);
            break;
        case OP_SIGNAL:
            op_signal(&m, &r);
            break;
        case OP_COLLECT:
            op_collect(&m);
            break;
        case OP_SET_LABEL:
            op_set_label(&m, &r);
            break;
        case OP_GET_LABEL:
            op_get_label(&m, &r);
            break;
        case OP_MANY:
            op_many(&m, &r);
            break;
        case OP_REPORT:
            op_report(&m);
            break;
        case OP_FOREIGN_CALL:
            op_foreign_call(&m, &r);
            break;
        default:
            break;
        }
        check_stats(&m);
    }

    int other_leaks = gpureg_destroy(m.other);
    if (other_leaks != 2) mismatch("second registry reported %d leaks, expected 2", other_leaks);
    int want_leaks = 0;
    for (int i = 0; i < m.nobjects; i++)
        want_leaks += m.objects[i].state == M_ALIVE;
    int leaks = gpureg_destroy(m.reg);
    if (leaks != want_leaks) mismatch("destroy reported %d leaks, expected %d", leaks, want_leaks);
    for (int i = 0; i < m.nobjects; i++)
        if (m.objects[i].adopted && m.objects[i].destroy_calls != 1)
            mismatch("adopted object %d destroyed %u times by the end", i, m.objects[i].destroy_calls);
    current = NULL;
    return 0;
}
