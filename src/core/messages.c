/* messages.c — reading the debug message ring, and mapping driver text back to handles. */
#include <string.h>

#include "ring.h"

gpureg_result gpureg_poll_messages(gpureg_registry *reg, gpureg_message *out, size_t capacity, size_t *out_count) {
    if (out_count) *out_count = 0;
    if (!reg) return GPUREG_ERR_NULL_POINTER;
    if (!out_count || (!out && capacity))
        return gpureg__fail(reg, GPUREG_ERR_NULL_POINTER, "gpureg_poll_messages: out_count and out are required");
    *out_count = ring_pop(reg->ring, out, capacity);
    return GPUREG_OK;
}

uint64_t gpureg_error_message_count(const gpureg_registry *reg) {
    if (!reg) return 0;
    uint64_t queued, dropped, errors;
    ring_counts(reg->ring, &queued, &dropped, &errors);
    return errors;
}

gpureg_handle gpureg__handle_from_text(const char *text) {
    static const char key[] = "gpureg 0x";
    const char *p = text ? strstr(text, key) : NULL;
    if (!p) return 0;
    p += sizeof key - 1;
    gpureg_handle h = 0;
    for (int i = 0; i < 16; i++, p++) {
        int d = (*p >= '0' && *p <= '9') ? *p - '0' : (*p >= 'a' && *p <= 'f') ? *p - 'a' + 10 : -1;
        if (d < 0) return 0;
        h = h << 4 | (gpureg_handle)d;
    }
    return h;
}
