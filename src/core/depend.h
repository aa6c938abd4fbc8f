/* depend.h — objects that wait for a parent (depend.c): gpureg_object_depend's bookkeeping, read
 * by the destroy path. Owner thread unless marked. */
#ifndef GPUREG_DEPEND_H
#define GPUREG_DEPEND_H

#include "registry.h"

/* Does an object's record (NULL: it has none) take part in this bookkeeping at all: a parent, a
 * waiting list, dependents of its own? The destroy path asks first and skips the rest when not,
 * as it is for most objects. Owner thread. */
static inline bool depend_involved(const gpureg__cold *cold) {
    return cold && (cold->waiting || cold->dependents || atomic_load_explicit(&cold->parent, memory_order_relaxed));
}

/* The parent of the object in slot `index` while that parent still exists (alive or waiting for
 * its fence), else 0. Any thread (queries and reports read it). */
gpureg_handle depend_parent(const gpureg_registry *reg, uint32_t index);
/* A released object whose fence has signalled: if its parent still exists, put it on the
 * parent's waiting list and answer 1 (it is destroyed with the parent), else 0. *now_due: index
 * + 1 of the parent when it was held back for this, its last dependent (it is due now), else 0. */
int depend_defer(gpureg_registry *reg, uint32_t index, uint32_t *now_due);
/* A due object some of whose dependents exist and are not due: hold it back (answer 1) until the
 * last of them is (depend_defer), else 0. */
int depend_hold(gpureg_registry *reg, uint32_t index);
/* An object destroyed while it still has a parent (only gpureg_destroy does that, destroying what
 * leaked): unlink it; index + 1 of the parent when it was held back for this one alone (destroy
 * it next), else 0. */
uint32_t depend_detach(gpureg_registry *reg, uint32_t index);
/* Take one dependent waiting for the object in `index`: its index + 1, or 0 when none is left. */
uint32_t depend_take_waiting(gpureg_registry *reg, uint32_t index);

#endif /* GPUREG_DEPEND_H */
