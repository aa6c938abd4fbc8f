/* report_sink.h — writing the report (report_sink.c). */
#ifndef GPUREG_REPORT_SINK_H
#define GPUREG_REPORT_SINK_H

#include <stddef.h>

#include "gpureg/gpureg.h"

/* Buffered output through the caller's writer. */
typedef struct sink {
    gpureg_write_fn write;
    void *user;
    size_t len;
    char buf[4096];
} sink;

/* put() for a string literal: its length is counted by the compiler, not by hand. */
#define PUT_LITERAL(s, literal) put((s), (literal), sizeof(literal) - 1u)

void put(sink *s, const char *text, size_t n);
#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 2, 3)))
#endif
void putf(sink *s, const char *fmt, ...);
/* Text as it may go out: a byte that starts no well-formed UTF-8 character becomes U+FFFD; with
 * json, quotes, backslashes and control characters are escaped too. */
void put_utf8(sink *s, const char *text, int json);
void put_json_string(sink *s, const char *text);
void sink_flush(sink *s);

#endif /* GPUREG_REPORT_SINK_H */
