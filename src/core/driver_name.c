/* driver_name.c — the name gpureg gives each object in the driver (glObjectLabel,
 * vkSetDebugUtilsObjectNameEXT), so a driver message maps back to a handle, label and site. */
#include <string.h>

#include "driver_name.h"

#include "sites.h"

/* The driver name is built on every create of a backend that names objects, so it is appended
 * by hand: two snprintf calls cost as much as the rest of a create. Truncates at cap. */
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

static void append_text(name_builder *b, const char *text) { append(b, text, strlen(text)); }

static void append_hex64(name_builder *b, uint64_t value) {
    static const char digits[] = "0123456789abcdef";
    char hex[16];
    for (int i = 15; i >= 0; i--, value >>= 4)
        hex[i] = digits[value & 15u];
    append(b, hex, sizeof hex);
}

static void append_u32(name_builder *b, uint32_t value) {
    char text[10];
    int i = (int)sizeof text;
    do
        text[--i] = (char)('0' + value % 10u);
    while (value /= 10u);
    append(b, text + i, sizeof text - (size_t)i);
}

void object_driver_name(const gpureg_registry *reg, gpureg_handle h, const char *label, uint32_t site, char *buf,
                        size_t cap) {
    if (!cap) return;
    name_builder b = {buf, cap, 0};
    append_text(&b, "gpureg 0x"); /* gpureg__handle_from_text reads it back */
    append_hex64(&b, h);
    append_text(&b, " \"");
    append_text(&b, label ? label : "");
    append_text(&b, "\" @ ");
    const gpureg__site_entry *e = sites_get(reg, site);
    if (e) {
        append_text(&b, e->file);
        append_text(&b, ":");
        append_u32(&b, e->line);
        append_text(&b, " (");
        append_text(&b, e->function);
        append_text(&b, ")");
    } else {
        append_text(&b, "?");
    }
    buf[b.length] = '\0';
}
