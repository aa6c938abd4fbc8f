/*
 * bench_instructions.c — instructions per call of the hot paths, counted by callgrind, which
 * gives the same figure however loaded the machine is (a timing on a shared 2-core VM cannot
 * settle a 25-instruction target).
 *
 * Without arguments past the options it re-runs itself under
 *   valgrind --tool=callgrind --collect-atstart=no --toggle-collect=<function>
 * once per function (gpureg_resolve, gpureg_retain, gpureg_release), reads the total
 * instructions of that function's calls from the output file and divides by the calls made:
 * CALLS random hits on 1,000 live textures (null backend), so each call takes its hit path.
 * `--work` is the measured run itself.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench_util.h"
#include "gpureg/gpureg.h"

enum { LIVE = 1000, CALLS = 100000 };

/* The measured work: CALLS resolves, then CALLS retain + release pairs, of random live handles. */
static int work(void) {
    gpureg_registry_desc rd = {.report_format = GPUREG_REPORT_OFF};
    gpureg_registry *reg = NULL;
    if (gpureg_null_create(&rd, &reg) != GPUREG_OK) return 1;
    static gpureg_handle handles[LIVE];
    for (int i = 0; i < LIVE; i++) {
        gpureg_texture_desc td = {.width = 4, .height = 4, .format = GPUREG_FORMAT_RGBA8_UNORM};
        gpureg_texture t;
        if (gpureg_texture_create(reg, &td, &t) != GPUREG_OK) return 1;
        handles[i] = t.id;
    }
    uint64_t state = 7, sum = 0, native = 0;
    int failed = 0;
    for (int i = 0; i < CALLS; i++) {
        failed |= gpureg_resolve(reg, handles[bench_rand(&state) % LIVE], GPUREG_TYPE_TEXTURE, &native) != GPUREG_OK;
        sum += native;
    }
    for (int i = 0; i < CALLS; i++) {
        gpureg_handle h = handles[bench_rand(&state) % LIVE];
        failed |= gpureg_retain(reg, h) != GPUREG_OK;
        failed |= gpureg_release(reg, h) != GPUREG_OK;
    }
    gpureg_destroy(reg); /* the textures go with it: no release here beyond the counted ones */
    return failed || sum == 0;
}

/* Instructions callgrind counted inside `function` over the whole run, or -1. */
static long long count_in(const char *self, const char *function) {
    char out[64], toggle[128];
    snprintf(out, sizeof out, "/tmp/gpureg-instructions.%d.%s", (int)getpid(), function);
    snprintf(toggle, sizeof toggle, "--toggle-collect=%s", function);
    fflush(stdout); /* a child must not write what the parent buffered */
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        char file[96];
        snprintf(file, sizeof file, "--callgrind-out-file=%s", out);
        if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr)) _exit(127);
        execlp("valgrind", "valgrind", "--tool=callgrind", "--collect-atstart=no", toggle, file, self, "--work",
               (char *)NULL);
        _exit(127);
    }
    int status = 0;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return -1;
    FILE *f = fopen(out, "r");
    long long total = -1;
    char line[256];
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "totals: ", 8)) total = atoll(line + 8);
    if (f) fclose(f);
    remove(out);
    return total;
}

int main(int argc, char **argv) {
    if (argc > 1 && !strcmp(argv[argc - 1], "--work")) return work();
    bench_options opt;
    if (!bench_parse_options(argc, argv, "bench_instructions", &opt)) return 2;
    static const struct {
        const char *bench, *function;
    } counted[] = {{"instructions_resolve", "gpureg_resolve"},
                   {"instructions_retain", "gpureg_retain"},
                   {"instructions_release", "gpureg_release"}};
    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) return 1;
    self[n] = '\0';
    int rc = 0;
    for (size_t i = 0; i < sizeof counted / sizeof counted[0]; i++) {
        long long total = count_in(self, counted[i].function);
        if (total < 0) {
            fprintf(stderr, "bench_instructions: valgrind --tool=callgrind failed for %s (is valgrind installed?)\n",
                    counted[i].function);
            rc = 1;
            continue;
        }
        double per_call = (double)total / CALLS;
        if (opt.json) {
            bench_json j;
            bench_json_begin(&j, counted[i].bench, LIVE);
            bench_json_num(&j, "instructions_per_call", per_call);
            bench_json_int(&j, "calls", CALLS);
            bench_json_str(&j, "tool", "callgrind");
            bench_json_end(&j, stdout);
        } else {
            printf("%-9s %6.1f instructions per call (callgrind, %d hits on %d live)\n", counted[i].function + 7,
                   per_call, CALLS, LIVE);
        }
    }
    return rc;
}
