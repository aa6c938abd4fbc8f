/* depend.h — objects that wait for a parent (depend.c): gpureg_object_depend's bookkeeping, read
 * by the destroy path. Owner thread unless marked. */
#ifndef GPUREG_DEPEND_H
#define GPUREG_DEPEND_H

#include "registry.h"

/* The parent of the object in slot `index` while that parent still exists (alive or waiting for
 * its fence), else 0. Any thread (queries and reports read it). */
gpureg_handle depend_parent(const gpureg_registry *reg, uint32_t index);
/* A released object whose fence has signalled: if its parent still exists, put it on the
 * parent's waiting list and answer 1 (it is destroyed with the parent), else 0. */
int depend_defer(gpureg_registry *reg, uint32_t index);
/* Take one dependent waiting for the object in `index`: its index + 1, or 0 when none is left. */
uint32_t depend_take_waiting(gpureg_registry *reg, uint32_t index);

#endif /* GPUREG_DEPEND_H */
