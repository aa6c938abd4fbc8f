/* test_growth.c — storage: growth to a million live handles without moving live slots, FIFO slot
 * reuse, and retirement of a slot whose generation is exhausted. */
#include "test_util.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/registry.h" /* white box: slot addresses, to show growth never moves a live slot */

static void released_slot_is_reused_last_in_line_not_at_once(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    gpureg_buffer b[4];
    for (int i = 0; i < 4; i++)
        b[i] = make_buffer(reg);
    for (int i = 0; i < 4; i++)
        assert_int_equal(gpureg_buffer_release(reg, b[i]), GPUREG_OK);
    assert_int_equal(gpureg_collect(reg, NULL), GPUREG_OK); /* free: 0 1 2 3 */
    gpureg_buffer x = make_buffer(reg);
    assert_int_equal(handle_index_of(x.id), 0);
    assert_int_equal(handle_generation_of(x.id), 2);
    assert_int_equal(gpureg_buffer_release(reg, x), GPUREG_OK);
    gpureg_buffer y = make_buffer(reg); /* x's slot went to the back: 1 2 3 0 */
    assert_int_equal(handle_index_of(y.id), 1);
    gpureg_buffer z = make_buffer(reg);
    assert_int_equal(handle_index_of(z.id), 2);
    gpureg_buffer w = make_buffer(reg);
    assert_int_equal(handle_index_of(w.id), 3);
    gpureg_buffer v = make_buffer(reg);
    assert_int_equal(handle_index_of(v.id), 0);
    assert_int_equal(handle_generation_of(v.id), 3);
    gpureg_buffer fresh = make_buffer(reg);
    assert_int_equal(handle_index_of(fresh.id), 4);
    assert_int_equal(get_stats(reg).slot_capacity, 5);
    destroy_expecting(reg, 5);
}

/* One slot used GPUREG_MAX_GENERATION times: then it is retired for good. */
static void slot_whose_generation_is_exhausted_is_retired(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    gpureg_buffer_desc bd = small_buffer_desc();
    gpureg_buffer first = {0}, last = {0};
    for (uint32_t g = 1; g <= GPUREG_MAX_GENERATION; g++) {
        gpureg_buffer b;
        if (gpureg_buffer_create(reg, &bd, &b) != GPUREG_OK || handle_index_of(b.id) != 0 ||
            handle_generation_of(b.id) != g) {
            print_error("create %u: got handle 0x%016llx\n", g, (unsigned long long)b.id);
            fail();
        }
        if (g == 1) first = b;
        last = b;
        if (gpureg_buffer_release(reg, b) != GPUREG_OK) fail();
    }
    assert_int_equal(gpureg_collect(reg, NULL), GPUREG_OK);
    gpureg_stats s = get_stats(reg);
    assert_int_equal(s.slots_retired, 1);
    assert_int_equal(s.buffer.created_total, GPUREG_MAX_GENERATION);
    assert_int_equal(s.buffer.destroyed_total, GPUREG_MAX_GENERATION);
    gpureg_buffer next = make_buffer(reg);
    assert_int_equal(handle_index_of(next.id), 1); /* slot 0 is never handed out again */
    assert_int_equal(handle_generation_of(next.id), 1);
    /* Old handles of the retired slot stay stale, the newest one included. */
    assert_int_equal(gpureg_buffer_retain(reg, first), GPUREG_ERR_STALE_HANDLE);
    assert_int_equal(gpureg_buffer_retain(reg, last), GPUREG_ERR_STALE_HANDLE);
    assert_int_equal(gpureg_query_state(reg, last.id), GPUREG_STATE_DESTROYED);
    uint64_t native = 1;
    assert_int_equal(gpureg_buffer_native(reg, last, &native), GPUREG_ERR_STALE_HANDLE);
    assert_int_equal(native, 0);
    for (int i = 0; i < 10; i++) {
        gpureg_buffer b = make_buffer(reg);
        assert_true(handle_index_of(b.id) != 0);
        assert_int_equal(gpureg_buffer_release(reg, b), GPUREG_OK);
    }
    destroy_expecting(reg, 1);
}

/* Past 2^20, so the pool makes its second segment (pool.h). */
enum { MILLION = 1100000 };

static void over_a_million_live_handles_resolve_and_are_all_destroyed(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    gpureg_handle *handles = malloc(MILLION * sizeof *handles);
    assert_non_null(handles);
    uint64_t host_before = get_stats(reg).host_bytes;
    gpureg_texture_desc td = small_texture_desc();
    gpureg_buffer_desc bd = small_buffer_desc();
    gpureg_buffer first;
    assert_int_equal(gpureg_buffer_create(reg, &bd, &first), GPUREG_OK);
    handles[0] = first.id;
    gpureg__slot *slot0 = pool_slot(&reg->pool, 0);
    for (uint32_t i = 1; i < MILLION; i++) {
        gpureg_result r;
        if (i & 1) {
            gpureg_texture t;
            r = gpureg_texture_create(reg, &td, &t);
            handles[i] = t.id;
        } else {
            gpureg_buffer b;
            r = gpureg_buffer_create(reg, &bd, &b);
            handles[i] = b.id;
        }
        if (r != GPUREG_OK) {
            print_error("create %u failed: %s\n", i, gpureg_result_string(r));
            fail();
        }
    }
    gpureg_stats s = get_stats(reg);
    assert_int_equal(s.texture.live_count + s.buffer.live_count, MILLION);
    assert_true(s.slot_capacity >= MILLION);
    assert_ptr_equal(pool_slot(&reg->pool, 0), slot0); /* growth never moved a live slot */
    assert_non_null(pool_slot(&reg->pool, MILLION - 1));
    assert_null(pool_slot(&reg->pool, MILLION)); /* never handed out */
    /* Forged handles past the end, in the second segment and in a segment never made, read
     * nothing they may not: they answer INVALID_HANDLE. */
    uint32_t tag = handle_tag(handles[1]);
    const uint32_t forged_index[] = {MILLION, MILLION + 5000, 3u << 20, 0xFFFFFBFFu};
    for (size_t k = 0; k < sizeof forged_index / sizeof forged_index[0]; k++) {
        uint64_t native = 1;
        gpureg_handle forged = handle_make(forged_index[k], 1, GPUREG_TYPE_TEXTURE, tag);
        assert_int_equal(gpureg_resolve(reg, forged, GPUREG_TYPE_TEXTURE, &native), GPUREG_ERR_INVALID_HANDLE);
        assert_int_equal(native, 0);
        assert_int_equal(gpureg_retain(reg, forged), GPUREG_ERR_INVALID_HANDLE);
        assert_int_equal(gpureg_release(reg, forged), GPUREG_ERR_INVALID_HANDLE);
    }
    printf("memory per live handle: %.1f bytes (host_bytes %llu for %d handles, %llu before)\n",
           (double)(s.host_bytes - host_before) / MILLION, (unsigned long long)s.host_bytes, MILLION,
           (unsigned long long)host_before);

    for (uint32_t i = 0; i < MILLION; i++) {
        uint64_t native = 0;
        gpureg_object_type type = (i & 1) ? GPUREG_TYPE_TEXTURE : GPUREG_TYPE_BUFFER;
        if (gpureg_resolve(reg, handles[i], type, &native) != GPUREG_OK || native == 0) {
            print_error("resolve of handle %u failed\n", i);
            fail();
        }
    }
    assert_int_equal(gpureg_release_many(reg, handles, MILLION, NULL), 0);
    uint32_t destroyed = 0;
    assert_int_equal(gpureg_collect(reg, &destroyed), GPUREG_OK);
    assert_int_equal(destroyed, MILLION);
    s = get_stats(reg);
    assert_int_equal(s.texture.live_count + s.buffer.live_count, 0);
    assert_int_equal(s.texture.pending_count + s.buffer.pending_count, 0);
    assert_int_equal(s.texture.destroyed_total + s.buffer.destroyed_total, MILLION);
    assert_int_equal(s.texture.live_count_high_water + s.buffer.live_count_high_water, MILLION);
    assert_int_equal(gpureg_query_state(reg, handles[MILLION - 1]), GPUREG_STATE_DESTROYED);
    /* Reuse starts with the oldest free slot. */
    gpureg_buffer again = make_buffer(reg);
    assert_int_equal(handle_index_of(again.id), 0);
    assert_int_equal(handle_generation_of(again.id), 2);
    free(handles);
    destroy_expecting(reg, 1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(released_slot_is_reused_last_in_line_not_at_once),
        cmocka_unit_test(slot_whose_generation_is_exhausted_is_retired),
        cmocka_unit_test(over_a_million_live_handles_resolve_and_are_all_destroyed),
    };
    return cmocka_run_group_tests_name("growth", tests, NULL, NULL);
}
