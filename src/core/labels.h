/* labels.h — copying labels (labels.c). */
#ifndef GPUREG_LABELS_H
#define GPUREG_LABELS_H

#include "registry.h"

/* A copy of label in the registry's memory, cut to GPUREG_MAX_LABEL_LENGTH bytes on a UTF-8
 * character boundary; *out_length is its length. NULL when out of memory. Free it with
 * label_free. Any thread. */
char *label_copy(gpureg_registry *reg, const char *label, size_t *out_length);
void label_free(gpureg_registry *reg, char *label);
/* At registry teardown: the blocks kept for reuse. */
void labels_free_all(gpureg_registry *reg);

#endif /* GPUREG_LABELS_H */
