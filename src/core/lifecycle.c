/* lifecycle.c — creating and destroying registries. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "destroy.h"
#include "frames.h"
#include "guard.h"
#include "labels.h"
#include "object_desc.h"
#include "pool.h"
#include "report.h"
#include "retire.h"
#include "ring.h"
#include "transfer.h"

/* Defaults applied; NULL when valid, else which member is wrong. */
static const char *check_desc(const gpureg_registry_desc *in, gpureg_registry_desc *d) {
    *d = *in;
    if (!d->frames_in_flight) d->frames_in_flight = 2;
    if (!d->message_capacity) d->message_capacity = 256;
    if (!d->shutdown_timeout_ms) d->shutdown_timeout_ms = 5000;
    if (d->frames_in_flight > 16) return "frames_in_flight is above 16";
    if (d->message_capacity > 65536) return "message_capacity is above 65536";
    if (!d->allocator.alloc != !d->allocator.free) return "allocator needs both alloc and free, or neither";
    if ((unsigned)d->report_format > GPUREG_REPORT_OFF) return "report_format is not a gpureg_report_format";
    return NULL;
}

gpureg_result gpureg__registry_create(const gpureg_registry_desc *desc, gpureg_registry **out) {
    if (!out) return GPUREG_ERR_NULL_POINTER;
    *out = NULL;
    const gpureg_registry_desc defaults = {0};
    if (!desc) desc = &defaults; /* NULL: every member's default */
    gpureg_registry_desc d;
    const char *wrong = check_desc(desc, &d);
    if (wrong) {
        if (desc->log) {
            char line[160];
            snprintf(line, sizeof line, "registry create: desc.%s", wrong);
            desc->log(GPUREG_LOG_ERROR, GPUREG_ERR_INVALID_ARGUMENT, line, desc->log_user);
        }
        return GPUREG_ERR_INVALID_ARGUMENT;
    }
    gpureg_registry *reg = d.allocator.alloc ? d.allocator.alloc(sizeof *reg, d.allocator.user) : malloc(sizeof *reg);
    if (!reg) return GPUREG_ERR_OUT_OF_MEMORY;
    memset(reg, 0, sizeof *reg);
    reg->desc = d;
    reg->owner = registry_thread_identity();
    atomic_store(&reg->host_bytes, sizeof *reg);
    atomic_init(&reg->label_lock.held, 0);
    pthread_mutex_init(&reg->staging_lock, NULL);
    reg->ring = ring_create(reg, d.message_capacity, &reg->serial);
    gpureg_result r = (reg->ring && pool_init(reg) == GPUREG_OK && retire_init(reg) == GPUREG_OK)
                          ? guard_open(reg->ring, &reg->guard_token, &reg->tag, &reg->generation_floor)
                          : GPUREG_ERR_OUT_OF_MEMORY;
    if (r != GPUREG_OK) {
        if (r == GPUREG_ERR_TOO_MANY_REGISTRIES && d.log)
            d.log(GPUREG_LOG_ERROR, r,
                  "registry create: no registry tag is free (1023 registries alive, or the free tags' handle "
                  "generations are spent)",
                  d.log_user);
        gpureg__registry_free(reg);
        return r;
    }
    atomic_store_explicit(&reg->alive_key, GPUREG_FP_ALIVE_KEY, memory_order_relaxed);
    *out = reg;
    return GPUREG_OK;
}

void gpureg__registry_attach(gpureg_registry *reg, const gpureg__backend_ops *ops, void *be) {
    reg->ops = ops;
    reg->backend = be;
}

void *gpureg__backend_state(const gpureg_registry *reg, const gpureg__backend_ops *ops) {
    return (reg && reg->ops == ops) ? reg->backend : NULL;
}

const char *gpureg_backend_name(const gpureg_registry *reg) { return (reg && reg->ops) ? reg->ops->name : "none"; }

uint64_t gpureg__guard_token(const gpureg_registry *reg) { return reg->guard_token; }

/* Host-side teardown shared by gpureg_destroy and failed backend creation. */
void gpureg__registry_free(gpureg_registry *reg) {
    if (!reg) return;
    guard_close(reg->guard_token, reg->generation_high);
    ring_destroy(reg, reg->ring);
    staging_free_all(reg);
    sites_free(reg);
    labels_free_all(reg);
    retire_free(reg);
    pool_free_all(reg);
    pthread_mutex_destroy(&reg->staging_lock);
    gpureg_allocator a = reg->desc.allocator;
    if (a.free)
        a.free(reg, a.user);
    else
        free(reg);
}

/* Wait (bounded) for the GPU to finish every submitted frame, then destroy everything pending. */
static void drain_everything(gpureg_registry *reg) {
    if (reg->frame_open && !reg_is_lost(reg)) gpureg_frame_end(reg);
    reg->frame_open = false;
    uint64_t serial = registry_frame_serial(reg);
    retire_drain(reg, serial);
    if (!reg_is_lost(reg) && serial) {
        gpureg_result r =
            reg->ops->fence_wait(reg->backend, serial, (uint64_t)reg->desc.shutdown_timeout_ms * 1000000u);
        if (r == GPUREG_ERR_DEVICE_LOST) gpureg__set_device_lost(reg);
        if (r == GPUREG_ERR_TIMEOUT)
            gpureg__log(reg, GPUREG_LOG_WARNING,
                        "gpureg_destroy: frame %llu did not finish within %u ms; destroying anyway",
                        (unsigned long long)serial, reg->desc.shutdown_timeout_ms);
    }
    destroy_due(reg, UINT64_MAX);
}

static void destroy_leaked(gpureg_registry *reg) {
    uint32_t count = atomic_load_explicit(&reg->pool.count, memory_order_relaxed);
    for (uint32_t i = 0; i < count; i++) {
        gpureg__slot *slot = pool_slot(&reg->pool, i);
        uint64_t w = atomic_load_explicit(&slot->word, memory_order_relaxed);
        if (word_state(w) != SLOT_ALIVE) continue;
        uint64_t desc = atomic_load_explicit(&slot_info(slot)->desc, memory_order_relaxed);
        retire_count(reg, object_kind(word_type(w), desc), object_bytes(word_type(w), desc));
        object_destroy(reg, i);
    }
}

int gpureg_destroy(gpureg_registry *reg) {
    if (!reg) return 0;
    if (gpureg__check_owner(reg, "gpureg_destroy") != GPUREG_OK) return -(int)GPUREG_ERR_WRONG_THREAD;
    drain_everything(reg);
    int leaks = report_at_destroy(reg);
    destroy_leaked(reg);
    if (reg->ops->shutdown) reg->ops->shutdown(reg->backend);
    guard_close(reg->guard_token, reg->generation_high); /* waits for debug callbacks still inside */
    reg->guard_token = 0;
    reg->ops->destroy(reg->backend);
    /* GPUREG_LEAK_FATAL_NEVER (any value below 0): the caller owns the decision, the
     * environment is not read. */
    int fatal = reg->desc.leak_fatal > 0;
    const char *env = reg->desc.leak_fatal >= 0 ? getenv("GPUREG_LEAK_FATAL") : NULL;
    if (env && *env) fatal = strcmp(env, "0") != 0;
    gpureg__registry_free(reg);
    if (leaks > 0 && fatal) abort();
    return leaks;
}
