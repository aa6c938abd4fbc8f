/* errors.h — which object the backend op running on this thread is about (errors.c). */
#ifndef GPUREG_ERRORS_H
#define GPUREG_ERRORS_H

#include "registry.h"

/* The handle a backend op is working on in this thread (gpureg__current_handle reads it);
 * set right before the op, cleared right after, so a message never names an object it is not
 * about. */
extern GPUREG_TLS gpureg_handle registry_current_handle;

#endif /* GPUREG_ERRORS_H */
