/* test_gl_kinds_bad_input.c — what GL refuses for the generic kinds, and how: each case has its
 * own result and log line, and leaves nothing behind, not in the registry (stats) nor in GL (the
 * name gpureg made on the way, seen through the function table, is deleted again). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "gl_kinds_fixture.h"

/* ---- The last name gpureg made of each kind, through the function table ---------------------- */

static GLuint made_shader, made_program, made_framebuffer, made_renderbuffer;
static PFNGLCREATESHADERPROC real_create_shader;
static PFNGLCREATEPROGRAMPROC real_create_program;
static PFNGLGENFRAMEBUFFERSPROC real_gen_framebuffers, real_create_framebuffers;
static PFNGLGENRENDERBUFFERSPROC real_gen_renderbuffers, real_create_renderbuffers;

static GLuint APIENTRY seen_create_shader(GLenum type) { return made_shader = real_create_shader(type); }
static GLuint APIENTRY seen_create_program(void) { return made_program = real_create_program(); }
static void APIENTRY seen_gen_framebuffers(GLsizei n, GLuint *names) {
    real_gen_framebuffers(n, names);
    made_framebuffer = names[0];
}
static void APIENTRY seen_create_framebuffers(GLsizei n, GLuint *names) {
    real_create_framebuffers(n, names);
    made_framebuffer = names[0];
}
static void APIENTRY seen_gen_renderbuffers(GLsizei n, GLuint *names) {
    real_gen_renderbuffers(n, names);
    made_renderbuffer = names[0];
}
static void APIENTRY seen_create_renderbuffers(GLsizei n, GLuint *names) {
    real_create_renderbuffers(n, names);
    made_renderbuffer = names[0];
}

static gpureg_gl_proc watching_get_proc_address(const char *name) {
    gpureg_gl_proc p = eglGetProcAddress(name);
#define SEE(gl_name, real, seen)                                                                                       \
    if (p && !strcmp(name, gl_name)) {                                                                                 \
        memcpy(&real, &p, sizeof p);                                                                                   \
        return (gpureg_gl_proc)seen;                                                                                   \
    }
    SEE("glCreateShader", real_create_shader, seen_create_shader)
    SEE("glCreateProgram", real_create_program, seen_create_program)
    SEE("glGenFramebuffers", real_gen_framebuffers, seen_gen_framebuffers)
    SEE("glCreateFramebuffers", real_create_framebuffers, seen_create_framebuffers)
    SEE("glGenRenderbuffers", real_gen_renderbuffers, seen_gen_renderbuffers)
    SEE("glCreateRenderbuffers", real_create_renderbuffers, seen_create_renderbuffers)
#undef SEE
    return p;
}

/* ---- A registry per test, its log kept ---------------------------------------------------------- */

static gpureg_registry *reg;
static gpureg_stats before;
static char errors_logged[4096]; /* every error line since setup, one after another */

static void keep_log(gpureg_log_level level, gpureg_result result, const char *message, void *user) {
    (void)user;
    gl_test_log(level, result, message, NULL);
    size_t used = strlen(errors_logged);
    if (result != GPUREG_OK) snprintf(errors_logged + used, sizeof errors_logged - used, "%s\n", message);
}

static gpureg_registry *watched_registry(uint32_t disable_features) {
    gpureg_gl_desc gl = gl_test_desc(&gl_ctx);
    gl.get_proc_address = watching_get_proc_address;
    gl.disable_features |= disable_features;
    gpureg_registry_desc desc = {.log = keep_log};
    gpureg_registry *r = NULL;
    assert_int_equal(gpureg_gl_create(&gl, &desc, &r), GPUREG_OK);
    return r;
}

static int setup(void **state) {
    (void)state;
    made_shader = made_program = made_framebuffer = made_renderbuffer = 0;
    errors_logged[0] = '\0';
    reg = watched_registry(0);
    assert_int_equal(gpureg_get_stats(reg, &before), GPUREG_OK);
    return 0;
}

/* Nothing of the refused creates is left: the counts are those of the objects made on purpose. */
static int teardown(void **state) {
    (void)state;
    gpureg_stats after;
    assert_int_equal(gpureg_get_stats(reg, &after), GPUREG_OK);
    for (int kind = GPUREG_KIND_FRAMEBUFFER; kind <= GPUREG_KIND_PROGRAM; kind++)
        assert_int_equal(after.by_kind[kind].live_count, before.by_kind[kind].live_count);
    gl_test_destroy(reg);
    return 0;
}

static gpureg_object refused(gpureg_result expected, gpureg_result got, gpureg_object out, const char *log_part) {
    assert_int_equal(got, expected);
    assert_int_equal(out.id, 0);
    if (!strstr(errors_logged, log_part)) fail_msg("the log says \"%s\", not \"%s\"", errors_logged, log_part);
    return out;
}

/* ---- Renderbuffers ------------------------------------------------------------------------------ */

static void test_renderbuffers_beyond_the_context_limits_are_refused(void **state) {
    (void)state;
    GLint max_size = 0, max_samples = 0;
    gl_ctx.gl.GetIntegerv(GL_MAX_RENDERBUFFER_SIZE, &max_size);
    gl_ctx.gl.GetIntegerv(GL_MAX_SAMPLES, &max_samples);
    gpureg_object out = {7};
    gpureg_renderbuffer_desc wide = {.width = (uint32_t)max_size + 1, .height = 4, .format = GPUREG_FORMAT_RGBA8_UNORM};
    refused(GPUREG_ERR_INVALID_SIZE, gpureg_renderbuffer_create(reg, &wide, &out), out, "GL_MAX_RENDERBUFFER_SIZE");
    gpureg_renderbuffer_desc many = {
        .width = 4, .height = 4, .format = GPUREG_FORMAT_RGBA8_UNORM, .samples = 2u * (uint32_t)max_samples};
    refused(GPUREG_ERR_INVALID_ARGUMENT, gpureg_renderbuffer_create(reg, &many, &out), out, "samples");
    assert_int_equal(made_renderbuffer, 0); /* refused before any GL name was made */
}

static void test_float_renderbuffers_need_float_render_targets(void **state) {
    (void)state;
    gpureg_registry *lesser = watched_registry(GPUREG_GL_FEATURE_FLOAT_RENDER);
    gpureg_object out = {7};
    gpureg_renderbuffer_desc hdr = {.width = 4, .height = 4, .format = GPUREG_FORMAT_RGBA16_FLOAT};
    refused(GPUREG_ERR_UNSUPPORTED, gpureg_renderbuffer_create(lesser, &hdr, &out), out, "rgba16_float");
    gl_test_destroy(lesser);
}

/* ---- Framebuffers ------------------------------------------------------------------------------- */

/* GL's own verdict: a multisampled depth buffer under a single-sampled colour texture is
 * GL_FRAMEBUFFER_INCOMPLETE_MULTISAMPLE (0x8d56). */
static void test_a_framebuffer_gl_finds_incomplete_is_unsupported_and_deleted(void **state) {
    (void)state;
    gpureg_texture_desc cd = {
        .width = 8, .height = 8, .format = GPUREG_FORMAT_RGBA8_UNORM, .usage = GPUREG_TEXTURE_USAGE_COLOR_ATTACHMENT};
    gpureg_texture color;
    assert_int_equal(gpureg_texture_create(reg, &cd, &color), GPUREG_OK);
    gpureg_renderbuffer_desc rd = {.width = 8, .height = 8, .format = GPUREG_FORMAT_D24_UNORM_S8_UINT, .samples = 4};
    gpureg_object depth, out = {7};
    assert_int_equal(gpureg_renderbuffer_create(reg, &rd, &depth), GPUREG_OK);
    gpureg_framebuffer_desc fd = {.color = {color}, .depth_stencil = depth.id};
    refused(GPUREG_ERR_UNSUPPORTED, gpureg_framebuffer_create(reg, &fd, &out), out, "glCheckFramebufferStatus 0x8d56");
    assert_int_not_equal(made_framebuffer, 0);
    assert_false(gl_ctx.gl.IsFramebuffer(made_framebuffer));
    GLint draw = -1;
    gl_ctx.gl.GetIntegerv(GL_DRAW_FRAMEBUFFER_BINDING, &draw);
    assert_int_equal(draw, 0);
    assert_int_equal(gpureg_release(reg, depth.id), GPUREG_OK);
    assert_int_equal(gpureg_texture_release(reg, color), GPUREG_OK);
}

/* ---- Shaders and programs ------------------------------------------------------------------------ */

static void test_a_shader_that_does_not_compile_is_refused_with_the_info_log(void **state) {
    (void)state;
    gpureg_object out = {7};
    refused(GPUREG_ERR_INVALID_ARGUMENT,
            gl_test_shader_create(reg, GPUREG_STAGE_FRAGMENT,
                                  "out vec4 color;\nvoid main() { color = vec4(undeclared_thing); }\n", "broken", &out),
            out, "undeclared_thing");
    assert_non_null(strstr(errors_logged, "does not compile"));
    assert_int_not_equal(made_shader, 0);
    assert_false(gl_ctx.gl.IsShader(made_shader));
    /* The driver also said so through KHR_debug: the compiler's messages are the ring's, counted
     * as errors like any GL_DEBUG_TYPE_ERROR, but no GL error was raised (they are not
     * GL_DEBUG_SOURCE_API errors, so the create answered INVALID_ARGUMENT, not BACKEND). */
    gpureg_message m[8];
    size_t n = 0;
    assert_int_equal(gpureg_poll_messages(reg, m, 8, &n), GPUREG_OK);
    for (size_t i = 0; i < n; i++)
        assert_non_null(strstr(m[i].text, "error"));
    assert_int_equal(gl_ctx.gl.GetError(), GL_NO_ERROR);
    gpureg_gl_info info;
    assert_int_equal(gpureg_gl_get_info(reg, &info), GPUREG_OK);
    if (info.features & GPUREG_GL_FEATURE_DEBUG) assert_true(n > 0);
    gpureg_registry *r = reg; /* its ring counted the compiler's errors: destroyed here, not by teardown */
    assert_int_equal(gpureg_destroy(r), 0);
    reg = watched_registry(0);
}

static void test_a_program_that_does_not_link_is_refused_with_the_info_log(void **state) {
    (void)state;
    gpureg_object vs, fs, out = {7};
    assert_int_equal(gl_test_shader_create(reg, GPUREG_STAGE_VERTEX, gl_test_vertex_body, NULL, &vs), GPUREG_OK);
    assert_int_equal(gl_test_shader_create(reg, GPUREG_STAGE_FRAGMENT,
                                           "out vec4 color;\nvec4 shade();\nvoid main() { color = shade(); }\n", NULL,
                                           &fs),
                     GPUREG_OK);
    gpureg_object both[2] = {vs, fs};
    gpureg_program_desc pd = {.shaders = both, .shader_count = 2};
    refused(GPUREG_ERR_INVALID_ARGUMENT, gpureg_program_create(reg, &pd, &out), out, "shade");
    assert_non_null(strstr(errors_logged, "does not link"));
    assert_int_not_equal(made_program, 0);
    assert_false(gl_ctx.gl.IsProgram(made_program));
    /* The shaders are gpureg's still, and alive. */
    assert_true(gl_ctx.gl.IsShader(gl_test_object_name(reg, fs, NULL)));
    assert_int_equal(gpureg_release(reg, vs.id), GPUREG_OK);
    assert_int_equal(gpureg_release(reg, fs.id), GPUREG_OK);
}

static void test_a_program_takes_each_shader_once(void **state) {
    (void)state;
    gpureg_object vs, out = {7};
    assert_int_equal(gl_test_shader_create(reg, GPUREG_STAGE_VERTEX, gl_test_vertex_body, NULL, &vs), GPUREG_OK);
    made_program = 0;
    gpureg_object twice[2] = {vs, vs};
    gpureg_program_desc pd = {.shaders = twice, .shader_count = 2};
    refused(GPUREG_ERR_INVALID_ARGUMENT, gpureg_program_create(reg, &pd, &out), out, "again");
    assert_int_equal(made_program, 0);
    if (gl_ctx.is_gles) { /* GLES: one shader per stage */
        gpureg_object other;
        assert_int_equal(gl_test_shader_create(reg, GPUREG_STAGE_VERTEX, gl_test_vertex_body, NULL, &other), GPUREG_OK);
        gpureg_object two_vertex[2] = {vs, other};
        pd.shaders = two_vertex;
        refused(GPUREG_ERR_INVALID_ARGUMENT, gpureg_program_create(reg, &pd, &out), out, "one shader per stage");
        assert_int_equal(gpureg_release(reg, other.id), GPUREG_OK);
    }
    assert_int_equal(gpureg_release(reg, vs.id), GPUREG_OK);
}

static void test_compute_shaders_need_gl_4_3_or_gles_3_1(void **state) {
    (void)state;
    gpureg_object cs = {7};
    const char *body = "layout(local_size_x = 1) in;\nvoid main() {}\n";
    gpureg_shader_desc bare = {.stage = GPUREG_STAGE_COMPUTE, .code = body, .code_size = strlen(body)};
    if (gl_ctx.bare) {
        refused(GPUREG_ERR_UNSUPPORTED, gpureg_shader_create(reg, &bare, &cs), cs, "compute shaders need");
        assert_int_equal(made_shader, 0);
        return;
    }
    if (!strcmp(gl_ctx.kind, "gl32")) return; /* ARB_compute_shader is there, but no GLSL 4.30 */
    char code[256];
    snprintf(code, sizeof code, "%s%s", gl_ctx.is_gles ? "#version 310 es\n" : "#version 430 core\n", body);
    gpureg_shader_desc desc = {.stage = GPUREG_STAGE_COMPUTE, .code = code, .code_size = strlen(code)};
    assert_int_equal(gpureg_shader_create(reg, &desc, &cs), GPUREG_OK);
    GLint type = 0;
    gl_ctx.gl.GetShaderiv(gl_test_object_name(reg, cs, NULL), GL_SHADER_TYPE, &type);
    assert_int_equal(type, GL_COMPUTE_SHADER);
    assert_int_equal(gpureg_release(reg, cs.id), GPUREG_OK);
}

/* ---- Stencil textures ---------------------------------------------------------------------------- */

static void test_stencil_textures_follow_the_context(void **state) {
    (void)state;
    gpureg_texture_desc desc = {.width = 4,
                                .height = 4,
                                .format = GPUREG_FORMAT_S8_UINT,
                                .usage = GPUREG_TEXTURE_USAGE_DEPTH_STENCIL_ATTACHMENT};
    gpureg_texture tex = {7};
    gpureg_result r = gpureg_texture_create(reg, &desc, &tex);
    if (gl_ctx.bare) {
        assert_int_equal(r, GPUREG_ERR_UNSUPPORTED);
        assert_int_equal(tex.id, 0);
        assert_non_null(strstr(errors_logged, "ARB_texture_stencil8"));
        return;
    }
    assert_int_equal(r, GPUREG_OK);
    GLuint name = 0;
    assert_int_equal(gpureg_gl_texture_name(reg, tex, &name, NULL), GPUREG_OK);
    assert_true(gl_ctx.gl.IsTexture(name));
    assert_int_equal(gpureg_texture_release(reg, tex), GPUREG_OK);
}

int main(void) {
    const struct CMUnitTest tests[] = {
#define CASE(test) cmocka_unit_test_setup_teardown(test, setup, teardown)
        CASE(test_renderbuffers_beyond_the_context_limits_are_refused),
        CASE(test_float_renderbuffers_need_float_render_targets),
        CASE(test_a_framebuffer_gl_finds_incomplete_is_unsupported_and_deleted),
        CASE(test_a_shader_that_does_not_compile_is_refused_with_the_info_log),
        CASE(test_a_program_that_does_not_link_is_refused_with_the_info_log),
        CASE(test_a_program_takes_each_shader_once),
        CASE(test_compute_shaders_need_gl_4_3_or_gles_3_1),
        CASE(test_stencil_textures_follow_the_context),
#undef CASE
    };
    return cmocka_run_group_tests(tests, gl_test_group_setup, gl_test_group_teardown);
}
