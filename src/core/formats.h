/* formats.h — per-format facts (formats.c). */
#ifndef GPUREG_FORMATS_H
#define GPUREG_FORMATS_H

#include <stdint.h>

#include "gpureg/gpureg.h"

/* Bytes per texel by format value; 16 entries, so any 4-bit packed format indexes it. The
 * public gpureg_format_texel_bytes reads it too. */
extern const uint8_t format_texel_bytes[16];

/* Depth, depth-stencil and stencil-only formats: attachments of that kind, never colour. */
static inline int format_is_depth_or_stencil(gpureg_format f) {
    return f == GPUREG_FORMAT_D24_UNORM_S8_UINT || f == GPUREG_FORMAT_D32_FLOAT || f == GPUREG_FORMAT_S8_UINT;
}

#endif /* GPUREG_FORMATS_H */
