/* scene.h — the seeded, deterministic scene: a scrolling tiled background and sprites that move
 * as a function of the frame number only, so frame N looks the same on every API and every run.
 *
 * Every frame the scene streams textures through the registry: it creates and uploads new ones,
 * draws with them, and releases the oldest while the frame that last drew them may still be in
 * flight, plus a fresh vertex buffer released as soon as the frame is recorded. So the registry's
 * deferred destruction is at work on every frame, with whatever backend the renderer chose. */
#ifndef DEMO_SCENE_H
#define DEMO_SCENE_H

#include <gpureg/gpureg.h>
#include <stdint.h>

/* One vertex: pixel position (top-left origin), texture coordinate, tint. */
typedef struct scene_vertex {
    float x, y;
    float u, v;
    float r, g, b, a;
} scene_vertex;

/* A draw: `vertex_count` vertices (triangles) from `first_vertex`, sampling `texture`. */
typedef struct scene_draw {
    gpureg_texture texture;
    uint32_t first_vertex;
    uint32_t vertex_count;
} scene_draw;

/* What a renderer needs for one frame; valid until scene_frame_done. */
typedef struct scene_frame {
    uint64_t number; /* 1, 2, ... */
    uint32_t width, height;
    gpureg_buffer vertices; /* vertex_count scene_vertex, already uploaded */
    uint32_t vertex_count;
    const scene_draw *draws;
    uint32_t draw_count;
} scene_frame;

typedef struct scene scene;

typedef struct scene_config {
    uint64_t seed;
    const char *asset_dir; /* background.png, sprite0..3.png */
    int leak;              /* leak one labelled texture on purpose */
} scene_config;

/* Load the assets and create the static textures. Returns 0, or -1 after printing why. */
int scene_create(gpureg_registry *reg, const scene_config *config, scene **out);
/* Inside an open frame: stream this frame's textures, lay out and upload the vertices. */
int scene_update(scene *s, uint64_t frame_number, uint32_t width, uint32_t height, scene_frame *out);
/* After the renderer recorded the frame, still inside it: release what this frame retires. */
int scene_frame_done(scene *s);
/* Release every texture the scene holds (except the one leaked on purpose) and free the scene. */
void scene_destroy(scene *s);

#endif
