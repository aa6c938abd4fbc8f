/* test_gl_app_errors.c — a GL error the application left pending is the application's: gpureg's
 * creates and transfers neither fail because of it nor consume it (glGetError still returns it
 * afterwards), with KHR_debug in use and without it; and a GL call of gpureg's own that fails
 * still fails the gpureg call, with the app's error pending or not. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "gl_kinds_fixture.h"

/* ---- Helpers ---------------------------------------------------------------------------------- */

/* A registry of the kind, with KHR_debug in use or disabled; asynchronous debug output optional. */
static gpureg_registry *registry_with(int khr_debug, int asynchronous, gpureg_gl_get_proc_address_fn get) {
    gpureg_gl_desc gl = gl_test_desc(&gl_ctx);
    if (!khr_debug) gl.disable_features |= GPUREG_GL_FEATURE_DEBUG;
    gl.debug_asynchronous = asynchronous;
    if (get) gl.get_proc_address = get;
    gpureg_registry_desc desc = {.log = gl_test_log};
    gpureg_registry *reg = NULL;
    assert_int_equal(gpureg_gl_create(&gl, &desc, &reg), GPUREG_OK);
    assert_int_equal(gl_ctx.gl.GetError(), GL_NO_ERROR);
    return reg;
}

static gpureg_registry *registry(int khr_debug) { return registry_with(khr_debug, 0, NULL); }

/* The app's own mistake, left pending: GL_INVALID_ENUM. */
static void app_leaves_an_error(void) { gl_ctx.gl.Enable(0xFFFF); }

/* Read every pending error; `code` must be among them (GL may keep one flag per code, in any
 * order; Mesa keeps only the first). */
static void assert_pending(GLenum code) {
    int found = 0;
    GLenum e;
    for (int i = 0; i < 8 && (e = gl_ctx.gl.GetError()) != GL_NO_ERROR; i++)
        if (e == code) found = 1;
    if (!found) fail_msg("GL error 0x%04x is no longer pending", (unsigned)code);
    assert_int_equal(gl_ctx.gl.GetError(), GL_NO_ERROR);
}

/* Destroy: no leak, and the ring's error messages are exactly the app's own (each app error
 * raised while the registry's callback was installed reaches the ring once; gpureg adds none). */
static void destroy(gpureg_registry *reg, int khr_debug, uint64_t app_errors) {
    assert_int_equal(gpureg_error_message_count(reg), khr_debug ? app_errors : 0);
    gpureg_message m[16];
    size_t n;
    while (gpureg_poll_messages(reg, m, 16, &n) == GPUREG_OK && n)
        ;
    assert_int_equal(gpureg_destroy(reg), 0);
    assert_int_equal(gl_ctx.gl.GetError(), GL_NO_ERROR);
}

static const gpureg_texture_desc texture_desc = {.width = 4, .height = 4, .format = GPUREG_FORMAT_RGBA8_UNORM};
static const gpureg_buffer_desc buffer_desc = {.size = 64};

/* The texture resolves to a GL texture and keeps what is written to it. */
static void assert_texture_works(gpureg_registry *reg, gpureg_texture tex) {
    uint32_t name = 0;
    assert_int_equal(gpureg_gl_texture_name(reg, tex, &name, NULL), GPUREG_OK);
    assert_true(gl_ctx.gl.IsTexture(name));
    unsigned char px[4 * 4 * 4], back[sizeof px];
    for (size_t i = 0; i < sizeof px; i++)
        px[i] = (unsigned char)(i * 7u + 1u);
    gpureg_texture_region all = {0};
    assert_int_equal(gpureg_texture_write(reg, tex, &all, px, sizeof px, 0), GPUREG_OK);
    assert_int_equal(gpureg_texture_read(reg, tex, &all, back, sizeof back), GPUREG_OK);
    assert_memory_equal(px, back, sizeof px);
}

static void assert_buffer_works(gpureg_registry *reg, gpureg_buffer buf) {
    uint32_t name = 0;
    assert_int_equal(gpureg_gl_buffer_name(reg, buf, &name), GPUREG_OK);
    assert_true(gl_ctx.gl.IsBuffer(name));
    unsigned char bytes[64], back[sizeof bytes];
    for (size_t i = 0; i < sizeof bytes; i++)
        bytes[i] = (unsigned char)(i * 5u + 3u);
    assert_int_equal(gpureg_buffer_write(reg, buf, 0, bytes, sizeof bytes), GPUREG_OK);
    assert_int_equal(gpureg_buffer_read(reg, buf, 0, back, sizeof back), GPUREG_OK);
    assert_memory_equal(bytes, back, sizeof bytes);
}

/* ---- Creates and transfers succeed over the app's error ------------------------------------------ */

static void texture_create_succeeds_over_a_pending_app_error(int khr_debug) {
    gpureg_registry *reg = registry(khr_debug);
    app_leaves_an_error();
    gpureg_texture tex = {0};
    assert_int_equal(gpureg_texture_create(reg, &texture_desc, &tex), GPUREG_OK);
    assert_texture_works(reg, tex);
    assert_pending(GL_INVALID_ENUM);
    assert_int_equal(gpureg_texture_release(reg, tex), GPUREG_OK);
    destroy(reg, khr_debug, 1);
}

static void test_texture_create_succeeds_over_a_pending_app_error_with_khr_debug(void **state) {
    (void)state;
    texture_create_succeeds_over_a_pending_app_error(1);
}

static void test_texture_create_succeeds_over_a_pending_app_error_without_khr_debug(void **state) {
    (void)state;
    texture_create_succeeds_over_a_pending_app_error(0);
}

static void buffer_create_succeeds_over_a_pending_app_error(int khr_debug) {
    gpureg_registry *reg = registry(khr_debug);
    app_leaves_an_error();
    gpureg_buffer buf = {0};
    assert_int_equal(gpureg_buffer_create(reg, &buffer_desc, &buf), GPUREG_OK);
    assert_buffer_works(reg, buf);
    assert_pending(GL_INVALID_ENUM);
    assert_int_equal(gpureg_buffer_release(reg, buf), GPUREG_OK);
    destroy(reg, khr_debug, 1);
}

static void test_buffer_create_succeeds_over_a_pending_app_error_with_khr_debug(void **state) {
    (void)state;
    buffer_create_succeeds_over_a_pending_app_error(1);
}

static void test_buffer_create_succeeds_over_a_pending_app_error_without_khr_debug(void **state) {
    (void)state;
    buffer_create_succeeds_over_a_pending_app_error(0);
}

static void transfers_succeed_over_a_pending_app_error(int khr_debug) {
    gpureg_registry *reg = registry(khr_debug);
    gpureg_texture tex = {0};
    gpureg_buffer buf = {0};
    assert_int_equal(gpureg_texture_create(reg, &texture_desc, &tex), GPUREG_OK);
    assert_int_equal(gpureg_buffer_create(reg, &buffer_desc, &buf), GPUREG_OK);
    app_leaves_an_error();
    assert_texture_works(reg, tex);
    assert_buffer_works(reg, buf);
    assert_pending(GL_INVALID_ENUM);
    assert_int_equal(gpureg_texture_release(reg, tex), GPUREG_OK);
    assert_int_equal(gpureg_buffer_release(reg, buf), GPUREG_OK);
    destroy(reg, khr_debug, 1);
}

static void test_transfers_succeed_over_a_pending_app_error_with_khr_debug(void **state) {
    (void)state;
    transfers_succeed_over_a_pending_app_error(1);
}

static void test_transfers_succeed_over_a_pending_app_error_without_khr_debug(void **state) {
    (void)state;
    transfers_succeed_over_a_pending_app_error(0);
}

/* ---- The app's error is still pending after each call ------------------------------------------ */

static void app_error_survives_every_gpureg_call(int khr_debug) {
    gpureg_registry *reg = registry(khr_debug);
    gpureg_texture tex = {0};
    gpureg_buffer buf = {0};
    unsigned char bytes[64] = {0};
    gpureg_texture_region all = {0};

    app_leaves_an_error();
    assert_int_equal(gpureg_texture_create(reg, &texture_desc, &tex), GPUREG_OK);
    assert_pending(GL_INVALID_ENUM);
    app_leaves_an_error();
    assert_int_equal(gpureg_buffer_create(reg, &buffer_desc, &buf), GPUREG_OK);
    assert_pending(GL_INVALID_ENUM);
    app_leaves_an_error();
    assert_int_equal(gpureg_texture_write(reg, tex, &all, bytes, sizeof bytes, 0), GPUREG_OK);
    assert_pending(GL_INVALID_ENUM);
    app_leaves_an_error();
    assert_int_equal(gpureg_texture_read(reg, tex, &all, bytes, sizeof bytes), GPUREG_OK);
    assert_pending(GL_INVALID_ENUM);
    app_leaves_an_error();
    assert_int_equal(gpureg_buffer_write(reg, buf, 0, bytes, sizeof bytes), GPUREG_OK);
    assert_pending(GL_INVALID_ENUM);
    app_leaves_an_error();
    assert_int_equal(gpureg_buffer_read(reg, buf, 0, bytes, sizeof bytes), GPUREG_OK);
    assert_pending(GL_INVALID_ENUM);
    app_leaves_an_error();
    assert_int_equal(gpureg_frame_begin(reg), GPUREG_OK);
    assert_int_equal(gpureg_frame_end(reg), GPUREG_OK);
    assert_pending(GL_INVALID_ENUM);

    assert_int_equal(gpureg_texture_release(reg, tex), GPUREG_OK);
    assert_int_equal(gpureg_buffer_release(reg, buf), GPUREG_OK);
    destroy(reg, khr_debug, 7);
}

static void test_the_app_error_is_still_pending_after_every_gpureg_call_with_khr_debug(void **state) {
    (void)state;
    app_error_survives_every_gpureg_call(1);
}

static void test_the_app_error_is_still_pending_after_every_gpureg_call_without_khr_debug(void **state) {
    (void)state;
    app_error_survives_every_gpureg_call(0);
}

/* The same for every other kind's create: each one runs in the same error scope. */
static void every_kind_create_leaves_the_app_error_pending(int khr_debug) {
    gpureg_registry *reg = registry(khr_debug);
    uint64_t app_errors = 0;
    gpureg_object made[8];
    uint32_t count = 0;
    gpureg_texture_desc cd = texture_desc;
    cd.usage = GPUREG_TEXTURE_USAGE_COLOR_ATTACHMENT;
    gpureg_texture color;
    assert_int_equal(gpureg_texture_create(reg, &cd, &color), GPUREG_OK);

    app_leaves_an_error(), app_errors++;
    gpureg_renderbuffer_desc rd = {.width = 4, .height = 4, .format = GPUREG_FORMAT_D24_UNORM_S8_UINT, .samples = 4};
    assert_int_equal(gpureg_renderbuffer_create(reg, &rd, &made[count]), GPUREG_OK);
    assert_pending(GL_INVALID_ENUM);
    gpureg_renderbuffer_desc sd = {.width = 4, .height = 4, .format = GPUREG_FORMAT_S8_UINT};
    app_leaves_an_error(), app_errors++;
    assert_int_equal(gpureg_renderbuffer_create(reg, &sd, &made[++count]), GPUREG_OK);
    assert_pending(GL_INVALID_ENUM);
    app_leaves_an_error(), app_errors++;
    gpureg_framebuffer_desc fd = {.color = {color}, .depth_stencil = made[count].id};
    assert_int_equal(gpureg_framebuffer_create(reg, &fd, &made[++count]), GPUREG_OK);
    assert_pending(GL_INVALID_ENUM);
    app_leaves_an_error(), app_errors++;
    gpureg_vertex_array_desc vd = {0};
    assert_int_equal(gpureg_vertex_array_create(reg, &vd, &made[++count]), GPUREG_OK);
    assert_pending(GL_INVALID_ENUM);
    if (gl_test_has_sampler_objects()) {
        app_leaves_an_error(), app_errors++;
        gpureg_sampler_desc smp = {0};
        assert_int_equal(gpureg_sampler_create(reg, &smp, &made[++count]), GPUREG_OK);
        assert_pending(GL_INVALID_ENUM);
    }
    app_leaves_an_error(), app_errors++;
    assert_int_equal(gl_test_shader_create(reg, GPUREG_STAGE_VERTEX, gl_test_vertex_body, NULL, &made[++count]),
                     GPUREG_OK);
    assert_pending(GL_INVALID_ENUM);
    app_leaves_an_error(), app_errors++;
    assert_int_equal(gl_test_shader_create(reg, GPUREG_STAGE_FRAGMENT, gl_test_fragment_body, NULL, &made[++count]),
                     GPUREG_OK);
    assert_pending(GL_INVALID_ENUM);
    app_leaves_an_error(), app_errors++;
    gpureg_program_desc pd = {.shaders = &made[count - 1], .shader_count = 2};
    assert_int_equal(gpureg_program_create(reg, &pd, &made[++count]), GPUREG_OK);
    assert_pending(GL_INVALID_ENUM);
    for (uint32_t i = 0; i <= count; i++)
        assert_int_equal(gpureg_release(reg, made[i].id), GPUREG_OK);
    assert_int_equal(gpureg_texture_release(reg, color), GPUREG_OK);
    destroy(reg, khr_debug, app_errors);
}

static void test_every_kind_create_leaves_the_app_error_pending_with_khr_debug(void **state) {
    (void)state;
    every_kind_create_leaves_the_app_error_pending(1);
}

static void test_every_kind_create_leaves_the_app_error_pending_without_khr_debug(void **state) {
    (void)state;
    every_kind_create_leaves_the_app_error_pending(0);
}

static void test_registry_create_leaves_the_app_error_pending(void **state) {
    (void)state;
    app_leaves_an_error();
    gpureg_gl_desc gl = gl_test_desc(&gl_ctx);
    gpureg_registry_desc desc = {.log = gl_test_log};
    gpureg_registry *reg = NULL;
    assert_int_equal(gpureg_gl_create(&gl, &desc, &reg), GPUREG_OK);
    assert_pending(GL_INVALID_ENUM);
    destroy(reg, 1, 0); /* raised before the registry's callback was installed */
}

/* Without KHR_debug gpureg reads the error flags around its work and raises the app's again:
 * each code it can raise comes back as the same code. */
static void app_makes_an_incomplete_framebuffer_read(GLuint *framebuffer) {
    gl_ctx.gl.GenFramebuffers(1, framebuffer);
    gl_ctx.gl.BindFramebuffer(GL_READ_FRAMEBUFFER, *framebuffer);
    unsigned char px[4];
    gl_ctx.gl.ReadPixels(0, 0, 1, 1, GL_RGBA, GL_UNSIGNED_BYTE, px); /* GL_INVALID_FRAMEBUFFER_OPERATION */
    gl_ctx.gl.BindFramebuffer(GL_READ_FRAMEBUFFER, 0);
}

static void test_each_kind_of_app_error_comes_back_as_itself_without_khr_debug(void **state) {
    (void)state;
    gpureg_registry *reg = registry(0);
    const GLenum codes[] = {GL_INVALID_ENUM, GL_INVALID_VALUE, GL_INVALID_OPERATION, GL_INVALID_FRAMEBUFFER_OPERATION};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        GLuint framebuffer = 0;
        switch (codes[i]) {
        case GL_INVALID_ENUM:
            app_leaves_an_error();
            break;
        case GL_INVALID_VALUE:
            gl_ctx.gl.PixelStorei(GL_UNPACK_ALIGNMENT, 3);
            break;
        case GL_INVALID_OPERATION:
            gl_ctx.gl.BindVertexArray(0x7fffff); /* never generated */
            break;
        default:
            app_makes_an_incomplete_framebuffer_read(&framebuffer);
            break;
        }
        gpureg_buffer buf = {0};
        assert_int_equal(gpureg_buffer_create(reg, &buffer_desc, &buf), GPUREG_OK);
        print_message("app error 0x%04x\n", (unsigned)codes[i]);
        assert_pending(codes[i]);
        if (framebuffer) gl_ctx.gl.DeleteFramebuffers(1, &framebuffer);
        assert_int_equal(gpureg_buffer_release(reg, buf), GPUREG_OK);
    }
    GLint alignment = 0;
    gl_ctx.gl.GetIntegerv(GL_UNPACK_ALIGNMENT, &alignment);
    assert_int_equal(alignment, 4); /* raising an error again changed no state */
    destroy(reg, 0, 0);
}

/* With asynchronous output gpureg reads the flags too, and gpureg's callback may hear the error
 * it raises again: that message is not counted, the app's original is (once). */
static void test_an_app_error_raised_again_is_not_counted_twice_with_asynchronous_output(void **state) {
    (void)state;
    gpureg_registry *reg = registry_with(1, 1, NULL);
    app_leaves_an_error();
    gpureg_texture tex = {0};
    assert_int_equal(gpureg_texture_create(reg, &texture_desc, &tex), GPUREG_OK);
    assert_pending(GL_INVALID_ENUM);
    assert_int_equal(gpureg_texture_release(reg, tex), GPUREG_OK);
    destroy(reg, 1, 1);
}

/* ---- gpureg's own failing GL call still fails the call -------------------------------------------- */

/* A function table whose storage calls fail with GL_INVALID_VALUE (a width or size of -1) while
 * `sabotage` is set: a GL error that gpureg's own call causes. */
static int sabotage;
static PFNGLTEXSTORAGE2DPROC real_tex_storage_2d;
static PFNGLTEXTURESTORAGE2DPROC real_texture_storage_2d;
static PFNGLTEXIMAGE2DPROC real_tex_image_2d;
static PFNGLBUFFERDATAPROC real_buffer_data;
static PFNGLNAMEDBUFFERDATAPROC real_named_buffer_data;
static PFNGLBUFFERSTORAGEPROC real_buffer_storage;
static PFNGLNAMEDBUFFERSTORAGEPROC real_named_buffer_storage;

static void APIENTRY broken_tex_storage_2d(GLenum target, GLsizei levels, GLenum format, GLsizei w, GLsizei h) {
    real_tex_storage_2d(target, levels, format, sabotage ? -1 : w, h);
}
static void APIENTRY broken_texture_storage_2d(GLuint name, GLsizei levels, GLenum format, GLsizei w, GLsizei h) {
    real_texture_storage_2d(name, levels, format, sabotage ? -1 : w, h);
}
static void APIENTRY broken_tex_image_2d(GLenum target, GLint level, GLint internal, GLsizei w, GLsizei h, GLint border,
                                         GLenum format, GLenum type, const void *data) {
    real_tex_image_2d(target, level, internal, sabotage ? -1 : w, h, border, format, type, data);
}
static void APIENTRY broken_buffer_data(GLenum target, GLsizeiptr size, const void *data, GLenum usage) {
    real_buffer_data(target, sabotage ? -1 : size, data, usage);
}
static void APIENTRY broken_named_buffer_data(GLuint name, GLsizeiptr size, const void *data, GLenum usage) {
    real_named_buffer_data(name, sabotage ? -1 : size, data, usage);
}
static void APIENTRY broken_buffer_storage(GLenum target, GLsizeiptr size, const void *data, GLbitfield flags) {
    real_buffer_storage(target, sabotage ? -1 : size, data, flags);
}
static void APIENTRY broken_named_buffer_storage(GLuint name, GLsizeiptr size, const void *data, GLbitfield flags) {
    real_named_buffer_storage(name, sabotage ? -1 : size, data, flags);
}

static gpureg_gl_proc breakable_get_proc_address(const char *name) {
    gpureg_gl_proc p = eglGetProcAddress(name);
    if (!p) return p;
#define BREAK(gl_name, real, broken)                                                                                   \
    if (!strcmp(name, gl_name)) {                                                                                      \
        memcpy(&real, &p, sizeof p);                                                                                   \
        return (gpureg_gl_proc)broken;                                                                                 \
    }
    BREAK("glTexStorage2D", real_tex_storage_2d, broken_tex_storage_2d)
    BREAK("glTextureStorage2D", real_texture_storage_2d, broken_texture_storage_2d)
    BREAK("glTexImage2D", real_tex_image_2d, broken_tex_image_2d)
    BREAK("glBufferData", real_buffer_data, broken_buffer_data)
    BREAK("glNamedBufferData", real_named_buffer_data, broken_named_buffer_data)
    BREAK("glBufferStorage", real_buffer_storage, broken_buffer_storage)
    BREAK("glBufferStorageEXT", real_buffer_storage, broken_buffer_storage)
    BREAK("glNamedBufferStorage", real_named_buffer_storage, broken_named_buffer_storage)
#undef BREAK
    return p;
}

static void own_gl_error_fails_the_create(int khr_debug) {
    gpureg_registry *reg = registry_with(khr_debug, 0, breakable_get_proc_address);
    gpureg_texture tex = {0};
    gpureg_buffer buf = {0};
    sabotage = 1;
    app_leaves_an_error();
    assert_int_equal(gpureg_texture_create(reg, &texture_desc, &tex), GPUREG_ERR_BACKEND);
    assert_int_equal(tex.id, 0);
    assert_pending(GL_INVALID_ENUM);
    app_leaves_an_error();
    assert_int_equal(gpureg_buffer_create(reg, &buffer_desc, &buf), GPUREG_ERR_BACKEND);
    assert_int_equal(buf.id, 0);
    assert_pending(GL_INVALID_ENUM);
    assert_int_equal(gpureg_texture_create(reg, &texture_desc, &tex), GPUREG_ERR_BACKEND); /* none pending */
    /* Without KHR_debug gpureg read its own error; with it, gpureg reads no flag at all and its
     * own may still be set (unspecified: the result, the log and the ring report it). */
    if (khr_debug)
        while (gl_ctx.gl.GetError() != GL_NO_ERROR)
            ;
    assert_int_equal(gl_ctx.gl.GetError(), GL_NO_ERROR);
    sabotage = 0;
    gpureg_stats stats;
    assert_int_equal(gpureg_get_stats(reg, &stats), GPUREG_OK);
    assert_int_equal(stats.texture.live_count + stats.buffer.live_count, 0);
    /* With KHR_debug the ring also holds gpureg's three GL errors, besides the app's two. */
    destroy(reg, khr_debug, khr_debug ? 5 : 0);
}

static void test_a_failing_gl_call_of_gpureg_still_fails_the_create_with_khr_debug(void **state) {
    (void)state;
    own_gl_error_fails_the_create(1);
}

static void test_a_failing_gl_call_of_gpureg_still_fails_the_create_without_khr_debug(void **state) {
    (void)state;
    own_gl_error_fails_the_create(0);
}

/* The app's callback over gpureg's: gpureg no longer hears the driver, and falls back to the
 * error flags (reading the app's and raising them again). */
static int app_heard_errors;
static void APIENTRY app_callback(GLenum source, GLenum type, GLuint id, GLenum severity, GLsizei length,
                                  const GLchar *message, const void *user) {
    (void)source;
    (void)id;
    (void)severity;
    (void)length;
    (void)message;
    (void)user;
    if (type == GL_DEBUG_TYPE_ERROR) app_heard_errors++;
}

static void test_a_failing_gl_call_of_gpureg_still_fails_the_create_under_the_app_callback(void **state) {
    (void)state;
    gpureg_registry *reg = registry_with(1, 0, breakable_get_proc_address);
    gl_ctx.gl.DebugMessageCallback(app_callback, NULL);
    app_heard_errors = 0;
    sabotage = 1;
    app_leaves_an_error();
    gpureg_texture tex = {0};
    assert_int_equal(gpureg_texture_create(reg, &texture_desc, &tex), GPUREG_ERR_BACKEND);
    sabotage = 0;
    assert_pending(GL_INVALID_ENUM);
    /* The app's own error, gpureg's, and the app's raised again. */
    assert_int_equal(app_heard_errors, 3);
    assert_int_equal(gpureg_texture_create(reg, &texture_desc, &tex), GPUREG_OK);
    assert_texture_works(reg, tex);
    assert_int_equal(gpureg_texture_release(reg, tex), GPUREG_OK);
    destroy(reg, 1, 0);
    void *installed = NULL;
    gl_ctx.gl.GetPointerv(GL_DEBUG_CALLBACK_FUNCTION, &installed);
    assert_non_null(installed); /* the app's stays */
    gl_ctx.gl.DebugMessageCallback(NULL, NULL);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_texture_create_succeeds_over_a_pending_app_error_with_khr_debug),
        cmocka_unit_test(test_texture_create_succeeds_over_a_pending_app_error_without_khr_debug),
        cmocka_unit_test(test_buffer_create_succeeds_over_a_pending_app_error_with_khr_debug),
        cmocka_unit_test(test_buffer_create_succeeds_over_a_pending_app_error_without_khr_debug),
        cmocka_unit_test(test_transfers_succeed_over_a_pending_app_error_with_khr_debug),
        cmocka_unit_test(test_transfers_succeed_over_a_pending_app_error_without_khr_debug),
        cmocka_unit_test(test_the_app_error_is_still_pending_after_every_gpureg_call_with_khr_debug),
        cmocka_unit_test(test_the_app_error_is_still_pending_after_every_gpureg_call_without_khr_debug),
        cmocka_unit_test(test_every_kind_create_leaves_the_app_error_pending_with_khr_debug),
        cmocka_unit_test(test_every_kind_create_leaves_the_app_error_pending_without_khr_debug),
        cmocka_unit_test(test_registry_create_leaves_the_app_error_pending),
        cmocka_unit_test(test_each_kind_of_app_error_comes_back_as_itself_without_khr_debug),
        cmocka_unit_test(test_an_app_error_raised_again_is_not_counted_twice_with_asynchronous_output),
        cmocka_unit_test(test_a_failing_gl_call_of_gpureg_still_fails_the_create_with_khr_debug),
        cmocka_unit_test(test_a_failing_gl_call_of_gpureg_still_fails_the_create_without_khr_debug),
        cmocka_unit_test(test_a_failing_gl_call_of_gpureg_still_fails_the_create_under_the_app_callback),
    };
    return cmocka_run_group_tests(tests, gl_test_group_setup, gl_test_group_teardown);
}
