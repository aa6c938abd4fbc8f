/* sites.c — interning of creation sites: each distinct file:line:function is stored once. */
#include <stdio.h>
#include <string.h>

#include "registry.h"

static uint32_t hash_str(uint32_t h, const char *s) {
    for (; *s; s++)
        h = (h ^ (uint8_t)*s) * 16777619u;
    return h;
}

static uint32_t site_hash(const char *file, uint32_t line, const char *function) {
    uint32_t h = hash_str(2166136261u, file);
    h = (h ^ line) * 16777619u;
    return hash_str(h, function) | 1u;
}

static char *copy_string(gpureg_registry *reg, const char *s) {
    size_t n = strlen(s) + 1;
    char *c = gpureg__alloc(reg, n);
    if (c) memcpy(c, s, n);
    return c;
}

static gpureg_result grow_table(gpureg_registry *reg) {
    gpureg__sites *s = &reg->sites;
    uint32_t cap = s->table_cap ? s->table_cap * 2u : 64u;
    uint32_t *table = gpureg__alloc(reg, cap * sizeof *table);
    if (!table) return GPUREG_ERR_OUT_OF_MEMORY;
    memset(table, 0, cap * sizeof *table);
    for (uint32_t id = 1; id <= s->count; id++) {
        uint32_t i = s->entries[id - 1].hash & (cap - 1u);
        while (table[i])
            i = (i + 1u) & (cap - 1u);
        table[i] = id;
    }
    gpureg__free(reg, s->table, s->table_cap * sizeof *table);
    s->table = table;
    s->table_cap = cap;
    return GPUREG_OK;
}

static gpureg_result grow_entries(gpureg_registry *reg) {
    gpureg__sites *s = &reg->sites;
    uint32_t cap = s->cap ? s->cap * 2u : 32u;
    gpureg__site_entry *entries = gpureg__alloc(reg, cap * sizeof *entries);
    if (!entries) return GPUREG_ERR_OUT_OF_MEMORY;
    if (s->count) memcpy(entries, s->entries, s->count * sizeof *entries);
    gpureg__free(reg, s->entries, s->cap * sizeof *entries);
    s->entries = entries;
    s->cap = cap;
    return GPUREG_OK;
}

/* Add a new entry; every allocation happens before anything is changed, so failure leaves the
 * table as it was. */
static gpureg_result insert(gpureg_registry *reg, const char *file, uint32_t line, const char *function, uint32_t hash,
                            uint32_t *out_id) {
    gpureg__sites *s = &reg->sites;
    if ((s->count + 1u) * 2u > s->table_cap && grow_table(reg) != GPUREG_OK) return GPUREG_ERR_OUT_OF_MEMORY;
    if (s->count == s->cap && grow_entries(reg) != GPUREG_OK) return GPUREG_ERR_OUT_OF_MEMORY;
    char *f = copy_string(reg, file);
    char *fn = f ? copy_string(reg, function) : NULL;
    int tail_length = snprintf(NULL, 0, "\" @ %s:%u (%s)", file, line, function);
    char *tail = fn && tail_length > 0 ? gpureg__alloc(reg, (size_t)tail_length + 1u) : NULL;
    if (!tail) {
        if (f) gpureg__free(reg, f, strlen(f) + 1);
        if (fn) gpureg__free(reg, fn, strlen(fn) + 1);
        return GPUREG_ERR_OUT_OF_MEMORY;
    }
    snprintf(tail, (size_t)tail_length + 1u, "\" @ %s:%u (%s)", file, line, function);
    uint32_t id = ++s->count;
    s->entries[id - 1] = (gpureg__site_entry){f, fn, line, hash, tail, (uint32_t)tail_length};
    uint32_t i = hash & (s->table_cap - 1u);
    while (s->table[i])
        i = (i + 1u) & (s->table_cap - 1u);
    s->table[i] = id;
    *out_id = id;
    return GPUREG_OK;
}

gpureg_result sites_intern(gpureg_registry *reg, const gpureg_site *site, uint32_t *out_id) {
    *out_id = 0;
    if (!site) return GPUREG_OK;
    const char *file = site->file ? site->file : "?";
    const char *function = site->function ? site->function : "?";
    gpureg__sites *s = &reg->sites;
    if ((*out_id = sites_cached(s, site)) != 0) return GPUREG_OK;
    gpureg__site_cache *c = sites_cache_slot(s, site);
    uint32_t hash = site_hash(file, site->line, function);
    uint32_t id = 0;
    for (uint32_t i = s->table_cap ? hash & (s->table_cap - 1u) : 0; s->table_cap && s->table[i];
         i = (i + 1u) & (s->table_cap - 1u)) {
        const gpureg__site_entry *e = &s->entries[s->table[i] - 1];
        if (e->hash == hash && e->line == site->line && !strcmp(e->file, file) && !strcmp(e->function, function)) {
            id = s->table[i];
            break;
        }
    }
    if (!id) {
        gpureg_result r = insert(reg, file, site->line, function, hash, &id);
        if (r != GPUREG_OK) return r;
    }
    if (site->is_static) *c = (gpureg__site_cache){site->file, site->function, site->line, id};
    *out_id = id;
    return GPUREG_OK;
}

const gpureg__site_entry *sites_get(const gpureg_registry *reg, uint32_t id) {
    return (id && id <= reg->sites.count) ? &reg->sites.entries[id - 1] : NULL;
}

void sites_format(const gpureg_registry *reg, uint32_t id, char *buf, size_t cap) {
    const gpureg__site_entry *e = sites_get(reg, id);
    if (e)
        snprintf(buf, cap, "%s:%u (%s)", e->file, e->line, e->function);
    else
        snprintf(buf, cap, "?");
}

void sites_free(gpureg_registry *reg) {
    gpureg__sites *s = &reg->sites;
    for (uint32_t i = 0; i < s->count; i++) {
        gpureg__free(reg, s->entries[i].file, strlen(s->entries[i].file) + 1);
        gpureg__free(reg, s->entries[i].function, strlen(s->entries[i].function) + 1);
        gpureg__free(reg, s->entries[i].tail, s->entries[i].tail_length + 1u);
    }
    gpureg__free(reg, s->entries, s->cap * sizeof *s->entries);
    gpureg__free(reg, s->table, s->table_cap * sizeof *s->table);
    memset(s, 0, sizeof *s);
}
