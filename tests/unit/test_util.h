/* test_util.h — shared fixtures of the unit suites: a counting (and failing) allocator, a log
 * sink that records every line, a report writer that collects text, adopt-destroy counters,
 * a stats comparison, and a "run this on another thread" helper. */
#ifndef GPUREG_TEST_UTIL_H
#define GPUREG_TEST_UTIL_H

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "gpureg/gpureg.h"

/* ---- counting allocator ------------------------------------------------------------------- */
/* Counts allocations and outstanding bytes; fails the allocation whose 1-based number equals
 * fail_at (0: never fail). Thread-safe. */
typedef struct counting_allocator {
    _Atomic uint64_t allocations; /* successful + failed calls to alloc */
    _Atomic uint64_t frees;
    _Atomic int64_t outstanding; /* bytes allocated and not freed */
    _Atomic int64_t blocks;      /* blocks allocated and not freed */
    _Atomic uint64_t fail_at;    /* allocation number to fail, 0 = none */
    _Atomic uint64_t failures;   /* allocations refused so far */
} counting_allocator;

void counting_allocator_init(counting_allocator *ca);
gpureg_allocator counting_allocator_hooks(counting_allocator *ca);
/* Fail the k-th allocation from now (k >= 1); 0 disarms. */
void counting_allocator_fail_in(counting_allocator *ca, uint64_t k);
/* A null registry whose host memory goes through `ca` (initialised here), with no shutdown report. */
gpureg_registry *counted_null_registry(counting_allocator *ca);

/* ---- log capture --------------------------------------------------------------------------- */
#define LOG_CAPTURE_LINES     64
#define LOG_CAPTURE_LINE_SIZE 512
typedef struct log_capture {
    pthread_mutex_t lock;
    unsigned count; /* lines received (may exceed LOG_CAPTURE_LINES; only the first are kept) */
    gpureg_result results[LOG_CAPTURE_LINES];
    gpureg_log_level levels[LOG_CAPTURE_LINES];
    char lines[LOG_CAPTURE_LINES][LOG_CAPTURE_LINE_SIZE];
} log_capture;

void log_capture_init(log_capture *lc);
void log_capture_reset(log_capture *lc);
void log_capture_fn(gpureg_log_level level, gpureg_result result, const char *message, void *user);
unsigned log_capture_count(log_capture *lc);
/* Assert exactly one ERROR line was logged since the last reset, with `result`, naming `function`. */
#define assert_logged_once(lc, result, function) assert_logged_once_at((lc), (result), (function), __FILE__, __LINE__)
void assert_logged_once_at(log_capture *lc, gpureg_result result, const char *function, const char *file, int line);

/* ---- report writer -------------------------------------------------------------------------- */
typedef struct text_sink {
    char *data;
    size_t length, capacity;
    unsigned pieces;
} text_sink;

void text_sink_write(const char *bytes, size_t length, void *user);
void text_sink_clear(text_sink *ts);
void text_sink_free(text_sink *ts);

/* ---- adopt destroy counter ------------------------------------------------------------------ */
#define ADOPT_RECORD_MAX 64
typedef struct adopt_counter {
    _Atomic unsigned calls;
    _Atomic unsigned off_owner_calls; /* calls made on a thread other than `owner` */
    pthread_t owner;
    unsigned recorded;
    uint64_t natives[ADOPT_RECORD_MAX];
} adopt_counter;

void adopt_counter_init(adopt_counter *ac);
void adopt_counter_destroy_fn(uint64_t native, void *user);
/* Calls recorded for `native`. */
unsigned adopt_counter_calls_for(const adopt_counter *ac, uint64_t native);

/* ---- registries and descs ------------------------------------------------------------------- */
/* A null registry whose log goes to lc (may be NULL) and whose report is switched off. */
gpureg_registry *make_registry(log_capture *lc);
/* Destroy a registry whose report is off and expect `leaks` leaks. */
void destroy_expecting(gpureg_registry *reg, int leaks);

gpureg_texture_desc small_texture_desc(void);
gpureg_buffer_desc small_buffer_desc(void);
gpureg_texture make_texture(gpureg_registry *reg);
gpureg_buffer make_buffer(gpureg_registry *reg);

gpureg_stats get_stats(const gpureg_registry *reg);
/* Every stats member that does not depend on the clock or on other registries is equal. */
#define assert_stats_equal(a, b) assert_stats_equal_at(&(a), &(b), __FILE__, __LINE__)
void assert_stats_equal_at(const gpureg_stats *a, const gpureg_stats *b, const char *file, int line);

/* Handle layout helpers (documented in gpureg.h). */
static inline uint32_t handle_index_of(gpureg_handle h) { return (uint32_t)h; }
static inline uint32_t handle_generation_of(gpureg_handle h) { return (uint32_t)((h >> 32) & 0xFFFFFu); }
static inline uint32_t handle_type_of(gpureg_handle h) { return (uint32_t)((h >> 52) & 3u); }
static inline uint32_t handle_tag_of(gpureg_handle h) { return (uint32_t)(h >> 54); }
static inline gpureg_handle handle_compose(uint32_t index, uint32_t generation, uint32_t type, uint32_t tag) {
    return (uint64_t)index | ((uint64_t)(generation & 0xFFFFFu) << 32) | ((uint64_t)(type & 3u) << 52) |
           ((uint64_t)(tag & 1023u) << 54);
}

/* ---- threads -------------------------------------------------------------------------------- */
/* Run fn(arg) on a new thread and wait for it. */
void run_on_other_thread(void (*fn)(void *arg), void *arg);

/* ---- processes ------------------------------------------------------------------------------ */
/* Run fn(arg) in a forked child; returns the raw waitpid status. The child _exits with fn's value. */
int run_in_child(int (*fn)(void *arg), void *arg);

#endif /* GPUREG_TEST_UTIL_H */
