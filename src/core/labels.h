/* labels.h — copying labels (labels.c). */
#ifndef GPUREG_LABELS_H
#define GPUREG_LABELS_H

#include "registry.h"

/* A copy of label in the registry's memory, cut to GPUREG_MAX_LABEL_LENGTH bytes on a UTF-8
 * character boundary; *out_size is the bytes to free. NULL when out of memory. */
char *label_copy(gpureg_registry *reg, const char *label, size_t *out_size);

#endif /* GPUREG_LABELS_H */
