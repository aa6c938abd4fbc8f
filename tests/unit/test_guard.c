/* test_guard.c — the debug-callback lifetime guard (tokens, not pointers; late callbacks counted
 * and dropped) and the bounded message ring (drop-oldest, polled oldest first). */
#include "test_util.h"

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/backend.h"

static gpureg_registry *registry_with_ring(uint32_t capacity) {
    gpureg_registry_desc rd = {0};
    rd.message_capacity = capacity;
    rd.report_format = GPUREG_REPORT_OFF;
    gpureg_registry *reg = NULL;
    assert_int_equal(gpureg_null_create(&rd, &reg), GPUREG_OK);
    return reg;
}

static gpureg_message message(int32_t id, gpureg_message_severity severity, gpureg_message_type type) {
    gpureg_message m;
    memset(&m, 0, sizeof m);
    m.severity = severity;
    m.type = type;
    m.id = id;
    snprintf(m.text, sizeof m.text, "message %d", (int)id);
    return m;
}

/* What a debug callback does: enter with the token, copy, leave. */
static int callback_push(uint64_t token, const gpureg_message *m) {
    gpureg__ring *ring = gpureg__guard_enter(token);
    if (!ring) return 0;
    gpureg__ring_push(ring, m);
    gpureg__guard_leave(token);
    return 1;
}

static void callback_with_a_live_token_delivers_its_message(void **state) {
    gpureg_registry *reg = registry_with_ring(0);
    uint64_t token = gpureg__guard_token(reg);
    assert_true(token != 0);
    gpureg_message m = message(7, GPUREG_SEVERITY_WARNING, GPUREG_MESSAGE_PERFORMANCE);
    assert_true(callback_push(token, &m));
    assert_int_equal(get_stats(reg).messages_queued, 1);
    gpureg_message out[4];
    size_t n = 0;
    assert_int_equal(gpureg_poll_messages(reg, out, 4, &n), GPUREG_OK);
    assert_int_equal(n, 1);
    assert_int_equal(out[0].id, 7);
    assert_int_equal(out[0].severity, GPUREG_SEVERITY_WARNING);
    assert_string_equal(out[0].text, "message 7");
    assert_int_equal(gpureg_poll_messages(reg, out, 4, &n), GPUREG_OK);
    assert_int_equal(n, 0);
    destroy_expecting(reg, 0);
}

static void registries_get_distinct_tokens(void **state) {
    gpureg_registry *a = registry_with_ring(0);
    gpureg_registry *b = registry_with_ring(0);
    assert_true(gpureg__guard_token(a) != gpureg__guard_token(b));
    destroy_expecting(b, 0);
    destroy_expecting(a, 0);
}

static void late_callback_after_destroy_is_dropped_and_counted(void **state) {
    gpureg_registry *reg = registry_with_ring(0);
    uint64_t token = gpureg__guard_token(reg);
    destroy_expecting(reg, 0);
    uint64_t late = gpureg__guard_late_total();
    assert_null(gpureg__guard_enter(token));
    assert_int_equal(gpureg__guard_late_total(), late + 1);
    assert_null(gpureg__guard_enter(token));
    assert_int_equal(gpureg__guard_late_total(), late + 2);
}

/* A late callback carries a dead token, so it names no live registry: stats.late_callbacks is
 * the process-wide count, the same in every registry, including one created afterwards. */
static void late_callbacks_in_stats_count_process_wide(void **state) {
    gpureg_registry *a = registry_with_ring(0);
    uint64_t token = gpureg__guard_token(a);
    gpureg_registry *b = registry_with_ring(0);
    destroy_expecting(a, 0);
    uint64_t before = get_stats(b).late_callbacks;
    assert_null(gpureg__guard_enter(token));
    gpureg_registry *c = registry_with_ring(0);
    assert_int_equal(get_stats(b).late_callbacks, before + 1);
    assert_int_equal(get_stats(c).late_callbacks, before + 1);
    assert_int_equal(get_stats(c).late_callbacks, gpureg__guard_late_total());
    destroy_expecting(c, 0);
    destroy_expecting(b, 0);
}

static void forged_tokens_are_dropped_and_counted(void **state) {
    uint64_t late = gpureg__guard_late_total();
    assert_null(gpureg__guard_enter(0));
    assert_null(gpureg__guard_enter(UINT64_MAX));
    assert_null(gpureg__guard_enter(5000));
    assert_int_equal(gpureg__guard_late_total(), late + 3);
}

static void old_token_stays_dead_when_its_table_entry_is_reused(void **state) {
    gpureg_registry *reg = registry_with_ring(1);
    uint64_t token = gpureg__guard_token(reg);
    destroy_expecting(reg, 0);
    /* Cycle through more registries than the table has entries, so the old entry is reused. */
    int reused = 0;
    for (int i = 0; i < 1100; i++) {
        gpureg_registry *r = registry_with_ring(1);
        uint64_t t = gpureg__guard_token(r);
        if ((uint32_t)t == (uint32_t)token) {
            reused = 1;
            assert_true(t != token);
            assert_null(gpureg__guard_enter(token));
            gpureg_message m = message(1, GPUREG_SEVERITY_INFO, GPUREG_MESSAGE_GENERAL);
            assert_true(callback_push(t, &m));
        }
        destroy_expecting(r, 0);
    }
    assert_true(reused);
}

typedef struct hammer {
    uint64_t token;
    atomic_int entered;   /* the hammer got in at least once */
    atomic_int delivered; /* messages pushed while the guard was open */
    atomic_int refused;   /* enters refused after teardown began */
} hammer;

static void *hammer_main(void *p) {
    hammer *h = p;
    gpureg_message m = message(3, GPUREG_SEVERITY_ERROR, GPUREG_MESSAGE_VALIDATION);
    /* Enter and push until the guard refuses 1000 times in a row, i.e. the registry is gone. */
    int refused_in_a_row = 0;
    while (refused_in_a_row < 1000) {
        if (callback_push(h->token, &m)) {
            atomic_store(&h->entered, 1);
            atomic_fetch_add(&h->delivered, 1);
            refused_in_a_row = 0;
        } else {
            atomic_fetch_add(&h->refused, 1);
            refused_in_a_row++;
        }
    }
    return NULL;
}

/* A driver thread keeps calling back while the owner destroys the registry: every call either
 * lands in the ring before teardown or is refused; none touches freed memory (ASan checks). */
static void callbacks_racing_with_destroy_never_touch_freed_memory(void **state) {
    for (int round = 0; round < 20; round++) {
        gpureg_registry *reg = registry_with_ring(4);
        hammer h = {.token = gpureg__guard_token(reg)};
        atomic_init(&h.entered, 0);
        atomic_init(&h.delivered, 0);
        atomic_init(&h.refused, 0);
        uint64_t late = gpureg__guard_late_total();
        pthread_t thread;
        assert_int_equal(pthread_create(&thread, NULL, hammer_main, &h), 0);
        while (!atomic_load(&h.entered))
            sched_yield(); /* the race starts with a callback inside */
        assert_true(gpureg_error_message_count(reg) >= 1);
        destroy_expecting(reg, 0);
        assert_int_equal(pthread_join(thread, NULL), 0);
        assert_true(atomic_load(&h.delivered) >= 1);
        assert_true(atomic_load(&h.refused) >= 1000);
        assert_true(gpureg__guard_late_total() >= late + 1000);
    }
}

static void full_ring_drops_the_oldest_and_counts_it(void **state) {
    gpureg_registry *reg = registry_with_ring(4);
    uint64_t token = gpureg__guard_token(reg);
    for (int32_t i = 1; i <= 6; i++) {
        gpureg_message m = message(i, GPUREG_SEVERITY_INFO, GPUREG_MESSAGE_GENERAL);
        assert_true(callback_push(token, &m));
    }
    gpureg_stats s = get_stats(reg);
    assert_int_equal(s.messages_queued, 4);
    assert_int_equal(s.messages_dropped, 2);
    gpureg_message out[8];
    size_t n = 0;
    assert_int_equal(gpureg_poll_messages(reg, out, 2, &n), GPUREG_OK); /* oldest first, in pieces */
    assert_int_equal(n, 2);
    assert_int_equal(out[0].id, 3);
    assert_int_equal(out[1].id, 4);
    assert_int_equal(gpureg_poll_messages(reg, out, 8, &n), GPUREG_OK);
    assert_int_equal(n, 2);
    assert_int_equal(out[0].id, 5);
    assert_int_equal(out[1].id, 6);
    s = get_stats(reg);
    assert_int_equal(s.messages_queued, 0);
    assert_int_equal(s.messages_dropped, 2);
    destroy_expecting(reg, 0);
}

static void ring_capacity_is_rounded_up_to_a_power_of_two(void **state) {
    gpureg_registry *reg = registry_with_ring(5);
    uint64_t token = gpureg__guard_token(reg);
    for (int32_t i = 1; i <= 9; i++) {
        gpureg_message m = message(i, GPUREG_SEVERITY_INFO, GPUREG_MESSAGE_GENERAL);
        assert_true(callback_push(token, &m));
    }
    gpureg_stats s = get_stats(reg);
    assert_int_equal(s.messages_queued, 8);
    assert_int_equal(s.messages_dropped, 1);
    destroy_expecting(reg, 0);
}

static void messages_are_stamped_with_the_frame_and_truncated_safely(void **state) {
    gpureg_registry *reg = registry_with_ring(0);
    assert_int_equal(gpureg_frame_begin(reg), GPUREG_OK);
    assert_int_equal(gpureg_frame_end(reg), GPUREG_OK);
    assert_int_equal(gpureg_frame_begin(reg), GPUREG_OK);
    gpureg_message m = message(1, GPUREG_SEVERITY_INFO, GPUREG_MESSAGE_GENERAL);
    memset(m.text, 'y', sizeof m.text); /* no terminator: the ring must add one */
    assert_true(callback_push(gpureg__guard_token(reg), &m));
    gpureg_message out;
    size_t n = 0;
    assert_int_equal(gpureg_poll_messages(reg, &out, 1, &n), GPUREG_OK);
    assert_int_equal(n, 1);
    assert_int_equal(out.frame, 2);
    assert_int_equal(strlen(out.text), GPUREG_MESSAGE_TEXT_SIZE - 1);
    assert_int_equal(gpureg_frame_end(reg), GPUREG_OK);
    destroy_expecting(reg, 0);
}

static void validation_errors_are_counted_even_when_dropped(void **state) {
    gpureg_registry *reg = registry_with_ring(1);
    uint64_t token = gpureg__guard_token(reg);
    gpureg_message err = message(1, GPUREG_SEVERITY_ERROR, GPUREG_MESSAGE_VALIDATION);
    gpureg_message warn = message(2, GPUREG_SEVERITY_WARNING, GPUREG_MESSAGE_VALIDATION);
    gpureg_message perf = message(3, GPUREG_SEVERITY_ERROR, GPUREG_MESSAGE_PERFORMANCE);
    assert_true(callback_push(token, &err));
    assert_true(callback_push(token, &warn));
    assert_true(callback_push(token, &err));
    assert_true(callback_push(token, &perf));
    assert_int_equal(gpureg_error_message_count(reg), 2);
    destroy_expecting(reg, 0);
}

typedef struct sink_record {
    int calls;
    int off_owner;
    pthread_t owner;
    int32_t ids[8];
} sink_record;

static void record_sink(const gpureg_message *m, void *user) {
    sink_record *r = user;
    if (!pthread_equal(r->owner, pthread_self())) r->off_owner++;
    if (r->calls < 8) r->ids[r->calls] = m->id;
    r->calls++;
}

static void message_sink_receives_queued_messages_at_collection_on_the_owner_thread(void **state) {
    sink_record rec = {0};
    rec.owner = pthread_self();
    gpureg_registry_desc rd = {0};
    rd.report_format = GPUREG_REPORT_OFF;
    rd.message_sink = record_sink;
    rd.message_sink_user = &rec;
    gpureg_registry *reg = NULL;
    assert_int_equal(gpureg_null_create(&rd, &reg), GPUREG_OK);
    uint64_t token = gpureg__guard_token(reg);
    for (int32_t i = 1; i <= 3; i++) {
        gpureg_message m = message(i, GPUREG_SEVERITY_INFO, GPUREG_MESSAGE_GENERAL);
        assert_true(callback_push(token, &m));
    }
    assert_int_equal(rec.calls, 0); /* the callback itself never calls the sink */
    assert_int_equal(gpureg_collect(reg, NULL), GPUREG_OK);
    assert_int_equal(rec.calls, 3);
    assert_int_equal(rec.off_owner, 0);
    assert_int_equal(rec.ids[0], 1);
    assert_int_equal(rec.ids[2], 3);
    assert_int_equal(get_stats(reg).messages_queued, 0);
    destroy_expecting(reg, 0);
}

static void handles_are_found_in_driver_message_text(void **state) {
    assert_int_equal(gpureg__handle_from_text("vkDestroyImage: object gpureg 0x0040000100000002 \"sprite\" @ a.c:1"),
                     0x0040000100000002ull);
    assert_int_equal(gpureg__handle_from_text("no handle here"), 0);
    assert_int_equal(gpureg__handle_from_text("gpureg 0x12"), 0); /* too short */
    assert_int_equal(gpureg__handle_from_text(NULL), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(callback_with_a_live_token_delivers_its_message),
        cmocka_unit_test(registries_get_distinct_tokens),
        cmocka_unit_test(late_callback_after_destroy_is_dropped_and_counted),
        cmocka_unit_test(late_callbacks_in_stats_count_process_wide),
        cmocka_unit_test(forged_tokens_are_dropped_and_counted),
        cmocka_unit_test(old_token_stays_dead_when_its_table_entry_is_reused),
        cmocka_unit_test(callbacks_racing_with_destroy_never_touch_freed_memory),
        cmocka_unit_test(full_ring_drops_the_oldest_and_counts_it),
        cmocka_unit_test(ring_capacity_is_rounded_up_to_a_power_of_two),
        cmocka_unit_test(messages_are_stamped_with_the_frame_and_truncated_safely),
        cmocka_unit_test(validation_errors_are_counted_even_when_dropped),
        cmocka_unit_test(message_sink_receives_queued_messages_at_collection_on_the_owner_thread),
        cmocka_unit_test(handles_are_found_in_driver_message_text),
    };
    return cmocka_run_group_tests_name("guard", tests, NULL, NULL);
}
