/* bench_callgrind.c — see bench_callgrind.h.
 *
 * The output file's totals line is the whole count. The own count is summed from the body: each
 * cost line under "fn=" is that function's self cost, except the line after "calls=", which is
 * the inclusive cost of a call; "ob=" names the object of the functions that follow, with names
 * compressed as "(id) name" on first use and "(id)" after. */
#include "bench_callgrind.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int bench_self_path(char *buf, unsigned long cap) {
    ssize_t n = readlink("/proc/self/exe", buf, cap - 1);
    if (n <= 0) return 0;
    buf[n] = '\0';
    return 1;
}

/* Compressed names: id -> name. */
typedef struct names {
    char **name;
    size_t cap;
} names;

static void names_free(names *t) {
    for (size_t i = 0; i < t->cap; i++)
        free(t->name[i]);
    free(t->name);
}

/* Resolve "(id) name" (defines) or "(id)" (uses) or a plain name; returns the name ("" unknown). */
static const char *names_resolve(names *t, char *spec) {
    spec[strcspn(spec, "\n")] = '\0';
    if (spec[0] != '(') return spec;
    size_t id = strtoul(spec + 1, NULL, 10);
    char *close = strchr(spec, ')');
    if (close && close[1] == ' ') {
        if (id >= t->cap) {
            size_t cap = id * 2 + 16;
            char **n = realloc(t->name, cap * sizeof *n);
            if (!n) return "";
            memset(n + t->cap, 0, (cap - t->cap) * sizeof *n);
            t->name = n;
            t->cap = cap;
        }
        free(t->name[id]);
        t->name[id] = strdup(close + 2);
    }
    return id < t->cap && t->name[id] ? t->name[id] : "";
}

static int is_cost_line(const char *line) {
    return (line[0] >= '0' && line[0] <= '9') || line[0] == '+' || line[0] == '-' || line[0] == '*';
}

/* The first event (Ir) of a cost line: the position comes first. */
static long long cost_of(const char *line) {
    const char *sp = strchr(line, ' ');
    return sp ? atoll(sp + 1) : 0;
}

static int parse(const char *file, const char *self, bench_instructions *out) {
    FILE *f = fopen(file, "r");
    if (!f) return -1;
    names obs = {0}, fns = {0};
    char line[8192];
    int own_fn = 0, after_call = 0;
    const char *ob = "";
    out->whole = out->own = -1;
    long long own = 0;
    while (fgets(line, sizeof line, f)) {
        if (!strncmp(line, "totals: ", 8) || !strncmp(line, "summary: ", 9)) {
            out->whole = atoll(strchr(line, ' ') + 1);
        } else if (!strncmp(line, "ob=", 3)) {
            ob = names_resolve(&obs, line + 3);
        } else if (!strncmp(line, "fn=", 3)) {
            const char *fn = names_resolve(&fns, line + 3);
            own_fn = !strcmp(ob, self) && strncmp(fn, "bench_", 6) != 0;
        } else if (!strncmp(line, "cob=", 4)) {
            names_resolve(&obs, line + 4); /* defines a name; the current object stays */
        } else if (!strncmp(line, "cfn=", 4) || !strncmp(line, "cfi=", 4) || !strncmp(line, "cfl=", 4)) {
            if (line[1] == 'f' && line[2] == 'n') names_resolve(&fns, line + 4);
        } else if (!strncmp(line, "calls=", 6)) {
            after_call = 1;
        } else if (is_cost_line(line)) {
            if (!after_call && own_fn) own += cost_of(line);
            after_call = 0;
        }
    }
    fclose(f);
    names_free(&obs);
    names_free(&fns);
    out->own = own;
    return out->whole >= 0 ? 0 : -1;
}

int bench_callgrind(const char *self, const char *const *args, const char *function, bench_instructions *out) {
    char file[96], toggle[160], outfile[128];
    snprintf(file, sizeof file, "/tmp/gpureg-callgrind.%d.%s", (int)getpid(), function);
    snprintf(toggle, sizeof toggle, "--toggle-collect=%s", function);
    snprintf(outfile, sizeof outfile, "--callgrind-out-file=%s", file);
    const char *argv[32] = {"valgrind", "--tool=callgrind", "--collect-atstart=no", toggle, outfile, self};
    size_t n = 6;
    for (size_t i = 0; args[i] && n < 31; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    fflush(stdout); /* a child must not write what the parent buffered */
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr)) _exit(127);
        execvp("valgrind", (char *const *)argv);
        _exit(127);
    }
    int status = 0;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        remove(file);
        return -1;
    }
    int r = parse(file, self, out);
    remove(file);
    return r;
}
