/* Shared benchmark helpers; see bench_util.h. */
#include "bench_util.h"

#include <gpureg/gpureg.h>

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

volatile uint64_t bench_sink;

static uint64_t clock_ns(clockid_t clock) {
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t bench_now_ns(void) { return clock_ns(CLOCK_MONOTONIC); }

uint64_t bench_thread_cpu_ns(void) { return clock_ns(CLOCK_THREAD_CPUTIME_ID); }

static int compare_doubles(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double bench_median(double *values, size_t count) {
    if (count == 0) return 0.0;
    qsort(values, count, sizeof *values, compare_doubles);
    if (count % 2) return values[count / 2];
    return (values[count / 2 - 1] + values[count / 2]) / 2.0;
}

uint64_t bench_rand(uint64_t *state) {
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

void bench_machine_name(char *buf, size_t cap) {
    char model[256] = "unknown";
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (f) {
        char line[512];
        while (fgets(line, sizeof line, f)) {
            if (strncmp(line, "model name", 10) != 0) continue;
            const char *colon = strchr(line, ':');
            if (!colon) continue;
            colon++;
            while (*colon == ' ' || *colon == '\t')
                colon++;
            snprintf(model, sizeof model, "%s", colon);
            model[strcspn(model, "\n")] = '\0';
            break;
        }
        fclose(f);
    }
    snprintf(buf, cap, "%s (%ld cores)", model, sysconf(_SC_NPROCESSORS_ONLN));
}

int bench_parse_options(int argc, char **argv, const char *program, bench_options *out) {
    bench_options o = {0, 0, 11};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) {
            o.json = 1;
        } else if (strcmp(argv[i], "--quick") == 0) {
            o.quick = 1;
        } else if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc) {
            o.reps = atoi(argv[++i]);
            if (o.reps < 1) o.reps = 1;
        } else {
            fprintf(stderr,
                    "usage: %s [--json] [--quick] [--reps N]\n"
                    "  --json   one JSON object per line instead of a table\n"
                    "  --quick  smoke run: 3 repetitions, small counts\n"
                    "  --reps N repetitions per figure (median reported; default 11)\n",
                    program);
            return 0;
        }
    }
    if (o.quick && o.reps > 3) o.reps = 3;
    *out = o;
    return 1;
}

static void json_append(bench_json *j, const char *fmt, ...) {
    if (j->length >= sizeof j->text) return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(j->text + j->length, sizeof j->text - j->length, fmt, ap);
    va_end(ap);
    if (n > 0) j->length += (size_t)n;
    if (j->length >= sizeof j->text) j->length = sizeof j->text - 1;
}

/* Bench and key names are identifiers we choose; strings are escaped for quotes and backslashes. */
static void json_append_string(bench_json *j, const char *s) {
    json_append(j, "\"");
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            json_append(j, "\\%c", c);
        else if (c < 0x20)
            json_append(j, "\\u%04x", c);
        else
            json_append(j, "%c", c);
    }
    json_append(j, "\"");
}

void bench_json_begin(bench_json *j, const char *bench, uint64_t live) {
    j->length = 0;
    j->text[0] = '\0';
    json_append(j, "{\"bench\": ");
    json_append_string(j, bench);
    json_append(j, ", \"live\": %llu", (unsigned long long)live);
}

void bench_json_num(bench_json *j, const char *key, double value) { json_append(j, ", \"%s\": %.3f", key, value); }

void bench_json_int(bench_json *j, const char *key, uint64_t value) {
    json_append(j, ", \"%s\": %llu", key, (unsigned long long)value);
}

void bench_json_str(bench_json *j, const char *key, const char *value) {
    json_append(j, ", \"%s\": ", key);
    json_append_string(j, value);
}

void bench_json_end(bench_json *j, FILE *out) {
    json_append(j, "}");
    fprintf(out, "%s\n", j->text);
    fflush(out);
}

double bench_gpureg_texture_cycles(struct gpureg_registry *reg, int n, const void *pixels, size_t size) {
    const gpureg_texture_desc desc = {.width = 64, .height = 64, .format = GPUREG_FORMAT_RGBA8_UNORM, .label = "bench"};
    const gpureg_texture_region all = {0};
    uint64_t start = bench_now_ns();
    for (int i = 0; i < n; i++) {
        gpureg_texture tex;
        if (gpureg_texture_create(reg, &desc, &tex) != GPUREG_OK ||
            (pixels && gpureg_texture_write(reg, tex, &all, pixels, size, 0) != GPUREG_OK) ||
            gpureg_texture_release(reg, tex) != GPUREG_OK || gpureg_collect(reg, NULL) != GPUREG_OK)
            return -1.0;
    }
    return (double)(bench_now_ns() - start) / n;
}
