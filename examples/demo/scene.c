/* scene.c — the deterministic scene and its texture streaming (see scene.h). Layout and texture
 * contents depend only on the seed and the frame number, never on timing or on earlier frames, so
 * a headless run of N frames on GL and on Vulkan ends with the same picture. */
#include "scene.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image_io.h"

#define TILE             32u /* background tile and sprite size, texels */
#define SPRITE_KINDS     4u
#define SPRITE_COUNT     24u
#define STREAM_PER_FRAME 3u /* textures created and uploaded every frame */
#define STREAM_LIFETIME  8u /* frames a streamed texture is drawn before it is released */
#define DRAW_COUNT       (1u + SPRITE_COUNT)
#define VERTEX_COUNT     (6u * DRAW_COUNT)

typedef struct sprite {
    int64_t x0, y0, vx, vy; /* position at frame 0 and velocity, pixels */
    uint32_t scale;         /* 1 or 2 */
    float tint[4];
    int streamed; /* draws with a streamed texture instead of a static one */
    uint32_t kind;
} sprite;

struct scene {
    gpureg_registry *reg;
    gpureg_texture background;
    gpureg_texture sprites[SPRITE_KINDS];
    demo_image sprite_images[SPRITE_KINDS];
    /* streamed[k % STREAM_LIFETIME][j]: texture j created at frame k. */
    gpureg_texture streamed[STREAM_LIFETIME][STREAM_PER_FRAME];
    uint64_t streamed_frame[STREAM_LIFETIME];
    gpureg_texture leaked;
    gpureg_buffer vertex_buffer; /* this frame's, released in scene_frame_done */
    uint64_t frame;
    sprite sprite[SPRITE_COUNT];
    scene_vertex vertices[VERTEX_COUNT];
    scene_draw draws[DRAW_COUNT];
};

static int check(gpureg_result r, const char *what) {
    if (r == GPUREG_OK) return 0;
    fprintf(stderr, "gpureg-demo: %s failed: %s\n", what, gpureg_result_string(r));
    return -1;
}

/* splitmix64: a tiny seeded generator whose sequence is the same everywhere. */
static uint64_t next_random(uint64_t *state) {
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static int64_t random_range(uint64_t *state, int64_t lo, int64_t hi) {
    return lo + (int64_t)(next_random(state) % (uint64_t)(hi - lo + 1));
}

/* Position on a path that bounces between 0 and `range`, as a triangle wave of t. */
static int64_t bounce(int64_t t, int64_t range) {
    if (range <= 0) return 0;
    int64_t m = t % (2 * range);
    if (m < 0) m += 2 * range;
    return m <= range ? m : 2 * range - m;
}

static int upload_rgba(gpureg_registry *reg, gpureg_texture tex, uint32_t w, uint32_t h, const uint8_t *rgba) {
    gpureg_texture_region region = {0}; /* whole level 0 */
    return check(gpureg_texture_write(reg, tex, &region, rgba, (size_t)w * h * 4u, 0), "gpureg_texture_write");
}

static int load_texture(scene *s, const char *dir, const char *name, demo_image *keep, gpureg_texture *out) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    demo_image image;
    if (demo_image_load(path, &image) != 0) return -1;
    gpureg_texture_desc desc = {
        .width = image.width, .height = image.height, .format = GPUREG_FORMAT_RGBA8_UNORM, .label = name};
    int rc = check(gpureg_texture_create(s->reg, &desc, out), "create static texture");
    if (rc == 0) rc = upload_rgba(s->reg, *out, image.width, image.height, image.pixels);
    if (keep)
        *keep = image;
    else
        demo_image_free(&image);
    return rc;
}

/* The texels of streamed texture j of frame k: a sprite shape recoloured with a colour of its
 * own and a band that moves with k, so each frame's new textures are visibly new. */
static void streamed_texels(const scene *s, uint64_t k, uint32_t j, uint8_t *out) {
    const demo_image *base = &s->sprite_images[(k + j) % SPRITE_KINDS];
    uint32_t hue = (uint32_t)((k * 37u + j * 101u) % 6u);
    static const uint8_t colours[6][3] = {{255, 96, 64},  {255, 208, 64},  {96, 255, 96},
                                          {64, 224, 255}, {128, 128, 255}, {255, 112, 224}};
    for (uint32_t y = 0; y < TILE; y++) {
        int band = ((y + (uint32_t)k) % 8u) < 2u;
        for (uint32_t x = 0; x < TILE; x++) {
            const uint8_t *src = base->pixels + ((size_t)y * TILE + x) * 4u;
            uint8_t *dst = out + ((size_t)y * TILE + x) * 4u;
            for (int c = 0; c < 3; c++) {
                unsigned v = (unsigned)src[c] * colours[hue][c] / 255u;
                dst[c] = (uint8_t)(band ? v / 2u : v);
            }
            dst[3] = src[3];
        }
    }
}

static int stream_textures(scene *s, uint64_t k) {
    uint32_t ring = (uint32_t)(k % STREAM_LIFETIME);
    uint8_t texels[TILE * TILE * 4];
    for (uint32_t j = 0; j < STREAM_PER_FRAME; j++) {
        char label[64];
        snprintf(label, sizeof label, "streamed frame %" PRIu64 " #%u", k, j);
        gpureg_texture_desc desc = {.width = TILE, .height = TILE, .format = GPUREG_FORMAT_RGBA8_UNORM, .label = label};
        if (check(gpureg_texture_create(s->reg, &desc, &s->streamed[ring][j]), "create streamed texture") != 0)
            return -1;
        streamed_texels(s, k, j, texels);
        if (upload_rgba(s->reg, s->streamed[ring][j], TILE, TILE, texels) != 0) return -1;
    }
    s->streamed_frame[ring] = k;
    return 0;
}

static void release_streamed(scene *s, uint32_t ring) {
    for (uint32_t j = 0; j < STREAM_PER_FRAME; j++) {
        if (s->streamed[ring][j].id) gpureg_texture_release(s->reg, s->streamed[ring][j]);
        s->streamed[ring][j].id = 0;
    }
}

static void make_sprites(scene *s, uint64_t seed) {
    uint64_t rng = seed;
    static const float tints[4][4] = {
        {1.0f, 1.0f, 1.0f, 1.0f}, {1.0f, 0.8f, 0.6f, 1.0f}, {0.6f, 0.8f, 1.0f, 1.0f}, {0.8f, 1.0f, 0.6f, 1.0f}};
    for (uint32_t i = 0; i < SPRITE_COUNT; i++) {
        sprite *sp = &s->sprite[i];
        sp->x0 = random_range(&rng, 0, 4095);
        sp->y0 = random_range(&rng, 0, 4095);
        sp->vx = random_range(&rng, 1, 4) * (random_range(&rng, 0, 1) ? 1 : -1);
        sp->vy = random_range(&rng, 1, 4) * (random_range(&rng, 0, 1) ? 1 : -1);
        sp->scale = (uint32_t)random_range(&rng, 1, 2);
        memcpy(sp->tint, tints[random_range(&rng, 0, 3)], sizeof sp->tint);
        sp->streamed = (int)(i % 2u);
        sp->kind = (uint32_t)random_range(&rng, 0, SPRITE_KINDS - 1);
    }
}

int scene_create(gpureg_registry *reg, const scene_config *config, scene **out) {
    scene *s = calloc(1, sizeof *s);
    if (!s) return -1;
    s->reg = reg;
    *out = s;
    make_sprites(s, config->seed);
    if (load_texture(s, config->asset_dir, "background.png", NULL, &s->background) != 0) return -1;
    for (uint32_t k = 0; k < SPRITE_KINDS; k++) {
        char name[32];
        snprintf(name, sizeof name, "sprite%u.png", k);
        if (load_texture(s, config->asset_dir, name, &s->sprite_images[k], &s->sprites[k]) != 0) return -1;
        if (s->sprite_images[k].width != TILE || s->sprite_images[k].height != TILE) {
            fprintf(stderr, "gpureg-demo: %s is not %ux%u\n", name, TILE, TILE);
            return -1;
        }
    }
    if (config->leak) {
        /* Leaked on purpose: never released, so the report at exit names it, this line and its size. */
        gpureg_texture_desc desc = {
            .width = 64, .height = 64, .format = GPUREG_FORMAT_RGBA8_UNORM, .label = "leaked on purpose (--leak)"};
        if (check(gpureg_texture_create(reg, &desc, &s->leaked), "create the leaked texture") != 0) return -1;
    }
    return 0;
}

static void quad(scene_vertex *v, float x0, float y0, float x1, float y1, float u0, float v0, float u1, float v1,
                 const float tint[4]) {
    const float corners[6][4] = {{x0, y0, u0, v0}, {x1, y0, u1, v0}, {x0, y1, u0, v1},
                                 {x1, y0, u1, v0}, {x1, y1, u1, v1}, {x0, y1, u0, v1}};
    for (int i = 0; i < 6; i++)
        v[i] = (scene_vertex){corners[i][0], corners[i][1], corners[i][2], corners[i][3],
                              tint[0],       tint[1],       tint[2],       tint[3]};
}

/* The texture sprite i draws with at frame n: streamed sprites cycle through the textures still
 * alive, oldest to newest, so textures released this frame were drawn this frame. */
static gpureg_texture sprite_texture(const scene *s, uint32_t i, uint64_t n) {
    const sprite *sp = &s->sprite[i];
    uint64_t age = (i / 2u) % STREAM_LIFETIME;
    if (!sp->streamed || n <= age) return s->sprites[sp->kind];
    uint64_t k = n - age;
    return s->streamed[k % STREAM_LIFETIME][(i / 2u) % STREAM_PER_FRAME];
}

static void layout(scene *s, uint64_t n, uint32_t width, uint32_t height) {
    static const float white[4] = {1.0f, 1.0f, 1.0f, 1.0f};
    float w = (float)width, h = (float)height;
    /* Background: one quad whose texture coordinates repeat the tile and scroll with the frame. */
    float sx = (float)(n % TILE), sy = (float)((n / 2u) % TILE);
    quad(s->vertices, 0.0f, 0.0f, w, h, sx / TILE, sy / TILE, (w + sx) / TILE, (h + sy) / TILE, white);
    s->draws[0] = (scene_draw){s->background, 0, 6};
    /* Sprites on whole pixels, so no edge ever lies on a pixel centre and both APIs cover the same
     * pixels whatever their tie-breaking rule. */
    for (uint32_t i = 0; i < SPRITE_COUNT; i++) {
        const sprite *sp = &s->sprite[i];
        int64_t size = (int64_t)(TILE * sp->scale);
        float x = (float)bounce(sp->x0 + sp->vx * (int64_t)n, (int64_t)width - size);
        float y = (float)bounce(sp->y0 + sp->vy * (int64_t)n, (int64_t)height - size);
        scene_vertex *v = s->vertices + 6u * (1u + i);
        quad(v, x, y, x + (float)size, y + (float)size, 0.0f, 0.0f, 1.0f, 1.0f, sp->tint);
        s->draws[1u + i] = (scene_draw){sprite_texture(s, i, n), 6u * (1u + i), 6};
    }
}

int scene_update(scene *s, uint64_t frame_number, uint32_t width, uint32_t height, scene_frame *out) {
    s->frame = frame_number;
    if (stream_textures(s, frame_number) != 0) return -1;
    layout(s, frame_number, width, height);

    char label[64];
    snprintf(label, sizeof label, "vertices frame %" PRIu64, frame_number);
    gpureg_buffer_desc desc = {.size = sizeof s->vertices, .label = label};
    if (check(gpureg_buffer_create(s->reg, &desc, &s->vertex_buffer), "create vertex buffer") != 0) return -1;
    if (check(gpureg_buffer_write(s->reg, s->vertex_buffer, 0, s->vertices, sizeof s->vertices),
              "gpureg_buffer_write") != 0)
        return -1;
    *out = (scene_frame){.number = frame_number,
                         .width = width,
                         .height = height,
                         .vertices = s->vertex_buffer,
                         .vertex_count = VERTEX_COUNT,
                         .draws = s->draws,
                         .draw_count = DRAW_COUNT};
    return 0;
}

int scene_frame_done(scene *s) {
    /* The frame just recorded is still in flight: these releases only queue the objects, and the
     * registry destroys them once this frame's fence has signalled. */
    int rc = check(gpureg_buffer_release(s->reg, s->vertex_buffer), "release vertex buffer");
    s->vertex_buffer.id = 0;
    uint64_t oldest = s->frame + 1u - STREAM_LIFETIME;
    if (s->frame + 1u > STREAM_LIFETIME) {
        uint32_t ring = (uint32_t)(oldest % STREAM_LIFETIME);
        if (s->streamed_frame[ring] == oldest) release_streamed(s, ring);
    }
    return rc;
}

void scene_destroy(scene *s) {
    if (!s) return;
    if (s->vertex_buffer.id) gpureg_buffer_release(s->reg, s->vertex_buffer);
    for (uint32_t ring = 0; ring < STREAM_LIFETIME; ring++)
        release_streamed(s, ring);
    if (s->background.id) gpureg_texture_release(s->reg, s->background);
    for (uint32_t k = 0; k < SPRITE_KINDS; k++) {
        if (s->sprites[k].id) gpureg_texture_release(s->reg, s->sprites[k]);
        demo_image_free(&s->sprite_images[k]);
    }
    free(s);
}
