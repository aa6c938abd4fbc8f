/* driver_name.c — the name gpureg gives each object in the driver (glObjectLabel,
 * vkSetDebugUtilsObjectNameEXT), so a driver message maps back to a handle, label and site. */
#include <string.h>

#include "driver_name.h"

#include "sites.h"

/* Built on every create of a backend that names objects, so it is copied together rather than
 * printed: the site's part was formatted once when the site was interned (sites.c), the label's
 * length is known, the fixed head is stored whole and the handle's hex is worked out eight
 * digits at a time. */

/* Eight hex digits of v, most significant first, into out. */
static void put_hex32(char *out, uint32_t v) {
    /* One nibble per byte, in order: v's top nibble in the top byte. */
    uint64_t x = v;
    x = (x | x << 16) & 0x0000FFFF0000FFFFull;
    x = (x | x << 8) & 0x00FF00FF00FF00FFull;
    x = (x | x << 4) & 0x0F0F0F0F0F0F0F0Full;
    /* '0' + d, and 'a' - '0' - 10 more where d >= 10 (d + 6 carries into bit 4). */
    uint64_t letters = ((x + 0x0606060606060606ull) >> 4) & 0x0101010101010101ull;
    x += 0x3030303030303030ull + letters * ('a' - '0' - 10);
#if defined(__GNUC__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    x = __builtin_bswap64(x); /* the top byte first in memory */
    memcpy(out, &x, 8);
#else
    for (int i = 0; i < 8; i++)
        out[i] = (char)(x >> (56 - 8 * i));
#endif
}

/* Up to n bytes of text at buf + *length, leaving room for the NUL within cap. */
static void name_append(char *buf, size_t cap, size_t *length, const char *text, size_t n) {
    size_t room = cap - 1u - *length;
    memcpy(buf + *length, text, n < room ? n : room);
    *length += n < room ? n : room;
}

void object_driver_name(const gpureg_registry *reg, gpureg_handle h, const char *label, size_t label_length,
                        uint32_t site, char *buf, size_t cap) {
    enum { HEAD = 27 }; /* gpureg 0x<16 hex digits> " */
    char small[HEAD + 1];
    char *head = cap > HEAD ? buf : small; /* a buffer too small for the head gets its start */
    memcpy(head, "gpureg 0x", 9);          /* gpureg__handle_from_text reads it back */
    put_hex32(head + 9, (uint32_t)(h >> 32));
    put_hex32(head + 17, (uint32_t)h);
    memcpy(head + 25, " \"", 2);
    size_t length = HEAD;
    if (head == small) {
        if (!cap) return;
        length = 0;
        name_append(buf, cap, &length, small, HEAD);
    }
    if (label) name_append(buf, cap, &length, label, label_length);
    const gpureg__site_entry *e = sites_get(reg, site);
    if (e)
        name_append(buf, cap, &length, e->tail, e->tail_length);
    else
        name_append(buf, cap, &length, "\" @ ?", 5);
    buf[length] = '\0';
}
