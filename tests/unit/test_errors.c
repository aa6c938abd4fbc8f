/* test_errors.c — bad input: every documented code, nothing changed, one log line naming the
 * function; and the names of results and formats. */
#include "test_util.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

/* ---- result and format names ---------------------------------------------------------------- */

static void every_result_has_a_distinct_name(void **state) {
    for (int i = 0; i < GPUREG_RESULT_COUNT; i++) {
        const char *s = gpureg_result_string((gpureg_result)i);
        assert_non_null(s);
        assert_null(strstr(s, "UNKNOWN"));
        assert_true(strncmp(s, "GPUREG_", 7) == 0);
        for (int j = 0; j < i; j++)
            assert_true(strcmp(s, gpureg_result_string((gpureg_result)j)) != 0);
    }
    assert_non_null(strstr(gpureg_result_string(GPUREG_ERR_STALE_HANDLE), "GPUREG_ERR_STALE_HANDLE"));
    assert_non_null(strstr(gpureg_result_string(GPUREG_OK), "GPUREG_OK"));
}

static void unknown_result_values_are_named_unknown(void **state) {
    assert_string_equal(gpureg_result_string(GPUREG_RESULT_COUNT), "GPUREG_UNKNOWN_RESULT");
    assert_string_equal(gpureg_result_string((gpureg_result)-1), "GPUREG_UNKNOWN_RESULT");
    assert_string_equal(gpureg_result_string((gpureg_result)1000), "GPUREG_UNKNOWN_RESULT");
}

static void formats_have_names_and_texel_sizes(void **state) {
    const uint32_t bytes[GPUREG_FORMAT_COUNT] = {0, 4, 4, 4, 1, 2, 8, 16, 4, 4, 1};
    for (int f = 0; f < GPUREG_FORMAT_COUNT; f++) {
        assert_int_equal(gpureg_format_texel_bytes((gpureg_format)f), bytes[f]);
        const char *name = gpureg_format_name((gpureg_format)f);
        assert_non_null(name);
        for (int g = 0; g < f; g++)
            assert_true(strcmp(name, gpureg_format_name((gpureg_format)g)) != 0);
    }
    assert_string_equal(gpureg_format_name(GPUREG_FORMAT_RGBA8_UNORM), "rgba8_unorm");
    assert_string_equal(gpureg_format_name(GPUREG_FORMAT_COUNT), "undefined");
    assert_int_equal(gpureg_format_texel_bytes(GPUREG_FORMAT_COUNT), 0);
    assert_int_equal(gpureg_format_texel_bytes((gpureg_format)-5), 0);
}

/* ---- creates with bad descs ------------------------------------------------------------------ */

typedef struct fixture {
    log_capture lc;
    gpureg_registry *reg;
    gpureg_texture existing;
} fixture;

static int setup(void **state) {
    fixture *f = calloc(1, sizeof *f);
    if (!f) return -1;
    log_capture_init(&f->lc);
    f->reg = make_registry(&f->lc);
    f->existing = make_texture(f->reg); /* so "nothing changed" has something to keep */
    log_capture_reset(&f->lc);
    *state = f;
    return 0;
}

static int teardown(void **state) {
    fixture *f = *state;
    gpureg_destroy(f->reg);
    free(f);
    return 0;
}

static void expect_texture_rejected(fixture *f, gpureg_texture_desc td, gpureg_result expected) {
    gpureg_stats before = get_stats(f->reg);
    log_capture_reset(&f->lc);
    gpureg_texture t = {0xBAD};
    assert_int_equal(gpureg_texture_create(f->reg, &td, &t), expected);
    assert_int_equal(t.id, 0);
    assert_logged_once(&f->lc, expected, "gpureg_texture_create");
    gpureg_stats after = get_stats(f->reg);
    assert_stats_equal(before, after);
    /* Adopt validates the same desc the same way and adopts nothing. */
    adopt_counter ac;
    adopt_counter_init(&ac);
    log_capture_reset(&f->lc);
    assert_int_equal(gpureg_texture_adopt(f->reg, &td, 42, adopt_counter_destroy_fn, &ac, &t), expected);
    assert_int_equal(t.id, 0);
    assert_logged_once(&f->lc, expected, "gpureg_texture_adopt");
    after = get_stats(f->reg);
    assert_stats_equal(before, after);
    assert_int_equal(atomic_load(&ac.calls), 0);
}

static void expect_buffer_rejected(fixture *f, gpureg_buffer_desc bd, gpureg_result expected) {
    gpureg_stats before = get_stats(f->reg);
    log_capture_reset(&f->lc);
    gpureg_buffer b = {0xBAD};
    assert_int_equal(gpureg_buffer_create(f->reg, &bd, &b), expected);
    assert_int_equal(b.id, 0);
    assert_logged_once(&f->lc, expected, "gpureg_buffer_create");
    gpureg_stats after = get_stats(f->reg);
    assert_stats_equal(before, after);
    log_capture_reset(&f->lc);
    assert_int_equal(gpureg_buffer_adopt(f->reg, &bd, 42, NULL, NULL, &b), expected);
    assert_logged_once(&f->lc, expected, "gpureg_buffer_adopt");
}

static gpureg_texture_desc tex(uint32_t w, uint32_t h, gpureg_format format) {
    return (gpureg_texture_desc){.width = w, .height = h, .format = format};
}

static void texture_with_a_zero_dimension_is_invalid_size(void **state) {
    fixture *f = *state;
    expect_texture_rejected(f, tex(0, 4, GPUREG_FORMAT_RGBA8_UNORM), GPUREG_ERR_INVALID_SIZE);
    expect_texture_rejected(f, tex(4, 0, GPUREG_FORMAT_RGBA8_UNORM), GPUREG_ERR_INVALID_SIZE);
}

static void texture_beyond_the_dimension_limit_is_invalid_size(void **state) {
    fixture *f = *state;
    expect_texture_rejected(f, tex(GPUREG_MAX_TEXTURE_DIMENSION + 1, 4, GPUREG_FORMAT_RGBA8_UNORM),
                            GPUREG_ERR_INVALID_SIZE);
    expect_texture_rejected(f, tex(4, UINT32_MAX, GPUREG_FORMAT_RGBA8_UNORM), GPUREG_ERR_INVALID_SIZE);
    gpureg_texture_desc layers = tex(4, 4, GPUREG_FORMAT_RGBA8_UNORM);
    layers.array_layers = GPUREG_MAX_ARRAY_LAYERS + 1;
    expect_texture_rejected(f, layers, GPUREG_ERR_INVALID_SIZE);
}

static void texture_with_an_unknown_format_is_invalid_format(void **state) {
    fixture *f = *state;
    expect_texture_rejected(f, tex(4, 4, GPUREG_FORMAT_UNDEFINED), GPUREG_ERR_INVALID_FORMAT);
    expect_texture_rejected(f, tex(4, 4, GPUREG_FORMAT_COUNT), GPUREG_ERR_INVALID_FORMAT);
    expect_texture_rejected(f, tex(4, 4, (gpureg_format)1000), GPUREG_ERR_INVALID_FORMAT);
    expect_texture_rejected(f, tex(4, 4, (gpureg_format)-1), GPUREG_ERR_INVALID_FORMAT);
}

static void texture_with_unknown_usage_bits_is_invalid_usage(void **state) {
    fixture *f = *state;
    gpureg_texture_desc td = tex(4, 4, GPUREG_FORMAT_RGBA8_UNORM);
    td.usage = GPUREG_TEXTURE_USAGE_SAMPLED | (1u << 6);
    expect_texture_rejected(f, td, GPUREG_ERR_INVALID_USAGE);
    td.usage = 0x80000000u;
    expect_texture_rejected(f, td, GPUREG_ERR_INVALID_USAGE);
}

static void texture_usage_its_format_cannot_have_is_invalid_usage(void **state) {
    fixture *f = *state;
    gpureg_texture_desc depth = tex(4, 4, GPUREG_FORMAT_D32_FLOAT);
    depth.usage = GPUREG_TEXTURE_USAGE_COLOR_ATTACHMENT;
    expect_texture_rejected(f, depth, GPUREG_ERR_INVALID_USAGE);
    gpureg_texture_desc color = tex(4, 4, GPUREG_FORMAT_RGBA8_UNORM);
    color.usage = GPUREG_TEXTURE_USAGE_DEPTH_STENCIL_ATTACHMENT;
    expect_texture_rejected(f, color, GPUREG_ERR_INVALID_USAGE);
}

static void texture_with_too_many_mip_levels_is_invalid_argument(void **state) {
    fixture *f = *state;
    gpureg_texture_desc td = tex(4, 4, GPUREG_FORMAT_RGBA8_UNORM);
    td.mip_levels = 4; /* 4x4 has 3: 4, 2, 1 */
    expect_texture_rejected(f, td, GPUREG_ERR_INVALID_ARGUMENT);
    td = tex(8, 1, GPUREG_FORMAT_RGBA8_UNORM);
    td.mip_levels = 5;
    expect_texture_rejected(f, td, GPUREG_ERR_INVALID_ARGUMENT);
    td.mip_levels = UINT32_MAX;
    expect_texture_rejected(f, td, GPUREG_ERR_INVALID_ARGUMENT);
}

static void textures_at_the_limits_are_accepted(void **state) {
    fixture *f = *state;
    gpureg_texture_desc td = tex(GPUREG_MAX_TEXTURE_DIMENSION, 1, GPUREG_FORMAT_R8_UNORM);
    td.mip_levels = 17;
    td.usage = GPUREG_TEXTURE_USAGE_ALL & ~(uint32_t)GPUREG_TEXTURE_USAGE_DEPTH_STENCIL_ATTACHMENT;
    gpureg_texture t;
    assert_int_equal(gpureg_texture_create(f->reg, &td, &t), GPUREG_OK);
    gpureg_texture_desc layers = tex(1, 1, GPUREG_FORMAT_D24_UNORM_S8_UINT);
    layers.array_layers = GPUREG_MAX_ARRAY_LAYERS;
    layers.usage = GPUREG_TEXTURE_USAGE_DEPTH_STENCIL_ATTACHMENT;
    assert_int_equal(gpureg_texture_create(f->reg, &layers, &t), GPUREG_OK);
    gpureg_object_info info;
    assert_int_equal(gpureg_query(f->reg, t.id, &info), GPUREG_OK);
    assert_int_equal(info.texture.array_layers, GPUREG_MAX_ARRAY_LAYERS);
    assert_int_equal(info.bytes, 4ull * GPUREG_MAX_ARRAY_LAYERS);
}

static void buffer_of_zero_or_absurd_size_is_invalid_size(void **state) {
    fixture *f = *state;
    expect_buffer_rejected(f, (gpureg_buffer_desc){.size = 0}, GPUREG_ERR_INVALID_SIZE);
    expect_buffer_rejected(f, (gpureg_buffer_desc){.size = GPUREG_MAX_BUFFER_SIZE + 1}, GPUREG_ERR_INVALID_SIZE);
    expect_buffer_rejected(f, (gpureg_buffer_desc){.size = UINT64_MAX}, GPUREG_ERR_INVALID_SIZE);
}

static void buffer_with_unknown_usage_bits_is_invalid_usage(void **state) {
    fixture *f = *state;
    expect_buffer_rejected(f, (gpureg_buffer_desc){.size = 4, .usage = 1u << 7}, GPUREG_ERR_INVALID_USAGE);
    expect_buffer_rejected(f, (gpureg_buffer_desc){.size = 4, .usage = 0xFFFFFFFFu}, GPUREG_ERR_INVALID_USAGE);
}

static void buffer_at_the_size_limit_is_accepted(void **state) {
    fixture *f = *state;
    gpureg_buffer_desc bd = {.size = GPUREG_MAX_BUFFER_SIZE, .usage = GPUREG_BUFFER_USAGE_ALL};
    gpureg_buffer b;
    assert_int_equal(gpureg_buffer_create(f->reg, &bd, &b), GPUREG_OK);
    gpureg_object_info info;
    assert_int_equal(gpureg_query(f->reg, b.id, &info), GPUREG_OK);
    assert_int_equal(info.buffer.size, GPUREG_MAX_BUFFER_SIZE);
    assert_int_equal(info.buffer.usage, GPUREG_BUFFER_USAGE_ALL);
}

static void create_with_null_pointers_is_null_pointer(void **state) {
    fixture *f = *state;
    gpureg_stats before = get_stats(f->reg);
    gpureg_texture_desc td = small_texture_desc();
    gpureg_texture t = {0xBAD};
    assert_int_equal(gpureg_texture_create(f->reg, NULL, &t), GPUREG_ERR_NULL_POINTER);
    assert_int_equal(t.id, 0);
    assert_logged_once(&f->lc, GPUREG_ERR_NULL_POINTER, "gpureg_texture_create");
    log_capture_reset(&f->lc);
    assert_int_equal(gpureg_texture_create(f->reg, &td, NULL), GPUREG_ERR_NULL_POINTER);
    assert_logged_once(&f->lc, GPUREG_ERR_NULL_POINTER, "gpureg_texture_create");
    t.id = 0xBAD;
    assert_int_equal(gpureg_texture_create(NULL, &td, &t), GPUREG_ERR_NULL_POINTER);
    assert_int_equal(t.id, 0);
    gpureg_buffer_desc bd = small_buffer_desc();
    gpureg_buffer b = {0xBAD};
    log_capture_reset(&f->lc);
    assert_int_equal(gpureg_buffer_create(f->reg, NULL, &b), GPUREG_ERR_NULL_POINTER);
    assert_int_equal(b.id, 0);
    assert_logged_once(&f->lc, GPUREG_ERR_NULL_POINTER, "gpureg_buffer_create");
    assert_int_equal(gpureg_buffer_create(f->reg, &bd, NULL), GPUREG_ERR_NULL_POINTER);
    assert_int_equal(gpureg_buffer_create(NULL, &bd, &b), GPUREG_ERR_NULL_POINTER);
    assert_int_equal(gpureg_texture_adopt(f->reg, NULL, 1, NULL, NULL, &t), GPUREG_ERR_NULL_POINTER);
    assert_int_equal(gpureg_buffer_adopt(f->reg, &bd, 1, NULL, NULL, NULL), GPUREG_ERR_NULL_POINTER);
    gpureg_stats after = get_stats(f->reg);
    assert_stats_equal(before, after);
}

static void other_calls_with_null_pointers_answer_null_pointer(void **state) {
    fixture *f = *state;
    gpureg_stats before = get_stats(f->reg);
    assert_int_equal(gpureg_get_stats(f->reg, NULL), GPUREG_ERR_NULL_POINTER);
    assert_int_equal(gpureg_get_stats(NULL, &before), GPUREG_ERR_NULL_POINTER);
    assert_int_equal(gpureg_query(f->reg, f->existing.id, NULL), GPUREG_ERR_NULL_POINTER);
    assert_int_equal(gpureg_resolve(f->reg, f->existing.id, GPUREG_TYPE_TEXTURE, NULL), GPUREG_ERR_NULL_POINTER);
    size_t count = 9;
    assert_int_equal(gpureg_poll_messages(f->reg, NULL, 0, NULL), GPUREG_ERR_NULL_POINTER);
    assert_int_equal(gpureg_poll_messages(f->reg, NULL, 4, &count), GPUREG_ERR_NULL_POINTER);
    assert_int_equal(gpureg_poll_messages(f->reg, NULL, 0, &count), GPUREG_OK);
    assert_int_equal(count, 0);
    assert_int_equal(gpureg_get_label(f->reg, f->existing.id, NULL, 8, NULL), GPUREG_ERR_NULL_POINTER);
    assert_int_equal(gpureg_collect(NULL, NULL), GPUREG_ERR_NULL_POINTER);
    assert_int_equal(gpureg_frame_begin(NULL), GPUREG_ERR_NULL_POINTER);
    assert_int_equal(gpureg_frame_end(NULL), GPUREG_ERR_NULL_POINTER);
    assert_int_equal(gpureg_set_label(NULL, f->existing.id, "x"), GPUREG_ERR_NULL_POINTER);
    assert_int_equal(gpureg_error_message_count(NULL), 0);
    gpureg_stats after = get_stats(f->reg);
    assert_stats_equal(before, after);
}

static void frame_begin_while_a_frame_is_open_is_frame_state(void **state) {
    fixture *f = *state;
    assert_int_equal(gpureg_frame_begin(f->reg), GPUREG_OK);
    log_capture_reset(&f->lc);
    assert_int_equal(gpureg_frame_begin(f->reg), GPUREG_ERR_FRAME_STATE);
    assert_logged_once(&f->lc, GPUREG_ERR_FRAME_STATE, "gpureg_frame_begin");
    assert_int_equal(gpureg_frame_serial(f->reg), 1);
    assert_int_equal(gpureg_frame_end(f->reg), GPUREG_OK);
}

static void frame_end_without_an_open_frame_is_frame_state(void **state) {
    fixture *f = *state;
    assert_int_equal(gpureg_frame_end(f->reg), GPUREG_ERR_FRAME_STATE);
    assert_logged_once(&f->lc, GPUREG_ERR_FRAME_STATE, "gpureg_frame_end");
    assert_int_equal(gpureg_frame_serial(f->reg), 0);
    assert_int_equal(gpureg_frame_begin(f->reg), GPUREG_OK);
    assert_int_equal(gpureg_frame_end(f->reg), GPUREG_OK);
    log_capture_reset(&f->lc);
    assert_int_equal(gpureg_frame_end(f->reg), GPUREG_ERR_FRAME_STATE);
    assert_logged_once(&f->lc, GPUREG_ERR_FRAME_STATE, "gpureg_frame_end");
    assert_int_equal(gpureg_frame_serial(f->reg), 1);
}

static void backend_name_is_null(void **state) {
    fixture *f = *state;
    assert_string_equal(gpureg_backend_name(f->reg), "null");
}

/* ---- registry descs -------------------------------------------------------------------------- */

static void expect_registry_desc_rejected(gpureg_registry_desc rd, gpureg_result expected) {
    log_capture lc;
    log_capture_init(&lc);
    rd.log = log_capture_fn;
    rd.log_user = &lc;
    gpureg_registry *reg = NULL;
    assert_int_equal(gpureg_null_create(&rd, &reg), expected);
    assert_null(reg);
    assert_logged_once(&lc, expected, "create");
}

static void *never_alloc(size_t size, void *user) { return NULL; }

static void registry_desc_members_out_of_range_are_invalid_argument(void **state) {
    gpureg_registry_desc rd = {0};
    rd.frames_in_flight = 17;
    expect_registry_desc_rejected(rd, GPUREG_ERR_INVALID_ARGUMENT);
    rd = (gpureg_registry_desc){0};
    rd.message_capacity = 65537;
    expect_registry_desc_rejected(rd, GPUREG_ERR_INVALID_ARGUMENT);
    rd = (gpureg_registry_desc){0};
    rd.allocator.alloc = never_alloc; /* alloc without free */
    expect_registry_desc_rejected(rd, GPUREG_ERR_INVALID_ARGUMENT);
    rd = (gpureg_registry_desc){0};
    rd.report_format = (gpureg_report_format)4;
    expect_registry_desc_rejected(rd, GPUREG_ERR_INVALID_ARGUMENT);
}

static void registry_desc_limits_are_accepted(void **state) {
    gpureg_registry_desc rd = {0};
    rd.frames_in_flight = 16;
    rd.message_capacity = 65536;
    rd.report_format = GPUREG_REPORT_OFF;
    gpureg_registry *reg = NULL;
    assert_int_equal(gpureg_null_create(&rd, &reg), GPUREG_OK);
    destroy_expecting(reg, 0);
}

static void registry_create_without_desc_takes_every_default(void **state) {
    gpureg_registry *reg = NULL;
    assert_int_equal(gpureg_null_create(NULL, &reg), GPUREG_OK);
    assert_non_null(reg);
    assert_int_equal(gpureg_destroy(reg), 0);
}

static int create_with_null_out(void *arg) {
    gpureg_registry_desc rd = {0};
    return gpureg_null_create(&rd, NULL) == GPUREG_ERR_NULL_POINTER ? 0 : 1;
}

static void registry_create_without_out_is_null_pointer(void **state) {
    int status = run_in_child(create_with_null_out, NULL);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        if (WIFSIGNALED(status)) print_error("gpureg_null_create(&desc, NULL) died of signal %d\n", WTERMSIG(status));
        fail();
    }
}

int main(void) {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_result_has_a_distinct_name),
        cmocka_unit_test(unknown_result_values_are_named_unknown),
        cmocka_unit_test(formats_have_names_and_texel_sizes),
        T(texture_with_a_zero_dimension_is_invalid_size),
        T(texture_beyond_the_dimension_limit_is_invalid_size),
        T(texture_with_an_unknown_format_is_invalid_format),
        T(texture_with_unknown_usage_bits_is_invalid_usage),
        T(texture_usage_its_format_cannot_have_is_invalid_usage),
        T(texture_with_too_many_mip_levels_is_invalid_argument),
        T(textures_at_the_limits_are_accepted),
        T(buffer_of_zero_or_absurd_size_is_invalid_size),
        T(buffer_with_unknown_usage_bits_is_invalid_usage),
        T(buffer_at_the_size_limit_is_accepted),
        T(create_with_null_pointers_is_null_pointer),
        T(other_calls_with_null_pointers_answer_null_pointer),
        T(frame_begin_while_a_frame_is_open_is_frame_state),
        T(frame_end_without_an_open_frame_is_frame_state),
        T(backend_name_is_null),
        cmocka_unit_test(registry_desc_members_out_of_range_are_invalid_argument),
        cmocka_unit_test(registry_desc_limits_are_accepted),
        cmocka_unit_test(registry_create_without_desc_takes_every_default),
        cmocka_unit_test(registry_create_without_out_is_null_pointer),
    };
#undef T
    return cmocka_run_group_tests_name("errors", tests, NULL, NULL);
}
