/* test_retire.c — deferred destruction: nothing is destroyed before the fence of the frame it
 * was released in has signalled, and everything is destroyed at the first collection after. The
 * null backend's fences signal only on gpureg_null_signal, so the tests hold the "GPU" back. */
#include "test_util.h"

#include <stdlib.h>

typedef struct fixture {
    gpureg_registry *reg;
    adopt_counter ac;
    uint64_t next_native;
} fixture;

static int setup(void **state) {
    fixture *f = calloc(1, sizeof *f);
    if (!f) return -1;
    f->reg = make_registry(NULL);
    adopt_counter_init(&f->ac);
    f->next_native = 0x1000;
    *state = f;
    return 0;
}

static int teardown(void **state) {
    fixture *f = *state;
    if (f->reg) gpureg_destroy(f->reg);
    free(f);
    return 0;
}

/* An adopted texture whose destruction the fixture's counter sees. */
static gpureg_texture adopt(fixture *f, uint64_t *native) {
    gpureg_texture_desc td = small_texture_desc();
    gpureg_texture t;
    *native = ++f->next_native;
    assert_int_equal(gpureg_texture_adopt(f->reg, &td, *native, adopt_counter_destroy_fn, &f->ac, &t), GPUREG_OK);
    return t;
}

static unsigned destroyed_calls(fixture *f) { return atomic_load(&f->ac.calls); }

static void frame(gpureg_registry *reg) {
    assert_int_equal(gpureg_frame_begin(reg), GPUREG_OK);
    assert_int_equal(gpureg_frame_end(reg), GPUREG_OK);
}

static void object_released_in_frame_n_waits_for_fence_n(void **state) {
    fixture *f = *state;
    uint64_t native;
    assert_int_equal(gpureg_frame_begin(f->reg), GPUREG_OK); /* frame 1 */
    gpureg_texture t = adopt(f, &native);
    assert_int_equal(gpureg_texture_release(f->reg, t), GPUREG_OK);
    assert_int_equal(gpureg_frame_end(f->reg), GPUREG_OK);
    uint32_t destroyed = 99;
    assert_int_equal(gpureg_collect(f->reg, &destroyed), GPUREG_OK);
    assert_int_equal(destroyed, 0);
    frame(f->reg); /* frame 2: its fence does not matter to t */
    frame(f->reg); /* frame 3 */
    assert_int_equal(destroyed_calls(f), 0);
    assert_int_equal(gpureg_query_state(f->reg, t.id), GPUREG_STATE_RELEASED);
    gpureg_stats s = get_stats(f->reg);
    assert_int_equal(s.texture.pending_count, 1);
    assert_int_equal(s.texture.destroyed_total, 0);
    assert_int_equal(s.pending_oldest_frames, 2); /* serial 3 now, released in 1 */
}

static void object_is_destroyed_at_the_first_collection_after_its_fence_not_at_the_signal(void **state) {
    fixture *f = *state;
    uint64_t native;
    assert_int_equal(gpureg_frame_begin(f->reg), GPUREG_OK);
    gpureg_texture t = adopt(f, &native);
    assert_int_equal(gpureg_texture_release(f->reg, t), GPUREG_OK);
    assert_int_equal(gpureg_frame_end(f->reg), GPUREG_OK);
    assert_int_equal(gpureg_null_signal(f->reg, 1), GPUREG_OK);
    assert_int_equal(destroyed_calls(f), 0); /* signalling alone destroys nothing */
    assert_int_equal(gpureg_query_state(f->reg, t.id), GPUREG_STATE_RELEASED);
    uint32_t destroyed = 0;
    assert_int_equal(gpureg_collect(f->reg, &destroyed), GPUREG_OK);
    assert_int_equal(destroyed, 1);
    assert_int_equal(destroyed_calls(f), 1);
    assert_int_equal(adopt_counter_calls_for(&f->ac, native), 1);
    assert_int_equal(gpureg_query_state(f->reg, t.id), GPUREG_STATE_DESTROYED);
    gpureg_stats s = get_stats(f->reg);
    assert_int_equal(s.texture.pending_count, 0);
    assert_int_equal(s.texture.pending_bytes, 0);
    assert_int_equal(s.texture.destroyed_total, 1);
    assert_int_equal(s.completed_serial, 1);
    assert_int_equal(gpureg_collect(f->reg, &destroyed), GPUREG_OK);
    assert_int_equal(destroyed, 0);
    assert_int_equal(destroyed_calls(f), 1);
}

static void an_earlier_fence_does_not_free_an_object_of_a_later_frame(void **state) {
    fixture *f = *state;
    uint64_t native;
    frame(f->reg);                                           /* 1 */
    assert_int_equal(gpureg_frame_begin(f->reg), GPUREG_OK); /* 2 */
    gpureg_texture t = adopt(f, &native);
    assert_int_equal(gpureg_texture_release(f->reg, t), GPUREG_OK);
    assert_int_equal(gpureg_frame_end(f->reg), GPUREG_OK);
    assert_int_equal(gpureg_null_signal(f->reg, 1), GPUREG_OK);
    assert_int_equal(gpureg_collect(f->reg, NULL), GPUREG_OK);
    assert_int_equal(destroyed_calls(f), 0);
    assert_int_equal(gpureg_null_signal(f->reg, 2), GPUREG_OK);
    assert_int_equal(gpureg_collect(f->reg, NULL), GPUREG_OK);
    assert_int_equal(destroyed_calls(f), 1);
}

static void object_released_between_frames_waits_for_the_last_ended_frame(void **state) {
    fixture *f = *state;
    uint64_t native;
    gpureg_texture t = adopt(f, &native);
    frame(f->reg); /* 1 */
    assert_int_equal(gpureg_texture_release(f->reg, t), GPUREG_OK);
    assert_int_equal(gpureg_collect(f->reg, NULL), GPUREG_OK);
    assert_int_equal(destroyed_calls(f), 0);                 /* not tied to "no frame" */
    assert_int_equal(gpureg_frame_begin(f->reg), GPUREG_OK); /* 2 opens: t still belongs to 1 */
    assert_int_equal(gpureg_null_signal(f->reg, 1), GPUREG_OK);
    assert_int_equal(gpureg_collect(f->reg, NULL), GPUREG_OK);
    assert_int_equal(destroyed_calls(f), 1); /* not tied to frame 2 either */
    assert_int_equal(gpureg_frame_end(f->reg), GPUREG_OK);
}

static void object_released_between_later_frames_is_not_freed_by_older_fences(void **state) {
    fixture *f = *state;
    uint64_t native;
    gpureg_texture t = adopt(f, &native);
    frame(f->reg); /* 1 */
    frame(f->reg); /* 2 */
    assert_int_equal(gpureg_null_signal(f->reg, 1), GPUREG_OK);
    assert_int_equal(gpureg_texture_release(f->reg, t), GPUREG_OK); /* between 2 and 3: waits for 2 */
    assert_int_equal(gpureg_collect(f->reg, NULL), GPUREG_OK);
    assert_int_equal(destroyed_calls(f), 0);
    assert_int_equal(gpureg_null_signal(f->reg, 2), GPUREG_OK);
    assert_int_equal(gpureg_collect(f->reg, NULL), GPUREG_OK);
    assert_int_equal(destroyed_calls(f), 1);
}

static void object_released_before_any_frame_is_destroyed_at_the_next_collection(void **state) {
    fixture *f = *state;
    uint64_t native;
    gpureg_texture t = adopt(f, &native);
    assert_int_equal(gpureg_texture_release(f->reg, t), GPUREG_OK);
    assert_int_equal(destroyed_calls(f), 0); /* release never destroys by itself */
    uint32_t destroyed = 0;
    assert_int_equal(gpureg_collect(f->reg, &destroyed), GPUREG_OK);
    assert_int_equal(destroyed, 1);
    assert_int_equal(adopt_counter_calls_for(&f->ac, native), 1);
    assert_int_equal(gpureg_query_state(f->reg, t.id), GPUREG_STATE_DESTROYED);
}

static void create_runs_a_collection(void **state) {
    fixture *f = *state;
    uint64_t native;
    gpureg_texture t = adopt(f, &native);
    assert_int_equal(gpureg_texture_release(f->reg, t), GPUREG_OK);
    make_buffer(f->reg);
    assert_int_equal(destroyed_calls(f), 1);
    assert_int_equal(gpureg_query_state(f->reg, t.id), GPUREG_STATE_DESTROYED);
}

static void frame_begin_runs_a_collection(void **state) {
    fixture *f = *state;
    uint64_t native;
    assert_int_equal(gpureg_frame_begin(f->reg), GPUREG_OK);
    gpureg_texture t = adopt(f, &native);
    assert_int_equal(gpureg_texture_release(f->reg, t), GPUREG_OK);
    assert_int_equal(gpureg_frame_end(f->reg), GPUREG_OK);
    assert_int_equal(gpureg_null_signal(f->reg, 1), GPUREG_OK);
    assert_int_equal(destroyed_calls(f), 0);
    assert_int_equal(gpureg_frame_begin(f->reg), GPUREG_OK);
    assert_int_equal(destroyed_calls(f), 1);
    assert_int_equal(gpureg_frame_end(f->reg), GPUREG_OK);
}

static void frame_end_runs_a_collection(void **state) {
    fixture *f = *state;
    uint64_t native;
    assert_int_equal(gpureg_frame_begin(f->reg), GPUREG_OK);
    gpureg_texture t = adopt(f, &native);
    assert_int_equal(gpureg_texture_release(f->reg, t), GPUREG_OK);
    assert_int_equal(gpureg_frame_end(f->reg), GPUREG_OK);
    assert_int_equal(gpureg_frame_begin(f->reg), GPUREG_OK); /* 2; fence 1 not signalled yet */
    assert_int_equal(gpureg_null_signal(f->reg, 1), GPUREG_OK);
    assert_int_equal(destroyed_calls(f), 0);
    assert_int_equal(gpureg_frame_end(f->reg), GPUREG_OK);
    assert_int_equal(destroyed_calls(f), 1);
}

static void objects_are_destroyed_in_release_order(void **state) {
    fixture *f = *state;
    uint64_t natives[5];
    gpureg_texture t[5];
    for (int i = 0; i < 5; i++)
        t[i] = adopt(f, &natives[i]);
    assert_int_equal(gpureg_frame_begin(f->reg), GPUREG_OK);
    const int order[5] = {3, 0, 4, 1, 2};
    for (int i = 0; i < 3; i++)
        assert_int_equal(gpureg_texture_release(f->reg, t[order[i]]), GPUREG_OK);
    assert_int_equal(gpureg_frame_end(f->reg), GPUREG_OK);
    assert_int_equal(gpureg_frame_begin(f->reg), GPUREG_OK);
    for (int i = 3; i < 5; i++)
        assert_int_equal(gpureg_texture_release(f->reg, t[order[i]]), GPUREG_OK);
    assert_int_equal(gpureg_frame_end(f->reg), GPUREG_OK);
    assert_int_equal(gpureg_null_signal(f->reg, 1), GPUREG_OK);
    uint32_t destroyed = 0;
    assert_int_equal(gpureg_collect(f->reg, &destroyed), GPUREG_OK);
    assert_int_equal(destroyed, 3);
    assert_int_equal(gpureg_null_signal(f->reg, 2), GPUREG_OK);
    assert_int_equal(gpureg_collect(f->reg, &destroyed), GPUREG_OK);
    assert_int_equal(destroyed, 2);
    assert_int_equal(f->ac.recorded, 5);
    for (int i = 0; i < 5; i++)
        assert_int_equal(f->ac.natives[i], natives[order[i]]);
}

typedef struct release_job {
    gpureg_registry *reg;
    gpureg_handle handle;
    gpureg_result result;
} release_job;

static void release_job_run(void *arg) {
    release_job *job = arg;
    job->result = gpureg_release(job->reg, job->handle);
}

static void adopted_object_released_on_another_thread_is_destroyed_once_on_the_owner_thread(void **state) {
    fixture *f = *state;
    uint64_t native;
    gpureg_texture t = adopt(f, &native);
    assert_int_equal(gpureg_frame_begin(f->reg), GPUREG_OK);
    release_job job = {f->reg, t.id, GPUREG_ERR_BACKEND};
    run_on_other_thread(release_job_run, &job);
    assert_int_equal(job.result, GPUREG_OK);
    assert_int_equal(gpureg_query_state(f->reg, t.id), GPUREG_STATE_RELEASED);
    assert_int_equal(gpureg_frame_end(f->reg), GPUREG_OK);
    assert_int_equal(destroyed_calls(f), 0);
    assert_int_equal(gpureg_null_signal(f->reg, 1), GPUREG_OK);
    assert_int_equal(gpureg_collect(f->reg, NULL), GPUREG_OK);
    assert_int_equal(destroyed_calls(f), 1);
    assert_int_equal(atomic_load(&f->ac.off_owner_calls), 0);
    assert_int_equal(adopt_counter_calls_for(&f->ac, native), 1);
}

static void adopt_destroy_receives_the_native_and_user_given_at_adopt(void **state) {
    fixture *f = *state;
    adopt_counter other;
    adopt_counter_init(&other);
    gpureg_buffer_desc bd = small_buffer_desc();
    gpureg_buffer b;
    assert_int_equal(gpureg_buffer_adopt(f->reg, &bd, 0xFEEDFACEu, adopt_counter_destroy_fn, &other, &b), GPUREG_OK);
    uint64_t native = 0;
    assert_int_equal(gpureg_buffer_native(f->reg, b, &native), GPUREG_OK);
    assert_int_equal(native, 0xFEEDFACEu);
    assert_int_equal(gpureg_buffer_release(f->reg, b), GPUREG_OK);
    assert_int_equal(gpureg_collect(f->reg, NULL), GPUREG_OK);
    assert_int_equal(atomic_load(&other.calls), 1);
    assert_int_equal(destroyed_calls(f), 0); /* the user pointer chose the counter */
    assert_int_equal(adopt_counter_calls_for(&other, 0xFEEDFACEu), 1);
}

static void adopt_without_destroy_function_is_tracked_only(void **state) {
    fixture *f = *state;
    gpureg_texture_desc td = small_texture_desc();
    gpureg_texture t;
    assert_int_equal(gpureg_texture_adopt(f->reg, &td, 77, NULL, NULL, &t), GPUREG_OK);
    assert_int_equal(gpureg_texture_release(f->reg, t), GPUREG_OK);
    uint32_t destroyed = 0;
    assert_int_equal(gpureg_collect(f->reg, &destroyed), GPUREG_OK);
    assert_int_equal(destroyed, 1);
    assert_int_equal(gpureg_query_state(f->reg, t.id), GPUREG_STATE_DESTROYED);
}

static void adopt_of_native_zero_is_refused_and_adopts_nothing(void **state) {
    fixture *f = *state;
    gpureg_texture_desc td = small_texture_desc();
    gpureg_texture t = {123};
    gpureg_stats before = get_stats(f->reg);
    assert_int_equal(gpureg_texture_adopt(f->reg, &td, 0, adopt_counter_destroy_fn, &f->ac, &t),
                     GPUREG_ERR_INVALID_ARGUMENT);
    assert_int_equal(t.id, 0);
    gpureg_stats after = get_stats(f->reg);
    assert_stats_equal(before, after);
    gpureg_destroy(f->reg);
    f->reg = NULL;
    assert_int_equal(destroyed_calls(f), 0);
}

static void destroy_destroys_pending_objects_whose_fence_never_signalled(void **state) {
    fixture *f = *state;
    uint64_t native;
    assert_int_equal(gpureg_frame_begin(f->reg), GPUREG_OK);
    gpureg_texture t = adopt(f, &native);
    assert_int_equal(gpureg_texture_release(f->reg, t), GPUREG_OK);
    assert_int_equal(gpureg_frame_end(f->reg), GPUREG_OK);
    assert_int_equal(gpureg_destroy(f->reg), 0); /* pending is not leaked */
    f->reg = NULL;
    assert_int_equal(destroyed_calls(f), 1);
    assert_int_equal(atomic_load(&f->ac.off_owner_calls), 0);
}

static void destroy_destroys_leaked_adopted_objects_once(void **state) {
    fixture *f = *state;
    uint64_t n1, n2;
    adopt(f, &n1);
    gpureg_texture t2 = adopt(f, &n2);
    assert_int_equal(gpureg_texture_retain(f->reg, t2), GPUREG_OK);
    assert_int_equal(gpureg_frame_begin(f->reg), GPUREG_OK); /* left open: destroy closes it */
    assert_int_equal(gpureg_destroy(f->reg), 2);
    f->reg = NULL;
    assert_int_equal(destroyed_calls(f), 2);
    assert_int_equal(adopt_counter_calls_for(&f->ac, n1), 1);
    assert_int_equal(adopt_counter_calls_for(&f->ac, n2), 1);
}

/* stats.live_count is "refcount > 0": a released object is no longer live, even before the owner
 * thread's next collection has moved it to the retire queue. */
static void release_moves_the_object_from_live_to_pending_in_stats_at_once(void **state) {
    fixture *f = *state;
    gpureg_texture t = make_texture(f->reg);
    assert_int_equal(gpureg_frame_begin(f->reg), GPUREG_OK);
    assert_int_equal(gpureg_texture_release(f->reg, t), GPUREG_OK);
    gpureg_stats s = get_stats(f->reg);
    assert_int_equal(s.texture.live_count, 0);
    assert_int_equal(s.texture.pending_count, 1);
    assert_int_equal(gpureg_frame_end(f->reg), GPUREG_OK);
}

static void pending_stats_count_objects_and_bytes_per_type(void **state) {
    fixture *f = *state;
    gpureg_texture_desc td = {.width = 8, .height = 8, .format = GPUREG_FORMAT_R8_UNORM};
    gpureg_texture t;
    assert_int_equal(gpureg_texture_create(f->reg, &td, &t), GPUREG_OK);
    gpureg_buffer_desc bd = {.size = 100};
    gpureg_buffer b1, b2;
    assert_int_equal(gpureg_buffer_create(f->reg, &bd, &b1), GPUREG_OK);
    assert_int_equal(gpureg_buffer_create(f->reg, &bd, &b2), GPUREG_OK);
    gpureg_stats s = get_stats(f->reg);
    assert_int_equal(s.texture.live_count, 1);
    assert_int_equal(s.texture.live_bytes, 64);
    assert_int_equal(s.buffer.live_count, 2);
    assert_int_equal(s.buffer.live_bytes, 200);
    assert_int_equal(s.buffer.created_total, 2);
    assert_int_equal(gpureg_frame_begin(f->reg), GPUREG_OK);
    assert_int_equal(gpureg_texture_release(f->reg, t), GPUREG_OK);
    assert_int_equal(gpureg_buffer_release(f->reg, b1), GPUREG_OK);
    assert_int_equal(gpureg_frame_end(f->reg), GPUREG_OK);
    s = get_stats(f->reg);
    assert_int_equal(s.texture.live_count, 0);
    assert_int_equal(s.texture.pending_count, 1);
    assert_int_equal(s.texture.pending_bytes, 64);
    assert_int_equal(s.buffer.live_count, 1);
    assert_int_equal(s.buffer.live_bytes, 100);
    assert_int_equal(s.buffer.pending_count, 1);
    assert_int_equal(s.buffer.pending_bytes, 100);
    assert_int_equal(s.buffer.live_count_high_water, 2);
    assert_int_equal(s.buffer.live_bytes_high_water, 200);
    assert_int_equal(s.frame_serial, 1);
    assert_int_equal(s.completed_serial, 0);
    assert_int_equal(gpureg_null_signal(f->reg, 1), GPUREG_OK);
    assert_int_equal(gpureg_collect(f->reg, NULL), GPUREG_OK);
    s = get_stats(f->reg);
    assert_int_equal(s.texture.pending_count + s.buffer.pending_count, 0);
    assert_int_equal(s.texture.pending_bytes + s.buffer.pending_bytes, 0);
    assert_int_equal(s.pending_oldest_frames, 0);
    assert_int_equal(s.pending_oldest_ns, 0);
    assert_int_equal(s.texture.destroyed_total, 1);
    assert_int_equal(s.buffer.destroyed_total, 1);
    assert_int_equal(s.buffer.live_count_high_water, 2);
}

static void frame_serials_count_up_from_one(void **state) {
    fixture *f = *state;
    assert_int_equal(gpureg_frame_serial(f->reg), 0);
    assert_int_equal(gpureg_frame_begin(f->reg), GPUREG_OK);
    assert_int_equal(gpureg_frame_serial(f->reg), 1);
    assert_int_equal(gpureg_frame_end(f->reg), GPUREG_OK);
    assert_int_equal(gpureg_frame_serial(f->reg), 1);
    assert_int_equal(gpureg_frame_begin(f->reg), GPUREG_OK);
    assert_int_equal(gpureg_frame_serial(f->reg), 2);
    assert_int_equal(gpureg_frame_end(f->reg), GPUREG_OK);
    assert_int_equal(gpureg_frame_serial(NULL), 0);
}

static void signalling_a_frame_that_has_not_ended_is_refused(void **state) {
    fixture *f = *state;
    assert_int_equal(gpureg_null_signal(f->reg, 1), GPUREG_ERR_INVALID_ARGUMENT);
    assert_int_equal(gpureg_frame_begin(f->reg), GPUREG_OK);
    assert_int_equal(gpureg_null_signal(f->reg, 1), GPUREG_ERR_INVALID_ARGUMENT); /* open, not ended */
    assert_int_equal(gpureg_frame_end(f->reg), GPUREG_OK);
    assert_int_equal(gpureg_null_signal(f->reg, 1), GPUREG_OK);
    assert_int_equal(gpureg_null_signal(f->reg, 0), GPUREG_OK); /* signalling backwards is a no-op */
    assert_int_equal(gpureg_null_signal(NULL, 1), GPUREG_ERR_NULL_POINTER);
}

/* frames_in_flight sizes the fence pool; it does not throttle: frame_begin neither waits nor fails
 * with more frames than that unsignalled, and released objects simply wait longer. */
static void frames_beyond_frames_in_flight_neither_wait_nor_fail(void **state) {
    gpureg_registry_desc rd = {.frames_in_flight = 1, .report_format = GPUREG_REPORT_OFF};
    gpureg_registry *reg = NULL;
    assert_int_equal(gpureg_null_create(&rd, &reg), GPUREG_OK);
    gpureg_texture t = make_texture(reg);
    for (int frame = 1; frame <= 6; frame++) {
        assert_int_equal(gpureg_frame_begin(reg), GPUREG_OK);
        if (frame == 1) assert_int_equal(gpureg_texture_release(reg, t), GPUREG_OK);
        assert_int_equal(gpureg_frame_end(reg), GPUREG_OK);
    }
    assert_int_equal(get_stats(reg).texture.pending_count, 1); /* fence 1 has not signalled */
    assert_int_equal(gpureg_null_signal(reg, 1), GPUREG_OK);
    assert_int_equal(gpureg_collect(reg, NULL), GPUREG_OK);
    assert_int_equal(get_stats(reg).texture.pending_count, 0);
    destroy_expecting(reg, 0);
}

int main(void) {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(object_released_in_frame_n_waits_for_fence_n),
        T(frames_beyond_frames_in_flight_neither_wait_nor_fail),
        T(object_is_destroyed_at_the_first_collection_after_its_fence_not_at_the_signal),
        T(an_earlier_fence_does_not_free_an_object_of_a_later_frame),
        T(object_released_between_frames_waits_for_the_last_ended_frame),
        T(object_released_between_later_frames_is_not_freed_by_older_fences),
        T(object_released_before_any_frame_is_destroyed_at_the_next_collection),
        T(create_runs_a_collection),
        T(frame_begin_runs_a_collection),
        T(frame_end_runs_a_collection),
        T(objects_are_destroyed_in_release_order),
        T(adopted_object_released_on_another_thread_is_destroyed_once_on_the_owner_thread),
        T(adopt_destroy_receives_the_native_and_user_given_at_adopt),
        T(adopt_without_destroy_function_is_tracked_only),
        T(adopt_of_native_zero_is_refused_and_adopts_nothing),
        T(destroy_destroys_pending_objects_whose_fence_never_signalled),
        T(destroy_destroys_leaked_adopted_objects_once),
        T(release_moves_the_object_from_live_to_pending_in_stats_at_once),
        T(pending_stats_count_objects_and_bytes_per_type),
        T(frame_serials_count_up_from_one),
        T(signalling_a_frame_that_has_not_ended_is_refused),
    };
#undef T
    return cmocka_run_group_tests_name("retire", tests, NULL, NULL);
}
