/* image_io.h — PNG in and out for the demo (stb_image / stb_image_write). */
#ifndef DEMO_IMAGE_IO_H
#define DEMO_IMAGE_IO_H

#include <stdint.h>

/* An RGBA8 image, rows top first, tightly packed. */
typedef struct demo_image {
    uint32_t width, height;
    uint8_t *pixels; /* width * height * 4 bytes, malloc'd */
} demo_image;

/* Load a PNG as RGBA8. Returns 0 on success; on failure prints why and returns -1. */
int demo_image_load(const char *path, demo_image *out);
/* Write RGBA8 rows (top first) as PNG. Returns 0 on success; on failure prints why and returns -1. */
int demo_image_write_png(const char *path, uint32_t width, uint32_t height, const uint8_t *rgba);
/* free(pixels) and zero the struct. */
void demo_image_free(demo_image *image);

#endif
