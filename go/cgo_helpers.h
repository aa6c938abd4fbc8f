/* cgo_helpers.h — the C side of the Go package's crossings.
 *
 * Every helper takes integers and C pointers only and returns its results by value, so Go never
 * has to hand C the address of a Go variable for an out-parameter: out-parameters live on the C
 * stack here. None of them calls back into Go, which is what lets the Go files mark them
 * `#cgo nocallback` (and `noescape`: they keep no pointer). Static inline: each cgo file that
 * includes this header gets its own copy, which is what cgo needs. */
#ifndef GPUREG_GO_CGO_HELPERS_H
#define GPUREG_GO_CGO_HELPERS_H

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
    int32_t result;
} gr_stats_result;

/* The registry desc every backend's create takes, from the Go Options fields. */
static inline gpureg_registry_desc gr_registry_desc(uint32_t frames_in_flight, uint32_t message_capacity,
                                                    uint32_t shutdown_timeout_ms, uint32_t report_format) {
    gpureg_registry_desc rd;
    memset(&rd, 0, sizeof rd);
    rd.frames_in_flight = frames_in_flight;
    rd.message_capacity = message_capacity;
    rd.shutdown_timeout_ms = shutdown_timeout_ms;
    rd.report_format = (gpureg_report_format)report_format;
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

static inline gr_ptr_result gr_null_create(uint32_t frames_in_flight, uint32_t message_capacity,
                                           uint32_t shutdown_timeout_ms, uint32_t report_format) {
    gpureg_registry_desc rd = gr_registry_desc(frames_in_flight, message_capacity, shutdown_timeout_ms, report_format);
    gpureg_registry *reg = NULL;
    gpureg_result result = gpureg_null_create(&rd, &reg);
    return gr_registry_result(result, reg);
}

static inline gr_u64_result gr_texture_create(gpureg_registry *reg, uint32_t width, uint32_t height,
                                              uint32_t mip_levels, uint32_t array_layers, uint32_t format,
                                              uint32_t usage, const char *label, const char *file, uint32_t line,
                                              const char *function) {
    gpureg_texture_desc td;
    memset(&td, 0, sizeof td);
    td.width = width;
    td.height = height;
    td.mip_levels = mip_levels;
    td.array_layers = array_layers;
    td.format = (gpureg_format)format;
    td.usage = usage;
    td.label = label;
    gpureg_site site = {file, line, function, 0u};
    gpureg_texture out = {0};
    gr_u64_result r;
    r.result = (int32_t)gpureg_texture_create_at(reg, &td, &site, &out);
    r.value = out.id;
    return r;
}

static inline gr_u64_result gr_buffer_create(gpureg_registry *reg, uint64_t size, uint32_t usage, const char *label,
                                             const char *file, uint32_t line, const char *function) {
    gpureg_buffer_desc bd;
    memset(&bd, 0, sizeof bd);
    bd.size = size;
    bd.usage = usage;
    bd.label = label;
    gpureg_site site = {file, line, function, 0u};
    gpureg_buffer out = {0};
    gr_u64_result r;
    r.result = (int32_t)gpureg_buffer_create_at(reg, &bd, &site, &out);
    r.value = out.id;
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
