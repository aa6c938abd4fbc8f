/* formats.c — facts about each gpureg_format: its name and bytes per texel. */
#include "formats.h"

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
    [GPUREG_FORMAT_S8_UINT] = "s8_uint",
};

const uint8_t format_texel_bytes[16] = {
    [GPUREG_FORMAT_RGBA8_UNORM] = 4,   [GPUREG_FORMAT_RGBA8_SRGB] = 4,        [GPUREG_FORMAT_BGRA8_UNORM] = 4,
    [GPUREG_FORMAT_R8_UNORM] = 1,      [GPUREG_FORMAT_RG8_UNORM] = 2,         [GPUREG_FORMAT_RGBA16_FLOAT] = 8,
    [GPUREG_FORMAT_RGBA32_FLOAT] = 16, [GPUREG_FORMAT_D24_UNORM_S8_UINT] = 4, [GPUREG_FORMAT_D32_FLOAT] = 4,
    [GPUREG_FORMAT_S8_UINT] = 1,
};

uint32_t gpureg_format_texel_bytes(gpureg_format format) {
    return ((unsigned)format < GPUREG_FORMAT_COUNT) ? format_texel_bytes[format] : 0;
}

const char *gpureg_format_name(gpureg_format format) {
    return ((unsigned)format < GPUREG_FORMAT_COUNT) ? format_names[format] : "undefined";
}
