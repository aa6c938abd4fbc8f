/* test_handles.c — handles: layout, and the distinct answer to every kind of bad handle. */
#include "test_util.h"

#include <string.h>

/* Every handle-taking call answers `expected` for h, and the object state does not change. */
static void assert_every_call_answers(gpureg_registry *reg, gpureg_handle h, gpureg_result expected) {
    gpureg_stats before = get_stats(reg);
    uint64_t native = 12345;
    assert_int_equal(gpureg_resolve(reg, h, GPUREG_TYPE_UNDEFINED, &native), expected);
    assert_int_equal(native, 0);
    assert_int_equal(gpureg_retain(reg, h), expected);
    assert_int_equal(gpureg_release(reg, h), expected);
    assert_int_equal(gpureg_release_from_gc(reg, h), expected);
    gpureg_object_info info;
    assert_int_equal(gpureg_query(reg, h, &info), expected);
    assert_int_equal(gpureg_set_label(reg, h, "x"), expected);
    char buf[8];
    assert_int_equal(gpureg_get_label(reg, h, buf, sizeof buf, NULL), expected);
    gpureg_stats after = get_stats(reg);
    assert_stats_equal(before, after);
}

static void handle_layout_matches_the_documentation(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    gpureg_texture t = make_texture(reg);
    gpureg_buffer b = make_buffer(reg);
    assert_int_equal(handle_index_of(t.id), 0);
    assert_int_equal(handle_index_of(b.id), 1);
    assert_int_equal(handle_generation_of(t.id), 1);
    assert_int_equal(handle_generation_of(b.id), 1);
    assert_int_equal(handle_type_of(t.id), GPUREG_TYPE_TEXTURE);
    assert_int_equal(handle_type_of(b.id), GPUREG_TYPE_BUFFER);
    uint32_t tag = handle_tag_of(t.id);
    assert_true(tag >= 1 && tag <= 1023);
    assert_int_equal(handle_tag_of(b.id), tag);
    destroy_expecting(reg, 2);
}

static void zero_handle_is_invalid(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    make_texture(reg);
    assert_every_call_answers(reg, 0, GPUREG_ERR_INVALID_HANDLE);
    assert_int_equal(gpureg_query_state(reg, 0), GPUREG_STATE_INVALID);
    destroy_expecting(reg, 1);
}

static void never_issued_index_is_invalid(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    gpureg_texture t = make_texture(reg);
    uint32_t tag = handle_tag_of(t.id);
    const uint32_t indices[] = {1, 2, 255, 256, 100000, 0x7FFFFFFFu, 0xFFFFFFFFu};
    for (size_t i = 0; i < sizeof indices / sizeof indices[0]; i++) {
        gpureg_handle forged = handle_compose(indices[i], 1, GPUREG_TYPE_TEXTURE, tag);
        assert_every_call_answers(reg, forged, GPUREG_ERR_INVALID_HANDLE);
        assert_int_equal(gpureg_query_state(reg, forged), GPUREG_STATE_INVALID);
    }
    destroy_expecting(reg, 1);
}

static void generation_beyond_the_slot_is_invalid(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    gpureg_texture t = make_texture(reg);
    const uint32_t gens[] = {2, 3, 0x80000, 0xFFFFF};
    for (size_t i = 0; i < sizeof gens / sizeof gens[0]; i++) {
        gpureg_handle forged = handle_compose(0, gens[i], GPUREG_TYPE_TEXTURE, handle_tag_of(t.id));
        assert_every_call_answers(reg, forged, GPUREG_ERR_INVALID_HANDLE);
        assert_int_equal(gpureg_query_state(reg, forged), GPUREG_STATE_INVALID);
    }
    assert_int_equal(gpureg_query_state(reg, t.id), GPUREG_STATE_ALIVE);
    destroy_expecting(reg, 1);
}

static void generation_zero_is_invalid(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    gpureg_texture t = make_texture(reg);
    gpureg_handle forged = handle_compose(0, 0, GPUREG_TYPE_TEXTURE, handle_tag_of(t.id));
    assert_every_call_answers(reg, forged, GPUREG_ERR_INVALID_HANDLE);
    assert_int_equal(gpureg_query_state(reg, forged), GPUREG_STATE_INVALID);
    destroy_expecting(reg, 1);
}

static void type_bits_that_name_no_type_are_invalid(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    gpureg_texture t = make_texture(reg);
    for (uint32_t type = 0; type <= 3; type += 3) {
        gpureg_handle forged = handle_compose(0, 1, type, handle_tag_of(t.id));
        assert_every_call_answers(reg, forged, GPUREG_ERR_INVALID_HANDLE);
        assert_int_equal(gpureg_query_state(reg, forged), GPUREG_STATE_INVALID);
    }
    destroy_expecting(reg, 1);
}

/* A texture's handle with the buffer type bits was never issued: INVALID, not an alias. */
static void swapped_type_bits_of_a_live_handle_are_invalid(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    gpureg_texture t = make_texture(reg);
    gpureg_handle forged = handle_compose(0, 1, GPUREG_TYPE_BUFFER, handle_tag_of(t.id));
    assert_every_call_answers(reg, forged, GPUREG_ERR_INVALID_HANDLE);
    uint64_t native = 1;
    assert_int_equal(gpureg_resolve(reg, forged, GPUREG_TYPE_BUFFER, &native), GPUREG_ERR_INVALID_HANDLE);
    assert_int_equal(native, 0);
    assert_int_equal(gpureg_query_state(reg, forged), GPUREG_STATE_INVALID);
    gpureg_object_info info;
    assert_int_equal(gpureg_query(reg, t.id, &info), GPUREG_OK);
    assert_int_equal(info.refcount, 1);
    destroy_expecting(reg, 1);
}

static void destroyed_handle_is_stale(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    gpureg_texture t = make_texture(reg);
    assert_int_equal(gpureg_texture_release(reg, t), GPUREG_OK);
    uint32_t destroyed = 0;
    assert_int_equal(gpureg_collect(reg, &destroyed), GPUREG_OK);
    assert_int_equal(destroyed, 1);
    assert_every_call_answers(reg, t.id, GPUREG_ERR_STALE_HANDLE);
    assert_int_equal(gpureg_query_state(reg, t.id), GPUREG_STATE_DESTROYED);
    destroy_expecting(reg, 0);
}

static void stale_handle_never_aliases_the_object_reusing_its_slot(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    gpureg_texture old = make_texture(reg);
    assert_int_equal(gpureg_texture_release(reg, old), GPUREG_OK);
    gpureg_texture fresh = make_texture(reg); /* the create collects old first, then reuses slot 0 */
    assert_int_equal(handle_index_of(fresh.id), handle_index_of(old.id));
    assert_int_equal(handle_generation_of(fresh.id), handle_generation_of(old.id) + 1);
    assert_every_call_answers(reg, old.id, GPUREG_ERR_STALE_HANDLE);
    assert_int_equal(gpureg_query_state(reg, old.id), GPUREG_STATE_DESTROYED);
    uint64_t native = 0;
    assert_int_equal(gpureg_texture_native(reg, fresh, &native), GPUREG_OK);
    assert_true(native != 0);
    gpureg_object_info info;
    assert_int_equal(gpureg_query(reg, fresh.id, &info), GPUREG_OK);
    assert_int_equal(info.refcount, 1);
    destroy_expecting(reg, 1);
}

static void released_handle_answers_released(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    gpureg_texture t = make_texture(reg);
    assert_int_equal(gpureg_frame_begin(reg), GPUREG_OK);
    assert_int_equal(gpureg_texture_release(reg, t), GPUREG_OK); /* fence 1 never signals */
    assert_int_equal(gpureg_frame_end(reg), GPUREG_OK);
    gpureg_stats before = get_stats(reg);
    uint64_t native = 7;
    assert_int_equal(gpureg_texture_native(reg, t, &native), GPUREG_ERR_RELEASED);
    assert_int_equal(native, 0);
    assert_int_equal(gpureg_retain(reg, t.id), GPUREG_ERR_RELEASED);
    assert_int_equal(gpureg_release(reg, t.id), GPUREG_ERR_RELEASED);
    assert_int_equal(gpureg_release_from_gc(reg, t.id), GPUREG_ERR_RELEASED);
    assert_int_equal(gpureg_set_label(reg, t.id, "late"), GPUREG_ERR_RELEASED);
    assert_int_equal(gpureg_query_state(reg, t.id), GPUREG_STATE_RELEASED);
    gpureg_object_info info;
    assert_int_equal(gpureg_query(reg, t.id, &info), GPUREG_OK); /* released objects are described */
    assert_int_equal(info.state, GPUREG_STATE_RELEASED);
    assert_int_equal(info.refcount, 0);
    assert_int_equal(info.released_by_gc, 0);
    gpureg_stats after = get_stats(reg);
    assert_stats_equal(before, after);
    destroy_expecting(reg, 0);
}

static void buffer_handle_where_a_texture_is_expected_is_wrong_type(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    gpureg_texture t = make_texture(reg);
    gpureg_buffer b = make_buffer(reg);
    uint64_t native = 9;
    assert_int_equal(gpureg_texture_native(reg, (gpureg_texture){b.id}, &native), GPUREG_ERR_WRONG_TYPE);
    assert_int_equal(native, 0);
    native = 9;
    assert_int_equal(gpureg_buffer_native(reg, (gpureg_buffer){t.id}, &native), GPUREG_ERR_WRONG_TYPE);
    assert_int_equal(native, 0);
    char data[64] = {0};
    gpureg_texture_region region = {0};
    assert_int_equal(gpureg_texture_write(reg, (gpureg_texture){b.id}, &region, data, sizeof data, 0),
                     GPUREG_ERR_WRONG_TYPE);
    assert_int_equal(gpureg_buffer_write(reg, (gpureg_buffer){t.id}, 0, data, 4), GPUREG_ERR_WRONG_TYPE);
    /* UNDEFINED accepts either type. */
    assert_int_equal(gpureg_resolve(reg, t.id, GPUREG_TYPE_UNDEFINED, &native), GPUREG_OK);
    assert_int_equal(gpureg_resolve(reg, b.id, GPUREG_TYPE_UNDEFINED, &native), GPUREG_OK);
    destroy_expecting(reg, 2);
}

/* An expected type no object has (3, 5, ... — 5 sets bit 2, which in a handle's top 12 bits is
 * the tag's lowest bit) matches nothing, on any registry whatever its tag. */
static void expected_type_that_names_no_type_matches_nothing(void **state) {
    gpureg_registry *regs[4];
    for (int i = 0; i < 4; i++) {
        regs[i] = make_registry(NULL);
        gpureg_texture t = make_texture(regs[i]);
        gpureg_buffer b = make_buffer(regs[i]);
        const uint32_t bogus[] = {3u, 4u, 5u, 6u, 7u, 9u, 0x1001u, 0x7fffffffu};
        for (size_t k = 0; k < sizeof bogus / sizeof bogus[0]; k++) {
            uint64_t native = 9;
            assert_int_equal(gpureg_resolve(regs[i], t.id, (gpureg_object_type)bogus[k], &native),
                             GPUREG_ERR_WRONG_TYPE);
            assert_int_equal(native, 0);
            assert_int_equal(gpureg_resolve(regs[i], b.id, (gpureg_object_type)bogus[k], &native),
                             GPUREG_ERR_WRONG_TYPE);
        }
    }
    for (int i = 3; i >= 0; i--)
        destroy_expecting(regs[i], 2);
}

static void handle_from_another_live_registry_is_foreign(void **state) {
    gpureg_registry *a = make_registry(NULL);
    gpureg_registry *b = make_registry(NULL);
    gpureg_texture ta = make_texture(a);
    gpureg_texture tb = make_texture(b);
    assert_true(handle_tag_of(ta.id) != handle_tag_of(tb.id));
    /* Same index, generation and type: only the registry tag tells them apart. */
    assert_int_equal(ta.id & ~(1023ull << 54), tb.id & ~(1023ull << 54));
    assert_every_call_answers(a, tb.id, GPUREG_ERR_FOREIGN_HANDLE);
    assert_every_call_answers(b, ta.id, GPUREG_ERR_FOREIGN_HANDLE);
    assert_int_equal(gpureg_query_state(a, tb.id), GPUREG_STATE_INVALID);
    assert_int_equal(gpureg_query_state(b, ta.id), GPUREG_STATE_INVALID);
    assert_int_equal(gpureg_query_state(a, ta.id), GPUREG_STATE_ALIVE);
    destroy_expecting(b, 1);
    destroy_expecting(a, 1);
}

static void handle_errors_are_logged_once_naming_the_function(void **state) {
    log_capture lc;
    log_capture_init(&lc);
    gpureg_registry *reg = make_registry(&lc);
    gpureg_texture t = make_texture(reg);
    uint64_t native;
    log_capture_reset(&lc);
    assert_int_equal(gpureg_resolve(reg, t.id + (1ull << 32), GPUREG_TYPE_TEXTURE, &native), GPUREG_ERR_INVALID_HANDLE);
    assert_logged_once(&lc, GPUREG_ERR_INVALID_HANDLE, "gpureg_resolve");
    log_capture_reset(&lc);
    assert_int_equal(gpureg_retain(reg, 0), GPUREG_ERR_INVALID_HANDLE);
    assert_logged_once(&lc, GPUREG_ERR_INVALID_HANDLE, "gpureg_retain");
    log_capture_reset(&lc);
    assert_int_equal(gpureg_release(reg, t.id ^ (3ull << 52)), GPUREG_ERR_INVALID_HANDLE);
    assert_logged_once(&lc, GPUREG_ERR_INVALID_HANDLE, "gpureg_release");
    destroy_expecting(reg, 1);
}

static void query_describes_the_object_with_defaults_applied(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    gpureg_texture_desc td = {.width = 16, .height = 8, .format = GPUREG_FORMAT_RGBA16_FLOAT, .label = "t"};
    gpureg_texture t;
    assert_int_equal(gpureg_texture_create(reg, &td, &t), GPUREG_OK);
    gpureg_object_info info;
    assert_int_equal(gpureg_query(reg, t.id, &info), GPUREG_OK);
    assert_int_equal(info.type, GPUREG_TYPE_TEXTURE);
    assert_int_equal(info.state, GPUREG_STATE_ALIVE);
    assert_int_equal(info.refcount, 1);
    assert_int_equal(info.adopted, 0);
    assert_int_equal(info.released_by_gc, 0);
    assert_int_equal(info.texture.width, 16);
    assert_int_equal(info.texture.height, 8);
    assert_int_equal(info.texture.mip_levels, 1);
    assert_int_equal(info.texture.array_layers, 1);
    assert_int_equal(info.texture.format, GPUREG_FORMAT_RGBA16_FLOAT);
    assert_int_equal(info.texture.usage, GPUREG_TEXTURE_USAGE_SAMPLED | GPUREG_TEXTURE_USAGE_TRANSFER_DST);
    assert_null(info.texture.label);
    assert_int_equal(info.bytes, 16u * 8u * 8u);
    assert_int_equal(info.frame_created, 0);
    uint64_t native = 0;
    assert_int_equal(gpureg_texture_native(reg, t, &native), GPUREG_OK);
    assert_int_equal(info.native, native);

    assert_int_equal(gpureg_frame_begin(reg), GPUREG_OK);
    assert_int_equal(gpureg_frame_end(reg), GPUREG_OK);
    assert_int_equal(gpureg_frame_begin(reg), GPUREG_OK);
    gpureg_buffer_desc bd = {.size = 1000};
    gpureg_buffer b;
    assert_int_equal(gpureg_buffer_create(reg, &bd, &b), GPUREG_OK);
    assert_int_equal(gpureg_query(reg, b.id, &info), GPUREG_OK);
    assert_int_equal(info.type, GPUREG_TYPE_BUFFER);
    assert_int_equal(info.buffer.size, 1000);
    assert_int_equal(info.buffer.usage, GPUREG_BUFFER_USAGE_VERTEX | GPUREG_BUFFER_USAGE_TRANSFER_DST);
    assert_int_equal(info.bytes, 1000);
    assert_int_equal(info.frame_created, 2);
    assert_int_equal(gpureg_frame_end(reg), GPUREG_OK);

    /* Mips count in bytes: 8x8 + 4x4 + 2x2 + 1x1 texels of 4 bytes, times 3 layers. */
    gpureg_texture_desc mipped = {
        .width = 8, .height = 8, .mip_levels = 4, .array_layers = 3, .format = GPUREG_FORMAT_RGBA8_UNORM};
    gpureg_texture m;
    assert_int_equal(gpureg_texture_create(reg, &mipped, &m), GPUREG_OK);
    assert_int_equal(gpureg_query(reg, m.id, &info), GPUREG_OK);
    assert_int_equal(info.bytes, (64u + 16u + 4u + 1u) * 4u * 3u);
    assert_int_equal(info.texture.mip_levels, 4);
    assert_int_equal(info.texture.array_layers, 3);
    destroy_expecting(reg, 3);
}

static void natives_of_live_objects_are_distinct_and_nonzero(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    uint64_t natives[32];
    for (int i = 0; i < 32; i++) {
        gpureg_handle h = (i & 1) ? make_buffer(reg).id : make_texture(reg).id;
        assert_int_equal(gpureg_resolve(reg, h, GPUREG_TYPE_UNDEFINED, &natives[i]), GPUREG_OK);
        assert_true(natives[i] != 0);
        for (int j = 0; j < i; j++)
            assert_true(natives[j] != natives[i]);
    }
    destroy_expecting(reg, 32);
}

static void query_state_of_a_null_registry_is_invalid(void **state) {
    assert_int_equal(gpureg_query_state(NULL, 1), GPUREG_STATE_INVALID);
    uint64_t native = 5;
    assert_int_equal(gpureg_resolve(NULL, 1, GPUREG_TYPE_UNDEFINED, &native), GPUREG_ERR_NULL_POINTER);
    assert_int_equal(native, 0);
    assert_int_equal(gpureg_retain(NULL, 1), GPUREG_ERR_NULL_POINTER);
    assert_int_equal(gpureg_release(NULL, 1), GPUREG_ERR_NULL_POINTER);
}

/* The order of the checks decides the answer when a handle is wrong in more than one way; the
 * header documents it. */
static void handle_checks_run_in_the_documented_order(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    gpureg_texture t = make_texture(reg);
    uint64_t native;
    /* Tag 0 is never issued: foreign, whatever else the handle says. */
    gpureg_handle tag0 = t.id & ~(1023ull << 54);
    assert_int_equal(gpureg_resolve(reg, tag0, GPUREG_TYPE_TEXTURE, &native), GPUREG_ERR_FOREIGN_HANDLE);
    assert_int_equal(gpureg_retain(reg, tag0), GPUREG_ERR_FOREIGN_HANDLE);
    /* Type bits flipped to buffer: WRONG_TYPE where a texture is expected, INVALID_HANDLE where
     * any type is accepted (the slot holds a texture). */
    gpureg_handle flipped = (t.id & ~(3ull << 52)) | ((uint64_t)GPUREG_TYPE_BUFFER << 52);
    assert_int_equal(gpureg_resolve(reg, flipped, GPUREG_TYPE_TEXTURE, &native), GPUREG_ERR_WRONG_TYPE);
    assert_int_equal(gpureg_resolve(reg, flipped, GPUREG_TYPE_UNDEFINED, &native), GPUREG_ERR_INVALID_HANDLE);
    assert_int_equal(gpureg_release(reg, flipped), GPUREG_ERR_INVALID_HANDLE);
    /* Type bits 0: invalid before the expected type is looked at. Type 3 (OBJECT) on a texture's
     * slot: the wrong type where one is expected, invalid where any is accepted. */
    gpureg_handle type0 = t.id & ~(3ull << 52);
    assert_int_equal(gpureg_resolve(reg, type0, GPUREG_TYPE_BUFFER, &native), GPUREG_ERR_INVALID_HANDLE);
    gpureg_handle type3 = t.id | (3ull << 52);
    assert_int_equal(gpureg_resolve(reg, type3, GPUREG_TYPE_BUFFER, &native), GPUREG_ERR_WRONG_TYPE);
    assert_int_equal(gpureg_resolve(reg, type3, GPUREG_TYPE_UNDEFINED, &native), GPUREG_ERR_INVALID_HANDLE);
    assert_int_equal(gpureg_query_state(reg, type3), GPUREG_STATE_INVALID);
    /* Another registry's tag beats a wrong type. */
    gpureg_handle other_tag = (flipped & ~(1023ull << 54)) | ((uint64_t)(((t.id >> 54) % 1023u) + 1u) << 54);
    assert_int_equal(gpureg_resolve(reg, other_tag, GPUREG_TYPE_TEXTURE, &native), GPUREG_ERR_FOREIGN_HANDLE);
    assert_int_equal(gpureg_query_state(reg, t.id), GPUREG_STATE_ALIVE);
    destroy_expecting(reg, 1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(handle_layout_matches_the_documentation),
        cmocka_unit_test(zero_handle_is_invalid),
        cmocka_unit_test(handle_checks_run_in_the_documented_order),
        cmocka_unit_test(never_issued_index_is_invalid),
        cmocka_unit_test(generation_beyond_the_slot_is_invalid),
        cmocka_unit_test(generation_zero_is_invalid),
        cmocka_unit_test(type_bits_that_name_no_type_are_invalid),
        cmocka_unit_test(swapped_type_bits_of_a_live_handle_are_invalid),
        cmocka_unit_test(destroyed_handle_is_stale),
        cmocka_unit_test(stale_handle_never_aliases_the_object_reusing_its_slot),
        cmocka_unit_test(released_handle_answers_released),
        cmocka_unit_test(buffer_handle_where_a_texture_is_expected_is_wrong_type),
        cmocka_unit_test(expected_type_that_names_no_type_matches_nothing),
        cmocka_unit_test(handle_from_another_live_registry_is_foreign),
        cmocka_unit_test(handle_errors_are_logged_once_naming_the_function),
        cmocka_unit_test(query_describes_the_object_with_defaults_applied),
        cmocka_unit_test(natives_of_live_objects_are_distinct_and_nonzero),
        cmocka_unit_test(query_state_of_a_null_registry_is_invalid),
    };
    return cmocka_run_group_tests_name("handles", tests, NULL, NULL);
}
