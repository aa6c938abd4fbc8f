/* errors.c — result names, the one funnel every failing call goes through, and which object the
 * current backend op is about (so a driver message raised inside it names that object). */
#include <stdarg.h>
#include <stdio.h>

#include "errors.h"

GPUREG_TLS gpureg_handle registry_current_handle;

gpureg_handle gpureg__current_handle(void) { return registry_current_handle; }

/* Thread identities are handed out in order at a thread's first owner check: 64 bits never wrap. */
static _Atomic uint64_t last_thread_identity;
GPUREG_TLS uint64_t registry_thread_id;

uint64_t registry_thread_identity(void) {
    if (POOL_LIKELY(registry_thread_id != 0)) return registry_thread_id;
    registry_thread_id = atomic_fetch_add_explicit(&last_thread_identity, 1, memory_order_relaxed) + 1u;
    return registry_thread_id;
}

const char *gpureg_result_string(gpureg_result result) {
    switch (result) {
#define GPUREG_RESULT_CASE(name, value, text)                                                                          \
    case GPUREG_##name:                                                                                                \
        return "GPUREG_" #name ": " text;
        GPUREG_RESULT_TABLE(GPUREG_RESULT_CASE)
#undef GPUREG_RESULT_CASE
    default:
        return "GPUREG_UNKNOWN_RESULT";
    }
}

static void log_v(const gpureg_registry *reg, gpureg_log_level level, gpureg_result result, const char *fmt,
                  va_list args) {
    if (!reg || !reg->desc.log) return;
    char line[512];
    vsnprintf(line, sizeof line, fmt, args);
    reg->desc.log(level, result, line, reg->desc.log_user);
}

gpureg_result gpureg__fail(const gpureg_registry *reg, gpureg_result result, const char *fmt, ...) {
    va_list args;
    va_start(args, fmt);
    log_v(reg, GPUREG_LOG_ERROR, result, fmt, args);
    va_end(args);
    return result;
}

void gpureg__log(const gpureg_registry *reg, gpureg_log_level level, const char *fmt, ...) {
    va_list args;
    va_start(args, fmt);
    log_v(reg, level, GPUREG_OK, fmt, args);
    va_end(args);
}

gpureg_result gpureg__check_owner(const gpureg_registry *reg, const char *function) {
    if (reg_is_owner(reg)) return GPUREG_OK;
    return gpureg__fail(reg, GPUREG_ERR_WRONG_THREAD,
                        "%s: called off the owner thread (the thread that created the registry)", function);
}

gpureg_result gpureg__check_device(const gpureg_registry *reg, const char *function) {
    if (!reg_is_lost(reg)) return GPUREG_OK;
    return gpureg__fail(reg, GPUREG_ERR_DEVICE_LOST, "%s: the device was lost", function);
}

void gpureg__set_device_lost(gpureg_registry *reg) {
    atomic_store_explicit(&reg->alive_key, GPUREG_FP_ALIVE_KEY | GPUREG_FP_KEY_LOST, memory_order_relaxed);
    /* A warning: what failed because of it says so in its own ERROR line. */
    if (atomic_exchange(&reg->lost, 1) == 0) gpureg__log(reg, GPUREG_LOG_WARNING, "gpureg: device lost");
}
