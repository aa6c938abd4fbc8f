/* Links against an installed gpureg and proves it works: a texture is created, released after
 * its fence, and the registry reports no leak. */
#include <gpureg/gpureg.h>
#include <stdio.h>

int main(void) {
    gpureg_registry *reg = NULL;
    gpureg_registry_desc rd = {.report_format = GPUREG_REPORT_OFF};
    if (gpureg_null_create(&rd, &reg) != GPUREG_OK) return 1;
    gpureg_texture t;
    gpureg_texture_desc td = {.width = 8, .height = 8, .format = GPUREG_FORMAT_RGBA8_UNORM};
    if (gpureg_texture_create(reg, &td, &t) != GPUREG_OK) return 2;
    if (gpureg_frame_begin(reg) != GPUREG_OK || gpureg_texture_release(reg, t) != GPUREG_OK) return 3;
    if (gpureg_frame_end(reg) != GPUREG_OK || gpureg_null_signal(reg, 1) != GPUREG_OK) return 4;
    uint32_t destroyed = 0;
    if (gpureg_collect(reg, &destroyed) != GPUREG_OK || destroyed != 1) return 5;
    int leaks = gpureg_destroy(reg);
    printf("consumer: destroyed %u, leaks %d\n", destroyed, leaks);
    return leaks == 0 ? 0 : 6;
}
