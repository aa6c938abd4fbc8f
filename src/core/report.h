/* report.h — the report at destroy (report.c). */
#ifndef GPUREG_REPORT_H
#define GPUREG_REPORT_H

#include "registry.h"

/* Print the leak report as the desc and environment say; returns the live count. */
int report_at_destroy(gpureg_registry *reg);

#endif /* GPUREG_REPORT_H */
