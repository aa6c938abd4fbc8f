/* transfer.h — staging memory (transfer.c). */
#ifndef GPUREG_TRANSFER_H
#define GPUREG_TRANSFER_H

#include "registry.h"

/* Owner, at destroy: free every staging block the app did not. */
void staging_free_all(gpureg_registry *reg);

#endif /* GPUREG_TRANSFER_H */
