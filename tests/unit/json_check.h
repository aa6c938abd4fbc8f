/* json_check.h — a small strict JSON parser (RFC 8259) for checking reports: rejects trailing
 * garbage, raw control characters in strings, bad escapes, leading zeros, duplicate keys. */
#ifndef GPUREG_JSON_CHECK_H
#define GPUREG_JSON_CHECK_H

#include <stddef.h>
#include <stdint.h>

typedef enum json_type { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT } json_type;

typedef struct json_value {
    json_type type;
    int boolean;
    int is_uint; /* number: a non-negative integer that fits uint64_t */
    uint64_t uint;
    char *string; /* string: unescaped, NUL-terminated (embedded NULs end it early) */
    size_t count; /* array / object members */
    struct json_value *items;
    char **keys; /* object only */
} json_value;

/* Parse all of text[0, length). Returns 0 on success; else -1 and a message in err. */
int json_parse(const char *text, size_t length, json_value *out, char *err, size_t err_size);
void json_free(json_value *v);

/* Member of an object, or NULL. */
const json_value *json_get(const json_value *object, const char *key);

#endif /* GPUREG_JSON_CHECK_H */
