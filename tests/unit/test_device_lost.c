/* test_device_lost.c — after gpureg_null_lose_device every call that would touch the GPU answers
 * DEVICE_LOST; bookkeeping keeps working; collection destroys everything released at once;
 * gpureg_destroy still frees all memory and reports. */
#include "test_util.h"

#include <stdlib.h>
#include <string.h>

typedef struct fixture {
    counting_allocator ca;
    log_capture lc;
    text_sink report;
    adopt_counter ac;
    gpureg_registry *reg;
    gpureg_texture tex;
    gpureg_buffer buf;
} fixture;

static int setup(void **state) {
    fixture *f = calloc(1, sizeof *f);
    if (!f) return -1;
    counting_allocator_init(&f->ca);
    log_capture_init(&f->lc);
    adopt_counter_init(&f->ac);
    gpureg_registry_desc rd = {0};
    rd.allocator = counting_allocator_hooks(&f->ca);
    rd.log = log_capture_fn;
    rd.log_user = &f->lc;
    rd.report_format = GPUREG_REPORT_TEXT;
    rd.report_writer = text_sink_write;
    rd.report_writer_user = &f->report;
    if (gpureg_null_create(&rd, &f->reg) != GPUREG_OK) return -1;
    gpureg_texture_desc td = small_texture_desc();
    td.label = "survivor";
    if (gpureg_texture_create(f->reg, &td, &f->tex) != GPUREG_OK) return -1;
    gpureg_buffer_desc bd = small_buffer_desc();
    if (gpureg_buffer_adopt(f->reg, &bd, 0xB0F, adopt_counter_destroy_fn, &f->ac, &f->buf) != GPUREG_OK) return -1;
    *state = f;
    return 0;
}

static int teardown(void **state) {
    fixture *f = *state;
    if (f->reg) gpureg_destroy(f->reg);
    text_sink_free(&f->report);
    free(f);
    return 0;
}

static void lose(fixture *f) {
    assert_int_equal(gpureg_null_lose_device(f->reg), GPUREG_OK);
    log_capture_reset(&f->lc);
}

static void create_after_device_loss_answers_device_lost(void **state) {
    fixture *f = *state;
    lose(f);
    gpureg_texture_desc td = small_texture_desc();
    gpureg_texture t = {0xBAD};
    assert_int_equal(gpureg_texture_create(f->reg, &td, &t), GPUREG_ERR_DEVICE_LOST);
    assert_int_equal(t.id, 0);
    gpureg_buffer_desc bd = small_buffer_desc();
    gpureg_buffer b = {0xBAD};
    assert_int_equal(gpureg_buffer_create(f->reg, &bd, &b), GPUREG_ERR_DEVICE_LOST);
    assert_int_equal(b.id, 0);
    assert_int_equal(gpureg_texture_adopt(f->reg, &td, 5, NULL, NULL, &t), GPUREG_ERR_DEVICE_LOST);
    gpureg_stats s = get_stats(f->reg);
    assert_int_equal(s.texture.created_total, 1);
    assert_int_equal(s.buffer.created_total, 1);
}

/* gpureg.h, gpureg_log_fn: one ERROR line per failed call, with its result. Losing the device is
 * no failed call: it is a WARNING; each call that fails afterwards has its own ERROR line. */
static void device_loss_is_a_warning_and_each_failed_call_one_error(void **state) {
    fixture *f = *state;
    log_capture_reset(&f->lc);
    assert_int_equal(gpureg_null_lose_device(f->reg), GPUREG_OK);
    assert_int_equal(log_capture_count(&f->lc), 1);
    assert_int_equal(f->lc.levels[0], GPUREG_LOG_WARNING);
    assert_non_null(strstr(f->lc.lines[0], "device lost"));
    log_capture_reset(&f->lc);
    gpureg_texture_desc td = small_texture_desc();
    gpureg_texture t;
    assert_int_equal(gpureg_texture_create(f->reg, &td, &t), GPUREG_ERR_DEVICE_LOST);
    assert_logged_once_at(&f->lc, GPUREG_ERR_DEVICE_LOST, "gpureg_texture_create", __FILE__, __LINE__);
}

static void resolve_after_device_loss_answers_device_lost(void **state) {
    fixture *f = *state;
    lose(f);
    uint64_t native = 1;
    assert_int_equal(gpureg_texture_native(f->reg, f->tex, &native), GPUREG_ERR_DEVICE_LOST);
    assert_int_equal(native, 0);
}

static void retain_after_device_loss_answers_device_lost(void **state) {
    fixture *f = *state;
    lose(f);
    assert_int_equal(gpureg_texture_retain(f->reg, f->tex), GPUREG_ERR_DEVICE_LOST);
    gpureg_object_info info;
    assert_int_equal(gpureg_query(f->reg, f->tex.id, &info), GPUREG_OK);
    assert_int_equal(info.refcount, 1);
}

static void frame_begin_after_device_loss_answers_device_lost(void **state) {
    fixture *f = *state;
    lose(f);
    assert_int_equal(gpureg_frame_begin(f->reg), GPUREG_ERR_DEVICE_LOST);
    assert_int_equal(gpureg_frame_serial(f->reg), 0);
}

static void frame_end_after_device_loss_answers_device_lost(void **state) {
    fixture *f = *state;
    assert_int_equal(gpureg_frame_begin(f->reg), GPUREG_OK);
    lose(f);
    assert_int_equal(gpureg_frame_end(f->reg), GPUREG_ERR_DEVICE_LOST);
}

static void transfers_after_device_loss_answer_device_lost(void **state) {
    fixture *f = *state;
    lose(f);
    unsigned char data[64] = {0};
    gpureg_texture_region region = {0};
    assert_int_equal(gpureg_texture_write(f->reg, f->tex, &region, data, sizeof data, 0), GPUREG_ERR_DEVICE_LOST);
    assert_int_equal(gpureg_buffer_write(f->reg, f->buf, 0, data, 8), GPUREG_ERR_DEVICE_LOST);
}

static void collection_after_device_loss_destroys_every_released_object_at_once(void **state) {
    fixture *f = *state;
    assert_int_equal(gpureg_frame_begin(f->reg), GPUREG_OK);
    assert_int_equal(gpureg_buffer_release(f->reg, f->buf), GPUREG_OK);
    assert_int_equal(gpureg_texture_release(f->reg, f->tex), GPUREG_OK);
    assert_int_equal(gpureg_frame_end(f->reg), GPUREG_OK); /* fence 1 will never signal */
    lose(f);
    uint32_t destroyed = 0;
    assert_int_equal(gpureg_collect(f->reg, &destroyed), GPUREG_ERR_DEVICE_LOST);
    assert_int_equal(destroyed, 2);
    assert_int_equal(atomic_load(&f->ac.calls), 1);
    assert_int_equal(gpureg_query_state(f->reg, f->tex.id), GPUREG_STATE_DESTROYED);
}

static void collection_after_device_loss_answers_device_lost_with_nothing_pending(void **state) {
    fixture *f = *state;
    lose(f);
    uint32_t destroyed = 9;
    assert_int_equal(gpureg_collect(f->reg, &destroyed), GPUREG_ERR_DEVICE_LOST);
    assert_int_equal(destroyed, 0);
}

static void bookkeeping_keeps_working_after_device_loss(void **state) {
    fixture *f = *state;
    lose(f);
    gpureg_object_info info;
    assert_int_equal(gpureg_query(f->reg, f->tex.id, &info), GPUREG_OK);
    assert_int_equal(gpureg_query_state(f->reg, f->tex.id), GPUREG_STATE_ALIVE);
    assert_int_equal(gpureg_set_label(f->reg, f->tex.id, "renamed after loss"), GPUREG_OK);
    char label[32];
    assert_int_equal(gpureg_get_label(f->reg, f->tex.id, label, sizeof label, NULL), GPUREG_OK);
    assert_string_equal(label, "renamed after loss");
    gpureg_stats s;
    assert_int_equal(gpureg_get_stats(f->reg, &s), GPUREG_OK);
    text_sink ts = {0};
    assert_int_equal(gpureg_report(f->reg, GPUREG_REPORT_TEXT, text_sink_write, &ts), GPUREG_OK);
    assert_non_null(strstr(ts.data, "renamed after loss"));
    text_sink_free(&ts);
    size_t count = 1;
    gpureg_message m;
    assert_int_equal(gpureg_poll_messages(f->reg, &m, 1, &count), GPUREG_OK);
    assert_int_equal(gpureg_buffer_release(f->reg, f->buf), GPUREG_OK);
    assert_int_equal(gpureg_query_state(f->reg, f->buf.id), GPUREG_STATE_RELEASED);
}

static void destroy_after_device_loss_frees_everything_and_reports_leaks(void **state) {
    fixture *f = *state;
    assert_int_equal(gpureg_frame_begin(f->reg), GPUREG_OK);
    assert_int_equal(gpureg_buffer_release(f->reg, f->buf), GPUREG_OK);
    void *staging;
    assert_int_equal(gpureg_staging_alloc(f->reg, 128, &staging), GPUREG_OK);
    lose(f);
    assert_int_equal(gpureg_destroy(f->reg), 1);
    f->reg = NULL;
    assert_non_null(f->report.data);
    assert_non_null(strstr(f->report.data, "1 leaked object"));
    assert_non_null(strstr(f->report.data, "survivor"));
    assert_int_equal(atomic_load(&f->ac.calls), 1);
    assert_int_equal(atomic_load(&f->ca.outstanding), 0);
    assert_int_equal(atomic_load(&f->ca.blocks), 0);
}

int main(void) {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(create_after_device_loss_answers_device_lost),
        T(device_loss_is_a_warning_and_each_failed_call_one_error),
        T(resolve_after_device_loss_answers_device_lost),
        T(retain_after_device_loss_answers_device_lost),
        T(frame_begin_after_device_loss_answers_device_lost),
        T(frame_end_after_device_loss_answers_device_lost),
        T(transfers_after_device_loss_answer_device_lost),
        T(collection_after_device_loss_destroys_every_released_object_at_once),
        T(collection_after_device_loss_answers_device_lost_with_nothing_pending),
        T(bookkeeping_keeps_working_after_device_loss),
        T(destroy_after_device_loss_frees_everything_and_reports_leaks),
    };
#undef T
    return cmocka_run_group_tests_name("device_lost", tests, NULL, NULL);
}
