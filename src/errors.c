/* errors.c — result names, format facts, and the one funnel every failing call goes through. */
#include <stdarg.h>
#include <stdio.h>

#include "registry.h"

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

static const char *const format_names[GPUREG_FORMAT_COUNT] = {
    [GPUREG_FORMAT_UNDEFINED] = "undefined",
    [GPUREG_FORMAT_RGBA8_UNORM] = "rgba8_unorm",
    [GPUREG_FORMAT_RGBA8_SRGB] = "rgba8_srgb",
    [GPUREG_FORMAT_BGRA8_UNORM] = "bgra8_unorm",
    [GPUREG_FORMAT_R8_UNORM] = "r8_unorm",
    [GPUREG_FORMAT_RG8_UNORM] = "rg8_unorm",
    [GPUREG_FORMAT_RGBA16_FLOAT] = "rgba16_float",
    [GPUREG_FORMAT_RGBA32_FLOAT] = "rgba32_float",
    [GPUREG_FORMAT_D24_UNORM_S8_UINT] = "d24_unorm_s8_uint",
    [GPUREG_FORMAT_D32_FLOAT] = "d32_float",
};

const uint8_t registry_texel_bytes[16] = {
    [GPUREG_FORMAT_RGBA8_UNORM] = 4,   [GPUREG_FORMAT_RGBA8_SRGB] = 4,        [GPUREG_FORMAT_BGRA8_UNORM] = 4,
    [GPUREG_FORMAT_R8_UNORM] = 1,      [GPUREG_FORMAT_RG8_UNORM] = 2,         [GPUREG_FORMAT_RGBA16_FLOAT] = 8,
    [GPUREG_FORMAT_RGBA32_FLOAT] = 16, [GPUREG_FORMAT_D24_UNORM_S8_UINT] = 4, [GPUREG_FORMAT_D32_FLOAT] = 4,
};

uint32_t gpureg_format_texel_bytes(gpureg_format format) {
    return ((unsigned)format < GPUREG_FORMAT_COUNT) ? registry_texel_bytes[format] : 0;
}

const char *gpureg_format_name(gpureg_format format) {
    return ((unsigned)format < GPUREG_FORMAT_COUNT) ? format_names[format] : "undefined";
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
    atomic_store_explicit(&reg->usable_tag, USABLE_TAG_LOST, memory_order_relaxed);
    if (atomic_exchange(&reg->lost, 1) == 0) gpureg__log(reg, GPUREG_LOG_ERROR, "gpureg: device lost");
}
