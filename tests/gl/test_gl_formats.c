/* test_gl_formats.c — every format and buffer kind written and read back exactly, per context kind,
 * with zero GL errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gl_fixture.h"

/* Texel values that survive a round trip through each format exactly. */
static void fill_texels(gpureg_format format, unsigned char *data, size_t texels, uint32_t seed) {
    uint32_t bytes = gpureg_format_texel_bytes(format);
    for (size_t i = 0; i < texels; i++) {
        unsigned char *t = data + i * bytes;
        uint32_t v = (uint32_t)i * 2654435761u + seed;
        if (format == GPUREG_FORMAT_RGBA16_FLOAT) {
            for (int c = 0; c < 4; c++) { /* normal halves between 2^-3 and 1 */
                uint16_t h = (uint16_t)(0x3000u + ((v >> (c * 5)) & 0x7ffu));
                memcpy(t + 2 * c, &h, 2);
            }
        } else if (format == GPUREG_FORMAT_RGBA32_FLOAT) {
            for (int c = 0; c < 4; c++) {
                float f = (float)((v >> (c * 6)) & 1023u) / 8.0f;
                memcpy(t + 4 * c, &f, 4);
            }
        } else if (format == GPUREG_FORMAT_D32_FLOAT) {
            float f = (float)(v & 0xffffu) / 65536.0f;
            memcpy(t, &f, 4);
        } else {
            for (uint32_t b = 0; b < bytes; b++)
                t[b] = (unsigned char)(v >> (b * 8));
        }
    }
}

static int readable(gpureg_format format) {
    int depth = format == GPUREG_FORMAT_D24_UNORM_S8_UINT || format == GPUREG_FORMAT_D32_FLOAT ||
                format == GPUREG_FORMAT_S8_UINT; /* GLES reads neither depth nor stencil */
    return !(depth && gl_ctx.is_gles);
}

static void test_info_names_the_context_and_its_paths(void **state) {
    (void)state;
    gpureg_registry *reg = gl_test_registry(&gl_ctx, NULL);
    gpureg_gl_info info;
    assert_int_equal(gpureg_gl_get_info(reg, &info), GPUREG_OK);
    printf("%s: %s %u.%u, features 0x%x, max texture %u, layers %u, synchronous debug %u\n", gl_ctx.kind,
           info.is_gles ? "GLES" : "GL", info.major, info.minor, info.features, info.max_texture_size,
           info.max_array_layers, info.debug_synchronous);
    assert_int_equal(info.is_gles, (uint32_t)gl_ctx.is_gles);
    assert_int_equal(info.features & gl_ctx.disable_features, 0);
    assert_true(info.features & GPUREG_GL_FEATURE_DEBUG);
    assert_int_equal(info.debug_synchronous, 1);
    assert_true(info.max_texture_size >= 2048);
    assert_string_equal(gpureg_backend_name(reg), "gl");
    gl_test_destroy(reg);
}

/* Whole level, then a sub-region with a padded pitch that is a multiple of the texel size (row
 * length path), then one that is not (row-by-row path). */
static void roundtrip_format(gpureg_registry *reg, gpureg_format format) {
    const uint32_t w = 13, h = 7, bytes = gpureg_format_texel_bytes(format);
    gpureg_texture tex;
    gpureg_texture_desc desc = {.width = w, .height = h, .format = format, .label = gpureg_format_name(format)};
    gpureg_result r = gpureg_texture_create(reg, &desc, &tex);
    if (format == GPUREG_FORMAT_BGRA8_UNORM && gl_ctx.is_gles && r == GPUREG_ERR_UNSUPPORTED) return;
    if (format == GPUREG_FORMAT_S8_UINT && gl_ctx.bare && r == GPUREG_ERR_UNSUPPORTED) return;
    assert_int_equal(r, GPUREG_OK);
    size_t size = (size_t)w * h * bytes;
    unsigned char *src = malloc(size), *dst = malloc(size);
    fill_texels(format, src, (size_t)w * h, (uint32_t)format);
    gpureg_texture_region all = {0};
    assert_int_equal(gpureg_texture_write(reg, tex, &all, src, size, 0), GPUREG_OK);
    if (!readable(format)) {
        assert_int_equal(gpureg_texture_read(reg, tex, &all, dst, size), GPUREG_ERR_UNSUPPORTED);
    } else {
        memset(dst, 0xcd, size);
        assert_int_equal(gpureg_texture_read(reg, tex, &all, dst, size), GPUREG_OK);
        assert_memory_equal(src, dst, size);

        uint32_t pitches[2] = {(5 + 2) * bytes, 5 * bytes + 3};
        for (int p = 0; p < 2; p++) {
            gpureg_texture_region part = {.x = 3, .y = 2, .width = 5, .height = 4};
            size_t padded = (size_t)pitches[p] * 4;
            unsigned char *rows = malloc(padded), *back = malloc((size_t)5 * 4 * bytes);
            for (uint32_t y = 0; y < 4; y++) /* valid texels at each row start, whatever the pitch */
                fill_texels(format, rows + (size_t)y * pitches[p], 5, 99u + (uint32_t)p + y);
            assert_int_equal(gpureg_texture_write(reg, tex, &part, rows, padded, pitches[p]), GPUREG_OK);
            assert_int_equal(gpureg_texture_read(reg, tex, &part, back, (size_t)5 * 4 * bytes), GPUREG_OK);
            for (uint32_t y = 0; y < 4; y++)
                assert_memory_equal(back + (size_t)y * 5 * bytes, rows + (size_t)y * pitches[p], (size_t)5 * bytes);
            free(rows);
            free(back);
        }
    }
    free(src);
    free(dst);
    assert_int_equal(gpureg_texture_release(reg, tex), GPUREG_OK);
}

static void test_every_format_round_trips_exactly(void **state) {
    (void)state;
    gpureg_registry *reg = gl_test_registry(&gl_ctx, NULL);
    for (int f = GPUREG_FORMAT_RGBA8_UNORM; f < GPUREG_FORMAT_COUNT; f++)
        roundtrip_format(reg, (gpureg_format)f);
    gl_test_destroy(reg);
}

static void test_array_layers_and_mip_levels_are_addressed(void **state) {
    (void)state;
    gpureg_registry *reg = gl_test_registry(&gl_ctx, NULL);
    gpureg_texture tex;
    gpureg_texture_desc desc = {
        .width = 16, .height = 8, .mip_levels = 3, .array_layers = 4, .format = GPUREG_FORMAT_RGBA8_UNORM};
    assert_int_equal(gpureg_texture_create(reg, &desc, &tex), GPUREG_OK);
    uint32_t name = 0, target = 0;
    assert_int_equal(gpureg_gl_texture_name(reg, tex, &name, &target), GPUREG_OK);
    assert_int_equal(target, GL_TEXTURE_2D_ARRAY);
    assert_true(gl_ctx.gl.IsTexture(name));
    unsigned char level[8 * 4 * 4], back[8 * 4 * 4];
    for (uint32_t layer = 0; layer < 4; layer++) {
        gpureg_texture_region rg = {.mip_level = 1, .array_layer = layer};
        fill_texels(GPUREG_FORMAT_RGBA8_UNORM, level, 8 * 4, layer);
        assert_int_equal(gpureg_texture_write(reg, tex, &rg, level, sizeof level, 0), GPUREG_OK);
    }
    for (uint32_t layer = 0; layer < 4; layer++) {
        gpureg_texture_region rg = {.mip_level = 1, .array_layer = layer};
        fill_texels(GPUREG_FORMAT_RGBA8_UNORM, level, 8 * 4, layer);
        assert_int_equal(gpureg_texture_read(reg, tex, &rg, back, sizeof back), GPUREG_OK);
        assert_memory_equal(level, back, sizeof back);
    }
    gpureg_texture_region smallest = {.mip_level = 2, .array_layer = 3};
    unsigned char texel[4 * 2 * 4];
    assert_int_equal(gpureg_texture_read(reg, tex, &smallest, texel, sizeof texel), GPUREG_OK);
    assert_int_equal(gpureg_texture_release(reg, tex), GPUREG_OK);
    gl_test_destroy(reg);
}

static void test_buffers_round_trip_at_any_offset(void **state) {
    (void)state;
    gpureg_registry *reg = gl_test_registry(&gl_ctx, NULL);
    const uint32_t usages[] = {GPUREG_BUFFER_USAGE_VERTEX, GPUREG_BUFFER_USAGE_INDEX, GPUREG_BUFFER_USAGE_UNIFORM,
                               GPUREG_BUFFER_USAGE_VERTEX | GPUREG_BUFFER_USAGE_HOST_VISIBLE};
    for (size_t u = 0; u < sizeof usages / sizeof usages[0]; u++) {
        gpureg_buffer buf;
        gpureg_buffer_desc desc = {.size = 4099, .usage = usages[u] | GPUREG_BUFFER_USAGE_TRANSFER_DST};
        assert_int_equal(gpureg_buffer_create(reg, &desc, &buf), GPUREG_OK);
        unsigned char src[1000], dst[1000];
        for (size_t i = 0; i < sizeof src; i++)
            src[i] = (unsigned char)(i * 7 + u);
        assert_int_equal(gpureg_buffer_write(reg, buf, 3099, src, sizeof src), GPUREG_OK);
        assert_int_equal(gpureg_buffer_read(reg, buf, 3099, dst, sizeof dst), GPUREG_OK);
        assert_memory_equal(src, dst, sizeof src);
        assert_int_equal(gpureg_buffer_read(reg, buf, 3098, dst, 2), GPUREG_OK);
        assert_int_equal(dst[1], src[0]);
        uint32_t name = 0;
        assert_int_equal(gpureg_gl_buffer_name(reg, buf, &name), GPUREG_OK);
        assert_true(gl_ctx.gl.IsBuffer(name));
        assert_int_equal(gpureg_buffer_release(reg, buf), GPUREG_OK);
    }
    gl_test_destroy(reg);
}

static void test_storage_buffers_follow_the_context(void **state) {
    (void)state;
    gpureg_registry *reg = gl_test_registry(&gl_ctx, NULL);
    gpureg_gl_info info;
    assert_int_equal(gpureg_gl_get_info(reg, &info), GPUREG_OK);
    gpureg_buffer buf;
    gpureg_buffer_desc desc = {.size = 256, .usage = GPUREG_BUFFER_USAGE_STORAGE};
    gpureg_result r = gpureg_buffer_create(reg, &desc, &buf);
    if (info.features & GPUREG_GL_FEATURE_STORAGE_BUFFERS) {
        assert_int_equal(r, GPUREG_OK);
        assert_int_equal(gpureg_buffer_release(reg, buf), GPUREG_OK);
    } else {
        assert_int_equal(r, GPUREG_ERR_UNSUPPORTED);
        assert_int_equal(buf.id, 0);
    }
    gl_test_destroy(reg);
}

/* gpureg puts back what it borrowed: bindings and pixel-store state the app had set. */
static void test_app_bindings_and_pixel_store_survive_transfers(void **state) {
    (void)state;
    gpureg_registry *reg = gl_test_registry(&gl_ctx, NULL);
    GLuint app_texture = 0;
    gl_ctx.gl.GenTextures(1, &app_texture);
    gl_ctx.gl.BindTexture(GL_TEXTURE_2D, app_texture);
    gl_ctx.gl.PixelStorei(GL_UNPACK_ALIGNMENT, 2);
    gl_ctx.gl.PixelStorei(GL_PACK_ALIGNMENT, 8);
    gpureg_texture tex;
    gpureg_texture_desc desc = {.width = 5, .height = 3, .format = GPUREG_FORMAT_R8_UNORM};
    assert_int_equal(gpureg_texture_create(reg, &desc, &tex), GPUREG_OK);
    unsigned char px[15] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, back[15];
    gpureg_texture_region all = {0};
    assert_int_equal(gpureg_texture_write(reg, tex, &all, px, sizeof px, 0), GPUREG_OK);
    assert_int_equal(gpureg_texture_read(reg, tex, &all, back, sizeof back), GPUREG_OK);
    assert_memory_equal(px, back, sizeof px);
    GLint bound = 0, unpack = 0, pack = 0;
    gl_ctx.gl.GetIntegerv(GL_TEXTURE_BINDING_2D, &bound);
    gl_ctx.gl.GetIntegerv(GL_UNPACK_ALIGNMENT, &unpack);
    gl_ctx.gl.GetIntegerv(GL_PACK_ALIGNMENT, &pack);
    assert_int_equal(bound, (GLint)app_texture);
    assert_int_equal(unpack, 2);
    assert_int_equal(pack, 8);
    gl_ctx.gl.PixelStorei(GL_UNPACK_ALIGNMENT, 4);
    gl_ctx.gl.PixelStorei(GL_PACK_ALIGNMENT, 4);
    gl_ctx.gl.BindTexture(GL_TEXTURE_2D, 0);
    gl_ctx.gl.DeleteTextures(1, &app_texture);
    assert_int_equal(gpureg_texture_release(reg, tex), GPUREG_OK);
    gl_test_destroy(reg);
}

/* Whatever pack/unpack alignment and row length the app left set, transfers land exactly (gpureg
 * keeps an app alignment that divides the pitch and sets one that does) and the app finds its
 * values again afterwards, with no GL error. */
static void test_any_app_alignment_and_row_length_transfer_exactly(void **state) {
    (void)state;
    gpureg_registry *reg = gl_test_registry(&gl_ctx, NULL);
    static const GLint alignments[] = {1, 2, 4, 8}, row_lengths[] = {0, 3};
    /* width, texel format, pitch (0: tight) */
    static const struct {
        uint32_t width;
        gpureg_format format;
        uint32_t pitch;
    } cases[] = {
        {5, GPUREG_FORMAT_R8_UNORM, 0},      /* pitch 5: only alignment 1 fits */
        {6, GPUREG_FORMAT_R8_UNORM, 0},      /* pitch 6: 1 and 2 fit */
        {13, GPUREG_FORMAT_RGBA8_UNORM, 0},  /* pitch 52: 1, 2, 4 fit */
        {16, GPUREG_FORMAT_RGBA8_UNORM, 0},  /* pitch 64: all fit */
        {5, GPUREG_FORMAT_RGBA8_UNORM, 28},  /* row length 7 texels, pitch 28 */
        {3, GPUREG_FORMAT_RG8_UNORM, 10},    /* row length 5 texels, pitch 10 */
        {3, GPUREG_FORMAT_RGBA16_FLOAT, 40}, /* row length 5 texels, pitch 40 */
    };
    const uint32_t h = 3;
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        uint32_t w = cases[c].width, bytes = gpureg_format_texel_bytes(cases[c].format);
        uint32_t pitch = cases[c].pitch ? cases[c].pitch : w * bytes;
        gpureg_texture tex;
        gpureg_texture_desc desc = {.width = w, .height = h, .format = cases[c].format};
        assert_int_equal(gpureg_texture_create(reg, &desc, &tex), GPUREG_OK);
        unsigned char src[16 * 3 * 16], back[16 * 3 * 16];
        for (size_t a = 0; a < sizeof alignments / sizeof alignments[0]; a++) {
            for (size_t l = 0; l < sizeof row_lengths / sizeof row_lengths[0]; l++) {
                memset(src, 0xee, sizeof src);
                for (uint32_t y = 0; y < h; y++)
                    fill_texels(cases[c].format, src + (size_t)y * pitch, w, (uint32_t)(c * 100 + a * 10 + l + y));
                gl_ctx.gl.PixelStorei(GL_UNPACK_ALIGNMENT, alignments[a]);
                gl_ctx.gl.PixelStorei(GL_PACK_ALIGNMENT, alignments[a]);
                gl_ctx.gl.PixelStorei(GL_UNPACK_ROW_LENGTH, row_lengths[l]);
                gl_ctx.gl.PixelStorei(GL_PACK_ROW_LENGTH, row_lengths[l]);
                gpureg_texture_region all = {0};
                assert_int_equal(gpureg_texture_write(reg, tex, &all, src, (size_t)pitch * h, cases[c].pitch),
                                 GPUREG_OK);
                GLint unpack = 0, pack = 0, unpack_row = -1, pack_row = -1;
                gl_ctx.gl.GetIntegerv(GL_UNPACK_ALIGNMENT, &unpack);
                gl_ctx.gl.GetIntegerv(GL_UNPACK_ROW_LENGTH, &unpack_row);
                assert_int_equal(unpack, alignments[a]);
                assert_int_equal(unpack_row, row_lengths[l]);
                if (readable(cases[c].format)) {
                    memset(back, 0xcd, sizeof back);
                    assert_int_equal(gpureg_texture_read(reg, tex, &all, back, (size_t)w * h * bytes), GPUREG_OK);
                    for (uint32_t y = 0; y < h; y++)
                        assert_memory_equal(back + (size_t)y * w * bytes, src + (size_t)y * pitch, (size_t)w * bytes);
                    assert_int_equal(back[(size_t)w * h * bytes], 0xcd); /* nothing written past the end */
                }
                gl_ctx.gl.GetIntegerv(GL_PACK_ALIGNMENT, &pack);
                gl_ctx.gl.GetIntegerv(GL_PACK_ROW_LENGTH, &pack_row);
                assert_int_equal(pack, alignments[a]);
                assert_int_equal(pack_row, row_lengths[l]);
                assert_int_equal(gl_ctx.gl.GetError(), GL_NO_ERROR);
            }
        }
        assert_int_equal(gpureg_texture_release(reg, tex), GPUREG_OK);
    }
    gl_ctx.gl.PixelStorei(GL_UNPACK_ALIGNMENT, 4);
    gl_ctx.gl.PixelStorei(GL_PACK_ALIGNMENT, 4);
    gl_ctx.gl.PixelStorei(GL_UNPACK_ROW_LENGTH, 0);
    gl_ctx.gl.PixelStorei(GL_PACK_ROW_LENGTH, 0);
    gl_test_destroy(reg);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_info_names_the_context_and_its_paths),
        cmocka_unit_test(test_every_format_round_trips_exactly),
        cmocka_unit_test(test_array_layers_and_mip_levels_are_addressed),
        cmocka_unit_test(test_buffers_round_trip_at_any_offset),
        cmocka_unit_test(test_storage_buffers_follow_the_context),
        cmocka_unit_test(test_app_bindings_and_pixel_store_survive_transfers),
        cmocka_unit_test(test_any_app_alignment_and_row_length_transfer_exactly),
    };
    return cmocka_run_group_tests(tests, gl_test_group_setup, gl_test_group_teardown);
}
