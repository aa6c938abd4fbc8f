/* test_gl_render_targets.c — framebuffers that GL renders into: a render target drawn with a
 * gpureg program and read back, its stencil attachment (stencil-only S8 renderbuffer, D24S8)
 * masking a draw, depth textures and multisampled renderbuffers as attachments, the app's
 * framebuffer bindings left as they were, and the three parts deleted as one unit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "gl_kinds_fixture.h"

enum { SIZE = 16 };

static gpureg_registry *reg;
static gl_test_kinds kinds; /* the program and vertex array that draw */

static int setup(void **state) {
    (void)state;
    reg = gl_test_registry(&gl_ctx, NULL);
    kinds = gl_test_kinds_create(reg, SIZE);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    gl_test_kinds_release(reg, &kinds);
    gl_test_destroy(reg);
    return 0;
}

static gpureg_render_target make_target(gpureg_format depth_stencil) {
    gpureg_render_target_desc desc = {
        .color = {.width = SIZE,
                  .height = SIZE,
                  .format = GPUREG_FORMAT_RGBA8_UNORM,
                  .usage = GPUREG_TEXTURE_USAGE_SAMPLED | GPUREG_TEXTURE_USAGE_TRANSFER_SRC,
                  .label = "scene"},
        .depth_stencil = depth_stencil};
    gpureg_render_target rt;
    assert_int_equal(gpureg_render_target_create(reg, &desc, &rt), GPUREG_OK);
    return rt;
}

static GLuint bind_target(gpureg_object framebuffer) {
    GLuint fb = gl_test_object_name(reg, framebuffer, NULL);
    gl_ctx.gl.BindFramebuffer(GL_FRAMEBUFFER, fb);
    assert_int_equal(gl_ctx.gl.CheckFramebufferStatus(GL_FRAMEBUFFER), GL_FRAMEBUFFER_COMPLETE);
    gl_ctx.gl.Viewport(0, 0, SIZE, SIZE);
    return fb;
}

/* One full-screen triangle in green with the gpureg program and vertex array. */
static void draw(void) {
    gl_ctx.gl.UseProgram(gl_test_object_name(reg, kinds.program, NULL));
    gl_ctx.gl.BindVertexArray(gl_test_object_name(reg, kinds.vertex_array, NULL));
    gl_ctx.gl.DrawArrays(GL_TRIANGLES, 0, 3);
    gl_ctx.gl.BindVertexArray(0);
    gl_ctx.gl.UseProgram(0);
}

static void clear_red(void) {
    gl_ctx.gl.ClearColor(1.0f, 0.0f, 0.0f, 1.0f);
    gl_ctx.gl.ClearStencil(0);
    gl_ctx.gl.Clear(GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT | GL_STENCIL_BUFFER_BIT);
}

/* Texel (x, y) of the target's colour texture, read through gpureg. */
static void read_back(gpureg_texture color, unsigned char texels[SIZE * SIZE * 4]) {
    gl_ctx.gl.BindFramebuffer(GL_FRAMEBUFFER, 0);
    gpureg_texture_region all = {0};
    assert_int_equal(gpureg_texture_read(reg, color, &all, texels, SIZE * SIZE * 4), GPUREG_OK);
}

static int is_green(const unsigned char *t) { return t[0] == 0 && t[1] == 255 && t[2] == 0 && t[3] == 255; }
static int is_red(const unsigned char *t) { return t[0] == 255 && t[1] == 0 && t[2] == 0 && t[3] == 255; }

static void test_a_render_target_is_drawn_into_and_read_back(void **state) {
    (void)state;
    gpureg_render_target rt = make_target(GPUREG_FORMAT_D24_UNORM_S8_UINT);
    bind_target(rt.framebuffer);
    clear_red();
    draw();
    unsigned char texels[SIZE * SIZE * 4];
    read_back(rt.color, texels);
    for (int i = 0; i < SIZE * SIZE; i++)
        assert_true(is_green(texels + 4 * i));
    assert_int_equal(gpureg_render_target_release(reg, rt), GPUREG_OK);
}

/* The stencil attachment holds what a draw writes: mark the left half, then draw only where it
 * is marked. Red on the right proves the stencil test saw the attachment's values. */
static void assert_stencil_masks_the_draw(gpureg_format depth_stencil) {
    gpureg_render_target rt = make_target(depth_stencil);
    assert_int_not_equal(rt.depth_stencil.id, 0);
    bind_target(rt.framebuffer);
    GLint stencil_bits = 0;
    gl_ctx.gl.GetFramebufferAttachmentParameteriv(GL_FRAMEBUFFER, GL_STENCIL_ATTACHMENT,
                                                  GL_FRAMEBUFFER_ATTACHMENT_STENCIL_SIZE, &stencil_bits);
    assert_int_equal(stencil_bits, 8);
    clear_red();
    gl_ctx.gl.Enable(GL_STENCIL_TEST);
    gl_ctx.gl.Enable(GL_SCISSOR_TEST);
    gl_ctx.gl.Scissor(0, 0, SIZE / 2, SIZE);
    gl_ctx.gl.StencilFunc(GL_ALWAYS, 1, 0xff);
    gl_ctx.gl.StencilOp(GL_KEEP, GL_KEEP, GL_REPLACE);
    gl_ctx.gl.ColorMask(GL_FALSE, GL_FALSE, GL_FALSE, GL_FALSE);
    draw();
    gl_ctx.gl.Disable(GL_SCISSOR_TEST);
    gl_ctx.gl.ColorMask(GL_TRUE, GL_TRUE, GL_TRUE, GL_TRUE);
    gl_ctx.gl.StencilFunc(GL_EQUAL, 1, 0xff);
    gl_ctx.gl.StencilOp(GL_KEEP, GL_KEEP, GL_KEEP);
    draw();
    gl_ctx.gl.Disable(GL_STENCIL_TEST);
    unsigned char texels[SIZE * SIZE * 4];
    read_back(rt.color, texels);
    for (int y = 0; y < SIZE; y++)
        for (int x = 0; x < SIZE; x++)
            assert_true(x < SIZE / 2 ? is_green(texels + 4 * (y * SIZE + x)) : is_red(texels + 4 * (y * SIZE + x)));
    assert_int_equal(gpureg_render_target_release(reg, rt), GPUREG_OK);
}

static void test_a_stencil_only_renderbuffer_masks_drawing(void **state) {
    (void)state;
    assert_stencil_masks_the_draw(GPUREG_FORMAT_S8_UINT);
}

static void test_a_depth_stencil_renderbuffer_masks_drawing(void **state) {
    (void)state;
    assert_stencil_masks_the_draw(GPUREG_FORMAT_D24_UNORM_S8_UINT);
}

/* Depth and stencil textures attach where the depth/stencil renderbuffer would. */
static void test_depth_and_stencil_textures_are_attachments(void **state) {
    (void)state;
    const gpureg_format formats[] = {GPUREG_FORMAT_D24_UNORM_S8_UINT, GPUREG_FORMAT_D32_FLOAT, GPUREG_FORMAT_S8_UINT};
    const GLenum points[] = {GL_DEPTH_STENCIL_ATTACHMENT, GL_DEPTH_ATTACHMENT, GL_STENCIL_ATTACHMENT};
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        gpureg_texture_desc desc = {.width = SIZE,
                                    .height = SIZE,
                                    .format = formats[i],
                                    .usage = GPUREG_TEXTURE_USAGE_DEPTH_STENCIL_ATTACHMENT,
                                    .label = "depth texture"};
        gpureg_texture depth;
        gpureg_result r = gpureg_texture_create(reg, &desc, &depth);
        if (formats[i] == GPUREG_FORMAT_S8_UINT && gl_ctx.bare) {
            assert_int_equal(r, GPUREG_ERR_UNSUPPORTED); /* no ARB_texture_stencil8 in a bare 3.2 */
            continue;
        }
        assert_int_equal(r, GPUREG_OK);
        gpureg_framebuffer_desc fb = {.color = {kinds.color}, .depth_stencil = depth.id};
        gpureg_object framebuffer;
        assert_int_equal(gpureg_framebuffer_create(reg, &fb, &framebuffer), GPUREG_OK);
        GLuint tex = 0;
        assert_int_equal(gpureg_gl_texture_name(reg, depth, &tex, NULL), GPUREG_OK);
        gl_ctx.gl.BindFramebuffer(GL_FRAMEBUFFER, gl_test_object_name(reg, framebuffer, NULL));
        assert_int_equal(gl_ctx.gl.CheckFramebufferStatus(GL_FRAMEBUFFER), GL_FRAMEBUFFER_COMPLETE);
        GLint type = 0, name = 0;
        gl_ctx.gl.GetFramebufferAttachmentParameteriv(GL_FRAMEBUFFER, points[i], GL_FRAMEBUFFER_ATTACHMENT_OBJECT_TYPE,
                                                      &type);
        gl_ctx.gl.GetFramebufferAttachmentParameteriv(GL_FRAMEBUFFER, points[i], GL_FRAMEBUFFER_ATTACHMENT_OBJECT_NAME,
                                                      &name);
        assert_int_equal(type, GL_TEXTURE);
        assert_int_equal(name, tex);
        gl_ctx.gl.BindFramebuffer(GL_FRAMEBUFFER, 0);
        assert_int_equal(gpureg_release(reg, framebuffer.id), GPUREG_OK);
        assert_int_equal(gpureg_texture_release(reg, depth), GPUREG_OK);
    }
}

static void test_a_multisampled_renderbuffer_has_its_samples(void **state) {
    (void)state;
    gpureg_renderbuffer_desc desc = {
        .width = SIZE, .height = SIZE, .format = GPUREG_FORMAT_D24_UNORM_S8_UINT, .samples = 4, .label = "msaa"};
    gpureg_object rb;
    assert_int_equal(gpureg_renderbuffer_create(reg, &desc, &rb), GPUREG_OK);
    GLuint name = gl_test_object_name(reg, rb, NULL);
    GLint samples = 0, width = 0;
    gl_ctx.gl.BindRenderbuffer(GL_RENDERBUFFER, name);
    gl_ctx.gl.GetRenderbufferParameteriv(GL_RENDERBUFFER, GL_RENDERBUFFER_SAMPLES, &samples);
    gl_ctx.gl.GetRenderbufferParameteriv(GL_RENDERBUFFER, GL_RENDERBUFFER_WIDTH, &width);
    gl_ctx.gl.BindRenderbuffer(GL_RENDERBUFFER, 0);
    assert_true(samples >= 4);
    assert_int_equal(width, SIZE);
    /* Alone it makes a complete (depth-only) framebuffer: draw and read buffers are NONE. */
    gpureg_framebuffer_desc fb = {.depth_stencil = rb.id};
    gpureg_object framebuffer;
    assert_int_equal(gpureg_framebuffer_create(reg, &fb, &framebuffer), GPUREG_OK);
    gl_ctx.gl.BindFramebuffer(GL_FRAMEBUFFER, gl_test_object_name(reg, framebuffer, NULL));
    assert_int_equal(gl_ctx.gl.CheckFramebufferStatus(GL_FRAMEBUFFER), GL_FRAMEBUFFER_COMPLETE);
    gl_ctx.gl.BindFramebuffer(GL_FRAMEBUFFER, 0);
    assert_int_equal(gpureg_release(reg, framebuffer.id), GPUREG_OK);
    assert_int_equal(gpureg_release(reg, rb.id), GPUREG_OK);
}

/* Every colour attachment is drawn into (glDrawBuffers names them all); with none, the draw and
 * read buffers are NONE. */
static void test_every_colour_attachment_is_a_draw_buffer(void **state) {
    (void)state;
    gpureg_texture_desc cd = {.width = SIZE,
                              .height = SIZE,
                              .format = GPUREG_FORMAT_RGBA8_UNORM,
                              .usage = GPUREG_TEXTURE_USAGE_COLOR_ATTACHMENT};
    gpureg_texture a, b, c;
    assert_int_equal(gpureg_texture_create(reg, &cd, &a), GPUREG_OK);
    assert_int_equal(gpureg_texture_create(reg, &cd, &b), GPUREG_OK);
    assert_int_equal(gpureg_texture_create(reg, &cd, &c), GPUREG_OK);
    gpureg_framebuffer_desc fd = {.color = {a, b, c}};
    gpureg_object fb;
    assert_int_equal(gpureg_framebuffer_create(reg, &fd, &fb), GPUREG_OK);
    gl_ctx.gl.BindFramebuffer(GL_FRAMEBUFFER, gl_test_object_name(reg, fb, NULL));
    for (GLint i = 0; i < 3; i++) {
        GLint buffer = 0;
        gl_ctx.gl.GetIntegerv(GL_DRAW_BUFFER0 + (GLenum)i, &buffer);
        assert_int_equal(buffer, GL_COLOR_ATTACHMENT0 + (GLenum)i);
    }
    gpureg_renderbuffer_desc rd = {.width = SIZE, .height = SIZE, .format = GPUREG_FORMAT_D32_FLOAT};
    gpureg_object depth, depth_only;
    assert_int_equal(gpureg_renderbuffer_create(reg, &rd, &depth), GPUREG_OK);
    gpureg_framebuffer_desc dd = {.depth_stencil = depth.id};
    assert_int_equal(gpureg_framebuffer_create(reg, &dd, &depth_only), GPUREG_OK);
    gl_ctx.gl.BindFramebuffer(GL_FRAMEBUFFER, gl_test_object_name(reg, depth_only, NULL));
    GLint draw = -1, read = -1;
    gl_ctx.gl.GetIntegerv(GL_DRAW_BUFFER0, &draw);
    gl_ctx.gl.GetIntegerv(GL_READ_BUFFER, &read);
    assert_int_equal(draw, GL_NONE);
    assert_int_equal(read, GL_NONE);
    gl_ctx.gl.BindFramebuffer(GL_FRAMEBUFFER, 0);
    gpureg_handle all[] = {fb.id, depth_only.id, depth.id, a.id, b.id, c.id};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        assert_int_equal(gpureg_release(reg, all[i]), GPUREG_OK);
}

/* Made while the app has its own framebuffer and renderbuffer bound: both are bound after. */
static void test_the_app_bindings_survive_a_create(void **state) {
    (void)state;
    GLuint app_fb = 0, app_rb = 0;
    gl_ctx.gl.GenFramebuffers(1, &app_fb);
    gl_ctx.gl.GenRenderbuffers(1, &app_rb);
    gl_ctx.gl.BindFramebuffer(GL_FRAMEBUFFER, app_fb);
    gl_ctx.gl.BindRenderbuffer(GL_RENDERBUFFER, app_rb);
    gpureg_render_target rt = make_target(GPUREG_FORMAT_S8_UINT);
    GLint draw = 0, read = 0, rb = 0;
    gl_ctx.gl.GetIntegerv(GL_DRAW_FRAMEBUFFER_BINDING, &draw);
    gl_ctx.gl.GetIntegerv(GL_READ_FRAMEBUFFER_BINDING, &read);
    gl_ctx.gl.GetIntegerv(GL_RENDERBUFFER_BINDING, &rb);
    assert_int_equal(draw, app_fb);
    assert_int_equal(read, app_fb);
    assert_int_equal(rb, app_rb);
    gl_ctx.gl.BindFramebuffer(GL_FRAMEBUFFER, 0);
    gl_ctx.gl.BindRenderbuffer(GL_RENDERBUFFER, 0);
    gl_ctx.gl.DeleteFramebuffers(1, &app_fb);
    gl_ctx.gl.DeleteRenderbuffers(1, &app_rb);
    assert_int_equal(gpureg_render_target_release(reg, rt), GPUREG_OK);
}

static void test_a_released_render_target_is_deleted_as_one_unit(void **state) {
    (void)state;
    gpureg_render_target rt = make_target(GPUREG_FORMAT_S8_UINT);
    GLuint tex = 0, fb = gl_test_object_name(reg, rt.framebuffer, NULL),
           rb = gl_test_object_name(reg, rt.depth_stencil, NULL);
    assert_int_equal(gpureg_gl_texture_name(reg, rt.color, &tex, NULL), GPUREG_OK);
    assert_int_equal(gpureg_frame_begin(reg), GPUREG_OK);
    assert_int_equal(gpureg_render_target_release(reg, rt), GPUREG_OK);
    assert_true(gl_ctx.gl.IsTexture(tex) && gl_ctx.gl.IsFramebuffer(fb) && gl_ctx.gl.IsRenderbuffer(rb));
    assert_int_equal(gpureg_frame_end(reg), GPUREG_OK);
    gl_ctx.gl.Finish();
    assert_int_equal(gpureg_collect(reg, NULL), GPUREG_OK);
    assert_false(gl_ctx.gl.IsTexture(tex));
    assert_false(gl_ctx.gl.IsFramebuffer(fb));
    assert_false(gl_ctx.gl.IsRenderbuffer(rb));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_a_render_target_is_drawn_into_and_read_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_stencil_only_renderbuffer_masks_drawing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_depth_stencil_renderbuffer_masks_drawing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_depth_and_stencil_textures_are_attachments, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_multisampled_renderbuffer_has_its_samples, setup, teardown),
        cmocka_unit_test_setup_teardown(test_every_colour_attachment_is_a_draw_buffer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_the_app_bindings_survive_a_create, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_released_render_target_is_deleted_as_one_unit, setup, teardown),
    };
    return cmocka_run_group_tests(tests, gl_test_group_setup, gl_test_group_teardown);
}
