/* object_desc.h — checking, packing and sizing object descs (object_desc.c). */
#ifndef GPUREG_OBJECT_DESC_H
#define GPUREG_OBJECT_DESC_H

#include "registry.h"

/* Apply the documented defaults of `in` into `d` and check it; the result names what is wrong. */
gpureg_result object_check_texture(const gpureg_registry *reg, const char *fn, const gpureg_texture_desc *in,
                                   gpureg_texture_desc *d);
gpureg_result object_check_buffer(const gpureg_registry *reg, const char *fn, const gpureg_buffer_desc *in,
                                  gpureg_buffer_desc *d);
/* A checked desc as the 64-bit value a slot keeps (labels are kept apart). */
uint64_t object_pack_texture(const gpureg_texture_desc *d);
uint64_t object_pack_buffer(const gpureg_buffer_desc *d);
void object_unpack(uint32_t type, uint64_t packed_desc, gpureg_texture_desc *tex, gpureg_buffer_desc *buf);
uint64_t object_bytes(uint32_t type, uint64_t packed_desc);

#endif /* GPUREG_OBJECT_DESC_H */
