/* test_threads.c — thread rules: owner-only calls from another thread answer WRONG_THREAD and
 * change nothing; any-thread calls work anywhere; and four threads retaining, releasing and
 * resolving while the owner runs frames, signals fences and churns objects: every object is
 * destroyed exactly once, on the owner thread, and a resolve never answers another object's
 * native. Run under the thread sanitizer too. */
#include "test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- wrong thread ---------------------------------------------------------------------------- */

typedef struct owner_only {
    gpureg_registry *reg;
    gpureg_texture tex;
    gpureg_buffer buf;
    gpureg_result results[16];
    const char *names[16];
    int count;
    int destroy_result;
} owner_only;

static void record(owner_only *o, const char *name, gpureg_result r) {
    o->names[o->count] = name;
    o->results[o->count] = r;
    o->count++;
}

static void call_owner_only_functions(void *arg) {
    owner_only *o = arg;
    gpureg_texture_desc td = small_texture_desc();
    gpureg_buffer_desc bd = small_buffer_desc();
    gpureg_texture t = {1};
    gpureg_buffer b = {1};
    unsigned char data[64] = {0};
    gpureg_texture_region region = {.width = 1, .height = 1};
    text_sink ts = {0};
    record(o, "gpureg_texture_create", gpureg_texture_create(o->reg, &td, &t));
    record(o, "gpureg_buffer_create", gpureg_buffer_create(o->reg, &bd, &b));
    record(o, "gpureg_texture_adopt", gpureg_texture_adopt(o->reg, &td, 99, NULL, NULL, &t));
    record(o, "gpureg_buffer_adopt", gpureg_buffer_adopt(o->reg, &bd, 99, NULL, NULL, &b));
    record(o, "gpureg_frame_begin", gpureg_frame_begin(o->reg));
    record(o, "gpureg_frame_end", gpureg_frame_end(o->reg));
    record(o, "gpureg_collect", gpureg_collect(o->reg, NULL));
    record(o, "gpureg_report", gpureg_report(o->reg, GPUREG_REPORT_TEXT, text_sink_write, &ts));
    record(o, "gpureg_texture_write", gpureg_texture_write(o->reg, o->tex, &region, data, sizeof data, 0));
    record(o, "gpureg_texture_read", gpureg_texture_read(o->reg, o->tex, &region, data, sizeof data));
    record(o, "gpureg_buffer_write", gpureg_buffer_write(o->reg, o->buf, 0, data, 4));
    record(o, "gpureg_buffer_read", gpureg_buffer_read(o->reg, o->buf, 0, data, 4));
    record(o, "gpureg_null_lose_device", gpureg_null_lose_device(o->reg));
    o->destroy_result = gpureg_destroy(o->reg);
    if (t.id != 0 || b.id != 0) o->count = -1; /* outputs must be cleared */
    text_sink_free(&ts);
}

static void owner_only_calls_from_another_thread_answer_wrong_thread_and_change_nothing(void **state) {
    log_capture lc;
    log_capture_init(&lc);
    gpureg_registry *reg = make_registry(&lc);
    owner_only o;
    memset(&o, 0, sizeof o);
    o.reg = reg;
    o.tex = make_texture(reg);
    o.buf = make_buffer(reg);
    /* Released and not yet collected: a collection off the owner thread would destroy it. */
    assert_int_equal(gpureg_buffer_release(reg, make_buffer(reg)), GPUREG_OK);
    gpureg_stats before = get_stats(reg);
    log_capture_reset(&lc);

    run_on_other_thread(call_owner_only_functions, &o);

    assert_int_equal(o.count, 13);
    for (int i = 0; i < o.count; i++) {
        if (o.results[i] != GPUREG_ERR_WRONG_THREAD) {
            print_error("%s from another thread answered %s\n", o.names[i], gpureg_result_string(o.results[i]));
            fail();
        }
    }
    assert_int_equal(o.destroy_result, -(int)GPUREG_ERR_WRONG_THREAD);
    assert_int_equal(log_capture_count(&lc), 14);
    for (int i = 0; i < o.count; i++) {
        assert_int_equal(lc.results[i], GPUREG_ERR_WRONG_THREAD);
        if (!strstr(lc.lines[i], o.names[i])) {
            print_error("log line \"%s\" does not name %s\n", lc.lines[i], o.names[i]);
            fail();
        }
    }
    assert_non_null(strstr(lc.lines[13], "gpureg_destroy"));
    gpureg_stats after = get_stats(reg);
    assert_stats_equal(before, after);
    /* The registry is intact and still the owner's. */
    uint64_t native;
    assert_int_equal(gpureg_texture_native(reg, o.tex, &native), GPUREG_OK);
    assert_int_equal(gpureg_frame_begin(reg), GPUREG_OK);
    assert_int_equal(gpureg_frame_end(reg), GPUREG_OK);
    make_texture(reg);
    destroy_expecting(reg, 3);
}

typedef struct any_thread {
    gpureg_registry *reg;
    gpureg_texture tex;
    int failures;
    char first_failure[128];
} any_thread;

static void check(any_thread *a, int ok, const char *what) {
    if (!ok && !a->failures++) snprintf(a->first_failure, sizeof a->first_failure, "%s", what);
}

static void call_any_thread_functions(void *arg) {
    any_thread *a = arg;
    gpureg_handle h = a->tex.id;
    uint64_t native = 0;
    check(a, gpureg_retain(a->reg, h) == GPUREG_OK, "retain");
    check(a, gpureg_resolve(a->reg, h, GPUREG_TYPE_TEXTURE, &native) == GPUREG_OK && native, "resolve");
    gpureg_object_info info;
    check(a, gpureg_query(a->reg, h, &info) == GPUREG_OK && info.refcount == 2, "query");
    check(a, gpureg_query_state(a->reg, h) == GPUREG_STATE_ALIVE, "query_state");
    check(a, gpureg_set_label(a->reg, h, "from a worker") == GPUREG_OK, "set_label");
    char buf[32];
    check(a, gpureg_get_label(a->reg, h, buf, sizeof buf, NULL) == GPUREG_OK && !strcmp(buf, "from a worker"),
          "get_label");
    gpureg_stats s;
    check(a, gpureg_get_stats(a->reg, &s) == GPUREG_OK && s.texture.live_count == 1, "get_stats");
    gpureg_message m;
    size_t n = 9;
    check(a, gpureg_poll_messages(a->reg, &m, 1, &n) == GPUREG_OK && n == 0, "poll_messages");
    void *p = NULL;
    check(a, gpureg_staging_alloc(a->reg, 32, &p) == GPUREG_OK, "staging_alloc");
    gpureg_staging_free(a->reg, p);
    check(a, gpureg_null_signal(a->reg, 1) == GPUREG_OK, "null_signal");
    check(a, gpureg_frame_serial(a->reg) == 1, "frame_serial");
    check(a, gpureg_retain_many(a->reg, &h, 1, NULL) == 0, "retain_many");
    check(a, gpureg_release_many(a->reg, &h, 1, NULL) == 0, "release_many");
    check(a, gpureg_release_from_gc(a->reg, h) == GPUREG_OK, "release_from_gc");
    check(a, gpureg_error_message_count(a->reg) == 0, "error_message_count");
    check(a, strcmp(gpureg_backend_name(a->reg), "null") == 0, "backend_name");
    check(a, gpureg_release(a->reg, h) == GPUREG_OK, "release"); /* the last reference, off the owner */
}

static void any_thread_calls_work_from_another_thread(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    any_thread a;
    memset(&a, 0, sizeof a);
    a.reg = reg;
    a.tex = make_texture(reg);
    assert_int_equal(gpureg_frame_begin(reg), GPUREG_OK);
    assert_int_equal(gpureg_frame_end(reg), GPUREG_OK);
    run_on_other_thread(call_any_thread_functions, &a);
    if (a.failures) {
        print_error("%d any-thread calls failed off the owner thread, first: %s\n", a.failures, a.first_failure);
        fail();
    }
    assert_int_equal(gpureg_query_state(reg, a.tex.id), GPUREG_STATE_RELEASED);
    destroy_expecting(reg, 0);
}

/* ---- concurrency ----------------------------------------------------------------------------- */

enum {
    WORKERS = 4,
    STABLE = 64,        /* objects every worker holds a reference to until it finishes */
    CHURN_MAX = 100000, /* objects the owner creates and releases while workers run */
    PUBLISHED = 32,     /* churn handles visible to workers at any time */
    WORKER_ITERATIONS = 200000,
};
#define STABLE_NATIVE_BASE 0x10000u
#define CHURN_NATIVE_BASE  0x100000u

typedef struct stress {
    gpureg_registry *reg;
    pthread_t owner;
    gpureg_handle stable[STABLE];
    _Atomic uint64_t published[PUBLISHED];
    _Atomic uint64_t handle_of_churn[CHURN_MAX];
    _Atomic unsigned destroy_calls_stable[STABLE];
    _Atomic unsigned destroy_calls_churn[CHURN_MAX];
    atomic_uint off_owner_destroys;
    atomic_uint bad_natives;
    atomic_int workers_done;
    atomic_uint failures;
    char first_failure[160];
    atomic_flag failure_written;
} stress;

typedef struct worker {
    stress *s;
    uint64_t rng;
    unsigned id;
} worker;

static void stress_fail(stress *s, const char *what, gpureg_handle h, gpureg_result r) {
    atomic_fetch_add(&s->failures, 1);
    if (!atomic_flag_test_and_set(&s->failure_written))
        snprintf(s->first_failure, sizeof s->first_failure, "%s: handle 0x%016llx: %s", what, (unsigned long long)h,
                 gpureg_result_string(r));
}

static void stress_destroy(uint64_t native, void *user) {
    stress *s = user;
    if (!pthread_equal(s->owner, pthread_self())) atomic_fetch_add(&s->off_owner_destroys, 1);
    if (native >= CHURN_NATIVE_BASE && native < CHURN_NATIVE_BASE + CHURN_MAX)
        atomic_fetch_add(&s->destroy_calls_churn[native - CHURN_NATIVE_BASE], 1);
    else if (native >= STABLE_NATIVE_BASE && native < STABLE_NATIVE_BASE + STABLE)
        atomic_fetch_add(&s->destroy_calls_stable[native - STABLE_NATIVE_BASE], 1);
    else
        atomic_fetch_add(&s->bad_natives, 1);
}

static uint64_t next_random(uint64_t *x) {
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

/* A resolve that succeeds must answer the native of the object the handle names. */
static void check_churn_native(stress *s, gpureg_handle h, uint64_t native) {
    if (native < CHURN_NATIVE_BASE || native >= CHURN_NATIVE_BASE + CHURN_MAX) {
        stress_fail(s, "resolve of a churn handle gave a foreign native", h, GPUREG_OK);
        return;
    }
    if (atomic_load_explicit(&s->handle_of_churn[native - CHURN_NATIVE_BASE], memory_order_relaxed) != h)
        stress_fail(s, "resolve answered another object's native (aliasing)", h, GPUREG_OK);
}

static void *worker_main(void *p) {
    worker *w = p;
    stress *s = w->s;
    for (int i = 0; i < WORKER_ITERATIONS; i++) {
        uint64_t r = next_random(&w->rng);
        if (r & 1) {
            /* A stable object: this worker holds a reference, so it is alive whatever others do. */
            unsigned k = (unsigned)(r >> 8) % STABLE;
            gpureg_handle h = s->stable[k];
            gpureg_result res = gpureg_retain(s->reg, h);
            if (res != GPUREG_OK) stress_fail(s, "retain of a held object", h, res);
            uint64_t native = 0;
            res = gpureg_resolve(s->reg, h, GPUREG_TYPE_TEXTURE, &native);
            if (res != GPUREG_OK || native != STABLE_NATIVE_BASE + k)
                stress_fail(s, "resolve of a held object", h, res);
            if (gpureg_query_state(s->reg, h) != GPUREG_STATE_ALIVE) stress_fail(s, "state of a held object", h, res);
            res = (r & 2) ? gpureg_release(s->reg, h) : gpureg_release_from_gc(s->reg, h);
            if (res != GPUREG_OK) stress_fail(s, "release of a held object", h, res);
        } else {
            /* A churn object the owner may release, destroy and replace at any moment. */
            gpureg_handle h = atomic_load_explicit(&s->published[(r >> 8) % PUBLISHED], memory_order_acquire);
            if (!h) continue;
            uint64_t native = 0;
            gpureg_result res = gpureg_resolve(s->reg, h, GPUREG_TYPE_BUFFER, &native);
            if (res == GPUREG_OK)
                check_churn_native(s, h, native);
            else if (res != GPUREG_ERR_RELEASED && res != GPUREG_ERR_STALE_HANDLE)
                stress_fail(s, "resolve", h, res);
            if (r & 2) {
                res = gpureg_retain(s->reg, h);
                if (res == GPUREG_OK) {
                    /* Holding a reference: it must stay resolvable until we let go. */
                    res = gpureg_resolve(s->reg, h, GPUREG_TYPE_BUFFER, &native);
                    if (res != GPUREG_OK)
                        stress_fail(s, "resolve while holding a reference", h, res);
                    else
                        check_churn_native(s, h, native);
                    res = gpureg_release(s->reg, h);
                    if (res != GPUREG_OK) stress_fail(s, "release of a retained churn object", h, res);
                } else if (res != GPUREG_ERR_RELEASED && res != GPUREG_ERR_STALE_HANDLE) {
                    stress_fail(s, "retain", h, res);
                }
            }
        }
    }
    for (unsigned k = 0; k < STABLE; k++) {
        gpureg_result res = gpureg_release(s->reg, s->stable[k]);
        if (res != GPUREG_OK) stress_fail(s, "final release", s->stable[k], res);
    }
    atomic_fetch_add(&s->workers_done, 1);
    return NULL;
}

static void four_threads_share_objects_while_the_owner_runs_frames(void **state) {
    stress *s = calloc(1, sizeof *s);
    assert_non_null(s);
    atomic_flag_clear(&s->failure_written);
    s->owner = pthread_self();
    s->reg = make_registry(NULL);
    gpureg_registry *reg = s->reg;
    gpureg_texture_desc td = small_texture_desc();
    gpureg_buffer_desc bd = small_buffer_desc();
    for (unsigned k = 0; k < STABLE; k++) {
        gpureg_texture t;
        assert_int_equal(gpureg_texture_adopt(reg, &td, STABLE_NATIVE_BASE + k, stress_destroy, s, &t), GPUREG_OK);
        s->stable[k] = t.id;
        for (int w = 0; w < WORKERS; w++)
            assert_int_equal(gpureg_retain(reg, t.id), GPUREG_OK);
    }
    unsigned churned = 0;
    for (unsigned j = 0; j < PUBLISHED; j++) {
        gpureg_buffer b;
        assert_int_equal(gpureg_buffer_adopt(reg, &bd, CHURN_NATIVE_BASE + churned, stress_destroy, s, &b), GPUREG_OK);
        atomic_store(&s->handle_of_churn[churned++], b.id);
        atomic_store_explicit(&s->published[j], b.id, memory_order_release);
    }

    pthread_t threads[WORKERS];
    worker workers[WORKERS];
    for (unsigned w = 0; w < WORKERS; w++) {
        workers[w] = (worker){s, 0x9E3779B97F4A7C15ull * (w + 1), w};
        assert_int_equal(pthread_create(&threads[w], NULL, worker_main, &workers[w]), 0);
    }
    /* The owner's own references to the stable objects go now: their last release will happen
     * on a worker thread, their destruction must still happen here. */
    for (unsigned k = 0; k < STABLE; k++)
        assert_int_equal(gpureg_release(reg, s->stable[k]), GPUREG_OK);

    uint64_t rng = 12345;
    unsigned frames = 0;
    while (atomic_load(&s->workers_done) < WORKERS) {
        assert_int_equal(gpureg_frame_begin(reg), GPUREG_OK);
        for (int i = 0; i < 4 && churned < CHURN_MAX; i++) {
            unsigned j = (unsigned)(next_random(&rng) % PUBLISHED);
            gpureg_buffer b;
            assert_int_equal(gpureg_buffer_adopt(reg, &bd, CHURN_NATIVE_BASE + churned, stress_destroy, s, &b),
                             GPUREG_OK);
            atomic_store_explicit(&s->handle_of_churn[churned++], b.id, memory_order_relaxed);
            uint64_t old = atomic_exchange_explicit(&s->published[j], b.id, memory_order_acq_rel);
            assert_int_equal(gpureg_release(reg, old), GPUREG_OK);
        }
        assert_int_equal(gpureg_frame_end(reg), GPUREG_OK);
        frames++;
        if (frames > 2) assert_int_equal(gpureg_null_signal(reg, frames - 2), GPUREG_OK); /* GPU two frames behind */
        if (frames % 16 == 0) assert_int_equal(gpureg_collect(reg, NULL), GPUREG_OK);
    }
    for (unsigned w = 0; w < WORKERS; w++)
        assert_int_equal(pthread_join(threads[w], NULL), 0);
    if (atomic_load(&s->failures)) {
        print_error("%u failures in workers, first: %s\n", atomic_load(&s->failures), s->first_failure);
        fail();
    }
    for (unsigned j = 0; j < PUBLISHED; j++)
        assert_int_equal(gpureg_release(reg, atomic_load(&s->published[j])), GPUREG_OK);
    assert_int_equal(gpureg_null_signal(reg, frames), GPUREG_OK);
    assert_int_equal(gpureg_collect(reg, NULL), GPUREG_OK);

    gpureg_stats st = get_stats(reg);
    assert_int_equal(st.texture.live_count + st.buffer.live_count, 0);
    assert_int_equal(st.texture.pending_count + st.buffer.pending_count, 0);
    assert_int_equal(st.texture.destroyed_total, STABLE);
    assert_int_equal(st.buffer.destroyed_total, churned);
    for (unsigned k = 0; k < STABLE; k++)
        assert_int_equal(atomic_load(&s->destroy_calls_stable[k]), 1);
    for (unsigned c = 0; c < churned; c++)
        assert_int_equal(atomic_load(&s->destroy_calls_churn[c]), 1);
    assert_int_equal(atomic_load(&s->off_owner_destroys), 0);
    assert_int_equal(atomic_load(&s->bad_natives), 0);
    destroy_expecting(reg, 0);
    printf("stress: %u frames, %u churned objects\n", frames, churned);
    free(s);
}

/* gpureg_query describes a released object (state RELEASED) rather than refusing it, also when
 * the last release lands between the two reads of the slot's word that a query makes. Before,
 * the re-read answered RELEASED as an error. The owner publishes a texture; a releaser thread
 * drops it at a random moment while this thread queries it in a tight loop; nothing collects
 * until the round ends, so every query must answer OK. */
typedef struct query_race {
    gpureg_registry *reg;
    _Atomic uint64_t handle; /* the texture of this round, until the releaser takes it */
    _Atomic unsigned round;  /* rounds whose texture the releaser has released */
} query_race;

static void *release_at_random_moments(void *arg) {
    query_race *q = arg;
    uint64_t x = 0x9E3779B97F4A7C15ull;
    for (;;) {
        uint64_t h;
        while ((h = atomic_exchange(&q->handle, 0)) == 0) /* take this round's texture */
            if (atomic_load(&q->round) == UINT32_MAX) return NULL;
        for (unsigned spin = (unsigned)(next_random(&x) % 200u); spin; spin--)
            atomic_signal_fence(memory_order_seq_cst);
        gpureg_release(q->reg, h);
        atomic_fetch_add(&q->round, 1);
    }
}

static void query_racing_the_last_release_describes_the_released_object(void **state) {
    enum { ROUNDS = 20000 };
    query_race q = {.reg = make_registry(NULL)};
    pthread_t releaser;
    assert_int_equal(pthread_create(&releaser, NULL, release_at_random_moments, &q), 0);
    unsigned refused = 0;
    gpureg_result first_refusal = GPUREG_OK;
    for (unsigned round = 0; round < ROUNDS; round++) {
        gpureg_texture t = make_texture(q.reg);
        atomic_store(&q.handle, t.id);
        gpureg_object_info info;
        do {
            gpureg_result r = gpureg_query(q.reg, t.id, &info);
            if (r != GPUREG_OK) {
                if (!refused++) first_refusal = r;
                continue;
            }
            assert_true(info.state == GPUREG_STATE_ALIVE || info.state == GPUREG_STATE_RELEASED);
        } while (atomic_load(&q.round) == round);
        assert_int_equal(gpureg_query(q.reg, t.id, &info), GPUREG_OK);
        assert_int_equal(info.state, GPUREG_STATE_RELEASED);
        assert_int_equal(gpureg_collect(q.reg, NULL), GPUREG_OK);
    }
    atomic_store(&q.round, UINT32_MAX);
    assert_int_equal(pthread_join(releaser, NULL), 0);
    if (refused)
        print_error("%u queries refused a released object (first: %s)\n", refused, gpureg_result_string(first_refusal));
    assert_int_equal(refused, 0);
    destroy_expecting(q.reg, 0);
}

/* gpureg_get_label on a labelled object answers its label while the object is alive or
 * released, and STALE_HANDLE once it is destroyed; never OK with "". Before, destruction cleared
 * the label before the slot's word left RELEASED, so a reader that came in between read "". The
 * owner makes labelled textures, releases them and destroys them at once (no frames); a reader
 * thread reads their labels all the while. */
enum { LABEL_RACE_SLOTS = 64 };
typedef struct label_race {
    gpureg_registry *reg;
    _Atomic uint64_t handles[LABEL_RACE_SLOTS];
    _Atomic int stop;
    _Atomic unsigned wrong, read;
    char first_wrong[160];
} label_race;

static void expected_label(char *buf, size_t cap, uint64_t h) { snprintf(buf, cap, "L%016llx", (unsigned long long)h); }

static void *read_labels(void *arg) {
    label_race *l = arg;
    for (unsigned i = 0; !atomic_load(&l->stop); i++) {
        uint64_t h = atomic_load(&l->handles[i % LABEL_RACE_SLOTS]);
        if (!h) continue;
        char buf[64], want[64];
        if (gpureg_get_label(l->reg, h, buf, sizeof buf, NULL) != GPUREG_OK) continue; /* STALE: gone */
        atomic_fetch_add(&l->read, 1);
        expected_label(want, sizeof want, h);
        if (strcmp(buf, want) && atomic_fetch_add(&l->wrong, 1) == 0)
            snprintf(l->first_wrong, sizeof l->first_wrong, "'%s' for %s", buf, want);
    }
    return NULL;
}

static void label_is_read_until_its_object_is_destroyed(void **state) {
    enum { ROUNDS = 200000 };
    label_race l = {.reg = make_registry(NULL)};
    pthread_t reader;
    assert_int_equal(pthread_create(&reader, NULL, read_labels, &l), 0);
    for (unsigned round = 0; round < ROUNDS; round++) {
        unsigned i = round % LABEL_RACE_SLOTS;
        gpureg_texture t = make_texture(l.reg);
        char label[64];
        expected_label(label, sizeof label, t.id);
        assert_int_equal(gpureg_set_label(l.reg, t.id, label), GPUREG_OK);
        atomic_store(&l.handles[i], t.id);
        assert_int_equal(gpureg_texture_release(l.reg, t), GPUREG_OK);
        assert_int_equal(gpureg_collect(l.reg, NULL), GPUREG_OK); /* between frames: destroyed now */
    }
    atomic_store(&l.stop, 1);
    assert_int_equal(pthread_join(reader, NULL), 0);
    if (atomic_load(&l.wrong))
        print_error("%u of %u label reads were wrong (first: %s)\n", atomic_load(&l.wrong), atomic_load(&l.read),
                    l.first_wrong);
    assert_int_equal(atomic_load(&l.wrong), 0);
    destroy_expecting(l.reg, 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(owner_only_calls_from_another_thread_answer_wrong_thread_and_change_nothing),
        cmocka_unit_test(any_thread_calls_work_from_another_thread),
        cmocka_unit_test(four_threads_share_objects_while_the_owner_runs_frames),
        cmocka_unit_test(query_racing_the_last_release_describes_the_released_object),
        cmocka_unit_test(label_is_read_until_its_object_is_destroyed),
    };
    return cmocka_run_group_tests_name("threads", tests, NULL, NULL);
}
