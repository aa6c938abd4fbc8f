/* destroy.c — destroying objects whose time has come (owner thread): through the backend, or
 * through an adopted object's own destroy callback, then the slot goes back to the pool. A
 * parent's waiting dependents go just before it (depend.c). */
#include <string.h>

#include "destroy.h"

#include "counters.h"
#include "depend.h"
#include "labels.h"
#include "object_desc.h"
#include "retire.h"

/* The object in slot `index` of segment `seg`, whose cold record is `cold` (NULL: none), with no
 * dependents' bookkeeping left (object_destroy and the plain part of destroy_due see to that). */
static void destroy_one(gpureg_registry *reg, const gpureg__segment *seg, uint32_t index, gpureg__cold *cold) {
    gpureg__slot *slot = segment_slot(seg, index);
    uint64_t w = atomic_load_explicit(&slot->word, memory_order_relaxed);
    uint32_t type = word_type(w);
    uint64_t desc = atomic_load_explicit(&slot_info(slot)->desc, memory_order_relaxed);
    uint32_t kind = object_kind(type, desc);
    uint64_t native = atomic_load_explicit(&slot->native, memory_order_relaxed);
    if (w & WORD_ADOPTED_BIT) {
        if (cold && cold->destroy) cold->destroy(native, cold->destroy_user);
    } else {
        gpureg__aux aux = {{0, 0}};
        if (cold) {
            aux.value[0] = atomic_load_explicit(&cold->aux[0], memory_order_relaxed);
            aux.value[1] = atomic_load_explicit(&cold->aux[1], memory_order_relaxed);
        }
        reg->ops->object_destroy(reg->backend, (gpureg_object_kind)kind, native, &aux);
    }
    counters_destroyed(reg, kind, object_bytes(type, desc));
    /* The word leaves RELEASED first: a reader (get_label, query) that still sees RELEASED reads
     * the object's own label and record; one that comes after sees a stale handle. Nothing can
     * take the slot before this returns (only the owner creates). */
    pool_recycle(&reg->pool, index, slot);
    if (!cold) return;
    spin_lock(&reg->label_lock);
    char *label = cold->label;
    cold->label = NULL;
    spin_unlock(&reg->label_lock);
    label_free(reg, label);
    cold->destroy = NULL;
    cold->destroy_user = NULL;
    atomic_store_explicit(&cold->aux[0], 0, memory_order_relaxed);
    atomic_store_explicit(&cold->aux[1], 0, memory_order_relaxed);
    atomic_store_explicit(&cold->sampler, 0, memory_order_relaxed);
}

uint32_t object_destroy(gpureg_registry *reg, uint32_t index) {
    uint32_t destroyed = 1, held_parent = 0;
    const gpureg__segment *seg = pool_segment(&reg->pool, index);
    gpureg__cold *cold = segment_cold(seg, index);
    if (depend_involved(cold)) {
        for (uint32_t dependent; (dependent = depend_take_waiting(reg, index)) != 0;)
            destroyed += object_destroy(reg, dependent - 1u);
        held_parent = depend_detach(reg, index);
        cold->dependents = 0;
        cold->held = 0;
    }
    destroy_one(reg, seg, index, cold);
    if (held_parent) destroyed += object_destroy(reg, held_parent - 1u);
    return destroyed;
}

/* A due object (index + 1): onto its parent's waiting list, or onto the list pass 2 destroys. A
 * parent held back for this dependent is due now and goes the same way, and so on up a chain. */
static void queue_due(gpureg_registry *reg, uint32_t next, uint32_t *first, uint32_t *last) {
    while (next) {
        uint32_t now_due = 0;
        if (depend_defer(reg, next - 1u, &now_due)) {
            next = now_due;
            continue;
        }
        *pool_link(&reg->pool, next - 1u) = 0;
        if (*last)
            *pool_link(&reg->pool, *last - 1u) = next;
        else
            *first = next;
        *last = next;
        next = 0;
    }
}

/* Two passes, so that a parent released before its dependent (or in an earlier frame whose
 * fence signalled with the dependent's) still goes after it: first every due object with a
 * parent is put on the parent's waiting list, then the rest are destroyed, each after those
 * waiting for it, except a parent with dependents still to come, which is held back until the
 * last of them is due (depend.c). Taken entries are off the retire queue, so their list links
 * carry pass 2's. */
uint32_t destroy_due(gpureg_registry *reg, uint64_t completed) {
    uint32_t next = retire_take_due(reg, completed), destroyed = 0;
    /* The plain part first: up to the first due object that takes part in dependents'
     * bookkeeping, each goes at once, in the order pass 2 would take it (most collections end
     * here). */
    while (next) {
        const gpureg__segment *seg = pool_segment(&reg->pool, next - 1u);
        gpureg__cold *cold = segment_cold(seg, next - 1u);
        if (depend_involved(cold)) break;
        uint32_t after = *segment_link(seg, next - 1u);
        destroy_one(reg, seg, next - 1u, cold);
        destroyed++;
        next = after;
    }
    uint32_t first = 0, last = 0;
    while (next) {
        uint32_t after = *pool_link(&reg->pool, next - 1u);
        queue_due(reg, next, &first, &last);
        next = after;
    }
    while (first) {
        uint32_t after = *pool_link(&reg->pool, first - 1u);
        if (!depend_hold(reg, first - 1u)) destroyed += object_destroy(reg, first - 1u);
        first = after;
    }
    return destroyed;
}
