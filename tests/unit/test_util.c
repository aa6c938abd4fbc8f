/* test_util.c — shared fixtures of the unit suites (see test_util.h). */
#include "test_util.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- counting allocator ------------------------------------------------------------------- */
#define HEADER 16u /* keeps the caller's block 16-byte aligned, like malloc */

static void *counting_alloc(size_t size, void *user) {
    counting_allocator *ca = user;
    uint64_t n = atomic_fetch_add(&ca->allocations, 1) + 1;
    uint64_t fail_at = atomic_load(&ca->fail_at);
    if (fail_at && n == fail_at) {
        atomic_fetch_add(&ca->failures, 1);
        return NULL;
    }
    unsigned char *p = malloc(size + HEADER);
    if (!p) return NULL;
    memcpy(p, &size, sizeof size);
    atomic_fetch_add(&ca->outstanding, (int64_t)size);
    atomic_fetch_add(&ca->blocks, 1);
    return p + HEADER;
}

static void counting_free(void *ptr, void *user) {
    counting_allocator *ca = user;
    if (!ptr) abort(); /* the header promises never NULL (and this may run off the test thread) */
    unsigned char *p = (unsigned char *)ptr - HEADER;
    size_t size;
    memcpy(&size, p, sizeof size);
    atomic_fetch_add(&ca->frees, 1);
    atomic_fetch_sub(&ca->outstanding, (int64_t)size);
    atomic_fetch_sub(&ca->blocks, 1);
    free(p);
}

void counting_allocator_init(counting_allocator *ca) {
    atomic_init(&ca->allocations, 0);
    atomic_init(&ca->frees, 0);
    atomic_init(&ca->outstanding, 0);
    atomic_init(&ca->blocks, 0);
    atomic_init(&ca->fail_at, 0);
    atomic_init(&ca->failures, 0);
}

gpureg_allocator counting_allocator_hooks(counting_allocator *ca) {
    return (gpureg_allocator){.alloc = counting_alloc, .free = counting_free, .user = ca};
}

void counting_allocator_fail_in(counting_allocator *ca, uint64_t k) {
    atomic_store(&ca->fail_at, k ? atomic_load(&ca->allocations) + k : 0);
}

gpureg_registry *counted_null_registry(counting_allocator *ca) {
    counting_allocator_init(ca);
    gpureg_registry_desc rd = {.report_format = GPUREG_REPORT_OFF, .allocator = counting_allocator_hooks(ca)};
    gpureg_registry *reg = NULL;
    assert_int_equal(gpureg_null_create(&rd, &reg), GPUREG_OK);
    return reg;
}

/* ---- log capture --------------------------------------------------------------------------- */
void log_capture_init(log_capture *lc) {
    memset(lc, 0, sizeof *lc);
    pthread_mutex_init(&lc->lock, NULL);
}

void log_capture_reset(log_capture *lc) {
    pthread_mutex_lock(&lc->lock);
    lc->count = 0;
    pthread_mutex_unlock(&lc->lock);
}

void log_capture_fn(gpureg_log_level level, gpureg_result result, const char *message, void *user) {
    log_capture *lc = user;
    pthread_mutex_lock(&lc->lock);
    if (lc->count < LOG_CAPTURE_LINES) {
        lc->levels[lc->count] = level;
        lc->results[lc->count] = result;
        snprintf(lc->lines[lc->count], LOG_CAPTURE_LINE_SIZE, "%s", message ? message : "(null)");
    }
    lc->count++;
    pthread_mutex_unlock(&lc->lock);
}

unsigned log_capture_count(log_capture *lc) {
    pthread_mutex_lock(&lc->lock);
    unsigned n = lc->count;
    pthread_mutex_unlock(&lc->lock);
    return n;
}

void assert_logged_once_at(log_capture *lc, gpureg_result result, const char *function, const char *file, int line) {
    pthread_mutex_lock(&lc->lock);
    unsigned n = lc->count;
    char text[LOG_CAPTURE_LINE_SIZE] = "";
    gpureg_result got = GPUREG_OK;
    gpureg_log_level level = GPUREG_LOG_INFO;
    if (n) {
        snprintf(text, sizeof text, "%s", lc->lines[0]);
        got = lc->results[0];
        level = lc->levels[0];
    }
    pthread_mutex_unlock(&lc->lock);
    if (n != 1) {
        print_error("%s:%d: expected one log line naming %s, got %u (first: \"%s\")\n", file, line, function, n, text);
        fail();
    }
    if (got != result || level != GPUREG_LOG_ERROR || !strstr(text, function)) {
        print_error("%s:%d: log line \"%s\" (result %d, level %d) should be an error %d naming %s\n", file, line, text,
                    (int)got, (int)level, (int)result, function);
        fail();
    }
}

/* ---- report writer -------------------------------------------------------------------------- */
void text_sink_write(const char *bytes, size_t length, void *user) {
    text_sink *ts = user;
    if (ts->length + length + 1 > ts->capacity) {
        size_t cap = ts->capacity ? ts->capacity : 256;
        while (cap < ts->length + length + 1)
            cap *= 2;
        char *p = realloc(ts->data, cap);
        assert_non_null(p);
        ts->data = p;
        ts->capacity = cap;
    }
    memcpy(ts->data + ts->length, bytes, length);
    ts->length += length;
    ts->data[ts->length] = '\0';
    ts->pieces++;
}

void text_sink_clear(text_sink *ts) {
    ts->length = 0;
    ts->pieces = 0;
    if (ts->data) ts->data[0] = '\0';
}

void text_sink_free(text_sink *ts) {
    free(ts->data);
    memset(ts, 0, sizeof *ts);
}

/* ---- adopt destroy counter ------------------------------------------------------------------ */
void adopt_counter_init(adopt_counter *ac) {
    memset(ac, 0, sizeof *ac);
    atomic_init(&ac->calls, 0);
    atomic_init(&ac->off_owner_calls, 0);
    ac->owner = pthread_self();
}

/* Runs on the owner thread (that is one of the things tests check), so `recorded` needs no lock. */
void adopt_counter_destroy_fn(uint64_t native, void *user) {
    adopt_counter *ac = user;
    atomic_fetch_add(&ac->calls, 1);
    if (!pthread_equal(ac->owner, pthread_self())) {
        atomic_fetch_add(&ac->off_owner_calls, 1);
        return;
    }
    if (ac->recorded < ADOPT_RECORD_MAX) ac->natives[ac->recorded++] = native;
}

unsigned adopt_counter_calls_for(const adopt_counter *ac, uint64_t native) {
    unsigned n = 0;
    for (unsigned i = 0; i < ac->recorded; i++)
        n += ac->natives[i] == native;
    return n;
}

/* ---- registries and descs ------------------------------------------------------------------- */
gpureg_registry *make_registry(log_capture *lc) {
    gpureg_registry_desc rd = {0};
    rd.report_format = GPUREG_REPORT_OFF;
    if (lc) {
        rd.log = log_capture_fn;
        rd.log_user = lc;
    }
    gpureg_registry *reg = NULL;
    assert_int_equal(gpureg_null_create(&rd, &reg), GPUREG_OK);
    assert_non_null(reg);
    return reg;
}

void destroy_expecting(gpureg_registry *reg, int leaks) { assert_int_equal(gpureg_destroy(reg), leaks); }

gpureg_texture_desc small_texture_desc(void) {
    return (gpureg_texture_desc){.width = 4, .height = 4, .format = GPUREG_FORMAT_RGBA8_UNORM};
}

gpureg_buffer_desc small_buffer_desc(void) { return (gpureg_buffer_desc){.size = 64}; }

gpureg_texture make_texture(gpureg_registry *reg) {
    gpureg_texture_desc td = small_texture_desc();
    gpureg_texture t = {0};
    assert_int_equal(gpureg_texture_create(reg, &td, &t), GPUREG_OK);
    assert_true(t.id != 0);
    return t;
}

gpureg_buffer make_buffer(gpureg_registry *reg) {
    gpureg_buffer_desc bd = small_buffer_desc();
    gpureg_buffer b = {0};
    assert_int_equal(gpureg_buffer_create(reg, &bd, &b), GPUREG_OK);
    assert_true(b.id != 0);
    return b;
}

gpureg_stats get_stats(const gpureg_registry *reg) {
    gpureg_stats s;
    assert_int_equal(gpureg_get_stats(reg, &s), GPUREG_OK);
    return s;
}

static void check_field(const char *name, uint64_t a, uint64_t b, const char *file, int line) {
    if (a != b) {
        print_error("%s:%d: stats.%s changed: %llu -> %llu\n", file, line, name, (unsigned long long)a,
                    (unsigned long long)b);
        fail();
    }
}

static void check_type(const char *type, const gpureg_type_stats *a, const gpureg_type_stats *b, const char *file,
                       int line) {
    char name[64];
#define CHECK_TYPE_FIELD(f)                                                                                            \
    snprintf(name, sizeof name, "%s.%s", type, #f);                                                                    \
    check_field(name, a->f, b->f, file, line);
    CHECK_TYPE_FIELD(live_count)
    CHECK_TYPE_FIELD(live_bytes)
    CHECK_TYPE_FIELD(pending_count)
    CHECK_TYPE_FIELD(pending_bytes)
    CHECK_TYPE_FIELD(created_total)
    CHECK_TYPE_FIELD(destroyed_total)
    CHECK_TYPE_FIELD(live_count_high_water)
    CHECK_TYPE_FIELD(live_bytes_high_water)
#undef CHECK_TYPE_FIELD
}

void assert_stats_equal_at(const gpureg_stats *a, const gpureg_stats *b, const char *file, int line) {
    check_type("texture", &a->texture, &b->texture, file, line);
    check_type("buffer", &a->buffer, &b->buffer, file, line);
    check_field("pending_oldest_frames", a->pending_oldest_frames, b->pending_oldest_frames, file, line);
    check_field("frame_serial", a->frame_serial, b->frame_serial, file, line);
    check_field("completed_serial", a->completed_serial, b->completed_serial, file, line);
    check_field("slot_capacity", a->slot_capacity, b->slot_capacity, file, line);
    check_field("slots_retired", a->slots_retired, b->slots_retired, file, line);
    check_field("host_bytes", a->host_bytes, b->host_bytes, file, line);
    check_field("host_bytes_os", a->host_bytes_os, b->host_bytes_os, file, line);
    check_field("messages_queued", a->messages_queued, b->messages_queued, file, line);
    check_field("messages_dropped", a->messages_dropped, b->messages_dropped, file, line);
    check_field("device_allocations", a->device_allocations, b->device_allocations, file, line);
    check_field("device_bytes", a->device_bytes, b->device_bytes, file, line);
}

/* ---- threads -------------------------------------------------------------------------------- */
typedef struct thread_call {
    void (*fn)(void *);
    void *arg;
} thread_call;

static void *thread_main(void *p) {
    thread_call *c = p;
    c->fn(c->arg);
    return NULL;
}

void run_on_other_thread(void (*fn)(void *arg), void *arg) {
    thread_call c = {fn, arg};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, thread_main, &c), 0);
    assert_int_equal(pthread_join(t, NULL), 0);
}

/* ---- processes ------------------------------------------------------------------------------ */
int run_in_child(int (*fn)(void *arg), void *arg) {
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        /* cmocka turns crashes into test failures and carries on with the next test: in the
         * child a crash must end the child, so the parent sees it. */
        const int crashes[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGSYS, SIGABRT};
        for (size_t i = 0; i < sizeof crashes / sizeof crashes[0]; i++)
            signal(crashes[i], SIG_DFL);
        _exit(fn(arg));
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return status;
}
