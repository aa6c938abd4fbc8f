/* handles.h — classifying handles (handles.c), for the other calls that take one. */
#ifndef GPUREG_HANDLES_H
#define GPUREG_HANDLES_H

#include "registry.h"

/* Classify a handle for this registry without touching a slot: OK or INVALID/FOREIGN/WRONG_TYPE. */
gpureg_result handle_check_bits(const gpureg_registry *reg, gpureg_handle h, gpureg_object_type expected);
/* Classify a handle against its slot's word: OK (alive) or the handle error. */
gpureg_result handle_check_word(gpureg_handle h, uint64_t word);
/* The slot of a handle whose bits check out (NULL: never issued). */
gpureg__slot *handle_slot(const gpureg_registry *reg, gpureg_handle h);

/* An object's fields as its slot keeps them, read consistently: what gpureg__lookup unpacks into
 * a gpureg__object. A hot caller that needs one desc decodes just that one. */
typedef struct handle_view {
    uint64_t word, native, desc;
    gpureg__aux aux;
} handle_view;

/* The fields of the slot whose word was w into *v; false when the object changed meanwhile (a
 * refcount change is no change: the object is still the one named). */
static inline bool handle_view_read(const gpureg__slot *slot, const gpureg__cold *cold, uint64_t w, handle_view *v) {
    v->word = w;
    v->native = atomic_load_explicit(&slot->native, memory_order_relaxed);
    v->desc = atomic_load_explicit(&slot_info(slot)->desc, memory_order_relaxed);
    if (cold) {
        v->aux.value[0] = atomic_load_explicit(&cold->aux[0], memory_order_relaxed);
        v->aux.value[1] = atomic_load_explicit(&cold->aux[1], memory_order_relaxed);
    } else {
        v->aux = (gpureg__aux){{0, 0}};
    }
    atomic_thread_fence(memory_order_acquire);
    return !((atomic_load_explicit(&slot->word, memory_order_relaxed) ^ w) & WORD_IDENTITY_MASK);
}

/* The hit path of gpureg__lookup, inline for the hot callers: a committed slot of segment 0 and
 * one test of its word against the handle (generation, type, tag, ALIVE; a foreign or stale
 * handle fails it). False: gpureg__lookup takes the handle the long way, to its object or to
 * the precise error. */
static inline bool handle_view_hit(const gpureg_registry *reg, gpureg_handle h, gpureg_object_type expected,
                                   handle_view *v) {
    uint32_t index = handle_index(h);
    if (!POOL_LIKELY(index < pool_first_readable(&reg->pool)) ||
        (expected != GPUREG_TYPE_UNDEFINED && handle_type(h) != (uint32_t)expected))
        return false;
    const gpureg__slot *slot = pool_first_slot(&reg->pool, index);
    uint64_t w = atomic_load_explicit(&slot->word, memory_order_acquire);
    return word_is_alive_for(w, h, GPUREG_FP_ALIVE_KEY) &&
           handle_view_read(slot, pool_first_cold(&reg->pool, index), w, v);
}

#endif /* GPUREG_HANDLES_H */
