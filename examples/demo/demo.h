/* demo.h — what main.c, the scene and the two renderers agree on. */
#ifndef DEMO_DEMO_H
#define DEMO_DEMO_H

#include <gpureg/gpureg.h>
#include <stdint.h>

#include "scene.h"

/* Exit codes: documented in --help. */
enum {
    DEMO_EXIT_OK = 0,
    DEMO_EXIT_FAILURE = 1, /* a call failed, a GL/Vulkan error was reported, or something leaked */
    DEMO_EXIT_USAGE = 2,
    DEMO_EXIT_NO_DRIVER = 3 /* the graphics driver (or display) is missing: the message says what to install */
};

typedef enum demo_api { DEMO_API_GL = 1, DEMO_API_VULKAN = 2 } demo_api;

typedef struct demo_options {
    demo_api api;
    int headless;
    uint64_t frames; /* 0: until the window closes (windowed only) */
    uint32_t width, height;
    const char *screenshot; /* PNG of the last frame, or NULL */
    int leak;               /* leak one labelled texture on purpose */
    int validate;           /* Vulkan: enable VK_LAYER_KHRONOS_validation */
    uint64_t seed;
    uint32_t stats_every; /* frames between status lines / title updates */
    const char *asset_dir;
    uint32_t resize_width, resize_height; /* --resize: new size halfway through, 0 = none */
} demo_options;

/* A renderer: GL (render_gl.c) or Vulkan (render_vk.c). Both render into an offscreen colour
 * target of the current size and, when windowed, copy it to the window, so the headless image and
 * the window show the same pixels. Every function returns a DEMO_EXIT_* code unless noted. */
typedef struct demo_renderer {
    const char *name;
    /* Open the context/device and create the registry on it with `desc`. */
    int (*open)(const demo_options *opt, const gpureg_registry_desc *desc, void **state, gpureg_registry **reg);
    /* Handle window events. Returns 0 when the user asked to quit; *width and *height get the size to
     * render at (the framebuffer size when windowed). */
    int (*poll)(void *state, uint32_t *width, uint32_t *height);
    /* Before gpureg_frame_begin: wait until the GPU is done with the frame that last used this
     * frame's resources (Vulkan: the slot's fence), so frame_begin sees it signalled. */
    int (*wait_frame)(void *state);
    /* Record, submit (and present) one frame: runs between gpureg_frame_begin and end_frame. */
    int (*draw)(void *state, const scene_frame *frame);
    /* Close the registry's frame with what signals when the GPU finished it. */
    gpureg_result (*end_frame)(void *state);
    /* Read the last frame as RGBA8, top row first, into width*height*4 bytes (the last size). */
    int (*read_pixels)(void *state, uint8_t *rgba);
    /* Change the size: the window's (the next poll reports the new framebuffer size) or, headless,
     * the offscreen target's. */
    void (*resize)(void *state, uint32_t width, uint32_t height);
    /* Show a status line (window title); headless renderers ignore it. */
    void (*set_status)(void *state, const char *text);
    /* Wait until the GPU is idle and release the renderer's own gpureg objects (render target),
     * before the scene releases everything and the registry is destroyed. */
    void (*finish)(void *state);
    /* Free everything; runs after gpureg_destroy. */
    void (*close)(void *state);
} demo_renderer;

extern const demo_renderer demo_renderer_gl;
extern const demo_renderer demo_renderer_vk;

/* Packages named by the missing-driver messages. */
#define DEMO_GL_PACKAGES     "libegl1 libegl-mesa0 libgl1-mesa-dri libopengl0"
#define DEMO_VK_PACKAGES     "libvulkan1 mesa-vulkan-drivers"
#define DEMO_WINDOW_PACKAGES "libglfw3 (and an X server: run under `xvfb-run -a`, package xvfb)"

#endif
