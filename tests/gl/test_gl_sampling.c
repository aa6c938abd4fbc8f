/* test_gl_sampling.c — what a desc says about sampling and updates, as GL reports it: a texture's
 * sampler state (set members applied, DEFAULT ones left at GL's defaults, the app's texture
 * binding kept), a sampler object's parameters, and a buffer's usage hint or storage flags. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "gl_kinds_fixture.h"

static GLint texture_parameter(gpureg_registry *reg, gpureg_texture tex, GLenum pname) {
    GLuint name = 0;
    assert_int_equal(gpureg_gl_texture_name(reg, tex, &name, NULL), GPUREG_OK);
    GLint previous = 0, value = -1;
    gl_ctx.gl.GetIntegerv(GL_TEXTURE_BINDING_2D, &previous);
    gl_ctx.gl.BindTexture(GL_TEXTURE_2D, name);
    gl_ctx.gl.GetTexParameteriv(GL_TEXTURE_2D, pname, &value);
    gl_ctx.gl.BindTexture(GL_TEXTURE_2D, (GLuint)previous);
    return value;
}

static gpureg_texture make_texture(gpureg_registry *reg, gpureg_sampler_state sampler) {
    gpureg_texture_desc desc = {
        .width = 4, .height = 4, .mip_levels = 3, .format = GPUREG_FORMAT_RGBA8_UNORM, .sampler = sampler};
    gpureg_texture tex;
    assert_int_equal(gpureg_texture_create(reg, &desc, &tex), GPUREG_OK);
    return tex;
}

static void test_a_texture_gets_the_sampler_state_of_its_desc(void **state) {
    (void)state;
    gpureg_registry *reg = gl_test_registry(&gl_ctx, NULL);
    gpureg_texture tex =
        make_texture(reg, (gpureg_sampler_state){GPUREG_FILTER_LINEAR, GPUREG_FILTER_NEAREST, GPUREG_MIP_FILTER_NEAREST,
                                                 GPUREG_WRAP_CLAMP_TO_EDGE, GPUREG_WRAP_MIRRORED_REPEAT});
    assert_int_equal(texture_parameter(reg, tex, GL_TEXTURE_MIN_FILTER), GL_LINEAR_MIPMAP_NEAREST);
    assert_int_equal(texture_parameter(reg, tex, GL_TEXTURE_MAG_FILTER), GL_NEAREST);
    assert_int_equal(texture_parameter(reg, tex, GL_TEXTURE_WRAP_S), GL_CLAMP_TO_EDGE);
    assert_int_equal(texture_parameter(reg, tex, GL_TEXTURE_WRAP_T), GL_MIRRORED_REPEAT);
    gpureg_texture no_mips = make_texture(
        reg, (gpureg_sampler_state){.min_filter = GPUREG_FILTER_NEAREST, .mip_filter = GPUREG_MIP_FILTER_NONE});
    assert_int_equal(texture_parameter(reg, no_mips, GL_TEXTURE_MIN_FILTER), GL_NEAREST);
    assert_int_equal(gpureg_texture_release(reg, tex), GPUREG_OK);
    assert_int_equal(gpureg_texture_release(reg, no_mips), GPUREG_OK);
    gl_test_destroy(reg);
}

/* DEFAULT changes nothing; a member set alone keeps GL's default for the others, the half of
 * GL_NEAREST_MIPMAP_LINEAR it does not name included. */
static void test_default_members_leave_gl_defaults(void **state) {
    (void)state;
    gpureg_registry *reg = gl_test_registry(&gl_ctx, NULL);
    gpureg_texture plain = make_texture(reg, (gpureg_sampler_state){0});
    assert_int_equal(texture_parameter(reg, plain, GL_TEXTURE_MIN_FILTER), GL_NEAREST_MIPMAP_LINEAR);
    assert_int_equal(texture_parameter(reg, plain, GL_TEXTURE_MAG_FILTER), GL_LINEAR);
    assert_int_equal(texture_parameter(reg, plain, GL_TEXTURE_WRAP_S), GL_REPEAT);
    assert_int_equal(texture_parameter(reg, plain, GL_TEXTURE_WRAP_T), GL_REPEAT);
    gpureg_texture min_only = make_texture(reg, (gpureg_sampler_state){.min_filter = GPUREG_FILTER_LINEAR});
    assert_int_equal(texture_parameter(reg, min_only, GL_TEXTURE_MIN_FILTER), GL_LINEAR_MIPMAP_LINEAR);
    gpureg_texture mip_only = make_texture(reg, (gpureg_sampler_state){.mip_filter = GPUREG_MIP_FILTER_NONE});
    assert_int_equal(texture_parameter(reg, mip_only, GL_TEXTURE_MIN_FILTER), GL_NEAREST);
    gpureg_texture wrap_v = make_texture(reg, (gpureg_sampler_state){.wrap_v = GPUREG_WRAP_CLAMP_TO_EDGE});
    assert_int_equal(texture_parameter(reg, wrap_v, GL_TEXTURE_WRAP_S), GL_REPEAT);
    assert_int_equal(texture_parameter(reg, wrap_v, GL_TEXTURE_WRAP_T), GL_CLAMP_TO_EDGE);
    gpureg_texture all[] = {plain, min_only, mip_only, wrap_v};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        assert_int_equal(gpureg_texture_release(reg, all[i]), GPUREG_OK);
    gl_test_destroy(reg);
}

static void test_setting_sampler_state_keeps_the_app_texture_bound(void **state) {
    (void)state;
    gpureg_registry *reg = gl_test_registry(&gl_ctx, NULL);
    GLuint app = 0;
    gl_ctx.gl.GenTextures(1, &app);
    gl_ctx.gl.BindTexture(GL_TEXTURE_2D, app);
    gpureg_texture tex = make_texture(reg, (gpureg_sampler_state){.mag_filter = GPUREG_FILTER_NEAREST});
    GLint bound = 0, app_mag = 0;
    gl_ctx.gl.GetIntegerv(GL_TEXTURE_BINDING_2D, &bound);
    assert_int_equal(bound, app);
    gl_ctx.gl.GetTexParameteriv(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, &app_mag);
    assert_int_equal(app_mag, GL_LINEAR); /* the app's texture was not the one changed */
    assert_int_equal(texture_parameter(reg, tex, GL_TEXTURE_MAG_FILTER), GL_NEAREST);
    gl_ctx.gl.BindTexture(GL_TEXTURE_2D, 0);
    gl_ctx.gl.DeleteTextures(1, &app);
    assert_int_equal(gpureg_texture_release(reg, tex), GPUREG_OK);
    gl_test_destroy(reg);
}

static GLint sampler_parameter(gpureg_registry *reg, gpureg_object sampler, GLenum pname) {
    GLint value = -1;
    gl_ctx.gl.GetSamplerParameteriv(gl_test_object_name(reg, sampler, NULL), pname, &value);
    return value;
}

static void test_a_sampler_object_has_the_parameters_of_its_desc(void **state) {
    (void)state;
    if (!gl_test_has_sampler_objects()) return; /* UNSUPPORTED there: test_gl_kinds checks it */
    gpureg_registry *reg = gl_test_registry(&gl_ctx, NULL);
    gpureg_sampler_desc set = {.state = {GPUREG_FILTER_NEAREST, GPUREG_FILTER_LINEAR, GPUREG_MIP_FILTER_LINEAR,
                                         GPUREG_WRAP_MIRRORED_REPEAT, GPUREG_WRAP_CLAMP_TO_EDGE}};
    gpureg_object sampler, plain;
    assert_int_equal(gpureg_sampler_create(reg, &set, &sampler), GPUREG_OK);
    assert_int_equal(sampler_parameter(reg, sampler, GL_TEXTURE_MIN_FILTER), GL_NEAREST_MIPMAP_LINEAR);
    assert_int_equal(sampler_parameter(reg, sampler, GL_TEXTURE_MAG_FILTER), GL_LINEAR);
    assert_int_equal(sampler_parameter(reg, sampler, GL_TEXTURE_WRAP_S), GL_MIRRORED_REPEAT);
    assert_int_equal(sampler_parameter(reg, sampler, GL_TEXTURE_WRAP_T), GL_CLAMP_TO_EDGE);
    /* A zero desc: LINEAR, LINEAR, no mips, REPEAT (not GL's own sampler defaults). */
    gpureg_sampler_desc zero = {0};
    assert_int_equal(gpureg_sampler_create(reg, &zero, &plain), GPUREG_OK);
    assert_int_equal(sampler_parameter(reg, plain, GL_TEXTURE_MIN_FILTER), GL_LINEAR);
    assert_int_equal(sampler_parameter(reg, plain, GL_TEXTURE_MAG_FILTER), GL_LINEAR);
    assert_int_equal(sampler_parameter(reg, plain, GL_TEXTURE_WRAP_S), GL_REPEAT);
    assert_int_equal(sampler_parameter(reg, plain, GL_TEXTURE_WRAP_T), GL_REPEAT);
    assert_int_equal(gpureg_release(reg, sampler.id), GPUREG_OK);
    assert_int_equal(gpureg_release(reg, plain.id), GPUREG_OK);
    gl_test_destroy(reg);
}

/* ---- Buffers ------------------------------------------------------------------------------------ */

static GLint buffer_parameter(gpureg_registry *reg, gpureg_buffer buf, GLenum pname) {
    GLuint name = 0;
    assert_int_equal(gpureg_gl_buffer_name(reg, buf, &name), GPUREG_OK);
    GLint value = -1;
    gl_ctx.gl.BindBuffer(GL_ARRAY_BUFFER, name);
    gl_ctx.gl.GetBufferParameteriv(GL_ARRAY_BUFFER, pname, &value);
    gl_ctx.gl.BindBuffer(GL_ARRAY_BUFFER, 0);
    return value;
}

static gpureg_buffer make_buffer(gpureg_registry *reg, gpureg_buffer_update update) {
    gpureg_buffer_desc desc = {.size = 256, .update = update};
    gpureg_buffer buf;
    assert_int_equal(gpureg_buffer_create(reg, &desc, &buf), GPUREG_OK);
    return buf;
}

/* GL_BUFFER_IMMUTABLE_STORAGE is a query of GL 4.4 and the buffer storage extensions only. */
static int context_has_buffer_storage(void) {
    return gl_test_has_extension(&gl_ctx, "GL_ARB_buffer_storage") ||
           gl_test_has_extension(&gl_ctx, "GL_EXT_buffer_storage");
}

static const gpureg_buffer_update updates[] = {GPUREG_UPDATE_DEFAULT, GPUREG_UPDATE_STATIC, GPUREG_UPDATE_DYNAMIC,
                                               GPUREG_UPDATE_STREAM};

/* glBufferData (no immutable storage, forced here on every context kind) takes the hint. */
static void test_glbufferdata_gets_the_usage_hint_of_the_update(void **state) {
    (void)state;
    gpureg_gl_desc gl = gl_test_desc(&gl_ctx);
    gl.disable_features |= GPUREG_GL_FEATURE_BUFFER_STORAGE;
    gpureg_registry *reg = NULL;
    assert_int_equal(gpureg_gl_create(&gl, NULL, &reg), GPUREG_OK);
    const GLint hints[] = {GL_STATIC_DRAW, GL_STATIC_DRAW, GL_DYNAMIC_DRAW, GL_STREAM_DRAW};
    for (size_t i = 0; i < sizeof updates / sizeof updates[0]; i++) {
        gpureg_buffer buf = make_buffer(reg, updates[i]);
        assert_int_equal(buffer_parameter(reg, buf, GL_BUFFER_USAGE), hints[i]);
        if (context_has_buffer_storage())
            assert_int_equal(buffer_parameter(reg, buf, GL_BUFFER_IMMUTABLE_STORAGE), GL_FALSE);
        assert_int_equal(gpureg_buffer_release(reg, buf), GPUREG_OK);
    }
    gl_test_destroy(reg);
}

/* glBufferStorage keeps GL_DYNAMIC_STORAGE_BIT (gpureg writes with glBufferSubData) and asks for
 * client memory only for a buffer rewritten every frame. */
static void test_glbufferstorage_gets_the_flags_of_the_update(void **state) {
    (void)state;
    gpureg_registry *reg = gl_test_registry(&gl_ctx, NULL);
    gpureg_gl_info info;
    assert_int_equal(gpureg_gl_get_info(reg, &info), GPUREG_OK);
    if (!(info.features & GPUREG_GL_FEATURE_BUFFER_STORAGE)) { /* gl33 turns it off, gl32bare strips it */
        assert_true(!strcmp(gl_ctx.kind, "gl33") || gl_ctx.bare);
        gl_test_destroy(reg);
        return;
    }
    for (size_t i = 0; i < sizeof updates / sizeof updates[0]; i++) {
        gpureg_buffer buf = make_buffer(reg, updates[i]);
        assert_int_equal(buffer_parameter(reg, buf, GL_BUFFER_IMMUTABLE_STORAGE), GL_TRUE);
        GLint flags = buffer_parameter(reg, buf, GL_BUFFER_STORAGE_FLAGS);
        assert_true(flags & GL_DYNAMIC_STORAGE_BIT);
        assert_int_equal((flags & GL_CLIENT_STORAGE_BIT) != 0, updates[i] == GPUREG_UPDATE_STREAM);
        assert_int_equal(gpureg_buffer_release(reg, buf), GPUREG_OK);
    }
    gl_test_destroy(reg);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_texture_gets_the_sampler_state_of_its_desc),
        cmocka_unit_test(test_default_members_leave_gl_defaults),
        cmocka_unit_test(test_setting_sampler_state_keeps_the_app_texture_bound),
        cmocka_unit_test(test_a_sampler_object_has_the_parameters_of_its_desc),
        cmocka_unit_test(test_glbufferdata_gets_the_usage_hint_of_the_update),
        cmocka_unit_test(test_glbufferstorage_gets_the_flags_of_the_update),
    };
    return cmocka_run_group_tests(tests, gl_test_group_setup, gl_test_group_teardown);
}
