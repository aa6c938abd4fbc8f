/* make_assets.c — draws the demo's art at build time: a 32x32 background tile and four 32x32
 * sprites, written as PNG into the directory given on the command line. Everything is computed
 * from integer formulas, so the images are identical on every machine and nothing is committed.
 * Sprite alpha is 0 or 255 except for a ring of half-transparent texels, so blending is exercised
 * without depending on how an API rounds antialiased edges. */
#include "image_io.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SIZE 32

static void put(uint8_t *px, int x, int y, uint8_t r, uint8_t g, uint8_t b, uint8_t a) {
    uint8_t *p = px + ((size_t)y * SIZE + (size_t)x) * 4u;
    p[0] = r;
    p[1] = g;
    p[2] = b;
    p[3] = a;
}

/* Dark blue bricks with lighter mortar: reads as a tiled floor when repeated. */
static void draw_background(uint8_t *px) {
    for (int y = 0; y < SIZE; y++) {
        for (int x = 0; x < SIZE; x++) {
            int row = y / 8, shift = (row % 2) * 8;
            int mortar = (y % 8 == 0) || ((x + shift) % 16 == 0);
            uint8_t shade = (uint8_t)(40 + ((x * 7 + y * 13) % 11));
            if (mortar)
                put(px, x, y, 70, 80, 110, 255);
            else
                put(px, x, y, (uint8_t)(shade / 2), (uint8_t)(shade / 2 + 6), (uint8_t)(shade + 30), 255);
        }
    }
}

/* Shape k: 0 disc, 1 diamond, 2 ring, 3 cross; each white-ish with a shaded rim so tints show. */
static void draw_sprite(uint8_t *px, int k) {
    memset(px, 0, SIZE * SIZE * 4);
    for (int y = 0; y < SIZE; y++) {
        for (int x = 0; x < SIZE; x++) {
            int dx = 2 * x + 1 - SIZE, dy = 2 * y + 1 - SIZE; /* doubled offsets from the centre */
            int d2 = dx * dx + dy * dy, manhattan = abs(dx) + abs(dy);
            int inside = 0, edge = 0;
            switch (k) {
            case 0:
                inside = d2 <= 28 * 28;
                edge = !inside && d2 <= 31 * 31;
                break;
            case 1:
                inside = manhattan <= 26;
                edge = !inside && manhattan <= 30;
                break;
            case 2:
                inside = d2 <= 28 * 28 && d2 >= 14 * 14;
                edge = !inside && d2 <= 31 * 31 && d2 >= 11 * 11;
                break;
            default:
                inside = (abs(dx) <= 8 || abs(dy) <= 8) && manhattan <= 44;
                edge = !inside && (abs(dx) <= 12 || abs(dy) <= 12) && manhattan <= 48;
                break;
            }
            uint8_t light = (uint8_t)(255 - (d2 * 96) / (31 * 31 * 2));
            if (inside)
                put(px, x, y, light, light, light, 255);
            else if (edge)
                put(px, x, y, 255, 255, 255, 128);
        }
    }
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s OUTPUT_DIR\n", argv[0]);
        return 2;
    }
    uint8_t px[SIZE * SIZE * 4];
    char path[4096];
    draw_background(px);
    snprintf(path, sizeof path, "%s/background.png", argv[1]);
    if (demo_image_write_png(path, SIZE, SIZE, px) != 0) return 1;
    for (int k = 0; k < 4; k++) {
        draw_sprite(px, k);
        snprintf(path, sizeof path, "%s/sprite%d.png", argv[1], k);
        if (demo_image_write_png(path, SIZE, SIZE, px) != 0) return 1;
    }
    return 0;
}
