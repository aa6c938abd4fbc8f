/* driver_name.c — the name gpureg gives each object in the driver (glObjectLabel,
 * vkSetDebugUtilsObjectNameEXT), so a driver message maps back to a handle, label and site. */
#include <string.h>

#include "driver_name.h"

#include "sites.h"

/* Built on every create of a backend that names objects, so it is copied together rather than
 * printed: the site's part was formatted once when the site was interned (sites.c), the label's
 * length is known, and the handle's hex comes two digits at a time. Truncates at cap. */
typedef struct name_builder {
    char *buf;
    size_t cap, length;
} name_builder;

static void append(name_builder *b, const char *text, size_t n) {
    size_t room = b->cap - 1u - b->length;
    if (n > room) n = room;
    memcpy(b->buf + b->length, text, n);
    b->length += n;
}

static void append_hex64(name_builder *b, uint64_t value) {
    static const char pairs[] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
                                "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
                                "404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
                                "606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
                                "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
                                "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
                                "c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf"
                                "e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";
    char hex[16];
    for (int i = 14; i >= 0; i -= 2, value >>= 8)
        memcpy(hex + i, pairs + (value & 0xFFu) * 2u, 2);
    append(b, hex, sizeof hex);
}

void object_driver_name(const gpureg_registry *reg, gpureg_handle h, const char *label, size_t label_length,
                        uint32_t site, char *buf, size_t cap) {
    if (!cap) return;
    name_builder b = {buf, cap, 0};
    append(&b, "gpureg 0x", 9); /* gpureg__handle_from_text reads it back */
    append_hex64(&b, h);
    append(&b, " \"", 2);
    if (label) append(&b, label, label_length);
    const gpureg__site_entry *e = sites_get(reg, site);
    if (e)
        append(&b, e->tail, e->tail_length);
    else
        append(&b, "\" @ ?", 5);
    buf[b.length] = '\0';
}
