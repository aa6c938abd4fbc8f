/* fuzz_replay.c — runs fuzz_api's LLVMFuzzerTestOneInput without libFuzzer: every file of the
 * seed corpus (tests/fuzz/corpus, or the directories/files given as arguments), then a fixed
 * series of pseudo-random inputs, so the ordinary test suite exercises the fuzz model on every
 * build. A model mismatch aborts, failing the test. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#ifndef GPUREG_FUZZ_CORPUS_DIR
#define GPUREG_FUZZ_CORPUS_DIR "tests/fuzz/corpus"
#endif
#define RANDOM_INPUTS 2000

static int run_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "fuzz_replay: cannot open %s\n", path);
        return -1;
    }
    uint8_t *data = NULL;
    size_t size = 0, cap = 0;
    for (;;) {
        if (size == cap) {
            cap = cap ? cap * 2 : 4096;
            uint8_t *p = realloc(data, cap);
            if (!p) {
                free(data);
                fclose(f);
                return -1;
            }
            data = p;
        }
        size_t n = fread(data + size, 1, cap - size, f);
        if (!n) break;
        size += n;
    }
    fclose(f);
    fprintf(stderr, "fuzz_replay: %s (%zu bytes)\n", path, size);
    LLVMFuzzerTestOneInput(data, size);
    free(data);
    return 0;
}

/* Every regular file of dir, in name order so runs are reproducible. */
static int run_dir(const char *dir, unsigned *files) {
    struct dirent **names = NULL;
    int n = scandir(dir, &names, NULL, alphasort);
    if (n < 0) {
        fprintf(stderr, "fuzz_replay: cannot read %s\n", dir);
        return -1;
    }
    int rc = 0;
    for (int i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
        struct stat st;
        if (names[i]->d_name[0] != '.' && stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
            if (run_file(path) != 0) rc = -1;
            (*files)++;
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

int main(int argc, char **argv) {
    unsigned files = 0;
    int rc = 0;
    if (argc > 1) {
        for (int i = 1; i < argc; i++) {
            struct stat st;
            if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
                rc |= run_dir(argv[i], &files);
            else if (run_file(argv[i]) == 0)
                files++;
            else
                rc = -1;
        }
    } else {
        rc = run_dir(GPUREG_FUZZ_CORPUS_DIR, &files);
        if (files == 0) {
            fprintf(stderr, "fuzz_replay: the corpus %s is empty\n", GPUREG_FUZZ_CORPUS_DIR);
            rc = -1;
        }
        uint64_t x = 0x2545F4914F6CDD1Dull;
        uint8_t buf[512];
        for (int i = 0; i < RANDOM_INPUTS; i++) {
            size_t size = (size_t)(x % sizeof buf);
            for (size_t j = 0; j < size; j++) {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                buf[j] = (uint8_t)x;
            }
            LLVMFuzzerTestOneInput(buf, size);
        }
    }
    printf("fuzz_replay: %u corpus files, %s\n", files, rc ? "with errors" : "all matched the model");
    return rc ? 1 : 0;
}
