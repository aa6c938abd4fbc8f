/* imgcmp.c — compares two PNGs for the demo tests.
 *
 *   gpureg-demo-imgcmp A.png B.png [--tolerance T] [--min-percent P]
 *
 * Passes (exit 0) when both images have the same size and at least P percent of the pixels
 * (default 99.9) differ by at most T (default 2) in every RGBA channel. Always prints the
 * measured maximum channel difference and the share of pixels within T, so the figures in the
 * test log are measured, not assumed. Exit 1 on mismatch, 2 on bad arguments or unreadable files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wsign-conversion"
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wunused-function"
#define STB_IMAGE_IMPLEMENTATION
#define STBI_ONLY_PNG
#include <stb_image.h>
#pragma GCC diagnostic pop

static unsigned char *load(const char *path, int *w, int *h) {
    int channels = 0;
    unsigned char *px = stbi_load(path, w, h, &channels, 4);
    if (!px) fprintf(stderr, "imgcmp: cannot read %s: %s\n", path, stbi_failure_reason());
    return px;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s A.png B.png [--tolerance T] [--min-percent P]\n", argv[0]);
        return 2;
    }
    int tolerance = 2;
    double min_percent = 99.9;
    for (int i = 3; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--tolerance"))
            tolerance = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--min-percent"))
            min_percent = atof(argv[i + 1]);
        else {
            fprintf(stderr, "imgcmp: unknown option %s\n", argv[i]);
            return 2;
        }
    }
    int wa = 0, ha = 0, wb = 0, hb = 0;
    unsigned char *a = load(argv[1], &wa, &ha), *b = load(argv[2], &wb, &hb);
    if (!a || !b) return 2;
    if (wa != wb || ha != hb) {
        printf("imgcmp: FAIL %s is %dx%d but %s is %dx%d\n", argv[1], wa, ha, argv[2], wb, hb);
        return 1;
    }
    size_t pixels = (size_t)wa * (size_t)ha, within = 0;
    int max_diff = 0;
    for (size_t p = 0; p < pixels; p++) {
        int worst = 0;
        for (int c = 0; c < 4; c++) {
            int d = abs((int)a[p * 4u + (size_t)c] - (int)b[p * 4u + (size_t)c]);
            if (d > worst) worst = d;
        }
        if (worst > max_diff) max_diff = worst;
        if (worst <= tolerance) within++;
    }
    double percent = pixels ? 100.0 * (double)within / (double)pixels : 100.0;
    int ok = percent >= min_percent;
    printf("imgcmp: %s %s vs %s: %dx%d, max channel diff %d, %.4f%% of pixels within %d (need >= %.2f%%)\n",
           ok ? "PASS" : "FAIL", argv[1], argv[2], wa, ha, max_diff, percent, tolerance, min_percent);
    stbi_image_free(a);
    stbi_image_free(b);
    return ok ? 0 : 1;
}
