/* cgo_helpers.h — the C side of the Go package's crossings.
 *
 * Every helper takes integers, C pointers and C structs of those by value (descs, sites,
 * options), and returns its results by value, so Go never has to hand C the address of a Go
 * variable for an out-parameter: out-parameters live on the C stack here. None of them calls back into Go, which is
 * what lets the Go files mark them
 * `#cgo nocallback` (and `noescape`: they keep no pointer). Static inline: each cgo file that
 * includes this header gets its own copy, which is what cgo needs. */
#ifndef GPUREG_GO_CGO_HELPERS_H
#define GPUREG_GO_CGO_HELPERS_H

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "gpureg/gpureg.h"

typedef struct gr_u64_result {
    uint64_t value;
    int32_t result;
} gr_u64_result;

typedef struct gr_ptr_result {
    void *ptr;
    uintptr_t addr; /* a registry's ptr as an integer (Registry.addr); 0 for anything else */
    int32_t result;
} gr_ptr_result;

typedef struct gr_bytes_result {
    char *data; /* malloc'd; the Go side copies it out and frees it */
    size_t length;
    int32_t result;
} gr_bytes_result;

typedef struct gr_info_result {
    gpureg_object_info info;
    int32_t result;
} gr_info_result;

typedef struct gr_stats_result {
    gpureg_stats stats;
    uint64_t error_messages; /* gpureg_error_message_count, in the same crossing */
    int32_t result;
} gr_stats_result;

/* Report pieces collected into one growing malloc'd buffer: the writer is C, so the report call
 * never calls back into Go. */
typedef struct gr_text {
    char *data;
    size_t length, capacity;
    int failed;
} gr_text;

static inline void gr_text_write(const char *bytes, size_t length, void *user) {
    gr_text *t = user;
    if (t->failed) return;
    if (t->length + length + 1 > t->capacity) {
        size_t cap = t->capacity ? t->capacity : 4096;
        while (cap < t->length + length + 1)
            cap *= 2;
        char *grown = realloc(t->data, cap);
        if (!grown) {
            t->failed = 1;
            return;
        }
        t->data = grown;
        t->capacity = cap;
    }
    memcpy(t->data + t->length, bytes, length);
    t->length += length;
    t->data[t->length] = '\0';
}

/* ---- A registry's diagnostics: the log ring and the shutdown report ---------------------------
 *
 * The C library logs through desc.log, on whatever thread made the failing call (any thread for
 * retain/release/resolve), and writes the shutdown report through desc.report_writer during
 * gpureg_destroy. Neither may call Go, so both land in this C memory, which the Go Registry
 * allocates before the create call and frees after gpureg_destroy (or after a failed create):
 * gr_log copies each line into a bounded ring (drop-oldest, with a dropped counter), and the Go
 * side moves the lines out (gr_log_take) after a call that failed, after creates and frame calls
 * when `pending` says there is something, and at Close, then calls the app's hook in Go. */
#define GR_LOG_LINES 32u
#define GR_LOG_TEXT  512u /* gpureg formats each line into 512 bytes */

typedef struct gr_log_line {
    int32_t level;  /* gpureg_log_level */
    int32_t result; /* gpureg_result */
    char text[GR_LOG_TEXT];
} gr_log_line;

typedef struct gr_diag {
    pthread_mutex_t lock; /* guards ring, head, pending and dropped against concurrent gr_log */
    /* Lines in the ring. Stored with release order under the lock; the Go side may read it with
     * an atomic load (no crossing) to learn whether a take is worth a call. */
    uint32_t pending;
    uint32_t head;    /* index of the oldest line */
    uint64_t dropped; /* lines dropped (oldest first) since the last take */
    gr_log_line ring[GR_LOG_LINES];
    gr_log_line taken[GR_LOG_LINES]; /* gr_log_take's output; one taker at a time (Go holds a mutex) */
    gr_text report;                  /* the shutdown report, when the Go side asked for it */
} gr_diag;

static inline gr_diag *gr_diag_new(void) {
    gr_diag *d = calloc(1, sizeof *d);
    if (d && pthread_mutex_init(&d->lock, NULL) != 0) {
        free(d);
        d = NULL;
    }
    return d;
}

static inline void gr_diag_free(gr_diag *d) {
    if (!d) return;
    free(d->report.data);
    pthread_mutex_destroy(&d->lock);
    free(d);
}

/* The desc's log function: copy the line, never call Go. Any thread. */
static inline void gr_log(gpureg_log_level level, gpureg_result result, const char *message, void *user) {
    gr_diag *d = user;
    pthread_mutex_lock(&d->lock);
    uint32_t n = d->pending;
    if (n == GR_LOG_LINES) { /* full: drop the oldest */
        d->head = (d->head + 1u) % GR_LOG_LINES;
        d->dropped++;
        n--;
    }
    gr_log_line *line = &d->ring[(d->head + n) % GR_LOG_LINES];
    line->level = (int32_t)level;
    line->result = (int32_t)result;
    size_t length = message ? strlen(message) : 0;
    if (length >= GR_LOG_TEXT) length = GR_LOG_TEXT - 1u;
    if (length) memcpy(line->text, message, length);
    line->text[length] = '\0';
    __atomic_store_n(&d->pending, n + 1u, __ATOMIC_RELEASE);
    pthread_mutex_unlock(&d->lock);
}

typedef struct gr_take_result {
    uint64_t dropped;
    uint32_t count; /* lines now in d->taken, oldest first */
} gr_take_result;

/* Move every queued line into d->taken and reset the ring. */
static inline gr_take_result gr_log_take(gr_diag *d) {
    gr_take_result r;
    pthread_mutex_lock(&d->lock);
    r.count = d->pending;
    r.dropped = d->dropped;
    for (uint32_t i = 0; i < r.count; i++)
        d->taken[i] = d->ring[(d->head + i) % GR_LOG_LINES];
    d->head = 0;
    d->dropped = 0;
    __atomic_store_n(&d->pending, 0u, __ATOMIC_RELEASE);
    pthread_mutex_unlock(&d->lock);
    return r;
}

/* A line the Go package adds itself (the GL loader's reason), through the same ring. */
static inline void gr_log_add(gr_diag *d, int32_t level, int32_t result, const char *message) {
    gr_log((gpureg_log_level)level, (gpureg_result)result, message, d);
}

/* The registry options every backend's create takes, from the Go Options fields. */
typedef struct gr_options {
    uint32_t frames_in_flight;
    uint32_t message_capacity;
    uint32_t shutdown_timeout_ms;
    uint32_t report_format;
    uint32_t report_to_diag; /* 1: the shutdown report goes into diag->report, for an io.Writer */
    gr_diag *diag;
} gr_options;

/* The registry desc: log into the ring, never abort (GPUREG_LEAK_FATAL is the Go side's to read:
 * Close returns a *LeakError instead of dying inside cgo). */
static inline gpureg_registry_desc gr_registry_desc(gr_options o) {
    gpureg_registry_desc rd;
    memset(&rd, 0, sizeof rd);
    rd.frames_in_flight = o.frames_in_flight;
    rd.message_capacity = o.message_capacity;
    rd.shutdown_timeout_ms = o.shutdown_timeout_ms;
    rd.report_format = (gpureg_report_format)o.report_format;
    rd.log = gr_log;
    rd.log_user = o.diag;
    if (o.report_to_diag) {
        rd.report_writer = gr_text_write;
        rd.report_writer_user = &o.diag->report;
    }
    rd.leak_fatal = GPUREG_LEAK_FATAL_NEVER;
    return rd;
}

/* What every backend's create helper answers: the registry as a pointer and as an integer. */
static inline gr_ptr_result gr_registry_result(gpureg_result result, gpureg_registry *reg) {
    gr_ptr_result r;
    r.result = (int32_t)result;
    r.ptr = reg;
    r.addr = (uintptr_t)reg;
    return r;
}

static inline gr_ptr_result gr_null_create(gr_options o) {
    gpureg_registry_desc rd = gr_registry_desc(o);
    gpureg_registry *reg = NULL;
    gpureg_result result = gpureg_null_create(&rd, &reg);
    return gr_registry_result(result, reg);
}

/* Creates and adopts take the desc and the site by value (built in Go from integers and C
 * strings), so nothing but C memory is pointed at. */
static inline gr_u64_result gr_texture_create(gpureg_registry *reg, gpureg_texture_desc td, gpureg_site site) {
    gpureg_texture out = {0};
    gr_u64_result r;
    r.result = (int32_t)gpureg_texture_create_at(reg, &td, &site, &out);
    r.value = out.id;
    return r;
}

static inline gr_u64_result gr_buffer_create(gpureg_registry *reg, gpureg_buffer_desc bd, gpureg_site site) {
    gpureg_buffer out = {0};
    gr_u64_result r;
    r.result = (int32_t)gpureg_buffer_create_at(reg, &bd, &site, &out);
    r.value = out.id;
    return r;
}

/* Tracking-only adoption (destroy NULL: the app keeps the native object). */
static inline gr_u64_result gr_texture_adopt(gpureg_registry *reg, gpureg_texture_desc td, uint64_t native,
                                             gpureg_site site) {
    gpureg_texture out = {0};
    gr_u64_result r;
    r.result = (int32_t)gpureg_texture_adopt_at(reg, &td, native, NULL, NULL, &site, &out);
    r.value = out.id;
    return r;
}

static inline gr_u64_result gr_buffer_adopt(gpureg_registry *reg, gpureg_buffer_desc bd, uint64_t native,
                                            gpureg_site site) {
    gpureg_buffer out = {0};
    gr_u64_result r;
    r.result = (int32_t)gpureg_buffer_adopt_at(reg, &bd, native, NULL, NULL, &site, &out);
    r.value = out.id;
    return r;
}

static inline gr_bytes_result gr_report_since(gpureg_registry *reg, uint64_t since, uint32_t format) {
    gr_text t = {NULL, 0, 0, 0};
    gr_bytes_result r;
    r.result = (int32_t)gpureg_report_since(reg, since, (gpureg_report_format)format, gr_text_write, &t);
    if (r.result == GPUREG_OK && t.failed) r.result = GPUREG_ERR_OUT_OF_MEMORY;
    if (r.result != GPUREG_OK) {
        free(t.data);
        t.data = NULL;
        t.length = 0;
    }
    r.data = t.data;
    r.length = t.length;
    return r;
}

/* The per-handle calls take the registry as an integer (Registry.addr): cgo checks a pointer
 * argument on every call, an integer not at all. */
static inline gpureg_registry *gr_reg(uintptr_t reg) { return (gpureg_registry *)reg; }

static inline gr_u64_result gr_resolve(uintptr_t reg, uint64_t handle, uint32_t expected) {
    uint64_t native = 0;
    gr_u64_result r;
    r.result = (int32_t)gpureg_resolve(gr_reg(reg), handle, (gpureg_object_type)expected, &native);
    r.value = native;
    return r;
}

static inline gpureg_result gr_retain(uintptr_t reg, uint64_t handle) { return gpureg_retain(gr_reg(reg), handle); }
static inline gpureg_result gr_release(uintptr_t reg, uint64_t handle) { return gpureg_release(gr_reg(reg), handle); }

static inline size_t gr_retain_many(uintptr_t reg, const gpureg_handle *handles, size_t count, gpureg_result *results) {
    return gpureg_retain_many(gr_reg(reg), handles, count, results);
}

static inline size_t gr_release_many(uintptr_t reg, const gpureg_handle *handles, size_t count,
                                     gpureg_result *results) {
    return gpureg_release_many(gr_reg(reg), handles, count, results);
}

static inline gr_info_result gr_query(const gpureg_registry *reg, uint64_t handle) {
    gr_info_result r;
    memset(&r, 0, sizeof r);
    r.result = (int32_t)gpureg_query(reg, handle, &r.info);
    return r;
}

static inline gr_stats_result gr_stats(const gpureg_registry *reg) {
    gr_stats_result r;
    memset(&r, 0, sizeof r);
    r.result = (int32_t)gpureg_get_stats(reg, &r.stats);
    r.error_messages = gpureg_error_message_count(reg);
    return r;
}

static inline gr_u64_result gr_collect(gpureg_registry *reg) {
    uint32_t destroyed = 0;
    gr_u64_result r;
    r.result = (int32_t)gpureg_collect(reg, &destroyed);
    r.value = destroyed;
    return r;
}

/* The label in a malloc'd NUL-terminated copy (asks for the length first, then copies it whole). */
static inline gr_bytes_result gr_get_label(const gpureg_registry *reg, uint64_t handle) {
    gr_bytes_result r = {NULL, 0, 0};
    char probe[1];
    size_t length = 0;
    r.result = (int32_t)gpureg_get_label(reg, handle, probe, sizeof probe, &length);
    if (r.result != GPUREG_OK || length == 0) return r;
    r.data = malloc(length + 1);
    if (!r.data) {
        r.result = GPUREG_ERR_OUT_OF_MEMORY;
        return r;
    }
    r.result = (int32_t)gpureg_get_label(reg, handle, r.data, length + 1, &r.length);
    return r;
}

static inline gr_bytes_result gr_report(gpureg_registry *reg, uint32_t format) {
    gr_text t = {NULL, 0, 0, 0};
    gr_bytes_result r;
    r.result = (int32_t)gpureg_report(reg, (gpureg_report_format)format, gr_text_write, &t);
    if (r.result == GPUREG_OK && t.failed) r.result = GPUREG_ERR_OUT_OF_MEMORY;
    if (r.result != GPUREG_OK) {
        free(t.data);
        t.data = NULL;
        t.length = 0;
    }
    r.data = t.data;
    r.length = t.length;
    return r;
}

static inline gr_u64_result gr_poll_messages(gpureg_registry *reg, gpureg_message *out, size_t capacity) {
    size_t count = 0;
    gr_u64_result r;
    r.result = (int32_t)gpureg_poll_messages(reg, out, capacity, &count);
    r.value = count;
    return r;
}

static inline gr_ptr_result gr_staging_alloc(gpureg_registry *reg, size_t size) {
    void *p = NULL;
    gr_ptr_result r;
    r.result = (int32_t)gpureg_staging_alloc(reg, size, &p);
    r.ptr = p;
    r.addr = 0; /* staging memory is used through ptr */
    return r;
}

static inline int32_t gr_texture_write(gpureg_registry *reg, uint64_t tex, uint32_t x, uint32_t y, uint32_t width,
                                       uint32_t height, uint32_t mip_level, uint32_t array_layer, const void *data,
                                       size_t data_size, uint32_t row_bytes) {
    gpureg_texture_region region = {x, y, width, height, mip_level, array_layer};
    gpureg_texture t = {tex};
    return (int32_t)gpureg_texture_write(reg, t, &region, data, data_size, row_bytes);
}

static inline int32_t gr_texture_read(gpureg_registry *reg, uint64_t tex, uint32_t x, uint32_t y, uint32_t width,
                                      uint32_t height, uint32_t mip_level, uint32_t array_layer, void *data,
                                      size_t data_size) {
    gpureg_texture_region region = {x, y, width, height, mip_level, array_layer};
    gpureg_texture t = {tex};
    return (int32_t)gpureg_texture_read(reg, t, &region, data, data_size);
}

static inline int32_t gr_buffer_write(gpureg_registry *reg, uint64_t buf, uint64_t offset, const void *data,
                                      uint64_t size) {
    gpureg_buffer b = {buf};
    return (int32_t)gpureg_buffer_write(reg, b, offset, data, size);
}

static inline int32_t gr_buffer_read(gpureg_registry *reg, uint64_t buf, uint64_t offset, void *data, uint64_t size) {
    gpureg_buffer b = {buf};
    return (int32_t)gpureg_buffer_read(reg, b, offset, data, size);
}

#endif
