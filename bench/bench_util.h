/*
 * bench_util.h — helpers shared by the benchmark programs (bench_core, bench_gl, bench_vk):
 * a monotonic clock, medians of repetitions, a deterministic RNG, the machine name, command-line
 * options and the one-object-per-line JSON printer that bench/write_benchmarks.py reads.
 */
#ifndef GPUREG_BENCH_UTIL_H
#define GPUREG_BENCH_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Nanoseconds on the monotonic clock. */
uint64_t bench_now_ns(void);

/* CPU time consumed by the calling thread, in nanoseconds. */
uint64_t bench_thread_cpu_ns(void);

/* Median of `count` values; reorders the array. 0 for count == 0. */
double bench_median(double *values, size_t count);

/* splitmix64: deterministic, so every variant of a benchmark sees the same random sequence. */
uint64_t bench_rand(uint64_t *state);

/* "AMD EPYC (2 cores)" from /proc/cpuinfo; "unknown" when unreadable. */
void bench_machine_name(char *buf, size_t cap);

/* Options every bench program accepts: --json (one JSON object per line), --quick (smoke run:
 * few repetitions, small counts), --reps N (repetitions per figure, default 11). */
typedef struct bench_options {
    int json;
    int quick;
    int reps;
} bench_options;

/* Parse argv; prints usage and returns 0 on --help or bad input (then exit with 2). */
int bench_parse_options(int argc, char **argv, const char *program, bench_options *out);

/* A JSON line under construction: bench_json_begin, any number of bench_json_num / _int / _str,
 * then bench_json_end, which prints it with a newline and flushes. */
typedef struct bench_json {
    char text[1024];
    size_t length;
} bench_json;

void bench_json_begin(bench_json *j, const char *bench, uint64_t live);
void bench_json_num(bench_json *j, const char *key, double value);
void bench_json_int(bench_json *j, const char *key, uint64_t value);
void bench_json_str(bench_json *j, const char *key, const char *value);
void bench_json_end(bench_json *j, FILE *out);

/* The backend benchmarks' gpureg side: n cycles of create (64x64 RGBA8, labelled), upload of
 * `pixels` (skipped when NULL), release and collect; ns per cycle, or a negative value when a
 * call failed. */
struct gpureg_registry;
double bench_gpureg_texture_cycles(struct gpureg_registry *reg, int n, const void *pixels, size_t size);

/* Results land here so the compiler cannot discard the measured work. */
extern volatile uint64_t bench_sink;

#endif /* GPUREG_BENCH_UTIL_H */
