/* image_io.c — the one translation unit that compiles stb_image and stb_image_write. */
#include "image_io.h"

#include <stdio.h>
#include <stdlib.h>

/* stb is third-party code: its own warnings are not ours to fix. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wsign-conversion"
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wconversion"
#define STB_IMAGE_IMPLEMENTATION
#define STBI_ONLY_PNG
#include <stb_image.h>
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb_image_write.h>
#pragma GCC diagnostic pop

int demo_image_load(const char *path, demo_image *out) {
    int w = 0, h = 0, channels = 0;
    stbi_uc *pixels = stbi_load(path, &w, &h, &channels, 4);
    if (!pixels) {
        fprintf(stderr, "gpureg-demo: cannot load %s: %s\n", path, stbi_failure_reason());
        return -1;
    }
    out->width = (uint32_t)w;
    out->height = (uint32_t)h;
    out->pixels = pixels;
    return 0;
}

int demo_image_write_png(const char *path, uint32_t width, uint32_t height, const uint8_t *rgba) {
    if (!stbi_write_png(path, (int)width, (int)height, 4, rgba, (int)(width * 4u))) {
        fprintf(stderr, "gpureg-demo: cannot write %s\n", path);
        return -1;
    }
    return 0;
}

void demo_image_free(demo_image *image) {
    stbi_image_free(image->pixels);
    image->pixels = NULL;
    image->width = image->height = 0;
}
