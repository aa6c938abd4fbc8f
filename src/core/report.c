/* report.c — the live/leak report, text for people and JSON for tools (owner thread). */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "depend.h"
#include "object_desc.h"
#include "pool.h"
#include "report.h"
#include "report_sink.h"
#include "sites.h"

/* One object as the report sees it. */
typedef struct row {
    gpureg_handle handle;
    uint64_t word, native, bytes, frame;
    uint64_t order; /* creation number | ORDER_EXPECTED */
    uint32_t site, kind;
    gpureg_handle parent; /* the object it waits for (gpureg_object_depend), 0 if none */
    gpureg_texture_desc tex;
    gpureg_buffer_desc buf;
    gpureg_object_desc obj;
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
                 .order = atomic_load_explicit(pool_order(&reg->pool, index), memory_order_relaxed),
                 .site = (uint32_t)meta,
                 .kind = object_kind(word_type(w), desc),
                 .parent = depend_parent(reg, index)};
    object_unpack(word_type(w), desc, &out->tex, &out->buf, &out->obj);
    const gpureg__cold *cold = pool_cold(&reg->pool, index);
    spin_lock(&reg->label_lock);
    /* Only the object read above has its label read: one made in the slot since then may be
     * storing its own (without the lock: objects.c). */
    if (cold && !((atomic_load_explicit(&slot->word, memory_order_acquire) ^ w) >> WORD_GEN_SHIFT) && cold->label) {
        snprintf(out->label, sizeof out->label, "%s", cold->label);
        out->has_label = 1;
    }
    spin_unlock(&reg->label_lock);
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

static const char *kind_name(uint32_t k) { return gpureg_kind_name((gpureg_object_kind)k); }
static const char *stage_names[] = {"unknown", "vertex", "fragment", "compute"};
static const char *state_name(uint64_t w) { return word_state(w) == SLOT_ALIVE ? "alive" : "released"; }

static void text_row(gpureg_registry *reg, sink *s, const row *r) {
    char where[512];
    sites_format(reg, r->site, where, sizeof where);
    putf(s, "  0x%016" PRIx64 "  %-7s  %-8s  refs %-3" PRIu64 " %10" PRIu64 " B  frame %-6" PRIu64 " ", r->handle,
         kind_name(r->kind), state_name(r->word), word_rc(r->word), r->bytes, r->frame);
    if (r->has_label)
        put_json_string(s, r->label);
    else
        PUT_LITERAL(s, "(no label)");
    if (r->kind == GPUREG_KIND_TEXTURE)
        putf(s, "  %ux%u %s mips %u layers %u", r->tex.width, r->tex.height, gpureg_format_name(r->tex.format),
             r->tex.mip_levels, r->tex.array_layers);
    else if (r->kind == GPUREG_KIND_BUFFER)
        putf(s, "  %" PRIu64 " bytes usage 0x%x", r->buf.size, r->buf.usage);
    else if (r->kind == GPUREG_KIND_RENDERBUFFER && r->obj.width)
        putf(s, "  %ux%u %s samples %u", r->obj.width, r->obj.height, gpureg_format_name(r->obj.format),
             r->obj.samples);
    else if (r->kind == GPUREG_KIND_SHADER)
        putf(s, "  stage %s", stage_names[r->obj.stage & 3]);
    if (r->parent) putf(s, "  [depends on 0x%016" PRIx64 "]", r->parent);
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
         kind_name(r->kind));
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
    if (r->parent) putf(s, ", \"parent\": \"0x%016" PRIx64 "\"", r->parent);
    if (r->kind == GPUREG_KIND_TEXTURE)
        putf(s,
             ", \"width\": %u, \"height\": %u, \"mip_levels\": %u, \"array_layers\": %u, \"format\": \"%s\", "
             "\"usage\": %u",
             r->tex.width, r->tex.height, r->tex.mip_levels, r->tex.array_layers, gpureg_format_name(r->tex.format),
             r->tex.usage);
    else if (r->kind == GPUREG_KIND_BUFFER)
        putf(s, ", \"size\": %" PRIu64 ", \"usage\": %u", r->buf.size, r->buf.usage);
    else if (r->kind == GPUREG_KIND_RENDERBUFFER)
        putf(s, ", \"width\": %u, \"height\": %u, \"format\": \"%s\", \"samples\": %u", r->obj.width, r->obj.height,
             gpureg_format_name(r->obj.format), r->obj.samples);
    else if (r->kind == GPUREG_KIND_SHADER)
        putf(s, ", \"stage\": \"%s\"", stage_names[r->obj.stage & 3]);
    PUT_LITERAL(s, "}");
}

/* Which objects a report covers: those created after `since`, and of those the unexpected ones
 * (rows, totals) apart from the expected ones (listed last). */
typedef struct report_plan {
    uint64_t since;
    int by_site; /* rows grouped by site (checkpoint reports) rather than in slot order */
    uint64_t live, pending, expected, expected_bytes, kind_count[GPUREG_KIND_COUNT], kind_bytes[GPUREG_KIND_COUNT];
    site_total *totals; /* per site id, then sorted by bytes */
    uint32_t *rank;     /* site id -> its place in the sorted totals */
    size_t sites;       /* entries of totals and rank */
} report_plan;

static int selected(const report_plan *p, const row *r) { return (r->order & ORDER_NUMBER_MASK) > p->since; }
static int expected(const row *r) { return (r->order & ORDER_EXPECTED) != 0; }
static uint32_t site_index(const report_plan *p, uint32_t site) { return site < p->sites ? site : 0; }

static void put_row(gpureg_registry *reg, sink *s, gpureg_report_format format, const row *r, int *first) {
    if (format == GPUREG_REPORT_JSON)
        json_row(reg, s, r, *first);
    else
        text_row(reg, s, r);
    *first = 0;
}

/* Slot indices of the selected unexpected objects, ordered by their site's rank (then index). */
typedef struct ranked {
    uint32_t rank, index;
} ranked;
static int by_rank(const void *a, const void *b) {
    const ranked *x = a, *y = b;
    if (x->rank != y->rank) return x->rank < y->rank ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

static gpureg_result put_rows_by_site(gpureg_registry *reg, sink *s, gpureg_report_format format, report_plan *p,
                                      uint32_t count) {
    size_t n = (size_t)(p->live + p->pending), size = n * sizeof(ranked);
    ranked *order = n ? gpureg__alloc(reg, size) : NULL;
    if (n && !order) return GPUREG_ERR_OUT_OF_MEMORY;
    size_t k = 0;
    row rw;
    for (uint32_t i = 0; i < count && k < n; i++)
        if (read_row(reg, i, &rw) && selected(p, &rw) && !expected(&rw))
            order[k++] = (ranked){p->rank[site_index(p, rw.site)], i};
    if (k) qsort(order, k, sizeof *order, by_rank); /* order is NULL when nothing was selected */
    int first = 1;
    uint32_t heading = UINT32_MAX;
    for (size_t i = 0; i < k; i++) {
        if (!read_row(reg, order[i].index, &rw)) continue;
        if (format == GPUREG_REPORT_TEXT && order[i].rank != heading) {
            const site_total *t = &p->totals[order[i].rank];
            char where[512];
            sites_format(reg, t->site, where, sizeof where);
            PUT_LITERAL(s, "at ");
            put_utf8(s, where, 0);
            putf(s, ": %" PRIu64 " object%s, %" PRIu64 " B\n", t->count, t->count == 1 ? "" : "s", t->bytes);
            heading = order[i].rank;
        }
        put_row(reg, s, format, &rw, &first);
    }
    gpureg__free(reg, order, size);
    return GPUREG_OK;
}

static void put_totals(gpureg_registry *reg, sink *s, gpureg_report_format format, const report_plan *p, int any) {
    const char *by_site = format == GPUREG_REPORT_JSON ? "], \"by_site\": [" : (any ? "by creation site:\n" : "");
    put(s, by_site, strlen(by_site));
    int first_site = 1;
    for (size_t i = 0; i < p->sites; i++) {
        const site_total *t = &p->totals[i];
        if (!t->count) continue;
        char where[512];
        sites_format(reg, t->site, where, sizeof where);
        if (format == GPUREG_REPORT_JSON) {
            const char *open = first_site ? "\n    {\"site\": " : ",\n    {\"site\": ";
            put(s, open, strlen(open));
            put_json_string(s, where);
            putf(s, ", \"count\": %" PRIu64 ", \"bytes\": %" PRIu64 "}", t->count, t->bytes);
        } else {
            putf(s, "  %6" PRIu64 " object%s %12" PRIu64 " B  ", t->count, t->count == 1 ? " " : "s", t->bytes);
            put_utf8(s, where, 0);
            PUT_LITERAL(s, "\n");
        }
        first_site = 0;
    }
    /* Textures and buffers always; other kinds when there are some. */
    if (format == GPUREG_REPORT_JSON) {
        PUT_LITERAL(s, "], \"by_type\": [");
        for (uint32_t k = 1; k < GPUREG_KIND_COUNT; k++)
            if (k <= GPUREG_KIND_BUFFER || p->kind_count[k])
                putf(s, "%s{\"type\": \"%s\", \"count\": %" PRIu64 ", \"bytes\": %" PRIu64 "}", k == 1 ? "" : ", ",
                     kind_name(k), p->kind_count[k], p->kind_bytes[k]);
        PUT_LITERAL(s, "]");
    } else if (any) {
        PUT_LITERAL(s, "by kind:\n");
        for (uint32_t k = 1; k < GPUREG_KIND_COUNT; k++)
            if (k <= GPUREG_KIND_BUFFER || p->kind_count[k])
                putf(s, "  %-21s %6" PRIu64 " objects %12" PRIu64 " B\n", kind_name(k), p->kind_count[k],
                     p->kind_bytes[k]);
    }
}

static gpureg_result write_report(gpureg_registry *reg, const char *fn, uint64_t since, int by_site,
                                  gpureg_report_format format, gpureg_write_fn write, void *user) {
    if (!reg) return GPUREG_ERR_NULL_POINTER;
    if (!write) return gpureg__fail(reg, GPUREG_ERR_NULL_POINTER, "%s: write is NULL", fn);
    if (format != GPUREG_REPORT_TEXT && format != GPUREG_REPORT_JSON)
        return gpureg__fail(reg, GPUREG_ERR_INVALID_ARGUMENT, "%s: format must be TEXT or JSON", fn);
    gpureg_result r = gpureg__check_owner(reg, fn);
    if (r != GPUREG_OK) return r;
    report_plan p = {.since = since, .by_site = by_site, .sites = (size_t)reg->sites.count + 1u};
    size_t totals_size = p.sites * sizeof(site_total), rank_size = p.sites * sizeof(uint32_t);
    p.totals = gpureg__alloc(reg, totals_size);
    p.rank = gpureg__alloc(reg, rank_size);
    sink *s = gpureg__alloc(reg, sizeof *s);
    if (!p.totals || !p.rank || !s) {
        r = GPUREG_ERR_OUT_OF_MEMORY;
        goto done;
    }
    memset(p.totals, 0, totals_size);
    for (size_t i = 0; i < p.sites; i++)
        p.totals[i].site = (uint32_t)i;
    s->write = write;
    s->user = user;
    s->len = 0;

    uint32_t count = atomic_load_explicit(&reg->pool.count, memory_order_acquire);
    row rw;
    for (uint32_t i = 0; i < count; i++) {
        if (!read_row(reg, i, &rw) || !selected(&p, &rw)) continue;
        if (expected(&rw)) {
            p.expected++;
            p.expected_bytes += rw.bytes;
            continue;
        }
        word_state(rw.word) == SLOT_ALIVE ? p.live++ : p.pending++;
        p.kind_count[rw.kind]++;
        p.kind_bytes[rw.kind] += rw.bytes;
        site_total *t = &p.totals[site_index(&p, rw.site)];
        t->count++;
        t->bytes += rw.bytes;
    }
    qsort(p.totals, p.sites, sizeof *p.totals, by_bytes_desc);
    for (size_t i = 0; i < p.sites; i++)
        p.rank[p.totals[i].site] = (uint32_t)i;

    uint64_t bytes = 0;
    for (uint32_t k = 1; k < GPUREG_KIND_COUNT; k++)
        bytes += p.kind_bytes[k];
    if (format == GPUREG_REPORT_JSON) {
        if (by_site) putf(s, "{\"checkpoint\": %" PRIu64 ", ", since);
        putf(s, "%s\"live\": %" PRIu64 ", \"pending\": %" PRIu64 ", \"expected\": %" PRIu64 ", \"objects\": [",
             by_site ? "" : "{", p.live, p.pending, p.expected);
    } else if (by_site) {
        putf(s,
             "gpureg report since checkpoint %" PRIu64 " (%s backend): %" PRIu64
             " object%s created since %s still here: %" PRIu64 " alive, %" PRIu64
             " released awaiting their fence, %" PRIu64 " bytes\n",
             since, reg->ops ? reg->ops->name : "none", p.live + p.pending, p.live + p.pending == 1 ? "" : "s",
             p.live + p.pending == 1 ? "is" : "are", p.live, p.pending, bytes);
    } else {
        putf(s,
             "gpureg report (%s backend): %" PRIu64 " alive, %" PRIu64 " released awaiting their fence, %" PRIu64
             " bytes\n",
             reg->ops ? reg->ops->name : "none", p.live, p.pending, bytes);
    }
    int any = p.live + p.pending > 0, first = 1;
    if (by_site) {
        r = put_rows_by_site(reg, s, format, &p, count);
        if (r != GPUREG_OK) goto done;
    } else {
        for (uint32_t i = 0; i < count; i++)
            if (read_row(reg, i, &rw) && selected(&p, &rw) && !expected(&rw)) put_row(reg, s, format, &rw, &first);
    }
    put_totals(reg, s, format, &p, any);
    if (format == GPUREG_REPORT_JSON) {
        PUT_LITERAL(s, ", \"expected_at_shutdown\": [");
    } else if (p.expected) {
        putf(s, "expected at shutdown (not leaks): %" PRIu64 " object%s, %" PRIu64 " bytes\n", p.expected,
             p.expected == 1 ? "" : "s", p.expected_bytes);
    }
    first = 1;
    for (uint32_t i = 0; i < count && p.expected; i++)
        if (read_row(reg, i, &rw) && selected(&p, &rw) && expected(&rw)) put_row(reg, s, format, &rw, &first);
    if (format == GPUREG_REPORT_JSON) PUT_LITERAL(s, "]}\n");
    sink_flush(s);
done:
    gpureg__free(reg, s, s ? sizeof *s : 0);
    gpureg__free(reg, p.rank, p.rank ? rank_size : 0);
    gpureg__free(reg, p.totals, p.totals ? totals_size : 0);
    if (r == GPUREG_ERR_OUT_OF_MEMORY) return gpureg__fail(reg, r, "%s: out of host memory", fn);
    return r;
}

gpureg_result gpureg_report(gpureg_registry *reg, gpureg_report_format format, gpureg_write_fn write, void *user) {
    return write_report(reg, "gpureg_report", 0, 0, format, write, user);
}

gpureg_result gpureg_report_since(gpureg_registry *reg, gpureg_checkpoint since, gpureg_report_format format,
                                  gpureg_write_fn write, void *user) {
    return write_report(reg, "gpureg_report_since", since, 1, format, write, user);
}

static void write_stderr(const char *bytes, size_t length, void *user) { fwrite(bytes, 1, length, stderr); }

/* Objects alive at shutdown that nobody said would be: the leaks. */
static uint64_t unexpected_live(const gpureg_registry *reg) {
    uint64_t leaks = 0;
    uint32_t count = atomic_load_explicit(&reg->pool.count, memory_order_acquire);
    for (uint32_t i = 0; i < count; i++) {
        const gpureg__slot *slot = pool_slot(&reg->pool, i);
        if (word_state(atomic_load_explicit(&slot->word, memory_order_relaxed)) == SLOT_ALIVE &&
            !(atomic_load_explicit(pool_order(&reg->pool, i), memory_order_relaxed) & ORDER_EXPECTED))
            leaks++;
    }
    return leaks;
}

int report_at_destroy(gpureg_registry *reg) {
    uint64_t leaks = unexpected_live(reg);
    gpureg_report_format format = reg->desc.report_format ? reg->desc.report_format : GPUREG_REPORT_TEXT;
    const char *env = getenv("GPUREG_LEAK_REPORT");
    if (env && !strcmp(env, "text")) format = GPUREG_REPORT_TEXT;
    if (env && !strcmp(env, "json")) format = GPUREG_REPORT_JSON;
    if (env && !strcmp(env, "off")) format = GPUREG_REPORT_OFF;
    /* A clean shutdown is quiet: nothing unexpected left, nothing printed. */
    if (format != GPUREG_REPORT_OFF && leaks) {
        gpureg_write_fn write = reg->desc.report_writer ? reg->desc.report_writer : write_stderr;
        void *user = reg->desc.report_writer ? reg->desc.report_writer_user : NULL;
        if (format == GPUREG_REPORT_TEXT) {
            char line[128];
            int n = snprintf(line, sizeof line, "gpureg: %llu leaked object%s at shutdown\n", (unsigned long long)leaks,
                             leaks == 1 ? "" : "s");
            write(line, (size_t)n, user);
        }
        gpureg_report(reg, format, write, user);
    }
    return leaks > INT32_MAX ? INT32_MAX : (int)leaks;
}
