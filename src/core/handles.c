/* handles.c — the any-thread calls: retain, release, resolve, query. No lock, no allocation.
 *
 * Every decision is made on one atomic word per slot (refcount | generation | state | type), so a
 * retain racing with the last release, or a resolve racing with destruction and reuse, sees one
 * consistent answer. Values read next to the word are re-validated by reading the word again. */
#include "handles.h"
#include "depend.h"
#include "object_desc.h"
#include "pool.h"
#include "retire.h"

gpureg_result handle_check_bits(const gpureg_registry *reg, gpureg_handle h, gpureg_object_type expected) {
    if (!h) return GPUREG_ERR_INVALID_HANDLE;
    if (handle_tag(h) != reg->tag) return GPUREG_ERR_FOREIGN_HANDLE;
    uint32_t type = handle_type(h);
    if (type == GPUREG_TYPE_UNDEFINED) return GPUREG_ERR_INVALID_HANDLE;
    if (expected != GPUREG_TYPE_UNDEFINED && type != (uint32_t)expected) return GPUREG_ERR_WRONG_TYPE;
    if (handle_gen(h) == 0) return GPUREG_ERR_INVALID_HANDLE;
    /* Issued by an earlier registry that had this tag (see generation_floor). */
    if (handle_gen(h) <= reg->generation_floor) return GPUREG_ERR_FOREIGN_HANDLE;
    return GPUREG_OK;
}

gpureg_result handle_check_word(gpureg_handle h, uint64_t word) {
    uint32_t hgen = handle_gen(h), sgen = word_gen(word);
    if (hgen > sgen) return GPUREG_ERR_INVALID_HANDLE; /* never issued */
    if (hgen < sgen) return GPUREG_ERR_STALE_HANDLE;
    if (word_type(word) != handle_type(h)) return GPUREG_ERR_INVALID_HANDLE; /* type bits forged */
    switch (word_state(word)) {
    case SLOT_ALIVE:
        return GPUREG_OK;
    case SLOT_RELEASED:
        return GPUREG_ERR_RELEASED;
    default:
        return GPUREG_ERR_STALE_HANDLE;
    }
}

gpureg__slot *handle_slot(const gpureg_registry *reg, gpureg_handle h) {
    return pool_slot(&reg->pool, handle_index(h));
}

static gpureg_result fail_handle(const gpureg_registry *reg, gpureg_result r, const char *function, gpureg_handle h) {
    return gpureg__fail(reg, r, "%s: handle 0x%016llx: %s", function, (unsigned long long)h, gpureg_result_string(r));
}

/* The slot of a handle that passes the bit checks, or an error. */
static gpureg_result find(const gpureg_registry *reg, gpureg_handle h, gpureg_object_type expected,
                          gpureg__slot **out) {
    gpureg_result r = handle_check_bits(reg, h, expected);
    if (r != GPUREG_OK) return r;
    *out = handle_slot(reg, h);
    return *out ? GPUREG_OK : GPUREG_ERR_INVALID_HANDLE;
}

/* The slot of an index if its memory may be read, else NULL: segment 0's committed slots with
 * one compare and an add, the rest through the directory. */
static inline gpureg__slot *readable_slot(const gpureg_registry *reg, uint32_t index) {
    if (POOL_LIKELY(index < pool_first_readable(&reg->pool))) return pool_first_slot(&reg->pool, index);
    return pool_slot_beyond(&reg->pool, index);
}

/* Does w still hold the ALIVE object h names, under key (the registry's alive_key for resolve
 * and retain, GPUREG_FP_ALIVE_KEY for release, which works after device loss)? The one-XOR
 * test of the contract, and for the rare index of 2^28 or more, whose bits 28..31 are in the
 * way, the same test field by field. */
static inline bool names_alive(uint64_t w, gpureg_handle h, uint64_t key) {
    if (POOL_LIKELY(word_is_alive_for(w, h, key))) return true;
    return (h & (0xFull << GPUREG_FP_KEY_SHIFT)) && !(key & GPUREG_FP_KEY_LOST) && word_names_alive(w, h);
}

/* Shared by retain and release: true with the slot and its word when h names an ALIVE object of
 * this registry, else false (the caller classifies the failure). A forged handle cannot pass:
 * generation, type, tag and state must all equal the handle's (generation 0 and tag 0 are never
 * issued, and a live slot's type is never 0 or 3). */
static inline bool alive_slot(const gpureg_registry *reg, gpureg_handle h, uint64_t key, gpureg__slot **out,
                              uint64_t *word) {
    gpureg__slot *slot = readable_slot(reg, handle_index(h));
    if (!slot) return false;
    *word = atomic_load_explicit(&slot->word, memory_order_acquire);
    *out = slot;
    return names_alive(*word, h, key);
}

/* Why a handle failed alive_slot (or the read after it): the precise error, logged. */
static gpureg_result classify_failure(const gpureg_registry *reg, gpureg_handle h, gpureg_object_type expected,
                                      const char *function) {
    gpureg__slot *slot;
    gpureg_result r = find(reg, h, expected, &slot);
    if (r == GPUREG_OK) r = handle_check_word(h, atomic_load_explicit(&slot->word, memory_order_acquire));
    if (r == GPUREG_OK) r = GPUREG_ERR_STALE_HANDLE; /* it changed under us: it was alive a moment ago */
    return fail_handle(reg, r, function, h);
}

static inline uint64_t alive_key(const gpureg_registry *reg) {
    return atomic_load_explicit(&reg->alive_key, memory_order_relaxed);
}

/* Why resolve or retain could not use a handle: the lost device first, else the handle error. */
static gpureg_result unusable(const gpureg_registry *reg, gpureg_handle h, gpureg_object_type expected,
                              const char *function) {
    if (reg_is_lost(reg)) return gpureg__check_device(reg, function);
    return classify_failure(reg, h, expected, function);
}

static inline gpureg_result retain(gpureg_registry *reg, gpureg_handle handle, const char *function) {
    if (!reg) return GPUREG_ERR_NULL_POINTER;
    uint64_t w;
    gpureg__slot *slot;
    uint64_t key = alive_key(reg);
    if (!alive_slot(reg, handle, key, &slot, &w)) return unusable(reg, handle, GPUREG_TYPE_UNDEFINED, function);
    /* The CAS compares the whole word: a slot released and reused meanwhile fails it. */
    do {
        if (word_rc(w) == WORD_RC_MAX) return fail_handle(reg, GPUREG_ERR_REFCOUNT_OVERFLOW, function, handle);
        if (atomic_compare_exchange_weak_explicit(&slot->word, &w, w + 1u, memory_order_acq_rel, memory_order_acquire))
            return GPUREG_OK;
    } while (names_alive(w, handle, key));
    return classify_failure(reg, handle, GPUREG_TYPE_UNDEFINED, function);
}

gpureg_result gpureg_retain(gpureg_registry *reg, gpureg_handle handle) { return retain(reg, handle, "gpureg_retain"); }

static inline gpureg_result release(gpureg_registry *reg, gpureg_handle handle, uint64_t gc_bit, const char *function) {
    if (!reg) return GPUREG_ERR_NULL_POINTER;
    uint64_t w;
    gpureg__slot *slot;
    if (!alive_slot(reg, handle, GPUREG_FP_ALIVE_KEY, &slot, &w)) /* releases still work after device loss */
        return classify_failure(reg, handle, GPUREG_TYPE_UNDEFINED, function);
    do {
        uint64_t next = w - 1u;
        if (word_rc(next) == 0) next = word_with_state(next, SLOT_RELEASED) | gc_bit;
        if (atomic_compare_exchange_weak_explicit(&slot->word, &w, next, memory_order_acq_rel, memory_order_acquire)) {
            /* Only the thread that took the count to zero queues the slot: exactly once. */
            if (word_rc(next) == 0) {
                uint32_t type = word_type(next);
                uint64_t desc = atomic_load_explicit(&slot_info(slot)->desc, memory_order_relaxed);
                retire_push(reg, handle_index(handle), object_kind(type, desc), object_bytes(type, desc));
            }
            return GPUREG_OK;
        }
    } while (names_alive(w, handle, GPUREG_FP_ALIVE_KEY));
    return classify_failure(reg, handle, GPUREG_TYPE_UNDEFINED, function);
}

gpureg_result gpureg_release(gpureg_registry *reg, gpureg_handle handle) {
    return release(reg, handle, 0, "gpureg_release");
}

gpureg_result gpureg_release_from_gc(gpureg_registry *reg, gpureg_handle handle) {
    return release(reg, handle, WORD_GC_BIT, "gpureg_release_from_gc");
}

static inline gpureg_result retain_in_batch(gpureg_registry *reg, gpureg_handle h) {
    return retain(reg, h, "gpureg_retain_many");
}

static inline gpureg_result release_in_batch(gpureg_registry *reg, gpureg_handle h) {
    return release(reg, h, 0, "gpureg_release_many");
}

/* Inlined into each batch call with a constant `op`, so the compiler turns the indirect call into
 * the single-handle body itself: one loop, no call per handle. */
static inline size_t for_many(gpureg_registry *reg, const gpureg_handle *handles, size_t count, gpureg_result *results,
                              gpureg_result (*op)(gpureg_registry *, gpureg_handle), const char *function) {
    if (!count) return 0;
    if (!reg || !handles) {
        /* Nothing was done, so every handle failed: "0 failed" would read as success. */
        if (reg) gpureg__fail(reg, GPUREG_ERR_NULL_POINTER, "%s: NULL handle array", function);
        if (results)
            for (size_t i = 0; i < count; i++)
                results[i] = GPUREG_ERR_NULL_POINTER;
        return count;
    }
    size_t failed = 0;
    for (size_t i = 0; i < count; i++) {
        gpureg_result r = op(reg, handles[i]);
        failed += r != GPUREG_OK;
        if (results) results[i] = r;
    }
    return failed;
}

size_t gpureg_retain_many(gpureg_registry *reg, const gpureg_handle *handles, size_t count, gpureg_result *results) {
    return for_many(reg, handles, count, results, retain_in_batch, "gpureg_retain_many");
}

size_t gpureg_release_many(gpureg_registry *reg, const gpureg_handle *handles, size_t count, gpureg_result *results) {
    return for_many(reg, handles, count, results, release_in_batch, "gpureg_release_many");
}

/* A consistent snapshot of a slot whose word satisfies `accept`. */
typedef struct snapshot {
    uint64_t word, native, desc, meta;
} snapshot;

static gpureg_result read_snapshot(gpureg__slot *slot, gpureg_handle h, int allow_released, snapshot *out) {
    uint64_t w = atomic_load_explicit(&slot->word, memory_order_acquire);
    /* Each pass either answers or follows the word to its next state (alive, released,
     * destroyed, reused): a handle's object takes each at most once, so the loop ends. */
    for (;;) {
        gpureg_result r = handle_check_word(h, w);
        if (r != GPUREG_OK && !(allow_released && r == GPUREG_ERR_RELEASED)) return r;
        out->native = atomic_load_explicit(&slot->native, memory_order_relaxed);
        out->desc = atomic_load_explicit(&slot_info(slot)->desc, memory_order_relaxed);
        out->meta = atomic_load_explicit(&slot_info(slot)->meta, memory_order_relaxed);
        atomic_thread_fence(memory_order_acquire);
        uint64_t again = atomic_load_explicit(&slot->word, memory_order_relaxed);
        if (!((again ^ w) & WORD_IDENTITY_MASK)) {
            out->word = again;
            return GPUREG_OK;
        }
        /* Released, destroyed or reused meanwhile: describe what it is now. */
        w = atomic_load_explicit(&slot->word, memory_order_acquire);
    }
}

/* Everything the hit path of gpureg_resolve leaves out: NULL pointers, the expected type, slots
 * beyond segment 0's committed ones and indices of 2^28 or more, a refcount that changed between
 * the two reads (a racing retain or release: the object is still the one named), and the precise
 * error. Same answers as the hit path wherever both apply. */
static GPUREG_COLD gpureg_result resolve_slow(const gpureg_registry *reg, gpureg_handle h, gpureg_object_type expected,
                                              uint64_t *out_native) {
    if (!reg || !out_native) {
        if (out_native) *out_native = 0;
        return reg ? gpureg__fail(reg, GPUREG_ERR_NULL_POINTER, "gpureg_resolve: out_native is NULL")
                   : GPUREG_ERR_NULL_POINTER;
    }
    *out_native = 0;
    uint32_t type = handle_type(h);
    if ((uint32_t)expected == type || expected == GPUREG_TYPE_UNDEFINED) {
        uint64_t key = alive_key(reg), w;
        gpureg__slot *slot;
        while (alive_slot(reg, h, key, &slot, &w)) {
            uint64_t native = atomic_load_explicit(&slot->native, memory_order_relaxed);
            atomic_thread_fence(memory_order_acquire);
            uint64_t again = atomic_load_explicit(&slot->word, memory_order_relaxed);
            /* Re-read: if the object was destroyed and the slot reused meanwhile, native is not ours. */
            if (!((again ^ w) & WORD_IDENTITY_MASK)) {
                *out_native = native;
                return GPUREG_OK;
            }
        }
    }
    return unusable(reg, h, expected, "gpureg_resolve");
}

/* Index bits that put a handle beyond segment 0. */
#define RESOLVE_INDEX_BEYOND_SEGMENT0 ((uint64_t)(UINT32_MAX & ~POOL_SEGMENT_MASK))

/* A miss of the hit path: the slow path, with the expected type rebuilt from `typed` here rather
 * than kept live through the hit path. */
static GPUREG_COLD gpureg_result resolve_missed(const gpureg_registry *reg, gpureg_handle handle, uint64_t *out_native,
                                                int typed) {
    return resolve_slow(reg, handle, typed ? (gpureg_object_type)handle_type(handle) : GPUREG_TYPE_UNDEFINED,
                        out_native);
}

/* The hit path of gpureg_resolve, the contract's (gpureg_fastpath.h), for a handle of segment 0:
 * one load, one XOR test of generation, type, tag, state and device loss, the native, and the
 * re-read that stops a racing reuse from returning another object. `typed`: the caller expected
 * the handle's own type (else any type), so the slow path gets the expected type back without
 * keeping it live. */
static inline gpureg_result resolve_hit(const gpureg_registry *reg, gpureg_handle handle, uint64_t *out_native,
                                        int typed) {
    const gpureg__slot *slot = pool_first_slot(&reg->pool, handle_index(handle));
    uint64_t w = atomic_load_explicit(&slot->word, memory_order_acquire);
    if (POOL_LIKELY(word_is_alive_for(w, handle, alive_key(reg)))) {
        /* Written before the re-read: on a miss the slow path writes *out_native again. */
        *out_native = atomic_load_explicit(&slot->native, memory_order_relaxed);
        atomic_thread_fence(memory_order_acquire);
        if (POOL_LIKELY(atomic_load_explicit(&slot->word, memory_order_relaxed) == w)) return GPUREG_OK;
    }
    return resolve_missed(reg, handle, out_native, typed);
}

gpureg_result gpureg_resolve(const gpureg_registry *reg, gpureg_handle handle, gpureg_object_type expected,
                             uint64_t *out_native) {
    /* Both pointers are non-NULL when their AND is; when it is 0 (one is NULL, or by chance two
     * pointers share no bit) the slow path checks them one by one. */
    if (POOL_LIKELY(((uintptr_t)reg & (uintptr_t)out_native) != 0)) {
        /* One compare: the index is in segment 0, which may be read whole, committed or not
         * (reserve.c), and the type bits are the expected type. The expected type is rotated into
         * place, not shifted, so that its bits above the 2 a type has land in bits 0..19, which
         * `fast` never has: any expected type above 3 misses (a shift would drop them). */
        uint64_t fast = handle & (RESOLVE_INDEX_BEYOND_SEGMENT0 | (3ull << HANDLE_TYPE_SHIFT));
        uint64_t e = (uint32_t)expected;
        if (POOL_LIKELY(fast == (e << HANDLE_TYPE_SHIFT | e >> (64u - HANDLE_TYPE_SHIFT))))
            return resolve_hit(reg, handle, out_native, 1);
        if (expected == GPUREG_TYPE_UNDEFINED && !(handle & RESOLVE_INDEX_BEYOND_SEGMENT0))
            return resolve_hit(reg, handle, out_native, 0);
    }
    return resolve_slow(reg, handle, expected, out_native);
}

gpureg_state gpureg_query_state(const gpureg_registry *reg, gpureg_handle handle) {
    if (!reg) return GPUREG_STATE_INVALID;
    gpureg__slot *slot;
    if (find(reg, handle, GPUREG_TYPE_UNDEFINED, &slot) != GPUREG_OK) return GPUREG_STATE_INVALID;
    switch (handle_check_word(handle, atomic_load_explicit(&slot->word, memory_order_acquire))) {
    case GPUREG_OK:
        return GPUREG_STATE_ALIVE;
    case GPUREG_ERR_RELEASED:
        return GPUREG_STATE_RELEASED;
    case GPUREG_ERR_STALE_HANDLE:
        return GPUREG_STATE_DESTROYED;
    default:
        return GPUREG_STATE_INVALID;
    }
}

gpureg_result gpureg_query(const gpureg_registry *reg, gpureg_handle handle, gpureg_object_info *out) {
    if (!reg) return GPUREG_ERR_NULL_POINTER;
    if (!out) return gpureg__fail(reg, GPUREG_ERR_NULL_POINTER, "gpureg_query: out is NULL");
    gpureg__slot *slot;
    gpureg_result r = find(reg, handle, GPUREG_TYPE_UNDEFINED, &slot);
    snapshot s;
    if (r == GPUREG_OK) r = read_snapshot(slot, handle, 1, &s);
    if (r != GPUREG_OK) return fail_handle(reg, r, "gpureg_query", handle);
    *out = (gpureg_object_info){0};
    out->type = (gpureg_object_type)word_type(s.word);
    out->kind = (gpureg_object_kind)object_kind(word_type(s.word), s.desc);
    out->state = word_state(s.word) == SLOT_ALIVE ? GPUREG_STATE_ALIVE : GPUREG_STATE_RELEASED;
    out->refcount = (uint32_t)word_rc(s.word);
    out->released_by_gc = (s.word & WORD_GC_BIT) != 0;
    out->adopted = (s.word & WORD_ADOPTED_BIT) != 0;
    out->native = s.native;
    out->bytes = object_bytes(word_type(s.word), s.desc);
    out->frame_created = s.meta >> 32;
    object_unpack(word_type(s.word), s.desc, &out->texture, &out->buffer, &out->object);
    const gpureg__cold *cold = pool_cold(&reg->pool, handle_index(handle));
    if (cold) {
        uint32_t sampler = atomic_load_explicit(&cold->sampler, memory_order_relaxed);
        gpureg_handle parent = depend_parent(reg, handle_index(handle));
        atomic_thread_fence(memory_order_acquire);
        /* Released meanwhile is fine (a released object is described); destroyed is not. */
        uint64_t again = atomic_load_explicit(&slot->word, memory_order_relaxed);
        if ((again ^ s.word) >> WORD_GEN_SHIFT || word_state(again) == SLOT_FREE || word_state(again) == SLOT_RETIRED)
            return fail_handle(reg, GPUREG_ERR_STALE_HANDLE, "gpureg_query", handle);
        if (out->type == GPUREG_TYPE_TEXTURE) out->texture.sampler = object_unpack_sampler(sampler);
        out->parent = parent;
    }
    return GPUREG_OK;
}

/* The object a consistent view describes. Field by field: zero-filling every kind's desc, when
 * only the one of the object's type is set (object_unpack), was a fifth of a texture write's own
 * cost. */
static void describe(const handle_view *v, gpureg__object *out) {
    out->aux = v->aux;
    out->type = (gpureg_object_type)word_type(v->word);
    out->kind = (gpureg_object_kind)object_kind(word_type(v->word), v->desc);
    out->adopted = (v->word & WORD_ADOPTED_BIT) != 0;
    out->native = v->native;
    object_unpack(word_type(v->word), v->desc, &out->texture, &out->buffer, &out->object);
}

gpureg_result gpureg__lookup(const gpureg_registry *reg, gpureg_handle handle, gpureg_object_type expected,
                             gpureg__object *out, const char *function) {
    handle_view v;
    if (handle_view_hit(reg, handle, expected, &v)) {
        describe(&v, out);
        return GPUREG_OK;
    }
    /* Everything the hit path leaves out, and the precise error. */
    gpureg__slot *slot;
    gpureg_result r = find(reg, handle, expected, &slot);
    snapshot s;
    if (r == GPUREG_OK) r = read_snapshot(slot, handle, 0, &s);
    if (r != GPUREG_OK) return fail_handle(reg, r, function, handle);
    if (!handle_view_read(slot, pool_cold(&reg->pool, handle_index(handle)), s.word, &v))
        return fail_handle(reg, GPUREG_ERR_STALE_HANDLE, function, handle);
    describe(&v, out);
    return GPUREG_OK;
}
