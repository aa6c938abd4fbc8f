/*
 * bench_callgrind.h — instructions of a measured function, counted by callgrind: the program re-runs
 * itself under
 *   valgrind --tool=callgrind --collect-atstart=no --toggle-collect=<function>
 * and reads the output file back. Unlike a timing, the count does not move with the load of a
 * shared machine.
 */
#ifndef GPUREG_BENCH_CALLGRIND_H
#define GPUREG_BENCH_CALLGRIND_H

/* What callgrind counted while `function` ran on the thread that called it (other threads, e.g. a
 * driver's queue thread, are not counted). */
typedef struct bench_instructions {
    long long whole; /* every instruction: the program, libraries, the driver */
    long long own;   /* self cost of functions in the program's own binary (gpureg, linked in
                        statically) whose names do not start with "bench_" (the harness) */
} bench_instructions;

/* Run `self args...` (args NULL-terminated) under callgrind, collecting inside `function` only.
 * Returns 0, or -1 when valgrind is missing or the run failed. The child's stdout and stderr go to
 * /dev/null. */
int bench_callgrind(const char *self, const char *const *args, const char *function, bench_instructions *out);

/* The path of the running program (/proc/self/exe) in buf; 0 on failure. */
int bench_self_path(char *buf, unsigned long cap);

#endif /* GPUREG_BENCH_CALLGRIND_H */
