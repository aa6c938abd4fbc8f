/* test_refcount.c — reference counting: create = 1, retain/release, release at 0, double
 * release, adopted objects, GC releases, batches and the overflow limit. */
#include "test_util.h"

#include "core/registry.h" /* white box: only the overflow test, to reach 2^26 - 1 without 2^26 retains */

static uint32_t refcount_of(gpureg_registry *reg, gpureg_handle h) {
    gpureg_object_info info;
    assert_int_equal(gpureg_query(reg, h, &info), GPUREG_OK);
    return info.refcount;
}

static void create_starts_with_one_reference(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    gpureg_texture t = make_texture(reg);
    gpureg_buffer b = make_buffer(reg);
    assert_int_equal(refcount_of(reg, t.id), 1);
    assert_int_equal(refcount_of(reg, b.id), 1);
    destroy_expecting(reg, 2);
}

static void retain_adds_and_release_drops_one_reference(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    gpureg_texture t = make_texture(reg);
    assert_int_equal(gpureg_texture_retain(reg, t), GPUREG_OK);
    assert_int_equal(gpureg_texture_retain(reg, t), GPUREG_OK);
    assert_int_equal(refcount_of(reg, t.id), 3);
    assert_int_equal(gpureg_texture_release(reg, t), GPUREG_OK);
    assert_int_equal(refcount_of(reg, t.id), 2);
    destroy_expecting(reg, 1);
}

static void object_stays_alive_until_its_last_reference_is_released(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    gpureg_texture t = make_texture(reg);
    assert_int_equal(gpureg_texture_retain(reg, t), GPUREG_OK);
    assert_int_equal(gpureg_texture_release(reg, t), GPUREG_OK);
    assert_int_equal(gpureg_collect(reg, NULL), GPUREG_OK);
    assert_int_equal(gpureg_query_state(reg, t.id), GPUREG_STATE_ALIVE);
    uint64_t native;
    assert_int_equal(gpureg_texture_native(reg, t, &native), GPUREG_OK);
    assert_int_equal(gpureg_texture_release(reg, t), GPUREG_OK);
    assert_int_equal(gpureg_query_state(reg, t.id), GPUREG_STATE_RELEASED);
    assert_int_equal(gpureg_texture_native(reg, t, &native), GPUREG_ERR_RELEASED);
    destroy_expecting(reg, 0);
}

static void double_release_answers_released_and_changes_nothing(void **state) {
    log_capture lc;
    log_capture_init(&lc);
    gpureg_registry *reg = make_registry(&lc);
    gpureg_texture keep = make_texture(reg);
    gpureg_texture t = make_texture(reg);
    assert_int_equal(gpureg_frame_begin(reg), GPUREG_OK);
    assert_int_equal(gpureg_texture_release(reg, t), GPUREG_OK);
    assert_int_equal(gpureg_frame_end(reg), GPUREG_OK); /* fence 1 is held back: t stays pending */
    gpureg_stats before = get_stats(reg);
    log_capture_reset(&lc);
    assert_int_equal(gpureg_texture_release(reg, t), GPUREG_ERR_RELEASED);
    assert_logged_once(&lc, GPUREG_ERR_RELEASED, "gpureg_release");
    assert_int_equal(gpureg_collect(reg, NULL), GPUREG_OK);
    gpureg_stats after = get_stats(reg);
    assert_stats_equal(before, after);
    assert_int_equal(after.texture.pending_count, 1);
    assert_int_equal(refcount_of(reg, t.id), 0);
    assert_int_equal(refcount_of(reg, keep.id), 1); /* the extra release did not land elsewhere */
    destroy_expecting(reg, 1);
}

static void release_of_a_destroyed_handle_answers_stale(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    gpureg_buffer b = make_buffer(reg);
    assert_int_equal(gpureg_buffer_release(reg, b), GPUREG_OK);
    assert_int_equal(gpureg_collect(reg, NULL), GPUREG_OK);
    gpureg_stats before = get_stats(reg);
    assert_int_equal(gpureg_buffer_release(reg, b), GPUREG_ERR_STALE_HANDLE);
    gpureg_stats after = get_stats(reg);
    assert_stats_equal(before, after);
    destroy_expecting(reg, 0);
}

static void release_of_an_adopted_object_twice_destroys_it_once(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    adopt_counter ac;
    adopt_counter_init(&ac);
    gpureg_texture_desc td = small_texture_desc();
    gpureg_texture t;
    assert_int_equal(gpureg_texture_adopt(reg, &td, 0xABCDu, adopt_counter_destroy_fn, &ac, &t), GPUREG_OK);
    gpureg_object_info info;
    assert_int_equal(gpureg_query(reg, t.id, &info), GPUREG_OK);
    assert_int_equal(info.adopted, 1);
    assert_int_equal(info.native, 0xABCDu);
    assert_int_equal(gpureg_texture_release(reg, t), GPUREG_OK);
    assert_int_equal(gpureg_texture_release(reg, t), GPUREG_ERR_RELEASED);
    assert_int_equal(gpureg_collect(reg, NULL), GPUREG_OK);
    assert_int_equal(atomic_load(&ac.calls), 1);
    assert_int_equal(gpureg_texture_release(reg, t), GPUREG_ERR_STALE_HANDLE);
    assert_int_equal(gpureg_collect(reg, NULL), GPUREG_OK);
    destroy_expecting(reg, 0);
    assert_int_equal(atomic_load(&ac.calls), 1);
    assert_int_equal(adopt_counter_calls_for(&ac, 0xABCDu), 1);
}

static void retain_of_a_released_handle_fails_and_does_not_revive_it(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    gpureg_buffer b = make_buffer(reg);
    assert_int_equal(gpureg_frame_begin(reg), GPUREG_OK);
    assert_int_equal(gpureg_buffer_release(reg, b), GPUREG_OK);
    assert_int_equal(gpureg_buffer_retain(reg, b), GPUREG_ERR_RELEASED);
    assert_int_equal(gpureg_query_state(reg, b.id), GPUREG_STATE_RELEASED);
    assert_int_equal(refcount_of(reg, b.id), 0);
    assert_int_equal(gpureg_frame_end(reg), GPUREG_OK);
    assert_int_equal(gpureg_null_signal(reg, 1), GPUREG_OK);
    uint32_t destroyed = 0;
    assert_int_equal(gpureg_collect(reg, &destroyed), GPUREG_OK);
    assert_int_equal(destroyed, 1);
    assert_int_equal(gpureg_buffer_retain(reg, b), GPUREG_ERR_STALE_HANDLE);
    destroy_expecting(reg, 0);
}

static void release_from_gc_marks_the_object_when_it_drops_the_last_reference(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    gpureg_texture t = make_texture(reg);
    assert_int_equal(gpureg_frame_begin(reg), GPUREG_OK);
    assert_int_equal(gpureg_release_from_gc(reg, t.id), GPUREG_OK);
    gpureg_object_info info;
    assert_int_equal(gpureg_query(reg, t.id, &info), GPUREG_OK);
    assert_int_equal(info.state, GPUREG_STATE_RELEASED);
    assert_int_equal(info.released_by_gc, 1);
    assert_int_equal(gpureg_frame_end(reg), GPUREG_OK);
    destroy_expecting(reg, 0);
}

static void release_from_gc_of_a_non_last_reference_does_not_mark_the_object(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    gpureg_texture t = make_texture(reg);
    assert_int_equal(gpureg_texture_retain(reg, t), GPUREG_OK);
    assert_int_equal(gpureg_release_from_gc(reg, t.id), GPUREG_OK);
    gpureg_object_info info;
    assert_int_equal(gpureg_query(reg, t.id, &info), GPUREG_OK);
    assert_int_equal(info.refcount, 1);
    assert_int_equal(info.released_by_gc, 0);
    assert_int_equal(gpureg_frame_begin(reg), GPUREG_OK);
    assert_int_equal(gpureg_texture_release(reg, t), GPUREG_OK); /* the explicit release is the last */
    assert_int_equal(gpureg_query(reg, t.id, &info), GPUREG_OK);
    assert_int_equal(info.state, GPUREG_STATE_RELEASED);
    assert_int_equal(info.released_by_gc, 0);
    assert_int_equal(gpureg_frame_end(reg), GPUREG_OK);
    destroy_expecting(reg, 0);
}

static void batched_retain_and_release_answer_per_handle(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    gpureg_texture t = make_texture(reg);
    gpureg_buffer b = make_buffer(reg);
    gpureg_handle handles[4] = {t.id, 0, b.id, t.id};
    gpureg_result results[4];
    assert_int_equal(gpureg_retain_many(reg, handles, 4, results), 1);
    assert_int_equal(results[0], GPUREG_OK);
    assert_int_equal(results[1], GPUREG_ERR_INVALID_HANDLE);
    assert_int_equal(results[2], GPUREG_OK);
    assert_int_equal(results[3], GPUREG_OK);
    assert_int_equal(refcount_of(reg, t.id), 3);
    assert_int_equal(refcount_of(reg, b.id), 2);
    assert_int_equal(gpureg_release_many(reg, handles, 4, NULL), 1); /* results are optional */
    assert_int_equal(refcount_of(reg, t.id), 1);
    assert_int_equal(refcount_of(reg, b.id), 1);
    gpureg_handle twice[3] = {b.id, b.id, b.id};
    assert_int_equal(gpureg_release_many(reg, twice, 3, results), 2);
    assert_int_equal(results[0], GPUREG_OK);
    assert_int_equal(results[1], GPUREG_ERR_RELEASED);
    assert_int_equal(results[2], GPUREG_ERR_RELEASED);
    destroy_expecting(reg, 1);
}

static void batched_calls_with_null_arrays_fail_every_handle_and_change_nothing(void **state) {
    log_capture lc;
    log_capture_init(&lc);
    gpureg_registry *reg = make_registry(&lc);
    gpureg_texture t = make_texture(reg);
    gpureg_result results[2] = {GPUREG_ERR_BACKEND, GPUREG_ERR_BACKEND};
    log_capture_reset(&lc);
    /* Nothing was done, so every handle failed: 0 would read as "all succeeded". */
    assert_int_equal(gpureg_retain_many(reg, NULL, 2, results), 2);
    assert_logged_once(&lc, GPUREG_ERR_NULL_POINTER, "gpureg_retain_many");
    assert_int_equal(results[0], GPUREG_ERR_NULL_POINTER);
    assert_int_equal(results[1], GPUREG_ERR_NULL_POINTER);
    log_capture_reset(&lc);
    assert_int_equal(gpureg_release_many(reg, NULL, 2, NULL), 2);
    assert_logged_once(&lc, GPUREG_ERR_NULL_POINTER, "gpureg_release_many");
    assert_int_equal(gpureg_release_many(reg, NULL, 0, NULL), 0);
    results[0] = GPUREG_ERR_BACKEND;
    assert_int_equal(gpureg_retain_many(NULL, &t.id, 1, results), 1);
    assert_int_equal(results[0], GPUREG_ERR_NULL_POINTER);
    assert_int_equal(gpureg_release_many(NULL, &t.id, 1, NULL), 1);
    assert_int_equal(refcount_of(reg, t.id), 1);
    destroy_expecting(reg, 1);
}

/* White box: the refcount field is 26 bits; set it to its maximum minus one instead of making
 * 2^26 calls, then check the public behaviour at the limit. */
static void retain_at_the_maximum_refcount_answers_overflow(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    gpureg_texture t = make_texture(reg);
    gpureg__slot *slot = pool_slot(&reg->pool, handle_index_of(t.id));
    assert_non_null(slot);
    atomic_fetch_add(&slot->word, WORD_RC_MAX - 2u); /* refcount 1 -> 2^26 - 2 */
    assert_int_equal(gpureg_texture_retain(reg, t), GPUREG_OK);
    assert_int_equal(refcount_of(reg, t.id), (1u << 26) - 1u);
    assert_int_equal(gpureg_texture_retain(reg, t), GPUREG_ERR_REFCOUNT_OVERFLOW);
    assert_int_equal(refcount_of(reg, t.id), (1u << 26) - 1u);
    assert_int_equal(gpureg_query_state(reg, t.id), GPUREG_STATE_ALIVE);
    atomic_fetch_sub(&slot->word, WORD_RC_MAX - 1u); /* back to 1 */
    assert_int_equal(gpureg_texture_release(reg, t), GPUREG_OK);
    assert_int_equal(gpureg_query_state(reg, t.id), GPUREG_STATE_RELEASED);
    destroy_expecting(reg, 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(create_starts_with_one_reference),
        cmocka_unit_test(retain_adds_and_release_drops_one_reference),
        cmocka_unit_test(object_stays_alive_until_its_last_reference_is_released),
        cmocka_unit_test(double_release_answers_released_and_changes_nothing),
        cmocka_unit_test(release_of_a_destroyed_handle_answers_stale),
        cmocka_unit_test(release_of_an_adopted_object_twice_destroys_it_once),
        cmocka_unit_test(retain_of_a_released_handle_fails_and_does_not_revive_it),
        cmocka_unit_test(release_from_gc_marks_the_object_when_it_drops_the_last_reference),
        cmocka_unit_test(release_from_gc_of_a_non_last_reference_does_not_mark_the_object),
        cmocka_unit_test(batched_retain_and_release_answer_per_handle),
        cmocka_unit_test(batched_calls_with_null_arrays_fail_every_handle_and_change_nothing),
        cmocka_unit_test(retain_at_the_maximum_refcount_answers_overflow),
    };
    return cmocka_run_group_tests_name("refcount", tests, NULL, NULL);
}
