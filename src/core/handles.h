/* handles.h — classifying handles (handles.c), for the other calls that take one. */
#ifndef GPUREG_HANDLES_H
#define GPUREG_HANDLES_H

#include "registry.h"

/* Classify a handle for this registry without touching a slot: OK or INVALID/FOREIGN/WRONG_TYPE. */
gpureg_result handle_check_bits(const gpureg_registry *reg, gpureg_handle h, gpureg_object_type expected);
/* Classify a handle against its slot's word: OK (alive) or the handle error. */
gpureg_result handle_check_word(gpureg_handle h, uint64_t word);
/* The slot of a handle whose bits check out (NULL: never issued). */
gpureg__slot *handle_slot(const gpureg_registry *reg, gpureg_handle h);

#endif /* GPUREG_HANDLES_H */
