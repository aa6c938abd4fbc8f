/* driver_name.h — the driver-side name of an object (driver_name.c). */
#ifndef GPUREG_DRIVER_NAME_H
#define GPUREG_DRIVER_NAME_H

#include "registry.h"

/* `gpureg 0x<handle> "<label>" @ file:line (function)` into buf, truncated at cap
 * (GPUREG__DRIVER_NAME_SIZE is enough); gpureg__handle_from_text reads the handle back. label
 * may be NULL (then label_length is ignored): "". */
void object_driver_name(const gpureg_registry *reg, gpureg_handle h, const char *label, size_t label_length,
                        uint32_t site, char *buf, size_t cap);

#endif /* GPUREG_DRIVER_NAME_H */
