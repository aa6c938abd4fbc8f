/* frames.h — collection (frames.c). Owner thread. */
#ifndef GPUREG_FRAMES_H
#define GPUREG_FRAMES_H

#include "registry.h"

/* Drain the release inbox into the open frame, poll fences, destroy what finished and deliver
 * messages to the sink. COLLECT_IF_PENDING polls only when something waits (the create path). */
enum { COLLECT_IF_PENDING = 0, COLLECT_POLL = 1 };
gpureg_result registry_collect(gpureg_registry *reg, uint32_t *out_destroyed, int poll);

/* The collection every create makes, inline: only when something was released since the last
 * one, or a message sink waits to be served; nearly every create finds neither. */
static inline void registry_collect_for_create(gpureg_registry *reg) {
    if (reg->desc.message_sink || retire_pending(&reg->retire)) registry_collect(reg, NULL, COLLECT_IF_PENDING);
}

#endif /* GPUREG_FRAMES_H */
