/* destroy.c — destroying objects whose time has come (owner thread): through the backend, or
 * through an adopted object's own destroy callback, then the slot goes back to the pool. */
#include <string.h>

#include "destroy.h"

#include "counters.h"
#include "object_desc.h"
#include "retire.h"

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

uint32_t destroy_due(gpureg_registry *reg, uint64_t completed) {
    uint32_t destroyed = 0;
    for (uint32_t next; (next = retire_pop_due(reg, completed)) != 0; destroyed++)
        object_destroy(reg, next - 1u);
    return destroyed;
}
