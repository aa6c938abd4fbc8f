/* render_gl.c — the OpenGL 3.3 core renderer: EGL surfaceless when headless, a GLFW window
 * otherwise. It always draws into an FBO whose colour texture is a gpureg texture (so a resize
 * releases the old target while the GPU may still be writing it), then blits to the window. */
#define GL_GLEXT_PROTOTYPES 1
#include <GL/glcorearb.h>
#include <gpureg/gpureg_gl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo.h"
#include "platform_egl.h"
#include "sprite_frag.h"
#include "sprite_vert.h"
#include "window.h"

#define SLOTS 2u /* frames in flight, as the Vulkan renderer */

typedef struct gl_state {
    demo_options opt;
    demo_egl egl;
    GLFWwindow *window;
    gpureg_registry *reg;
    /* Program, vertex array and sampler live as long as the renderer: gpureg objects marked
     * expected at shutdown, deleted by gpureg_destroy and never reported as leaks. */
    gpureg_object program_obj, vao_obj, sampler_obj;
    GLuint program, vao, sampler, fbo;
    GLint loc_viewport, loc_texture;
    /* The render target as one unit: texture, depth-stencil renderbuffer and framebuffer, which
     * gpureg destroys together after the fence of the last frame that drew into them. */
    gpureg_render_target unit;
    gpureg_texture target;
    uint32_t target_w, target_h;
    /* The demo's own pacing: GL queues frames without limit, so the CPU waits for the frame two
     * back before it starts a new one, as a swap interval would. */
    GLsync done[SLOTS];
    uint32_t slot;
} gl_state;

static int gl_failed(const char *what) {
    fprintf(stderr, "gpureg-demo: %s\n", what);
    return DEMO_EXIT_FAILURE;
}

static int gl_check(gpureg_result r, const char *what) {
    if (r == GPUREG_OK) return DEMO_EXIT_OK;
    fprintf(stderr, "gpureg-demo: %s: %s\n", what, gpureg_result_string(r));
    return DEMO_EXIT_FAILURE;
}

/* The GL path compiles the shared source with the #version its context wants; gpureg's log
 * (the demo prints it) carries the driver's info log when it does not compile. */
static gpureg_result compile(gl_state *s, gpureg_shader_stage stage, const char *source, const char *label,
                             gpureg_object *out) {
    static const char version[] = "#version 330 core\n";
    size_t size = sizeof version - 1 + strlen(source);
    char *code = malloc(size);
    if (!code) return GPUREG_ERR_OUT_OF_MEMORY;
    memcpy(code, version, sizeof version - 1);
    memcpy(code + sizeof version - 1, source, size - (sizeof version - 1));
    gpureg_shader_desc desc = {.stage = stage, .code = code, .code_size = size, .label = label};
    gpureg_result r = gpureg_shader_create(s->reg, &desc, out);
    free(code);
    return r;
}

/* GLSL 3.30 fixes the attribute and output locations in the source, so nothing needs binding
 * before the link. The shaders are released once linked: gpureg deletes them after the fence. */
static int make_program(gl_state *s) {
    gpureg_object shaders[2] = {{0}, {0}};
    gpureg_result r = compile(s, GPUREG_STAGE_VERTEX, sprite_vert_glsl, "sprite.vert", &shaders[0]);
    if (r == GPUREG_OK) r = compile(s, GPUREG_STAGE_FRAGMENT, sprite_frag_glsl, "sprite.frag", &shaders[1]);
    if (r == GPUREG_OK) {
        gpureg_program_desc desc = {
            .shaders = shaders, .shader_count = 2, .label = "sprite", .flags = GPUREG_OBJECT_EXPECTED_AT_SHUTDOWN};
        r = gpureg_program_create(s->reg, &desc, &s->program_obj);
    }
    for (int i = 0; i < 2; i++)
        if (shaders[i].id) gpureg_release(s->reg, shaders[i].id);
    if (r == GPUREG_OK) r = gpureg_gl_object_name(s->reg, s->program_obj, &s->program, NULL);
    if (gl_check(r, "sprite program") != DEMO_EXIT_OK) return DEMO_EXIT_FAILURE;
    s->loc_viewport = glGetUniformLocation(s->program, "u_viewport_size");
    s->loc_texture = glGetUniformLocation(s->program, "u_texture");
    return DEMO_EXIT_OK;
}

/* Nearest and repeat, as the Vulkan sampler: the two APIs must produce the same texels. */
static int make_vertex_array_and_sampler(gl_state *s) {
    gpureg_vertex_array_desc vd = {.label = "sprite vertices", .flags = GPUREG_OBJECT_EXPECTED_AT_SHUTDOWN};
    gpureg_result r = gpureg_vertex_array_create(s->reg, &vd, &s->vao_obj);
    if (r == GPUREG_OK) r = gpureg_gl_object_name(s->reg, s->vao_obj, &s->vao, NULL);
    gpureg_sampler_desc sd = {.state = {.min_filter = GPUREG_FILTER_NEAREST,
                                        .mag_filter = GPUREG_FILTER_NEAREST,
                                        .mip_filter = GPUREG_MIP_FILTER_NONE,
                                        .wrap_u = GPUREG_WRAP_REPEAT,
                                        .wrap_v = GPUREG_WRAP_REPEAT},
                              .label = "sprite sampler",
                              .flags = GPUREG_OBJECT_EXPECTED_AT_SHUTDOWN};
    if (r == GPUREG_OK) r = gpureg_sampler_create(s->reg, &sd, &s->sampler_obj);
    if (r == GPUREG_OK) r = gpureg_gl_object_name(s->reg, s->sampler_obj, &s->sampler, NULL);
    return gl_check(r, "vertex array and sampler");
}

static int gl_open(const demo_options *opt, const gpureg_registry_desc *desc, void **out, gpureg_registry **reg) {
    gl_state *s = calloc(1, sizeof *s);
    if (!s) return DEMO_EXIT_FAILURE;
    s->opt = *opt;
    *out = s;
    int rc = opt->headless ? demo_egl_open(&s->egl) : demo_window_open(opt, &s->window);
    if (rc != DEMO_EXIT_OK) return rc;
    gpureg_gl_desc gd = {.get_proc_address = opt->headless ? demo_egl_get_proc_address()
                                                           : (gpureg_gl_get_proc_address_fn)glfwGetProcAddress};
    gpureg_result r = gpureg_gl_create(&gd, desc, &s->reg);
    if (r != GPUREG_OK) {
        fprintf(stderr, "gpureg-demo: gpureg_gl_create: %s\n", gpureg_result_string(r));
        return r == GPUREG_ERR_UNSUPPORTED ? DEMO_EXIT_NO_DRIVER : DEMO_EXIT_FAILURE;
    }
    *reg = s->reg;
    if ((rc = make_program(s)) != DEMO_EXIT_OK) return rc;
    if ((rc = make_vertex_array_and_sampler(s)) != DEMO_EXIT_OK) return rc;
    printf("gpureg-demo: OpenGL %s on %s (%s)\n", (const char *)glGetString(GL_VERSION),
           (const char *)glGetString(GL_RENDERER), opt->headless ? "EGL surfaceless" : "GLFW window");
    return glGetError() == GL_NO_ERROR ? DEMO_EXIT_OK : gl_failed("GL error while setting up");
}

static int gl_poll(void *state, uint32_t *width, uint32_t *height) {
    gl_state *s = state;
    if (s->window) return demo_window_poll(s->window, s->reg, width, height);
    *width = s->opt.width;
    *height = s->opt.height;
    return 1;
}

/* (Re)make the render target at the frame's size, as one unit (texture, depth-stencil, framebuffer;
 * gpureg checks the framebuffer complete). The old unit is released, not deleted: the previous
 * frame may still be rendering into it, and gpureg deletes all three after that frame's fence. */
static int ensure_target(gl_state *s, uint32_t w, uint32_t h) {
    if (s->target.id && s->target_w == w && s->target_h == h) return DEMO_EXIT_OK;
    if (s->target.id) gpureg_render_target_release(s->reg, s->unit);
    s->target.id = 0;
    char label[64];
    snprintf(label, sizeof label, "render target %ux%u", w, h);
    gpureg_render_target_desc desc = {
        .color = {.width = w,
                  .height = h,
                  .format = GPUREG_FORMAT_RGBA8_UNORM,
                  .usage = GPUREG_TEXTURE_USAGE_SAMPLED | GPUREG_TEXTURE_USAGE_TRANSFER_SRC,
                  .label = label},
        .depth_stencil = GPUREG_FORMAT_D24_UNORM_S8_UINT};
    gpureg_result r = gpureg_render_target_create(s->reg, &desc, &s->unit);
    if (r == GPUREG_OK) r = gpureg_gl_object_name(s->reg, s->unit.framebuffer, &s->fbo, NULL);
    if (gl_check(r, "render target") != DEMO_EXIT_OK) return DEMO_EXIT_FAILURE;
    s->target = s->unit.color;
    s->target_w = w;
    s->target_h = h;
    return DEMO_EXIT_OK;
}

static int gl_draw(void *state, const scene_frame *f) {
    gl_state *s = state;
    int rc = ensure_target(s, f->width, f->height);
    if (rc != DEMO_EXIT_OK) return rc;
    uint32_t vbo = 0;
    if (gpureg_gl_buffer_name(s->reg, f->vertices, &vbo) != GPUREG_OK) return gl_failed("vertex buffer name");

    glBindFramebuffer(GL_FRAMEBUFFER, s->fbo);
    glViewport(0, 0, (GLsizei)f->width, (GLsizei)f->height);
    glClearColor(0.0f, 0.0f, 0.0f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    glEnable(GL_BLEND);
    /* Colour: straight alpha over; alpha: keeps the opaque background opaque (as the Vulkan pipeline). */
    glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
    glUseProgram(s->program);
    glUniform2f(s->loc_viewport, (float)f->width, (float)f->height);
    glUniform1i(s->loc_texture, 0);
    glBindVertexArray(s->vao);
    glBindBuffer(GL_ARRAY_BUFFER, vbo);
    const GLsizei stride = (GLsizei)sizeof(scene_vertex);
    glEnableVertexAttribArray(0);
    glEnableVertexAttribArray(1);
    glEnableVertexAttribArray(2);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, stride, (const void *)offsetof(scene_vertex, x));
    glVertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, stride, (const void *)offsetof(scene_vertex, u));
    glVertexAttribPointer(2, 4, GL_FLOAT, GL_FALSE, stride, (const void *)offsetof(scene_vertex, r));
    glActiveTexture(GL_TEXTURE0);
    glBindSampler(0, s->sampler);
    for (uint32_t i = 0; i < f->draw_count; i++) {
        uint32_t name = 0;
        if (gpureg_gl_texture_name(s->reg, f->draws[i].texture, &name, NULL) != GPUREG_OK)
            return gl_failed("texture name of a draw");
        glBindTexture(GL_TEXTURE_2D, name);
        glDrawArrays(GL_TRIANGLES, (GLint)f->draws[i].first_vertex, (GLsizei)f->draws[i].vertex_count);
    }
    glBindTexture(GL_TEXTURE_2D, 0);
    glBindVertexArray(0);
    glBindBuffer(GL_ARRAY_BUFFER, 0);
    if (s->window) {
        glBindFramebuffer(GL_READ_FRAMEBUFFER, s->fbo);
        glBindFramebuffer(GL_DRAW_FRAMEBUFFER, 0);
        glBlitFramebuffer(0, 0, (GLint)f->width, (GLint)f->height, 0, 0, (GLint)f->width, (GLint)f->height,
                          GL_COLOR_BUFFER_BIT, GL_NEAREST);
        glfwSwapBuffers(s->window);
    }
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    s->done[s->slot] = glFenceSync(GL_SYNC_GPU_COMMANDS_COMPLETE, 0);
    GLenum err = glGetError();
    if (err != GL_NO_ERROR) {
        fprintf(stderr, "gpureg-demo: GL error 0x%04x in frame %llu\n", err, (unsigned long long)f->number);
        return DEMO_EXIT_FAILURE;
    }
    return DEMO_EXIT_OK;
}

static int gl_wait_frame(void *state) {
    gl_state *s = state;
    s->slot = (s->slot + 1u) % SLOTS;
    GLsync sync = s->done[s->slot];
    if (!sync) return DEMO_EXIT_OK;
    GLenum r;
    do
        r = glClientWaitSync(sync, GL_SYNC_FLUSH_COMMANDS_BIT, 100000000u);
    while (r == GL_TIMEOUT_EXPIRED);
    glDeleteSync(sync);
    s->done[s->slot] = NULL;
    return r == GL_WAIT_FAILED ? gl_failed("glClientWaitSync failed") : DEMO_EXIT_OK;
}

/* glFenceSync at gpureg_frame_end covers everything this context issued. */
static gpureg_result gl_end_frame(void *state) { return gpureg_frame_end(((gl_state *)state)->reg); }

static int gl_read_pixels(void *state, uint8_t *rgba) {
    gl_state *s = state;
    size_t row = (size_t)s->target_w * 4u, size = row * s->target_h;
    uint8_t *tmp = malloc(size);
    if (!tmp) return DEMO_EXIT_FAILURE;
    gpureg_texture_region region = {0};
    gpureg_result r = gpureg_texture_read(s->reg, s->target, &region, tmp, size);
    if (r != GPUREG_OK) {
        free(tmp);
        fprintf(stderr, "gpureg-demo: gpureg_texture_read: %s\n", gpureg_result_string(r));
        return DEMO_EXIT_FAILURE;
    }
    /* GL's row 0 is the bottom of the picture; PNG wants the top first. */
    for (uint32_t y = 0; y < s->target_h; y++)
        memcpy(rgba + (size_t)y * row, tmp + (size_t)(s->target_h - 1u - y) * row, row);
    free(tmp);
    return DEMO_EXIT_OK;
}

static void gl_resize(void *state, uint32_t width, uint32_t height) {
    gl_state *s = state;
    demo_window_resize(s->window, &s->opt, width, height);
}

static void gl_set_status(void *state, const char *text) { demo_window_set_title(((gl_state *)state)->window, text); }

static void gl_finish(void *state) {
    gl_state *s = state;
    if (!s->reg) return;
    glFinish();
    if (s->target.id) gpureg_render_target_release(s->reg, s->unit);
    s->target.id = 0;
}

static void gl_close(void *state) {
    gl_state *s = state;
    if (!s) return;
    /* The program, vertex array and sampler went with gpureg_destroy (expected at shutdown). */
    for (uint32_t i = 0; i < SLOTS; i++)
        if (s->done[i]) glDeleteSync(s->done[i]);
    if (!s->opt.headless) demo_window_close(s->window);
    demo_egl_close(&s->egl);
    free(s);
}

const demo_renderer demo_renderer_gl = {
    .name = "gl",
    .open = gl_open,
    .poll = gl_poll,
    .wait_frame = gl_wait_frame,
    .draw = gl_draw,
    .end_frame = gl_end_frame,
    .read_pixels = gl_read_pixels,
    .resize = gl_resize,
    .set_status = gl_set_status,
    .finish = gl_finish,
    .close = gl_close,
};
