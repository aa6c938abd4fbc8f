/* test_alloc_failure.c — host allocation failure injected at every allocation a call makes.
 *
 * For k = 1, 2, ... the k-th allocation of the call under test fails, until the call succeeds
 * without any failure. Each failed call must answer OUT_OF_MEMORY, leave the registry's objects
 * and counters as they were, keep stats.host_bytes equal to what the allocator really holds, leave
 * the registry usable (the same call then succeeds), keep at most the capacity a success would
 * add (and the retry adds nothing twice: "Failure" in gpureg.h), and leak nothing (after
 * gpureg_destroy the allocator holds zero bytes). */
#include "test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

typedef struct scenario {
    const char *name;
    /* Bring the registry to the state before the call (no failures injected). */
    void (*prepare)(gpureg_registry *reg, void *ctx);
    /* The call under test. */
    gpureg_result (*call)(gpureg_registry *reg, void *ctx);
    /* After a failed call: its outputs say "nothing" (out = {0}, label unchanged, ...). */
    void (*check_failed)(gpureg_registry *reg, void *ctx);
    /* Objects alive at destroy after the successful retry (leaks). */
    int leaks_after_retry;
} scenario;

typedef struct scenario_ctx {
    adopt_counter ac;
    gpureg_handle handle; /* output of the call, or the object prepared for it */
    void *staging;
    text_sink sink;
} scenario_ctx;

static void assert_type_counters_equal(const gpureg_type_stats *a, const gpureg_type_stats *b) {
    assert_int_equal(a->live_count, b->live_count);
    assert_int_equal(a->live_bytes, b->live_bytes);
    assert_int_equal(a->pending_count, b->pending_count);
    assert_int_equal(a->created_total, b->created_total);
    assert_int_equal(a->destroyed_total, b->destroyed_total);
}

/* Host bytes the allocator holds after the call succeeds from the prepared state (no failures). */
static int64_t bytes_after_success(const scenario *s) {
    counting_allocator ca;
    scenario_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    adopt_counter_init(&ctx.ac);
    gpureg_registry *reg = counted_null_registry(&ca);
    if (s->prepare) s->prepare(reg, &ctx);
    assert_int_equal(s->call(reg, &ctx), GPUREG_OK);
    int64_t bytes = atomic_load(&ca.outstanding);
    destroy_expecting(reg, s->leaks_after_retry);
    text_sink_free(&ctx.sink);
    return bytes;
}

/* The documented failure semantics ("Failure" in gpureg.h): a failed call frees what it
 * allocated for the object itself; capacity it added to the registry's tables may stay, but is
 * not added again by the retry. So after a failure the registry holds at most what a success
 * would, and after the retry exactly that. */
static void run_scenario(const scenario *s) {
    const int64_t success_bytes = bytes_after_success(s);
    for (uint64_t k = 1;; k++) {
        counting_allocator ca;
        scenario_ctx ctx;
        memset(&ctx, 0, sizeof ctx);
        adopt_counter_init(&ctx.ac);
        gpureg_registry *reg = counted_null_registry(&ca);
        if (s->prepare) s->prepare(reg, &ctx);
        gpureg_stats before = get_stats(reg);
        /* host_bytes: what the allocator holds plus the slot tables committed from the OS. */
        assert_int_equal(before.host_bytes - before.host_bytes_os, (uint64_t)atomic_load(&ca.outstanding));

        counting_allocator_fail_in(&ca, k);
        gpureg_result r = s->call(reg, &ctx);
        counting_allocator_fail_in(&ca, 0);
        int failed = atomic_load(&ca.failures) != 0;
        if (!failed) {
            assert_int_equal(r, GPUREG_OK);
            if (k == 1) {
                print_error("%s: the call made no allocation at all\n", s->name);
                fail();
            }
            destroy_expecting(reg, s->leaks_after_retry);
            assert_int_equal(atomic_load(&ca.outstanding), 0);
            assert_int_equal(atomic_load(&ca.blocks), 0);
            text_sink_free(&ctx.sink);
            return;
        }
        if (r != GPUREG_ERR_OUT_OF_MEMORY) {
            print_error("%s: allocation %llu failed, the call answered %s\n", s->name, (unsigned long long)k,
                        gpureg_result_string(r));
            fail();
        }
        if (s->check_failed) s->check_failed(reg, &ctx);
        gpureg_stats after = get_stats(reg);
        assert_type_counters_equal(&before.texture, &after.texture);
        assert_type_counters_equal(&before.buffer, &after.buffer);
        assert_int_equal(before.slot_capacity, after.slot_capacity);
        int64_t failed_bytes = atomic_load(&ca.outstanding);
        assert_int_equal(after.host_bytes - after.host_bytes_os, (uint64_t)failed_bytes); /* exact accounting */
        if (failed_bytes > success_bytes) {
            print_error("%s: allocation %llu failed; the registry holds %lld bytes, a success holds %lld\n", s->name,
                        (unsigned long long)k, (long long)failed_bytes, (long long)success_bytes);
            fail();
        }
        /* The registry still works: the same call succeeds now, adding nothing twice. */
        text_sink_clear(&ctx.sink);
        assert_int_equal(s->call(reg, &ctx), GPUREG_OK);
        if (atomic_load(&ca.outstanding) != success_bytes) {
            print_error("%s: after allocation %llu failed and the retry succeeded the registry holds %lld bytes, "
                        "a success at once holds %lld\n",
                        s->name, (unsigned long long)k, (long long)atomic_load(&ca.outstanding),
                        (long long)success_bytes);
            fail();
        }
        destroy_expecting(reg, s->leaks_after_retry);
        assert_int_equal(atomic_load(&ca.outstanding), 0);
        assert_int_equal(atomic_load(&ca.blocks), 0);
        text_sink_free(&ctx.sink);
    }
}

/* ---- scenarios ------------------------------------------------------------------------------- */

static gpureg_result call_first_labelled_texture_create(gpureg_registry *reg, void *p) {
    scenario_ctx *ctx = p;
    const gpureg_site site = {"fresh_site.c", 1, "first", 0};
    gpureg_texture_desc td = small_texture_desc();
    td.label = "first texture";
    gpureg_texture t = {0xDEAD};
    gpureg_result r = gpureg_texture_create_at(reg, &td, &site, &t);
    ctx->handle = t.id;
    return r;
}

static void check_no_handle(gpureg_registry *reg, void *p) {
    scenario_ctx *ctx = p;
    assert_int_equal(ctx->handle, 0);
}

static gpureg_result call_first_buffer_create(gpureg_registry *reg, void *p) {
    scenario_ctx *ctx = p;
    gpureg_buffer_desc bd = small_buffer_desc();
    gpureg_buffer b = {0xDEAD};
    gpureg_result r = gpureg_buffer_create(reg, &bd, &b);
    ctx->handle = b.id;
    return r;
}

static void prepare_full_first_chunk(gpureg_registry *reg, void *p) {
    /* Chunk 0 holds 256 slots: fill it so the next create needs a new chunk. Labelled, so the
     * cold records exist too; the next create comes from a site not seen yet. */
    gpureg_texture_desc td = small_texture_desc();
    td.label = "filler";
    for (int i = 0; i < 256; i++) {
        gpureg_texture t;
        assert_int_equal(gpureg_texture_create(reg, &td, &t), GPUREG_OK);
    }
}

static gpureg_result call_labelled_create_needing_a_new_chunk(gpureg_registry *reg, void *p) {
    scenario_ctx *ctx = p;
    const gpureg_site site = {"second_chunk.c", 257, "grow", 0};
    gpureg_buffer_desc bd = {.size = 16, .label = "first of chunk 1"};
    gpureg_buffer b = {0xDEAD};
    gpureg_result r = gpureg_buffer_create_at(reg, &bd, &site, &b);
    ctx->handle = b.id;
    return r;
}

static void prepare_one_texture(gpureg_registry *reg, void *p) {
    scenario_ctx *ctx = p;
    ctx->handle = make_texture(reg).id;
}

static gpureg_result call_labelled_create_after_another(gpureg_registry *reg, void *p) {
    scenario_ctx *ctx = p;
    gpureg_texture_desc td = small_texture_desc();
    td.label = "second";
    gpureg_texture t = {0xDEAD};
    gpureg_result r = gpureg_texture_create(reg, &td, &t);
    ctx->handle = t.id;
    return r;
}

static gpureg_result call_labelled_adopt(gpureg_registry *reg, void *p) {
    scenario_ctx *ctx = p;
    gpureg_texture_desc td = small_texture_desc();
    td.label = "adopted";
    gpureg_texture t = {0xDEAD};
    gpureg_result r = gpureg_texture_adopt(reg, &td, 0xA11CE, adopt_counter_destroy_fn, &ctx->ac, &t);
    ctx->handle = t.id;
    return r;
}

static void check_adopt_failed(gpureg_registry *reg, void *p) {
    scenario_ctx *ctx = p;
    assert_int_equal(ctx->handle, 0);
    assert_int_equal(atomic_load(&ctx->ac.calls), 0); /* the caller still owns the native object */
}

static gpureg_result call_set_label(gpureg_registry *reg, void *p) {
    scenario_ctx *ctx = p;
    return gpureg_set_label(reg, ctx->handle, "a new label");
}

static void check_label_unchanged(gpureg_registry *reg, void *p) {
    scenario_ctx *ctx = p;
    char buf[32];
    assert_int_equal(gpureg_get_label(reg, ctx->handle, buf, sizeof buf, NULL), GPUREG_OK);
    assert_string_equal(buf, "");
}

static gpureg_result call_report(gpureg_registry *reg, void *p) {
    scenario_ctx *ctx = p;
    return gpureg_report(reg, GPUREG_REPORT_JSON, text_sink_write, &ctx->sink);
}

static void check_nothing_written(gpureg_registry *reg, void *p) {
    scenario_ctx *ctx = p;
    assert_int_equal(ctx->sink.length, 0);
}

static gpureg_result call_staging_alloc(gpureg_registry *reg, void *p) {
    scenario_ctx *ctx = p;
    ctx->staging = (void *)1;
    return gpureg_staging_alloc(reg, 1000, &ctx->staging);
}

static void check_no_staging(gpureg_registry *reg, void *p) {
    scenario_ctx *ctx = p;
    assert_null(ctx->staging);
}

static const scenario first_texture = {"first labelled texture create", NULL, call_first_labelled_texture_create,
                                       check_no_handle, 1};
static const scenario first_buffer = {"first buffer create", NULL, call_first_buffer_create, check_no_handle, 1};
static const scenario new_chunk = {"create needing a new chunk", prepare_full_first_chunk,
                                   call_labelled_create_needing_a_new_chunk, check_no_handle, 257};
static const scenario second_labelled = {"labelled create after another", prepare_one_texture,
                                         call_labelled_create_after_another, NULL, 2};
static const scenario adopt = {"labelled adopt", NULL, call_labelled_adopt, check_adopt_failed, 1};
static const scenario set_label = {"set_label", prepare_one_texture, call_set_label, check_label_unchanged, 1};
static const scenario report = {"report", prepare_one_texture, call_report, check_nothing_written, 1};
static const scenario staging = {"staging_alloc", NULL, call_staging_alloc, check_no_staging, 0};

static void failed_first_texture_create_answers_out_of_memory_and_leaks_nothing(void **state) {
    run_scenario(&first_texture);
}
static void failed_first_buffer_create_answers_out_of_memory_and_leaks_nothing(void **state) {
    run_scenario(&first_buffer);
}
static void failed_create_needing_a_new_chunk_answers_out_of_memory_and_leaks_nothing(void **state) {
    run_scenario(&new_chunk);
}
static void failed_labelled_create_answers_out_of_memory_and_leaks_nothing(void **state) {
    run_scenario(&second_labelled);
}
static void failed_adopt_answers_out_of_memory_and_adopts_nothing(void **state) { run_scenario(&adopt); }
static void failed_set_label_answers_out_of_memory_and_keeps_the_old_label(void **state) { run_scenario(&set_label); }
static void failed_report_answers_out_of_memory_and_writes_nothing(void **state) { run_scenario(&report); }
static void failed_staging_alloc_answers_out_of_memory(void **state) { run_scenario(&staging); }

/* Registry creation itself: every allocation of gpureg_null_create. Returns the number of failed
 * creates that left *out other than NULL. */
static unsigned registry_create_under_failures(void) {
    unsigned out_not_null = 0;
    for (uint64_t k = 1;; k++) {
        counting_allocator ca;
        counting_allocator_init(&ca);
        gpureg_registry_desc rd = {0};
        rd.allocator = counting_allocator_hooks(&ca);
        rd.report_format = GPUREG_REPORT_OFF;
        gpureg_registry *reg = (gpureg_registry *)&ca; /* garbage the call should overwrite */
        counting_allocator_fail_in(&ca, k);
        gpureg_result r = gpureg_null_create(&rd, &reg);
        counting_allocator_fail_in(&ca, 0);
        if (!atomic_load(&ca.failures)) {
            assert_int_equal(r, GPUREG_OK);
            assert_true(k > 1);
            destroy_expecting(reg, 0);
            assert_int_equal(atomic_load(&ca.outstanding), 0);
            return out_not_null;
        }
        assert_int_equal(r, GPUREG_ERR_OUT_OF_MEMORY);
        out_not_null += reg != NULL;
        assert_int_equal(atomic_load(&ca.outstanding), 0);
        assert_int_equal(atomic_load(&ca.blocks), 0);
    }
}

static void failed_registry_create_answers_out_of_memory_and_leaks_nothing(void **state) {
    registry_create_under_failures();
}

/* As the object creates promise for their out-param: a caller that destroys whatever it got
 * back must not be handed a dangling pointer. */
static void failed_registry_create_sets_out_to_null(void **state) {
    assert_int_equal(registry_create_under_failures(), 0);
}

/* ---- collection: the retire queue allocates its run markers ---------------------------------- */

typedef struct collect_case {
    int in_frame; /* release inside a frame (the drain runs in frame_end) or before any frame */
} collect_case;

/* In a child: a crash here must fail this test, not the whole program. */
static int collect_child(void *arg) {
    const collect_case *c = arg;
    counting_allocator ca;
    gpureg_registry *reg = counted_null_registry(&ca);
    gpureg_texture_desc td = small_texture_desc();
    gpureg_texture t;
    if (gpureg_texture_create(reg, &td, &t) != GPUREG_OK) return 10;
    if (c->in_frame && gpureg_frame_begin(reg) != GPUREG_OK) return 11;
    if (gpureg_texture_release(reg, t) != GPUREG_OK) return 12;
    counting_allocator_fail_in(&ca, 1);
    gpureg_result r = c->in_frame ? gpureg_frame_end(reg) : gpureg_collect(reg, NULL);
    counting_allocator_fail_in(&ca, 0);
    if (r != GPUREG_OK) return 13;
    if (c->in_frame && gpureg_null_signal(reg, 1) != GPUREG_OK) return 14;
    if (gpureg_collect(reg, NULL) != GPUREG_OK) return 15;
    if (gpureg_query_state(reg, t.id) != GPUREG_STATE_DESTROYED) return 16;
    if (gpureg_destroy(reg) != 0) return 17;
    if (atomic_load(&ca.outstanding) != 0) return 18;
    return 0;
}

static void assert_child_ok(int status) {
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        if (WIFSIGNALED(status))
            print_error("child died of signal %d\n", WTERMSIG(status));
        else
            print_error("child exited with %d\n", WEXITSTATUS(status));
        fail();
    }
}

static void collection_survives_failure_to_allocate_the_first_retire_marker(void **state) {
    collect_case c = {0};
    assert_child_ok(run_in_child(collect_child, &c));
}

static void frame_end_survives_failure_to_allocate_the_first_retire_marker(void **state) {
    collect_case c = {1};
    assert_child_ok(run_in_child(collect_child, &c));
}

/* When the marker ring cannot grow, an object may wait for a later fence, never an earlier one. */
static void objects_never_die_early_when_the_retire_markers_cannot_grow(void **state) {
    counting_allocator ca;
    gpureg_registry *reg = counted_null_registry(&ca);
    enum { FRAMES = 40 };
    gpureg_texture t[FRAMES];
    for (int i = 0; i < FRAMES; i++)
        t[i] = make_texture(reg);
    for (int i = 0; i < FRAMES; i++) {
        assert_int_equal(gpureg_frame_begin(reg), GPUREG_OK);
        assert_int_equal(gpureg_texture_release(reg, t[i]), GPUREG_OK);
        /* The first frame creates the marker ring (16 runs); every later growth of it fails. */
        if (i > 0) counting_allocator_fail_in(&ca, 1);
        assert_int_equal(gpureg_frame_end(reg), GPUREG_OK);
        counting_allocator_fail_in(&ca, 0);
    }
    for (uint64_t serial = 1; serial <= FRAMES; serial++) {
        assert_int_equal(gpureg_null_signal(reg, serial), GPUREG_OK);
        assert_int_equal(gpureg_collect(reg, NULL), GPUREG_OK);
        for (uint64_t i = serial; i < FRAMES; i++) /* t[i] was released in frame i + 1 */
            assert_int_equal(gpureg_query_state(reg, t[i].id), GPUREG_STATE_RELEASED);
    }
    for (int i = 0; i < FRAMES; i++)
        assert_int_equal(gpureg_query_state(reg, t[i].id), GPUREG_STATE_DESTROYED);
    destroy_expecting(reg, 0);
    assert_int_equal(atomic_load(&ca.outstanding), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(failed_registry_create_answers_out_of_memory_and_leaks_nothing),
        cmocka_unit_test(failed_registry_create_sets_out_to_null),
        cmocka_unit_test(failed_first_texture_create_answers_out_of_memory_and_leaks_nothing),
        cmocka_unit_test(failed_first_buffer_create_answers_out_of_memory_and_leaks_nothing),
        cmocka_unit_test(failed_create_needing_a_new_chunk_answers_out_of_memory_and_leaks_nothing),
        cmocka_unit_test(failed_labelled_create_answers_out_of_memory_and_leaks_nothing),
        cmocka_unit_test(failed_adopt_answers_out_of_memory_and_adopts_nothing),
        cmocka_unit_test(failed_set_label_answers_out_of_memory_and_keeps_the_old_label),
        cmocka_unit_test(failed_report_answers_out_of_memory_and_writes_nothing),
        cmocka_unit_test(failed_staging_alloc_answers_out_of_memory),
        cmocka_unit_test(collection_survives_failure_to_allocate_the_first_retire_marker),
        cmocka_unit_test(frame_end_survives_failure_to_allocate_the_first_retire_marker),
        cmocka_unit_test(objects_never_die_early_when_the_retire_markers_cannot_grow),
    };
    return cmocka_run_group_tests_name("alloc_failure", tests, NULL, NULL);
}
