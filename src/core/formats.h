/* formats.h — per-format facts (formats.c). */
#ifndef GPUREG_FORMATS_H
#define GPUREG_FORMATS_H

#include <stdint.h>

#include "gpureg/gpureg.h"

/* Bytes per texel by format value; 16 entries, so any 4-bit packed format indexes it. The
 * public gpureg_format_texel_bytes reads it too. */
extern const uint8_t format_texel_bytes[16];

#endif /* GPUREG_FORMATS_H */
