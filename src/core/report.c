/* report.c — the live/leak report, text for people and JSON for tools (owner thread). */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "object_desc.h"
#include "pool.h"
#include "report.h"
#include "sites.h"
#include "stats.h"

/* Buffered output through the caller's writer. */
typedef struct sink {
    gpureg_write_fn write;
    void *user;
    size_t len;
    char buf[4096];
} sink;

static void flush(sink *s) {
    if (s->len) s->write(s->buf, s->len, s->user);
    s->len = 0;
}

static void put(sink *s, const char *text, size_t n) {
    while (n) {
        size_t room = sizeof s->buf - s->len, k = n < room ? n : room;
        memcpy(s->buf + s->len, text, k);
        s->len += k;
        text += k;
        n -= k;
        if (s->len == sizeof s->buf) flush(s);
    }
}

/* put() for a string literal: its length is counted by the compiler, not by hand. */
#define PUT_LITERAL(s, literal) put((s), (literal), sizeof(literal) - 1u)

#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 2, 3)))
#endif
static void
putf(sink *s, const char *fmt, ...) {
    char line[1024];
    va_list args;
    va_start(args, fmt);
    int n = vsnprintf(line, sizeof line, fmt, args);
    va_end(args);
    if (n > 0) put(s, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}

/* Bytes of the well-formed UTF-8 character at p (RFC 3629: no overlong forms, no surrogates,
 * nothing above U+10FFFF), or 0 when p does not start one. */
static size_t utf8_char_length(const unsigned char *p) {
    if (p[0] < 0x80) return 1;
    if (p[0] >= 0xC2 && p[0] <= 0xDF) return (p[1] & 0xC0) == 0x80 ? 2 : 0;
    unsigned char lo = 0x80, hi = 0xBF; /* the second byte's range, narrowed for E0 ED F0 F4 */
    size_t n;
    if (p[0] >= 0xE0 && p[0] <= 0xEF) {
        n = 3;
        if (p[0] == 0xE0) lo = 0xA0;
        if (p[0] == 0xED) hi = 0x9F;
    } else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
        n = 4;
        if (p[0] == 0xF0) lo = 0x90;
        if (p[0] == 0xF4) hi = 0x8F;
    } else {
        return 0;
    }
    if (p[1] < lo || p[1] > hi) return 0;
    for (size_t i = 2; i < n; i++) /* a NUL ends the string here and fails this test */
        if ((p[i] & 0xC0) != 0x80) return 0;
    return n;
}

/* Text as it may go out, text or JSON: a byte that does not start a well-formed UTF-8 character
 * becomes U+FFFD, so the report is valid UTF-8 whatever bytes a label or site holds. */
static void put_utf8(sink *s, const char *text, int json) {
    for (const unsigned char *p = (const unsigned char *)text; *p;) {
        size_t n = utf8_char_length(p);
        if (json && (*p == '"' || *p == '\\')) {
            char e[2] = {'\\', (char)*p};
            put(s, e, 2);
        } else if (json && *p < 0x20) {
            putf(s, "\\u%04x", *p);
        } else if (n) {
            put(s, (const char *)p, n);
        } else {
            PUT_LITERAL(s, "\xEF\xBF\xBD"); /* U+FFFD REPLACEMENT CHARACTER */
            n = 1;
        }
        p += n ? n : 1;
    }
}

static void put_json_string(sink *s, const char *text) {
    PUT_LITERAL(s, "\"");
    put_utf8(s, text, 1);
    PUT_LITERAL(s, "\"");
}

/* One object as the report sees it. */
typedef struct row {
    gpureg_handle handle;
    uint64_t word, native, bytes, frame;
    uint32_t site;
    gpureg_texture_desc tex;
    gpureg_buffer_desc buf;
    char label[GPUREG_MAX_LABEL_LENGTH + 1];
    int has_label;
} row;

static int read_row(gpureg_registry *reg, uint32_t index, row *out) {
    gpureg__slot *slot = pool_slot(&reg->pool, index);
    uint64_t w = atomic_load_explicit(&slot->word, memory_order_acquire);
    uint32_t state = word_state(w);
    if (state != SLOT_ALIVE && state != SLOT_RELEASED) return 0;
    uint64_t desc = atomic_load_explicit(&slot_info(slot)->desc, memory_order_relaxed);
    uint64_t meta = atomic_load_explicit(&slot_info(slot)->meta, memory_order_relaxed);
    *out = (row){.handle = handle_make(index, word_gen(w), word_type(w), reg->tag),
                 .word = w,
                 .native = atomic_load_explicit(&slot->native, memory_order_relaxed),
                 .bytes = object_bytes(word_type(w), desc),
                 .frame = meta >> 32,
                 .site = (uint32_t)meta};
    object_unpack(word_type(w), desc, &out->tex, &out->buf);
    const gpureg__cold *cold = pool_cold(&reg->pool, index);
    pthread_mutex_lock(&reg->label_lock);
    if (cold && cold->label) {
        snprintf(out->label, sizeof out->label, "%s", cold->label);
        out->has_label = 1;
    }
    pthread_mutex_unlock(&reg->label_lock);
    return 1;
}

typedef struct site_total {
    uint32_t site;
    uint64_t count, bytes;
} site_total;

static int by_bytes_desc(const void *a, const void *b) {
    const site_total *x = a, *y = b;
    if (x->bytes != y->bytes) return x->bytes < y->bytes ? 1 : -1;
    if (x->count != y->count) return x->count < y->count ? 1 : -1;
    return x->site < y->site ? -1 : x->site > y->site;
}

static const char *type_name(uint32_t t) { return t == GPUREG_TYPE_TEXTURE ? "texture" : "buffer"; }
static const char *state_name(uint64_t w) { return word_state(w) == SLOT_ALIVE ? "alive" : "released"; }

static void text_row(gpureg_registry *reg, sink *s, const row *r) {
    char where[512];
    sites_format(reg, r->site, where, sizeof where);
    putf(s, "  0x%016" PRIx64 "  %-7s  %-8s  refs %-3" PRIu64 " %10" PRIu64 " B  frame %-6" PRIu64 " ", r->handle,
         type_name(word_type(r->word)), state_name(r->word), word_rc(r->word), r->bytes, r->frame);
    if (r->has_label)
        put_json_string(s, r->label);
    else
        PUT_LITERAL(s, "(no label)");
    if (word_type(r->word) == GPUREG_TYPE_TEXTURE)
        putf(s, "  %ux%u %s mips %u layers %u", r->tex.width, r->tex.height, gpureg_format_name(r->tex.format),
             r->tex.mip_levels, r->tex.array_layers);
    else
        putf(s, "  %" PRIu64 " bytes usage 0x%x", r->buf.size, r->buf.usage);
    if (r->word & WORD_GC_BIT) PUT_LITERAL(s, "  [released by GC]");
    if (r->word & WORD_ADOPTED_BIT) PUT_LITERAL(s, "  [adopted]");
    PUT_LITERAL(s, "\n      created at ");
    put_utf8(s, where, 0);
    PUT_LITERAL(s, "\n");
}

static void json_row(gpureg_registry *reg, sink *s, const row *r, int first) {
    char where[512];
    sites_format(reg, r->site, where, sizeof where);
    putf(s, "%s\n    {\"handle\": \"0x%016" PRIx64 "\", \"type\": \"%s\", \"label\": ", first ? "" : ",", r->handle,
         type_name(word_type(r->word)));
    if (r->has_label)
        put_json_string(s, r->label);
    else
        PUT_LITERAL(s, "null");
    PUT_LITERAL(s, ", \"site\": ");
    put_json_string(s, where);
    putf(s,
         ", \"bytes\": %" PRIu64 ", \"refcount\": %" PRIu64 ", \"state\": \"%s\", \"frame_created\": %" PRIu64
         ", \"released_by_gc\": %s, \"adopted\": %s, \"native\": %" PRIu64,
         r->bytes, word_rc(r->word), state_name(r->word), r->frame, (r->word & WORD_GC_BIT) ? "true" : "false",
         (r->word & WORD_ADOPTED_BIT) ? "true" : "false", r->native);
    if (word_type(r->word) == GPUREG_TYPE_TEXTURE)
        putf(s,
             ", \"width\": %u, \"height\": %u, \"mip_levels\": %u, \"array_layers\": %u, \"format\": \"%s\", "
             "\"usage\": %u}",
             r->tex.width, r->tex.height, r->tex.mip_levels, r->tex.array_layers, gpureg_format_name(r->tex.format),
             r->tex.usage);
    else
        putf(s, ", \"size\": %" PRIu64 ", \"usage\": %u}", r->buf.size, r->buf.usage);
}

gpureg_result gpureg_report(gpureg_registry *reg, gpureg_report_format format, gpureg_write_fn write, void *user) {
    static const char fn[] = "gpureg_report";
    if (!reg) return GPUREG_ERR_NULL_POINTER;
    if (!write) return gpureg__fail(reg, GPUREG_ERR_NULL_POINTER, "%s: write is NULL", fn);
    if (format != GPUREG_REPORT_TEXT && format != GPUREG_REPORT_JSON)
        return gpureg__fail(reg, GPUREG_ERR_INVALID_ARGUMENT, "%s: format must be TEXT or JSON", fn);
    gpureg_result r = gpureg__check_owner(reg, fn);
    if (r != GPUREG_OK) return r;
    size_t totals_size = ((size_t)reg->sites.count + 1u) * sizeof(site_total);
    site_total *totals = gpureg__alloc(reg, totals_size);
    sink *s = gpureg__alloc(reg, sizeof *s);
    if (!totals || !s) {
        gpureg__free(reg, totals, totals_size);
        gpureg__free(reg, s, sizeof *s);
        return gpureg__fail(reg, GPUREG_ERR_OUT_OF_MEMORY, "%s: out of host memory", fn);
    }
    memset(totals, 0, totals_size);
    for (uint32_t i = 0; i <= reg->sites.count; i++)
        totals[i].site = i;
    s->write = write;
    s->user = user;
    s->len = 0;

    uint64_t live = 0, pending = 0, type_count[3] = {0}, type_bytes[3] = {0};
    uint32_t count = atomic_load_explicit(&reg->pool.count, memory_order_acquire);
    row rw;
    for (uint32_t i = 0; i < count; i++) {
        if (!read_row(reg, i, &rw)) continue;
        word_state(rw.word) == SLOT_ALIVE ? live++ : pending++;
        type_count[word_type(rw.word)]++;
        type_bytes[word_type(rw.word)] += rw.bytes;
        site_total *t = &totals[rw.site <= reg->sites.count ? rw.site : 0];
        t->count++;
        t->bytes += rw.bytes;
    }
    if (format == GPUREG_REPORT_JSON) {
        putf(s, "{\"live\": %" PRIu64 ", \"pending\": %" PRIu64 ", \"objects\": [", live, pending);
    } else {
        putf(s,
             "gpureg report (%s backend): %" PRIu64 " alive, %" PRIu64 " released awaiting their fence, %" PRIu64
             " bytes\n",
             reg->ops ? reg->ops->name : "none", live, pending, type_bytes[1] + type_bytes[2]);
    }
    int first = 1;
    for (uint32_t i = 0; i < count; i++) {
        if (!read_row(reg, i, &rw)) continue;
        if (format == GPUREG_REPORT_JSON)
            json_row(reg, s, &rw, first);
        else
            text_row(reg, s, &rw);
        first = 0;
    }
    qsort(totals, (size_t)reg->sites.count + 1u, sizeof *totals, by_bytes_desc);
    const char *by_site = format == GPUREG_REPORT_JSON ? "], \"by_site\": [" : (first ? "" : "by creation site:\n");
    put(s, by_site, strlen(by_site));
    int first_site = 1;
    for (uint32_t i = 0; i <= reg->sites.count; i++) {
        if (!totals[i].count) continue;
        char where[512];
        sites_format(reg, totals[i].site, where, sizeof where);
        if (format == GPUREG_REPORT_JSON) {
            const char *open = first_site ? "\n    {\"site\": " : ",\n    {\"site\": ";
            put(s, open, strlen(open));
            put_json_string(s, where);
            putf(s, ", \"count\": %" PRIu64 ", \"bytes\": %" PRIu64 "}", totals[i].count, totals[i].bytes);
        } else {
            putf(s, "  %6" PRIu64 " object%s %12" PRIu64 " B  ", totals[i].count, totals[i].count == 1 ? " " : "s",
                 totals[i].bytes);
            put_utf8(s, where, 0);
            PUT_LITERAL(s, "\n");
        }
        first_site = 0;
    }
    if (format == GPUREG_REPORT_JSON) {
        PUT_LITERAL(s, "], \"by_type\": [");
        for (uint32_t t = 1; t <= 2; t++)
            putf(s, "%s{\"type\": \"%s\", \"count\": %" PRIu64 ", \"bytes\": %" PRIu64 "}", t == 1 ? "" : ", ",
                 type_name(t), type_count[t], type_bytes[t]);
        PUT_LITERAL(s, "]}\n");
    } else if (!first) {
        PUT_LITERAL(s, "by type:\n");
        for (uint32_t t = 1; t <= 2; t++)
            putf(s, "  %-7s %6" PRIu64 " objects %12" PRIu64 " B\n", type_name(t), type_count[t], type_bytes[t]);
    }
    flush(s);
    gpureg__free(reg, s, sizeof *s);
    gpureg__free(reg, totals, totals_size);
    return GPUREG_OK;
}

static void write_stderr(const char *bytes, size_t length, void *user) { fwrite(bytes, 1, length, stderr); }

int report_at_destroy(gpureg_registry *reg) {
    uint64_t leaks = stats_live_count(reg);
    gpureg_report_format format = reg->desc.report_format ? reg->desc.report_format : GPUREG_REPORT_TEXT;
    const char *env = getenv("GPUREG_LEAK_REPORT");
    if (env && !strcmp(env, "text")) format = GPUREG_REPORT_TEXT;
    if (env && !strcmp(env, "json")) format = GPUREG_REPORT_JSON;
    if (env && !strcmp(env, "off")) format = GPUREG_REPORT_OFF;
    if (format != GPUREG_REPORT_OFF) {
        gpureg_write_fn write = reg->desc.report_writer ? reg->desc.report_writer : write_stderr;
        void *user = reg->desc.report_writer ? reg->desc.report_writer_user : NULL;
        if (format == GPUREG_REPORT_TEXT) {
            char line[128];
            int n = snprintf(line, sizeof line, "gpureg: %llu leaked object%s at shutdown\n", (unsigned long long)leaks,
                             leaks == 1 ? "" : "s");
            write(line, (size_t)n, user);
        }
        if (format == GPUREG_REPORT_JSON || leaks) gpureg_report(reg, format, write, user);
    }
    return leaks > INT32_MAX ? INT32_MAX : (int)leaks;
}
