/* destroy.h — destroying objects (destroy.c). Owner thread. */
#ifndef GPUREG_DESTROY_H
#define GPUREG_DESTROY_H

#include "registry.h"

/* Destroy the object in slot `index` (backend or adopted destroy) and recycle the slot, after
 * the dependents waiting for it. Returns how many objects that destroyed. */
uint32_t object_destroy(gpureg_registry *reg, uint32_t index);
/* Destroy every queued object whose frame serial is <= completed. Returns how many. */
uint32_t destroy_due(gpureg_registry *reg, uint64_t completed);

#endif /* GPUREG_DESTROY_H */
