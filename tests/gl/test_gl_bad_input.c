/* test_gl_bad_input.c — what the context cannot do, and what no context could, is refused with a
 * distinct result before any GL call that could fail: no GL error, no GL name, no state change. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "gl_fixture.h"

static gpureg_registry *reg;
static gpureg_stats before;

static int setup(void **state) {
    (void)state;
    reg = gl_test_registry(&gl_ctx, NULL);
    assert_int_equal(gpureg_get_stats(reg, &before), GPUREG_OK);
    return 0;
}

/* Nothing changed: counts, memory, and GL saw no error. */
static int teardown(void **state) {
    (void)state;
    gpureg_stats after;
    assert_int_equal(gpureg_get_stats(reg, &after), GPUREG_OK);
    assert_int_equal(after.texture.created_total, before.texture.created_total);
    assert_int_equal(after.buffer.created_total, before.buffer.created_total);
    assert_int_equal(after.texture.live_count, before.texture.live_count);
    assert_int_equal(gl_ctx.gl.GetError(), GL_NO_ERROR);
    gl_test_destroy(reg);
    return 0;
}

static gpureg_result create(const gpureg_texture_desc *desc) {
    gpureg_texture tex = {12345};
    gpureg_result r = gpureg_texture_create(reg, desc, &tex);
    assert_int_equal(tex.id, 0);
    return r;
}

static void test_sizes_beyond_the_context_limit_are_invalid_sizes(void **state) {
    (void)state;
    gpureg_gl_info info;
    assert_int_equal(gpureg_gl_get_info(reg, &info), GPUREG_OK);
    gpureg_texture_desc wide = {.width = info.max_texture_size + 1, .height = 1, .format = GPUREG_FORMAT_R8_UNORM};
    assert_int_equal(create(&wide), GPUREG_ERR_INVALID_SIZE);
    gpureg_texture_desc deep = {
        .width = 4, .height = 4, .array_layers = info.max_array_layers + 1, .format = GPUREG_FORMAT_R8_UNORM};
    assert_int_equal(create(&deep), GPUREG_ERR_INVALID_SIZE);
    gpureg_texture_desc empty = {.width = 0, .height = 4, .format = GPUREG_FORMAT_R8_UNORM};
    assert_int_equal(create(&empty), GPUREG_ERR_INVALID_SIZE);
    gpureg_buffer_desc nothing = {.size = 0};
    gpureg_buffer buf = {7};
    assert_int_equal(gpureg_buffer_create(reg, &nothing, &buf), GPUREG_ERR_INVALID_SIZE);
    assert_int_equal(buf.id, 0);
}

static void test_unknown_formats_and_usages_are_refused(void **state) {
    (void)state;
    gpureg_texture_desc unknown = {.width = 4, .height = 4, .format = (gpureg_format)77};
    assert_int_equal(create(&unknown), GPUREG_ERR_INVALID_FORMAT);
    gpureg_texture_desc usage = {.width = 4, .height = 4, .format = GPUREG_FORMAT_R8_UNORM, .usage = 1u << 20};
    assert_int_equal(create(&usage), GPUREG_ERR_INVALID_USAGE);
    gpureg_texture_desc depth_colour = {
        .width = 4, .height = 4, .format = GPUREG_FORMAT_D32_FLOAT, .usage = GPUREG_TEXTURE_USAGE_COLOR_ATTACHMENT};
    assert_int_equal(create(&depth_colour), GPUREG_ERR_INVALID_USAGE);
}

/* A registry with paths turned off behaves like a context without them. */
static void test_formats_the_context_lacks_are_unsupported(void **state) {
    (void)state;
    gpureg_gl_desc gl = gl_test_desc(&gl_ctx);
    gl.disable_features |= GPUREG_GL_FEATURE_BGRA | GPUREG_GL_FEATURE_FLOAT_RENDER | GPUREG_GL_FEATURE_STORAGE_BUFFERS;
    gpureg_registry *lesser = NULL;
    assert_int_equal(gpureg_gl_create(&gl, NULL, &lesser), GPUREG_OK);
    gpureg_texture tex = {1};
    gpureg_texture_desc bgra = {.width = 4, .height = 4, .format = GPUREG_FORMAT_BGRA8_UNORM};
    assert_int_equal(gpureg_texture_create(lesser, &bgra, &tex), GPUREG_ERR_UNSUPPORTED);
    gpureg_texture_desc float_target = {
        .width = 4, .height = 4, .format = GPUREG_FORMAT_RGBA16_FLOAT, .usage = GPUREG_TEXTURE_USAGE_COLOR_ATTACHMENT};
    assert_int_equal(gpureg_texture_create(lesser, &float_target, &tex), GPUREG_ERR_UNSUPPORTED);
    gpureg_buffer_desc storage = {.size = 64, .usage = GPUREG_BUFFER_USAGE_STORAGE};
    gpureg_buffer buf = {1};
    assert_int_equal(gpureg_buffer_create(lesser, &storage, &buf), GPUREG_ERR_UNSUPPORTED);
    assert_int_equal(tex.id, 0);
    assert_int_equal(buf.id, 0);
    /* A float texture it can make (sampled) cannot be read back without float render targets. */
    gpureg_texture_desc sampled = {.width = 2, .height = 2, .format = GPUREG_FORMAT_RGBA32_FLOAT};
    assert_int_equal(gpureg_texture_create(lesser, &sampled, &tex), GPUREG_OK);
    float texels[16];
    gpureg_texture_region all = {0};
    assert_int_equal(gpureg_texture_read(lesser, tex, &all, texels, sizeof texels), GPUREG_ERR_UNSUPPORTED);
    assert_int_equal(gpureg_texture_release(lesser, tex), GPUREG_OK);
    if (gl_ctx.is_gles) { /* GLES image units take no R8 */
        gpureg_texture_desc r8_storage = {
            .width = 4, .height = 4, .format = GPUREG_FORMAT_R8_UNORM, .usage = GPUREG_TEXTURE_USAGE_STORAGE};
        assert_int_equal(gpureg_texture_create(lesser, &r8_storage, &tex), GPUREG_ERR_UNSUPPORTED);
    }
    gl_test_destroy(lesser);
}

static void test_transfers_outside_the_object_are_refused(void **state) {
    (void)state;
    gpureg_texture tex;
    gpureg_texture_desc desc = {.width = 8, .height = 8, .mip_levels = 2, .format = GPUREG_FORMAT_RGBA8_UNORM};
    assert_int_equal(gpureg_texture_create(reg, &desc, &tex), GPUREG_OK);
    unsigned char px[8 * 8 * 4] = {0};
    gpureg_texture_region beyond = {.x = 6, .y = 0, .width = 4, .height = 1};
    assert_int_equal(gpureg_texture_write(reg, tex, &beyond, px, sizeof px, 0), GPUREG_ERR_OUT_OF_BOUNDS);
    gpureg_texture_region level = {.mip_level = 2};
    assert_int_equal(gpureg_texture_write(reg, tex, &level, px, sizeof px, 0), GPUREG_ERR_OUT_OF_BOUNDS);
    gpureg_texture_region layer = {.array_layer = 1};
    assert_int_equal(gpureg_texture_read(reg, tex, &layer, px, sizeof px), GPUREG_ERR_OUT_OF_BOUNDS);
    gpureg_texture_region all = {0};
    assert_int_equal(gpureg_texture_write(reg, tex, &all, NULL, sizeof px, 0), GPUREG_ERR_NULL_POINTER);
    assert_int_equal(gpureg_texture_write(reg, tex, &all, px, sizeof px - 1, 0), GPUREG_ERR_OUT_OF_BOUNDS);
    assert_int_equal(gpureg_texture_write(reg, tex, &all, px, sizeof px, 16), GPUREG_ERR_INVALID_ARGUMENT);
    assert_int_equal(gpureg_texture_read(reg, tex, &all, px, 10), GPUREG_ERR_OUT_OF_BOUNDS);

    gpureg_buffer buf;
    gpureg_buffer_desc bdesc = {.size = 16};
    assert_int_equal(gpureg_buffer_create(reg, &bdesc, &buf), GPUREG_OK);
    assert_int_equal(gpureg_buffer_write(reg, buf, 8, px, 9), GPUREG_ERR_OUT_OF_BOUNDS);
    assert_int_equal(gpureg_buffer_write(reg, buf, 0, px, 0), GPUREG_ERR_INVALID_SIZE);
    assert_int_equal(gpureg_buffer_read(reg, buf, 17, px, 1), GPUREG_ERR_OUT_OF_BOUNDS);
    assert_int_equal(gpureg_buffer_read(reg, buf, 0, NULL, 1), GPUREG_ERR_NULL_POINTER);
    assert_int_equal(gpureg_texture_release(reg, tex), GPUREG_OK);
    assert_int_equal(gpureg_buffer_release(reg, buf), GPUREG_OK);
    gpureg_stats now;
    assert_int_equal(gpureg_get_stats(reg, &now), GPUREG_OK);
    before.texture.created_total = now.texture.created_total; /* the two made on purpose */
    before.buffer.created_total = now.buffer.created_total;
}

static void test_native_names_answer_handle_errors(void **state) {
    (void)state;
    gpureg_texture tex;
    gpureg_texture_desc desc = {.width = 2, .height = 2, .format = GPUREG_FORMAT_R8_UNORM};
    assert_int_equal(gpureg_texture_create(reg, &desc, &tex), GPUREG_OK);
    uint32_t name = 99;
    gpureg_buffer as_buffer = {tex.id};
    assert_int_equal(gpureg_gl_buffer_name(reg, as_buffer, &name), GPUREG_ERR_WRONG_TYPE);
    assert_int_equal(name, 0);
    gpureg_texture forged = {tex.id ^ (1ull << 40)}; /* a generation never issued */
    assert_int_equal(gpureg_gl_texture_name(reg, forged, &name, NULL), GPUREG_ERR_INVALID_HANDLE);
    gpureg_texture zero = {0};
    assert_int_equal(gpureg_gl_texture_name(reg, zero, &name, NULL), GPUREG_ERR_INVALID_HANDLE);
    assert_int_equal(gpureg_gl_texture_name(reg, tex, NULL, NULL), GPUREG_ERR_NULL_POINTER);
    assert_int_equal(gpureg_gl_texture_name(NULL, tex, &name, NULL), GPUREG_ERR_NULL_POINTER);
    assert_int_equal(gpureg_texture_release(reg, tex), GPUREG_OK);
    assert_int_equal(gpureg_gl_texture_name(reg, tex, &name, NULL), GPUREG_ERR_RELEASED);

    gpureg_registry *null_reg = NULL;
    gpureg_registry_desc none = {0};
    assert_int_equal(gpureg_null_create(&none, &null_reg), GPUREG_OK);
    gpureg_texture other;
    assert_int_equal(gpureg_texture_create(null_reg, &desc, &other), GPUREG_OK);
    assert_int_equal(gpureg_gl_texture_name(null_reg, other, &name, NULL), GPUREG_ERR_UNSUPPORTED);
    gpureg_gl_info info;
    assert_int_equal(gpureg_gl_get_info(null_reg, &info), GPUREG_ERR_UNSUPPORTED);
    assert_int_equal(gpureg_gl_texture_name(reg, other, &name, NULL), GPUREG_ERR_FOREIGN_HANDLE);
    assert_int_equal(gpureg_texture_release(null_reg, other), GPUREG_OK);
    assert_int_equal(gpureg_destroy(null_reg), 0);
    gpureg_stats now;
    assert_int_equal(gpureg_get_stats(reg, &now), GPUREG_OK);
    before.texture.created_total = now.texture.created_total;
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_sizes_beyond_the_context_limit_are_invalid_sizes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_formats_and_usages_are_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_formats_the_context_lacks_are_unsupported, setup, teardown),
        cmocka_unit_test_setup_teardown(test_transfers_outside_the_object_are_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_native_names_answer_handle_errors, setup, teardown),
    };
    return cmocka_run_group_tests(tests, gl_test_group_setup, gl_test_group_teardown);
}
