/* sites.h — creation sites interned per registry (owner thread only). */
#ifndef GPUREG_SITES_H
#define GPUREG_SITES_H

#include <stdint.h>

#include "gpureg/gpureg.h"

typedef struct gpureg__site_entry {
    char *file;
    char *function;
    uint32_t line;
    uint32_t hash;
    /* `" @ file:line (function)`: the end of every driver name at this site, formatted once
     * at intern, so a create copies it instead of printing it. */
    char *tail;
    uint32_t tail_length;
} gpureg__site_entry;

/* Direct-mapped cache of (file pointer, function pointer, line) -> id: the C macros pass static
 * strings, so most creates find their site without hashing a string. */
#define SITES_CACHE_SIZE 64u
typedef struct gpureg__site_cache {
    const char *file;
    const char *function;
    uint32_t line;
    uint32_t id;
} gpureg__site_cache;

typedef struct gpureg__sites {
    gpureg__site_entry *entries; /* id - 1 indexes this */
    uint32_t count, cap;
    uint32_t *table; /* open addressing: id or 0 */
    uint32_t table_cap;
    gpureg__site_cache cache[SITES_CACHE_SIZE];
} gpureg__sites;

/* The cache slot a site's pointers and line pick (sites_intern fills it for static sites). */
static inline gpureg__site_cache *sites_cache_slot(gpureg__sites *s, const gpureg_site *site) {
    uintptr_t key = ((uintptr_t)site->file >> 3) ^ ((uintptr_t)site->function >> 5) ^ site->line;
    return &s->cache[key & (SITES_CACHE_SIZE - 1u)];
}

/* The id of a static site seen before, inline (0: not cached, ask sites_intern): every create
 * asks, and nearly every site is a call site's static one. */
static inline uint32_t sites_cached(gpureg__sites *s, const gpureg_site *site) {
    const gpureg__site_cache *c = sites_cache_slot(s, site);
    return site->is_static && c->file == site->file && c->function == site->function && c->line == site->line ? c->id
                                                                                                              : 0;
}

struct gpureg_registry;
/* Id (>= 1) for a site, interning a copy on first sight; 0 with OUT_OF_MEMORY. */
gpureg_result sites_intern(struct gpureg_registry *reg, const gpureg_site *site, uint32_t *out_id);
/* "file:line (function)" into buf. id 0 gives "?". */
void sites_format(const struct gpureg_registry *reg, uint32_t id, char *buf, size_t cap);
const gpureg__site_entry *sites_get(const struct gpureg_registry *reg, uint32_t id);
void sites_free(struct gpureg_registry *reg);

#endif /* GPUREG_SITES_H */
