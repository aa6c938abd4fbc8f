/* report_sink.c — the report's output: buffered pieces through the caller's writer, text that
 * is always valid UTF-8, JSON strings. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "report_sink.h"

void sink_flush(sink *s) {
    if (s->len) s->write(s->buf, s->len, s->user);
    s->len = 0;
}

void put(sink *s, const char *text, size_t n) {
    while (n) {
        size_t room = sizeof s->buf - s->len, k = n < room ? n : room;
        memcpy(s->buf + s->len, text, k);
        s->len += k;
        text += k;
        n -= k;
        if (s->len == sizeof s->buf) sink_flush(s);
    }
}

#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 2, 3)))
#endif
void
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
void put_utf8(sink *s, const char *text, int json) {
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

void put_json_string(sink *s, const char *text) {
    PUT_LITERAL(s, "\"");
    put_utf8(s, text, 1);
    PUT_LITERAL(s, "\"");
}
