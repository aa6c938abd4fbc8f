/* null_backend.c — a backend whose "GPU" is the caller: objects have no storage and fences signal
 * only when gpureg_null_signal says so, so tests can hold the GPU back and watch what waits. */
#include <stdlib.h>

#include <stdatomic.h>

#include "core/backend.h"

typedef struct null_backend {
    gpureg_registry *reg;
    uint64_t next_native;
    uint64_t inserted;          /* last fence recorded (owner) */
    _Atomic uint64_t ended;     /* same, readable by gpureg_null_signal on any thread */
    _Atomic uint64_t signalled; /* last serial the caller signalled */
    _Atomic int lost;
} null_backend;

static gpureg_result lost_or_ok(const null_backend *nb) {
    return atomic_load(&nb->lost) ? GPUREG_ERR_DEVICE_LOST : GPUREG_OK;
}

static gpureg_result null_create(null_backend *nb, uint64_t *native) {
    gpureg_result r = lost_or_ok(nb);
    if (r == GPUREG_OK) *native = ++nb->next_native;
    return r;
}

static gpureg_result null_texture_create(void *be, const gpureg_texture_desc *desc, gpureg_handle handle,
                                         const char *name, uint64_t *native, gpureg__aux *aux) {
    return null_create(be, native);
}

static gpureg_result null_buffer_create(void *be, const gpureg_buffer_desc *desc, gpureg_handle handle,
                                        const char *name, uint64_t *native, gpureg__aux *aux) {
    return null_create(be, native);
}

/* Every kind the core can ask for: the null GPU makes an id and nothing else. */
static gpureg_result null_object_create(void *be, const gpureg__object_spec *spec, gpureg_handle handle,
                                        const char *name, uint64_t *native, gpureg__aux *aux) {
    return null_create(be, native);
}

static void null_destroy_object(void *be, gpureg_object_kind kind, uint64_t native, const gpureg__aux *aux) {}

/* Writes are validated by the core and discarded: the null GPU has no memory. */
static gpureg_result null_texture_write(void *be, uint64_t native, const gpureg__aux *aux,
                                        const gpureg_texture_desc *desc, const gpureg_texture_region *region,
                                        const void *data, uint32_t row_bytes) {
    return lost_or_ok(be);
}

static gpureg_result null_buffer_write(void *be, uint64_t native, const gpureg__aux *aux,
                                       const gpureg_buffer_desc *desc, uint64_t offset, const void *data,
                                       uint64_t size) {
    return lost_or_ok(be);
}

static gpureg_result null_fence_insert(void *be, uint64_t serial) {
    null_backend *nb = be;
    gpureg_result r = lost_or_ok(nb);
    if (r == GPUREG_OK) {
        nb->inserted = serial;
        atomic_store(&nb->ended, serial);
    }
    return r;
}

static gpureg_result null_fence_poll(void *be, uint64_t *completed) {
    null_backend *nb = be;
    *completed = atomic_load(&nb->signalled);
    return lost_or_ok(nb);
}

static gpureg_result null_fence_wait(void *be, uint64_t serial, uint64_t timeout_ns) {
    null_backend *nb = be;
    gpureg_result r = lost_or_ok(nb);
    if (r != GPUREG_OK) return r;
    return atomic_load(&nb->signalled) >= serial ? GPUREG_OK : GPUREG_ERR_TIMEOUT;
}

static void null_free(void *be) {
    null_backend *nb = be;
    gpureg__free(nb->reg, nb, sizeof *nb);
}

static const gpureg__backend_ops null_ops = {
    .name = "null",
    .texture_create = null_texture_create,
    .buffer_create = null_buffer_create,
    .object_create = null_object_create,
    .object_kinds = GPUREG__CREATABLE_KINDS,
    .object_destroy = null_destroy_object,
    .texture_write = null_texture_write,
    .buffer_write = null_buffer_write,
    .fence_insert = null_fence_insert,
    .fence_poll = null_fence_poll,
    .fence_wait = null_fence_wait,
    .destroy = null_free,
};

gpureg_result gpureg_null_create(const gpureg_registry_desc *desc, gpureg_registry **out) {
    if (!out) return GPUREG_ERR_NULL_POINTER;
    *out = NULL;
    gpureg_registry *reg;
    gpureg_result r = gpureg__registry_create(desc, &reg);
    if (r != GPUREG_OK) return r;
    null_backend *nb = gpureg__alloc(reg, sizeof *nb);
    if (!nb) {
        gpureg__registry_free(reg);
        return GPUREG_ERR_OUT_OF_MEMORY;
    }
    *nb = (null_backend){.reg = reg};
    gpureg__registry_attach(reg, &null_ops, nb);
    *out = reg;
    return GPUREG_OK;
}

static gpureg_result null_state(gpureg_registry *reg, null_backend **out, const char *fn) {
    if (!reg) return GPUREG_ERR_NULL_POINTER;
    *out = gpureg__backend_state(reg, &null_ops);
    return *out ? GPUREG_OK : gpureg__fail(reg, GPUREG_ERR_UNSUPPORTED, "%s: not a null registry", fn);
}

gpureg_result gpureg_null_signal(gpureg_registry *reg, uint64_t serial) {
    null_backend *nb;
    gpureg_result r = null_state(reg, &nb, "gpureg_null_signal");
    if (r != GPUREG_OK) return r;
    if (serial > atomic_load(&nb->ended))
        return gpureg__fail(reg, GPUREG_ERR_INVALID_ARGUMENT,
                            "gpureg_null_signal: frame %llu has not ended (last: %llu)", (unsigned long long)serial,
                            (unsigned long long)atomic_load(&nb->ended));
    uint64_t cur = atomic_load(&nb->signalled);
    while (serial > cur && !atomic_compare_exchange_weak(&nb->signalled, &cur, serial)) {
    }
    return GPUREG_OK;
}

gpureg_result gpureg_null_lose_device(gpureg_registry *reg) {
    null_backend *nb;
    gpureg_result r = null_state(reg, &nb, "gpureg_null_lose_device");
    if (r == GPUREG_OK) r = gpureg__check_owner(reg, "gpureg_null_lose_device");
    if (r == GPUREG_OK) {
        atomic_store(&nb->lost, 1);
        gpureg__set_device_lost(reg); /* as if the next driver call had reported it */
    }
    return r;
}
