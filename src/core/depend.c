/* depend.c — dependents: an object that waits for its parent, so that an image's framebuffer and
 * stencil renderbuffer die with its texture, after the same fence, never before it, and the
 * texture never before them.
 *
 * Nothing here touches a hot path. The link lives in the dependent's per-slot record (the parent's
 * handle, checked by its generation), and only the destroy path looks at it: a dependent whose
 * fence has signalled while its parent still exists moves to the parent's waiting list, and
 * destroying the parent destroys that list first. The parent counts its dependents that exist
 * and are not on that list yet; released and due while any is left, it is held back, and the
 * dependent that takes the count to zero makes it due again, in the same collection. */
#include "depend.h"

#include "handles.h"
#include "pool.h"

/* Does `h` (a handle of this registry) still name an object that exists, alive or released
 * and waiting? */
static int exists(const gpureg_registry *reg, gpureg_handle h) {
    const gpureg__slot *slot = h ? handle_slot(reg, h) : NULL;
    if (!slot) return 0;
    gpureg_result r = handle_check_word(h, atomic_load_explicit(&slot->word, memory_order_acquire));
    return r == GPUREG_OK || r == GPUREG_ERR_RELEASED;
}

gpureg_handle depend_parent(const gpureg_registry *reg, uint32_t index) {
    const gpureg__cold *cold = pool_cold(&reg->pool, index);
    gpureg_handle parent = cold ? atomic_load_explicit(&cold->parent, memory_order_relaxed) : 0;
    return exists(reg, parent) ? parent : 0;
}

/* One of the existing `parent`'s dependents is due or gone: index + 1 of the parent when it was
 * held back and that was the last (it is due now), else 0. */
static uint32_t one_dependent_fewer(gpureg_registry *reg, gpureg_handle parent) {
    gpureg__cold *up = pool_cold(&reg->pool, handle_index(parent));
    if (up->dependents) up->dependents--;
    if (up->dependents || !up->held) return 0;
    up->held = 0;
    return handle_index(parent) + 1u;
}

int depend_defer(gpureg_registry *reg, uint32_t index, uint32_t *now_due) {
    *now_due = 0;
    gpureg__cold *cold = pool_cold(&reg->pool, index);
    gpureg_handle parent = cold ? atomic_load_explicit(&cold->parent, memory_order_relaxed) : 0;
    if (!parent) return 0;
    if (!exists(reg, parent)) {
        atomic_store_explicit(&cold->parent, 0, memory_order_relaxed);
        return 0;
    }
    gpureg__cold *up = pool_cold(&reg->pool, handle_index(parent)); /* made by gpureg_object_depend */
    cold->waiting_next = up->waiting;
    up->waiting = index + 1u;
    *now_due = one_dependent_fewer(reg, parent);
    return 1;
}

int depend_hold(gpureg_registry *reg, uint32_t index) {
    gpureg__cold *cold = pool_cold(&reg->pool, index);
    if (!cold || !cold->dependents) return 0;
    cold->held = 1;
    return 1;
}

uint32_t depend_detach(gpureg_registry *reg, uint32_t index) {
    gpureg__cold *cold = pool_cold(&reg->pool, index);
    gpureg_handle parent = cold ? atomic_load_explicit(&cold->parent, memory_order_relaxed) : 0;
    if (!parent) return 0;
    atomic_store_explicit(&cold->parent, 0, memory_order_relaxed);
    return exists(reg, parent) ? one_dependent_fewer(reg, parent) : 0;
}

uint32_t depend_take_waiting(gpureg_registry *reg, uint32_t index) {
    gpureg__cold *cold = pool_cold(&reg->pool, index);
    uint32_t next = cold ? cold->waiting : 0;
    if (!next) return 0;
    gpureg__cold *dependent = pool_cold(&reg->pool, next - 1u);
    cold->waiting = dependent->waiting_next;
    dependent->waiting_next = 0;
    atomic_store_explicit(&dependent->parent, 0, memory_order_relaxed);
    return next;
}

gpureg_result gpureg_object_depend(gpureg_registry *reg, gpureg_handle dependent, gpureg_handle parent) {
    static const char fn[] = "gpureg_object_depend";
    if (!reg) return GPUREG_ERR_NULL_POINTER;
    gpureg_result r = gpureg__check_owner(reg, fn);
    gpureg__object ignored;
    if (r == GPUREG_OK) r = gpureg__lookup(reg, dependent, GPUREG_TYPE_UNDEFINED, &ignored, fn);
    if (r == GPUREG_OK) r = gpureg__lookup(reg, parent, GPUREG_TYPE_UNDEFINED, &ignored, fn);
    if (r != GPUREG_OK) return r;
    if (handle_index(dependent) == handle_index(parent))
        return gpureg__fail(reg, GPUREG_ERR_INVALID_ARGUMENT, "%s: an object cannot depend on itself", fn);
    if (depend_parent(reg, handle_index(dependent)))
        return gpureg__fail(reg, GPUREG_ERR_INVALID_ARGUMENT, "%s: handle 0x%016llx has a parent already", fn,
                            (unsigned long long)dependent);
    /* A chain is finite (each link was made to an existing object, and links end at objects with
     * no parent), so this walk ends; it refuses the link that would close a circle. */
    for (gpureg_handle up = parent; up; up = depend_parent(reg, handle_index(up)))
        if (up == dependent)
            return gpureg__fail(reg, GPUREG_ERR_INVALID_ARGUMENT, "%s: handle 0x%016llx depends on 0x%016llx already",
                                fn, (unsigned long long)parent, (unsigned long long)dependent);
    gpureg__cold *cold = pool_cold_get(reg, handle_index(dependent));
    if (!cold || !pool_cold_get(reg, handle_index(parent)))
        return gpureg__fail(reg, GPUREG_ERR_OUT_OF_MEMORY, "%s: out of host memory", fn);
    atomic_store_explicit(&cold->parent, parent, memory_order_relaxed);
    pool_cold(&reg->pool, handle_index(parent))->dependents++;
    return GPUREG_OK;
}
