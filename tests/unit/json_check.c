/* json_check.c — see json_check.h. Recursive descent; depth-limited. */
#include "json_check.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct parser {
    const char *start, *p, *end;
    char *err;
    size_t err_size;
    int failed;
    int depth;
} parser;

static int fail_at(parser *ps, const char *what) {
    if (!ps->failed && ps->err && ps->err_size)
        snprintf(ps->err, ps->err_size, "%s at offset %ld", what, (long)(ps->p - ps->start));
    ps->failed = 1;
    return -1;
}

static void skip_ws(parser *ps) {
    while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
        ps->p++;
}

static int literal(parser *ps, const char *word) {
    size_t n = strlen(word);
    if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0) return fail_at(ps, "bad literal");
    ps->p += n;
    return 0;
}

static int hex4(parser *ps, unsigned *out) {
    if (ps->end - ps->p < 4) return fail_at(ps, "short \\u escape");
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = *ps->p++;
        unsigned d;
        if (c >= '0' && c <= '9')
            d = (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            d = (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            d = (unsigned)(c - 'A' + 10);
        else
            return fail_at(ps, "bad hex digit");
        v = v << 4 | d;
    }
    *out = v;
    return 0;
}

static void put_utf8(char *buf, size_t *n, unsigned cp) {
    if (cp < 0x80) {
        buf[(*n)++] = (char)cp;
    } else if (cp < 0x800) {
        buf[(*n)++] = (char)(0xC0 | cp >> 6);
        buf[(*n)++] = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        buf[(*n)++] = (char)(0xE0 | cp >> 12);
        buf[(*n)++] = (char)(0x80 | (cp >> 6 & 0x3F));
        buf[(*n)++] = (char)(0x80 | (cp & 0x3F));
    } else {
        buf[(*n)++] = (char)(0xF0 | cp >> 18);
        buf[(*n)++] = (char)(0x80 | (cp >> 12 & 0x3F));
        buf[(*n)++] = (char)(0x80 | (cp >> 6 & 0x3F));
        buf[(*n)++] = (char)(0x80 | (cp & 0x3F));
    }
}

/* Bytes of the well-formed UTF-8 character (RFC 3629) starting at p, or 0. */
static size_t utf8_length(const char *text, const char *end) {
    const unsigned char *p = (const unsigned char *)text;
    size_t avail = (size_t)(end - text), n;
    unsigned char lo = 0x80, hi = 0xBF;
    if (p[0] >= 0xC2 && p[0] <= 0xDF)
        n = 2;
    else if (p[0] >= 0xE0 && p[0] <= 0xEF)
        n = 3, lo = p[0] == 0xE0 ? 0xA0 : 0x80, hi = p[0] == 0xED ? 0x9F : 0xBF;
    else if (p[0] >= 0xF0 && p[0] <= 0xF4)
        n = 4, lo = p[0] == 0xF0 ? 0x90 : 0x80, hi = p[0] == 0xF4 ? 0x8F : 0xBF;
    else
        return 0;
    if (avail < n || p[1] < lo || p[1] > hi) return 0;
    for (size_t i = 2; i < n; i++)
        if ((p[i] & 0xC0) != 0x80) return 0;
    return n;
}

static int parse_string(parser *ps, char **out) {
    if (ps->p >= ps->end || *ps->p != '"') return fail_at(ps, "expected string");
    ps->p++;
    /* Unescaped text is never longer than the escaped text. */
    size_t cap = (size_t)(ps->end - ps->p) + 1, n = 0;
    char *buf = malloc(cap);
    if (!buf) return fail_at(ps, "out of memory");
    for (;;) {
        if (ps->p >= ps->end) {
            free(buf);
            return fail_at(ps, "unterminated string");
        }
        unsigned char c = (unsigned char)*ps->p++;
        if (c == '"') break;
        if (c < 0x20) {
            free(buf);
            return fail_at(ps, "raw control character in string");
        }
        if (c >= 0x80) { /* RFC 8259 8.1: JSON text is UTF-8; take one well-formed character */
            size_t len = utf8_length(ps->p - 1, ps->end);
            if (!len) {
                free(buf);
                return fail_at(ps, "invalid UTF-8 in string");
            }
            memcpy(buf + n, ps->p - 1, len);
            n += len;
            ps->p += len - 1;
            continue;
        }
        if (c != '\\') {
            buf[n++] = (char)c;
            continue;
        }
        if (ps->p >= ps->end) {
            free(buf);
            return fail_at(ps, "unterminated escape");
        }
        char e = *ps->p++;
        switch (e) {
        case '"':
            buf[n++] = '"';
            break;
        case '\\':
            buf[n++] = '\\';
            break;
        case '/':
            buf[n++] = '/';
            break;
        case 'b':
            buf[n++] = '\b';
            break;
        case 'f':
            buf[n++] = '\f';
            break;
        case 'n':
            buf[n++] = '\n';
            break;
        case 'r':
            buf[n++] = '\r';
            break;
        case 't':
            buf[n++] = '\t';
            break;
        case 'u': {
            unsigned cp;
            if (hex4(ps, &cp)) {
                free(buf);
                return -1;
            }
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                unsigned lo;
                if (ps->end - ps->p < 6 || ps->p[0] != '\\' || ps->p[1] != 'u') {
                    free(buf);
                    return fail_at(ps, "lone high surrogate");
                }
                ps->p += 2;
                if (hex4(ps, &lo)) {
                    free(buf);
                    return -1;
                }
                if (lo < 0xDC00 || lo > 0xDFFF) {
                    free(buf);
                    return fail_at(ps, "bad low surrogate");
                }
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                free(buf);
                return fail_at(ps, "lone low surrogate");
            }
            put_utf8(buf, &n, cp);
            break;
        }
        default:
            free(buf);
            return fail_at(ps, "bad escape");
        }
    }
    buf[n] = '\0';
    *out = buf;
    return 0;
}

static int parse_number(parser *ps, json_value *v) {
    const char *start = ps->p;
    int negative = 0, integral = 1;
    if (ps->p < ps->end && *ps->p == '-') {
        negative = 1;
        ps->p++;
    }
    if (ps->p >= ps->end) return fail_at(ps, "bad number");
    if (*ps->p == '0') {
        ps->p++;
        if (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9') return fail_at(ps, "leading zero");
    } else if (*ps->p >= '1' && *ps->p <= '9') {
        while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
            ps->p++;
    } else {
        return fail_at(ps, "bad number");
    }
    if (ps->p < ps->end && *ps->p == '.') {
        integral = 0;
        ps->p++;
        if (ps->p >= ps->end || *ps->p < '0' || *ps->p > '9') return fail_at(ps, "bad fraction");
        while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
            ps->p++;
    }
    if (ps->p < ps->end && (*ps->p == 'e' || *ps->p == 'E')) {
        integral = 0;
        ps->p++;
        if (ps->p < ps->end && (*ps->p == '+' || *ps->p == '-')) ps->p++;
        if (ps->p >= ps->end || *ps->p < '0' || *ps->p > '9') return fail_at(ps, "bad exponent");
        while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
            ps->p++;
    }
    v->type = JSON_NUMBER;
    if (integral && !negative) {
        uint64_t u = 0;
        int overflow = 0;
        for (const char *q = start; q < ps->p; q++) {
            uint64_t d = (uint64_t)(*q - '0');
            if (u > (UINT64_MAX - d) / 10) overflow = 1;
            u = u * 10 + d;
        }
        v->is_uint = !overflow;
        v->uint = overflow ? 0 : u;
    }
    return 0;
}

static int parse_value(parser *ps, json_value *v);

static int push_item(json_value *v, size_t *cap) {
    if (v->count < *cap) return 0;
    size_t ncap = *cap ? *cap * 2 : 8;
    json_value *items = realloc(v->items, ncap * sizeof *items);
    if (!items) return -1;
    v->items = items;
    if (v->type == JSON_OBJECT) {
        char **keys = realloc(v->keys, ncap * sizeof *keys);
        if (!keys) return -1;
        v->keys = keys;
    }
    *cap = ncap;
    return 0;
}

static int parse_array(parser *ps, json_value *v) {
    ps->p++; /* [ */
    v->type = JSON_ARRAY;
    size_t cap = 0;
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == ']') {
        ps->p++;
        return 0;
    }
    for (;;) {
        if (push_item(v, &cap)) return fail_at(ps, "out of memory");
        memset(&v->items[v->count], 0, sizeof v->items[0]);
        v->count++;
        if (parse_value(ps, &v->items[v->count - 1])) return -1;
        skip_ws(ps);
        if (ps->p < ps->end && *ps->p == ',') {
            ps->p++;
            continue;
        }
        if (ps->p < ps->end && *ps->p == ']') {
            ps->p++;
            return 0;
        }
        return fail_at(ps, "expected , or ]");
    }
}

static int parse_object(parser *ps, json_value *v) {
    ps->p++; /* { */
    v->type = JSON_OBJECT;
    size_t cap = 0;
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == '}') {
        ps->p++;
        return 0;
    }
    for (;;) {
        skip_ws(ps);
        char *key = NULL;
        if (parse_string(ps, &key)) return -1;
        for (size_t i = 0; i < v->count; i++) {
            if (!strcmp(v->keys[i], key)) {
                free(key);
                return fail_at(ps, "duplicate key");
            }
        }
        if (push_item(v, &cap)) {
            free(key);
            return fail_at(ps, "out of memory");
        }
        v->keys[v->count] = key;
        memset(&v->items[v->count], 0, sizeof v->items[0]);
        v->count++;
        skip_ws(ps);
        if (ps->p >= ps->end || *ps->p != ':') return fail_at(ps, "expected :");
        ps->p++;
        if (parse_value(ps, &v->items[v->count - 1])) return -1;
        skip_ws(ps);
        if (ps->p < ps->end && *ps->p == ',') {
            ps->p++;
            continue;
        }
        if (ps->p < ps->end && *ps->p == '}') {
            ps->p++;
            return 0;
        }
        return fail_at(ps, "expected , or }");
    }
}

static int parse_value(parser *ps, json_value *v) {
    if (++ps->depth > 64) return fail_at(ps, "nested too deep");
    skip_ws(ps);
    int r;
    if (ps->p >= ps->end) {
        r = fail_at(ps, "unexpected end");
    } else {
        switch (*ps->p) {
        case '{':
            r = parse_object(ps, v);
            break;
        case '[':
            r = parse_array(ps, v);
            break;
        case '"':
            v->type = JSON_STRING;
            r = parse_string(ps, &v->string);
            break;
        case 't':
            v->type = JSON_BOOL;
            v->boolean = 1;
            r = literal(ps, "true");
            break;
        case 'f':
            v->type = JSON_BOOL;
            r = literal(ps, "false");
            break;
        case 'n':
            v->type = JSON_NULL;
            r = literal(ps, "null");
            break;
        default:
            r = parse_number(ps, v);
            break;
        }
    }
    ps->depth--;
    return r;
}

int json_parse(const char *text, size_t length, json_value *out, char *err, size_t err_size) {
    memset(out, 0, sizeof *out);
    if (err && err_size) err[0] = '\0';
    parser ps = {text, text, text + length, err, err_size, 0, 0};
    if (parse_value(&ps, out) == 0) {
        skip_ws(&ps);
        if (ps.p == ps.end) return 0;
        fail_at(&ps, "trailing characters");
    }
    json_free(out);
    return -1;
}

void json_free(json_value *v) {
    if (!v) return;
    for (size_t i = 0; i < v->count; i++) {
        json_free(&v->items[i]);
        if (v->keys) free(v->keys[i]);
    }
    free(v->items);
    free(v->keys);
    free(v->string);
    memset(v, 0, sizeof *v);
}

const json_value *json_get(const json_value *object, const char *key) {
    if (!object || object->type != JSON_OBJECT) return NULL;
    for (size_t i = 0; i < object->count; i++)
        if (!strcmp(object->keys[i], key)) return &object->items[i];
    return NULL;
}
