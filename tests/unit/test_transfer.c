/* test_transfer.c — writes and reads are bounds-checked before any backend sees them (the null
 * backend validates and discards writes, answers UNSUPPORTED to reads); registry-owned staging
 * memory. */
#include "test_util.h"

#include <stdlib.h>
#include <string.h>

typedef struct fixture {
    log_capture lc;
    gpureg_registry *reg;
    gpureg_texture tex; /* 16x8 rgba8, 3 mips (16x8, 8x4, 4x2), 2 layers */
    gpureg_buffer buf;  /* 100 bytes */
    unsigned char data[4096];
} fixture;

static int setup(void **state) {
    fixture *f = calloc(1, sizeof *f);
    if (!f) return -1;
    log_capture_init(&f->lc);
    f->reg = make_registry(&f->lc);
    gpureg_texture_desc td = {
        .width = 16, .height = 8, .mip_levels = 3, .array_layers = 2, .format = GPUREG_FORMAT_RGBA8_UNORM};
    if (gpureg_texture_create(f->reg, &td, &f->tex) != GPUREG_OK) return -1;
    gpureg_buffer_desc bd = {.size = 100};
    if (gpureg_buffer_create(f->reg, &bd, &f->buf) != GPUREG_OK) return -1;
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

static void expect_texture_write(fixture *f, gpureg_texture_region region, size_t size, uint32_t row_bytes,
                                 gpureg_result expected) {
    log_capture_reset(&f->lc);
    assert_int_equal(gpureg_texture_write(f->reg, f->tex, &region, f->data, size, row_bytes), expected);
    if (expected != GPUREG_OK)
        assert_logged_once(&f->lc, expected, "gpureg_texture_write");
    else
        assert_int_equal(log_capture_count(&f->lc), 0);
}

static void texture_write_inside_the_texture_succeeds(void **state) {
    fixture *f = *state;
    expect_texture_write(f, (gpureg_texture_region){0}, 16 * 8 * 4, 0, GPUREG_OK); /* whole level 0 */
    expect_texture_write(f, (gpureg_texture_region){.x = 15, .y = 7, .width = 1, .height = 1}, 4, 0, GPUREG_OK);
    expect_texture_write(f, (gpureg_texture_region){.mip_level = 2, .array_layer = 1}, 4 * 2 * 4, 0, GPUREG_OK);
    /* Padded rows: the last row needs only its tight size. */
    expect_texture_write(f, (gpureg_texture_region){.width = 2, .height = 3}, 100 * 2 + 8, 100, GPUREG_OK);
}

static void texture_write_outside_the_level_is_out_of_bounds(void **state) {
    fixture *f = *state;
    expect_texture_write(f, (gpureg_texture_region){.x = 16}, sizeof f->data, 0, GPUREG_ERR_OUT_OF_BOUNDS);
    expect_texture_write(f, (gpureg_texture_region){.y = 8}, sizeof f->data, 0, GPUREG_ERR_OUT_OF_BOUNDS);
    expect_texture_write(f, (gpureg_texture_region){.x = 10, .width = 7, .height = 1}, sizeof f->data, 0,
                         GPUREG_ERR_OUT_OF_BOUNDS);
    expect_texture_write(f, (gpureg_texture_region){.y = 4, .width = 1, .height = 5}, sizeof f->data, 0,
                         GPUREG_ERR_OUT_OF_BOUNDS);
    expect_texture_write(f, (gpureg_texture_region){.x = 1, .width = UINT32_MAX, .height = 1}, sizeof f->data, 0,
                         GPUREG_ERR_OUT_OF_BOUNDS);
    expect_texture_write(f, (gpureg_texture_region){.mip_level = 1, .x = 8}, sizeof f->data, 0,
                         GPUREG_ERR_OUT_OF_BOUNDS);
    expect_texture_write(f, (gpureg_texture_region){.mip_level = 3}, sizeof f->data, 0, GPUREG_ERR_OUT_OF_BOUNDS);
    expect_texture_write(f, (gpureg_texture_region){.array_layer = 2}, sizeof f->data, 0, GPUREG_ERR_OUT_OF_BOUNDS);
}

static void texture_write_with_too_little_data_is_out_of_bounds(void **state) {
    fixture *f = *state;
    expect_texture_write(f, (gpureg_texture_region){0}, 16 * 8 * 4 - 1, 0, GPUREG_ERR_OUT_OF_BOUNDS);
    expect_texture_write(f, (gpureg_texture_region){.width = 2, .height = 3}, 100 * 2 + 7, 100,
                         GPUREG_ERR_OUT_OF_BOUNDS);
    expect_texture_write(f, (gpureg_texture_region){0}, 0, 0, GPUREG_ERR_OUT_OF_BOUNDS);
}

static void texture_write_with_rows_shorter_than_the_region_is_invalid_argument(void **state) {
    fixture *f = *state;
    expect_texture_write(f, (gpureg_texture_region){.width = 4, .height = 2}, sizeof f->data, 15,
                         GPUREG_ERR_INVALID_ARGUMENT);
}

static void texture_write_with_null_region_or_data_is_null_pointer(void **state) {
    fixture *f = *state;
    assert_int_equal(gpureg_texture_write(f->reg, f->tex, NULL, f->data, sizeof f->data, 0), GPUREG_ERR_NULL_POINTER);
    assert_logged_once(&f->lc, GPUREG_ERR_NULL_POINTER, "gpureg_texture_write");
    gpureg_texture_region region = {0};
    log_capture_reset(&f->lc);
    assert_int_equal(gpureg_texture_write(f->reg, f->tex, &region, NULL, sizeof f->data, 0), GPUREG_ERR_NULL_POINTER);
    assert_logged_once(&f->lc, GPUREG_ERR_NULL_POINTER, "gpureg_texture_write");
    assert_int_equal(gpureg_texture_write(NULL, f->tex, &region, f->data, sizeof f->data, 0), GPUREG_ERR_NULL_POINTER);
}

static void texture_read_is_checked_then_unsupported_on_the_null_backend(void **state) {
    fixture *f = *state;
    gpureg_texture_region region = {.width = 2, .height = 2};
    assert_int_equal(gpureg_texture_read(f->reg, f->tex, &region, f->data, 15), GPUREG_ERR_OUT_OF_BOUNDS);
    region.x = 20;
    assert_int_equal(gpureg_texture_read(f->reg, f->tex, &region, f->data, sizeof f->data), GPUREG_ERR_OUT_OF_BOUNDS);
    region.x = 0;
    assert_int_equal(gpureg_texture_read(f->reg, f->tex, &region, f->data, 16), GPUREG_ERR_UNSUPPORTED);
}

static void transfers_to_released_or_destroyed_objects_fail_with_the_handle_error(void **state) {
    fixture *f = *state;
    gpureg_texture_region region = {0};
    assert_int_equal(gpureg_frame_begin(f->reg), GPUREG_OK);
    assert_int_equal(gpureg_texture_release(f->reg, f->tex), GPUREG_OK);
    assert_int_equal(gpureg_texture_write(f->reg, f->tex, &region, f->data, sizeof f->data, 0), GPUREG_ERR_RELEASED);
    assert_int_equal(gpureg_frame_end(f->reg), GPUREG_OK);
    assert_int_equal(gpureg_buffer_release(f->reg, f->buf), GPUREG_OK);
    assert_int_equal(gpureg_null_signal(f->reg, 1), GPUREG_OK);
    assert_int_equal(gpureg_collect(f->reg, NULL), GPUREG_OK);
    assert_int_equal(gpureg_texture_write(f->reg, f->tex, &region, f->data, sizeof f->data, 0),
                     GPUREG_ERR_STALE_HANDLE);
    assert_int_equal(gpureg_buffer_write(f->reg, f->buf, 0, f->data, 1), GPUREG_ERR_STALE_HANDLE);
    assert_int_equal(gpureg_buffer_write(f->reg, (gpureg_buffer){0}, 0, f->data, 1), GPUREG_ERR_INVALID_HANDLE);
}

static void expect_buffer_write(fixture *f, uint64_t offset, uint64_t size, gpureg_result expected) {
    log_capture_reset(&f->lc);
    assert_int_equal(gpureg_buffer_write(f->reg, f->buf, offset, f->data, size), expected);
    if (expected != GPUREG_OK) assert_logged_once(&f->lc, expected, "gpureg_buffer_write");
}

static void buffer_write_inside_the_buffer_succeeds(void **state) {
    fixture *f = *state;
    expect_buffer_write(f, 0, 100, GPUREG_OK);
    expect_buffer_write(f, 99, 1, GPUREG_OK);
    expect_buffer_write(f, 40, 60, GPUREG_OK);
}

static void buffer_write_outside_the_buffer_is_out_of_bounds(void **state) {
    fixture *f = *state;
    expect_buffer_write(f, 0, 101, GPUREG_ERR_OUT_OF_BOUNDS);
    expect_buffer_write(f, 100, 1, GPUREG_ERR_OUT_OF_BOUNDS);
    expect_buffer_write(f, 101, 1, GPUREG_ERR_OUT_OF_BOUNDS);
    expect_buffer_write(f, UINT64_MAX, 2, GPUREG_ERR_OUT_OF_BOUNDS); /* offset + size wraps */
    expect_buffer_write(f, 2, UINT64_MAX, GPUREG_ERR_OUT_OF_BOUNDS);
}

static void buffer_write_of_zero_bytes_is_invalid_size(void **state) {
    fixture *f = *state;
    expect_buffer_write(f, 0, 0, GPUREG_ERR_INVALID_SIZE);
}

static void buffer_read_is_checked_then_unsupported_on_the_null_backend(void **state) {
    fixture *f = *state;
    assert_int_equal(gpureg_buffer_read(f->reg, f->buf, 90, f->data, 11), GPUREG_ERR_OUT_OF_BOUNDS);
    assert_int_equal(gpureg_buffer_read(f->reg, f->buf, 90, NULL, 10), GPUREG_ERR_NULL_POINTER);
    assert_int_equal(gpureg_buffer_read(f->reg, f->buf, 90, f->data, 10), GPUREG_ERR_UNSUPPORTED);
}

/* ---- staging --------------------------------------------------------------------------------- */

static void staging_memory_is_usable_aligned_and_counted(void **state) {
    fixture *f = *state;
    uint64_t before = get_stats(f->reg).host_bytes;
    void *p = NULL;
    assert_int_equal(gpureg_staging_alloc(f->reg, 1 << 20, &p), GPUREG_OK);
    assert_non_null(p);
    assert_int_equal((uintptr_t)p % 16, 0);
    memset(p, 0xA5, 1 << 20);
    assert_true(get_stats(f->reg).host_bytes >= before + (1u << 20));
    /* The binding's path: fill staging memory, pass it to a write. */
    assert_int_equal(gpureg_buffer_write(f->reg, f->buf, 0, p, 100), GPUREG_OK);
    gpureg_staging_free(f->reg, p);
    assert_int_equal(get_stats(f->reg).host_bytes, before);
    gpureg_staging_free(f->reg, NULL); /* no-op */
    gpureg_staging_free(NULL, NULL);
}

static void staging_alloc_of_zero_or_absurd_size_is_invalid_size(void **state) {
    fixture *f = *state;
    void *p = (void *)1;
    assert_int_equal(gpureg_staging_alloc(f->reg, 0, &p), GPUREG_ERR_INVALID_SIZE);
    assert_null(p);
    assert_logged_once(&f->lc, GPUREG_ERR_INVALID_SIZE, "gpureg_staging_alloc");
    p = (void *)1;
    assert_int_equal(gpureg_staging_alloc(f->reg, SIZE_MAX, &p), GPUREG_ERR_INVALID_SIZE);
    assert_null(p);
    assert_int_equal(gpureg_staging_alloc(f->reg, 8, NULL), GPUREG_ERR_NULL_POINTER);
    assert_int_equal(gpureg_staging_alloc(NULL, 8, &p), GPUREG_ERR_NULL_POINTER);
}

typedef struct staging_job {
    gpureg_registry *reg;
    gpureg_result result;
    void *block;
} staging_job;

static void staging_job_alloc(void *arg) {
    staging_job *job = arg;
    job->result = gpureg_staging_alloc(job->reg, 64, &job->block);
    if (job->result == GPUREG_OK) memset(job->block, 1, 64);
}

static void staging_job_free(void *arg) {
    staging_job *job = arg;
    gpureg_staging_free(job->reg, job->block);
}

static void staging_works_from_any_thread(void **state) {
    fixture *f = *state;
    uint64_t before = get_stats(f->reg).host_bytes;
    staging_job job = {f->reg, GPUREG_ERR_BACKEND, NULL};
    run_on_other_thread(staging_job_alloc, &job);
    assert_int_equal(job.result, GPUREG_OK);
    run_on_other_thread(staging_job_free, &job);
    assert_int_equal(get_stats(f->reg).host_bytes, before);
}

static void staging_memory_forgotten_by_the_binding_is_freed_at_destroy(void **state) {
    counting_allocator ca;
    counting_allocator_init(&ca);
    gpureg_registry_desc rd = {0};
    rd.allocator = counting_allocator_hooks(&ca);
    rd.report_format = GPUREG_REPORT_OFF;
    gpureg_registry *reg = NULL;
    assert_int_equal(gpureg_null_create(&rd, &reg), GPUREG_OK);
    void *a, *b, *c;
    assert_int_equal(gpureg_staging_alloc(reg, 10, &a), GPUREG_OK);
    assert_int_equal(gpureg_staging_alloc(reg, 20, &b), GPUREG_OK);
    assert_int_equal(gpureg_staging_alloc(reg, 30, &c), GPUREG_OK);
    gpureg_staging_free(reg, b); /* from the middle of whatever list keeps them */
    destroy_expecting(reg, 0);
    assert_int_equal(atomic_load(&ca.outstanding), 0);
    assert_int_equal(atomic_load(&ca.blocks), 0);
}

int main(void) {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(texture_write_inside_the_texture_succeeds),
        T(texture_write_outside_the_level_is_out_of_bounds),
        T(texture_write_with_too_little_data_is_out_of_bounds),
        T(texture_write_with_rows_shorter_than_the_region_is_invalid_argument),
        T(texture_write_with_null_region_or_data_is_null_pointer),
        T(texture_read_is_checked_then_unsupported_on_the_null_backend),
        T(transfers_to_released_or_destroyed_objects_fail_with_the_handle_error),
        T(buffer_write_inside_the_buffer_succeeds),
        T(buffer_write_outside_the_buffer_is_out_of_bounds),
        T(buffer_write_of_zero_bytes_is_invalid_size),
        T(buffer_read_is_checked_then_unsupported_on_the_null_backend),
        T(staging_memory_is_usable_aligned_and_counted),
        T(staging_alloc_of_zero_or_absurd_size_is_invalid_size),
        T(staging_works_from_any_thread),
        cmocka_unit_test(staging_memory_forgotten_by_the_binding_is_freed_at_destroy),
    };
#undef T
    return cmocka_run_group_tests_name("transfer", tests, NULL, NULL);
}
